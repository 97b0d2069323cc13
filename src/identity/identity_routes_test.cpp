// Drives identity's routes through the Router (no server): happy paths and 401/403/404 answers.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "identity/identity_routes.hpp"
#include "identity/identity_test_support.hpp"

namespace anxin::identity {
namespace {

using nlohmann::json;

class IdentityRoutesTest : public IdentityTestBase {
 protected:
  void SetUp() override {
    IdentityTestBase::SetUp();
    BuildTree();
    RegisterIdentity(router_);
  }

  http::Response Call(const std::string& method, const std::string& path, const std::string& token = "",
                      const json& body = nullptr, std::map<std::string, std::string> query = {}) {
    http::Request request = MakeRequest(method, path, body);
    request.query = std::move(query);
    if (!token.empty()) request.headers["authorization"] = "Bearer " + token;
    return router_.Handle(request);
  }

  http::Request MakeRequest(const std::string& method, const std::string& path, const json& body = nullptr,
                            const std::string& client_address = "198.51.100.4") {
    http::Request request;
    request.method = method;
    request.path = path;
    request.request_id = "req-routes";
    request.client_address = client_address;
    if (!body.is_null()) {
      request.headers["content-type"] = "application/json";
      request.body = body.dump();
    }
    return request;
  }

  // A request authenticated by the session cookie, as the router marks it (CONTRACTS.md): the
  // token reaches the authenticator with auth_via_cookie set. `csrf` empty: no X-CSRF-Token.
  http::Response CookieCall(const std::string& method, const std::string& path, const std::string& token,
                            const std::string& csrf, const json& body = nullptr) {
    http::Request request = MakeRequest(method, path, body);
    request.headers["authorization"] = "Bearer " + token;
    request.auth_via_cookie = true;
    if (!csrf.empty()) request.headers["x-csrf-token"] = csrf;
    return router_.Handle(request);
  }

  http::Response LoginFrom(const std::string& address, const std::string& login, const std::string& password,
                           const std::string& path = "/api/v1/sessions") {
    http::Request request = MakeRequest("POST", path, {{"login", login}, {"password", password}}, address);
    return router_.Handle(request);
  }

  static std::vector<std::string> SetCookies(const http::Response& response) {
    std::vector<std::string> cookies;
    for (const auto& [name, value] : response.headers) {
      if (name == "Set-Cookie") cookies.push_back(value);
    }
    return cookies;
  }

  static json Body(const http::Response& response) {
    return response.body.empty() ? json() : json::parse(response.body);
  }

  std::string LoginToken(const std::string& login) {
    http::Response r = Call("POST", "/api/v1/sessions", "", {{"login", login}, {"password", kPassword}});
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r)["token"].get<std::string>();
  }

