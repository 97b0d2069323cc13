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
  Result<Principal> Authenticate(std::string_view token, const Request& request) override {
    ++calls;
    last_token = std::string(token);
    last_via_cookie = request.auth_via_cookie;
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
  bool last_via_cookie = false;
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

TEST_F(RouterTest, SessionCookieAuthenticatesWhenThereIsNoAuthorizationHeader) {
  router_.Add(MakeRoute("GET", "/whoami", Access::kAuthenticated, [](Request& request) -> Result<Response> {
    return JsonResponse(200, {{"user", request.Caller().user_id}, {"via_cookie", request.auth_via_cookie}});
  }));
  Request request = MakeRequest("GET", "/whoami");
  request.headers["cookie"] = "theme=dark; anxin_session=good; lang=zh";
  Response response = Handle(request);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(Json::parse(response.body)["via_cookie"], true);
  EXPECT_EQ(auth_.last_token, "good");
  EXPECT_TRUE(auth_.last_via_cookie);

  // An Authorization header always wins, even a useless one: no silent fallback to the cookie.
  request = MakeRequest("GET", "/whoami");
  request.headers["cookie"] = "anxin_session=good";
  request.headers["authorization"] = "Bearer admin";
  response = Handle(request);
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(Json::parse(response.body)["via_cookie"], false);
  EXPECT_EQ(auth_.last_token, "admin");
  request.headers["authorization"] = "Basic Z29vZA==";
  EXPECT_EQ(Handle(request).status, 401);
  EXPECT_EQ(auth_.last_token, "admin");  // not called again

  // A cookie naming no session gets the Authenticator's 401.
  request = MakeRequest("GET", "/whoami");
  request.headers["cookie"] = "anxin_session=stale";
  response = Handle(request);
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(Json::parse(response.body)["code"], "invalid_token");
}

TEST_F(RouterTest, RepeatedOrMalformedSessionCookieIs401WithoutCallingAuthenticator) {
  for (std::string cookie :
       {"anxin_session=good; anxin_session=admin", "anxin_session=go od", "anxin_session=good,admin",
        "anxin_session=", "xanxin_session=good", "ANXIN_SESSION=good", "other=anxin_session=good"}) {
    Request request = MakeRequest("GET", "/api/v1/users/me");
    request.headers["cookie"] = cookie;
    Response response = Handle(request);
    EXPECT_EQ(response.status, 401) << cookie;
    EXPECT_EQ(Json::parse(response.body)["code"], "unauthenticated") << cookie;
    EXPECT_EQ(HeaderOf(response, "WWW-Authenticate"), "Bearer");
  }
  EXPECT_EQ(auth_.calls, 0);
}

TEST(FindCookieTest, ParsesTheCookieHeaderStrictly) {
  struct Case {
    std::string header;
    std::optional<std::string> value;
  };
  const std::vector<Case> found = {
      {"anxin_session=tok", "tok"},           {"a=1;anxin_session=tok", "tok"},
      {"a=1;  anxin_session=\"tok\"", "tok"}, {"garbage; anxin_session=tok-_.~+/=; =x; ;", "tok-_.~+/="},
      {"anxin_session=", std::nullopt},       {"", std::nullopt},
      {"xanxin_session=tok", std::nullopt},   {"anxin_session_old=tok", std::nullopt},
      {"Anxin_Session=tok", std::nullopt},    {"a=anxin_session=tok", std::nullopt},
  };
  for (const Case& c : found) {
    Result<std::optional<std::string>> value = FindCookie(c.header, "anxin_session");
    ASSERT_TRUE(value.ok()) << c.header;
    EXPECT_EQ(*value, c.value) << c.header;
  }
  struct Refused {
    std::string header;
    std::string reason;
  };
  const std::vector<Refused> refused = {
      {"anxin_session=a; anxin_session=b", "ambiguous_cookie"},
      {"anxin_session=a;anxin_session=a", "ambiguous_cookie"},
      {"anxin_session=to ken", "malformed_cookie"},
      {"anxin_session=tok,x", "malformed_cookie"},
      {"anxin_session=tok\\", "malformed_cookie"},
      {"anxin_session=\"tok", "malformed_cookie"},
      {"anxin_session=t\xC3\xA9", "malformed_cookie"},
  };
  for (const Refused& c : refused) {
    Result<std::optional<std::string>> value = FindCookie(c.header, "anxin_session");
    ASSERT_FALSE(value.ok()) << c.header;
    EXPECT_EQ(value.status().reason(), c.reason) << c.header;
  }
}

TEST(AddCookieTest, RendersEachAttributeAndKeepsSeveralCookies) {
  Response response;
  Cookie session{.name = "anxin_session", .value = "tok123"};
  ASSERT_TRUE(AddCookie(response, session).ok());
  Cookie csrf{.name = "anxin_csrf", .value = "c5rf", .http_only = false, .secure = true};
  ASSERT_TRUE(AddCookie(response, csrf).ok());
  Cookie cleared{.name = "anxin_session", .value = "", .max_age_seconds = 0};
  ASSERT_TRUE(AddCookie(response, cleared).ok());
  Cookie lax{.name = "pref", .value = "1", .path = "/console/", .same_site = Cookie::SameSite::kLax};
  ASSERT_TRUE(AddCookie(response, lax).ok());
  Cookie none{.name = "x", .value = "1", .same_site = Cookie::SameSite::kNone};
  ASSERT_TRUE(AddCookie(response, none).ok());
  std::vector<std::string> lines;
  for (const auto& [name, value] : response.headers) {
    EXPECT_EQ(name, "Set-Cookie");
    lines.push_back(value);
  }
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "anxin_session=tok123; Path=/; HttpOnly; SameSite=Strict",
                       "anxin_csrf=c5rf; Path=/; Secure; SameSite=Strict",
                       "anxin_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict",
                       "pref=1; Path=/console/; HttpOnly; SameSite=Lax",
                       "x=1; Path=/; HttpOnly; Secure; SameSite=None",
                   }));

  // Nothing that could split the header or smuggle an attribute gets through.
  for (Cookie bad : {Cookie{.name = "a b", .value = "v"}, Cookie{.name = "a", .value = "v; Domain=evil"},
                     Cookie{.name = "a", .value = "v\r\nSet-Cookie: x=1"}, Cookie{.name = "", .value = "v"},
                     Cookie{.name = "a", .value = "v", .path = "/; Domain=evil"}}) {
    Response untouched;
    Status status = AddCookie(untouched, bad);
    EXPECT_EQ(status.code(), StatusCode::kInternal) << bad.name << "=" << bad.value;
    EXPECT_TRUE(untouched.headers.empty());
  }
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

