#include "http/router.hpp"

#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace anxin::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

Handler Echo(std::string name) {
  return [name](Request& request) -> Result<Response> {
    Json params = Json::object();
    for (const auto& [key, value] : request.path_params) params[key] = value;
    return JsonResponse(200, {{"route", name}, {"params", params}});
  };
}

Route MakeRoute(std::string method, std::string pattern, Access access, Handler handler,
                std::string permission = "") {
  Route route;
  route.method = std::move(method);
  route.pattern = std::move(pattern);
  route.access = access;
  route.permission = std::move(permission);
  route.handler = std::move(handler);
  return route;
}

Request MakeRequest(std::string method, std::string path, std::string lang = "zh") {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.lang = std::move(lang);
  request.request_id = "req-1";
  return request;
}

std::string HeaderOf(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

// Accepts "good" (permissions product.read) and "admin" (product.read, product.write).
class FakeAuthenticator : public Authenticator {
 public:
  Result<Principal> Authenticate(std::string_view token, const Request&) override {
    ++calls;
    last_token = std::string(token);
    if (token == "down")
      return Status(StatusCode::kUnavailable, "database_unavailable", {"数据库不可用", "Down"});
    Principal principal;
    principal.user_id = "u1";
    if (token == "good") {
      principal.permissions = {"product.read"};
      return principal;
    }
    if (token == "admin") {
      principal.permissions = {"product.read", "product.write"};
      return principal;
    }
    return Status(StatusCode::kUnauthenticated, "invalid_token", {"登录已失效", "Invalid token"});
  }
  int calls = 0;
  std::string last_token;
};

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.SetAuthenticator(&auth_);
    router_.Add(MakeRoute("GET", "/healthz", Access::kPublic, Echo("healthz")));
    router_.Add(MakeRoute("GET", "/api/v1/products", Access::kPermission, Echo("list"), "product.read"));
    router_.Add(MakeRoute("POST", "/api/v1/products", Access::kPermission, Echo("create"), "product.write"));
    router_.Add(MakeRoute("GET", "/api/v1/products/{code}", Access::kPublic, Echo("get")));
    router_.Add(
        MakeRoute("PUT", "/api/v1/products/{code}", Access::kPermission, Echo("put"), "product.write"));
    router_.Add(MakeRoute("GET", "/api/v1/users/me", Access::kAuthenticated, Echo("me")));
    router_.Add(MakeRoute("GET", "/api/v1/users/{id}", Access::kPublic, Echo("user")));
    router_.Add(MakeRoute("GET", "/api/v1/orgs/{org}/users/{id}", Access::kPublic, Echo("org_user")));
  }

  Response Handle(Request request) { return router_.Handle(request); }

  FakeAuthenticator auth_;
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralAndParameterSegments) {
  struct Case {
    std::string method;
    std::string path;
    std::string route;
    Json params;
  };
  const std::vector<Case> cases = {
      {"GET", "/healthz", "healthz", Json::object()},
      {"GET", "/api/v1/products/TRAVEL01", "get", {{"code", "TRAVEL01"}}},
      {"GET", "/api/v1/products/%E6%97%85%E8%A1%8C", "get", {{"code", "旅行"}}},
      {"GET", "/api/v1/products/a%2Fb", "get", {{"code", "a/b"}}},
      {"GET", "/api/v1/users/42", "user", {{"id", "42"}}},
      {"GET", "/api/v1/orgs/o1/users/u%20x", "org_user", {{"org", "o1"}, {"id", "u x"}}},
  };
  for (const Case& c : cases) {
    Response response = Handle(MakeRequest(c.method, c.path));
    ASSERT_EQ(response.status, 200) << c.path << " " << response.body;
    Json body = Json::parse(response.body);
    EXPECT_EQ(body["route"], c.route) << c.path;
    EXPECT_EQ(body["params"], c.params) << c.path;
  }
}

TEST_F(RouterTest, PrefersLiteralSegmentOverParameter) {
  Router::Match match = router_.Find("GET", "/api/v1/users/me", nullptr);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/api/v1/users/me");
  match = router_.Find("GET", "/api/v1/users/other", nullptr);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/api/v1/users/{id}");
}

TEST_F(RouterTest, UnknownPathsAre404NotFound) {
  for (std::string path : {"/nope", "/api/v1/products/", "/api/v1/products/a/b", "", "healthz",
                           "/api/v1/products/%zz", "/api/v1/products/%00", "/api/v1/products/%4"}) {
    Response response = Handle(MakeRequest("GET", path));
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.content_type, "application/problem+json");
    EXPECT_EQ(Json::parse(response.body)["code"], "not_found") << path;
  }
}

