#include "http/json_input.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace anxin::http {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

Request JsonRequest(std::string body, std::string content_type = "application/json") {
  Request request;
  request.method = "POST";
  request.path = "/x";
  if (!content_type.empty()) request.headers["content-type"] = std::move(content_type);
  request.body = std::move(body);
  return request;
}

JsonReader ReaderFor(const std::string& body) {
  Result<JsonReader> reader = JsonReader::Parse(JsonRequest(body));
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  return std::move(reader).value();
}

// Returns "field:code" for each error of `status`.
std::vector<std::string> Errors(const Status& status) {
  std::vector<std::string> out;
  for (const FieldError& error : status.fields()) out.push_back(error.field + ":" + error.code);
  return out;
}

TEST(JsonReaderParseTest, AcceptsJsonContentTypesWithUtf8Charset) {
  for (std::string type : {"application/json", "application/json; charset=utf-8",
                           "Application/JSON;charset=UTF-8", "application/json; charset=\"utf-8\""}) {
    EXPECT_TRUE(JsonReader::Parse(JsonRequest("{}", type)).ok()) << type;
  }
}

TEST(JsonReaderParseTest, RejectsOtherContentTypesWith415) {
  for (std::string type : {"", "text/plain", "application/jsonp", "application/x-www-form-urlencoded",
                           "application/json; charset=gbk"}) {
    Result<JsonReader> reader = JsonReader::Parse(JsonRequest("{}", type));
    ASSERT_FALSE(reader.ok()) << type;
    EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(reader.status().reason(), "unsupported_media_type") << type;
    EXPECT_EQ(HttpStatusFor(reader.status()), 415);
  }
}

TEST(JsonReaderParseTest, RejectsMalformedBodies) {
  struct Case {
    std::string body;
    std::string message_part;  // in the English message
  };
  const std::vector<Case> cases = {
      {"", "empty"},
      {"{\"a\":", "byte"},
      {"{\"a\": 1,}", "byte 9"},
      {"{\"a\": \"\xC3\x28\"}", "UTF-8"},      // invalid UTF-8 byte sequence
      {"{\"a\": \"\xED\xA0\x80\"}", "UTF-8"},  // an encoded surrogate
      {"{\"a\": \"\\ud800\"}", "byte"},        // an unpaired escaped surrogate
      {"{} {}", "byte"},                       // trailing content
      {std::string(100, '[') + std::string(100, ']'), "nested"},
  };
  for (const Case& c : cases) {
    Result<JsonReader> reader = JsonReader::Parse(JsonRequest(c.body));
    ASSERT_FALSE(reader.ok()) << c.body;
    EXPECT_EQ(reader.status().reason(), "malformed_json") << c.body;
    EXPECT_EQ(HttpStatusFor(reader.status()), 400);
    EXPECT_THAT(reader.status().message().en, HasSubstr(c.message_part)) << c.body;
    EXPECT_FALSE(reader.status().message().zh.empty());
  }
}

TEST(JsonReaderParseTest, NonObjectBodyIsValidationFailure) {
  for (std::string body : {"[]", "1", "\"x\"", "null", "true"}) {
    Result<JsonReader> reader = JsonReader::Parse(JsonRequest(body));
    ASSERT_FALSE(reader.ok()) << body;
    EXPECT_EQ(reader.status().reason(), "validation_failed");
    EXPECT_EQ(Errors(reader.status()), std::vector<std::string>{":wrong_type"});
  }
}

TEST(JsonReaderTest, ReadsValidFields) {
  JsonReader in = ReaderFor(R"({"name":"  张三　","age":30,"vip":true,"plan":"gold","tags":["a"," b "],
                              "holder":{"name":"李四"},"extra":{"k":1}})");
  EXPECT_EQ(in.String("name", {.required = true, .max_len = 10}), "张三");
  EXPECT_EQ(in.Int("age", {.required = true, .min = 0, .max = 120}), 30);
  EXPECT_EQ(in.Bool("vip", true), true);
  EXPECT_EQ(in.Enum("plan", {"silver", "gold"}, true), "gold");
  EXPECT_EQ(in.StringList("tags", {}, 5, true), (std::vector<std::string>{"a", "b"}));
  std::optional<JsonReader> holder = in.Object("holder", true);
  ASSERT_TRUE(holder.has_value());
  EXPECT_EQ(holder->String("name", {.required = true}), "李四");
  const Json* extra = in.Raw("extra");
  ASSERT_NE(extra, nullptr);
  EXPECT_EQ((*extra)["k"], 1);
  EXPECT_EQ(in.Raw("absent"), nullptr);
  EXPECT_TRUE(in.Finish().ok());
}

