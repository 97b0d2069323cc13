#pragma once

#include <string>
#include <vector>

#include "common/clock.hpp"
#include "identity/directory.hpp"
#include "ledger/ledger.hpp"

namespace anxin::ledger {

// The ledger in SQL (tables of migration 0007_ledger.sql; one text for SQLite and PostgreSQL).
// Stateless apart from the clock; thread-safe.
class SqlLedger final : public Ledger {
 public:
  // `clock` stamps entries; organisations are read through `directory`. Both must outlive the
  // ledger.
  explicit SqlLedger(const Clock& clock, const identity::Directory& directory = identity::SqlDirectory())
      : clock_(clock), directory_(directory) {}

  // Checks the entry with CheckEntry before any statement runs (a failed statement would spend the
  // caller's Tx), then inserts it: one SELECT of the organisation's path unless the entry brings
  // it (kInternal if `org_id` is set and names no organisation) and the entry with its lines (on
  // PostgreSQL one statement, deferred: storage::ExecDeferred). Fit for the SQLite writer
  // thread. The actor is recorded as the user id, "system:<name>" or "anonymous".
  Result<std::string> Post(storage::Tx& tx, const Actor& actor, const Entry& entry) const override;
  // Sums every account of the chart (zero for unused ones) in one query, ordered by code.
  Result<TrialBalance> Balance(storage::Database& db) const override;
  // Returns the entries for the reference in `scope` with their lines, oldest first, with id,
  // at_ms, actor_id and org_path filled; the scope is a condition of the query.
  using Ledger::EntriesFor;
  Result<std::vector<Entry>> EntriesFor(storage::Database& db, RefType ref_type, const std::string& ref_id,
                                        const OrgScope& scope) const override;

 private:
  const Clock& clock_;
  const identity::Directory& directory_;
};

}  // namespace anxin::ledger
