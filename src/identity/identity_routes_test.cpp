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
    RegisterIdentityRoutes(router_, *service_);
  }

  http::Response Call(const std::string& method, const std::string& path, const std::string& token = "",
                      const json& body = nullptr, std::map<std::string, std::string> query = {}) {
    http::Request request;
    request.method = method;
    request.path = path;
    request.query = std::move(query);
    request.request_id = "req-routes";
    request.client_address = "198.51.100.4";
    if (!token.empty()) request.headers["authorization"] = "Bearer " + token;
    if (!body.is_null()) {
      request.headers["content-type"] = "application/json";
      request.body = body.dump();
    }
    return router_.Handle(request);
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
  UserView customer =
      Must(service_->CreateCustomer(Actor::System("test"), {"zhangsan", "张三", "13800138000", "resident_id",
                                                            "11010519491231002X", std::nullopt}));
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
  EXPECT_EQ(identity_routes, 16);
}

}  // namespace
}  // namespace anxin::identity
