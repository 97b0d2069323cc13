#include "http/system_routes.hpp"

#include <cctype>
#include <memory>
#include <mutex>
#include <utility>

#include "common/crypto.hpp"
#include "http/openapi.hpp"

namespace anxin::http {
namespace {

nlohmann::json StatusSchema(const char* value) {
  return {{"type", "object"},
          {"required", {"status"}},
          {"properties", {{"status", {{"type", "string"}, {"const", value}}}}}};
}

// Returns true when the request's Authorization header is "Bearer <token>" for `token`. Both sides
// are hashed first, so the comparison takes the same time whatever the length of the guess.
bool HasBearer(const Request& request, const std::string& token) {
  constexpr std::string_view kScheme = "bearer ";
  const std::string header = request.Header("authorization");
  if (header.size() <= kScheme.size()) return false;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return false;
  }
  return ConstantTimeEquals(Sha256Hex(std::string_view(header).substr(kScheme.size())), Sha256Hex(token));
}

// The OpenAPI document, built once on first request.
struct OpenApiCache {
  std::once_flag once;
  std::string body;
};

}  // namespace

void RegisterSystemRoutes(Router& router, Metrics& metrics, std::function<Status()> ready,
                          std::string version, SystemRouteOptions options) {
  router.Add(Route{
      .method = "GET",
      .pattern = "/healthz",
      .access = Access::kPublic,
      .inline_handler = true,
      .summary = "Liveness: the process is serving requests",
      .tag = "system",
      .response_schema = StatusSchema("ok"),
      .handler = [](Request&) -> Result<Response> {
        return JsonResponse(200, {{"status", "ok"}});
      },
  });

  router.Add(Route{
      .method = "GET",
      .pattern = "/readyz",
      .access = Access::kPublic,
      .summary = "Readiness: dependencies (the database) answer",
      .tag = "system",
      .response_schema = StatusSchema("ready"),
      .handler = [ready = std::move(ready)](Request&) -> Result<Response> {
        if (ready) ANXIN_RETURN_IF_ERROR(ready());
        return JsonResponse(200, {{"status", "ready"}});
      },
  });

  if (options.serve_metrics) {
    const bool guarded = !options.metrics_token.empty();
    router.Add(Route{
        .method = "GET",
        .pattern = "/metrics",
        .access = Access::kPublic,
        .inline_handler = true,
        .summary = guarded ? "Prometheus metrics (text exposition format 0.0.4); needs the metrics token as "
                             "Authorization: Bearer"
                           : "Prometheus metrics (text exposition format 0.0.4)",
        .tag = "system",
        .response_schema = {{"type", "string"}, {"contentMediaType", "text/plain"}},
        .handler = [&metrics, token = options.metrics_token](Request& request) -> Result<Response> {
          if (!token.empty() && !HasBearer(request, token)) {
            Response refused = ProblemResponse({StatusCode::kUnauthenticated,
                                                "unauthenticated",
                                                {"需要监控令牌", "The metrics token is required"}},
                                               request);
            refused.headers.emplace_back("WWW-Authenticate", "Bearer");
            return refused;
          }
          Response response;
          response.content_type = "text/plain; version=0.0.4; charset=utf-8";
          response.body = metrics.Render();
          return response;
        },
    });
  }

  if (!options.serve_openapi) return;
  auto cache = std::make_shared<OpenApiCache>();
  router.Add(Route{
      .method = "GET",
      .pattern = "/openapi.json",
      .access = Access::kPublic,
      .inline_handler = true,
      .summary = "This API's OpenAPI 3.1 document",
      .tag = "system",
      .response_schema = {{"type", "object"}},
      .handler = [&router, cache, version = std::move(version)](Request&) -> Result<Response> {
        std::call_once(cache->once, [&] {
          cache->body =
              BuildOpenApi(router, version).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        });
        Response response;
        response.body = cache->body;
        return response;
      },
  });
}

}  // namespace anxin::http
