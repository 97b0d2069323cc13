#include "http/openapi.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/system_routes.hpp"

namespace anxin::http {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

Result<Response> Ok(Request&) { return JsonResponse(200, Json::object()); }

class OpenApiTest : public ::testing::Test {
 protected:
  OpenApiTest() {
    RegisterSystemRoutes(
        router_, metrics_, [this] { return ready_; }, "1.2.3");
    Route list;
    list.method = "GET";
    list.pattern = "/api/v1/products";
    list.access = Access::kPermission;
    list.permission = "product.read";
    list.summary = "List products";
    list.tag = "products";
    list.response_schema = {{"type", "array"}};
    list.query_parameters = {"page", "status"};
    list.handler = Ok;
    router_.Add(list);

    Route create;
    create.method = "POST";
    create.pattern = "/api/v1/products/{code}/versions";
    create.access = Access::kAuthenticated;
    create.summary = "Create a version";
    create.tag = "products";
    create.request_schema = {{"type", "object"}, {"required", {"name"}}};
    create.response_schema = {{"type", "object"}};
    create.success_status = 201;
    create.handler = Ok;
    router_.Add(create);
  }

  Response Get(std::string path) {
    Request request;
    request.method = "GET";
    request.path = std::move(path);
    request.request_id = "r1";
    return router_.Handle(request);
  }

