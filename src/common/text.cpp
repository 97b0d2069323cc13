#include "common/text.hpp"

#include <vector>

#include "common/validation.hpp"

namespace anxin {
namespace {

constexpr std::string_view kAsciiSpace = " \t\r\n\v\f";
constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";  // U+3000
constexpr std::string_view kNoBreakSpace = "\xC2\xA0";          // U+00A0

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsRunSeparator(char c) { return c == ' ' || c == '-'; }

// Calls `on_run(begin, end)` for every run of at least `min_digits` digits in `text` (separators
// inside a run allowed, but not at its ends; a final X/x right after 17 digits belongs to the run).
template <typename OnRun>
void ForEachDigitRun(std::string_view text, size_t min_digits, OnRun on_run) {
  size_t i = 0;
  while (i < text.size()) {
    if (!IsDigit(text[i])) {
      ++i;
      continue;
    }
    const size_t begin = i;
    size_t end = i;
    size_t digits = 0;
    while (i < text.size() && (IsDigit(text[i]) || IsRunSeparator(text[i]))) {
      if (IsDigit(text[i])) {
        ++digits;
        end = i + 1;
      }
      ++i;
    }
    if (end < text.size() && digits == 17 && (text[end] == 'X' || text[end] == 'x')) {
      ++end;
      ++digits;
    }
    if (digits >= min_digits) on_run(begin, end);
    i = end > i ? end : i;
  }
}

}  // namespace

std::string_view Trim(std::string_view text) {
  auto strip_front = [&]() {
    if (!text.empty() && kAsciiSpace.find(text.front()) != std::string_view::npos) {
      text.remove_prefix(1);
      return true;
    }
    for (std::string_view space : {kIdeographicSpace, kNoBreakSpace}) {
      if (text.substr(0, space.size()) == space) {
        text.remove_prefix(space.size());
        return true;
      }
    }
    return false;
  };
  auto strip_back = [&]() {
    if (!text.empty() && kAsciiSpace.find(text.back()) != std::string_view::npos) {
      text.remove_suffix(1);
      return true;
    }
    for (std::string_view space : {kIdeographicSpace, kNoBreakSpace}) {
      if (text.size() >= space.size() && text.substr(text.size() - space.size()) == space) {
        text.remove_suffix(space.size());
        return true;
      }
    }
    return false;
  };
  while (strip_front()) {
  }
  while (strip_back()) {
  }
  return text;
}

bool HasControlCharacters(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < text.size()) {
      auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

bool HasPersonalNumber(std::string_view text, size_t min_digits) {
  bool found = false;
  ForEachDigitRun(text, min_digits, [&](size_t, size_t) { found = true; });
  return found;
}

std::string MaskPersonalNumbers(std::string_view text, size_t min_digits) {
  std::string out(text);
  ForEachDigitRun(text, min_digits, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      if (IsDigit(out[i]) || out[i] == 'X' || out[i] == 'x') out[i] = '*';
    }
  });
  return out;
}

Result<std::string> CheckFreeText(std::string_view field, std::string_view value, const FreeTextRule& rule) {
  auto invalid = [&](std::string code, Text message) -> Result<std::string> {
    return Status::InvalidField(std::string(field), std::move(code), std::move(message));
  };
  if (!IsValidUtf8(value))
    return invalid("invalid_characters", {"包含无效字符", "Contains invalid characters"});
  const std::string_view text = Trim(value);
  if (HasControlCharacters(text)) {
    return invalid("invalid_characters", {"包含控制字符", "Contains control characters"});
  }
  const size_t length = Utf8Length(text);
  if (length == 0) {
    if (rule.required) return invalid("required", {"必填", "This field is required"});
    return std::string();
  }
  if (length < rule.min_len) {
    const std::string n = std::to_string(rule.min_len);
    return invalid("too_short", {"至少 " + n + " 个字符", "Must be at least " + n + " characters"});
  }
  if (length > rule.max_len) {
    const std::string n = std::to_string(rule.max_len);
    return invalid("too_long", {"最多 " + n + " 个字符", "Must be at most " + n + " characters"});
  }
  if (rule.refuse_personal_numbers && HasPersonalNumber(text)) {
    return invalid("personal_number_not_allowed", {"请勿填写身份证号、手机号或银行卡号等个人信息",
                                                   "Do not enter ID, phone or bank card numbers here"});
  }
  return std::string(text);
}

}  // namespace anxin
