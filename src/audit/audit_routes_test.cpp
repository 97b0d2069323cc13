#include "audit/audit_routes.hpp"

#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "audit/audit_test_support.hpp"
#include "http/testing/route_test_support.hpp"

namespace anxin::audit {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

class AuditRoutesTest : public AuditTestBase {
 protected:
  void SetUp() override {
    AuditTestBase::SetUp();
    root_ = AddOrg("", "HQ");
    branch_ = AddOrg(root_, "BR1");
    other_branch_ = AddOrg(root_, "BR2");
    auth_.principals["head"] = Staff("HEAD", root_, {"auditor"}, {"audit.read"});
    auth_.principals["branch"] = Staff("BRANCH", branch_, {"auditor"}, {"audit.read"});
    auth_.principals["seller"] = Staff("SELLER", root_, {"seller"}, {"product.read"});
    Principal customer = Customer("CUST");
    customer.permissions = {"audit.read"};
    auth_.principals["customer"] = customer;
    router_.SetAuthenticator(&auth_);
    RegisterAuditRoutes(router_, *db_, log_);
  }

  http::Response Get(const std::string& token, std::map<std::string, std::string> query) {
    http::Request request = http::testing::GetRequest("/api/v1/audit-events", std::move(query), token);
    return router_.Handle(request);
  }

  static Principal Customer(std::string user_id) {
    Principal customer;
    customer.user_id = std::move(user_id);
    customer.kind = UserKind::kCustomer;
    return customer;
  }

  static nlohmann::json Body(const http::Response& response) { return nlohmann::json::parse(response.body); }

  static std::vector<int64_t> Seqs(const http::Response& response) {
    std::vector<int64_t> seqs;
    const nlohmann::json body = Body(response);
    for (const nlohmann::json& item : body.at("items")) seqs.push_back(item.at("seq").get<int64_t>());
    return seqs;
  }

  // seq 1: root org, 2: branch, 3: other branch, 4: no org.
  void AppendOnePerScope() {
    AppendAt(0, nullptr, Entry("org.update", "org", root_, root_));
    AppendAt(1000, nullptr, Entry("org.update", "org", branch_, branch_));
    AppendAt(2000, nullptr, Entry("org.update", "org", other_branch_, other_branch_));
    AppendAt(3000, nullptr, Entry("session.login", "user", "U9"));
  }

