#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "http/router.hpp"

namespace anxin::http {

// Builds the OpenAPI 3.1.0 document describing every route registered on `router`: operations
// with their parameters (path, documented query, Idempotency-Key on POST, Accept-Language),
// request and success schemas, the error responses that can occur (all as problem+json, schema
// components.schemas.Problem) and bearer security on non-public routes. `version` is the API
// version shown in `info`. Reads the router only; safe once routes are registered.
nlohmann::json BuildOpenApi(const Router& router, std::string_view version);

}  // namespace anxin::http
