#include "policies/policy_validation.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

namespace anxin::policies {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool AllDigits(std::string_view s) { return std::all_of(s.begin(), s.end(), IsDigit); }
bool AllUpper(std::string_view s) { return std::all_of(s.begin(), s.end(), IsUpper); }

// Trims ASCII white space, the ideographic space (U+3000) and the no-break space (U+00A0).
std::string Trim(std::string_view text) {
  auto starts = [&](std::string_view t, std::string_view p) { return t.substr(0, p.size()) == p; };
  auto ends = [&](std::string_view t, std::string_view p) {
    return t.size() >= p.size() && t.substr(t.size() - p.size()) == p;
  };
  static constexpr std::string_view kSpaces[] = {" ", "\t", "\n", "\r", "\xE3\x80\x80", "\xC2\xA0"};
  bool changed = true;
  while (changed) {
    changed = false;
    for (std::string_view space : kSpaces) {
      if (starts(text, space)) {
        text.remove_prefix(space.size());
        changed = true;
      }
      if (ends(text, space)) {
        text.remove_suffix(space.size());
        changed = true;
      }
    }
  }
  return std::string(text);
}

// Upper-cases ASCII letters and drops spaces and parentheses ("a123456(3)" -> "A1234563").
std::string CompactUpper(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '(' || c == ')' || c == '-') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    out.push_back(c);
  }
  return out;
}

Status InvalidFormat(std::string_view field) {
  return Status::InvalidField(std::string(field), "invalid_format",
                              Text{"证件号码格式不正确", "The ID number is not in a valid format"});
}

Status InvalidChecksum(std::string_view field) {
  return Status::InvalidField(std::string(field), "invalid_checksum",
                              Text{"证件号码校验位不正确", "The ID number's check character is wrong"});
}

// Hong Kong identity card: weights 9..2 over [space or letter][letter][6 digits]; letters count
// A=10..Z=35, a missing first letter counts 36; check = 11 - sum mod 11, where 10 is 'A' and 11 '0'.
bool HongKongCheckOk(std::string_view id) {
  std::string body(id.substr(0, id.size() - 1));
  if (body.size() == 7) body.insert(body.begin(), ' ');
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) {
    char c = body[i];
    int value = c == ' ' ? 36 : IsUpper(c) ? c - 'A' + 10 : c - '0';
    sum += value * static_cast<int>(9 - i);
  }
  int check = 11 - sum % 11;
  char expected = check == 11 ? '0' : check == 10 ? 'A' : static_cast<char>('0' + check);
  return id.back() == expected;
}

// Taiwan national ID: the letter's two-digit code (A=10 ... with I, O, W, X, Y, Z out of order),
// weights 1, 9 for its digits, then 8..1 for the next eight digits and 1 for the check digit; the
// sum is a multiple of 10.
bool TaiwanCheckOk(std::string_view id) {
  static constexpr int kLetterCodes[26] = {10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
                                           22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33};
  int code = kLetterCodes[id[0] - 'A'];
  int sum = code / 10 + (code % 10) * 9;
  for (size_t i = 1; i <= 8; ++i) sum += (id[i] - '0') * static_cast<int>(9 - i);
  sum += id[9] - '0';
  return sum % 10 == 0;
}

}  // namespace

Result<std::string> NormalizeIdNumber(IdType type, std::string_view number, const Date& today,
                                      std::string_view field) {
  const std::string trimmed = Trim(number);
  if (trimmed.empty()) {
    return Status::InvalidField(std::string(field), "required",
                                Text{"请填写证件号码", "The ID number is required"});
  }
  if (type == IdType::kResidentId) {
    ANXIN_ASSIGN_OR_RETURN(ResidentIdInfo info, ParseResidentId(trimmed, today, field));
    return info.number;
  }
  const std::string id = CompactUpper(trimmed);
  switch (type) {
    case IdType::kResidentId:
      break;
    case IdType::kHongKongMacauId: {
      const bool hong_kong = (id.size() == 8 || id.size() == 9) && AllUpper(id.substr(0, id.size() - 7)) &&
                             AllDigits(id.substr(id.size() - 7, 6)) &&
                             (IsDigit(id.back()) || id.back() == 'A');
      if (hong_kong) {
        if (!HongKongCheckOk(id)) return InvalidChecksum(field);
        return id;
      }
      const bool macau = id.size() == 8 && AllDigits(id) && (id[0] == '1' || id[0] == '5' || id[0] == '7');
      if (macau) return id;
      return InvalidFormat(field);
    }
    case IdType::kTaiwanId: {
      if (id.size() != 10 || !IsUpper(id[0]) || (id[1] != '1' && id[1] != '2') || !AllDigits(id.substr(1))) {
        return InvalidFormat(field);
      }
      if (!TaiwanCheckOk(id)) return InvalidChecksum(field);
      return id;
    }
    case IdType::kHkMacauPermit: {
      const bool ok =
          (id.size() == 9 || id.size() == 11) && (id[0] == 'H' || id[0] == 'M') && AllDigits(id.substr(1));
      if (!ok) return InvalidFormat(field);
      return id;
    }
    case IdType::kTaiwanPermit: {
      if ((id.size() != 8 && id.size() != 10) || !AllDigits(id)) return InvalidFormat(field);
      return id;
    }
    case IdType::kForeignPassport: {
      const bool ok = id.size() >= 5 && id.size() <= 20 &&
                      std::all_of(id.begin(), id.end(), [](char c) { return IsDigit(c) || IsUpper(c); });
      if (!ok) return InvalidFormat(field);
      return id;
    }
    case IdType::kForeignPermanentId: {
      if (id.size() == 15 && AllUpper(id.substr(0, 3)) && AllDigits(id.substr(3))) return id;
      if (id.size() == 18 && id[0] == '9') {
        ANXIN_ASSIGN_OR_RETURN(ResidentIdInfo info, ParseResidentId(id, today, field));
        return info.number;
      }
      return InvalidFormat(field);
    }
  }
  return InvalidFormat(field);
}

