#include "http/query_spec.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace anxin::http {
namespace {

using ::testing::UnorderedElementsAre;

enum class Group { kDay, kMonth };
constexpr EnumTable<Group, 2> kGroups{{{{Group::kDay, "day"}, {Group::kMonth, "month"}}}};

struct Query {
  Date from;
  std::optional<Date> to;
  std::optional<int64_t> since_ms;
  std::optional<std::string> serial;
  std::optional<Group> group_by;
  std::optional<int> min_quantity;
  std::optional<bool> mine;
  int limit = 0;
  std::string after;
  RevealQuery reveal;
};

const QuerySpec<Query>& Spec() {
  static const auto* spec = &(*new QuerySpec<Query>())
                                 .Date("from", &Query::from, {.required = true, .description = "first day"})
                                 .Date("to", &Query::to, {})
                                 .Timestamp("since", &Query::since_ms, {})
                                 .Text("serial", &Query::serial, {.max_len = 15})
                                 .Enum("group_by", &Query::group_by, kGroups, {})
                                 .Int("min_quantity", &Query::min_quantity, {.min = 1, .max = 10})
                                 .Bool("mine", &Query::mine, {})
                                 .Limit(&Query::limit, 100, 500)
                                 .Cursor(&Query::after)
                                 .Reveal(&Query::reveal, {"phone", "id_number"});
  return *spec;
}

Request With(std::map<std::string, std::string> query) {
  Request request;
  request.method = "GET";
  request.query = std::move(query);
  return request;
}

std::vector<std::string> Errors(const Status& status) {
  std::vector<std::string> out;
  for (const FieldError& error : status.fields()) out.push_back(error.field + ":" + error.code);
  return out;
}

TEST(QuerySpecTest, ReadsEveryKindOfParameter) {
  Result<Query> q = Spec().Read(With({{"from", "2026-11-01"},
                                      {"to", "2026-11-30"},
                                      {"since", "2026-11-01T08:00:00+08:00"},
                                      {"serial", "ACC0000000001"},
                                      {"group_by", "month"},
                                      {"min_quantity", "3"},
                                      {"mine", "true"},
                                      {"limit", "20"},
                                      {"after", "abc"},
                                      {"reveal", "phone,id_number"},
                                      {"purpose", "核对"}}));
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(FormatDate(q->from), "2026-11-01");
  EXPECT_EQ(FormatDate(*q->to), "2026-11-30");
  EXPECT_EQ(q->since_ms, *ParseTimestamp("2026-11-01T08:00:00+08:00"));
  EXPECT_EQ(q->serial, "ACC0000000001");
  EXPECT_EQ(q->group_by, Group::kMonth);
  EXPECT_EQ(q->min_quantity, 3);
  EXPECT_EQ(q->mine, true);
  EXPECT_EQ(q->limit, 20);
  EXPECT_EQ(q->after, "abc");
  EXPECT_TRUE(q->reveal.has("phone"));
  EXPECT_TRUE(q->reveal.has("id_number"));
  EXPECT_EQ(q->reveal.purpose, "核对");
}

TEST(QuerySpecTest, DefaultsAndEmptyFilters) {
  Result<Query> q = Spec().Read(With({{"from", "2026-11-01"}, {"serial", ""}, {"group_by", ""}}));
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->limit, 100);
  EXPECT_FALSE(q->serial.has_value());
  EXPECT_FALSE(q->group_by.has_value());
  EXPECT_FALSE(q->reveal.any());
}

TEST(QuerySpecTest, ReportsEveryInvalidParameter) {
  Result<Query> q = Spec().Read(With({{"to", "2026-02-30"},
                                      {"since", "yesterday"},
                                      {"serial", std::string(16, '1')},
                                      {"group_by", "week"},
                                      {"min_quantity", "11"},
                                      {"mine", "yes"},
                                      {"limit", ""},
                                      {"reveal", "phone,password"}}));
  ASSERT_FALSE(q.ok());
  EXPECT_THAT(Errors(q.status()),
              UnorderedElementsAre("from:required", "to:invalid_date", "since:invalid_timestamp",
                                   "serial:too_long", "group_by:not_allowed", "min_quantity:out_of_range",
                                   "mine:invalid_value", "limit:out_of_range", "reveal:not_allowed"));
}

