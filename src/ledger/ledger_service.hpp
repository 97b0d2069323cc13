#pragma once

#include <string>
#include <vector>

#include "common/actor.hpp"
#include "common/status.hpp"
#include "ledger/ledger.hpp"
#include "storage/database.hpp"

namespace anxin::ledger {

inline constexpr const char* kPermLedgerRead = "ledger.read";

// Authorised reading of the ledger, for the routes and other callers acting for a user. The
// scope is applied in SQL: a caller never receives a row it may not see. Thread-safe; `db` and
// `ledger` must outlive the service.
class LedgerService {
 public:
  LedgerService(storage::Database& db, const Ledger& ledger) : db_(db), ledger_(ledger) {}

  // Returns the company-wide trial balance. Needs staff with ledger.read at the head office (or a
  // system actor): the trial balance sums every organisation's money, so a branch may not see it
  // (kPermissionDenied "head_office_only"). kUnauthenticated for anonymous actors.
  [[nodiscard]] Result<TrialBalance> TrialBalanceFor(const Actor& actor) const;

  // Returns the entries for a reference that the caller may see (staff with ledger.read): those
  // whose organisation lies in the caller's subtree; company-level entries (no organisation) only
  // for the head office. Entries outside the scope are left out, so an empty list does not tell
  // whether any exist. System actors see all.
  [[nodiscard]] Result<std::vector<Entry>> Entries(const Actor& actor, RefType ref_type,
                                                   const std::string& ref_id) const;

 private:
  storage::Database& db_;
  const Ledger& ledger_;
};

}  // namespace anxin::ledger