namespace {

bool IsCode(std::string_view text, size_t max_len) {
  return !text.empty() && text.size() <= max_len &&
         std::all_of(text.begin(), text.end(), [](char c) { return IsDigit(c) || IsUpper(c) || c == '_'; });
}

class Checker {
 public:
  explicit Checker(const Date& today) : today_(today) {}

  void Add(std::string field, std::string code, Text message) {
    errors_.push_back({std::move(field), std::move(code), std::move(message)});
  }
  // Files the field errors of a failed check (a validation status) under our paths.
  void Take(const Status& status) {
    for (const FieldError& e : status.fields()) errors_.push_back(e);
  }

  void CheckParty(Party& party, const std::string& path) {
    CheckName(party, path);
    std::optional<ResidentIdInfo> resident;
    Result<std::string> id = NormalizeIdNumber(party.id_type, party.id_number, today_, path + ".id_number");
    if (id.ok()) {
      party.id_number = *id;
      if (party.id_type == IdType::kResidentId) resident = *ParseResidentId(*id, today_, path + ".id_number");
    } else {
      Take(id.status());
    }
    const Date& b = party.birth_date;
    if (!IsValidDate(b.year, b.month, b.day) || b.year < 1800 || b > today_) {
      Add(path + ".birth_date", "invalid_date", Text{"出生日期不正确", "The birth date is not valid"});
    } else if (resident && resident->birth_date != b) {
      // RULES.md §5: the birth date is written in the resident ID number (positions 7-14).
      Add(path + ".birth_date", "birth_date_mismatch",
          Text{"出生日期与身份证号码不符", "The birth date does not match the resident ID number"});
    }
    if (resident && resident->sex != party.sex) {
      // RULES.md §5: the sequence code is odd for men, even for women.
      Add(path + ".sex", "sex_mismatch",
          Text{"性别与身份证号码不符", "The sex does not match the resident ID number"});
    }
    const std::string phone = Trim(party.phone);
    if (phone.empty()) {
      party.phone.clear();
      if (party.role == PartyRole::kHolder) {
        Add(path + ".phone", "required",
            Text{"请填写投保人手机号码", "The policyholder's mobile number is required"});
      }
    } else {
      Result<std::string> mobile = NormalizeMobile(phone, path + ".phone");
      if (mobile.ok()) {
        party.phone = *mobile;
      } else {
        Take(mobile.status());
      }
    }
    if (party.role == PartyRole::kBeneficiary) {
      if (party.share_percent < 1 || party.share_percent > 100) {
        Add(path + ".share_percent", "out_of_range",
            Text{"受益份额须为1-100", "The beneficiary's share must be 1-100 percent"});
      }
    } else {
      party.share_percent = 100;
    }
  }

  Status Finish() {
    if (errors_.empty()) return Status::Ok();
    return Status::Invalid(std::move(errors_));
  }