TEST(JsonReaderTest, AbsentOptionalFieldsAreNullopt) {
  JsonReader in = ReaderFor(R"({"note":null})");
  EXPECT_EQ(in.String("note", {}), std::nullopt);
  EXPECT_EQ(in.Int("n", {}), std::nullopt);
  EXPECT_EQ(in.Bool("b", false), std::nullopt);
  EXPECT_EQ(in.Enum("e", {"x"}, false), std::nullopt);
  EXPECT_EQ(in.StringList("l", {}, 3, false), std::nullopt);
  EXPECT_FALSE(in.Object("o", false).has_value());
  EXPECT_TRUE(in.Finish().ok());
}

TEST(JsonReaderTest, ReportsEveryErrorCodeWithItsPath) {
  JsonReader in = ReaderFor(R"({
    "wrong_string": 5, "wrong_int": "5", "float_int": 3.0, "big_int": 1e30, "wrong_bool": "true",
    "short": " a ", "long": "一二三四五六", "blank": "   ", "ctrl": "a\u0001b", "nul": "a\u0000b", "c1": "a\u0085b",
    "low": -1, "high": 121, "huge": 18446744073709551615, "plan": "platinum", "wrong_enum": 1,
    "tags": ["ok", 7, ""], "many": ["a","b","c"], "wrong_list": "a",
    "holder": {"name": "", "id": 5, "surprise": 1}, "wrong_object": [], "unexpected": 0
  })");
  in.String("wrong_string", {});
  in.Int("wrong_int", {});
  in.Int("float_int", {});
  in.Int("big_int", {});
  in.Bool("wrong_bool", false);
  in.String("short", {.min_len = 2});
  in.String("long", {.max_len = 5});
  in.String("blank", {.required = true});
  in.String("ctrl", {});
  in.String("nul", {});
  in.String("c1", {});
  in.Int("low", {.min = 0, .max = 120});
  in.Int("high", {.min = 0, .max = 120});
  in.Int("huge", {});
  in.Enum("plan", {"silver", "gold"}, true);
  in.Enum("wrong_enum", {"x"}, true);
  in.StringList("tags", {.required = true}, 5, true);
  in.StringList("many", {}, 2, true);
  in.StringList("wrong_list", {}, 2, true);
  std::optional<JsonReader> holder = in.Object("holder", true);
  ASSERT_TRUE(holder.has_value());
  holder->String("name", {.required = true});
  holder->String("id", {});
  holder->String("missing", {.required = true});
  in.Object("wrong_object", false);
  in.Int("missing_int", {.required = true});
  in.AddError("cross", "end_before_start", {"结束早于开始", "End is before start"});

  Status status = in.Finish();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.reason(), "validation_failed");
  EXPECT_EQ(Errors(status), (std::vector<std::string>{
                                "wrong_string:wrong_type",
                                "wrong_int:wrong_type",
                                "float_int:wrong_type",
                                "big_int:wrong_type",
                                "wrong_bool:wrong_type",
                                "short:too_short",
                                "long:too_long",
                                "blank:required",
                                "ctrl:invalid_characters",
                                "nul:invalid_characters",
                                "c1:invalid_characters",
                                "low:out_of_range",
                                "high:out_of_range",
                                "huge:out_of_range",
                                "plan:not_allowed",
                                "wrong_enum:wrong_type",
                                "tags[1]:wrong_type",
                                "tags[2]:required",
                                "many:too_many_items",
                                "wrong_list:wrong_type",
                                "holder.name:required",
                                "holder.id:wrong_type",
                                "holder.missing:required",
                                "wrong_object:wrong_type",
                                "missing_int:required",
                                "cross:end_before_start",
                                "unexpected:unknown_field",
                                "holder.surprise:unknown_field",
                            }));
  for (const FieldError& error : status.fields()) {
    EXPECT_FALSE(error.message.zh.empty()) << error.field;
    EXPECT_FALSE(error.message.en.empty()) << error.field;
  }
}