  http::Router router_;
};

TEST_F(IdentityRoutesTest, LogsInReadsMeAndLogsOut) {
  http::Response login =
      Call("POST", "/api/v1/sessions", "", {{"login", "seller.bj01"}, {"password", kPassword}});
  ASSERT_EQ(login.status, 201) << login.body;
  json body = Body(login);
  std::string token = body["token"];
  EXPECT_EQ(body["user"]["login"], "seller.bj01");
  EXPECT_EQ(body["user"]["org"]["code"], "BJ01");
  EXPECT_EQ(body["expires_at"], "2026-01-01T20:00:00.000+08:00");

  http::Response me = Call("GET", "/api/v1/me", token);
  ASSERT_EQ(me.status, 200) << me.body;
  json me_body = Body(me);
  EXPECT_EQ(me_body["roles"], json({"seller"}));
  EXPECT_EQ(me_body["org"]["name"], "北京朝阳支公司");
  EXPECT_THAT(me_body["permissions"].get<std::vector<std::string>>(), ::testing::Contains("product.read"));

  EXPECT_EQ(Call("DELETE", "/api/v1/sessions/current", token).status, 204);
  http::Response after = Call("GET", "/api/v1/me", token);
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(Body(after)["code"], "invalid_token");
}

TEST_F(IdentityRoutesTest, WrongPasswordAndUnknownLoginGetTheSame401) {
  http::Response wrong =
      Call("POST", "/api/v1/sessions", "", {{"login", "seller.bj01"}, {"password", "Nope-12345"}});
  http::Response unknown =
      Call("POST", "/api/v1/sessions", "", {{"login", "nobody"}, {"password", "Nope-12345"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(Body(wrong)["code"], "invalid_credentials");
  EXPECT_EQ(Body(wrong)["code"], Body(unknown)["code"]);
  EXPECT_EQ(Body(wrong)["detail"], Body(unknown)["detail"]);
}

// Unknown logins, wrong passwords and disabled accounts without the right password get
// byte-identical problem bodies (the request id is the same in these calls), and so do the
// throttle's answers.
TEST_F(IdentityRoutesTest, LoginFailuresAreByteIdenticalWhateverTheLogin) {
  ASSERT_TRUE(service_->UpdateUser(As("admin"), user_["sh.staff"], {.status = ActiveState::kDisabled}).ok());
  const std::pair<const char*, const char*> routes[] = {{"/api/v1/sessions", "198.51.100.20"},
                                                        {"/api/v1/web/session", "198.51.100.21"}};
  for (const auto& [path, address] : routes) {
    SCOPED_TRACE(path);
    http::Response wrong = LoginFrom(address, "seller.bj01", "Nope-12345", path);
    http::Response unknown = LoginFrom(address, "nobody", "Nope-12345", path);
    http::Response disabled = LoginFrom(address, "sh.staff", "Nope-12345", path);
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(Body(wrong)["code"], "invalid_credentials");
    EXPECT_EQ(wrong.body, unknown.body);
    EXPECT_EQ(wrong.body, disabled.body);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(disabled.status, 401);
    EXPECT_TRUE(SetCookies(wrong).empty());
  }
}

TEST_F(IdentityRoutesTest, BlockedLoginsAre429ForKnownAndUnknownLoginsAlike) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(LoginFrom("198.51.100.30", "seller.bj01", "Nope-12345").status, 401);
    ASSERT_EQ(LoginFrom("198.51.100.31", "nobody", "Nope-12345").status, 401);
  }
  http::Response known = LoginFrom("198.51.100.30", "seller.bj01", kPassword);
  http::Response unknown = LoginFrom("198.51.100.31", "nobody", kPassword);
  EXPECT_EQ(known.status, 429);
  EXPECT_EQ(Body(known)["code"], "too_many_attempts");
  EXPECT_EQ(known.body, unknown.body);
  // The real user's own address still logs in.
  EXPECT_EQ(LoginFrom("192.0.2.10", "seller.bj01", kPassword).status, 201);
}

TEST_F(IdentityRoutesTest, ABrowserLogsInWithCookiesAndACsrfToken) {
  http::Response login = LoginFrom("198.51.100.4", "seller.bj01", kPassword, "/api/v1/web/session");
  ASSERT_EQ(login.status, 200) << login.body;
  json body = Body(login);
  EXPECT_FALSE(body.contains("token"));
  EXPECT_EQ(body["user"], Body(Call("GET", "/api/v1/me", TokenOf("seller.bj01"))));
  const std::string csrf = body["csrf_token"];
  EXPECT_EQ(body["expires_at"], "2026-01-01T20:00:00.000+08:00");
  std::vector<std::string> cookies = SetCookies(login);
  ASSERT_EQ(cookies.size(), 2u);
  const std::string prefix = "anxin_session=";
  ASSERT_EQ(cookies[0].rfind(prefix, 0), 0u) << cookies[0];
  const std::string token = cookies[0].substr(prefix.size(), cookies[0].find(';') - prefix.size());
  EXPECT_EQ(cookies[0], prefix + token + "; Path=/; HttpOnly; SameSite=Strict");
  EXPECT_EQ(cookies[1], "anxin_csrf=" + csrf + "; Path=/; SameSite=Strict");
  EXPECT_EQ(login.body.find(token), std::string::npos);

  // Safe requests need no CSRF token; unsafe ones need the session's.
  http::Response me = CookieCall("GET", "/api/v1/me", token, "");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Body(me)["login"], "seller.bj01");
  const json change = {{"current_password", kPassword}, {"new_password", "Brand-New-Pass-2"}};
  http::Response missing = CookieCall("POST", "/api/v1/me/password", token, "", change);
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(Body(missing)["code"], "csrf_token_invalid");
  EXPECT_EQ(CookieCall("POST", "/api/v1/me/password", token, csrf + "x", change).status, 403);
  EXPECT_EQ(CookieCall("DELETE", "/api/v1/web/session", token, "").status, 403);
  // The same token as a bearer token (an API client) needs no CSRF token.
  EXPECT_EQ(Call("GET", "/api/v1/me/sessions", token).status, 200);

  EXPECT_EQ(CookieCall("POST", "/api/v1/me/password", token, csrf, change).status, 204);
  http::Response logout = CookieCall("DELETE", "/api/v1/web/session", token, csrf);
  EXPECT_EQ(logout.status, 204) << logout.body;
  EXPECT_THAT(SetCookies(logout),
              ::testing::ElementsAre("anxin_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict",
                                     "anxin_csrf=; Path=/; Max-Age=0; SameSite=Strict"));
  http::Response after = CookieCall("GET", "/api/v1/me", token, "");
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(Body(after)["code"], "invalid_token");
}

TEST_F(IdentityRoutesTest, CookiesAreSecureWhenConfigured) {
  IdentitySettings settings;
  settings.cookie_secure = true;
  SessionService secure_sessions(*db_, keys_, clock_, audit_, *service_, settings, &hasher_);
  SessionAuthenticator secure_authenticator(secure_sessions);
  http::Router router;
  RegisterIdentityRoutes(router, *service_, secure_sessions, secure_authenticator);
  http::Request request =
      MakeRequest("POST", "/api/v1/web/session", {{"login", "seller.bj01"}, {"password", kPassword}});
  http::Response login = router.Handle(request);
  ASSERT_EQ(login.status, 200) << login.body;
  for (const std::string& cookie : SetCookies(login)) {
    EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
  }
}

TEST_F(IdentityRoutesTest, CookiesAreSecureWhenATrustedProxySaysHttps) {
  http::Request request =
      MakeRequest("POST", "/api/v1/web/session", {{"login", "seller.bj01"}, {"password", kPassword}});
  request.secure = true;
  http::Response login = router_.Handle(request);
  ASSERT_EQ(login.status, 200) << login.body;
  ASSERT_EQ(SetCookies(login).size(), 2u);
  for (const std::string& cookie : SetCookies(login)) {
    EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
  }
}

TEST_F(IdentityRoutesTest, AnOrgAdminCannotGrantItselfMoreOverHttp) {
  std::string bj = LoginToken("bj.admin");
  for (const char* role : {"auditor", "cashier", "org_admin"}) {
    http::Response r =
        Call("PUT", "/api/v1/users/" + user_["bj.admin"] + "/roles", bj, {{"roles", {"org_admin", role}}});
    EXPECT_EQ(r.status, 403) << role;
    EXPECT_EQ(Body(r)["code"], "cannot_change_own_roles") << role;
  }
  http::Response other =
      Call("PUT", "/api/v1/users/" + user_["seller.bj01"] + "/roles", bj, {{"roles", {"seller", "auditor"}}});
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(Body(other)["code"], "role_exceeds_grantor");
}

TEST_F(IdentityRoutesTest, MalformedLoginBodyIs400) {
  http::Response r = Call("POST", "/api/v1/sessions", "", {{"login", "seller.bj01"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Body(r)["code"], "validation_failed");
}

TEST_F(IdentityRoutesTest, AnswersWithoutTokenWith401AndWithoutPermissionWith403) {
  EXPECT_EQ(Call("GET", "/api/v1/me").status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/orgs", "bogus-token").status, 401);
  std::string seller = LoginToken("seller.bj01");
  EXPECT_EQ(Call("GET", "/api/v1/users", seller).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/roles", seller).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/orgs", seller,
                 {{"code", "BJ09"}, {"name", "新机构"}, {"level", "institution"}, {"parent_id", org_["BJ"]}})
                .status,
            403);
}

TEST_F(IdentityRoutesTest, OtherBranchIs404) {
  std::string bj = LoginToken("bj.admin");
  EXPECT_EQ(Call("GET", "/api/v1/orgs/" + org_["SH"], bj).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/users/" + user_["sh.staff"], bj).status, 404);
  EXPECT_EQ(Call("PATCH", "/api/v1/orgs/" + org_["SH01"], bj, {{"name", "改名"}}).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/orgs/" + org_["BJ01"], bj).status, 200);

  http::Response list = Call("GET", "/api/v1/orgs", bj, nullptr, {{"parent_id", org_["BJ"]}});
  ASSERT_EQ(list.status, 200) << list.body;
  json items = Body(list)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["code"], "BJ01");
  EXPECT_TRUE(Body(list)["next_after"].is_null());
}

TEST_F(IdentityRoutesTest, AdministersOrgsAndUsers) {
  std::string admin = LoginToken("admin");
  http::Response org = Call(
      "POST", "/api/v1/orgs", admin,
      {{"code", "SH02"}, {"name", "上海徐汇支公司"}, {"level", "institution"}, {"parent_id", org_["SH"]}});
  ASSERT_EQ(org.status, 201) << org.body;
  std::string org_id = Body(org)["id"];
  EXPECT_EQ(Body(org)["level"], "institution");

  http::Response dup =
      Call("POST", "/api/v1/orgs", admin,
           {{"code", "SH02"}, {"name", "重复"}, {"level", "institution"}, {"parent_id", org_["SH"]}});
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(Body(dup)["code"], "org_code_taken");

  http::Response user = Call("POST", "/api/v1/users", admin,
                             {{"login", "uw.sh02"},
                              {"display_name", "核保员"},
                              {"org_id", org_id},
                              {"roles", {"underwriter"}},
                              {"password", kPassword},
                              {"phone", "13912345678"}});
  ASSERT_EQ(user.status, 201) << user.body;
  std::string user_id = Body(user)["id"];
  EXPECT_EQ(Body(user)["phone"], "139****5678");

  http::Response patched =
      Call("PATCH", "/api/v1/users/" + user_id, admin, {{"display_name", "核保主管"}, {"phone", nullptr}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Body(patched)["display_name"], "核保主管");
  EXPECT_TRUE(Body(patched)["phone"].is_null());

  http::Response roles =
      Call("PUT", "/api/v1/users/" + user_id + "/roles", admin, {{"roles", {"underwriter", "cashier"}}});
  ASSERT_EQ(roles.status, 200) << roles.body;
  EXPECT_EQ(Body(roles)["roles"], json({"cashier", "underwriter"}));

  EXPECT_EQ(
      Call("POST", "/api/v1/users/" + user_id + "/password", admin, {{"new_password", "Reset-Pass-2026"}})
          .status,
      204);
  http::Response weak =
      Call("POST", "/api/v1/users/" + user_id + "/password", admin, {{"new_password", "short"}});
  EXPECT_EQ(weak.status, 400);

  http::Response list = Call("GET", "/api/v1/users", admin, nullptr, {{"org_id", org_id}});
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(Body(list)["items"].size(), 1u);

  http::Response all_roles = Call("GET", "/api/v1/roles", admin);
  ASSERT_EQ(all_roles.status, 200);
  EXPECT_GE(Body(all_roles)["items"].size(), 10u);
}

TEST_F(IdentityRoutesTest, RevealNeedsPurposeAndPermission) {
  UserView customer = Must(service_->CreateCustomer(
      Actor::System("test"),
      {"zhangsan", "张三", "13800138000", IdType::kResidentId, "11010519491231002X", std::nullopt}));
  std::string admin = LoginToken("admin");
  http::Response masked = Call("GET", "/api/v1/users/" + customer.id, admin);
  ASSERT_EQ(masked.status, 200);
  EXPECT_EQ(Body(masked)["id_number"], "110105********002X");

  EXPECT_EQ(Call("GET", "/api/v1/users/" + customer.id, admin, nullptr, {{"reveal", "phone"}}).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/users/" + customer.id, admin, nullptr,
                 {{"reveal", "bank"}, {"purpose", "核实身份"}})
                .status,
            400);
  http::Response clear = Call("GET", "/api/v1/users/" + customer.id, admin, nullptr,
                              {{"reveal", "phone,id_number"}, {"purpose", "客户来电核实身份"}});
  ASSERT_EQ(clear.status, 200) << clear.body;
  EXPECT_EQ(Body(clear)["phone"], "13800138000");
  EXPECT_EQ(Body(clear)["id_number"], "11010519491231002X");

  std::string auditor = LoginToken("auditor");
  EXPECT_EQ(Call("GET", "/api/v1/users/" + customer.id, auditor, nullptr,
                 {{"reveal", "phone"}, {"purpose", "客户来电核实身份"}})
                .status,
            403);
}

TEST_F(IdentityRoutesTest, ChangesOwnPassword) {
  std::string token = LoginToken("seller.bj01");
  http::Response wrong = Call("POST", "/api/v1/me/password", token,
                              {{"current_password", "Not-The-Pass-1"}, {"new_password", "Brand-New-Pass-2"}});
  EXPECT_EQ(wrong.status, 400);
  http::Response ok = Call("POST", "/api/v1/me/password", token,
                           {{"current_password", kPassword}, {"new_password", "Brand-New-Pass-2"}});
  EXPECT_EQ(ok.status, 204) << ok.body;
  http::Response sessions = Call("GET", "/api/v1/me/sessions", token);
  ASSERT_EQ(sessions.status, 200);
  EXPECT_EQ(Body(sessions)["items"].size(), 1u);
}

TEST_F(IdentityRoutesTest, EveryRouteIsDocumented) {
  int identity_routes = 0;
  for (const http::Route& route : router_.routes()) {
    if (route.tag != "identity") continue;
    ++identity_routes;
    EXPECT_FALSE(route.summary.empty()) << route.pattern;
    if (route.access == http::Access::kPermission) {
      EXPECT_FALSE(route.permission.empty()) << route.pattern;
    }
    if (route.method == "POST" || route.method == "PATCH" || route.method == "PUT") {
      EXPECT_TRUE(route.request_schema.is_object()) << route.pattern;
    }
  }
  EXPECT_EQ(identity_routes, 18);
}

}  // namespace
}  // namespace anxin::identity
