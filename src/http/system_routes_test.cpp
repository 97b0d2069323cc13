#include "http/system_routes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace anxin::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

Response Get(const Router& router, std::string path, std::string authorization = "") {
  Request request;
  request.method = "GET";
  request.path = std::move(path);
  request.request_id = "r1";
  if (!authorization.empty()) request.headers["authorization"] = std::move(authorization);
  return router.Handle(request);
}

std::string HeaderOf(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

TEST(SystemRoutesTest, ServesEverythingByDefault) {
  Router router;
  Metrics metrics;
  RegisterSystemRoutes(router, metrics, nullptr, "1.0");
  for (std::string path : {"/healthz", "/readyz", "/metrics", "/openapi.json"}) {
    EXPECT_EQ(Get(router, path).status, 200) << path;
  }
  EXPECT_THAT(Get(router, "/metrics").content_type, HasSubstr("text/plain; version=0.0.4"));
}

TEST(SystemRoutesTest, MetricsTokenIsRequiredWhenSet) {
  Router router;
  Metrics metrics;
  SystemRouteOptions options;
  options.metrics_token = "s3cret-metrics-token";
  RegisterSystemRoutes(router, metrics, nullptr, "1.0", options);
  const std::vector<std::string> refused = {
      "",
      "Bearer wrong",
      "Bearer s3cret-metrics-toke",
      "Bearer s3cret-metrics-token2",
      "Basic czNjcmV0LW1ldHJpY3MtdG9rZW4=",
      "s3cret-metrics-token",
      "Bearer ",
  };
  for (const std::string& authorization : refused) {
    Response response = Get(router, "/metrics", authorization);
    EXPECT_EQ(response.status, 401) << authorization;
    EXPECT_EQ(Json::parse(response.body)["code"], "unauthenticated");
    EXPECT_EQ(HeaderOf(response, "WWW-Authenticate"), "Bearer");
    EXPECT_THAT(response.body, Not(HasSubstr("anxin_http_requests_total")));
  }
  for (std::string authorization : {"Bearer s3cret-metrics-token", "bearer s3cret-metrics-token"}) {
    Response response = Get(router, "/metrics", authorization);
    EXPECT_EQ(response.status, 200) << authorization;
    EXPECT_THAT(response.content_type, HasSubstr("text/plain"));
  }
  // Health checks stay open for load balancers.
  EXPECT_EQ(Get(router, "/healthz").status, 200);
  EXPECT_EQ(Get(router, "/readyz").status, 200);
}

TEST(SystemRoutesTest, MetricsCanLeaveThePublicRouter) {
  Router public_router;
  Router ops_router;
  Metrics metrics;
  SystemRouteOptions public_options;
  public_options.serve_metrics = false;
  RegisterSystemRoutes(public_router, metrics, nullptr, "1.0", public_options);
  SystemRouteOptions ops_options;
  ops_options.serve_openapi = false;
  RegisterSystemRoutes(ops_router, metrics, nullptr, "1.0", ops_options);

  EXPECT_EQ(Get(public_router, "/metrics").status, 404);
  EXPECT_EQ(Get(public_router, "/openapi.json").status, 200);
  EXPECT_EQ(Get(public_router, "/healthz").status, 200);
  EXPECT_EQ(Get(ops_router, "/metrics").status, 200);
  EXPECT_EQ(Get(ops_router, "/healthz").status, 200);
  EXPECT_EQ(Get(ops_router, "/readyz").status, 200);
  EXPECT_EQ(Get(ops_router, "/openapi.json").status, 404);
}

}  // namespace
}  // namespace anxin::http
