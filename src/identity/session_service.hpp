#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "common/actor.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "common/principal.hpp"
#include "common/status.hpp"
#include "identity/identity.hpp"
#include "identity/identity_service.hpp"
#include "identity/identity_store.hpp"
#include "identity/login_throttle.hpp"
#include "identity/password.hpp"
#include "identity/session_store.hpp"
#include "storage/database.hpp"

namespace anxin::identity {

// Session and login policy. Defaults: 12 h absolute lifetime, 30 min idle timeout, last_seen_at
// written at most once a minute, the throttle of ThrottleSettings, and cookies without `Secure`
// unless `cookie_secure` (set it when the platform is reached over HTTPS).
struct IdentitySettings {
  int64_t session_lifetime_ms = 12LL * 3600 * 1000;
  int64_t idle_timeout_ms = 30LL * 60 * 1000;
  int64_t touch_interval_ms = 60LL * 1000;
  ThrottleSettings throttle;
  bool cookie_secure = false;
};

// Whether a login is for an API client (bearer token) or a browser (cookies and a CSRF token).
enum class SessionKind { kBearer, kBrowser };

struct LoginResult {
  std::string token;       // shown once; only its SHA-256 is stored
  std::string csrf_token;  // browser sessions only; only its SHA-256 is stored
  int64_t expires_at_ms = 0;
  UserView user;  // as GET /api/v1/me shows it
};

// Logins, sessions and the login throttle, apart from the organisation tree and the users
// (IdentityService). Thread-safe.
//
// Throttle: failed logins are counted per (login, client address), per client address and per
// login across addresses (LoginThrottle, ThrottleSettings); counters live in the database, keyed
// by keyed hashes, so every node shares them and unknown logins are counted like known ones.
// Nothing here ever sleeps: a blocked attempt answers at once.
class SessionService final {
 public:
  // `users` renders the caller after login. `hasher` defaults to Argon2id. Everything given must
  // outlive the service.
  SessionService(storage::Database& db, const KeyRing& keys, const Clock& clock, const audit::AuditLog& audit,
                 IdentityService& users, IdentitySettings settings, const PasswordHasher* hasher = nullptr);

  // Logs in with `login` and `password` from `actor.client_address` and returns the new session.
  // Every attempt does the same work (one password verification, against a dummy hash for an
  // unknown login or an account without a password) and gets the same answer whether the login
  // exists or not:
  // - kResourceExhausted "too_many_attempts" (429) while the (login, address) pair, the address or
  //   the login is blocked; no password is verified and nothing is counted;
  // - kUnauthenticated "invalid_credentials" (401) for an unknown login, a wrong password, and any
  //   account without a correct password (disabled or not);
  // - kPermissionDenied "account_disabled" (403) only after the correct password, when the account
  //   or its organisation (or a node above it) is disabled.
  // Both failures count towards the throttle and are audited as session.login_failed (the login
  // only as a keyed hash). A success resets the pair's counter and is audited as session.login.
  // A browser login (`kind` kBrowser) also returns a CSRF token.
  Result<LoginResult> Login(const Actor& actor, std::string_view login, std::string_view password,
                            SessionKind kind = SessionKind::kBearer);
  // Revokes the caller's session. kUnauthenticated without a live session.
  Status Logout(const Actor& actor);
  // Resolves a bearer token: kUnauthenticated "invalid_token" if unknown, revoked, past its
  // absolute expiry, idle too long, or the user is disabled or below a disabled organisation.
  // With `csrf_token` given (a cookie-authenticated unsafe request), it must equal the session's
  // CSRF token, else kPermissionDenied "csrf_token_invalid" (also for a session without one).
  // Writes last_seen_at at most once per `touch_interval_ms`.
  Result<Principal> AuthenticateToken(std::string_view token,
                                      std::optional<std::string_view> csrf_token = std::nullopt);

  // Changes the caller's password after checking `current_password`: a wrong one counts as a
  // failed login and is kInvalidArgument at "current_password", code "incorrect"; while the
  // throttle blocks the caller's login from this address, kResourceExhausted "too_many_attempts".
  // The new password must pass CheckPasswordPolicy and differ from the current one. Revokes the
  // caller's other sessions.
  Status ChangeOwnPassword(const Actor& actor, std::string_view current_password,
                           std::string_view new_password);
  // Returns the caller's live sessions (session.read).
  Result<std::vector<SessionView>> ListOwnSessions(const Actor& actor);

  // Deletes the throttle counters no rule needs any more; returns how many (for a periodic job).
  Result<int64_t> PurgeThrottle();

  [[nodiscard]] const IdentitySettings& settings() const { return settings_; }

 private:
  // Counts a failed attempt and audits it as session.login_failed with `reason`.
  Status RecordFailure(const Actor& actor, const ThrottleKeys& keys, const std::optional<User>& user,
                       const std::string& login, std::string_view reason);
  Result<Principal> BuildPrincipal(storage::Tx& tx, const User& user, const std::string& org_path,
                                   const std::string& session_id);

  // Constant after construction.
  storage::Database& db_;
  const KeyRing& keys_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  IdentityService& users_;
  const IdentitySettings settings_;
  Argon2PasswordHasher argon2_;
  const PasswordHasher& hasher_;
  std::unique_ptr<IdentityStore> store_;
  std::unique_ptr<SessionStore> sessions_;
  const LoginThrottle throttle_;

  // A hash of a random password, verified against for unknown logins so they take as long as known
  // ones. Made at construction, so that no login pays for it.
  const std::string dummy_hash_;
};

}  // namespace anxin::identity
