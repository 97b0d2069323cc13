#include "http/route_support.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

namespace anxin::http {

using nlohmann::json;

Actor ActorOf(const Request& request) {
  Actor actor;
  actor.principal = request.principal ? &*request.principal : nullptr;
  actor.request_id = request.request_id;
  actor.client_address = request.client_address;
  return actor;
}

json NullOr(const std::optional<std::string>& value) { return value ? json(*value) : json(nullptr); }

std::optional<std::string> NonEmptyQuery(const Request& request, std::string_view name) {
  std::optional<std::string> value = request.Query(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

Result<std::optional<std::string>> BoundedQuery(const Request& request, std::string_view name,
                                                size_t max_len) {
  std::optional<std::string> value = NonEmptyQuery(request, name);
  if (value && value->size() > max_len) {
    return Status::InvalidField(std::string(name), "too_long",
                                Text{"查询参数过长", "The query parameter is too long"});
  }
  return value;
}

Result<int> LimitParam(const Request& request, int default_limit, int max_limit) {
  std::optional<std::string> text = request.Query("limit");
  if (!text) return default_limit;
  int value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end || value < 1 || value > max_limit) {
    const std::string max = std::to_string(max_limit);
    return Status::InvalidField("limit", "out_of_range",
                                Text{"limit 须为 1-" + max, "limit must be 1-" + max});
  }
  return value;
}

namespace schema {

json String(size_t max_len) {
  json s = {{"type", "string"}};
  if (max_len > 0) s["maxLength"] = max_len;
  return s;
}

json Integer() { return {{"type", "integer"}}; }

json Boolean() { return {{"type", "boolean"}}; }

json FullDate() { return {{"type", "string"}, {"format", "date"}}; }

json DateTime() { return {{"type", "string"}, {"format", "date-time"}}; }

json Enum(std::vector<std::string> values) { return {{"type", "string"}, {"enum", std::move(values)}}; }

json Array(json items, size_t max_items) {
  json s = {{"type", "array"}, {"items", std::move(items)}};
  if (max_items > 0) s["maxItems"] = max_items;
  return s;
}

json Nullable(json schema) {
  auto type = schema.find("type");
  if (type == schema.end()) return {{"oneOf", json::array({std::move(schema), {{"type", "null"}}})}};
  if (type->is_string()) {
    *type = json::array({*type, "null"});
  } else if (type->is_array() && std::find(type->begin(), type->end(), "null") == type->end()) {
    type->push_back("null");
  }
  return schema;
}

json Object(json properties, const std::vector<std::string>& required) {
  json s = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) s["required"] = required;
  return s;
}

json ClosedObject(json properties, const std::vector<std::string>& required) {
  json s = Object(std::move(properties), required);
  s["additionalProperties"] = false;
  return s;
}

json ListOf(json item) { return Object({{"items", Array(std::move(item))}}, {"items"}); }

json PageOf(json item) {
  return Object({{"items", Array(std::move(item))}, {"next_after", Nullable(String())}},
                {"items", "next_after"});
}

}  // namespace schema
}  // namespace anxin::http
