// Drives the policy routes through the Router (no server): rendering, scope, permissions, reveal.
#include "policies/policy_routes.hpp"

#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "identity/identity_routes.hpp"
#include "policies/policy_test_support.hpp"

namespace anxin::policies {
namespace {

using nlohmann::json;

class PolicyRoutesTest : public PolicyTestBase {
 protected:
  void SetUp() override {
    PolicyTestBase::SetUp();
    RegisterIdentity(router_);
    RegisterPolicyRoutes(router_, *policies_);
  }

  http::Response Get(const std::string& path, const std::string& login,
                     std::map<std::string, std::string> query = {}, const std::string& lang = "zh") {
    http::Request request;
    request.method = "GET";
    request.path = path;
    request.query = std::move(query);
    request.request_id = "req-policy-routes";
    request.client_address = "198.51.100.4";
    request.lang = lang;
    if (!login.empty()) request.headers["authorization"] = "Bearer " + TokenOf(login);
    return router_.Handle(request);
  }

  static json Body(const http::Response& response) { return json::parse(response.body); }

  http::Router router_;
};

TEST_F(PolicyRoutesTest, RendersAPolicyWithMaskedParties) {
  Policy policy = Must(Issue(CardSample("TRV00000000017")));
  http::Response r = Get("/api/v1/policies/" + policy.id, "uw.bj");
  ASSERT_EQ(r.status, 200) << r.body;
  json body = Body(r);
  EXPECT_EQ(body["policy_no"], policy.policy_no);
  EXPECT_EQ(body["premium_fen"], 12000);
  EXPECT_EQ(body["start_date"], "2026-01-02");
  EXPECT_EQ(body["end_date"], "2027-01-01");
  EXPECT_EQ(body["period"], "自2026年1月2日零时起至2027年1月1日二十四时止");
  EXPECT_EQ(body["status"], "in_force");
  EXPECT_EQ(body["card_serial"], "TRV00000000017");
  EXPECT_EQ(body["issued_at"], "2026-01-01T08:00:00.000+08:00");
  EXPECT_EQ(body["coverages"][0]["code"], "accidental_death");
  ASSERT_EQ(body["parties"].size(), 4u);
  EXPECT_EQ(body["parties"][0], json({{"role", "holder"},
                                      {"name", "李**"},
                                      {"id_type", "resident_id"},
                                      {"id_number", "513101********0014"},
                                      {"birth_date", "1982-01-13"},
                                      {"sex", "male"},
                                      {"phone", "138****8000"},
                                      {"relationship", "parent"},
                                      {"share_percent", nullptr}}));
  EXPECT_EQ(body["parties"][1]["phone"], nullptr);
  EXPECT_EQ(body["parties"][2]["share_percent"], 60);
  EXPECT_EQ(r.body.find(kHolderId), std::string::npos);
  EXPECT_EQ(r.body.find(kHolderPhone), std::string::npos);
  EXPECT_EQ(r.body.find(kHolderName), std::string::npos);

  http::Response en = Get("/api/v1/policies/by-number/" + policy.policy_no, "uw.bj", {}, "en");
  ASSERT_EQ(en.status, 200) << en.body;
  EXPECT_EQ(Body(en)["id"], policy.id);
  EXPECT_EQ(Body(en)["period"], "From 00:00 on 2026-01-02 to 24:00 on 2027-01-01 (Asia/Shanghai)");
}

TEST_F(PolicyRoutesTest, AnswersOutsideTheSubtreeWith404AndWithoutPermissionWith403) {
  Policy sh = Must(Issue(Sample("SH01")));
  http::Response hidden = Get("/api/v1/policies/" + sh.id, "uw.bj");
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(Body(hidden)["code"], "not_found");
  EXPECT_EQ(Get("/api/v1/policies/by-number/" + sh.policy_no, "uw.bj").status, 404);
  EXPECT_EQ(Get("/api/v1/policies/" + sh.id, "uw.sh").status, 200);
  EXPECT_EQ(Get("/api/v1/policies/" + sh.id, "seller.bj01").status, 403);
  EXPECT_EQ(Get("/api/v1/policies/" + sh.id, "").status, 401);

  http::Response list = Get("/api/v1/policies", "uw.bj");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(Body(list)["items"].empty());
  EXPECT_EQ(Body(list)["next_after"], nullptr);
  http::Response sh_list = Get("/api/v1/policies", "uw.sh");
  ASSERT_EQ(Body(sh_list)["items"].size(), 1u);
  EXPECT_EQ(Body(sh_list)["items"][0]["id"], sh.id);
}

TEST_F(PolicyRoutesTest, ListsWithFiltersAndRejectsBadParameters) {
  Policy a = Must(Issue(Sample()));
  clock_.Advance(3'600'000);
  Policy b = Must(Issue(CardSample("TRV00000000017")));
  http::Response by_card = Get("/api/v1/policies", "admin", {{"card_serial", "TRV00000000017"}});
  ASSERT_EQ(by_card.status, 200) << by_card.body;
  ASSERT_EQ(Body(by_card)["items"].size(), 1u);
  EXPECT_EQ(Body(by_card)["items"][0]["id"], b.id);

  http::Response by_time =
      Get("/api/v1/policies", "admin",
          {{"issued_from", "2026-01-01T08:00:00+08:00"}, {"issued_to", "2026-01-01T09:00:00+08:00"}});
  ASSERT_EQ(by_time.status, 200) << by_time.body;
  ASSERT_EQ(Body(by_time)["items"].size(), 1u);
  EXPECT_EQ(Body(by_time)["items"][0]["id"], a.id);

  http::Response paged = Get("/api/v1/policies", "admin", {{"limit", "1"}});
  ASSERT_EQ(paged.status, 200);
  EXPECT_EQ(Body(paged)["next_after"], a.id);

  struct Bad {
    std::map<std::string, std::string> query;
    const char* field;
  };
  for (const Bad& bad : std::vector<Bad>{{{{"status", "alive"}}, "status"},
                                         {{{"limit", "0"}}, "limit"},
                                         {{{"limit", "abc"}}, "limit"},
                                         {{{"issued_from", "yesterday"}}, "issued_from"},
                                         {{{"product_code", std::string(65, 'A')}}, "product_code"}}) {
    http::Response r = Get("/api/v1/policies", "admin", bad.query);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(Body(r)["errors"][0]["field"], bad.field) << r.body;
  }
}

TEST_F(PolicyRoutesTest, RevealsPartiesWithPurposeAndAudits) {
  Policy policy = Must(Issue(Sample()));
  const std::string path = "/api/v1/policies/" + policy.id;

  http::Response no_purpose = Get(path, "admin", {{"reveal", "parties"}});
  EXPECT_EQ(no_purpose.status, 400);
  EXPECT_EQ(Body(no_purpose)["errors"][0]["field"], "purpose");
  EXPECT_EQ(Get(path, "admin", {{"reveal", "everything"}, {"purpose", "核对身份信息"}}).status, 400);
  EXPECT_EQ(Get(path, "uw.bj", {{"reveal", "parties"}, {"purpose", "核对身份信息"}}).status, 403);

  http::Response r = Get(path, "admin", {{"reveal", "parties"}, {"purpose", "核对身份信息"}});
  ASSERT_EQ(r.status, 200) << r.body;
  json body = Body(r);
  EXPECT_EQ(body["parties_revealed"], true);
  EXPECT_EQ(body["parties"][0]["name"], kHolderName);
  EXPECT_EQ(body["parties"][0]["id_number"], kHolderId);
  EXPECT_EQ(body["parties"][0]["phone"], kHolderPhone);
  std::vector<audit::AuditRecord> records = AuditRecords("pii.reveal");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].object_id, policy.id);
  EXPECT_EQ(records[0].request_id, "req-policy-routes");
}

TEST_F(PolicyRoutesTest, DocumentsEveryRouteWithAPermission) {
  int policy_routes = 0;
  for (const http::Route& route : router_.routes()) {
    if (route.pattern.rfind("/api/v1/policies", 0) != 0) continue;
    ++policy_routes;
    EXPECT_EQ(route.access, http::Access::kPermission) << route.pattern;
    EXPECT_EQ(route.permission, "policy.read") << route.pattern;
    EXPECT_FALSE(route.summary.empty());
    EXPECT_FALSE(route.response_schema.is_null());
  }
  EXPECT_EQ(policy_routes, 3);
}

}  // namespace
}  // namespace anxin::policies