TEST(HttpStatusForTest, MapsEveryCode) {
  struct Case {
    StatusCode code;
    int http;
  };
  const std::vector<Case> cases = {
      {StatusCode::kOk, 200},
      {StatusCode::kInvalidArgument, 400},
      {StatusCode::kNotFound, 404},
      {StatusCode::kAlreadyExists, 409},
      {StatusCode::kFailedPrecondition, 409},
      {StatusCode::kPermissionDenied, 403},
      {StatusCode::kUnauthenticated, 401},
      {StatusCode::kResourceExhausted, 429},
      {StatusCode::kAborted, 409},
      {StatusCode::kUnavailable, 503},
      {StatusCode::kInternal, 500},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(HttpStatusFor(Status(c.code, "some_reason", {"x", "x"})), c.http) << StatusCodeName(c.code);
  }
}

TEST(HttpStatusForTest, MapsEveryDetailWithItsTitle) {
  struct Case {
    StatusDetail detail;
    int http;
    std::string title_en;
  };
  const std::vector<Case> cases = {
      {StatusDetail::kMethodNotAllowed, 405, "Method not allowed"},
      {StatusDetail::kUnsupportedMediaType, 415, "Unsupported media type"},
      {StatusDetail::kUnprocessable, 422, "Unprocessable request"},
      {StatusDetail::kPayloadTooLarge, 413, "Payload too large"},
      {StatusDetail::kHeaderTooLarge, 431, "Request header fields too large"},
      {StatusDetail::kRequestTimeout, 408, "Request timeout"},
  };
  for (const Case& c : cases) {
    const Status status = Status::Detailed(c.detail, "r", {"x", "x"});
    EXPECT_EQ(HttpStatusFor(status), c.http) << c.title_en;
    Json body = Json::parse(ProblemResponse(status, MakeRequest("GET", "/", "en")).body);
    EXPECT_EQ(body["status"], c.http);
    EXPECT_EQ(body["title"], c.title_en);
    EXPECT_EQ(body["code"], "r");
  }
}