TEST_F(RouterTest, WrongMethodIs405WithAllowHeader) {
  Response response = Handle(MakeRequest("DELETE", "/api/v1/products/X"));
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(HeaderOf(response, "Allow"), "GET, PUT");
  Json body = Json::parse(response.body);
  EXPECT_EQ(body["code"], "method_not_allowed");
  EXPECT_EQ(body["status"], 405);

  Router::Match match = router_.Find("PATCH", "/api/v1/products", nullptr);
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.path_exists);
}

TEST_F(RouterTest, MissingOrMalformedTokenIs401WithoutCallingAuthenticator) {
  for (std::string header : {"", "Basic abc", "Bearer", "Bearer   "}) {
    Request request = MakeRequest("GET", "/api/v1/products");
    if (!header.empty()) request.headers["authorization"] = header;
    Response response = Handle(request);
    EXPECT_EQ(response.status, 401) << header;
    EXPECT_EQ(HeaderOf(response, "WWW-Authenticate"), "Bearer");
    EXPECT_EQ(Json::parse(response.body)["code"], "unauthenticated");
  }
  EXPECT_EQ(auth_.calls, 0);
}

TEST_F(RouterTest, InvalidTokenIs401WithAuthenticatorsReason) {
  Request request = MakeRequest("GET", "/api/v1/users/me");
  request.headers["authorization"] = "bearer  expired ";
  Response response = Handle(request);
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(auth_.last_token, "expired");
  EXPECT_EQ(HeaderOf(response, "WWW-Authenticate"), "Bearer");
  EXPECT_EQ(Json::parse(response.body)["code"], "invalid_token");
}

TEST_F(RouterTest, AuthenticatorFailureOtherThanUnauthenticatedKeepsItsStatus) {
  Request request = MakeRequest("GET", "/api/v1/users/me");
  request.headers["authorization"] = "Bearer down";
  EXPECT_EQ(Handle(request).status, 503);
}

TEST_F(RouterTest, MissingPermissionIs403AndHandlerDoesNotRun) {
  bool ran = false;
  router_.Add(MakeRoute(
      "POST", "/api/v1/danger", Access::kPermission,
      [&ran](Request&) -> Result<Response> {
        ran = true;
        return JsonResponse(200, Json::object());
      },
      "danger.do"));
  Request request = MakeRequest("POST", "/api/v1/danger");
  request.headers["authorization"] = "Bearer admin";
  Response response = Handle(request);
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(Json::parse(response.body)["code"], "permission_denied");
  EXPECT_FALSE(ran);
}

TEST_F(RouterTest, AuthenticatedRequestGetsPrincipal) {
  router_.Add(MakeRoute("GET", "/whoami", Access::kAuthenticated, [](Request& request) -> Result<Response> {
    return JsonResponse(200, {{"user", request.Caller().user_id}});
  }));
  Request request = MakeRequest("GET", "/whoami");
  request.headers["authorization"] = "Bearer good";
  Response response = Handle(request);
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(Json::parse(response.body)["user"], "u1");

  request = MakeRequest("POST", "/api/v1/products");
  request.headers["authorization"] = "Bearer good";
  EXPECT_EQ(Handle(request).status, 403);
  request.headers["authorization"] = "Bearer admin";
  EXPECT_EQ(Handle(request).status, 200);
}

TEST_F(RouterTest, ProblemJsonHasStableShapeInChinese) {
  router_.Add(MakeRoute("POST", "/validate", Access::kPublic, [](Request&) -> Result<Response> {
    return Status::Invalid({FieldError{"holder.name", "required", {"必填", "This field is required"}}});
  }));
  Request request = MakeRequest("POST", "/validate", "zh");
  request.request_id = "abc-123";
  Response response = Handle(request);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.content_type, "application/problem+json");
  Json body = Json::parse(response.body);
  EXPECT_EQ(body["type"], "https://anxin.dev/problems/validation_failed");
  EXPECT_EQ(body["title"], "请求无效");
  EXPECT_EQ(body["status"], 400);
  EXPECT_EQ(body["code"], "validation_failed");
  EXPECT_TRUE(body["detail"].is_string());
  EXPECT_EQ(body["request_id"], "abc-123");
  ASSERT_EQ(body["errors"].size(), 1U);
  EXPECT_EQ(body["errors"][0]["field"], "holder.name");
  EXPECT_EQ(body["errors"][0]["code"], "required");
  EXPECT_EQ(body["errors"][0]["message"], "必填");
}

TEST_F(RouterTest, ProblemJsonIsLocalisedToEnglish) {
  Status status(StatusCode::kFailedPrecondition, "card_not_activatable",
                {"卡片不可激活", "The card cannot be activated"},
                {FieldError{"card_no", "recalled", {"已召回", "Recalled"}}});
  Request request = MakeRequest("POST", "/x", "en");
  Json body = Json::parse(ProblemResponse(status, request).body);
  EXPECT_EQ(body["title"], "Not allowed in the current state");
  EXPECT_EQ(body["detail"], "The card cannot be activated");
  EXPECT_EQ(body["code"], "card_not_activatable");
  EXPECT_EQ(body["status"], 409);
  EXPECT_EQ(body["errors"][0]["message"], "Recalled");
}

