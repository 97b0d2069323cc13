#pragma once

#include <string>
#include <vector>

#include "common/actor.hpp"
#include "common/status.hpp"
#include "ledger/ledger.hpp"
#include "storage/database.hpp"

namespace anxin::ledger {

inline constexpr const char* kPermLedgerRead = "ledger.read";

// Authorised reading of the ledger, for the routes and other callers acting for a user.
//
// Returns the company-wide trial balance. Needs ledger.read and a head-office member (or a system
// actor): the trial balance sums every organisation's money, so a branch may not see it
// (kPermissionDenied "head_office_only"). kUnauthenticated for anonymous actors.
Result<TrialBalance> ReadTrialBalance(const Ledger& ledger, storage::Database& db, const Actor& actor);

// Returns the entries for a reference that the caller may see (ledger.read): those whose
// organisation lies in the caller's subtree; company-level entries (no organisation) only for the
// head office. Entries outside the scope are left out, so an empty list does not tell whether any
// exist. System actors see all.
Result<std::vector<Entry>> ReadEntries(const Ledger& ledger, storage::Database& db, const Actor& actor,
                                       const std::string& ref_type, const std::string& ref_id);

}  // namespace anxin::ledger
