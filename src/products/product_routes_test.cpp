#include "products/product_routes.hpp"

#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/testing/route_test_support.hpp"
#include "products/product_test_support.hpp"

namespace anxin::products {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;

class ProductRoutesTest : public ProductTestBase {
 protected:
  void SetUp() override {
    ProductTestBase::SetUp();
    Principal reader;
    reader.user_id = "U1";
    reader.permissions = {"product.read"};
    auth_.principals["reader"] = reader;
    Principal other;
    other.user_id = "U2";
    other.permissions = {"audit.read"};
    auth_.principals["other"] = other;
    router_.SetAuthenticator(&auth_);
    RegisterProductRoutes(router_, *service_);
    Result<LoadCounts> load = service_->LoadDirectory(dir_, cli_);
    ASSERT_TRUE(load.ok()) << load.status().ToString();
  }

  http::Response Get(const std::string& path, std::map<std::string, std::string> query = {},
                     const std::string& token = "") {
    http::Request request = http::testing::GetRequest(path, std::move(query), token);
    return router_.Handle(request);
  }

  static json Body(const http::Response& response) { return json::parse(response.body); }

  static std::vector<std::string> ItemCodes(const http::Response& response) {
    std::vector<std::string> codes;
    const json body = Body(response);
    for (const json& item : body.at("items")) codes.push_back(item.at("code").get<std::string>());
    return codes;
  }

  http::testing::TokenAuthenticator auth_;
  http::Router router_;
};

TEST_F(ProductRoutesTest, ListsTheCatalogueWithoutLoggingIn) {
  http::Response response = Get("/api/v1/products");
  ASSERT_EQ(response.status, 200) << response.body;
  json body = Body(response);
  EXPECT_EQ(body.at("date"), "2026-11-21");
  EXPECT_EQ(body.at("items").size(), ShippedCount());
  const json* accident = nullptr;
  for (const json& item : body.at("items")) {
    if (item.at("code") == "ACCIDENT_ANNUAL") accident = &item;
  }
  ASSERT_NE(accident, nullptr);
  EXPECT_EQ(accident->at("line_of_business"), "accident");
  EXPECT_EQ(accident->at("plans").at(0).at("code"), "A");
  EXPECT_EQ(accident->at("plans").at(0).at("lowest_premium_fen"), 9900);
  EXPECT_FALSE(accident->contains("surrender"));  // the listing is a summary
}

TEST_F(ProductRoutesTest, FiltersByLineOfBusinessAndDate) {
  http::Response life = Get("/api/v1/products", {{"line_of_business", "life"}});
  ASSERT_EQ(life.status, 200);
  EXPECT_THAT(ItemCodes(life), ElementsAre("TERM_LIFE"));
  // Term life's lowest premium: the cheapest band times the minimum 10 units of 10,000 yuan.
  // (Female, 18-25, 10 years: 5.00 yuan per unit; 10 units.)
  EXPECT_EQ(Body(life).at("items").at(0).at("plans").at(0).at("lowest_premium_fen"), 5000);
  EXPECT_EQ(Body(life).at("items").at(0).at("plans").at(0).at("frequency"), "annual");

  http::Response before = Get("/api/v1/products", {{"date", "2025-06-01"}});
  ASSERT_EQ(before.status, 200);
  EXPECT_TRUE(Body(before).at("items").empty());
  EXPECT_EQ(Body(before).at("date"), "2025-06-01");
}

TEST_F(ProductRoutesTest, RejectsBadQueryParametersWithTheField) {
  http::Response response = Get("/api/v1/products", {{"line_of_business", "marine"}, {"date", "2026-13-01"}});
  ASSERT_EQ(response.status, 400) << response.body;
  EXPECT_EQ(response.content_type, "application/problem+json");
  std::vector<std::string> fields;
  const json body = Body(response);
  for (const json& e : body.at("errors")) fields.push_back(e.at("field").get<std::string>());
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("line_of_business", "date"));
}