TEST(QuerySpecTest, TextMustBeValidUtf8WithoutControlCharacters) {
  for (const std::string& bad : {std::string("\xff\xfe"), std::string("ab\x01"), std::string("a\nb")}) {
    Result<Query> q = Spec().Read(With({{"from", "2026-11-01"}, {"serial", bad}}));
    ASSERT_FALSE(q.ok());
    EXPECT_THAT(Errors(q.status()), UnorderedElementsAre("serial:invalid_format"));
  }
  Result<Query> chinese = Spec().Read(With({{"from", "2026-11-01"}, {"serial", "北京01"}}));
  ASSERT_TRUE(chinese.ok()) << chinese.status().ToString();
  EXPECT_EQ(chinese->serial, "北京01");
}

TEST(QuerySpecTest, LimitIsBounded) {
  for (const std::string bad : {"0", "501", "-1", "+5", "1e2", "ten"}) {
    Result<Query> q = Spec().Read(With({{"from", "2026-11-01"}, {"limit", bad}}));
    ASSERT_FALSE(q.ok()) << bad;
    EXPECT_THAT(Errors(q.status()), UnorderedElementsAre("limit:out_of_range")) << bad;
  }
}

TEST(QuerySpecTest, LimitAcceptsOneToTheMaximumAndRefusesAnythingElse) {
  for (const auto& [text, expected] :
       std::vector<std::pair<std::string, int>>{{"1", 1}, {"37", 37}, {"500", 500}, {"007", 7}}) {
    Result<Query> q = Spec().Read(With({{"from", "2026-11-01"}, {"limit", text}}));
    ASSERT_TRUE(q.ok()) << text;
    EXPECT_EQ(q->limit, expected) << text;
  }
  for (const char* bad : {" 5", "5 ", "1.5", "10abc", "99999999999999999999"}) {
    Result<Query> q = Spec().Read(With({{"from", "2026-11-01"}, {"limit", bad}}));
    ASSERT_FALSE(q.ok()) << bad;
    EXPECT_THAT(Errors(q.status()), UnorderedElementsAre("limit:out_of_range")) << bad;
  }
}

// An enum without a table, a default, a pattern and a shorter cursor.
enum class Shade { kLight, kDark };
std::optional<Shade> ParseShade(std::string_view name) {
  if (name == "light") return Shade::kLight;
  if (name == "dark") return Shade::kDark;
  return std::nullopt;
}

struct Styled {
  Shade shade = Shade::kDark;
  std::optional<std::string> code;
  std::string after;
};

const QuerySpec<Styled>& StyledSpec() {
  static const auto* spec = &(*new QuerySpec<Styled>())
                                 .Enum("shade", &Styled::shade, {"light", "dark"}, ParseShade,
                                       {.description = "how dark", .default_name = "light"})
                                 .Text("code", &Styled::code, {.max_len = 6, .pattern = "^[A-Z]{2}[0-9]+$"})
                                 .Cursor(&Styled::after, 4);
  return *spec;
}

