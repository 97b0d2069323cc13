#include "ledger/ledger_access.hpp"

#include <algorithm>
#include <utility>

namespace anxin::ledger {
namespace {

bool IsSystem(const Actor& actor) { return actor.principal == nullptr && !actor.system_name.empty(); }

Status RequireStaffPermission(const Actor& actor) {
  if (IsSystem(actor)) return Status::Ok();
  if (actor.principal == nullptr) {
    return Status(StatusCode::kUnauthenticated, "unauthenticated", Text{"请先登录", "Please log in first"});
  }
  if (actor.principal->kind != UserKind::kStaff || !actor.principal->Has(kPermLedgerRead) ||
      actor.principal->org_path.empty()) {
    return Status(StatusCode::kPermissionDenied, "permission_denied",
                  Text{"没有执行此操作的权限", "You do not have permission to do this"});
  }
  return Status::Ok();
}

// A head-office member's path names one node: "/<root id>/".
bool AtHeadOffice(const Principal& p) { return std::count(p.org_path.begin(), p.org_path.end(), '/') == 2; }

}  // namespace

Result<TrialBalance> ReadTrialBalance(const Ledger& ledger, storage::Database& db, const Actor& actor) {
  ANXIN_RETURN_IF_ERROR(RequireStaffPermission(actor));
  if (!IsSystem(actor) && !AtHeadOffice(*actor.principal)) {
    return Status(StatusCode::kPermissionDenied, "head_office_only",
                  Text{"试算平衡表仅限总公司查看", "Only the head office may read the trial balance"});
  }
  return ledger.Balance(db);
}

Result<std::vector<Entry>> ReadEntries(const Ledger& ledger, storage::Database& db, const Actor& actor,
                                       const std::string& ref_type, const std::string& ref_id) {
  ANXIN_RETURN_IF_ERROR(RequireStaffPermission(actor));
  ANXIN_ASSIGN_OR_RETURN(std::vector<Entry> entries, ledger.EntriesFor(db, ref_type, ref_id));
  if (IsSystem(actor)) return entries;
  const Principal& p = *actor.principal;
  std::vector<Entry> visible;
  for (Entry& entry : entries) {
    const bool in_scope = entry.org_path.empty() ? AtHeadOffice(p) : p.Covers(entry.org_path);
    if (in_scope) visible.push_back(std::move(entry));
  }
  return visible;
}

}  // namespace anxin::ledger
