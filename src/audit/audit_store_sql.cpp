#include <string>
#include <vector>

#include "audit/audit_store.hpp"

namespace anxin::audit::store {
namespace {

constexpr const char* kRecordColumns =
    "seq, at_ms, actor_id, actor_role, actor_org_id, action, object_type, object_id, org_id, org_path, "
    "summary, result, request_id, client_address, prev_hash, hash";

AuditRecord RecordFromRow(const storage::Row& row) {
  AuditRecord r;
  r.seq = row.Int(0);
  r.at_ms = row.Int(1);
  r.actor_id = row.Text(2);
  r.actor_role = row.Text(3);
  r.actor_org_id = row.Text(4);
  r.action = row.Text(5);
  r.object_type = row.Text(6);
  r.object_id = row.Text(7);
  r.org_id = row.Text(8);
  r.org_path = row.Text(9);
  r.summary = row.Text(10);
  r.result = row.Text(11);
  r.request_id = row.Text(12);
  r.client_address = row.Text(13);
  r.prev_hash = row.Text(14);
  r.hash = row.Text(15);
  return r;
}

Result<std::vector<AuditRecord>> RunRecordQuery(storage::Tx& tx, const std::string& sql,
                                                const std::vector<storage::Value>& params) {
  ANXIN_ASSIGN_OR_RETURN(std::vector<storage::Row> rows, tx.Query(sql, params));
  std::vector<AuditRecord> out;
  out.reserve(rows.size());
  for (const storage::Row& row : rows) out.push_back(RecordFromRow(row));
  return out;
}

}  // namespace

Result<ChainHead> LockChainHead(storage::Tx& tx) {
  const char* sql = tx.dialect() == storage::Dialect::kPostgres
                        ? "SELECT last_seq, last_hash FROM audit_chain WHERE id = 1 FOR UPDATE"
                        : "SELECT last_seq, last_hash FROM audit_chain WHERE id = 1";
  ANXIN_ASSIGN_OR_RETURN(std::optional<storage::Row> row, tx.QueryOne(sql));
  if (!row) return Status::Internal("audit_chain head row is missing (migration 0002 not applied?)");
  return ChainHead{row->Int(0), row->Text(1)};
}

Status AdvanceChainHead(storage::Tx& tx, int64_t seq, const std::string& hash) {
  ANXIN_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec("UPDATE audit_chain SET last_seq = ?, last_hash = ? WHERE id = 1", {seq, hash}));
  if (changed != 1) return Status::Internal("audit_chain head row is missing");
  return Status::Ok();
}

Result<std::optional<std::string>> FindOrgPath(storage::Tx& tx, const std::string& org_id) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<storage::Row> row,
                         tx.QueryOne("SELECT path FROM orgs WHERE id = ?", {org_id}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->Text(0));
}

Status InsertRecord(storage::Tx& tx, const AuditRecord& r) {
  std::vector<storage::Value> params = {r.seq,          r.at_ms,          r.actor_id,    r.actor_role,
                                        r.actor_org_id, r.action,         r.object_type, r.object_id,
                                        r.org_id,       r.org_path,       r.summary,     r.result,
                                        r.request_id,   r.client_address, r.prev_hash,   r.hash};
  ANXIN_ASSIGN_OR_RETURN(int64_t changed,
                         tx.Exec(std::string("INSERT INTO audit_events (") + kRecordColumns +
                                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 params));
  (void)changed;
  return Status::Ok();
}

Result<std::vector<AuditRecord>> SelectRecords(storage::Tx& tx, const AuditFilter& filter) {
  std::string sql = std::string("SELECT ") + kRecordColumns + " FROM audit_events WHERE seq > ?";
  std::vector<storage::Value> params = {filter.after_seq};
  if (filter.from_ms) {
    sql += " AND at_ms >= ?";
    params.emplace_back(*filter.from_ms);
  }
  if (filter.to_ms) {
    sql += " AND at_ms < ?";
    params.emplace_back(*filter.to_ms);
  }
  auto equals = [&](const char* column, const std::optional<std::string>& value) {
    if (!value) return;
    sql += std::string(" AND ") + column + " = ?";
    params.emplace_back(*value);
  };
  equals("actor_id", filter.actor_id);
  equals("action", filter.action);
  equals("object_type", filter.object_type);
  equals("object_id", filter.object_id);
  if (!filter.scope_org_path.empty()) {
    // An exact, case-sensitive prefix test on both backends (SQLite's LIKE ignores ASCII case).
    sql += " AND substr(org_path, 1, CAST(? AS INTEGER)) = CAST(? AS TEXT)";
    params.emplace_back(static_cast<int64_t>(filter.scope_org_path.size()));
    params.emplace_back(filter.scope_org_path);
  }
  sql += " ORDER BY seq LIMIT CAST(? AS INTEGER)";
  params.emplace_back(static_cast<int64_t>(filter.limit));
  return RunRecordQuery(tx, sql, params);
}

Result<ChainState> ReadChainState(storage::Tx& tx) {
  ANXIN_ASSIGN_OR_RETURN(
      std::optional<storage::Row> row,
      tx.QueryOne(
          "SELECT c.last_seq, c.last_hash, (SELECT MAX(e.seq) FROM audit_events e) FROM audit_chain c "
          "WHERE c.id = 1"));
  if (!row) return Status::Internal("audit_chain head row is missing (migration 0002 not applied?)");
  return ChainState{ChainHead{row->Int(0), row->Text(1)}, row->OptInt(2)};
}

Result<std::vector<AuditRecord>> SelectRange(storage::Tx& tx, int64_t after_seq, int64_t up_to_seq,
                                             int limit) {
  return RunRecordQuery(
      tx,
      std::string("SELECT ") + kRecordColumns +
          " FROM audit_events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT CAST(? AS INTEGER)",
      {after_seq, up_to_seq, static_cast<int64_t>(limit)});
}

}  // namespace anxin::audit::store
