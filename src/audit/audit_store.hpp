#pragma once

// The SQL behind AuditLog (internal to the audit module; one implementation for both dialects).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "common/status.hpp"
#include "storage/database.hpp"

namespace anxin::audit::store {

struct ChainHead {
  int64_t last_seq = 0;
  std::string last_hash;
};

// Reads the chain head and locks it until `tx` ends (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
// single writer already serialises write transactions). kInternal if the head row is missing.
Result<ChainHead> LockChainHead(storage::Tx& tx);
// Moves the chain head to the record `seq` with `hash`.
Status AdvanceChainHead(storage::Tx& tx, int64_t seq, const std::string& hash);
// Returns the org path of organisation `org_id`, or nullopt if there is none.
Result<std::optional<std::string>> FindOrgPath(storage::Tx& tx, const std::string& org_id);
// Inserts a complete record.
Status InsertRecord(storage::Tx& tx, const AuditRecord& record);
// Returns records matching `filter` by ascending seq; `filter.limit` must already be in range.
Result<std::vector<AuditRecord>> SelectRecords(storage::Tx& tx, const AuditFilter& filter);

// The chain head together with the highest stored seq, read in one statement (one snapshot).
struct ChainState {
  ChainHead head;
  std::optional<int64_t> max_seq;  // nullopt when there are no records
};
Result<ChainState> ReadChainState(storage::Tx& tx);
// Returns up to `limit` records with after_seq < seq <= up_to_seq by ascending seq.
Result<std::vector<AuditRecord>> SelectRange(storage::Tx& tx, int64_t after_seq, int64_t up_to_seq,
                                             int limit);

}  // namespace anxin::audit::store
