#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/access.hpp"
#include "common/actor.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "common/status.hpp"
#include "identity/directory.hpp"
#include "storage/database.hpp"
#include "storage/deferred.hpp"

namespace anxin::audit {

// The `prev_hash` of the first record of every chain.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";
// The permission to read the audit log (GET /api/v1/audit-events).
inline constexpr std::string_view kPermAuditRead = "audit.read";

// The most records one Query returns.
inline constexpr int kMaxQueryLimit = 500;
// How records are sealed: 1 = SHA-256 without a key (records written before migration 0015, all in
// chain 1); 2 = a keyed BLAKE2b MAC under the audit subkey of the master key (KeyRing::AuditMac).
inline constexpr int kLegacyHashVersion = 1;
inline constexpr int kHashVersion = 2;

// One state change, as a service reports it.
struct AuditEntry {
  std::string action;       // "org.create", "user.create", "session.login", "pii.reveal", ...
  std::string object_type;  // "org", "user", "product", ...
  std::string object_id;
  std::string org_id;  // the organisation node the object belongs to (for scoped queries)
  // What changed. Strings (and keys) that look like resident ID or mobile numbers are masked when
  // appended (MaskPersonalText), so user free text may appear here; still, put no personal data in.
  nlohmann::json summary = nlohmann::json::object();
  std::string result = "ok";
};

// A stored, sealed audit record. Records form several chains; each chain is totally ordered by
// chain_seq (1, 2, 3, ... without gaps) and every record links to its predecessor's hash.
struct AuditRecord {
  int64_t seq = 0;  // unique across chains, increasing with chain_seq within a chain; the paging key
  int64_t chain_id = 0;
  int64_t chain_seq = 0;
  int64_t hash_version = kHashVersion;
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
  // A staff member's login, for List: their records only (none when no staff member has it).
  std::optional<std::string> actor_login;
  OrgScope scope = OrgScope::All();  // only records of organisations in the scope
  int64_t after_seq = 0;             // paging: records with seq > after_seq
  int limit = 100;
};

// The people and organisations a page of records names, for a reader who expects names next to
// the ids: the staff among the actors, by user id (system actors, anonymous callers and customers
// have none), and the organisations of the records and of their actors, by id.
struct AuditNames {
  std::map<std::string, identity::StaffMember> staff;
  std::map<std::string, identity::Org> orgs;
};

// Where a chain ends: its last record's chain_seq and hash (0 and kGenesisHash when empty).
struct ChainHead {
  int64_t chain_id = 0;
  int64_t last_seq = 0;
  std::string last_hash;
};

// Verification outcome: ok, or the first problem found.
struct VerifyReport {
  bool ok = true;
  int64_t records = 0;           // records checked
  std::vector<ChainHead> heads;  // every chain as verified, by chain id
  // Where the chain is broken: the chain, the position in it (a missing record's position too), and
  // the seq of the stored record involved when there is one.
  std::optional<int64_t> broken_chain_id;
  std::optional<int64_t> broken_chain_seq;
  std::optional<int64_t> first_broken_seq;
  std::string problem;
};

// An entry made ready for appending, outside any transaction (AuditLog::Prepare): actor resolved,
// summary masked and serialised, request fields cleaned, contents digested. Appending it costs the
// database statements and one MAC. May be appended again when a transaction is retried.
struct PreparedAuditEntry {
  AuditRecord record;  // all but seq, chain_id, chain_seq, org_path, prev_hash and hash
  std::string content_digest;
};

// A chain locked ahead of the statements before an Append (AuditLog::LockAhead), for up to
// `count` records.
struct ChainAhead {
  storage::AheadQuery query;
  size_t count = 0;
};

// Returns `text` with every run of 11 or more digits that stands on its own (not inside a word such
// as a policy number "P2026…" or a card serial) masked but for its last four digits — resident ID
// numbers (the check character X included), mobile numbers with or without +86, bank cards —
// whether written together or in groups separated by spaces or dashes, in ASCII or full-width
// digits. Anything else is returned unchanged. Pure and thread-safe.
[[nodiscard]] std::string MaskPersonalText(std::string_view text);

// Returns the latest checkpoint of every chain found in `log`: the JSON lines Anxin writes, among
// which the "audit_checkpoint" events (AuditLog::Checkpoint). Other lines are ignored. Returns
// kInvalidArgument "invalid_checkpoint" for a checkpoint line that does not have the expected shape.
Result<std::vector<ChainHead>> ReadCheckpoints(std::istream& log);

// The audit log: several hash chains of records, appended inside the caller's transaction, so a
// change and its audit record commit together or not at all.
//
// A transaction appends to one chain, locked from its first append until it ends. On PostgreSQL it
// takes the first chain no other transaction holds (SELECT ... FOR UPDATE SKIP LOCKED), and opens a
// new chain when all are held, so audited writes on any number of nodes never wait for each other;
// on SQLite the single writer appends to chain 1. Each record is sealed with a keyed BLAKE2b MAC
// (KeyRing::AuditMac) over its chain, chain_seq, seq, org_path, prev_hash and the SHA-256 of its
// other fields,
// and each chain head carries a tag from the seal of its last record, so someone with access to the
// database but not to the key file can neither alter a record nor re-chain what follows nor move a
// head back. Thread-safe.
class AuditLog {
 public:
  // Seals records with the audit subkey of `keys` (copied). Organisation paths are read through
  // `directory` (identity's port), which must outlive the log.
  AuditLog(const Clock& clock, const KeyRing& keys,
           const identity::Directory& directory = identity::SqlDirectory());
  // For the unit tests of other modules only: seals with a fixed, publicly known key.
  explicit AuditLog(const Clock& clock);

