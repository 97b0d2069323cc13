#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "identity/identity.hpp"
#include "storage/database.hpp"

namespace anxin::identity {

// What a session token resolves to, in one read.
struct SessionLookup {
  Session session;
  User user;
  std::string org_path;  // staff: their node's path; customers: ""
};

// Which failed logins a throttle counter counts: those of one login from one client address, of
// one client address for any login, or of one login from any address.
enum class ThrottleScope { kPair, kClient, kLogin };

// "pair", "client", "login" (the `scope` column).
[[nodiscard]] std::string_view ThrottleScopeName(ThrottleScope scope);

// One failure counter of the login throttle, as stored. Times are Unix milliseconds; 0 = never.
struct ThrottleCounter {
  int64_t window_start_ms = 0;   // the start of the counting window (its first failure)
  int64_t failures = 0;          // failures counted in the window
  int64_t blocked_until_ms = 0;  // blocked before this instant
  int64_t trusted_until_ms = 0;  // pair counters: a login succeeded from this pair; see LoginThrottle
};

// The persistence of sessions and of the login throttle (tables `sessions` and `login_throttle`).
// Every method works inside the caller's transaction; database errors come back as the Tx
// translated them. Implementations hold no state of their own and are thread-safe.
class SessionStore {
 public:
  virtual ~SessionStore() = default;

  virtual Status InsertSession(storage::Tx& tx, const Session& session) = 0;
  // Returns the session with `token_hash`, its user and the user's org path, whatever the
  // session's state (the caller checks expiry).
  virtual Result<std::optional<SessionLookup>> FindSessionByTokenHash(storage::Tx& tx,
                                                                      const std::string& token_hash) = 0;
  // Sets last_seen_at to `now_ms` unless it is already at or after `not_before_ms`.
  virtual Status TouchSession(storage::Tx& tx, const std::string& session_id, int64_t now_ms,
                              int64_t not_before_ms) = 0;
  // Revokes one session; returns the number of sessions revoked (0 or 1).
  virtual Result<int64_t> RevokeSession(storage::Tx& tx, const std::string& session_id, int64_t now_ms) = 0;
  // Revokes every live session of `user_id` except `keep_session_id` ("" keeps none).
  virtual Result<int64_t> RevokeUserSessions(storage::Tx& tx, const std::string& user_id,
                                             const std::string& keep_session_id, int64_t now_ms) = 0;
  // Revokes every live session of the staff whose organisation's path starts with `org_path` (an
  // exact, case-sensitive prefix). Returns the number revoked.
  virtual Result<int64_t> RevokeSubtreeSessions(storage::Tx& tx, const std::string& org_path,
                                                int64_t now_ms) = 0;
  // Returns the user's sessions that are neither revoked nor past their absolute expiry.
  virtual Result<std::vector<Session>> ListLiveSessions(storage::Tx& tx, const std::string& user_id,
                                                        int64_t now_ms) = 0;

  // Returns the counter of (`scope`, `key_hash`), or nullopt when none is stored.
  virtual Result<std::optional<ThrottleCounter>> FindThrottle(storage::Tx& tx, ThrottleScope scope,
                                                              const std::string& key_hash) = 0;
  // Returns the newest committed counter of (`scope`, `key_hash`) and holds its row lock until the
  // transaction ends (PostgreSQL; SQLite has one writer), creating a zero counter when none exists.
  virtual Result<ThrottleCounter> LockThrottle(storage::Tx& tx, ThrottleScope scope,
                                               const std::string& key_hash) = 0;
  // Stores `counter` for a locked (`scope`, `key_hash`); the row may be deleted after `expires_at_ms`.
  virtual Status SaveThrottle(storage::Tx& tx, ThrottleScope scope, const std::string& key_hash,
                              const ThrottleCounter& counter, int64_t expires_at_ms) = 0;
  // Deletes the counter of (`scope`, `key_hash`), if any.
  virtual Status DeleteThrottle(storage::Tx& tx, ThrottleScope scope, const std::string& key_hash) = 0;
  // Deletes every counter that expired before `now_ms`; returns how many.
  virtual Result<int64_t> PurgeThrottle(storage::Tx& tx, int64_t now_ms) = 0;
};

// The SQL implementation (one text for SQLite and PostgreSQL).
std::unique_ptr<SessionStore> MakeSqlSessionStore();

}  // namespace anxin::identity
