// GET /api/v1/outbox through the router, on both backends.
#include "notify/notify_routes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http/testing/route_test_support.hpp"
#include "notify/notify_test_support.hpp"

namespace anxin::notify {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

Actor StaffActor(const Principal& principal) {
  Actor actor;
  actor.principal = &principal;
  return actor;
}

class NotifyRoutesTest : public OutboxTestBase {
 protected:
  void SetUp() override {
    OutboxTestBase::SetUp();
    Principal operations;
    operations.user_id = "OPS";
    operations.kind = UserKind::kStaff;
    operations.org_id = "HQ";
    operations.org_path = "/HQ/";
    operations.permissions = {"outbox.read"};
    auth_.principals["ops"] = operations;
    Principal branch = operations;
    branch.user_id = "BRANCH";
    branch.org_id = "BJ";
    branch.org_path = "/HQ/BJ/";
    auth_.principals["branch"] = branch;
    // audit.read no longer opens the outbox.
    Principal auditor = operations;
    auditor.user_id = "AUDITOR";
    auditor.permissions = {"audit.read"};
    auth_.principals["auditor"] = auditor;
    Principal customer;
    customer.user_id = "CUSTOMER";
    customer.kind = UserKind::kCustomer;
    customer.permissions = {"outbox.read"};
    auth_.principals["customer"] = customer;
    router_.SetAuthenticator(&auth_);
    service_ = std::make_unique<OutboxService>(*db_);
    RegisterNotifyRoutes(router_, *service_);
  }

  std::string EnqueueAbout(const std::string& org_path, std::string ref_id) {
    OutboundMessage message = Message("消息", kPhone, std::move(ref_id));
    message.org_path = org_path;
    return Enqueue(message);
  }

  http::Response Get(const std::string& token, std::map<std::string, std::string> query = {}) {
    http::Request request = http::testing::GetRequest("/api/v1/outbox", std::move(query), token);
    return router_.Handle(request);
  }

  static std::vector<std::string> Ids(const http::Response& response) {
    std::vector<std::string> ids;
    const nlohmann::json body = nlohmann::json::parse(response.body);
    for (const nlohmann::json& item : body.at("items")) {
      ids.push_back(item.at("id").get<std::string>());
    }
    return ids;
  }

  std::unique_ptr<OutboxService> service_;
  http::testing::TokenAuthenticator auth_;
  http::Router router_;
};

TEST_F(NotifyRoutesTest, ListsMessagesWithMaskedRecipientsAndWithoutText) {
  const std::string id = Enqueue(Message("张三：保单 P2026000123 已生效"));
  auto dispatcher = MakeDispatcher();
  ASSERT_EQ(*dispatcher->DispatchOnce(), 1);

  const http::Response response = Get("ops");
  ASSERT_EQ(response.status, 200) << response.body;
  const nlohmann::json body = nlohmann::json::parse(response.body);
  ASSERT_EQ(body.at("items").size(), 1U);
  const nlohmann::json& item = body["items"][0];
  EXPECT_EQ(item.at("id"), id);
  EXPECT_EQ(item.at("channel"), "sms");
  EXPECT_EQ(item.at("recipient_masked"), "138****5678");
  EXPECT_EQ(item.at("template_code"), "card_activated");
  EXPECT_EQ(item.at("ref_type"), "policy");
  EXPECT_EQ(item.at("status"), "sent");
  EXPECT_EQ(item.at("attempts"), 1);
  EXPECT_EQ(item.at("created_at"), "2026-01-01T08:00:00.000+08:00");
  EXPECT_EQ(item.at("sent_at"), "2026-01-01T08:00:00.000+08:00");
  EXPECT_EQ(item.at("provider_message_id"), "rec-1");
  EXPECT_TRUE(item.at("last_error").is_null());
  EXPECT_FALSE(item.contains("text"));
  EXPECT_THAT(response.body, Not(HasSubstr(kPhone)));
  EXPECT_THAT(response.body, Not(HasSubstr("张三")));
}

TEST_F(NotifyRoutesTest, FiltersByStatusReferenceAndLimit) {
  const std::string a = Enqueue(Message("一", kPhone, "P1"));
  clock_.Advance(1);
  const std::string b = Enqueue(Message("二", kPhone, "P2"));
  clock_.Advance(1);
  const std::string c = Enqueue(Message("三", kPhone, "P1"));
  sender_.FailNext(1, StatusCode::kInvalidArgument);
  auto dispatcher = MakeDispatcher({.batch = 1});
  ASSERT_EQ(*dispatcher->DispatchOnce(), 1);  // a fails for good

  EXPECT_THAT(Ids(Get("ops")), ElementsAre(c, b, a));
  EXPECT_THAT(Ids(Get("ops", {{"ref_type", "policy"}, {"ref_id", "P1"}})), ElementsAre(c, a));
  EXPECT_THAT(Ids(Get("ops", {{"status", "failed"}})), ElementsAre(a));
  EXPECT_THAT(Ids(Get("ops", {{"status", "pending"}})), ElementsAre(c, b));
  EXPECT_THAT(Ids(Get("ops", {{"limit", "1"}})), ElementsAre(c));
  EXPECT_THAT(Ids(Get("ops", {{"status", ""}, {"ref_id", ""}})), ElementsAre(c, b, a));  // empty: no filter
}

TEST_F(NotifyRoutesTest, RejectsInvalidParametersNamingEachOne) {
  const http::Response response = Get(
      "ops", {{"status", "done"}, {"ref_type", "card"}, {"limit", "0"}, {"ref_id", std::string(513, 'x')}});
  ASSERT_EQ(response.status, 400) << response.body;
  const nlohmann::json body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body.at("code"), "validation_failed");
  std::vector<std::string> fields;
  for (const nlohmann::json& error : body.at("errors"))
    fields.push_back(error.at("field").get<std::string>());
  EXPECT_THAT(fields, ElementsAre("status", "ref_type", "ref_id", "limit"));

