#include "common/validation.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace anxin {

namespace {

// The earliest birth year a resident ID number may carry. GB 11643-1999's own example (RULES.md §5,
// 440524188001010014) was born in 1880, so the 1800s are allowed.
constexpr int kEarliestBirthYear = 1800;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

char ToUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

Status FieldStatus(std::string_view field, std::string code, std::string zh, std::string en) {
  return Status::InvalidField(std::string(field), std::move(code), Text{std::move(zh), std::move(en)});
}

// Returns the length of the well-formed UTF-8 sequence at `pos`, or 0 if it is not one
// (truncated, overlong, a surrogate, above U+10FFFF, or a stray continuation byte).
size_t SequenceLength(std::string_view text, size_t pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) return 1;
  size_t len = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3;
    if (lead == 0xE0) second_min = 0xA0;  // overlong
    if (lead == 0xED) second_max = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
    if (lead == 0xF0) second_min = 0x90;  // overlong
    if (lead == 0xF4) second_max = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (pos + len > text.size()) return 0;
  if (byte(pos + 1) < second_min || byte(pos + 1) > second_max) return 0;
  for (size_t i = pos + 2; i < pos + len; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return len;
}

// Splits `text` into code points; a byte that does not start a valid sequence stands alone.
std::vector<std::string_view> CodePoints(std::string_view text) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t len = SequenceLength(text, pos);
    if (len == 0) len = 1;
    out.push_back(text.substr(pos, len));
    pos += len;
  }
  return out;
}

// Keeps `front` and `back` code points and replaces each one between with '*'.
std::string MaskMiddle(const std::vector<std::string_view>& cps, size_t front, size_t back) {
  std::string out;
  for (size_t i = 0; i < cps.size(); ++i) {
    if (i < front || i + back >= cps.size()) {
      out += cps[i];
    } else {
      out += '*';
    }
  }
  return out;
}

// The fallback mask for unexpected lengths: at most 2 kept at each end, at least half masked.
std::string MaskGeneric(std::string_view text) {
  const std::vector<std::string_view> cps = CodePoints(text);
  const size_t n = cps.size();
  size_t keep = 2;
  while (keep > 0 && n - std::min(n, 2 * keep) < (n + 1) / 2) --keep;
  return MaskMiddle(cps, keep, keep);
}

bool AllDigits(std::string_view text) {
  for (char c : text) {
    if (!IsDigit(c)) return false;
  }
  return !text.empty();
}

bool LuhnOk(std::string_view digits) {
  int sum = 0;
  bool twice = false;
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

constexpr std::array<std::string_view, 44> kCompoundSurnames = {
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延", "申屠",
    "澹台", "太史", "万俟", "闻人", "濮阳", "赫连", "钟离", "宗政", "公羊", "司空", "鲜于",
    "闾丘", "拓跋", "第五", "东郭", "梁丘", "左丘", "乐正", "谷梁", "羊舌", "微生", "太叔",
};

}  // namespace

Result<ResidentIdInfo> ParseResidentId(std::string_view number, const Date& today, std::string_view field) {
  // RULES.md §5 (GB 11643-1999): 6-digit address code, birth date YYYYMMDD, 3-digit sequence,
  // check character. Old 15-digit numbers are not accepted here.
  bool shape_ok = number.size() == 18;
  for (size_t i = 0; shape_ok && i < 17; ++i) shape_ok = IsDigit(number[i]);
  if (shape_ok) shape_ok = IsDigit(number[17]) || number[17] == 'X' || number[17] == 'x';
  if (!shape_ok) {
    return FieldStatus(field, "invalid_format", "身份证号码应为18位：17位数字加1位数字或X",
                       "A resident ID number has 18 characters: 17 digits, then a digit or X");
  }

  std::string upper(number);
  upper[17] = ToUpper(upper[17]);

  const auto digits_at = [&](size_t pos, size_t n) {
    int value = 0;
    for (size_t i = pos; i < pos + n; ++i) value = value * 10 + (upper[i] - '0');
    return value;
  };
  const Date birth{digits_at(6, 4), digits_at(10, 2), digits_at(12, 2)};
  // RULES.md §5: reject impossible and future birth dates.
  if (birth.year < kEarliestBirthYear || !IsValidDate(birth.year, birth.month, birth.day) || birth > today) {
    return FieldStatus(field, "invalid_birth_date", "身份证号码中的出生日期无效",
                       "The birth date in the resident ID number is not valid");
  }

  // RULES.md §5: weighted sum of the first 17 digits mod 11 selects the check character.
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr std::string_view kCheck = "10X98765432";
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (upper[i] - '0') * kWeights[i];
  if (kCheck[sum % 11] != upper[17]) {
    return FieldStatus(field, "invalid_checksum", "身份证号码校验位错误，请核对",
                       "The check character of the resident ID number is wrong");
  }

  ResidentIdInfo info;
  info.region_code = upper.substr(0, 6);
  info.birth_date = birth;
  // RULES.md §5: the sequence's last digit (17th character) is odd for men, even for women.
  info.sex = (upper[16] - '0') % 2 == 1 ? Sex::kMale : Sex::kFemale;
  info.number = std::move(upper);
  return info;
}