  Router router_;
  Metrics metrics_;
  Status ready_ = Status::Ok();
};

TEST_F(OpenApiTest, DocumentsEveryRegisteredRoute) {
  Json doc = BuildOpenApi(router_, "1.2.3");
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_EQ(doc["info"]["title"], "Anxin API");
  EXPECT_EQ(doc["info"]["version"], "1.2.3");
  EXPECT_EQ(doc["servers"], Json::parse(R"([{"url":"/"}])"));
  std::set<std::string> operation_ids;
  for (const Route& route : router_.routes()) {
    std::string method = route.method == "GET" ? "get" : "post";
    ASSERT_TRUE(doc["paths"].contains(route.pattern)) << route.pattern;
    ASSERT_TRUE(doc["paths"][route.pattern].contains(method)) << route.pattern;
    const Json& op = doc["paths"][route.pattern][method];
    EXPECT_EQ(op["summary"], route.summary);
    EXPECT_EQ(op["tags"], Json::array({route.tag}));
    EXPECT_TRUE(operation_ids.insert(op["operationId"].get<std::string>()).second);
    const Json& success = op["responses"][std::to_string(route.success_status)];
    ASSERT_TRUE(success.is_object()) << route.pattern;
    if (!route.response_schema.is_null()) {
      ASSERT_TRUE(success.contains("content")) << route.pattern;
      EXPECT_EQ(success["content"].begin().value()["schema"], route.response_schema);
    }
    if (route.request_schema.is_null()) {
      EXPECT_FALSE(op.contains("requestBody"));
    } else {
      EXPECT_EQ(op["requestBody"]["content"]["application/json"]["schema"], route.request_schema);
    }
  }
  EXPECT_EQ(doc["paths"].size(), 6U);
}

TEST_F(OpenApiTest, ABodyThatMayBeLeftOutIsNotRequired) {
  Route lift;
  lift.method = "POST";
  lift.pattern = "/api/v1/things/{id}/lift";
  lift.summary = "Lift";
  lift.tag = "things";
  lift.request_schema = {{"type", "object"}};
  lift.request_body_required = false;
  lift.handler = Ok;
  router_.Add(lift);
  Json doc = BuildOpenApi(router_, "1");
  EXPECT_EQ(doc["paths"]["/api/v1/things/{id}/lift"]["post"]["requestBody"]["required"], false);
  EXPECT_EQ(doc["paths"]["/api/v1/products/{code}/versions"]["post"]["requestBody"]["required"], true);
}

TEST_F(OpenApiTest, DescribesParametersSecurityAndErrors) {
  Json doc = BuildOpenApi(router_, "1");
  const Json& list = doc["paths"]["/api/v1/products"]["get"];
  EXPECT_EQ(list["operationId"], "getApiV1Products");
  EXPECT_EQ(list["security"], Json::parse(R"([{"bearerAuth":[]},{"cookieAuth":[]}])"));
  EXPECT_EQ(list["x-permission"], "product.read");
  std::vector<std::string> names;
  for (const Json& p : list["parameters"])
    names.push_back(p["in"].get<std::string>() + ":" + p["name"].get<std::string>());
  EXPECT_EQ(names, (std::vector<std::string>{"query:page", "query:status", "header:Accept-Language",
                                             "header:X-Request-Id"}));
  for (std::string code : {"400", "401", "403", "429", "500"}) {
    ASSERT_TRUE(list["responses"].contains(code)) << code;
    EXPECT_EQ(list["responses"][code]["content"]["application/problem+json"]["schema"]["$ref"],
              "#/components/schemas/Problem");
  }
  EXPECT_FALSE(list["responses"].contains("404"));

  const Json& create = doc["paths"]["/api/v1/products/{code}/versions"]["post"];
  EXPECT_EQ(create["operationId"], "postApiV1ProductsByCodeVersions");
  names.clear();
  for (const Json& p : create["parameters"])
    names.push_back(p["in"].get<std::string>() + ":" + p["name"].get<std::string>());
  EXPECT_EQ(names, (std::vector<std::string>{"path:code", "header:Idempotency-Key", "header:X-CSRF-Token",
                                             "header:Accept-Language", "header:X-Request-Id"}));
  EXPECT_EQ(create["parameters"][0]["required"], true);
  for (std::string code : {"201", "400", "401", "404", "409", "413", "415", "422", "429"}) {
    EXPECT_TRUE(create["responses"].contains(code)) << code;
  }
  EXPECT_THAT(create["responses"]["403"]["description"].get<std::string>(), HasSubstr("csrf_token_invalid"));

  const Json& health = doc["paths"]["/healthz"]["get"];
  EXPECT_EQ(health["security"], Json::array());
  EXPECT_FALSE(health["responses"].contains("401"));
  EXPECT_TRUE(doc["paths"]["/metrics"]["get"]["responses"]["200"]["content"].contains("text/plain"));

  EXPECT_EQ(doc["components"]["securitySchemes"]["bearerAuth"]["type"], "http");
  EXPECT_EQ(doc["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");
  const Json& cookie = doc["components"]["securitySchemes"]["cookieAuth"];
  EXPECT_EQ(cookie["type"], "apiKey");
  EXPECT_EQ(cookie["in"], "cookie");
  EXPECT_EQ(cookie["name"], "anxin_session");
  EXPECT_THAT(cookie["description"].get<std::string>(), HasSubstr("X-CSRF-Token"));
  const Json& problem = doc["components"]["schemas"]["Problem"];
  for (std::string field : {"type", "title", "status", "code", "detail", "errors", "request_id"}) {
    EXPECT_TRUE(problem["properties"].contains(field)) << field;
  }
}

TEST_F(OpenApiTest, SystemRoutesAnswer) {
  Response health = Get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(Json::parse(health.body), Json::parse(R"({"status":"ok"})"));

  Response ready = Get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(Json::parse(ready.body), Json::parse(R"({"status":"ready"})"));
  ready_ = Status(StatusCode::kUnavailable, "database_unavailable", {"数据库不可用", "Database unavailable"});
  ready = Get("/readyz");
  EXPECT_EQ(ready.status, 503);
  EXPECT_EQ(ready.content_type, "application/problem+json");
  EXPECT_EQ(Json::parse(ready.body)["code"], "database_unavailable");

  metrics_.Observe("GET", "/healthz", 200, 0.001);
  Response text = Get("/metrics");
  EXPECT_EQ(text.status, 200);
  EXPECT_THAT(text.content_type, HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(text.body,
              HasSubstr("anxin_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"));

  Response openapi = Get("/openapi.json");
  EXPECT_EQ(openapi.status, 200);
  EXPECT_EQ(openapi.content_type, "application/json");
  EXPECT_EQ(Json::parse(openapi.body), BuildOpenApi(router_, "1.2.3"));
  EXPECT_EQ(Get("/openapi.json").body, openapi.body);

  for (const char* path : {"/healthz", "/metrics", "/openapi.json"}) {
    EXPECT_TRUE(router_.Find("GET", path, nullptr).route->inline_handler) << path;
  }
  EXPECT_FALSE(router_.Find("GET", "/readyz", nullptr).route->inline_handler);
}

TEST(OpenApiIdempotencyTest, RouteWhoseAnswerHoldsASecretSaysItIgnoresTheKey) {
  Router router;
  Route login;
  login.method = "POST";
  login.pattern = "/api/v1/sessions";
  login.access = Access::kPublic;
  login.summary = "Log in";
  login.tag = "identity";
  login.request_schema = {{"type", "object"}};
  login.success_status = 201;
  login.response_holds_secret = true;
  login.handler = Ok;
  router.Add(login);
  const Json op = BuildOpenApi(router, "1")["paths"]["/api/v1/sessions"]["post"];
  bool documented = false;
  for (const Json& p : op["parameters"]) {
    if (p["name"] != "Idempotency-Key") continue;
    documented = true;
    EXPECT_THAT(p["description"].get<std::string>(), HasSubstr("Ignored"));
  }
  EXPECT_TRUE(documented);
  EXPECT_FALSE(op["responses"].contains("422"));
}

}  // namespace
}  // namespace anxin::http
