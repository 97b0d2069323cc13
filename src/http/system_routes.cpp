#include "http/system_routes.hpp"

#include <memory>
#include <mutex>
#include <utility>

#include "http/openapi.hpp"

namespace anxin::http {
namespace {

nlohmann::json StatusSchema(const char* value) {
  return {{"type", "object"},
          {"required", {"status"}},
          {"properties", {{"status", {{"type", "string"}, {"const", value}}}}}};
}

// The OpenAPI document, built once on first request.
struct OpenApiCache {
  std::once_flag once;
  std::string body;
};

}  // namespace

void RegisterSystemRoutes(Router& router, Metrics& metrics, std::function<Status()> ready,
                          std::string version) {
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

  router.Add(Route{
      .method = "GET",
      .pattern = "/metrics",
      .access = Access::kPublic,
      .inline_handler = true,
      .summary = "Prometheus metrics (text exposition format 0.0.4)",
      .tag = "system",
      .response_schema = {{"type", "string"}, {"contentMediaType", "text/plain"}},
      .handler = [&metrics](Request&) -> Result<Response> {
        Response response;
        response.content_type = "text/plain; version=0.0.4; charset=utf-8";
        response.body = metrics.Render();
        return response;
      },
  });

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
