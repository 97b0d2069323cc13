#pragma once

#include "http/router.hpp"
#include "ledger/ledger_service.hpp"

namespace anxin::ledger {

// Registers the ledger reading API on `router` (both need ledger.read; scope rules are
// LedgerService's):
//   GET /api/v1/ledger/trial-balance                  company-wide sums per account (head office)
//   GET /api/v1/ledger/entries?ref_type=&ref_id=      the entries posted for a reference
// `ledger` must outlive the router.
void RegisterLedgerRoutes(http::Router& router, const LedgerService& ledger);

}  // namespace anxin::ledger
