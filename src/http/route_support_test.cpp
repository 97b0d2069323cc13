#include "http/route_support.hpp"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace anxin::http {
namespace {

using Json = nlohmann::json;

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

TEST(SchemaTest, NullableAddsNullToTheTypeAndTheEnumAndKeepsOtherKeywords) {
  EXPECT_EQ(schema::Nullable(schema::String()), Json({{"type", Json::array({"string", "null"})}}));
  EXPECT_EQ(schema::Nullable(schema::DateTime()),
            Json({{"type", Json::array({"string", "null"})}, {"format", "date-time"}}));
  EXPECT_EQ(schema::Nullable(schema::Nullable(schema::Integer())),
            Json({{"type", Json::array({"integer", "null"})}}));
  EXPECT_EQ(
      schema::Nullable(schema::Nullable(schema::Enum({"issue", "recall"}))),
      Json({{"type", Json::array({"string", "null"})}, {"enum", Json::array({"issue", "recall", nullptr})}}));
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
