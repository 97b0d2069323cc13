#include "http/route_support.hpp"

#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace anxin::http {
namespace {

using ::testing::ElementsAre;
using Json = nlohmann::json;

Request WithQuery(std::map<std::string, std::string> query) {
  Request request;
  request.method = "GET";
  request.path = "/x";
  request.query = std::move(query);
  return request;
}

// Returns "field:code" for each error of `status`.
std::vector<std::string> Errors(const Status& status) {
  std::vector<std::string> out;
  for (const FieldError& error : status.fields()) out.push_back(error.field + ":" + error.code);
  return out;
}

TEST(ActorOfTest, CarriesThePrincipalRequestIdAndClientAddress) {
  Request request;
  request.request_id = "req-1";
  request.client_address = "10.0.0.7";
  request.principal = Principal{};
  request.principal->user_id = "U1";
  Actor actor = ActorOf(request);
  ASSERT_NE(actor.principal, nullptr);
  EXPECT_EQ(actor.principal, &*request.principal);
  EXPECT_EQ(actor.principal->user_id, "U1");
  EXPECT_EQ(actor.request_id, "req-1");
  EXPECT_EQ(actor.client_address, "10.0.0.7");
  EXPECT_TRUE(actor.system_name.empty());
}

TEST(ActorOfTest, IsAnonymousOnPublicRoutes) {
  Request request;
  request.request_id = "req-2";
  Actor actor = ActorOf(request);
  EXPECT_EQ(actor.principal, nullptr);
  EXPECT_EQ(actor.request_id, "req-2");
}

TEST(NullOrTest, RendersAbsentAsNull) {
  EXPECT_EQ(NullOr(std::nullopt), Json(nullptr));
  EXPECT_EQ(NullOr(std::string("x")), Json("x"));
  EXPECT_EQ(NullOr(std::string()), Json(""));
}

TEST(JsonArrayTest, RendersEachItemInOrder) {
  const std::vector<int> items = {3, 1, 2};
  EXPECT_EQ(JsonArray(items, [](int i) { return Json(i * 10); }), Json::array({30, 10, 20}));
  EXPECT_EQ(JsonArray(std::vector<int>{}, [](int i) { return Json(i); }), Json::array());
}

TEST(NonEmptyQueryTest, TreatsEmptyAsAbsent) {
  Request request = WithQuery({{"a", "x"}, {"b", ""}});
  EXPECT_EQ(NonEmptyQuery(request, "a"), "x");
  EXPECT_EQ(NonEmptyQuery(request, "b"), std::nullopt);
  EXPECT_EQ(NonEmptyQuery(request, "c"), std::nullopt);
}

TEST(BoundedQueryTest, RejectsParametersLongerThanTheBound) {
  Request request = WithQuery({{"ok", std::string(64, 'a')}, {"long", std::string(65, 'a')}, {"empty", ""}});
  Result<std::optional<std::string>> ok = BoundedQuery(request, "ok", 64);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, std::string(64, 'a'));
  Result<std::optional<std::string>> empty = BoundedQuery(request, "empty", 64);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, std::nullopt);
  Result<std::optional<std::string>> absent = BoundedQuery(request, "absent", 64);
  ASSERT_TRUE(absent.ok());
  EXPECT_EQ(*absent, std::nullopt);
  Result<std::optional<std::string>> too_long = BoundedQuery(request, "long", 64);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(too_long.status().reason(), "validation_failed");
  EXPECT_THAT(Errors(too_long.status()), ElementsAre("long:too_long"));
}

TEST(LimitParamTest, ReturnsTheDefaultWhenAbsent) {
  Result<int> limit = LimitParam(WithQuery({}), 50, 200);
  ASSERT_TRUE(limit.ok());
  EXPECT_EQ(*limit, 50);
}

TEST(LimitParamTest, AcceptsIntegersFromOneToTheMaximum) {
  const std::vector<std::pair<std::string, int>> cases = {{"1", 1}, {"37", 37}, {"200", 200}, {"007", 7}};
  for (const auto& [text, expected] : cases) {
    Result<int> limit = LimitParam(WithQuery({{"limit", text}}), 50, 200);
    ASSERT_TRUE(limit.ok()) << text;
    EXPECT_EQ(*limit, expected) << text;
  }
}

