#include "cards/card_sales_service_support.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cards/card_serial.hpp"
#include "common/text.hpp"
#include "common/validation.hpp"

namespace anxin::cards::internal {
namespace {

using storage::Tx;

constexpr size_t kMaxListedSerials = 20;  // in a human message; field errors list them all
constexpr size_t kMaxCodeLength = 64;

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

void CheckCode(std::vector<FieldError>& errors, const std::string& field, const std::string& value) {
  if (Trim(value).empty()) {
    errors.push_back({field, "required", {"必填", "Required"}});
  } else if (value.size() > kMaxCodeLength || !IsValidUtf8(value) || HasControlCharacters(value)) {
    errors.push_back({field, "invalid_format", {"格式不正确", "Invalid format"}});
  }
}

void CheckFreeText(std::vector<FieldError>& errors, const std::string& field, const std::string& value,
                   size_t min, size_t max, bool required) {
  const Result<std::string> checked = anxin::CheckFreeText(
      field, value, {.required = required, .min_len = min, .max_len = max, .refuse_personal_numbers = true});
  if (!checked.ok())
    errors.insert(errors.end(), checked.status().fields().begin(), checked.status().fields().end());
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
