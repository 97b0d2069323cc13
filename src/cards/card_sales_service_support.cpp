#include "cards/card_sales_service_support.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cards/card_serial.hpp"
#include "common/validation.hpp"

namespace anxin::cards::internal {
namespace {

using storage::Tx;

constexpr size_t kMaxListedSerials = 20;  // in a human message; field errors list them all
constexpr size_t kMaxCodeLength = 64;

Status Unauthenticated() {
  return Status(StatusCode::kUnauthenticated, "unauthenticated", {"请先登录", "Please log in"});
}

Status Forbidden() {
  return Status(StatusCode::kPermissionDenied, "permission_denied",
                {"您没有执行此操作的权限", "You are not allowed to do this"});
}

// RULES.md §6: free text (reasons, names) must not carry ID, phone or bank card numbers, which
// would then sit in clear in card histories and audit records. Any run of 11 or more digits
// (spaces and dashes ignored) is refused.
bool HasLongNumber(std::string_view text) {
  int run = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      if (++run >= 11) return true;
    } else if (c != ' ' && c != '-') {
      run = 0;
    }
  }
  return false;
}

// "A, B, C 等 N 张" for a human message.
std::string ListSerials(const std::vector<std::string>& serials, bool zh) {
  std::string out;
  for (size_t i = 0; i < serials.size() && i < kMaxListedSerials; ++i) {
    if (i > 0) out += ", ";
    out += serials[i];
  }
  if (serials.size() > kMaxListedSerials) {
    out += zh ? " 等 " + std::to_string(serials.size()) + " 张"
              : " and " + std::to_string(serials.size() - kMaxListedSerials) + " more";
  }
  return out;
}

}  // namespace

// A read: a principal with `permission`, or a system actor (unrestricted).
Status CheckRead(const Actor& actor, const char* permission) {
  if (actor.principal == nullptr) return actor.system_name.empty() ? Unauthenticated() : Status::Ok();
  if (actor.principal->kind != UserKind::kStaff || !actor.principal->Has(permission)) return Forbidden();
  return Status::Ok();
}

// A change: a staff principal with `permission`.
Result<const Principal*> StaffWith(const Actor& actor, const char* permission) {
  if (actor.principal == nullptr) {
    if (actor.system_name.empty()) return Unauthenticated();
    return Status(StatusCode::kPermissionDenied, "staff_only",
                  {"该操作须由员工账号办理", "Only a staff account can do this"});
  }
  if (actor.principal->kind != UserKind::kStaff || !actor.principal->Has(permission)) return Forbidden();
  return actor.principal;
}

bool InScope(const Actor& actor, const std::string& path) {
  return actor.principal == nullptr ? !actor.system_name.empty() : actor.principal->Covers(path);
}

// Seed 000 §3: sales registration and reverse processing are done by the institution's document
// administrator.
Status RequireInstitution(Tx& tx, CardSalesStore& store, const Principal& caller, std::string_view zh_what,
                          std::string_view en_what) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<SalesOrg> org, store.FindOrg(tx, caller.org_id));
  if (org && org->level == identity::OrgLevel::kInstitution) return Status::Ok();
  const std::string level = org ? std::string(identity::OrgLevelName(org->level)) : "unknown";
  return Status(StatusCode::kPermissionDenied, "institution_level_required",
                {std::string(zh_what) + "须由机构（支公司）的单证管理员办理，您所在机构的层级为 " + level,
                 std::string(en_what) +
                     " is done by the document administrator of an institution; your "
                     "organisation is at level " +
                     level});
}

std::string Trim(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && (text[begin] == ' ' || text[begin] == '\t')) ++begin;
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  return std::string(text.substr(begin, end - begin));
}

bool HasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

void CheckCode(std::vector<FieldError>& errors, const std::string& field, const std::string& value) {
  if (Trim(value).empty()) {
    errors.push_back({field, "required", {"必填", "Required"}});
  } else if (value.size() > kMaxCodeLength || HasControl(value)) {
    errors.push_back({field, "invalid_format", {"格式不正确", "Invalid format"}});
  }
}

// Checks free text of min..max code points; `required` false allows it to be empty.
void CheckFreeText(std::vector<FieldError>& errors, const std::string& field, const std::string& value,
                   size_t min, size_t max, bool required) {
  const std::string trimmed = Trim(value);
  if (trimmed.empty()) {
    if (required) errors.push_back({field, "required", {"必填", "Required"}});
    return;
  }
  if (!IsValidUtf8(value) || HasControl(value)) {
    errors.push_back({field, "invalid_characters", {"含有无效字符", "Contains invalid characters"}});
    return;
  }
  const size_t length = Utf8Length(trimmed);
  if (length < min) {
    errors.push_back(
        {field,
         "too_short",
         {"至少 " + std::to_string(min) + " 个字", "At least " + std::to_string(min) + " characters"}});
  } else if (length > max) {
    errors.push_back(
        {field,
         "too_long",
         {"最多 " + std::to_string(max) + " 个字", "At most " + std::to_string(max) + " characters"}});
  } else if (HasLongNumber(trimmed)) {
    errors.push_back({field,
                      "contains_personal_data",
                      {"请勿填写证件号、手机号或银行卡号", "Do not enter ID, phone or bank card numbers"}});
  }
}

// Parses each serial into its canonical form, collecting errors at "<field>[i]" (duplicates too).
std::vector<std::string> ParseSerialList(std::vector<FieldError>& errors, const std::string& field,
                                         const std::vector<std::string>& input) {
  std::vector<std::string> serials;
  std::set<std::string> seen;
  for (size_t i = 0; i < input.size(); ++i) {
    const std::string path = field + "[" + std::to_string(i) + "]";
    Result<ParsedSerial> parsed = ParseSerial(Trim(input[i]), path);
    if (!parsed.ok()) {
      for (const FieldError& e : parsed.status().fields()) errors.push_back(e);
      if (parsed.status().fields().empty())
        errors.push_back({path, "invalid_format", {"卡号格式不正确", "Invalid serial"}});
      continue;
    }
    std::string serial = FormatSerial(parsed->prefix, parsed->seq);
    if (!seen.insert(serial).second) {
      errors.push_back({path, "duplicate", {"卡号重复：" + serial, "Duplicate serial " + serial}});
      continue;
    }
    serials.push_back(std::move(serial));
  }
  return serials;
}

Status CardsRefused(StatusCode code, std::string reason, std::string_view zh_what, std::string_view en_what,
                    const std::vector<BadCard>& bad) {
  std::vector<std::string> serials;
  std::vector<FieldError> fields;
  for (const BadCard& b : bad) {
    serials.push_back(b.serial);
    fields.push_back(b.error);
  }
  return Status(code, std::move(reason),
                {std::string(zh_what) + "：" + ListSerials(serials, true),
                 std::string(en_what) + ": " + ListSerials(serials, false)},
                std::move(fields));
}

Status ChangedConcurrently(const std::string& serial) {
  return Status(
      StatusCode::kAborted, "card_changed_concurrently",
      {"卡 " + serial + " 正被其他操作修改，请重试", "Card " + serial + " was changed concurrently; retry"});
}

}  // namespace anxin::cards::internal