  // Prepares `entry` done by `actor`, outside any transaction: the actor is recorded as the
  // principal's user id, roles (joined by ',') and org id, or "system:<name>", or "anonymous"; the
  // summary is masked (MaskPersonalText on every string and key) and serialised (invalid UTF-8
  // replaced); the request id and client address are kept printable, bounded and masked; the time
  // is now. Never fails on content; returns kInternal only for an entry without an action (a
  // programming error).
  Result<PreparedAuditEntry> Prepare(const Actor& actor, const AuditEntry& entry) const;
  // Appends `prepared` within `tx`: the record commits or rolls back with the caller's work.
  // `record.org_id` is resolved to its org path (for scoped queries) through the Directory, in
  // `tx`, before the chain is locked; paths never change once an organisation exists, so each is
  // read once per process. Returns kInternal if `record.org_id` names no organisation (a
  // programming error); database errors as the Tx reports them (kAborted: the caller's
  // transaction is retried).
  Status Append(storage::Tx& tx, const PreparedAuditEntry& prepared) const;
  // Appends `entries`, in this order, as consecutive records of one chain: one chain lock and one
  // insert for all of them. Errors as the other Append.
  Status Append(storage::Tx& tx, std::span<const PreparedAuditEntry* const> entries) const;
  // Prepare and Append in one.
  Status Append(storage::Tx& tx, const Actor& actor, const AuditEntry& entry) const;
  // Sends the chain lock of an Append of up to `count` records ahead: on PostgreSQL it goes with
  // the transaction's next statement (storage::QueryAhead) instead of in a round trip of its own
  // before the insert. The Append that takes it (the next below) must be the transaction's next.
  Result<ChainAhead> LockAhead(storage::Tx& tx, size_t count) const;
  // Append `entries` (at most `ahead.count`) to the chain locked by LockAhead.
  Status Append(storage::Tx& tx, std::span<const PreparedAuditEntry* const> entries,
                const ChainAhead& ahead) const;