  for (const char* limit : {"201", "abc", "-1", "1.5"}) {
    const http::Response bad = Get("ops", {{"limit", limit}});
    EXPECT_EQ(bad.status, 400) << limit;
    EXPECT_EQ(nlohmann::json::parse(bad.body).at("errors").at(0).at("field"), "limit") << limit;
  }
  for (const char* ref_type : {"\xff", "Policy", "policy "}) {
    const http::Response bad = Get("ops", {{"ref_type", ref_type}});
    EXPECT_EQ(bad.status, 400) << ref_type;
    EXPECT_EQ(nlohmann::json::parse(bad.body).at("errors").at(0).at("field"), "ref_type") << ref_type;
  }
  EXPECT_EQ(Get("ops", {{"ref_id", "\xff"}}).status, 400);
}

TEST_F(NotifyRoutesTest, ABranchSeesOnlyItsSubtreeAndTheHeadOfficeAlsoMessagesOfNoOrganisation) {
  const std::string none = EnqueueAbout("", "N");
  clock_.Advance(1);
  const std::string bj = EnqueueAbout("/HQ/BJ/", "B");
  clock_.Advance(1);
  const std::string bj01 = EnqueueAbout("/HQ/BJ/BJ01/", "B1");
  clock_.Advance(1);
  const std::string sh = EnqueueAbout("/HQ/SH/", "S");
  clock_.Advance(1);
  // Paths that a LIKE prefix or a case-insensitive comparison would take for the branch's.
  const std::string upper = EnqueueAbout("/HQ/bj/", "U");
  clock_.Advance(1);
  const std::string longer = EnqueueAbout("/HQ/BJX/", "X");

  EXPECT_THAT(Ids(Get("ops")), ElementsAre(longer, upper, sh, bj01, bj, none));
  EXPECT_THAT(Ids(Get("branch")), ElementsAre(bj01, bj));
  // A filter cannot reach out of the scope.
  EXPECT_THAT(Ids(Get("branch", {{"ref_id", "S"}})), ::testing::IsEmpty());
  EXPECT_THAT(Ids(Get("branch", {{"ref_id", "N"}})), ::testing::IsEmpty());
  EXPECT_THAT(Ids(Get("branch", {{"ref_id", "B1"}})), ElementsAre(bj01));
}

TEST_F(NotifyRoutesTest, RefusesCallersWithoutThePermissionAndCustomers) {
  const http::Response auditor = Get("auditor");
  EXPECT_EQ(auditor.status, 403);
  EXPECT_EQ(nlohmann::json::parse(auditor.body).at("code"), "permission_denied");
  const http::Response customer = Get("customer");
  EXPECT_EQ(customer.status, 403);
  EXPECT_EQ(nlohmann::json::parse(customer.body).at("code"), "permission_denied");
  EXPECT_EQ(Get("nobody").status, 401);
}

