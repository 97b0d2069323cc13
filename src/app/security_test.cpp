// Platform-wide security properties, checked over HTTP against the whole route table:
// every non-public route refuses anonymous callers and callers without its permission, every
// route is in the OpenAPI document, and personal data never reaches the database file or the
// logs in clear text.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "app/test_platform.hpp"
#include "common/log.hpp"
#include "policies/policy_period.hpp"

namespace anxin::app {
namespace {

using nlohmann::json;

std::string FillPattern(const std::string& pattern) {
  return std::regex_replace(pattern, std::regex("\\{[^}]+\\}"), "00000000000000000000");
}

TEST(RouteSecurityTest, EveryProtectedRouteRefusesAnonymousCallers) {
  TestPlatform platform;
  testing::HttpClient client(platform.port());
  int checked = 0;
  for (const auto& route : platform.app().router().routes()) {
    if (route.access == http::Access::kPublic) continue;
    const auto reply =
        client.Send(route.method, FillPattern(route.pattern), "{}", {{"Content-Type", "application/json"}});
    EXPECT_EQ(reply.status, 401) << route.method << " " << route.pattern;
    EXPECT_EQ(reply.Json().value("code", ""), "unauthenticated") << route.method << " " << route.pattern;
    EXPECT_NE(reply.Header("content-type").find("application/problem+json"), std::string::npos);
    // A forged token is refused the same way.
    const auto forged =
        client.Send(route.method, FillPattern(route.pattern), "{}",
                    {{"Content-Type", "application/json"}, {"Authorization", "Bearer forged"}});
    EXPECT_EQ(forged.status, 401) << route.method << " " << route.pattern;
    ++checked;
  }
  EXPECT_GE(checked, 15);
}

TEST(RouteSecurityTest, EveryPermissionRouteRefusesCallersWithoutThePermission) {
  TestPlatform platform;
  testing::HttpClient client(platform.port());
  // The permissions of every demo account, from /me.
  std::vector<std::pair<std::string, std::set<std::string>>> accounts;
  for (const auto& demo : identity::DemoAccounts()) {
    const std::string token = platform.Login(demo.login);
    ASSERT_FALSE(token.empty()) << demo.login;
    const auto me = client.Send("GET", "/api/v1/me", "", {{"Authorization", "Bearer " + token}});
    ASSERT_EQ(me.status, 200) << me.body;
    std::set<std::string> permissions;
    for (const auto& p : me.Json().value("permissions", json::array()))
      permissions.insert(p.get<std::string>());
    accounts.emplace_back(token, permissions);
  }
  // A staff member with no role at all holds no permission: the caller of last resort for
  // permissions every demo role has (session.read).
  auto hq = platform.app().identity().FindOrgByCode("HQ");
  ASSERT_TRUE(hq.ok() && hq->has_value());
  auto nobody =
      platform.app().identity().CreateStaffUser(Actor::System("test"), {.login = "no.roles",
                                                                        .display_name = "无角色",
                                                                        .org_id = (*hq)->id,
                                                                        .roles = {},
                                                                        .password = identity::kDemoPassword,
                                                                        .phone = std::nullopt});
  ASSERT_TRUE(nobody.ok()) << nobody.status().ToString();
  accounts.emplace_back(platform.Login("no.roles"), std::set<std::string>{});
  ASSERT_FALSE(accounts.back().first.empty());
  int checked = 0;
  for (const auto& route : platform.app().router().routes()) {
    if (route.access != http::Access::kPermission) continue;
    const auto without = std::find_if(accounts.begin(), accounts.end(),
                                      [&](const auto& a) { return a.second.count(route.permission) == 0; });
    ASSERT_NE(without, accounts.end()) << "every demo account holds " << route.permission;
    const auto reply =
        client.Send(route.method, FillPattern(route.pattern), "{}",
                    {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + without->first}});
    EXPECT_EQ(reply.status, 403) << route.method << " " << route.pattern << ": " << reply.body;
    EXPECT_EQ(reply.Json().value("code", ""), "permission_denied") << route.method << " " << route.pattern;
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

TEST(OpenApiCoverageTest, EveryRegisteredRouteIsDocumentedWithSchemas) {
  TestPlatform platform;
  testing::HttpClient client(platform.port());
  const auto reply = client.Send("GET", "/openapi.json");
  ASSERT_EQ(reply.status, 200);
  const json doc = reply.Json();
  EXPECT_EQ(doc.value("openapi", ""), "3.1.0");
  for (const auto& route : platform.app().router().routes()) {
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    ASSERT_TRUE(doc["paths"].contains(route.pattern)) << route.pattern << " is missing from /openapi.json";
    const json& operation = doc["paths"][route.pattern];
    ASSERT_TRUE(operation.contains(method)) << route.method << " " << route.pattern << " is missing";
    EXPECT_FALSE(operation[method].value("summary", "").empty()) << route.method << " " << route.pattern;
    EXPECT_TRUE(operation[method].contains("responses")) << route.method << " " << route.pattern;
    if (route.method == "POST" || route.method == "PUT" || route.method == "PATCH") {
      EXPECT_TRUE(operation[method].contains("requestBody")) << route.method << " " << route.pattern;
    }
  }
}

// RULES.md §6: ID numbers and phone numbers are encrypted at rest and never logged.
TEST(PersonalDataTest, ClearIdNumbersAndPhonesNeverReachTheDatabaseFileOrTheLogs) {
  // This test opens its own SQLite file (whatever the binary's backend) so it can read the bytes.
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("anxin-pii-" + RandomToken(6));
  std::filesystem::create_directories(dir);
  std::ostringstream logs;
  SetLogSink(std::make_shared<spdlog::sinks::ostream_sink_mt>(logs));
  SetLogLevel(spdlog::level::trace);
  const std::string id_number = "440524188001010014";
  const std::string phone = "13912345678";
  {
    auto db = storage::OpenDatabase({.url = "sqlite:" + (dir / "anxin.db").string()});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE(storage::Migrate(**db).ok());
    TestPlatform platform(std::move(db).value(), false);
    // A customer with an ID number and a phone, created through the service.
    auto customer =
        platform.app().identity().CreateCustomer(Actor::System("test"), {.login = "li.si",
                                                                         .display_name = "李四",
                                                                         .phone = phone,
                                                                         .id_type = IdType::kResidentId,
                                                                         .id_number = id_number,
                                                                         .password = "Customer-pass-2026"});
    ASSERT_TRUE(customer.ok()) << customer.status().ToString();
    testing::HttpClient client(platform.port());
    // The customer logs in; staff read the record masked, then reveal it with a purpose (audited).
    const auto login =
        client.SendJson("POST", "/api/v1/sessions", {{"login", "li.si"}, {"password", "Customer-pass-2026"}});
    ASSERT_EQ(login.status, 201) << login.body;
    const std::string admin = platform.Login("admin");
    const auto masked =
        client.Send("GET", "/api/v1/users/" + customer->id, "", {{"Authorization", "Bearer " + admin}});
    ASSERT_EQ(masked.status, 200) << masked.body;
    EXPECT_EQ(masked.body.find(id_number), std::string::npos);
    EXPECT_EQ(masked.body.find(phone), std::string::npos);
    const auto revealed = client.Send(
        "GET",
        "/api/v1/users/" + customer->id +
            "?reveal=phone,id_number&purpose=%E5%AE%A2%E6%88%B7%E6%9D%A5%E7%94%B5%E6%A0%B8%E5%AE%9E",
        "", {{"Authorization", "Bearer " + admin}});
    ASSERT_EQ(revealed.status, 200) << revealed.body;
    EXPECT_NE(revealed.body.find(id_number), std::string::npos);
    // A failed login that types the phone number as login name does not log it either.
    client.SendJson("POST", "/api/v1/sessions", {{"login", phone}, {"password", "wrong-password-1"}});
  }
  SetLogSink(nullptr);
  std::string all_files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    all_files += std::string(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_GT(all_files.size(), 10000u);
  EXPECT_EQ(all_files.find(id_number), std::string::npos) << "clear ID number in the database files";
  EXPECT_EQ(all_files.find(phone), std::string::npos) << "clear phone number in the database files";
  EXPECT_EQ(all_files.find("Customer-pass-2026"), std::string::npos);
  const std::string log_text = logs.str();
  EXPECT_NE(log_text.find("http_access"), std::string::npos) << "the logs were captured";
  EXPECT_EQ(log_text.find(id_number), std::string::npos) << "clear ID number in the logs";
  EXPECT_EQ(log_text.find(phone), std::string::npos) << "clear phone number in the logs";
  std::filesystem::remove_all(dir);
}

// Issue 6 §1: user free text reaches audit summaries; an ID number or mobile number typed into any
// such field must be masked there, and never turn the request into a 500 (the summary guard used
// to refuse it with kInternal). Each field that ends up in a summary gets both numbers, written
// together and in groups.
TEST(AuditFreeTextTest, PersonalNumbersInFreeTextAreMaskedInAuditSummariesNeverA500) {
  TestPlatform platform;
  testing::HttpClient client(platform.port());
  const std::string admin = platform.Login("admin");
  const std::string doc = platform.Login("doc.hq");
  ASSERT_FALSE(admin.empty());
  ASSERT_FALSE(doc.empty());
  const std::string id_number = "110101199003074258";
  const std::string phone = "13800138000";
  const std::string text = "张三 " + id_number + " 电话" + phone + " / 138 0013 8000";
  auto call = [&](const std::string& token, const std::string& method, const std::string& path,
                  const json& body) {
    testing::HttpReply reply =
        body.is_null() ? client.Send(method, path, "", {{"Authorization", "Bearer " + token}})
                       : client.SendJson(method, path, body, {{"Authorization", "Bearer " + token}});
    EXPECT_LT(reply.status, 500) << method << " " << path << ": " << reply.body;
    EXPECT_GE(reply.status, 200) << method << " " << path;
    return reply;
  };
  auto encode = [](const std::string& raw) {
    std::string out;
    for (unsigned char c : raw) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += std::isalnum(c) ? std::string(1, static_cast<char>(c)) : std::string(buf);
    }
    return out;
  };

  const auto me = call(admin, "GET", "/api/v1/me", nullptr);
  const std::string hq = me.Json().at("org").at("id").get<std::string>();
  // Organisations: code (all digits; refused or masked) and name.
  call(admin, "POST", "/api/v1/orgs",
       {{"code", id_number}, {"name", "机构"}, {"level", "branch"}, {"parent_id", hq}});
  call(admin, "POST", "/api/v1/orgs",
       {{"code", phone}, {"name", "机构二"}, {"level", "branch"}, {"parent_id", hq}});
  const auto org = call(admin, "POST", "/api/v1/orgs",
                        {{"code", "FT"}, {"name", text}, {"level", "branch"}, {"parent_id", hq}});
  ASSERT_EQ(org.status, 201) << org.body;
  const std::string org_id = org.Json().at("id").get<std::string>();
  call(admin, "PATCH", "/api/v1/orgs/" + org_id, {{"name", "分公司 " + phone + " " + id_number}});
  // Staff: login and display name.
  const auto user = call(admin, "POST", "/api/v1/users",
                         {{"login", "ft-" + phone},
                          {"display_name", "王五"},
                          {"org_id", org_id},
                          {"roles", {"seller"}},
                          {"password", "Free-text-2026!"}});
  ASSERT_EQ(user.status, 201) << user.body;
  const std::string user_id = user.Json().at("id").get<std::string>();
  call(admin, "PATCH", "/api/v1/users/" + user_id, {{"display_name", "王五" + id_number}});
  // The purpose of revealing personal data.
  call(admin, "GET", "/api/v1/users/" + user_id + "?reveal=phone&purpose=" + encode("核实 " + text), nullptr);
  // Card types: the code (upper-case letters or digits, so a bare ID or mobile number is a valid one).
  for (const std::string& code : {id_number, phone}) {
    const auto type = call(doc, "POST", "/api/v1/card-types",
                           {{"code", code},
                            {"name", "卡" + code},
                            {"serial_prefix", code == phone ? "FTB" : "FTA"},
                            {"product_code", "ACCIDENT_ANNUAL"},
                            {"plan_codes", {"A"}},
                            {"default_plan_code", "A"},
                            {"term", {{"unit", "year"}, {"value", 1}}},
                            {"face_value_fen", 9900},
                            {"validity_days", 365},
                            {"start_rule", "next_day"},
                            {"start_within_days", 0}});
    ASSERT_EQ(type.status, 201) << type.body;
    call(doc, "PATCH", "/api/v1/card-types/" + type.Json().at("id").get<std::string>(),
         {{"status", "disabled"}});
  }
  // A policy's parties revealed with the numbers in the purpose.
  const Date start = AddDays(DateOf(SystemClock().NowMs()), 1);
  policies::NewPolicy request;
  request.product_code = "ACCIDENT_ANNUAL";
  request.plan_code = "A";
  request.premium = Money::Fen(9900);
  request.start_date = start;
  request.end_date = policies::PolicyEndDate(start, products::TermUnit::kYear, 1);
  request.org_id = hq;
  request.source = policies::PolicySource::kOnline;
  request.parties = {{policies::PartyRole::kHolder,
                      "李四",
                      IdType::kResidentId,
                      id_number,
                      {1990, 3, 7},
                      Sex::kMale,
                      phone,
                      policies::Relationship::kSelf,
                      100},
                     {policies::PartyRole::kInsured,
                      "李四",
                      IdType::kResidentId,
                      id_number,
                      {1990, 3, 7},
                      Sex::kMale,
                      phone,
                      policies::Relationship::kSelf,
                      100}};
  Result<policies::Policy> policy = platform.app().db().WriteResult<policies::Policy>(
      [&](storage::Tx& tx) { return platform.app().policies().Issue(tx, Actor::System("test"), request); });
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  call(admin, "GET", "/api/v1/policies/" + policy->id + "?reveal=parties&purpose=" + encode("核实 " + text),
       nullptr);

  // Every audit record: no clear number anywhere, and each of those fields masked where it landed.
  Result<std::vector<audit::AuditRecord>> records =
      platform.app().audit().Query(platform.app().db(), {.limit = audit::kMaxQueryLimit});
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  std::map<std::string, int> masked_by_action;
  for (const audit::AuditRecord& r : *records) {
    SCOPED_TRACE(r.action + " " + r.summary);
    for (const std::string* field : {&r.summary, &r.object_id, &r.request_id}) {
      EXPECT_EQ(field->find(id_number), std::string::npos);
      EXPECT_EQ(field->find(phone), std::string::npos);
      EXPECT_EQ(field->find("138 0013 8000"), std::string::npos);
    }
    if (r.summary.find('*') != std::string::npos) ++masked_by_action[r.action];
  }
  EXPECT_GE(masked_by_action["org.create"], 1);
  EXPECT_GE(masked_by_action["org.update"], 1);
  EXPECT_GE(masked_by_action["user.create"], 1);
  EXPECT_GE(masked_by_action["user.update"], 1);
  EXPECT_GE(masked_by_action["pii.reveal"], 2);
  EXPECT_EQ(masked_by_action["card_type.create"], 2);
  EXPECT_EQ(masked_by_action["card_type.update"], 2);
  Result<audit::VerifyReport> report = platform.app().audit().Verify(platform.app().db());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
}

}  // namespace
}  // namespace anxin::app
