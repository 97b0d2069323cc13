#include "notify/notify_routes.hpp"

#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/validation.hpp"

namespace anxin::notify {
namespace {

constexpr int kMaxLimit = 200;
constexpr int kDefaultLimit = 50;
constexpr size_t kMaxFilterLength = 128;

// Returns the query parameter unless absent or empty (empty means "no filter").
std::optional<std::string> Present(const http::Request& request, const char* name) {
  std::optional<std::string> raw = request.Query(name);
  if (raw && raw->empty()) return std::nullopt;
  return raw;
}

Result<OutboxFilter> ParseFilter(const http::Request& request) {
  std::vector<FieldError> errors;
  OutboxFilter filter;
  filter.limit = kDefaultLimit;
  if (std::optional<std::string> status = Present(request, "status")) {
    filter.status = ParseMessageStatus(*status);
    if (!filter.status) {
      errors.push_back(
          {"status", "invalid_value", {"应为 pending、sent 或 failed", "must be pending, sent or failed"}});
    }
  }
  for (const char* name : {"ref_type", "ref_id"}) {
    std::optional<std::string> value = Present(request, name);
    if (!value) continue;
    if (!IsValidUtf8(*value)) {
      errors.push_back({name, "invalid_format", {"包含无效字符", "contains invalid characters"}});
    } else if (Utf8Length(*value) > kMaxFilterLength) {
      errors.push_back({name, "too_long", {"不能超过 128 个字符", "must be at most 128 characters"}});
    } else {
      (std::string_view(name) == "ref_type" ? filter.ref_type : filter.ref_id) = *value;
    }
  }
  if (std::optional<std::string> raw = Present(request, "limit")) {
    int limit = 0;
    const char* end = raw->data() + raw->size();
    auto [ptr, ec] = std::from_chars(raw->data(), end, limit);
    if (ec != std::errc() || ptr != end || limit < 1 || limit > kMaxLimit) {
      errors.push_back(
          {"limit", "out_of_range", {"应为 1 到 200 之间的整数", "must be an integer from 1 to 200"}});
    } else {
      filter.limit = limit;
    }
  }
  if (!errors.empty()) return Status::Invalid(std::move(errors));
  return filter;
}

Result<http::Response> ListOutbox(storage::Database& db, http::Request& request) {
  if (request.Caller().kind != UserKind::kStaff) {
    return Status(StatusCode::kPermissionDenied, "permission_denied",
                  {"只有机构员工可以查看短信发送记录", "only staff may read the outbox"});
  }
  ANXIN_ASSIGN_OR_RETURN(OutboxFilter filter, ParseFilter(request));
  ANXIN_ASSIGN_OR_RETURN(std::vector<OutboxEntry> entries,
                         db.ReadResult<std::vector<OutboxEntry>>(
                             [&](storage::Tx& tx) { return OutboxStore::List(tx, filter); }));
  nlohmann::json items = nlohmann::json::array();
  for (const OutboxEntry& entry : entries) items.push_back(OutboxEntryJson(entry));
  return http::JsonResponse(200, {{"items", std::move(items)}});
}

nlohmann::json ResponseSchema() {
  const nlohmann::json text = {{"type", "string"}};
  const nlohmann::json optional_text = {{"type", {"string", "null"}}};
  const nlohmann::json time = {{"type", "string"}, {"format", "date-time"}};
  const nlohmann::json item = {
      {"type", "object"},
      {"properties",
       {{"id", text},
        {"channel", text},
        {"recipient_masked", text},
        {"template_code", text},
        {"ref_type", text},
        {"ref_id", text},
        {"status", {{"type", "string"}, {"enum", {"pending", "sent", "failed"}}}},
        {"attempts", {{"type", "integer"}}},
        {"next_attempt_at", time},
        {"created_at", time},
        {"sent_at", {{"type", {"string", "null"}}, {"format", "date-time"}}},
        {"last_error", optional_text},
        {"provider_message_id", optional_text}}},
      {"required",
       {"id", "channel", "recipient_masked", "template_code", "status", "attempts", "created_at"}}};
  return {{"type", "object"},
          {"properties", {{"items", {{"type", "array"}, {"items", item}}}}},
          {"required", {"items"}}};
}

nlohmann::json OptionalJson(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json OutboxEntryJson(const OutboxEntry& entry) {
  return {
      {"id", entry.id},
      {"channel", entry.channel},
      {"recipient_masked", entry.recipient_masked},
      {"template_code", entry.template_code},
      {"ref_type", entry.ref_type},
      {"ref_id", entry.ref_id},
      {"status", std::string(MessageStatusName(entry.status))},
      {"attempts", entry.attempts},
      {"next_attempt_at", FormatTimestamp(entry.next_attempt_at)},
      {"created_at", FormatTimestamp(entry.created_at)},
      {"sent_at", entry.sent_at ? nlohmann::json(FormatTimestamp(*entry.sent_at)) : nlohmann::json(nullptr)},
      {"last_error", OptionalJson(entry.last_error)},
      {"provider_message_id", OptionalJson(entry.provider_message_id)}};
}

void RegisterNotifyRoutes(http::Router& router, storage::Database& db) {
  http::Route route;
  route.method = "GET";
  route.pattern = "/api/v1/outbox";
  route.access = http::Access::kPermission;
  route.permission = "audit.read";
  route.summary = "List outgoing messages (masked recipients, no text), newest first";
  route.tag = "notify";
  route.response_schema = ResponseSchema();
  route.query_parameters = {"status", "ref_type", "ref_id", "limit"};
  route.handler = [&db](http::Request& request) { return ListOutbox(db, request); };
  router.Add(std::move(route));
}

}  // namespace anxin::notify
