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

class NotifyRoutesTest : public OutboxTestBase {
 protected:
  void SetUp() override {
    OutboxTestBase::SetUp();
    Principal auditor;
    auditor.user_id = "AUDITOR";
    auditor.kind = UserKind::kStaff;
    auditor.org_id = "HQ";
    auditor.org_path = "/HQ/";
    auditor.permissions = {"audit.read"};
    auth_.principals["auditor"] = auditor;
    Principal seller = auditor;
    seller.user_id = "SELLER";
    seller.permissions = {"card.sale"};
    auth_.principals["seller"] = seller;
    Principal customer;
    customer.user_id = "CUSTOMER";
    customer.kind = UserKind::kCustomer;
    customer.permissions = {"audit.read"};
    auth_.principals["customer"] = customer;
    router_.SetAuthenticator(&auth_);
    RegisterNotifyRoutes(router_, *db_);
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

  http::testing::TokenAuthenticator auth_;
  http::Router router_;
};

TEST_F(NotifyRoutesTest, ListsMessagesWithMaskedRecipientsAndWithoutText) {
  const std::string id = Enqueue(Message("张三：保单 P2026000123 已生效"));
  auto dispatcher = MakeDispatcher();
  ASSERT_EQ(*dispatcher->DispatchOnce(), 1);

  const http::Response response = Get("auditor");
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

  EXPECT_THAT(Ids(Get("auditor")), ElementsAre(c, b, a));
  EXPECT_THAT(Ids(Get("auditor", {{"ref_type", "policy"}, {"ref_id", "P1"}})), ElementsAre(c, a));
  EXPECT_THAT(Ids(Get("auditor", {{"status", "failed"}})), ElementsAre(a));
  EXPECT_THAT(Ids(Get("auditor", {{"status", "pending"}})), ElementsAre(c, b));
  EXPECT_THAT(Ids(Get("auditor", {{"limit", "1"}})), ElementsAre(c));
  EXPECT_THAT(Ids(Get("auditor", {{"status", ""}, {"ref_id", ""}})),
              ElementsAre(c, b, a));  // empty: no filter
}

TEST_F(NotifyRoutesTest, RejectsInvalidParametersNamingEachOne) {
  const http::Response response =
      Get("auditor", {{"status", "done"}, {"limit", "0"}, {"ref_id", std::string(129, 'x')}});
  ASSERT_EQ(response.status, 400) << response.body;
  const nlohmann::json body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body.at("code"), "validation_failed");
  std::vector<std::string> fields;
  for (const nlohmann::json& error : body.at("errors"))
    fields.push_back(error.at("field").get<std::string>());
  EXPECT_THAT(fields, ElementsAre("status", "ref_id", "limit"));

  for (const char* limit : {"201", "abc", "-1", "1.5"}) {
    EXPECT_EQ(Get("auditor", {{"limit", limit}}).status, 400) << limit;
  }
  EXPECT_EQ(Get("auditor", {{"ref_type", "\xff"}}).status, 400);
}

TEST_F(NotifyRoutesTest, RefusesCallersWithoutThePermissionAndCustomers) {
  EXPECT_EQ(Get("seller").status, 403);
  const http::Response customer = Get("customer");
  EXPECT_EQ(customer.status, 403);
  EXPECT_EQ(nlohmann::json::parse(customer.body).at("code"), "permission_denied");
  EXPECT_EQ(Get("nobody").status, 401);
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