Result<std::string> ValidateUscc(std::string_view code, std::string_view field) {
  // RULES.md §5 (GB 32100-2015): 18 characters from this alphabet (no I, O, S, V, Z).
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                   29, 25, 13, 8,  24, 10, 30, 28};

  std::string upper(code);
  for (char& c : upper) c = ToUpper(c);
  bool shape_ok = upper.size() == 18;
  for (size_t i = 0; shape_ok && i < upper.size(); ++i)
    shape_ok = kAlphabet.find(upper[i]) != std::string_view::npos;
  if (!shape_ok) {
    return FieldStatus(field, "invalid_format", "统一社会信用代码应为18位数字或大写字母（不含I、O、S、V、Z）",
                       "A unified social credit code has 18 digits or capital letters (not I, O, S, V or Z)");
  }
  size_t sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += kAlphabet.find(upper[i]) * static_cast<size_t>(kWeights[i]);
  const size_t check = (31 - sum % 31) % 31;  // RULES.md §5: 31 means 0
  if (kAlphabet[check] != upper[17]) {
    return FieldStatus(field, "invalid_checksum", "统一社会信用代码校验位错误，请核对",
                       "The check character of the unified social credit code is wrong");
  }
  return upper;
}

Result<std::string> NormalizeMobile(std::string_view number, std::string_view field) {
  std::string compact;
  for (char c : number) {
    if (c != ' ' && c != '-') compact += c;
  }
  // RULES.md §5: optional +86 / 86 country prefix.
  if (compact.starts_with("+86")) {
    compact.erase(0, 3);
  } else if (compact.size() == 13 && compact.starts_with("86")) {
    compact.erase(0, 2);
  }
  // RULES.md §5: 11 digits 1[3-9]\d{9}.
  if (compact.size() != 11 || !AllDigits(compact) || compact[0] != '1' || compact[1] < '3') {
    return FieldStatus(field, "invalid_format", "手机号码应为11位，以13至19开头",
                       "A mobile number has 11 digits starting with 13 to 19");
  }
  return compact;
}

Result<BankCardCheck> CheckBankCard(std::string_view number, std::string_view field) {
  std::string digits;
  for (char c : number) {
    if (c != ' ') digits += c;
  }
  // RULES.md §5: 16-19 digits; a Luhn failure is a warning, not an error.
  if (digits.size() < 16 || digits.size() > 19 || !AllDigits(digits)) {
    return FieldStatus(field, "invalid_format", "银行卡号应为16至19位数字",
                       "A bank card number has 16 to 19 digits");
  }
  BankCardCheck check;
  check.luhn_ok = LuhnOk(digits);
  check.digits = std::move(digits);
  return check;
}

std::string_view IdTypeName(IdType type) { return kIdTypes.Name(type); }
std::optional<IdType> ParseIdType(std::string_view name) { return kIdTypes.Parse(name); }

std::string MaskIdNumber(std::string_view number) {
  const std::vector<std::string_view> cps = CodePoints(number);
  if (cps.size() == 18) return MaskMiddle(cps, 6, 4);
  return MaskGeneric(number);
}

std::string MaskPhone(std::string_view phone) {
  Result<std::string> mobile = NormalizeMobile(phone);
  if (mobile.ok()) return mobile->substr(0, 3) + "****" + mobile->substr(7);
  return MaskGeneric(phone);
}

std::string MaskBankCard(std::string_view digits) {
  std::string compact;
  for (char c : digits) {
    if (c != ' ') compact += c;
  }
  if (compact.size() >= 16 && AllDigits(compact)) {
    return compact.substr(0, 4) + " **** **** " + compact.substr(compact.size() - 4);
  }
  return MaskGeneric(compact);
}

std::string MaskName(std::string_view name) {
  const std::vector<std::string_view> cps = CodePoints(name);
  if (cps.size() <= 1) return cps.empty() ? std::string() : std::string("*");
  size_t keep = 1;
  if (cps.size() > 2) {
    const std::string first_two = std::string(cps[0]) + std::string(cps[1]);
    for (std::string_view surname : kCompoundSurnames) {
      if (surname == first_two) keep = 2;
    }
  }
  return MaskMiddle(cps, keep, 0);
}

bool IsValidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t len = SequenceLength(text, pos);
    if (len == 0) return false;
    pos += len;
  }
  return true;
}

size_t Utf8Length(std::string_view text) {
  size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace anxin
