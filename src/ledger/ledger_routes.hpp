#pragma once

#include "http/router.hpp"
#include "ledger/ledger.hpp"
#include "storage/database.hpp"

namespace anxin::ledger {

// Registers the ledger reading API on `router` (both need ledger.read; scope rules are
// ReadTrialBalance's and ReadEntries'):
//   GET /api/v1/ledger/trial-balance                  company-wide sums per account (head office)
//   GET /api/v1/ledger/entries?ref_type=&ref_id=      the entries posted for a reference
// `db` and `ledger` must outlive the router.
void RegisterLedgerRoutes(http::Router& router, storage::Database& db, const Ledger& ledger);

}  // namespace anxin::ledger
