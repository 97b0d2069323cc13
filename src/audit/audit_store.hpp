#pragma once

// The SQL behind AuditLog (internal to the audit module; one implementation for both dialects
// where the SQL allows).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "common/status.hpp"
#include "storage/database.hpp"
#include "storage/deferred.hpp"

namespace anxin::audit::store {

// A chain head as stored.
struct StoredHead {
  ChainHead head;
  std::string head_mac;  // "" on a chain not appended to since migration 0015 created it
};

// The chain a transaction appends to, locked until the transaction ends, with what the next records
// need from the database.
struct LockedChain {
  ChainHead head;
  std::vector<int64_t> next_seqs;  // the seqs of the records about to be appended, ascending
};

// Locks a chain for `tx` and returns its head, with a seq for each of the `count` records about to
// be appended. PostgreSQL: the chain this
// transaction already holds, else the first chain no other transaction holds (FOR UPDATE SKIP
// LOCKED: never waits), else a new chain. SQLite: chain 1 (the single writer serialises write
// transactions). One statement in the common case. kInternal if SQLite's chain 1 is missing.
Result<LockedChain> LockChain(storage::Tx& tx, size_t count);
// LockChain in two steps, so that the lock goes to PostgreSQL with the transaction's next
// statement (storage::QueryAhead) rather than in a round trip of its own: LockChainAhead sends it,
// TakeChain returns the chain (creating one when every chain was held).
Result<ChainAhead> LockChainAhead(storage::Tx& tx, size_t count);
Result<LockedChain> TakeChain(storage::Tx& tx, const ChainAhead& ahead);
// Locks chain `chain_id` for `tx` (waiting for a transaction that holds it) and returns its stored
// head, or nullopt if there is no such chain.
Result<std::optional<StoredHead>> LockChainById(storage::Tx& tx, int64_t chain_id);
// Inserts `records` (complete, consecutive in one chain) and moves their chain's head to the last,
// with `head_mac`, provided the head is still where the first record follows (else kInternal:
// a chain never forks). One statement on PostgreSQL, deferred (storage::ExecDeferred: its failure, a
// missing head row included, comes back from the transaction's next statement or its commit), two
// on SQLite.
Status AppendRecords(storage::Tx& tx, const std::vector<AuditRecord>& records, const std::string& head_mac);
// Returns records matching `filter` by ascending seq; `filter.limit` must already be in range.
Result<std::vector<AuditRecord>> SelectRecords(storage::Tx& tx, const AuditFilter& filter);

// Every chain head, by chain id.
Result<std::vector<StoredHead>> SelectHeads(storage::Tx& tx);
// What the records of one chain span.
struct ChainExtent {
  int64_t chain_id = 0;
  int64_t records = 0;
  int64_t max_chain_seq = 0;
  int64_t min_seq = 0;
};
// The extent of every chain that has records, by chain id.
Result<std::vector<ChainExtent>> SelectExtents(storage::Tx& tx);
// The highest seq stored (0 when there are no records).
Result<int64_t> MaxSeq(storage::Tx& tx);
// The seq of the first record of `chain_id` past `chain_seq`, if any.
Result<std::optional<int64_t>> FirstSeqPast(storage::Tx& tx, int64_t chain_id, int64_t chain_seq);
// Returns up to `limit` records with after_seq < seq <= up_to_seq by ascending seq.
Result<std::vector<AuditRecord>> SelectRange(storage::Tx& tx, int64_t after_seq, int64_t up_to_seq,
                                             int limit);

}  // namespace anxin::audit::store