TEST(LimitParamTest, RejectsEverythingElseAsOutOfRange) {
  for (const char* text :
       {"", "0", "201", "-1", "+5", " 5", "5 ", "1.5", "ten", "10abc", "99999999999999999999"}) {
    Result<int> limit = LimitParam(WithQuery({{"limit", text}}), 50, 200);
    ASSERT_FALSE(limit.ok()) << text;
    EXPECT_EQ(limit.status().code(), StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(limit.status().reason(), "validation_failed") << text;
    EXPECT_THAT(Errors(limit.status()), ElementsAre("limit:out_of_range")) << text;
    EXPECT_EQ(limit.status().fields()[0].message.en, "limit must be 1-200");
  }
}

TEST(ValueOrCollectTest, AppendsTheFieldErrorsOfAFailure) {
  std::vector<FieldError> errors = {{"status", "invalid_value", {}}};
  EXPECT_EQ(ValueOrCollect(LimitParam(WithQuery({{"limit", "7"}}), 50, 200), errors), 7);
  EXPECT_EQ(errors.size(), 1u);
  EXPECT_EQ(ValueOrCollect(LimitParam(WithQuery({{"limit", "0"}}), 50, 200), errors), std::nullopt);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "status");
  EXPECT_EQ(errors[1].field, "limit");
  EXPECT_EQ(errors[1].code, "out_of_range");
}

TEST(SchemaTest, BuildsScalarSchemas) {
  struct Case {
    const char* name;
    Json actual;
    Json expected;
  };
  const std::vector<Case> cases = {
      {"string", schema::String(), {{"type", "string"}}},
      {"bounded string", schema::String(64), {{"type", "string"}, {"maxLength", 64}}},
      {"integer", schema::Integer(), {{"type", "integer"}}},
      {"boolean", schema::Boolean(), {{"type", "boolean"}}},
      {"date", schema::FullDate(), {{"type", "string"}, {"format", "date"}}},
      {"timestamp", schema::DateTime(), {{"type", "string"}, {"format", "date-time"}}},
      {"enum", schema::Enum({"a", "b"}), {{"type", "string"}, {"enum", {"a", "b"}}}},
  };
  for (const Case& c : cases) EXPECT_EQ(c.actual, c.expected) << c.name;
}

TEST(SchemaTest, BuildsArrays) {
  EXPECT_EQ(schema::Array(schema::Integer()), Json({{"type", "array"}, {"items", {{"type", "integer"}}}}));
  EXPECT_EQ(schema::Array(schema::String(), 20),
            Json({{"type", "array"}, {"items", {{"type", "string"}}}, {"maxItems", 20}}));
}

TEST(SchemaTest, NullableAddsNullToTheTypeAndKeepsOtherKeywords) {
  EXPECT_EQ(schema::Nullable(schema::String()), Json({{"type", Json::array({"string", "null"})}}));
  EXPECT_EQ(schema::Nullable(schema::DateTime()),
            Json({{"type", Json::array({"string", "null"})}, {"format", "date-time"}}));
  EXPECT_EQ(schema::Nullable(schema::Nullable(schema::Integer())),
            Json({{"type", Json::array({"integer", "null"})}}));
  const Json one_of = {{"oneOf", Json::array({{{"const", 1}}, {{"type", "null"}}})}};
  EXPECT_EQ(schema::Nullable({{"const", 1}}), one_of);
}

TEST(SchemaTest, ObjectListsRequiredPropertiesOnlyWhenThereAreAny) {
  const Json properties = {{"id", schema::String()}};
  EXPECT_EQ(schema::Object(properties, {"id"}),
            Json({{"type", "object"}, {"properties", properties}, {"required", {"id"}}}));
  EXPECT_EQ(schema::Object(properties), Json({{"type", "object"}, {"properties", properties}}));
}

TEST(SchemaTest, ClosedObjectForbidsOtherProperties) {
  const Json properties = {{"id", schema::String()}};
  EXPECT_EQ(schema::ClosedObject(properties, {"id"}), Json({{"type", "object"},
                                                            {"properties", properties},
                                                            {"required", {"id"}},
                                                            {"additionalProperties", false}}));
  EXPECT_EQ(schema::ClosedObject(properties),
            Json({{"type", "object"}, {"properties", properties}, {"additionalProperties", false}}));
}

TEST(SchemaTest, BuildsListAndPageBodies) {
  const Json item = schema::Object({{"id", schema::String()}}, {"id"});
  EXPECT_EQ(schema::ListOf(item), Json({{"type", "object"},
                                        {"properties", {{"items", {{"type", "array"}, {"items", item}}}}},
                                        {"required", {"items"}}}));
  EXPECT_EQ(schema::PageOf(item), Json({{"type", "object"},
                                        {"properties",
                                         {{"items", {{"type", "array"}, {"items", item}}},
                                          {"next_after", {{"type", Json::array({"string", "null"})}}}}},
                                        {"required", {"items", "next_after"}}}));
}

}  // namespace
}  // namespace anxin::http
