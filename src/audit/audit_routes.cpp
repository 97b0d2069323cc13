#include "audit/audit_routes.hpp"

#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/validation.hpp"
#include "http/query_spec.hpp"
#include "http/route_support.hpp"

namespace anxin::audit {
namespace {

using http::schema::Array;
using http::schema::DateTime;
using http::schema::Integer;
using http::schema::Nullable;
using http::schema::Object;
using http::schema::String;

constexpr size_t kMaxFilterBytes = 200;
constexpr int kDefaultLimit = 100;

const http::QuerySpec<AuditFilter>& AuditQuerySpec() {
  static const auto* spec =
      &(*new http::QuerySpec<AuditFilter>())
           .Timestamp("from", &AuditFilter::from_ms, {.description = "Records at or after this instant."})
           .Timestamp("to", &AuditFilter::to_ms, {.description = "Records before this instant."})
           .Text("actor_id", &AuditFilter::actor_id,
                 {.max_len = kMaxFilterBytes,
                  .description = "A user id, `system:<job>` or `anonymous`.",
                  .example = "system:card-expiry"})
           .Text("actor_login", &AuditFilter::actor_login,
                 {.max_len = kMaxFilterBytes,
                  .description = "A staff member's login: that member's records (none when no staff member "
                                 "has this login; with `actor_id`, both must name the same member).",
                  .example = "doc.bj01"})
           .Text("action", &AuditFilter::action,
                 {.max_len = kMaxFilterBytes, .description = "An action such as `card.activate`."})
           .Text(
               "object_type", &AuditFilter::object_type,
               {.max_len = kMaxFilterBytes, .description = "The kind of object, such as `card` or `policy`."})
           .Text("object_id", &AuditFilter::object_id,
                 {.max_len = kMaxFilterBytes, .description = "The object's id (a card serial, a policy id)."})
           .Int("after_seq", &AuditFilter::after_seq,
                {.min = 0, .description = "Paging cursor: the `next_after_seq` of the previous page."})
           .Limit(&AuditFilter::limit, kDefaultLimit, kMaxQueryLimit);
  return *spec;
}

Result<http::Response> ListAuditEvents(storage::Database& db, const AuditLog& log, http::Request& request) {
  ANXIN_ASSIGN_OR_RETURN(AuditFilter filter, AuditQuerySpec().Read(request));
  if (filter.from_ms && filter.to_ms && *filter.from_ms > *filter.to_ms) {
    return Status::InvalidField("to", "invalid_range",
                                {"结束时间不能早于开始时间", "must not be before from"});
  }
  ANXIN_ASSIGN_OR_RETURN(std::vector<AuditRecord> records, log.List(db, http::ActorOf(request), filter));
  ANXIN_ASSIGN_OR_RETURN(AuditNames names, log.NamesOf(db, records));
  nlohmann::json items = nlohmann::json::array();
  for (const AuditRecord& record : records) items.push_back(AuditRecordJson(record, names));
  nlohmann::json body = {{"items", std::move(items)}, {"next_after_seq", nullptr}};
  if (static_cast<int>(records.size()) == filter.limit) body["next_after_seq"] = records.back().seq;
  return http::JsonResponse(200, body);
}

// A string or null, with `description`.
nlohmann::json NameOrNull(std::string_view description) {
  nlohmann::json schema = Nullable(String());
  schema["description"] = description;
  return schema;
}

nlohmann::json ResponseSchema() {
  nlohmann::json item = Object(
      {{"seq", Integer()},
       {"chain_id", Integer()},
       {"chain_seq", Integer()},
       {"at", DateTime()},
       {"at_ms", Integer()},
       {"actor_id", String()},
       {"actor_role", String()},
       {"actor_org_id", String()},
       {"actor_login",
        NameOrNull("The login of a staff actor; null for system actors, anonymous callers and customers.")},
       {"actor_name", NameOrNull("The name of a staff actor; null as for actor_login.")},
       {"actor_org_code", NameOrNull("The code of the actor's organisation.")},
       {"actor_org_name", NameOrNull("The name of the actor's organisation.")},
       {"action", String()},
       {"object_type", String()},
       {"object_id", String()},
       {"org_id", String()},
       {"org_path", String()},
       {"org_code", NameOrNull("The code of the organisation the object belongs to; null for none.")},
       {"org_name", NameOrNull("The name of that organisation, as it is now.")},
       {"summary", {{"type", "object"}}},
       {"result", String()},
       {"request_id", String()},
       {"client_address", String()},
       {"prev_hash", String()},
       {"hash", String()}},
      {"seq", "chain_id", "chain_seq", "at", "actor_id", "actor_login", "actor_name", "actor_org_code",
       "actor_org_name", "action", "object_type", "object_id", "org_code", "org_name", "result", "hash"});
  return Object({{"items", Array(item)}, {"next_after_seq", Nullable(Integer())}},
                {"items", "next_after_seq"});
}

}  // namespace

nlohmann::json AuditRecordJson(const AuditRecord& record, const AuditNames& names) {
  nlohmann::json summary = nlohmann::json::parse(record.summary, nullptr, /*allow_exceptions=*/false);
  if (summary.is_discarded()) summary = record.summary;
  const auto staff = names.staff.find(record.actor_id);
  const bool known = staff != names.staff.end();
  auto org_field = [&](const std::string& id, std::string identity::Org::*field) -> nlohmann::json {
    const auto org = names.orgs.find(id);
    return org == names.orgs.end() ? nlohmann::json(nullptr) : nlohmann::json(org->second.*field);
  };
  return {{"seq", record.seq},
          {"chain_id", record.chain_id},
          {"chain_seq", record.chain_seq},
          {"at", FormatTimestamp(record.at_ms)},
          {"at_ms", record.at_ms},
          {"actor_id", record.actor_id},
          {"actor_role", record.actor_role},
          {"actor_org_id", record.actor_org_id},
          {"actor_login", known ? nlohmann::json(staff->second.login) : nlohmann::json(nullptr)},
          {"actor_name", known ? nlohmann::json(staff->second.display_name) : nlohmann::json(nullptr)},
          {"actor_org_code", org_field(record.actor_org_id, &identity::Org::code)},
          {"actor_org_name", org_field(record.actor_org_id, &identity::Org::name)},
          {"action", record.action},
          {"object_type", record.object_type},
          {"object_id", record.object_id},
          {"org_id", record.org_id},
          {"org_path", record.org_path},
          {"org_code", org_field(record.org_id, &identity::Org::code)},
          {"org_name", org_field(record.org_id, &identity::Org::name)},
          {"summary", std::move(summary)},
          {"result", record.result},
          {"request_id", record.request_id},
          {"client_address", record.client_address},
          {"prev_hash", record.prev_hash},
          {"hash", record.hash}};
}

void RegisterAuditRoutes(http::Router& router, storage::Database& db, const AuditLog& log) {
  http::Route route;
  route.method = "GET";
  route.pattern = "/api/v1/audit-events";
  route.access = http::Access::kPermission;
  route.permission = std::string(kPermAuditRead);
  route.summary = "List audit records in the caller's organisation scope, oldest first";
  route.tag = "audit";
  route.response_schema = ResponseSchema();
  route.query_parameters = AuditQuerySpec().Parameters();
  route.handler = [&db, &log](http::Request& request) { return ListAuditEvents(db, log, request); };
  router.Add(std::move(route));
}

}  // namespace anxin::audit
