#pragma once

#include "http/router.hpp"
#include "policies/policy_service.hpp"

namespace anxin::policies {

// Registers the policy reading API on `router` (every route needs policy.read; scope and reveal
// rules are PolicyService's):
//   GET /api/v1/policies                        list (product_code, status, card_serial,
//                                               issued_from, issued_to, after, limit)
//   GET /api/v1/policies/{id}                   one policy; reveal=parties&purpose=... shows the
//                                               parties' personal data (pii.reveal, audited)
//   GET /api/v1/policies/by-number/{policy_no}  one policy by its number (same reveal)
// `service` must outlive the router.
void RegisterPolicyRoutes(http::Router& router, PolicyService& service);

}  // namespace anxin::policies