TEST_F(ProductRoutesTest, RendersTheFullProductWithMoneyInFen) {
  http::Response response = Get("/api/v1/products/TERM_LIFE");
  ASSERT_EQ(response.status, 200) << response.body;
  json body = Body(response);
  EXPECT_EQ(body.at("version"), 1);
  EXPECT_EQ(body.at("cooling_off_days"), 15);
  EXPECT_EQ(body.at("limitation_years"), 5);
  EXPECT_EQ(body.at("surrender").at("method"), "cash_value_table");
  EXPECT_EQ(body.at("surrender").at("cash_value_table").size(), 3u);
  const json& price = body.at("plans").at(0).at("price");
  EXPECT_EQ(price.at("sum_insured_unit_fen"), 1000000);
  EXPECT_TRUE(price.at("table").at(0).contains("premium_fen"));
  EXPECT_TRUE(body.at("plans").at(0).at("coverages").at(0).at("sum_insured_fen").is_null());
  EXPECT_EQ(body.at("terms").size(), 3u);
  EXPECT_EQ(body.at("definition_hash").get<std::string>().size(), 64u);

  json home = Body(Get("/api/v1/products/HOME_PROPERTY"));
  EXPECT_EQ(home.at("surrender").at("handling_fee_fen"), 1000);
  EXPECT_THAT(home.at("surrender").at("short_rate_table").get<std::vector<int>>(),
              ElementsAre(15, 25, 35, 45, 55, 65, 75, 80, 85, 90, 95, 100));
}

TEST_F(ProductRoutesTest, GetsAGivenVersionOrRejectsABadOne) {
  EXPECT_EQ(Get("/api/v1/products/TERM_LIFE", {{"version", "1"}}).status, 200);
  EXPECT_EQ(Get("/api/v1/products/TERM_LIFE", {{"version", "2"}}).status, 404);
  for (const char* bad : {"abc", "0", "-1", "1x", "99999999999"}) {
    http::Response response = Get("/api/v1/products/TERM_LIFE", {{"version", bad}});
    EXPECT_EQ(response.status, 400) << bad;
    EXPECT_EQ(Body(response).at("errors").at(0).at("field"), "version") << bad;
  }
  EXPECT_EQ(Get("/api/v1/products/TERM_LIFE", {{"version", "1"}, {"date", "2026-01-01"}}).status, 400);
  EXPECT_EQ(Get("/api/v1/products/TERM_LIFE", {{"date", "2025-12-31"}}).status, 404);
}

TEST_F(ProductRoutesTest, UnknownOrMalformedCodeIsNotFound) {
  EXPECT_EQ(Get("/api/v1/products/NO_SUCH").status, 404);
  EXPECT_EQ(Get("/api/v1/products/x'; DROP TABLE products;--").status, 404);
  EXPECT_EQ(Get("/api/v1/products/TERM_LIFE").status, 200);
}

TEST_F(ProductRoutesTest, VersionsNeedProductReadPermission) {
  EXPECT_EQ(Get("/api/v1/products/TERM_LIFE/versions").status, 401);
  EXPECT_EQ(Get("/api/v1/products/TERM_LIFE/versions", {}, "other").status, 403);
  http::Response response = Get("/api/v1/products/TERM_LIFE/versions", {}, "reader");
  ASSERT_EQ(response.status, 200) << response.body;
  json body = Body(response);
  EXPECT_EQ(body.at("code"), "TERM_LIFE");
  ASSERT_EQ(body.at("items").size(), 1u);
  EXPECT_EQ(body.at("items").at(0).at("version"), 1);
  EXPECT_EQ(body.at("items").at(0).at("loaded_at"), "2026-11-21T17:32:00.000+08:00");
  EXPECT_TRUE(body.at("items").at(0).at("effective_to").is_null());
  EXPECT_EQ(Get("/api/v1/products/NO_SUCH/versions", {}, "reader").status, 404);
}

TEST_F(ProductRoutesTest, RegistersDocumentedRoutesUnderTheProductsTag) {
  int count = 0;
  for (const http::Route& route : router_.routes()) {
    if (route.pattern.rfind("/api/v1/products", 0) != 0) continue;
    ++count;
    EXPECT_EQ(route.tag, "products");
    EXPECT_FALSE(route.summary.empty());
    EXPECT_TRUE(route.response_schema.is_object());
  }
  EXPECT_EQ(count, 3);
}

}  // namespace
}  // namespace anxin::products
