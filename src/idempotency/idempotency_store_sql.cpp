#include "idempotency/idempotency_store.hpp"

namespace anxin::idempotency::store {

Result<std::optional<KeyRow>> Find(storage::Tx& tx, const std::string& scope, const std::string& key) {
  ANXIN_ASSIGN_OR_RETURN(
      std::optional<storage::Row> row,
      tx.QueryOne("SELECT method, path, body_hash, state, status, content_type, response_body, "
                  "response_headers, created_at, expires_at FROM idempotency_keys "
                  "WHERE scope = ? AND key = ?",
                  {scope, key}));
  if (!row) return std::optional<KeyRow>();
  KeyRow k;
  k.method = row->Text(0);
  k.path = row->Text(1);
  k.body_hash = row->Text(2);
  k.state = row->Text(3);
  k.status = static_cast<int>(row->Int(4));
  k.content_type = row->Text(5);
  k.response_body = row->Text(6);
  k.response_headers = row->Text(7);
  k.created_at = row->Int(8);
  k.expires_at = row->Int(9);
  return std::optional<KeyRow>(std::move(k));
}

Result<bool> Store(storage::Tx& tx, const StoredAnswer& a, int64_t now_ms) {
  // On PostgreSQL a concurrent insert of the same key waits here for the other transaction, then
  // sees its row (live: nothing changes) or its absence.
  ANXIN_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec("INSERT INTO idempotency_keys (scope, key, method, path, body_hash, state, status, "
              "content_type, response_body, response_headers, created_at, expires_at) "
              "VALUES (?, ?, ?, ?, ?, 'done', ?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (scope, key) DO UPDATE SET method = excluded.method, path = excluded.path, "
              "body_hash = excluded.body_hash, state = 'done', status = excluded.status, "
              "content_type = excluded.content_type, response_body = excluded.response_body, "
              "response_headers = excluded.response_headers, created_at = excluded.created_at, "
              "expires_at = excluded.expires_at "
              "WHERE idempotency_keys.expires_at <= ? OR idempotency_keys.state = 'pending'",
              {a.scope, a.key, a.method, a.path, a.body_hash, static_cast<int64_t>(a.status), a.content_type,
               a.body_base64, a.headers_json, a.created_at, a.expires_at, now_ms}));
  return changed == 1;
}

Result<int64_t> DeleteExpired(storage::Tx& tx, int64_t now_ms) {
  return tx.Exec("DELETE FROM idempotency_keys WHERE expires_at <= ?", {now_ms});
}

}  // namespace anxin::idempotency::store
