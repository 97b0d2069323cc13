#include "notify/notify_routes.hpp"

#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "http/query_spec.hpp"
#include "http/route_support.hpp"

namespace anxin::notify {
namespace {

using http::schema::DateTime;
using http::schema::Enum;
using http::schema::Integer;
using http::schema::ListOf;
using http::schema::Nullable;
using http::schema::Object;
using http::schema::String;

constexpr int kMaxLimit = 200;
constexpr int kDefaultLimit = 50;
// The longest ref_id a message may carry is 128 characters (SqlOutbox::Prepare), up to 4 bytes each.
constexpr size_t kMaxRefIdBytes = 512;

const http::QuerySpec<OutboxFilter>& OutboxQuerySpec() {
  static const auto* spec =
      &(*new http::QuerySpec<OutboxFilter>())
           .Enum("status", &OutboxFilter::status, kMessageStatuses,
                 {.description = "Only messages in this state."})
           .Enum(
               "ref_type", &OutboxFilter::ref_type, kOutboxRefTypes,
               {.description = "Only messages about this kind of object: a policy (the activation notice) or "
                               "an inbound SMS (the reply to one that could not be used)."})
           .Text("ref_id", &OutboxFilter::ref_id,
                 {.max_len = kMaxRefIdBytes, .description = "Only messages about the object with this id."})
           .Limit(&OutboxFilter::limit, kDefaultLimit, kMaxLimit);
  return *spec;
}

nlohmann::json ResponseSchema() {
  return ListOf(
      Object({{"id", String()},
              {"channel", String()},
              {"recipient_masked", String()},
              {"template_code", String()},
              {"ref_type", Enum(kOutboxRefTypes.Names())},
              {"ref_id", String()},
              {"status", Enum(kMessageStatuses.Names())},
              {"attempts", Integer()},
              {"next_attempt_at", DateTime()},
              {"created_at", DateTime()},
              {"sent_at", Nullable(DateTime())},
              {"last_error", Nullable(String())},
              {"provider_message_id", Nullable(String())}},
             {"id", "channel", "recipient_masked", "template_code", "status", "attempts", "created_at"}));
}

struct SimulatorQuery {
  int limit = kDefaultLimit;
};

const http::QuerySpec<SimulatorQuery>& SimulatorQuerySpec() {
  static const auto* spec =
      &(*new http::QuerySpec<SimulatorQuery>()).Limit(&SimulatorQuery::limit, kDefaultLimit, kMaxLimit);
  return *spec;
}

nlohmann::json SimulatedSmsJson(const SimulatedSms& m) {
  return {{"id", m.id},
          {"to_masked", m.to_masked},
          {"template_code", m.template_code},
          {"text", m.text},
          {"status", std::string(MessageStatusName(m.status))},
          {"created_at", FormatTimestamp(m.created_at)},
          {"sent_at", m.sent_at ? nlohmann::json(FormatTimestamp(*m.sent_at)) : nlohmann::json(nullptr)},
          {"ref_type", kOutboxRefTypes.Name(m.ref_type)},
          {"ref_id", m.ref_id}};
}

}  // namespace

nlohmann::json OutboxEntryJson(const OutboxEntry& entry) {
  return {
      {"id", entry.id},
      {"channel", entry.channel},
      {"recipient_masked", entry.recipient_masked},
      {"template_code", entry.template_code},
      {"ref_type", kOutboxRefTypes.Name(entry.ref_type)},
      {"ref_id", entry.ref_id},
      {"status", std::string(MessageStatusName(entry.status))},
      {"attempts", entry.attempts},
      {"next_attempt_at", FormatTimestamp(entry.next_attempt_at)},
      {"created_at", FormatTimestamp(entry.created_at)},
      {"sent_at", entry.sent_at ? nlohmann::json(FormatTimestamp(*entry.sent_at)) : nlohmann::json(nullptr)},
      {"last_error", http::NullOr(entry.last_error)},
      {"provider_message_id", http::NullOr(entry.provider_message_id)}};
}

void RegisterNotifyRoutes(http::Router& router, const OutboxService& outbox) {
  http::Route route;
  route.method = "GET";
  route.pattern = "/api/v1/outbox";
  route.access = http::Access::kPermission;
  route.permission = std::string(kPermOutboxRead);
  route.summary = "List outgoing messages (masked recipients, no text), newest first, in the caller's scope";
  route.description =
      "Staff see the messages about organisations in their subtree; the head office also those about "
      "no organisation (replies to unusable inbound SMS). Demo roles: system_admin, org_admin.";
  route.tag = "notify";
  route.response_schema = ResponseSchema();
  route.query_parameters = OutboxQuerySpec().Parameters();
  route.handler = [&outbox](http::Request& request) -> Result<http::Response> {
    ANXIN_ASSIGN_OR_RETURN(OutboxFilter filter, OutboxQuerySpec().Read(request));
    ANXIN_ASSIGN_OR_RETURN(std::vector<OutboxEntry> entries, outbox.List(http::ActorOf(request), filter));
    return http::JsonResponse(200, {{"items", http::JsonArray(entries, OutboxEntryJson)}});
  };
  router.Add(std::move(route));
}

void RegisterSmsSimulatorRoutes(http::Router& router, const SmsSimulator& simulator) {
  http::Route route;
  route.method = "GET";
  route.pattern = "/api/v1/sms/simulator/messages";
  route.access = http::Access::kPermission;
  route.permission = std::string(kPermSmsSimulate);
  route.summary =
      "SMS gateway simulator: the messages the platform sent, newest first (phone masked, text shown)";
  route.description =
      "Only while no real SMS gateway is configured (`sms_webhook_url` empty); otherwise 404 "
      "`sms_simulator_off`. Staff at the head office see every message; others the messages about "
      "organisations in their subtree. Demo roles: system_admin, org_admin.";
  route.tag = "notify";
  route.query_parameters = SimulatorQuerySpec().Parameters();
  route.response_schema = ListOf(Object(
      {{"id", String()},
       {"to_masked", String()},
       {"template_code", String()},
       {"text", String()},
       {"status", Enum(kMessageStatuses.Names())},
       {"created_at", DateTime()},
       {"sent_at", Nullable(DateTime())},
       {"ref_type", Enum(kOutboxRefTypes.Names())},
       {"ref_id", String()}},
      {"id", "to_masked", "template_code", "text", "status", "created_at", "sent_at", "ref_type", "ref_id"}));
  route.handler = [&simulator](http::Request& request) -> Result<http::Response> {
    ANXIN_ASSIGN_OR_RETURN(SimulatorQuery query, SimulatorQuerySpec().Read(request));
    ANXIN_RETURN_IF_ERROR(simulator.CheckOn());
    ANXIN_ASSIGN_OR_RETURN(std::vector<SimulatedSms> messages,
                           simulator.Messages(http::ActorOf(request), query.limit));
    return http::JsonResponse(200, {{"items", http::JsonArray(messages, SimulatedSmsJson)}});
  };
  router.Add(std::move(route));
}

}  // namespace anxin::notify
