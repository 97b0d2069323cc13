#pragma once

#include <string_view>
#include <vector>

#include "common/actor.hpp"
#include "common/status.hpp"
#include "notify/outbox_store.hpp"
#include "storage/database.hpp"

namespace anxin::notify {

// The permission to read the outbox (operations: what was sent to whom, masked, and why not).
inline constexpr std::string_view kPermOutboxRead = "outbox.read";

// Authorised reading of the outbox, for the routes and other callers acting for a user. The scope
// is applied in SQL: a caller never receives a message it may not see. Thread-safe; `db` must
// outlive the service.
class OutboxService {
 public:
  explicit OutboxService(storage::Database& db) : db_(db) {}

  // Returns the messages matching `filter` that `actor` may see, newest first: staff with
  // outbox.read see the messages about organisations in their subtree, and the head office also
  // those about no organisation (ScopeWithCompanyLevel); system actors see all. `filter.scope` is
  // replaced by the actor's; `filter.limit` must already be in range. Returns the refusals of
  // RequireStaff (kUnauthenticated, kPermissionDenied "permission_denied") or database errors.
  [[nodiscard]] Result<std::vector<OutboxEntry>> List(const Actor& actor, OutboxFilter filter) const;

 private:
  storage::Database& db_;
};

}  // namespace anxin::notify
