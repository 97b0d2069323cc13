#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/actor.hpp"
#include "common/clock.hpp"
#include "common/status.hpp"
#include "storage/database.hpp"

namespace anxin::audit {

// The `prev_hash` of the first record.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";
// The most records one Query returns.
inline constexpr int kMaxQueryLimit = 500;

// One state change, as a service reports it.
struct AuditEntry {
  std::string action;       // "org.create", "user.create", "session.login", "pii.reveal", ...
  std::string object_type;  // "org", "user", "product", ...
  std::string object_id;
  std::string org_id;  // the organisation node the object belongs to (for scoped queries)
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

  // Appends `entry` done by `actor` within `tx`: the record commits or rolls back with the
  // caller's work. The actor is recorded as the principal's user id, roles (joined by ',') and
  // org id, or "system:<name>", or "anonymous"; `entry.org_id` is resolved to its org path (from
  // the orgs table) for scoped queries. Returns kInternal (a programming error) if the summary
  // holds a string that looks like a resident ID or mobile number (RULES.md §6: no clear personal
  // data in logs) or is not serialisable, or if `entry.org_id` names no organisation; database
  // errors as the Tx reports them (kAborted: the caller's transaction is retried).
  Status Append(storage::Tx& tx, const Actor& actor, const AuditEntry& entry) const;
  // Returns records matching `filter`, oldest first (by seq), at most `filter.limit` (clamped to
  // 1..kMaxQueryLimit). Returns database errors only.
  Result<std::vector<AuditRecord>> Query(storage::Database& db, const AuditFilter& filter) const;
  // Walks the whole chain in seq order (in pages, each its own read transaction), recomputing every
  // hash and checking seq continuity, prev_hash links and the chain head, and reports the first
  // broken record. Records appended after the walk starts are not checked. Returns database errors
  // only; a broken chain is a report with ok = false.
  Result<VerifyReport> Verify(storage::Database& db) const;

  // Returns the hash of `record` computed from its fields and prev_hash (its `hash` is ignored):
  // SHA-256 hex of a length-prefixed serialisation of every field.
  [[nodiscard]] static std::string ComputeHash(const AuditRecord& record);

 private:
  const Clock& clock_;
};

}  // namespace anxin::audit
