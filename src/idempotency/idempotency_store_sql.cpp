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

Result<bool> InsertClaim(storage::Tx& tx, const Claim& c) {
  ANXIN_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec(
          "INSERT INTO idempotency_keys (scope, key, method, path, body_hash, state, created_at, expires_at) "
          "VALUES (?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (scope, key) DO NOTHING",
          {c.scope, c.key, c.method, c.path, c.body_hash, c.created_at, c.expires_at}));
  return changed == 1;
}

Result<bool> ReplaceClaim(storage::Tx& tx, const Claim& c, int64_t seen_created_at) {
  ANXIN_ASSIGN_OR_RETURN(int64_t changed, tx.Exec("UPDATE idempotency_keys SET method = ?, path = ?, "
                                                  "body_hash = ?, state = 'pending', status = NULL, "
                                                  "content_type = NULL, response_body = NULL, "
                                                  "response_headers = NULL, created_at = ?, expires_at = ? "
                                                  "WHERE scope = ? AND key = ? AND created_at = ?",
                                                  {c.method, c.path, c.body_hash, c.created_at, c.expires_at,
                                                   c.scope, c.key, seen_created_at}));
  return changed == 1;
}

Result<bool> Complete(storage::Tx& tx, const std::string& scope, const std::string& key,
                      const std::string& body_hash, int status, const std::string& content_type,
                      const std::string& body_base64, const std::string& headers_json) {
  ANXIN_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec(
          "UPDATE idempotency_keys SET state = 'done', status = ?, content_type = ?, response_body = ?, "
          "response_headers = ? WHERE scope = ? AND key = ? AND state = 'pending' AND body_hash = ?",
          {static_cast<int64_t>(status), content_type, body_base64, headers_json, scope, key, body_hash}));
  return changed == 1;
}

Status Release(storage::Tx& tx, const std::string& scope, const std::string& key,
               const std::string& body_hash) {
  ANXIN_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec(
          "DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND state = 'pending' AND body_hash = ?",
          {scope, key, body_hash}));
  (void)changed;
  return Status::Ok();
}

Result<int64_t> DeleteExpired(storage::Tx& tx, int64_t now_ms) {
  return tx.Exec("DELETE FROM idempotency_keys WHERE expires_at <= ?", {now_ms});
}

}  // namespace anxin::idempotency::store