  http::testing::TokenAuthenticator auth_;
  http::Router router_;
  std::string root_, branch_, other_branch_;
};

TEST_F(AuditRoutesTest, HeadOfficeSeesEveryRecord) {
  AppendOnePerScope();
  http::Response response = Get("head", {});
  ASSERT_EQ(response.status, 200);
  EXPECT_THAT(Seqs(response), ElementsAre(1, 2, 3, 4));
  EXPECT_TRUE(Body(response).at("next_after_seq").is_null());
}

TEST_F(AuditRoutesTest, BranchSeesOnlyItsSubtree) {
  AppendOnePerScope();
  http::Response response = Get("branch", {});
  ASSERT_EQ(response.status, 200);
  EXPECT_THAT(Seqs(response), ElementsAre(2));
}

TEST_F(AuditRoutesTest, RendersEveryField) {
  Principal actor = Staff("U1", branch_, {"org_admin"});
  Actor who{&actor, "", "req-7", "192.0.2.1"};
  AuditEntry entry = Entry("user.create", "user", "U2", branch_);
  entry.summary = {{"login", "li.si"}};
  ASSERT_TRUE(AppendOne(who, entry).ok());

  http::Response response = Get("head", {});
  ASSERT_EQ(response.status, 200);
  const nlohmann::json item = Body(response).at("items").at(0);
  EXPECT_EQ(item.at("seq"), 1);
  EXPECT_EQ(item.at("chain_id"), 1);
  EXPECT_EQ(item.at("chain_seq"), 1);
  EXPECT_EQ(item.at("at"), "2026-01-01T08:00:00.000+08:00");
  EXPECT_EQ(item.at("at_ms"), kStartMs);
  EXPECT_EQ(item.at("actor_id"), "U1");
  EXPECT_EQ(item.at("actor_role"), "org_admin");
  EXPECT_EQ(item.at("actor_org_id"), branch_);
  EXPECT_EQ(item.at("action"), "user.create");
  EXPECT_EQ(item.at("object_type"), "user");
  EXPECT_EQ(item.at("object_id"), "U2");
  EXPECT_EQ(item.at("org_id"), branch_);
  EXPECT_EQ(item.at("org_path"), PathOf(branch_));
  EXPECT_EQ(item.at("summary"), nlohmann::json({{"login", "li.si"}}));
  EXPECT_EQ(item.at("result"), "ok");
  EXPECT_EQ(item.at("request_id"), "req-7");
  EXPECT_EQ(item.at("client_address"), "192.0.2.1");
  EXPECT_EQ(item.at("prev_hash"), std::string(kGenesisHash));
  EXPECT_EQ(item.at("hash").get<std::string>().size(), 64u);
}

TEST_F(AuditRoutesTest, NamesTheStaffActorAndTheOrganisationsButNoCustomerOrSystem) {
  AddUser("U1", "li.si", "李四", "staff", branch_);
  AddUser("CUST", "customer.1", "王小明", "customer", "");
  Principal staff = Staff("U1", branch_, {"org_admin"});
  Principal customer = Customer("CUST");
  AppendAt(0, &staff, Entry("user.create", "user", "U2", other_branch_));
  AppendAt(1000, &customer, Entry("card.activate", "card", "ABC1", branch_));
  AppendAt(2000, nullptr, Entry("card.expire", "card", "ABC2"));

  http::Response response = Get("head", {});
  ASSERT_EQ(response.status, 200);
  const nlohmann::json items = Body(response).at("items");
  ASSERT_EQ(items.size(), 3u);
  // The staff member by login and name, their organisation and the object's, each by code and name.
  EXPECT_EQ(items[0].at("actor_login"), "li.si");
  EXPECT_EQ(items[0].at("actor_name"), "李四");
  EXPECT_EQ(items[0].at("actor_org_code"), "BR1");
  EXPECT_EQ(items[0].at("actor_org_name"), "机构 BR1");
  EXPECT_EQ(items[0].at("org_code"), "BR2");
  EXPECT_EQ(items[0].at("org_name"), "机构 BR2");
  // A customer's name is personal data: neither login nor name; the object's organisation still.
  EXPECT_TRUE(items[1].at("actor_login").is_null());
  EXPECT_TRUE(items[1].at("actor_name").is_null());
  EXPECT_EQ(items[1].at("org_code"), "BR1");
  EXPECT_EQ(items[1].dump().find("王小明"), std::string::npos);
  // A system job and a record of no organisation: nulls, the ids as they are.
  EXPECT_EQ(items[2].at("actor_id"), "system:test");
  for (const char* field :
       {"actor_login", "actor_name", "actor_org_code", "actor_org_name", "org_code", "org_name"}) {
    SCOPED_TRACE(field);
    EXPECT_TRUE(items[2].at(field).is_null());
  }
}

TEST_F(AuditRoutesTest, FiltersAndPagesThroughQueryParameters) {
  AppendOnePerScope();
  EXPECT_THAT(Seqs(Get("head", {{"action", "org.update"}})), ElementsAre(1, 2, 3));
  EXPECT_THAT(Seqs(Get("head", {{"object_type", "org"}, {"object_id", branch_}})), ElementsAre(2));
  EXPECT_THAT(Seqs(Get("head", {{"actor_id", "system:test"}})), ElementsAre(1, 2, 3, 4));
  EXPECT_THAT(Seqs(Get("head", {{"from", "2026-01-01T08:00:01+08:00"}, {"to", "2026-01-01T00:00:03Z"}})),
              ElementsAre(2, 3));
  EXPECT_THAT(Seqs(Get("head", {{"action", ""}})), ElementsAre(1, 2, 3, 4));

  http::Response page1 = Get("head", {{"limit", "3"}});
  ASSERT_EQ(page1.status, 200);
  EXPECT_THAT(Seqs(page1), ElementsAre(1, 2, 3));
  ASSERT_EQ(Body(page1).at("next_after_seq"), 3);
  http::Response page2 = Get("head", {{"limit", "3"}, {"after_seq", "3"}});
  EXPECT_THAT(Seqs(page2), ElementsAre(4));
  EXPECT_TRUE(Body(page2).at("next_after_seq").is_null());
}

TEST_F(AuditRoutesTest, FiltersByAStaffMembersLogin) {
  AddUser("U1", "li.si", "李四", "staff", branch_);
  AddUser("U2", "wang.wu", "王五", "staff", branch_);
  AddUser("CUST", "customer.1", "王小明", "customer", "");
  Principal li = Staff("U1", branch_, {"org_admin"});
  Principal wang = Staff("U2", branch_, {"org_admin"});
  Principal customer = Customer("CUST");
  AppendAt(0, &li, Entry("user.create", "user", "U7", branch_));
  AppendAt(1000, &wang, Entry("user.create", "user", "U8", branch_));
  AppendAt(2000, &li, Entry("user.update", "user", "U8", branch_));
  AppendAt(3000, &customer, Entry("card.activate", "card", "ABC1", branch_));

  EXPECT_THAT(Seqs(Get("head", {{"actor_login", "li.si"}})), ElementsAre(1, 3));
  EXPECT_THAT(Seqs(Get("head", {{"actor_login", "wang.wu"}, {"action", "user.create"}})), ElementsAre(2));
  // With actor_id as well, both must name the same member.
  EXPECT_THAT(Seqs(Get("head", {{"actor_login", "li.si"}, {"actor_id", "U1"}})), ElementsAre(1, 3));
  EXPECT_THAT(Seqs(Get("head", {{"actor_login", "li.si"}, {"actor_id", "U2"}})), ElementsAre());
  // A login nobody has, and a customer's login (customers are not found by login here): nothing,
  // not every record.
  EXPECT_THAT(Seqs(Get("head", {{"actor_login", "nobody"}})), ElementsAre());
  EXPECT_THAT(Seqs(Get("head", {{"actor_login", "customer.1"}})), ElementsAre());
  // The branch scope still applies on top of the login.
  AppendAt(4000, &li, Entry("org.update", "org", other_branch_, other_branch_));
  EXPECT_THAT(Seqs(Get("branch", {{"actor_login", "li.si"}})), ElementsAre(1, 3));
  EXPECT_THAT(Seqs(Get("head", {{"actor_login", "li.si"}})), ElementsAre(1, 3, 5));
}

TEST_F(AuditRoutesTest, InvalidFiltersAreRejectedWithTheField) {
  struct Case {
    const char* name;
    std::map<std::string, std::string> query;
    std::vector<std::pair<std::string, std::string>> errors;  // field, code
  };
  const std::vector<Case> cases = {
      {"from not a timestamp", {{"from", "yesterday"}}, {{"from", "invalid_timestamp"}}},
      {"to without offset", {{"to", "2026-01-01T00:00:00"}}, {{"to", "invalid_timestamp"}}},
      {"to before from",
       {{"from", "2026-01-02T00:00:00Z"}, {"to", "2026-01-01T00:00:00Z"}},
       {{"to", "invalid_range"}}},
      {"limit zero", {{"limit", "0"}}, {{"limit", "out_of_range"}}},
      {"limit too big", {{"limit", "501"}}, {{"limit", "out_of_range"}}},
      {"limit not a number", {{"limit", "ten"}}, {{"limit", "out_of_range"}}},
      {"limit with junk", {{"limit", "10abc"}}, {{"limit", "out_of_range"}}},
      {"limit overflow", {{"limit", "99999999999999999999999"}}, {{"limit", "out_of_range"}}},
      {"after_seq negative", {{"after_seq", "-1"}}, {{"after_seq", "out_of_range"}}},
      {"actor_id too long", {{"actor_id", std::string(201, 'a')}}, {{"actor_id", "too_long"}}},
      {"actor_login too long", {{"actor_login", std::string(201, 'a')}}, {{"actor_login", "too_long"}}},
      {"action not utf-8", {{"action", "\xff\xfe"}}, {{"action", "invalid_format"}}},
      {"action with a control character", {{"action", "card.\x01"}}, {{"action", "invalid_format"}}},
      {"several at once",
       {{"from", "x"}, {"limit", "0"}, {"object_id", std::string(300, 'b')}},
       {{"from", "invalid_timestamp"}, {"object_id", "too_long"}, {"limit", "out_of_range"}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    http::Response response = Get("head", c.query);
    EXPECT_EQ(response.status, 400);
    nlohmann::json body = Body(response);
    EXPECT_EQ(body.at("code"), "validation_failed");
    std::vector<std::pair<std::string, std::string>> errors;
    for (const nlohmann::json& e : body.at("errors")) {
      errors.emplace_back(e.at("field").get<std::string>(), e.at("code").get<std::string>());
    }
    EXPECT_THAT(errors, ElementsAreArray(c.errors));
  }
}

TEST_F(AuditRoutesTest, RequiresTheAuditReadPermissionAndStaff) {
  EXPECT_EQ(Get("seller", {}).status, 403);
  http::Response customer = Get("customer", {});
  EXPECT_EQ(customer.status, 403);
  EXPECT_EQ(Body(customer).at("code"), "permission_denied");
  EXPECT_EQ(Get("nobody", {}).status, 401);
}

TEST_F(AuditRoutesTest, IsDocumentedForOpenApi) {
  const http::Route* found = nullptr;
  for (const http::Route& route : router_.routes()) {
    if (route.method == "GET" && route.pattern == "/api/v1/audit-events") found = &route;
  }
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->permission, "audit.read");
  EXPECT_EQ(found->tag, "audit");
  EXPECT_FALSE(found->summary.empty());
  std::vector<std::string> names;
  for (const http::QueryParameter& parameter : found->query_parameters) names.push_back(parameter.name);
  EXPECT_THAT(names, ElementsAre("from", "to", "actor_id", "actor_login", "action", "object_type",
                                 "object_id", "after_seq", "limit"));
  EXPECT_EQ(found->response_schema.at("properties").at("items").at("type"), "array");
}

}  // namespace
}  // namespace anxin::audit
