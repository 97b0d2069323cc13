#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "audit/audit_store.hpp"
#include "storage/deferred.hpp"
#include "storage/sql_filter.hpp"

namespace anxin::audit::store {
namespace {

using storage::Dialect;
using storage::Row;
using storage::Tx;
using storage::Value;

constexpr const char* kRecordColumns =
    "seq, chain_id, chain_seq, hash_version, at_ms, actor_id, actor_role, actor_org_id, action, "
    "object_type, object_id, org_id, org_path, summary, result, request_id, client_address, prev_hash, "
    "hash";

// The columns that give each of `count` records its seq (PostgreSQL).
std::string SeqColumns(size_t count) {
  std::string sql;
  for (size_t i = 0; i < count; ++i) sql += ", nextval('audit_events_seq')";
  return sql;
}

// PostgreSQL: the chain this transaction already holds (its head row version was written by this
// transaction), else the first one nobody holds. SKIP LOCKED never waits for another transaction.
std::string LockFreeChainPostgres(size_t count) {
  return "SELECT c.chain_id, c.last_seq, c.last_hash" + SeqColumns(count) +
         " FROM (SELECT chain_id, last_seq, last_hash FROM audit_chains "
         "ORDER BY (xmin = pg_current_xact_id()::xid) DESC, chain_id LIMIT 1 FOR UPDATE SKIP LOCKED) c";
}

// PostgreSQL, when every chain is held: a new one (invisible to others until this commits).
std::string CreateChainPostgres(size_t count) {
  return "WITH c AS (INSERT INTO audit_chains (chain_id, last_seq, last_hash, head_mac) "
         "VALUES (nextval('audit_chain_ids'), 0, ?, '') RETURNING chain_id, last_seq, last_hash) "
         "SELECT c.chain_id, c.last_seq, c.last_hash" +
         SeqColumns(count) + " FROM c";
}

// SQLite: one writer, one chain; the seqs follow the highest row id.
constexpr const char* kLockChainSqlite =
    "SELECT chain_id, last_seq, last_hash, (SELECT COALESCE(MAX(seq), 0) FROM audit_events) "
    "FROM audit_chains WHERE chain_id = 1";

AuditRecord RecordFromRow(const Row& row) {
  AuditRecord r;
  r.seq = row.Int(0);
  r.chain_id = row.Int(1);
  r.chain_seq = row.Int(2);
  r.hash_version = row.Int(3);
  r.at_ms = row.Int(4);
  r.actor_id = row.Text(5);
  r.actor_role = row.Text(6);
  r.actor_org_id = row.Text(7);
  r.action = row.Text(8);
  r.object_type = row.Text(9);
  r.object_id = row.Text(10);
  r.org_id = row.Text(11);
  r.org_path = row.Text(12);
  r.summary = row.Text(13);
  r.result = row.Text(14);
  r.request_id = row.Text(15);
  r.client_address = row.Text(16);
  r.prev_hash = row.Text(17);
  r.hash = row.Text(18);
  return r;
}

Result<std::vector<AuditRecord>> RunRecordQuery(Tx& tx, const std::string& sql,
                                                const std::vector<Value>& params) {
  ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(sql, params));
  std::vector<AuditRecord> out;
  out.reserve(rows.size());
  for (const Row& row : rows) out.push_back(RecordFromRow(row));
  return out;
}

constexpr size_t kInsertParams = 19;
// Moves a head on only from where the records appended follow, so a chain never forks.
constexpr const char* kAdvanceHead =
    "UPDATE audit_chains SET last_seq = ?, last_hash = ?, head_mac = ? WHERE chain_id = ? AND last_seq = ?";

constexpr const char* kRecordPlaceholders = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

LockedChain LockedFromRow(const Row& row, size_t count, Dialect dialect) {
  LockedChain locked;
  locked.head = ChainHead{row.Int(0), row.Int(1), row.Text(2)};
  size_t column = 3;
  if (dialect == Dialect::kPostgres) {
    for (size_t i = 0; i < count; ++i) locked.next_seqs.push_back(row.Int(column++));
    std::sort(locked.next_seqs.begin(), locked.next_seqs.end());
  } else {
    const int64_t max_seq = row.Int(column++);
    for (size_t i = 0; i < count; ++i) locked.next_seqs.push_back(max_seq + 1 + static_cast<int64_t>(i));
  }
  return locked;
}

}  // namespace

