#pragma once

#include <functional>
#include <string>

#include "common/status.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace anxin::http {

// Registers the operational routes, all public and all documented in OpenAPI:
//   GET /healthz       inline; 200 {"status":"ok"} while the process serves requests.
//   GET /readyz        worker pool; calls `ready` (e.g. a database ping): 200 {"status":"ready"},
//                      or the returned error as problem+json (kUnavailable -> 503).
//   GET /metrics       inline; metrics.Render() as text/plain; version=0.0.4.
//   GET /openapi.json  inline; BuildOpenApi(router, version), built on first use and cached, so
//                      every route must be registered before the server starts.
// `router` and `metrics` must outlive the routes.
void RegisterSystemRoutes(Router& router, Metrics& metrics, std::function<Status()> ready,
                          std::string version);

}  // namespace anxin::http
