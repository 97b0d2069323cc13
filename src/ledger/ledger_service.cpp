#include "ledger/ledger_service.hpp"

#include "common/access.hpp"

namespace anxin::ledger {

Result<TrialBalance> LedgerService::TrialBalanceFor(const Actor& actor) const {
  ANXIN_RETURN_IF_ERROR(RequireStaff(actor, kPermLedgerRead));
  ANXIN_RETURN_IF_ERROR(RequireRoot(actor));
  return ledger_.Balance(db_);
}

Result<std::vector<Entry>> LedgerService::Entries(const Actor& actor, RefType ref_type,
                                                  const std::string& ref_id) const {
  ANXIN_RETURN_IF_ERROR(RequireStaff(actor, kPermLedgerRead));
  return ledger_.EntriesFor(db_, ref_type, ref_id, ScopeWithCompanyLevel(actor));
}

}  // namespace anxin::ledger
