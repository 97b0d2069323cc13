#include "cards/card_serial.hpp"

#include <cctype>
#include <cstdio>

namespace anxin::cards {
namespace {

// Luhn check digit for the digits of `body`.
char LuhnDigit(std::string_view body) {
  int sum = 0;
  bool twice = true;  // the rightmost body digit is doubled (the check digit goes after it)
  for (auto it = body.rbegin(); it != body.rend(); ++it) {
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

Status SerialError(std::string_view field, std::string code, Text message) {
  return Status::InvalidField(std::string(field), std::move(code), std::move(message));
}

}  // namespace

bool IsValidSerialPrefix(std::string_view prefix) {
  if (prefix.size() < 2 || prefix.size() > 4) return false;
  for (char c : prefix) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

std::string FormatSerial(std::string_view prefix, int64_t seq) {
  char digits[kSerialSequenceDigits + 1];
  std::snprintf(digits, sizeof digits, "%010lld", static_cast<long long>(seq));
  std::string out(prefix);
  out += digits;
  out += LuhnDigit(digits);
  return out;
}

Result<ParsedSerial> ParseSerial(std::string_view serial, std::string_view field) {
  size_t letters = 0;
  while (letters < serial.size() && std::isalpha(static_cast<unsigned char>(serial[letters]))) ++letters;
  const std::string_view digits = serial.substr(letters);
  bool all_digits = digits.size() == kSerialSequenceDigits + 1;
  for (char c : digits) all_digits = all_digits && c >= '0' && c <= '9';
  ParsedSerial parsed;
  for (size_t i = 0; i < letters; ++i) {
    parsed.prefix.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(serial[i]))));
  }
  if (!all_digits || !IsValidSerialPrefix(parsed.prefix)) {
    return SerialError(
        field, "invalid_format",
        {"卡号格式不正确：应为2-4位字母加11位数字", "invalid card number: 2-4 letters and 11 digits"});
  }
  const std::string_view body = digits.substr(0, kSerialSequenceDigits);
  if (LuhnDigit(body) != digits.back()) {
    return SerialError(field, "invalid_checksum", {"卡号校验位不正确", "card number check digit is wrong"});
  }
  for (char c : body) parsed.seq = parsed.seq * 10 + (c - '0');
  if (parsed.seq < 1) {
    return SerialError(field, "invalid_format", {"卡号格式不正确", "invalid card number"});
  }
  return parsed;
}

}  // namespace anxin::cards