Result<ChainAhead> LockChainAhead(Tx& tx, size_t count) {
  ChainAhead ahead;
  ahead.count = count;
  ANXIN_ASSIGN_OR_RETURN(
      ahead.query, storage::QueryAhead(tx, tx.dialect() == Dialect::kSqlite ? std::string(kLockChainSqlite)
                                                                            : LockFreeChainPostgres(count)));
  return ahead;
}

Result<LockedChain> TakeChain(Tx& tx, const ChainAhead& ahead) {
  ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, storage::TakeAhead(tx, ahead.query));
  if (tx.dialect() == Dialect::kSqlite) {
    if (rows.empty()) return Status::Internal("audit chain 1 is missing (migration 0015 not applied?)");
    return LockedFromRow(rows.front(), ahead.count, Dialect::kSqlite);
  }
  if (rows.empty()) {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row,
                           tx.QueryOne(CreateChainPostgres(ahead.count), {std::string(kGenesisHash)}));
    if (!row) return Status::Internal("audit: a new chain could not be created");
    return LockedFromRow(*row, ahead.count, Dialect::kPostgres);
  }
  return LockedFromRow(rows.front(), ahead.count, Dialect::kPostgres);
}

Result<LockedChain> LockChain(Tx& tx, size_t count) {
  ANXIN_ASSIGN_OR_RETURN(ChainAhead ahead, LockChainAhead(tx, count));
  return TakeChain(tx, ahead);
}

Result<std::optional<StoredHead>> LockChainById(Tx& tx, int64_t chain_id) {
  const char* sql =
      tx.dialect() == Dialect::kPostgres
          ? "SELECT chain_id, last_seq, last_hash, head_mac FROM audit_chains "
            "WHERE chain_id = ? FOR UPDATE"
          : "SELECT chain_id, last_seq, last_hash, head_mac FROM audit_chains WHERE chain_id = ?";
  ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row, tx.QueryOne(sql, {chain_id}));
  if (!row) return std::optional<StoredHead>();
  return std::optional<StoredHead>(
      StoredHead{ChainHead{row->Int(0), row->Int(1), row->Text(2)}, row->Text(3)});
}

Status AppendRecords(Tx& tx, const std::vector<AuditRecord>& records, const std::string& head_mac) {
  if (records.empty()) return Status::Ok();
  std::string insert = std::string("INSERT INTO audit_events (") + kRecordColumns + ") VALUES ";
  std::vector<Value> params;
  params.reserve(records.size() * kInsertParams + 5);
  for (size_t i = 0; i < records.size(); ++i) {
    const AuditRecord& r = records[i];
    insert += i == 0 ? kRecordPlaceholders : std::string(", ") + kRecordPlaceholders;
    params.insert(params.end(),
                  {r.seq, r.chain_id, r.chain_seq, r.hash_version, r.at_ms, r.actor_id, r.actor_role,
                   r.actor_org_id, r.action, r.object_type, r.object_id, r.org_id, r.org_path, r.summary,
                   r.result, r.request_id, r.client_address, r.prev_hash, r.hash});
  }
  const AuditRecord& last = records.back();
  params.insert(params.end(),
                {last.chain_seq, last.hash, head_mac, last.chain_id, records.front().chain_seq - 1});
  if (tx.dialect() == Dialect::kPostgres) {
    // One statement for both, deferred (storage::ExecDeferred: it goes in the round trip of the
    // transaction's next statement or its COMMIT). It must fail when the head row is missing or
    // has moved, since nobody looks at its count: 1 / COUNT(*) divides by zero then (SQLSTATE
    // 22012, kInternal).
    return storage::ExecDeferred(
        tx, "WITH r AS (" + insert + "), h AS (" + kAdvanceHead + " RETURNING 1) SELECT 1 / COUNT(*) FROM h",
        params);
  }
  const std::span<const Value> all(params);
  const size_t inserted = records.size() * kInsertParams;
  ANXIN_RETURN_IF_ERROR(tx.Exec(insert, all.first(inserted)).status());
  ANXIN_ASSIGN_OR_RETURN(int64_t advanced, tx.Exec(kAdvanceHead, all.subspan(inserted)));
  if (advanced != 1) {
    return Status::Internal("audit chain " + std::to_string(last.chain_id) + " has no head row at " +
                            std::to_string(records.front().chain_seq - 1));
  }
  return Status::Ok();
}

