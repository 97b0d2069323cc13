#include "http/route_support.hpp"

#include <algorithm>
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
  auto values = schema.find("enum");
  if (values != schema.end() && std::find(values->begin(), values->end(), nullptr) == values->end()) {
    values->push_back(nullptr);
  }
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
