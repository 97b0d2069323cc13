#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/actor.hpp"
#include "common/clock.hpp"
#include "common/status.hpp"
#include "storage/database.hpp"

namespace anxin::audit {

// One state change, as a service reports it.
struct AuditEntry {
  std::string action;       // "org.create", "user.create", "session.login", "pii.reveal", ...
  std::string object_type;  // "org", "user", "product", ...
  std::string object_id;
  std::string org_id;       // the organisation node the object belongs to (for scoped queries)
  nlohmann::json summary = nlohmann::json::object();  // what changed; never clear-text personal data
  std::string result = "ok";
};

// A stored, chained audit record.
struct AuditRecord {
  int64_t seq = 0;
  int64_t at_ms = 0;
  std::string actor_id;  // user id, or "system:<name>", or "anonymous"
  std::string actor_role;
  std::string actor_org_id;
  std::string action;
  std::string object_type;
  std::string object_id;
  std::string org_id;
  std::string org_path;
  std::string summary;  // JSON text
  std::string result;
  std::string request_id;
  std::string client_address;
  std::string prev_hash;
  std::string hash;
};

struct AuditFilter {
  std::optional<int64_t> from_ms, to_ms;
  std::optional<std::string> actor_id, action, object_type, object_id;
  std::string scope_org_path;  // only records whose org_path starts with this ("" = all)
  int64_t after_seq = 0;       // paging: records with seq > after_seq
  int limit = 100;
};

// Verification outcome: ok, or the first record whose link is broken.
struct VerifyReport {
  bool ok = true;
  int64_t records = 0;
  std::optional<int64_t> first_broken_seq;
  std::string problem;
};

// The hash-chained audit log. Records are appended inside the caller's transaction, so a change
// and its audit record commit together or not at all. Each record's hash is
// SHA-256(prev_hash || canonical fields); the chain head is locked while appending, so concurrent
// transactions (and several nodes on PostgreSQL) append in a strict order. Thread-safe.
class AuditLog {
 public:
  explicit AuditLog(const Clock& clock) : clock_(clock) {}

  // Appends `entry` done by `actor` within `tx`.
  Status Append(storage::Tx& tx, const Actor& actor, const AuditEntry& entry) const;
  // Returns records matching `filter`, oldest first.
  Result<std::vector<AuditRecord>> Query(storage::Database& db, const AuditFilter& filter) const;
  // Walks the whole chain and reports the first broken link.
  Result<VerifyReport> Verify(storage::Database& db) const;

 private:
  const Clock& clock_;
};

}  // namespace anxin::audit