TEST_F(NotifyRoutesTest, TheServiceChecksThePermissionItselfAndLetsTheSystemSeeAll) {
  const std::string none = EnqueueAbout("", "N");
  clock_.Advance(1);
  const std::string sh = EnqueueAbout("/HQ/SH/", "S");
  Principal seller;
  seller.user_id = "SELLER";
  seller.kind = UserKind::kStaff;
  seller.org_id = "HQ";
  seller.org_path = "/HQ/";
  seller.permissions = {"card.sale", "audit.read"};
  Result<std::vector<OutboxEntry>> refused = service_->List(StaffActor(seller), {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(refused.status().reason(), "permission_denied");
  Result<std::vector<OutboxEntry>> anonymous = service_->List(Actor{}, {});
  ASSERT_FALSE(anonymous.ok());
  EXPECT_EQ(anonymous.status().code(), StatusCode::kUnauthenticated);

  // The caller's scope replaces whatever the filter said.
  Principal branch = seller;
  branch.org_path = "/HQ/BJ/";
  branch.permissions = {"outbox.read"};
  Result<std::vector<OutboxEntry>> widened =
      service_->List(StaffActor(branch), OutboxFilter{.scope = OrgScope::All()});
  ASSERT_TRUE(widened.ok()) << widened.status().ToString();
  EXPECT_TRUE(widened->empty());

  Result<std::vector<OutboxEntry>> all = service_->List(Actor::System("test"), {});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2U);
  EXPECT_EQ((*all)[0].id, sh);
  EXPECT_EQ((*all)[1].id, none);
}

// --- the SMS gateway simulator (issue 7 §7) ---

class SmsSimulatorRoutesTest : public OutboxTestBase {
 protected:
  void SetUp() override {
    OutboxTestBase::SetUp();
    Principal root;
    root.user_id = "ROOT";
    root.kind = UserKind::kStaff;
    root.org_id = "HQ";
    root.org_path = "/HQ/";
    root.permissions = {"sms.simulate"};
    auth_.principals["root"] = root;
    Principal branch = root;
    branch.user_id = "BRANCH";
    branch.org_id = "BJ";
    branch.org_path = "/HQ/BJ/";
    auth_.principals["branch"] = branch;
    Principal auditor = root;
    auditor.user_id = "AUDITOR";
    auditor.permissions = {"audit.read"};
    auth_.principals["auditor"] = auditor;
    router_.SetAuthenticator(&auth_);
    on_ = std::make_unique<SmsSimulator>(*db_, keys_, true);
    off_ = std::make_unique<SmsSimulator>(*db_, keys_, false);
    RegisterSmsSimulatorRoutes(router_, *on_);
    RegisterSmsSimulatorRoutes(off_router_, *off_);
    off_router_.SetAuthenticator(&auth_);
  }

  std::string EnqueueAbout(const std::string& org_path, const std::string& text) {
    OutboundMessage message = Message(text);
    message.org_path = org_path;
    return Enqueue(message);
  }

  http::Response Get(http::Router& router, const std::string& token,
                     std::map<std::string, std::string> query = {}) {
    http::Request request =
        http::testing::GetRequest("/api/v1/sms/simulator/messages", std::move(query), token);
    return router.Handle(request);
  }

  std::unique_ptr<SmsSimulator> on_;
  std::unique_ptr<SmsSimulator> off_;
  http::testing::TokenAuthenticator auth_;
  http::Router router_;
  http::Router off_router_;
};

TEST_F(SmsSimulatorRoutesTest, ShowsTextsNewestFirstScopedToTheCallersSubtree) {
  const std::string none = EnqueueAbout("", "回复：格式不正确");
  clock_.Advance(1);
  const std::string bj = EnqueueAbout("/HQ/BJ/BJ01/", "北京的卡已激活");
  clock_.Advance(1);
  const std::string sh = EnqueueAbout("/HQ/SH/", "上海的卡已激活");

  const http::Response all = Get(router_, "root");
  ASSERT_EQ(all.status, 200) << all.body;
  const nlohmann::json items = nlohmann::json::parse(all.body).at("items");
  ASSERT_EQ(items.size(), 3U);
  EXPECT_EQ(items[0].at("id"), sh);
  EXPECT_EQ(items[1].at("id"), bj);
  EXPECT_EQ(items[2].at("id"), none);
  EXPECT_EQ(items[1].at("text"), "北京的卡已激活");
  EXPECT_EQ(items[1].at("to_masked"), "138****5678");
  EXPECT_THAT(all.body, Not(HasSubstr(kPhone)));

  const http::Response mine = Get(router_, "branch");
  ASSERT_EQ(mine.status, 200) << mine.body;
  const nlohmann::json branch_items = nlohmann::json::parse(mine.body).at("items");
  ASSERT_EQ(branch_items.size(), 1U);
  EXPECT_EQ(branch_items[0].at("id"), bj);

  EXPECT_EQ(nlohmann::json::parse(Get(router_, "root", {{"limit", "1"}}).body).at("items").size(), 1U);
  EXPECT_EQ(Get(router_, "root", {{"limit", "0"}}).status, 400);
}

TEST_F(SmsSimulatorRoutesTest, IsOffWithARealGatewayAndNeedsItsPermission) {
  const http::Response off = Get(off_router_, "root");
  EXPECT_EQ(off.status, 404);
  EXPECT_EQ(nlohmann::json::parse(off.body).at("code"), "sms_simulator_off");
  EXPECT_EQ(Get(router_, "auditor").status, 403);
  EXPECT_EQ(Get(router_, "nobody").status, 401);
}

}  // namespace
}  // namespace anxin::notify
