#pragma once

// Helpers shared by the route files (`*_routes.cpp`): the actor of a request, JSON rendering and
// the JSON Schema builders of the OpenAPI document (query strings: http/query_spec.hpp). Beast-free;
// every function is pure and thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/actor.hpp"
#include "common/status.hpp"
#include "http/router.hpp"

namespace anxin::http {

// Returns the actor a service call runs as: the request's principal (null on public routes,
// which the router never authenticates), request id and client address. The actor points into
// `request`, which must outlive it.
Actor ActorOf(const Request& request);

// Returns `value` as a JSON string, or JSON null when absent.
nlohmann::json NullOr(const std::optional<std::string>& value);

// Returns a JSON array holding `render(item)` for each of `items`, in order.
template <typename Range, typename Render>
nlohmann::json JsonArray(const Range& items, Render render) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& item : items) out.push_back(render(item));
  return out;
}

// JSON Schema (2020-12, as OpenAPI 3.1 uses it) builders for route documentation.
namespace schema {

// {"type": "string"}, with "maxLength" when `max_len` > 0.
nlohmann::json String(size_t max_len = 0);
// {"type": "integer"}.
nlohmann::json Integer();
// {"type": "boolean"}.
nlohmann::json Boolean();
// A calendar date, "2026-01-31" (RFC 3339 full-date).
nlohmann::json FullDate();
// A timestamp, "2026-01-31T08:00:00+08:00" (RFC 3339 date-time).
nlohmann::json DateTime();
// A string that is one of `values`.
nlohmann::json Enum(std::vector<std::string> values);
// An array of `items`, with "maxItems" when `max_items` > 0.
nlohmann::json Array(nlohmann::json items, size_t max_items = 0);
// `schema` that also admits null: its "type" t becomes [t, "null"] and an "enum" gains null, other
// keywords are kept; a schema without "type" becomes {"oneOf": [schema, {"type": "null"}]}.
nlohmann::json Nullable(nlohmann::json schema);
// An object with `properties`, listing `required` when there are any. Other properties are
// allowed (what response bodies promise).
nlohmann::json Object(nlohmann::json properties, const std::vector<std::string>& required = {});
// Object() that also forbids properties not listed ("additionalProperties": false).
nlohmann::json ClosedObject(nlohmann::json properties, const std::vector<std::string>& required = {});
// A list body {"items": [item...]}.
nlohmann::json ListOf(nlohmann::json item);
// A cursor page {"items": [item...], "next_after": string or null}.
nlohmann::json PageOf(nlohmann::json item);

}  // namespace schema
}  // namespace anxin::http
