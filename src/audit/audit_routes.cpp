#include "audit/audit_routes.hpp"

#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/validation.hpp"
#include "http/route_support.hpp"

namespace anxin::audit {
namespace {

using http::schema::Array;
using http::schema::DateTime;
using http::schema::Integer;
using http::schema::Nullable;
using http::schema::Object;
using http::schema::String;

constexpr size_t kMaxFilterLength = 200;
constexpr int kDefaultLimit = 100;

// Collects the filter from the query string, recording every invalid parameter.
class FilterParser {
 public:
  explicit FilterParser(const http::Request& request) : request_(request) {}

  std::optional<int64_t> Timestamp(const char* name) {
    std::optional<std::string> raw = http::NonEmptyQuery(request_, name);
    if (!raw) return std::nullopt;
    Result<int64_t> ms = ParseTimestamp(*raw, name);
    if (!ms.ok()) {
      const std::vector<FieldError>& fields = ms.status().fields();
      if (fields.empty()) {
        Fail(name, "invalid_format",
             {"时间格式应为 RFC 3339，例如 2026-01-31T08:00:00+08:00",
              "expected an RFC 3339 timestamp such as 2026-01-31T08:00:00+08:00"});
      }
      errors_.insert(errors_.end(), fields.begin(), fields.end());
      return std::nullopt;
    }
    return *ms;
  }

  std::optional<std::string> Text(const char* name) {
    std::optional<std::string> raw = http::NonEmptyQuery(request_, name);
    if (!raw) return std::nullopt;
    if (!IsValidUtf8(*raw)) {
      Fail(name, "invalid_format", {"包含无效字符", "contains invalid characters"});
      return std::nullopt;
    }
    if (Utf8Length(*raw) > kMaxFilterLength) {
      Fail(name, "too_long", {"不能超过 200 个字符", "must be at most 200 characters"});
      return std::nullopt;
    }
    return raw;
  }

  std::optional<int64_t> Integer(const char* name, int64_t min, int64_t max) {
    std::optional<std::string> raw = http::NonEmptyQuery(request_, name);
    if (!raw) return std::nullopt;
    int64_t value = 0;
    const char* end = raw->data() + raw->size();
    auto [ptr, ec] = std::from_chars(raw->data(), end, value);
    if (ec != std::errc() || ptr != end) {
      Fail(name, "invalid_format", {"应为整数", "must be an integer"});
      return std::nullopt;
    }
    if (value < min || value > max) {
      Fail(name, "out_of_range",
           {"应在 " + std::to_string(min) + " 到 " + std::to_string(max) + " 之间",
            "must be between " + std::to_string(min) + " and " + std::to_string(max)});
      return std::nullopt;
    }
    return value;
  }

  void Fail(const char* name, const char* code, anxin::Text message) {
    errors_.push_back(FieldError{name, code, std::move(message)});
  }

  Status Finish() { return errors_.empty() ? Status::Ok() : Status::Invalid(std::move(errors_)); }

 private:
  const http::Request& request_;
  std::vector<FieldError> errors_;
};

// Returns the org path prefix the caller may read, or kPermissionDenied for callers outside the
// organisation tree. The root node ("/<id>/": one segment) sees everything.
Result<std::string> ScopeOf(const Principal& caller) {
  if (caller.kind != UserKind::kStaff || caller.org_path.empty()) {
    return Status(StatusCode::kPermissionDenied, "permission_denied",
                  {"只有机构员工可以查看审计日志", "only staff of an organisation may read the audit log"});
  }
  int segments = 0;
  bool in_segment = false;
  for (char c : caller.org_path) {
    if (c == '/') {
      in_segment = false;
    } else if (!in_segment) {
      in_segment = true;
      ++segments;
    }
  }
  return segments <= 1 ? std::string() : caller.org_path;
}

Result<http::Response> ListAuditEvents(storage::Database& db, const AuditLog& log, http::Request& request) {
  FilterParser in(request);
  AuditFilter filter;
  filter.from_ms = in.Timestamp("from");
  filter.to_ms = in.Timestamp("to");
  filter.actor_id = in.Text("actor_id");
  filter.action = in.Text("action");
  filter.object_type = in.Text("object_type");
  filter.object_id = in.Text("object_id");
  filter.after_seq = in.Integer("after_seq", 0, INT64_MAX).value_or(0);
  filter.limit = static_cast<int>(in.Integer("limit", 1, kMaxQueryLimit).value_or(kDefaultLimit));
  if (filter.from_ms && filter.to_ms && *filter.from_ms > *filter.to_ms) {
    in.Fail("to", "invalid_range", {"结束时间不能早于开始时间", "must not be before from"});
  }
  ANXIN_RETURN_IF_ERROR(in.Finish());
  ANXIN_ASSIGN_OR_RETURN(filter.scope_org_path, ScopeOf(request.Caller()));

  ANXIN_ASSIGN_OR_RETURN(std::vector<AuditRecord> records, log.Query(db, filter));
  nlohmann::json body = {{"items", http::JsonArray(records, AuditRecordJson)}, {"next_after_seq", nullptr}};
  if (static_cast<int>(records.size()) == filter.limit) body["next_after_seq"] = records.back().seq;
  return http::JsonResponse(200, body);
}

nlohmann::json ResponseSchema() {
  nlohmann::json item = Object({{"seq", Integer()},
                                {"chain_id", Integer()},
                                {"chain_seq", Integer()},
                                {"at", DateTime()},
                                {"at_ms", Integer()},
                                {"actor_id", String()},
                                {"actor_role", String()},
                                {"actor_org_id", String()},
                                {"action", String()},
                                {"object_type", String()},
                                {"object_id", String()},
                                {"org_id", String()},
                                {"org_path", String()},
                                {"summary", {{"type", "object"}}},
                                {"result", String()},
                                {"request_id", String()},
                                {"client_address", String()},
                                {"prev_hash", String()},
                                {"hash", String()}},
                               {"seq", "chain_id", "chain_seq", "at", "actor_id", "action", "object_type",
                                "object_id", "result", "hash"});
  return Object({{"items", Array(item)}, {"next_after_seq", Nullable(Integer())}},
                {"items", "next_after_seq"});
}

}  // namespace

nlohmann::json AuditRecordJson(const AuditRecord& record) {
  nlohmann::json summary = nlohmann::json::parse(record.summary, nullptr, /*allow_exceptions=*/false);
  if (summary.is_discarded()) summary = record.summary;
  return {{"seq", record.seq},
          {"chain_id", record.chain_id},
          {"chain_seq", record.chain_seq},
          {"at", FormatTimestamp(record.at_ms)},
          {"at_ms", record.at_ms},
          {"actor_id", record.actor_id},
          {"actor_role", record.actor_role},
          {"actor_org_id", record.actor_org_id},
          {"action", record.action},
          {"object_type", record.object_type},
          {"object_id", record.object_id},
          {"org_id", record.org_id},
          {"org_path", record.org_path},
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
  route.permission = "audit.read";
  route.summary = "List audit records in the caller's organisation scope, oldest first";
  route.tag = "audit";
  route.response_schema = ResponseSchema();
  route.query_parameters = {"from",        "to",        "actor_id",  "action",
                            "object_type", "object_id", "after_seq", "limit"};
  route.handler = [&db, &log](http::Request& request) { return ListAuditEvents(db, log, request); };
  router.Add(std::move(route));
}

}  // namespace anxin::audit