 private:
  void CheckName(Party& party, const std::string& path) {
    party.name = Trim(party.name);
    const std::string field = path + ".name";
    if (party.name.empty()) {
      Add(field, "required", Text{"请填写姓名", "The name is required"});
      return;
    }
    if (!IsValidUtf8(party.name)) {
      Add(field, "invalid_format", Text{"姓名包含无效字符", "The name contains invalid characters"});
      return;
    }
    if (std::any_of(party.name.begin(), party.name.end(),
                    [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
      Add(field, "invalid_format", Text{"姓名包含控制字符", "The name contains control characters"});
      return;
    }
    if (Utf8Length(party.name) > kMaxPartyNameLength) {
      Add(field, "too_long", Text{"姓名不能超过50个字符", "The name has at most 50 characters"});
    }
  }

  Date today_;
  std::vector<FieldError> errors_;
};

}  // namespace

Result<NewPolicy> ValidateNewPolicy(const NewPolicy& request, const Date& today) {
  NewPolicy out = request;
  Checker check(today);

  if (out.product_code.empty()) {
    check.Add("product_code", "required", Text{"请填写产品代码", "The product code is required"});
  } else if (!IsCode(out.product_code, 32)) {
    check.Add("product_code", "invalid_format", Text{"产品代码格式不正确", "The product code is not valid"});
  }
  if (out.plan_code.empty()) {
    check.Add("plan_code", "required", Text{"请填写计划代码", "The plan code is required"});
  } else if (!IsCode(out.plan_code, 32)) {
    check.Add("plan_code", "invalid_format", Text{"计划代码格式不正确", "The plan code is not valid"});
  }
  if (out.product_version < 1) {
    check.Add("product_version", "out_of_range",
              Text{"产品版本须大于0", "The product version must be positive"});
  }
  if (out.premium.fen < 0) {
    check.Add("premium_fen", "out_of_range", Text{"保费不能为负数", "The premium cannot be negative"});
  }
  const Date& s = out.start_date;
  const Date& e = out.end_date;
  const bool start_ok = IsValidDate(s.year, s.month, s.day);
  const bool end_ok = IsValidDate(e.year, e.month, e.day);
  if (!start_ok)
    check.Add("start_date", "invalid_date", Text{"起保日期不正确", "The start date is not valid"});
  if (!end_ok) check.Add("end_date", "invalid_date", Text{"终止日期不正确", "The end date is not valid"});
  if (start_ok && end_ok && e < s) {
    check.Add("end_date", "before_start",
              Text{"终止日期不能早于起保日期", "The end date cannot be before the start date"});
  }
  if (out.org_id.empty()) {
    check.Add("org_id", "required", Text{"请填写出单机构", "The issuing organisation is required"});
  } else if (out.org_id.size() > 64) {
    check.Add("org_id", "invalid_format", Text{"机构标识不正确", "The organisation id is not valid"});
  }
  if (out.card_serial.empty()) {
    if (out.source == PolicySource::kCard) {
      check.Add("card_serial", "required",
                Text{"卡单出单须填写卡号", "A card policy needs the card's serial"});
    }
  } else if (out.source != PolicySource::kCard) {
    check.Add("card_serial", "not_allowed",
              Text{"只有卡单可填写卡号", "Only card policies carry a card serial"});
  } else if (out.card_serial.size() > 32 || !std::all_of(out.card_serial.begin(), out.card_serial.end(),
                                                         [](char c) { return IsDigit(c) || IsUpper(c); })) {
    check.Add("card_serial", "invalid_format", Text{"卡号格式不正确", "The card serial is not valid"});
  }
  if (!out.coverages.is_array()) {
    check.Add("coverages", "invalid_format", Text{"保障责任须为数组", "The coverages must be an array"});
  }

  int holders = 0;
  int insureds = 0;
  size_t beneficiaries = 0;
  int share_total = 0;
  bool shares_valid = true;
  for (Party& party : out.parties) {
    std::string path;
    switch (party.role) {
      case PartyRole::kHolder:
        path = "holder";
        ++holders;
        break;
      case PartyRole::kInsured:
        path = "insured";
        ++insureds;
        break;
      case PartyRole::kBeneficiary:
        path = "beneficiaries[" + std::to_string(beneficiaries++) + "]";
        break;
    }
    check.CheckParty(party, path);
    if (party.role == PartyRole::kBeneficiary) {
      if (party.share_percent < 1 || party.share_percent > 100) shares_valid = false;
      share_total += std::clamp(party.share_percent, 0, 101);
    }
  }
  if (holders == 0) check.Add("holder", "required", Text{"请填写投保人", "The policyholder is required"});
  if (holders > 1)
    check.Add("holder", "duplicate", Text{"只能有一位投保人", "A policy has one policyholder"});
  if (insureds == 0)
    check.Add("insured", "required", Text{"请填写被保险人", "The insured person is required"});
  if (insureds > 1)
    check.Add("insured", "duplicate", Text{"只能有一位被保险人", "A policy has one insured person"});
  if (beneficiaries > kMaxBeneficiaries) {
    check.Add("beneficiaries", "too_many", Text{"受益人最多10位", "At most 10 beneficiaries"});
  } else if (beneficiaries > 0 && shares_valid && share_total != 100) {
    // No beneficiary named means the legal heirs (法定受益人); named ones share 100 %.
    check.Add("beneficiaries", "shares_not_100",
              Text{"受益份额合计须为100%", "The beneficiaries' shares must add up to 100 percent"});
  }
  ANXIN_RETURN_IF_ERROR(check.Finish());
  return out;
}

}  // namespace anxin::policies
