#pragma once

#include "audit/audit_log.hpp"
#include "http/router.hpp"
#include "storage/database.hpp"

namespace anxin::audit {

// Registers GET /api/v1/audit-events (permission "audit.read"): the audit records within the
// caller's organisation subtree, oldest first, filtered by the query parameters from, to (RFC 3339;
// from inclusive, to exclusive), actor_id, action, object_type, object_id, after_seq and limit
// (1..500, default 100). Callers at the root of the organisation tree see every record, including
// those tied to no organisation (logins, system jobs). The response is
// {"items": [...], "next_after_seq": <seq to pass as after_seq for the next page, or null>}.
// Invalid parameters give 400 "validation_failed" naming each offending parameter. `db` and `log`
// must outlive the router.
void RegisterAuditRoutes(http::Router& router, storage::Database& db, const AuditLog& log);

// Renders one record as the API shows it, with the actor's login and name and the organisations'
// codes and names from `names` (null where `names` has none: system actors, customers).
[[nodiscard]] nlohmann::json AuditRecordJson(const AuditRecord& record, const AuditNames& names = {});

}  // namespace anxin::audit
