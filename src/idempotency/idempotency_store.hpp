#pragma once

// The SQL behind IdempotencyStore (internal to the idempotency module; both dialects).

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.hpp"
#include "storage/database.hpp"

namespace anxin::idempotency::store {

// A stored key as the table holds it.
struct KeyRow {
  std::string method;
  std::string path;
  std::string body_hash;
  std::string state;  // "pending" or "done"
  int status = 0;
  std::string content_type;
  std::string response_body;     // base64
  std::string response_headers;  // JSON array of [name, value]
  int64_t created_at = 0;
  int64_t expires_at = 0;
};

// A new pending claim.
struct Claim {
  std::string scope;
  std::string key;
  std::string method;
  std::string path;
  std::string body_hash;
  int64_t created_at = 0;
  int64_t expires_at = 0;
};

// Returns the row for (`scope`, `key`), or nullopt.
Result<std::optional<KeyRow>> Find(storage::Tx& tx, const std::string& scope, const std::string& key);
// Inserts `claim`; returns false if a row for its key exists (a concurrent claim won).
Result<bool> InsertClaim(storage::Tx& tx, const Claim& claim);
// Overwrites the row for the claim's key with `claim` if that row is unchanged since it was read
// (its created_at is still `seen_created_at`); returns false otherwise.
Result<bool> ReplaceClaim(storage::Tx& tx, const Claim& claim, int64_t seen_created_at);
// Completes the pending claim for (`scope`, `key`) made by a request with `body_hash`; returns
// false if there is no such claim.
Result<bool> Complete(storage::Tx& tx, const std::string& scope, const std::string& key,
                      const std::string& body_hash, int status, const std::string& content_type,
                      const std::string& body_base64, const std::string& headers_json);
// Deletes the pending claim for (`scope`, `key`) made by a request with `body_hash`.
Status Release(storage::Tx& tx, const std::string& scope, const std::string& key,
               const std::string& body_hash);
// Deletes rows expired at `now_ms`; returns how many.
Result<int64_t> DeleteExpired(storage::Tx& tx, int64_t now_ms);

}  // namespace anxin::idempotency::store