TEST(HttpStatusForTest, ReasonsNeverChangeTheStatus) {
  // The reasons that once had a status of their own, without their detail, keep their code's status.
  EXPECT_EQ(HttpStatusFor(Status(StatusCode::kInvalidArgument, "idempotency_key_reused", {"x", "x"})), 400);
  EXPECT_EQ(HttpStatusFor(Status(StatusCode::kInvalidArgument, "unsupported_media_type", {"x", "x"})), 400);
  EXPECT_EQ(HttpStatusFor(Status(StatusCode::kInvalidArgument, "method_not_allowed", {"x", "x"})), 400);
  EXPECT_EQ(HttpStatusFor(Status(StatusCode::kResourceExhausted, "payload_too_large", {"x", "x"})), 429);
  EXPECT_EQ(HttpStatusFor(Status(StatusCode::kResourceExhausted, "header_too_large", {"x", "x"})), 429);
}

TEST(ProblemResponseTest, Every429CarriesRetryAfter) {
  const Request request = MakeRequest("POST", "/api/v1/card-activations/verify");
  const Status limited(StatusCode::kResourceExhausted, "too_many_attempts", {"稍后再试", "Later"});
  Response plain = ProblemResponse(limited, request);
  EXPECT_EQ(plain.status, 429);
  EXPECT_EQ(HeaderOf(plain, "Retry-After"), std::to_string(kDefaultRetryAfter.count()));

  struct Case {
    std::chrono::milliseconds wait;
    std::string header;
  };
  const std::vector<Case> cases = {
      {std::chrono::milliseconds(900'000), "900"},
      {std::chrono::milliseconds(1'500), "2"},  // rounded up
      {std::chrono::milliseconds(1), "1"},
      {std::chrono::milliseconds(0), "1"},  // never "retry at once"
      {std::chrono::milliseconds(-5), "1"},
  };
  for (const Case& c : cases) {
    Response response = ProblemResponse(limited.WithRetryAfter(c.wait), request);
    EXPECT_EQ(response.status, 429);
    EXPECT_EQ(HeaderOf(response, "Retry-After"), c.header) << c.wait.count();
  }

  // A 503 may carry one too; other errors do not.
  Response unavailable = ProblemResponse(
      Status(StatusCode::kUnavailable, "down", {"x", "x"}).WithRetryAfter(std::chrono::seconds(5)), request);
  EXPECT_EQ(HeaderOf(unavailable, "Retry-After"), "5");
  for (const Status& status :
       {Status::Detailed(StatusDetail::kPayloadTooLarge, "payload_too_large", {"x", "x"}),
        Status(StatusCode::kPermissionDenied, "invalid_card_credentials", {"x", "x"})}) {
    EXPECT_EQ(HeaderOf(ProblemResponse(status, request), "Retry-After"), "") << status.reason();
  }
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
      return Status::Detailed(StatusDetail::kUnprocessable, "idempotency_key_reused",
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