TEST_F(RouterTest, ProblemCodeFallsBackToStatusCodeName) {
  Status status(StatusCode::kAborted, "", {"冲突", "Conflict"});
  Json body = Json::parse(ProblemResponse(status, MakeRequest("GET", "/")).body);
  EXPECT_EQ(body["code"], StatusCodeName(StatusCode::kAborted));
  EXPECT_EQ(body["type"], "https://anxin.dev/problems/" + std::string(StatusCodeName(StatusCode::kAborted)));
}

TEST_F(RouterTest, InternalStatusNeverShowsItsDetail) {
  Response response =
      ProblemResponse(Status::Internal("secret sql: SELECT password"), MakeRequest("GET", "/"));
  EXPECT_EQ(response.status, 500);
  EXPECT_THAT(response.body, Not(HasSubstr("secret")));
  EXPECT_EQ(Json::parse(response.body)["code"], "internal_error");
}

TEST_F(RouterTest, HandlerExceptionsBecome500WithoutDetails) {
  router_.Add(MakeRoute("GET", "/throw/std", Access::kPublic, [](Request&) -> Result<Response> {
    throw std::runtime_error("id_number 110105194912310029 leaked");
  }));
  router_.Add(MakeRoute("GET", "/throw/json", Access::kPublic, [](Request&) -> Result<Response> {
    Json j = Json::parse("{}");
    return JsonResponse(200, {{"x", j.at("missing").get<int>()}});
  }));
  router_.Add(
      MakeRoute("GET", "/throw/int", Access::kPublic, [](Request&) -> Result<Response> { throw 42; }));
  for (std::string path : {"/throw/std", "/throw/json", "/throw/int"}) {
    Request request = MakeRequest("GET", path, "en");
    Response response = Handle(request);
    EXPECT_EQ(response.status, 500) << path;
    EXPECT_THAT(response.body, Not(HasSubstr("110105"))) << path;
    EXPECT_THAT(response.body, Not(HasSubstr("missing"))) << path;
    Json body = Json::parse(response.body);
    EXPECT_EQ(body["code"], "internal_error");
    EXPECT_EQ(body["request_id"], "req-1");
    EXPECT_EQ(body["detail"], "Internal server error");
  }
}

TEST(HttpStatusForTest, MapsEveryCodeAndSpecialReason) {
  struct Case {
    StatusCode code;
    std::string reason;
    int http;
  };
  const std::vector<Case> cases = {
      {StatusCode::kOk, "", 200},
      {StatusCode::kInvalidArgument, "validation_failed", 400},
      {StatusCode::kInvalidArgument, "idempotency_key_reused", 422},
      {StatusCode::kInvalidArgument, "unsupported_media_type", 415},
      {StatusCode::kInvalidArgument, "method_not_allowed", 405},
      {StatusCode::kNotFound, "not_found", 404},
      {StatusCode::kAlreadyExists, "conflict", 409},
      {StatusCode::kFailedPrecondition, "card_not_activatable", 409},
      {StatusCode::kPermissionDenied, "permission_denied", 403},
      {StatusCode::kUnauthenticated, "unauthenticated", 401},
      {StatusCode::kResourceExhausted, "too_many_attempts", 429},
      {StatusCode::kResourceExhausted, "payload_too_large", 413},
      {StatusCode::kResourceExhausted, "header_too_large", 431},
      {StatusCode::kAborted, "idempotency_in_progress", 409},
      {StatusCode::kUnavailable, "database_unavailable", 503},
      {StatusCode::kInternal, "internal_error", 500},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(HttpStatusFor(Status(c.code, c.reason, {"x", "x"})), c.http) << c.reason;
  }
  // A special reason only applies to its own code.
  EXPECT_EQ(HttpStatusFor(Status(StatusCode::kNotFound, "payload_too_large", {"x", "x"})), 404);
}

// Records every key it runs; replays a stored response for key "replay", rejects key "reused",
// and otherwise runs the handler and records the status of its answer.
class FakeGuard : public IdempotencyGuard {
 public:
  Result<Answer> Run(const Request&, std::string_view key,
                     const std::function<Response()>& handler) override {
    keys.emplace_back(key);
    if (key == "replay") return Answer{JsonResponse(201, {{"replayed", true}}), true};
    if (key == "reused") {
      return Status(StatusCode::kInvalidArgument, "idempotency_key_reused",
                    {"幂等键已用于其他请求", "Key reused"});
    }
    Response response = handler();
    answered.emplace_back(std::string(key), response.status);
    return Answer{std::move(response), false};
  }
  std::vector<std::string> keys;
  std::vector<std::pair<std::string, int>> answered;
};

