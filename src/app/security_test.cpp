// Platform-wide security properties, checked over HTTP against the whole route table:
// every non-public route refuses anonymous callers and callers without its permission, every
// route is in the OpenAPI document, and personal data never reaches the database file or the
// logs in clear text.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "app/test_platform.hpp"
#include "common/log.hpp"

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
                                                                         .id_type = "resident_id",
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

}  // namespace
}  // namespace anxin::app