Result<std::vector<AuditRecord>> SelectRecords(Tx& tx, const AuditFilter& filter) {
  storage::SqlFilter where;
  where.Where("seq > ?", {filter.after_seq});
  if (filter.from_ms) where.Where("at_ms >= ?", {*filter.from_ms});
  if (filter.to_ms) where.Where("at_ms < ?", {*filter.to_ms});
  where.Equals("actor_id", filter.actor_id)
      .Equals("action", filter.action)
      .Equals("object_type", filter.object_type)
      .Equals("object_id", filter.object_id)
      .InScope("org_path", filter.scope)
      .Bind(static_cast<int64_t>(filter.limit));
  const std::string sql = std::string("SELECT ") + kRecordColumns + " FROM audit_events" + where.WhereSql() +
                          " ORDER BY seq LIMIT CAST(? AS INTEGER)";
  return RunRecordQuery(tx, sql, where.params());
}

Result<std::vector<StoredHead>> SelectHeads(Tx& tx) {
  ANXIN_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query("SELECT chain_id, last_seq, last_hash, head_mac FROM audit_chains ORDER BY chain_id"));
  std::vector<StoredHead> heads;
  heads.reserve(rows.size());
  for (const Row& row : rows) {
    heads.push_back(StoredHead{ChainHead{row.Int(0), row.Int(1), row.Text(2)}, row.Text(3)});
  }
  return heads;
}

Result<std::vector<ChainExtent>> SelectExtents(Tx& tx) {
  ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows,
                         tx.Query("SELECT chain_id, COUNT(*), MAX(chain_seq), MIN(seq) FROM audit_events "
                                  "GROUP BY chain_id ORDER BY chain_id"));
  std::vector<ChainExtent> extents;
  extents.reserve(rows.size());
  for (const Row& row : rows) extents.push_back(ChainExtent{row.Int(0), row.Int(1), row.Int(2), row.Int(3)});
  return extents;
}

Result<int64_t> MaxSeq(Tx& tx) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row, tx.QueryOne("SELECT MAX(seq) FROM audit_events"));
  return row ? row->Int(0) : 0;
}

Result<std::optional<int64_t>> FirstSeqPast(Tx& tx, int64_t chain_id, int64_t chain_seq) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row,
                         tx.QueryOne("SELECT MIN(seq) FROM audit_events WHERE chain_id = ? AND chain_seq > ?",
                                     {chain_id, chain_seq}));
  if (!row) return std::optional<int64_t>();
  return row->OptInt(0);
}

Result<std::vector<AuditRecord>> SelectRange(Tx& tx, int64_t after_seq, int64_t up_to_seq, int limit) {
  return RunRecordQuery(
      tx,
      std::string("SELECT ") + kRecordColumns +
          " FROM audit_events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT CAST(? AS INTEGER)",
      {after_seq, up_to_seq, static_cast<int64_t>(limit)});
}

}  // namespace anxin::audit::store
