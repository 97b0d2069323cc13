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
  std::string state;  // "done" ("pending" only in rows left by versions before migration 0014)
  int status = 0;
  std::string content_type;
  std::string response_body;     // base64
  std::string response_headers;  // JSON array of [name, value]
  int64_t created_at = 0;
  int64_t expires_at = 0;
};

// An answer to store under (`scope`, `key`).
struct StoredAnswer {
  std::string scope;
  std::string key;
  std::string method;
  std::string path;
  std::string body_hash;
  int status = 0;
  std::string content_type;
  std::string body_base64;
  std::string headers_json;
  int64_t created_at = 0;
  int64_t expires_at = 0;
};

// Returns the row for (`scope`, `key`), or nullopt.
Result<std::optional<KeyRow>> Find(storage::Tx& tx, const std::string& scope, const std::string& key);
// Stores `answer`, replacing a row for its key that expired at `now_ms` (or a pending claim of an
// older version); returns false, changing nothing, when a live row holds the key.
Result<bool> Store(storage::Tx& tx, const StoredAnswer& answer, int64_t now_ms);
// Deletes rows expired at `now_ms`; returns how many.
Result<int64_t> DeleteExpired(storage::Tx& tx, int64_t now_ms);

}  // namespace anxin::idempotency::store