  // Returns records matching `filter`, by ascending seq, at most `filter.limit` (clamped to
  // 1..kMaxQueryLimit). On PostgreSQL a record may commit after a record with a higher seq (their
  // transactions ran side by side), so a reader paging by seq at the very end of the log may see it
  // appear behind its cursor. Returns database errors only.
  Result<std::vector<AuditRecord>> Query(storage::Database& db, const AuditFilter& filter) const;
  // Query for a caller: staff with audit.read (or a system actor), in the caller's scope
  // (ScopeWithCompanyLevel: records of no organisation only for the head office), whatever
  // `filter.scope` says. Returns the refusals of RequireStaff, or Query's errors.
  Result<std::vector<AuditRecord>> List(storage::Database& db, const Actor& actor, AuditFilter filter) const;
  // Returns the names of the staff and organisations `records` name, read through the Directory in
  // one read transaction (names are for display: a name changed since the record was written shows
  // as it is now). Returns database errors only.
  Result<AuditNames> NamesOf(storage::Database& db, std::span<const AuditRecord> records) const;
  // Checks every chain: walks all records by seq (in pages, each its own read transaction),
  // recomputing every seal and checking that chain_seqs are contiguous, that each prev_hash names
  // the previous record of its chain, that unkeyed records appear only as chain 1's prefix, that
  // every chain head matches its last record and carries a valid MAC, that no record lies beyond its
  // chain head or in a chain without a head; and, for each of `checkpoints`, that the chain still
  // exists, reaches at least that far and holds that hash there. Records appended after the walk
  // starts are not checked. Returns database errors only; a broken chain is a report with ok = false.
  Result<VerifyReport> Verify(storage::Database& db, std::span<const ChainHead> checkpoints = {}) const;
  // Returns every chain head, by chain id: what `anxin serve` writes to the log stream
  // periodically as an "audit_checkpoint" event. Returns database errors only.
  Result<std::vector<ChainHead>> Checkpoint(storage::Database& db) const;
  // Writes the checkpoint event for `heads` to the log (info level).
  static void LogCheckpoint(const std::vector<ChainHead>& heads);
  // Appends a record that seals the records written before migration 0015 (chain 1's unkeyed
  // prefix) under the key, if chain 1 still ends with such a record; does nothing otherwise.
  // `anxin` runs it at start-up. Returns database errors only.
  Status SealLegacyChain(storage::Database& db) const;

  // A keyed record's seal: one 64-byte MAC over its fields, chain position and prev_hash, whose
  // first half (hex) is the record's hash and second half the tag its chain head carries while the
  // record is the chain's last. The tag is stored nowhere else, so a head moved back to an older
  // record cannot be given a valid tag without the key.
  struct Seal {
    std::string hash;
    std::string head_tag;
  };
  // Returns the seal of a keyed `record` (its `hash` is ignored).
  [[nodiscard]] Seal SealOf(const AuditRecord& record) const;
  // Returns the hash `record` should carry, computed from its fields, chain position and
  // prev_hash (its `hash` is ignored) by its hash_version.
  [[nodiscard]] std::string ComputeHash(const AuditRecord& record) const;

 private:
  [[nodiscard]] Seal SealOf(const AuditRecord& record, std::string_view content_digest) const;

  // Returns the org path of each entry's org_id ("" for none), from the cache or the Directory.
  Result<std::vector<std::string>> OrgPaths(storage::Tx& tx,
                                            std::span<const PreparedAuditEntry* const> entries) const;

  // The org paths read so far, by org id. An organisation's path is fixed when it is created
  // (identity never moves a node), so an entry never goes stale; a path read in a transaction that
  // then rolled back belongs to an id no organisation will ever have.
  struct PathCache {
    std::mutex mu;
    std::map<std::string, std::string, std::less<>> paths;  // guarded by mu
  };

  // Constant after construction.
  const Clock& clock_;
  const KeyRing keys_;
  const identity::Directory& directory_;
  std::shared_ptr<PathCache> path_cache_ = std::make_shared<PathCache>();
};

}  // namespace anxin::audit