TEST(QuerySpecTest, EnumsWithoutATableTakeTheirDefaultWhenAbsent) {
  Result<Styled> absent = StyledSpec().Read(With({}));
  ASSERT_TRUE(absent.ok()) << absent.status().ToString();
  EXPECT_EQ(absent->shade, Shade::kLight);  // the declared default, not the struct's initializer
  Result<Styled> empty = StyledSpec().Read(With({{"shade", ""}}));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->shade, Shade::kLight);
  Result<Styled> dark = StyledSpec().Read(With({{"shade", "dark"}}));
  ASSERT_TRUE(dark.ok());
  EXPECT_EQ(dark->shade, Shade::kDark);
  Result<Styled> bad = StyledSpec().Read(With({{"shade", "Dark"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(Errors(bad.status()), UnorderedElementsAre("shade:not_allowed"));
  const QueryParameter& shade = StyledSpec().Parameters()[0];
  EXPECT_EQ(shade.schema["enum"], nlohmann::json({"light", "dark"}));
  EXPECT_EQ(shade.schema["default"], "light");
}

TEST(QuerySpecTest, TextFollowsItsPatternAndTheCursorItsBound) {
  Result<Styled> ok = StyledSpec().Read(With({{"code", "AB12"}, {"after", "abcd"}}));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->code, "AB12");
  EXPECT_EQ(ok->after, "abcd");
  Result<Styled> bad = StyledSpec().Read(With({{"code", "ab12"}, {"after", "abcde"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(Errors(bad.status()), UnorderedElementsAre("code:invalid_format", "after:too_long"));
  Result<Styled> too_long = StyledSpec().Read(With({{"code", "AB12345"}}));
  EXPECT_THAT(Errors(too_long.status()), UnorderedElementsAre("code:too_long"));
  EXPECT_EQ(StyledSpec().Parameters()[1].schema["pattern"], "^[A-Z]{2}[0-9]+$");
  EXPECT_EQ(StyledSpec().Parameters()[2].schema["maxLength"], 4);
}

TEST(QuerySpecTest, RevealNamesOnlyItsFields) {
  for (const std::string& bad :
       std::vector<std::string>{"phone,", "phone,,id_number", ",phone", "Phone", std::string(201, 'p')}) {
    Result<Query> q = Spec().Read(With({{"from", "2026-11-01"}, {"reveal", bad}, {"purpose", "核对身份"}}));
    ASSERT_FALSE(q.ok()) << bad;
    EXPECT_EQ(q.status().fields().at(0).field, "reveal") << bad;
  }
  Result<Query> twice = Spec().Read(With({{"from", "2026-11-01"}, {"reveal", "phone,phone"}}));
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->reveal.fields.size(), 1u);
  Result<Query> long_purpose =
      Spec().Read(With({{"from", "2026-11-01"}, {"purpose", std::string(kMaxPurposeBytes + 1, 'x')}}));
  EXPECT_THAT(Errors(long_purpose.status()), UnorderedElementsAre("purpose:too_long"));
}

TEST(QuerySpecTest, ParametersDocumentTheSameRules) {
  const std::vector<QueryParameter>& parameters = Spec().Parameters();
  auto find = [&](const std::string& name) -> const QueryParameter& {
    for (const QueryParameter& p : parameters) {
      if (p.name == name) return p;
    }
    ADD_FAILURE() << "no parameter " << name;
    return parameters.front();
  };
  EXPECT_TRUE(find("from").required);
  EXPECT_EQ(find("from").schema["format"], "date");
  EXPECT_EQ(find("from").description, "first day");
  EXPECT_FALSE(find("to").required);
  EXPECT_EQ(find("since").schema["format"], "date-time");
  EXPECT_EQ(find("serial").schema["maxLength"], 15);
  EXPECT_EQ(find("group_by").schema["enum"], nlohmann::json({"day", "month"}));
  EXPECT_EQ(find("min_quantity").schema["maximum"], 10);
  EXPECT_EQ(find("limit").schema["maximum"], 500);
  EXPECT_EQ(find("limit").schema["default"], 100);
  EXPECT_EQ(find("mine").schema["type"], "boolean");
  EXPECT_EQ(find("purpose").schema["maxLength"], 1000);
  EXPECT_EQ(find("reveal").schema["pattern"], "^(phone|id_number)(,(phone|id_number))*$");
  EXPECT_EQ(find("reveal").schema["examples"], nlohmann::json({"phone"}));
  EXPECT_EQ(parameters.size(), 11u);
}

}  // namespace
}  // namespace anxin::http
