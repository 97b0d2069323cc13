#pragma once

#include <functional>
#include <string>

#include "common/status.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace anxin::http {

// Which system routes a router serves, and how /metrics is guarded.
struct SystemRouteOptions {
  bool serve_metrics = true;  // GET /metrics (off on the public router when metrics_listen is set)
  bool serve_openapi = true;  // GET /openapi.json
  // When set, GET /metrics needs "Authorization: Bearer <metrics_token>" (compared in constant
  // time); without it or with another token: 401 "unauthenticated".
  std::string metrics_token;
};

// Registers the operational routes, all public and all documented in OpenAPI:
//   GET /healthz       inline; 200 {"status":"ok"} while the process serves requests.
//   GET /readyz        worker pool; calls `ready` (e.g. a database ping): 200 {"status":"ready"},
//                      or the returned error as problem+json (kUnavailable -> 503).
//   GET /metrics       inline; metrics.Render() as text/plain; version=0.0.4 (see
//                      SystemRouteOptions for when it is served and guarded).
//   GET /openapi.json  inline; BuildOpenApi(router, version), built on first use and cached, so
//                      every route must be registered before the server starts.
// `router` and `metrics` must outlive the routes.
void RegisterSystemRoutes(Router& router, Metrics& metrics, std::function<Status()> ready,
                          std::string version, SystemRouteOptions options = {});

}  // namespace anxin::http