class IdempotencyTest : public ::testing::Test {
 protected:
  IdempotencyTest() {
    router_.SetIdempotencyGuard(&guard_);
    router_.Add(MakeRoute("POST", "/orders", Access::kPublic, [this](Request&) -> Result<Response> {
      ++runs_;
      return JsonResponse(201, {{"id", "o1"}});
    }));
    router_.Add(MakeRoute("POST", "/boom", Access::kPublic,
                          [](Request&) -> Result<Response> { throw std::logic_error("boom"); }));
    Route login = MakeRoute("POST", "/login", Access::kPublic, [this](Request&) -> Result<Response> {
      ++runs_;
      return JsonResponse(201, {{"token", "secret"}});
    });
    login.response_holds_secret = true;
    router_.Add(std::move(login));
  }
  Response Post(std::string path, std::optional<std::string> key) {
    Request request = MakeRequest("POST", std::move(path));
    if (key) request.headers["idempotency-key"] = *key;
    return router_.Handle(request);
  }

  FakeGuard guard_;
  Router router_;
  int runs_ = 0;
};

TEST_F(IdempotencyTest, RunsTheHandlerThroughTheGuard) {
  EXPECT_EQ(Post("/orders", "k1").status, 201);
  EXPECT_EQ(runs_, 1);
  EXPECT_EQ(guard_.keys, std::vector<std::string>{"k1"});
  ASSERT_EQ(guard_.answered.size(), 1U);
  EXPECT_EQ(guard_.answered[0], std::make_pair(std::string("k1"), 201));
}

TEST_F(IdempotencyTest, ReplaysStoredResponseWithoutRunningHandler) {
  Response response = Post("/orders", "replay");
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(HeaderOf(response, "Idempotent-Replayed"), "true");
  EXPECT_EQ(runs_, 0);
  EXPECT_TRUE(guard_.answered.empty());
}

TEST_F(IdempotencyTest, ReusedKeyIs422) {
  Response response = Post("/orders", "reused");
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(Json::parse(response.body)["code"], "idempotency_key_reused");
  EXPECT_EQ(runs_, 0);
}

TEST_F(IdempotencyTest, InvalidKeysAre400) {
  for (std::string key :
       {std::string(), std::string(256, 'k'), std::string("caf\xC3\xA9"), std::string("a\tb")}) {
    Response response = Post("/orders", key);
    EXPECT_EQ(response.status, 400) << key;
    EXPECT_EQ(Json::parse(response.body)["code"], "invalid_idempotency_key");
  }
  EXPECT_EQ(Post("/orders", std::string(255, 'k')).status, 201);
  EXPECT_EQ(runs_, 1);
}

TEST_F(IdempotencyTest, NoKeyMeansNoGuard) {
  EXPECT_EQ(Post("/orders", std::nullopt).status, 201);
  EXPECT_TRUE(guard_.keys.empty());
}

TEST_F(IdempotencyTest, HandlerExceptionReachesTheGuardAs500) {
  EXPECT_EQ(Post("/boom", "k2").status, 500);
  ASSERT_EQ(guard_.answered.size(), 1U);
  EXPECT_EQ(guard_.answered[0], std::make_pair(std::string("k2"), 500));
}

TEST_F(IdempotencyTest, RouteWhoseAnswerHoldsASecretIgnoresTheKey) {
  for (std::string key : {std::string("replay"), std::string("k3")}) {
    Response response = Post("/login", key);
    EXPECT_EQ(response.status, 201) << key;
    EXPECT_EQ(HeaderOf(response, "Idempotent-Replayed"), "") << key;
  }
  EXPECT_EQ(runs_, 2);
  EXPECT_TRUE(guard_.keys.empty());
  // A malformed key is refused there too, as on every POST.
  EXPECT_EQ(Post("/login", std::string("a\tb")).status, 400);
  EXPECT_EQ(runs_, 2);
}

TEST(RequestTest, HeaderAndQueryAccessors) {
  Request request;
  request.headers["content-type"] = "application/json";
  request.query["page"] = "2";
  EXPECT_EQ(request.Header("Content-Type"), "application/json");
  EXPECT_EQ(request.Header("x-missing"), "");
  EXPECT_EQ(request.Query("page"), "2");
  EXPECT_EQ(request.Query("size"), std::nullopt);
}

TEST(JsonResponseTest, ReplacesInvalidUtf8InsteadOfThrowing) {
  Response response = JsonResponse(201, {{"name", std::string("bad\xFF")}});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(Json::parse(response.body)["name"], "bad\xEF\xBF\xBD");
}

}  // namespace
}  // namespace anxin::http
