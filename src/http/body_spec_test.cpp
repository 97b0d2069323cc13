#include "http/body_spec.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace anxin::http {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using Json = nlohmann::json;

enum class Kind { kIssue, kRecall };
constexpr EnumTable<Kind, 2> kKinds{{{{Kind::kIssue, "issue"}, {Kind::kRecall, "recall"}}}};

struct Party {
  std::string name;
  std::optional<std::string> id_number;
};

struct Body {
  Kind kind{};
  std::string code;
  std::optional<std::string> note;
  int quantity = 0;
  std::optional<int64_t> amount;
  bool urgent = false;
  std::optional<Kind> next;
  std::vector<std::string> serials;
  Party holder;
  std::optional<Party> insured;
  std::optional<std::string> day;
};

const BodySpec<Party>& PartySpec() {
  static const auto* spec =
      &(*new BodySpec<Party>("A person"))
           .String("name", &Party::name, {.required = true, .max_len = 5, .example = "张三"})
           .String("id_number", &Party::id_number,
                   {.max_len = 18, .pattern = "^[0-9]{17}[0-9X]$", .example = "11010519491231002X"});
  return *spec;
}

const BodySpec<Body>& Spec() {
  static const auto* spec =
      &(*new BodySpec<Body>("A test body."))
           .Enum("kind", &Body::kind, kKinds, {.required = true, .description = "what to do"})
           .String("code", &Body::code,
                   {.required = true, .max_len = 4, .pattern = "^[A-Z]+$", .example = "AB"})
           .String("note", &Body::note, {.max_len = 10})
           .Int("quantity", &Body::quantity, {.required = true, .min = 1, .max = 1000, .example = 2})
           .Int("amount", &Body::amount, {.min = 0})
           .Bool("urgent", &Body::urgent, {})
           .Enum("next", &Body::next, kKinds, {})
           .StringList("serials", &Body::serials,
                       {.max_items = 3, .item = {.max_len = 8, .pattern = "^[0-9]+$", .example = "123"}})
           .Object("holder", &Body::holder, PartySpec(), {.required = true})
           .Object("insured", &Body::insured, PartySpec(), {})
           .String("day", &Body::day, {.max_len = 10, .format = "date", .example = "2026-12-01"})
           .Rule(
               "`next` is required when kind is recall.",
               [](const Body& body, JsonReader& in) {
                 if (body.kind == Kind::kRecall && !body.next)
                   in.AddError("next", "required", {"必填", "Required"});
               },
               Json{{"if", {{"properties", {{"kind", {{"const", "recall"}}}}}}},
                    {"then", {{"required", {"next"}}}}});
  return *spec;
}

Request JsonRequest(const Json& body) {
  Request request;
  request.method = "POST";
  request.path = "/x";
  request.headers["content-type"] = "application/json";
  request.body = body.dump();
  return request;
}

std::vector<std::string> Errors(const Status& status) {
  std::vector<std::string> out;
  for (const FieldError& error : status.fields()) out.push_back(error.field + ":" + error.code);
  return out;
}

Json Valid() { return {{"kind", "issue"}, {"code", "AB"}, {"quantity", 2}, {"holder", {{"name", "张三"}}}}; }

TEST(BodySpecTest, ReadsEveryKindOfField) {
  Json body = Valid();
  body["note"] = " 备注 ";
  body["amount"] = 500;
  body["urgent"] = true;
  body["next"] = "recall";
  body["serials"] = {"1", "22"};
  body["insured"] = {{"name", "李四"}, {"id_number", "11010519491231002X"}};
  body["day"] = "2026-12-01";
  Result<Body> read = Spec().Read(JsonRequest(body));
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->kind, Kind::kIssue);
  EXPECT_EQ(read->code, "AB");
  EXPECT_EQ(read->note, "备注");
  EXPECT_EQ(read->quantity, 2);
  EXPECT_EQ(read->amount, 500);
  EXPECT_TRUE(read->urgent);
  EXPECT_EQ(read->next, Kind::kRecall);
  EXPECT_THAT(read->serials, ElementsAre("1", "22"));
  EXPECT_EQ(read->holder.name, "张三");
  ASSERT_TRUE(read->insured.has_value());
  EXPECT_EQ(read->insured->id_number, "11010519491231002X");
  EXPECT_EQ(read->day, "2026-12-01");
}

TEST(BodySpecTest, ReportsEveryProblemWithItsPath) {
  Json body = {
      {"kind", "lend"},         {"code", "ab"},
      {"quantity", 0},          {"urgent", "yes"},
      {"serials", {"12", "x"}}, {"holder", {{"name", "一二三四五六"}, {"id_number", "123"}, {"age", 3}}},
      {"day", "2026-13-01"},    {"extra", 1}};
  Result<Body> read = Spec().Read(JsonRequest(body));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().reason(), "validation_failed");
  EXPECT_THAT(Errors(read.status()),
              UnorderedElementsAre("kind:not_allowed", "code:invalid_format", "quantity:out_of_range",
                                   "urgent:wrong_type", "serials[1]:invalid_format", "holder.name:too_long",
                                   "holder.id_number:invalid_format", "day:invalid_format",
                                   "holder.age:unknown_field", "extra:unknown_field"));
}

TEST(BodySpecTest, NullCountsAsAbsent) {
  Json body = Valid();
  body["note"] = nullptr;
  body["insured"] = nullptr;
  Result<Body> read = Spec().Read(JsonRequest(body));
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_FALSE(read->note.has_value());
  EXPECT_FALSE(read->insured.has_value());

  Json missing = Valid();
  missing["code"] = nullptr;
  missing.erase("holder");
  EXPECT_THAT(Errors(Spec().Read(JsonRequest(missing)).status()),
              UnorderedElementsAre("code:required", "holder:required"));
}

