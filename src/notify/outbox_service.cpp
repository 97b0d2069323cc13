#include "notify/outbox_service.hpp"

#include "common/access.hpp"

namespace anxin::notify {

Result<std::vector<OutboxEntry>> OutboxService::List(const Actor& actor, OutboxFilter filter) const {
  ANXIN_RETURN_IF_ERROR(RequireStaff(actor, kPermOutboxRead));
  filter.scope = ScopeWithCompanyLevel(actor);
  return db_.ReadResult<std::vector<OutboxEntry>>(
      [&](storage::Tx& tx) { return OutboxStore::List(tx, filter); });
}

}  // namespace anxin::notify