TEST(JsonReaderTest, LengthsCountCodePointsNotBytes) {
  JsonReader in = ReaderFor(R"({"name":"张三丰"})");
  EXPECT_EQ(in.String("name", {.min_len = 3, .max_len = 3}), "张三丰");
  EXPECT_TRUE(in.Finish().ok());
}

TEST(JsonReaderTest, UntrimmedStringsKeepWhiteSpace) {
  JsonReader in = ReaderFor(R"({"pw":" secret "})");
  EXPECT_EQ(in.String("pw", {.trim = false}), " secret ");
  EXPECT_TRUE(in.Finish().ok());
}

TEST(JsonReaderTest, IntBoundsAreInclusive) {
  JsonReader in = ReaderFor(R"({"a":0,"b":120,"c":-9223372036854775808,"d":9223372036854775807})");
  EXPECT_EQ(in.Int("a", {.min = 0, .max = 120}), 0);
  EXPECT_EQ(in.Int("b", {.min = 0, .max = 120}), 120);
  EXPECT_EQ(in.Int("c", {}), INT64_MIN);
  EXPECT_EQ(in.Int("d", {}), INT64_MAX);
  EXPECT_TRUE(in.Finish().ok());
}

TEST(JsonReaderTest, UnknownFieldsOfUnreadNestedObjectsAreNotReportedTwice) {
  JsonReader in = ReaderFor(R"({"holder":{"name":"x","bad":1}})");
  std::optional<JsonReader> first = in.Object("holder", true);
  std::optional<JsonReader> second = in.Object("holder", true);
  first->String("name", {});
  Status status = in.Finish();
  EXPECT_EQ(Errors(status), std::vector<std::string>{"holder.bad:unknown_field"});
  EXPECT_EQ(Errors(in.Finish()), std::vector<std::string>{"holder.bad:unknown_field"});
}

TEST(JsonReaderTest, ReaderOverCallersObjectUsesPathPrefix) {
  Json object = {{"name", 5}};
  JsonReader in(object, "insured[0]");
  in.String("name", {});
  EXPECT_EQ(Errors(in.Finish()), std::vector<std::string>{"insured[0].name:wrong_type"});
  EXPECT_EQ(in.json(), object);
}

TEST(JsonReaderTest, ErrorMessagesAreBilingual) {
  JsonReader in = ReaderFor(R"({})");
  in.String("login", {.required = true});
  Status status = in.Finish();
  ASSERT_EQ(status.fields().size(), 1U);
  EXPECT_EQ(status.fields()[0].message.zh, "必填");
  EXPECT_EQ(status.fields()[0].message.en, "This field is required");
}

TEST(JsonReaderParseTest, RefusesDuplicateKeysAtTheirPath) {
  Result<JsonReader> top = JsonReader::Parse(JsonRequest(R"({"login":"a","login":"b"})"));
  ASSERT_FALSE(top.ok());
  EXPECT_THAT(Errors(top.status()), ::testing::ElementsAre("login:duplicate_key"));

  Result<JsonReader> nested = JsonReader::Parse(JsonRequest(R"({"holder":{"name":"a","id":1,"name":"b"}})"));
  ASSERT_FALSE(nested.ok());
  EXPECT_THAT(Errors(nested.status()), ::testing::ElementsAre("holder.name:duplicate_key"));

  Result<JsonReader> in_array =
      JsonReader::Parse(JsonRequest(R"({"items":[{"a":1},{"a":2,"b":[1,{"c":1,"c":2}]}]})"));
  ASSERT_FALSE(in_array.ok());
  EXPECT_THAT(Errors(in_array.status()), ::testing::ElementsAre("items[1].b[1].c:duplicate_key"));
}

TEST(JsonReaderParseTest, SameKeyInSiblingObjectsIsFine) {
  EXPECT_TRUE(JsonReader::Parse(JsonRequest(R"({"a":{"x":1},"b":{"x":2},"c":[{"x":1},{"x":2}]})")).ok());
}

}  // namespace
}  // namespace anxin::http