TEST(BodySpecTest, CrossFieldRulesRunOnceFieldsAreValid) {
  Json recall = Valid();
  recall["kind"] = "recall";
  EXPECT_THAT(Errors(Spec().Read(JsonRequest(recall)).status()), ElementsAre("next:required"));
  recall["code"] = "toolong";
  EXPECT_THAT(Errors(Spec().Read(JsonRequest(recall)).status()), ElementsAre("code:too_long"));
}

TEST(BodySpecTest, SchemaSaysWhatTheReaderChecks) {
  Json schema = Spec().Schema();
  EXPECT_EQ(schema["type"], "object");
  EXPECT_EQ(schema["additionalProperties"], false);
  EXPECT_THAT(schema["required"].get<std::vector<std::string>>(),
              ElementsAre("kind", "code", "quantity", "holder"));
  EXPECT_EQ(schema["description"], "A test body. `next` is required when kind is recall.");
  const Json& p = schema["properties"];
  EXPECT_EQ(p["kind"]["enum"], Json({"issue", "recall"}));
  EXPECT_EQ(p["code"]["maxLength"], 4);
  EXPECT_EQ(p["code"]["minLength"], 1);
  EXPECT_EQ(p["code"]["pattern"], "^[A-Z]+$");
  EXPECT_EQ(p["note"]["type"], Json({"string", "null"}));
  EXPECT_EQ(p["quantity"]["minimum"], 1);
  EXPECT_EQ(p["quantity"]["maximum"], 1000);
  EXPECT_EQ(p["next"]["enum"], Json({"issue", "recall", nullptr}));
  EXPECT_EQ(p["serials"]["maxItems"], 3);
  EXPECT_EQ(p["serials"]["items"]["pattern"], "^[0-9]+$");
  EXPECT_EQ(p["holder"]["required"], Json({"name"}));
  EXPECT_EQ(p["holder"]["additionalProperties"], false);
  EXPECT_EQ(p["insured"]["type"], Json({"object", "null"}));
  EXPECT_EQ(p["day"]["format"], "date");
  EXPECT_EQ(schema["allOf"].size(), 1u);
}

TEST(BodySpecTest, ExampleIsAValidBody) {
  Json example = Spec().Example();
  EXPECT_EQ(example["code"], "AB");
  EXPECT_EQ(example["holder"]["name"], "张三");
  Result<Body> read = Spec().Read(JsonRequest(example));
  EXPECT_TRUE(read.ok()) << read.status().ToString();
}

struct Patch {
  std::optional<std::optional<std::string>> phone;
};

const BodySpec<Patch>& PatchSpec() {
  static const auto* spec =
      &(*new BodySpec<Patch>("A patch."))
           .ClearableString("phone", &Patch::phone, {.max_len = 4, .pattern = "^[0-9]+$"});
  return *spec;
}

TEST(BodySpecTest, ClearableStringTellsAbsentFromNull) {
  Result<Patch> absent = PatchSpec().Read(JsonRequest(Json::object()));
  ASSERT_TRUE(absent.ok()) << absent.status().ToString();
  EXPECT_FALSE(absent->phone.has_value());

  Result<Patch> cleared = PatchSpec().Read(JsonRequest({{"phone", nullptr}}));
  ASSERT_TRUE(cleared.ok()) << cleared.status().ToString();
  ASSERT_TRUE(cleared->phone.has_value());
  EXPECT_FALSE(cleared->phone->has_value());

  Result<Patch> set = PatchSpec().Read(JsonRequest({{"phone", " 12 "}}));
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->phone, std::optional<std::string>("12"));

  EXPECT_THAT(Errors(PatchSpec().Read(JsonRequest({{"phone", "12345"}})).status()),
              ElementsAre("phone:too_long"));
  EXPECT_THAT(Errors(PatchSpec().Read(JsonRequest({{"phone", "ab"}})).status()),
              ElementsAre("phone:invalid_format"));
  EXPECT_THAT(Errors(PatchSpec().Read(JsonRequest({{"phone", 12}})).status()),
              ElementsAre("phone:wrong_type"));
  const Json schema = PatchSpec().Schema();
  EXPECT_EQ(schema["properties"]["phone"]["type"], Json({"string", "null"}));
  EXPECT_FALSE(schema.contains("required"));
}

struct Note {
  std::string reason;
};

TEST(BodySpecTest, ABodyThatMayBeEmptyReadsAsDefaultsAndIsStillChecked) {
  static const auto* optional =
      &(*new BodySpec<Note>()).String("reason", &Note::reason, {.max_len = 4}).MayBeEmpty();
  static const auto* required = &(*new BodySpec<Note>()).String("reason", &Note::reason, {.max_len = 4});
  EXPECT_FALSE(optional->body_required());
  EXPECT_TRUE(required->body_required());

  Request empty;
  empty.method = "POST";
  empty.path = "/x";
  Result<Note> none = optional->Read(empty);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(none->reason, "");
  EXPECT_EQ(required->Read(empty).status().reason(), "unsupported_media_type");
  empty.headers["content-type"] = "application/json";
  EXPECT_EQ(required->Read(empty).status().reason(), "malformed_json");

  Result<Note> given = optional->Read(JsonRequest({{"reason", "丢了"}}));
  ASSERT_TRUE(given.ok());
  EXPECT_EQ(given->reason, "丢了");
  EXPECT_THAT(Errors(optional->Read(JsonRequest({{"reason", "一二三四五"}})).status()),
              ElementsAre("reason:too_long"));
}

}  // namespace
}  // namespace anxin::http
