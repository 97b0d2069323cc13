#pragma once

#include "http/router.hpp"
#include "identity/identity_service.hpp"

namespace anxin::identity {

// Registers identity's HTTP API under /api/v1 on `router`: sessions (POST /sessions,
// DELETE /sessions/current), the caller (GET /me, POST /me/password, GET /me/sessions),
// organisations (GET/POST /orgs, GET/PATCH /orgs/{id}), users (GET/POST /users,
// GET/PATCH /users/{id}, PUT /users/{id}/roles, POST /users/{id}/password) and GET /roles.
// `service` must outlive the router. Also sets `service` as the router's authenticator.
void RegisterIdentityRoutes(http::Router& router, IdentityService& service);

}  // namespace anxin::identity
