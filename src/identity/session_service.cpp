#include "identity/session_service.hpp"

#include <chrono>
#include <utility>

#include <nlohmann/json.hpp>

#include "identity/identity_internal.hpp"

namespace anxin::identity {
namespace {

using internal::LowerAscii;
using storage::Tx;

constexpr size_t kMaxLoginInput = 128;
constexpr size_t kMaxTokenInput = 256;
// A path no organisation has: the login's organisation check runs for unknown logins too.
constexpr std::string_view kNoOrgPath = "/-/";

Status InvalidCredentials() {
  return Status(StatusCode::kUnauthenticated, "invalid_credentials",
                Text{"登录名或密码错误", "Incorrect login or password"});
}

Status AccountDisabled() {
  return Status(StatusCode::kPermissionDenied, "account_disabled",
                Text{"账号或所属机构已停用，请联系管理员",
                     "The account or its organisation is disabled; contact an administrator"});
}

Status InvalidToken() {
  return Status(StatusCode::kUnauthenticated, "invalid_token",
                Text{"登录已失效，请重新登录", "Your session is not valid; please log in again"});
}

Status CsrfTokenInvalid() {
  return Status(StatusCode::kPermissionDenied, "csrf_token_invalid",
                Text{"缺少或错误的 X-CSRF-Token 请求头，请刷新页面后重试",
                     "The X-CSRF-Token header is missing or wrong; reload the page and try again"});
}

// The answer to an attempt the throttle blocks, `wait_ms` before it may be made again.
// The Retry-After header says the same wait.
Status TooManyAttempts(int64_t wait_ms) {
  const int64_t seconds = (wait_ms + 999) / 1000;
  return Status(StatusCode::kResourceExhausted, "too_many_attempts",
                Text{"登录失败次数过多，请 " + std::to_string(seconds) + " 秒后再试",
                     "Too many failed logins; try again in " + std::to_string(seconds) + " seconds"})
      .WithRetryAfter(std::chrono::milliseconds(wait_ms));
}

bool Plausible(std::string_view password) {
  return !password.empty() && password.size() <= 4 * kMaxPasswordLength;
}

}  // namespace

SessionService::SessionService(storage::Database& db, const KeyRing& keys, const Clock& clock,
                               const audit::AuditLog& audit, IdentityService& users,
                               IdentitySettings settings, const PasswordHasher* hasher)
    : db_(db),
      keys_(keys),
      clock_(clock),
      audit_(audit),
      users_(users),
      settings_(settings),
      hasher_(hasher != nullptr ? *hasher : static_cast<const PasswordHasher&>(argon2_)),
      store_(MakeSqlIdentityStore()),
      sessions_(MakeSqlSessionStore()),
      throttle_(*sessions_, settings_.throttle),
      dummy_hash_(hasher_.Hash(RandomToken(24))) {}

Status SessionService::RecordFailure(const Actor& actor, const ThrottleKeys& keys,
                                     const std::optional<User>& user, const std::string& login,
                                     std::string_view reason) {
  const int64_t now = clock_.NowMs();
  return db_.Write([&](Tx& tx) -> Status {
    ANXIN_RETURN_IF_ERROR(throttle_.RecordFailure(tx, keys, now));
    audit::AuditEntry entry;
    entry.action = "session.login_failed";
    entry.object_type = "user";
    entry.result = "failed";
    entry.summary = {{"login_hash", keys_.LookupHash("login", login)}, {"reason", std::string(reason)}};
    if (user) {
      entry.object_id = user->id;
      entry.org_id = user->org_id;
    }
    return audit_.Append(tx, actor, entry);
  });
}

Result<LoginResult> SessionService::Login(const Actor& actor, std::string_view login_input,
                                          std::string_view password, SessionKind kind) {
  const std::string login = LowerAscii(Trim(login_input.substr(0, kMaxLoginInput)));
  const ThrottleKeys keys = ThrottleKeysFor(keys_, login, actor.client_address);
  const int64_t checked_at = clock_.NowMs();

  // The same statements run whether the login exists or not.
  struct Found {
    int64_t blocked_ms = 0;
    std::optional<User> user;
    std::string org_path;
    bool org_active = false;
  };
  ANXIN_ASSIGN_OR_RETURN(Found found, db_.ReadResult<Found>([&](Tx& tx) -> Result<Found> {
    Found f;
    ANXIN_ASSIGN_OR_RETURN(f.blocked_ms, throttle_.BlockedFor(tx, keys, checked_at));
    ANXIN_ASSIGN_OR_RETURN(f.user, store_->FindUserByLogin(tx, login));
    ANXIN_ASSIGN_OR_RETURN(std::optional<Org> org, store_->FindOrg(tx, f.user ? f.user->org_id : ""));
    if (org) f.org_path = org->path;
    ANXIN_ASSIGN_OR_RETURN(f.org_active, store_->PathActive(tx, org ? org->path : std::string(kNoOrgPath)));
    return f;
  }));
  if (found.blocked_ms > 0) return TooManyAttempts(found.blocked_ms);
  const std::optional<User>& user = found.user;

  // Unknown logins (and accounts without a password) verify against a dummy hash, so every
  // attempt costs one verification.
  const std::string_view candidate = Plausible(password) ? password : std::string_view("x");
  bool password_ok = false;
  if (!user || user->password_hash.empty()) {
    (void)hasher_.Verify(dummy_hash_, candidate);
  } else {
    password_ok = hasher_.Verify(user->password_hash, candidate) && Plausible(password);
  }

  std::string_view reason;
  if (!user) {
    reason = "unknown_login";
  } else if (!password_ok) {
    reason = "wrong_password";
  } else if (user->status != ActiveState::kActive) {
    reason = "disabled";
  } else if (user->kind == UserKind::kStaff && !found.org_active) {
    reason = "org_disabled";
  }
  if (!reason.empty()) {
    ANXIN_RETURN_IF_ERROR(RecordFailure(actor, keys, user, login, reason));
    if (reason == "disabled" || reason == "org_disabled") return AccountDisabled();
    return InvalidCredentials();
  }

  LoginResult result;
  result.token = RandomToken(32);
  const int64_t now = clock_.NowMs();
  Session session;
  session.id = NewId();
  session.token_hash = Sha256Hex(result.token);
  if (kind == SessionKind::kBrowser) {
    result.csrf_token = RandomToken(32);
    session.csrf_hash = Sha256Hex(result.csrf_token);
  }
  session.user_id = user->id;
  session.created_at_ms = now;
  session.last_seen_at_ms = now;
  session.expires_at_ms = now + settings_.session_lifetime_ms;
  session.idle_timeout_ms = settings_.idle_timeout_ms;
  session.client_address = actor.client_address;
  result.expires_at_ms = session.expires_at_ms;

  ANXIN_ASSIGN_OR_RETURN(Principal principal, db_.WriteResult<Principal>([&](Tx& tx) -> Result<Principal> {
    ANXIN_RETURN_IF_ERROR(throttle_.RecordSuccess(tx, keys, now));
    ANXIN_RETURN_IF_ERROR(sessions_->InsertSession(tx, session));
    ANXIN_ASSIGN_OR_RETURN(Principal p, BuildPrincipal(tx, *user, found.org_path, session.id));
    Actor as_user = actor;
    as_user.principal = &p;
    nlohmann::json summary = {{"session_id", session.id}, {"login_hash", keys_.LookupHash("login", login)}};
    if (kind == SessionKind::kBrowser) summary["browser"] = true;
    ANXIN_RETURN_IF_ERROR(
        audit_.Append(tx, as_user, {"session.login", "user", user->id, user->org_id, summary}));
    return p;
  }));
  Actor as_user = actor;
  as_user.principal = &principal;
  ANXIN_ASSIGN_OR_RETURN(result.user, users_.Me(as_user));
  return result;
}

Status SessionService::Logout(const Actor& actor) {
  if (actor.principal == nullptr || actor.principal->session_id.empty()) return Unauthenticated();
  const Principal& p = *actor.principal;
  return db_.Write([&](Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(int64_t revoked, sessions_->RevokeSession(tx, p.session_id, clock_.NowMs()));
    if (revoked == 0) return InvalidToken();
    return audit_.Append(tx, actor,
                         {"session.logout", "user", p.user_id, p.org_id, {{"session_id", p.session_id}}});
  });
}

Result<Principal> SessionService::BuildPrincipal(Tx& tx, const User& user, const std::string& org_path,
                                                 const std::string& session_id) {
  Principal p;
  p.user_id = user.id;
  p.login = user.login;
  p.display_name = user.display_name;
  p.kind = user.kind;
  p.org_id = user.org_id;
  p.org_path = user.kind == UserKind::kStaff ? org_path : "";
  p.session_id = session_id;
  ANXIN_ASSIGN_OR_RETURN(p.roles, store_->UserRoles(tx, user.id));
  ANXIN_ASSIGN_OR_RETURN(p.permissions, store_->UserPermissions(tx, user.id));
  return p;
}

Result<Principal> SessionService::AuthenticateToken(std::string_view token,
                                                    std::optional<std::string_view> csrf_token) {
  if (token.empty() || token.size() > kMaxTokenInput) return InvalidToken();
  const std::string token_hash = Sha256Hex(token);
  const int64_t now = clock_.NowMs();
  int64_t last_seen_at = 0;
  ANXIN_ASSIGN_OR_RETURN(Principal principal, db_.ReadResult<Principal>([&](Tx& tx) -> Result<Principal> {
    ANXIN_ASSIGN_OR_RETURN(std::optional<SessionLookup> found,
                           sessions_->FindSessionByTokenHash(tx, token_hash));
    if (!found) return InvalidToken();
    const Session& s = found->session;
    if (s.revoked_at_ms || now >= s.expires_at_ms || now - s.last_seen_at_ms >= s.idle_timeout_ms ||
        found->user.status != ActiveState::kActive) {
      return InvalidToken();
    }
    // Staff below a disabled node are refused even if a session escaped the revocation of
    // IdentityService::UpdateOrg (a login racing the change on another node).
    if (found->user.kind == UserKind::kStaff) {
      ANXIN_ASSIGN_OR_RETURN(bool active, store_->PathActive(tx, found->org_path));
      if (!active) return InvalidToken();
    }
    if (csrf_token && (!s.csrf_hash || !ConstantTimeEquals(Sha256Hex(*csrf_token), *s.csrf_hash))) {
      return CsrfTokenInvalid();
    }
    last_seen_at = s.last_seen_at_ms;
    return BuildPrincipal(tx, found->user, found->org_path, s.id);
  }));
  if (now - last_seen_at >= settings_.touch_interval_ms) {
    ANXIN_RETURN_IF_ERROR(db_.Write([&](Tx& tx) {
      return sessions_->TouchSession(tx, principal.session_id, now, now - settings_.touch_interval_ms + 1);
    }));
  }
  return principal;
}

Status SessionService::ChangeOwnPassword(const Actor& actor, std::string_view current_password,
                                         std::string_view new_password) {
  if (actor.principal == nullptr) return Unauthenticated();
  const Principal& p = *actor.principal;
  ANXIN_ASSIGN_OR_RETURN(std::optional<User> user, db_.ReadResult<std::optional<User>>([&](Tx& tx) {
    return store_->FindUser(tx, p.user_id);
  }));
  if (!user) return Unauthenticated();
  const ThrottleKeys keys = ThrottleKeysFor(keys_, user->login, actor.client_address);
  ANXIN_ASSIGN_OR_RETURN(int64_t blocked_ms, db_.ReadResult<int64_t>([&](Tx& tx) {
    return throttle_.BlockedFor(tx, keys, clock_.NowMs());
  }));
  if (blocked_ms > 0) return TooManyAttempts(blocked_ms);
  if (user->password_hash.empty() || !Plausible(current_password) ||
      !hasher_.Verify(user->password_hash, current_password)) {
    ANXIN_RETURN_IF_ERROR(RecordFailure(actor, keys, user, user->login, "wrong_current_password"));
    return Status::InvalidField("current_password", "incorrect",
                                Text{"当前密码不正确", "The current password is not correct"});
  }
  ANXIN_RETURN_IF_ERROR(CheckPasswordPolicy(new_password, user->login, "new_password"));
  if (new_password == current_password) {
    return Status::InvalidField(
        "new_password", "same_as_current",
        Text{"新密码不能与当前密码相同", "The new password must differ from the current one"});
  }
  const std::string hash = hasher_.Hash(new_password);
  return db_.Write([&](Tx& tx) -> Status {
    const int64_t now = clock_.NowMs();
    ANXIN_RETURN_IF_ERROR(store_->SetPasswordHash(tx, user->id, hash, now));
    ANXIN_RETURN_IF_ERROR(throttle_.RecordSuccess(tx, keys, now));
    ANXIN_ASSIGN_OR_RETURN(int64_t revoked, sessions_->RevokeUserSessions(tx, user->id, p.session_id, now));
    return audit_.Append(
        tx, actor, {"user.password_change", "user", user->id, user->org_id, {{"sessions_revoked", revoked}}});
  });
}

Result<std::vector<SessionView>> SessionService::ListOwnSessions(const Actor& actor) {
  if (actor.principal == nullptr) return Unauthenticated();
  ANXIN_RETURN_IF_ERROR(Require(actor, kPermSessionRead));
  const Principal& p = *actor.principal;
  const int64_t now = clock_.NowMs();
  ANXIN_ASSIGN_OR_RETURN(std::vector<Session> sessions, db_.ReadResult<std::vector<Session>>([&](Tx& tx) {
    return sessions_->ListLiveSessions(tx, p.user_id, now);
  }));
  std::vector<SessionView> views;
  for (const Session& s : sessions) {
    if (now - s.last_seen_at_ms >= s.idle_timeout_ms) continue;
    views.push_back(
        {s.id, s.created_at_ms, s.last_seen_at_ms, s.expires_at_ms, s.client_address, s.id == p.session_id});
  }
  return views;
}

Result<int64_t> SessionService::PurgeThrottle() {
  const int64_t now = clock_.NowMs();
  return db_.WriteResult<int64_t>([&](Tx& tx) { return sessions_->PurgeThrottle(tx, now); });
}

}  // namespace anxin::identity
