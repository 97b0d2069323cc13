#pragma once

#include <string_view>

#include "http/router.hpp"
#include "identity/identity_service.hpp"
#include "identity/session_service.hpp"

namespace anxin::identity {

// The cookies of a browser session (CONTRACTS.md, "Browser sessions"): the session token
// (HttpOnly) and the CSRF token the web app echoes in kCsrfHeader on unsafe requests.
inline constexpr std::string_view kSessionCookie = http::kSessionCookie;
inline constexpr std::string_view kCsrfCookie = "anxin_csrf";
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";

// The router's http::Authenticator, over SessionService: resolves the token of the
// Authorization header or of the session cookie, and for cookie-authenticated requests with an
// unsafe method (anything but GET, HEAD, OPTIONS) requires header X-CSRF-Token to equal the
// session's CSRF token (403 "csrf_token_invalid"). Thread-safe; `sessions` must outlive it.
class SessionAuthenticator final : public http::Authenticator {
 public:
  explicit SessionAuthenticator(SessionService& sessions) : sessions_(sessions) {}
  Result<Principal> Authenticate(std::string_view token, const http::Request& request) override;

 private:
  SessionService& sessions_;
};

// Registers identity's HTTP API under /api/v1 on `router`: sessions (POST /sessions,
// DELETE /sessions/current), browser sessions (POST and DELETE /web/session), the caller
// (GET /me, POST /me/password, GET /me/sessions), organisations (GET/POST /orgs,
// GET/PATCH /orgs/{id}), users (GET/POST /users, GET/PATCH /users/{id}, PUT /users/{id}/roles,
// POST /users/{id}/password) and GET /roles, and sets `authenticator` as the router's
// authenticator. Everything given must outlive the router.
void RegisterIdentityRoutes(http::Router& router, IdentityService& identity, SessionService& sessions,
                            SessionAuthenticator& authenticator);

}  // namespace anxin::identity
