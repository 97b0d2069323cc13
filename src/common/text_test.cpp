#include "common/text.hpp"

#include <gtest/gtest.h>

namespace anxin {
namespace {

TEST(TextTest, TrimStripsAsciiIdeographicAndNoBreakSpaces) {
  EXPECT_EQ(Trim("  张三\t"), "张三");
  EXPECT_EQ(Trim("\xE3\x80\x80张三\xC2\xA0 "), "张三");
  EXPECT_EQ(Trim("a b"), "a b");
  EXPECT_EQ(Trim(" \xE3\x80\x80 "), "");
}

TEST(TextTest, ControlCharactersIncludeC1AndDel) {
  EXPECT_TRUE(HasControlCharacters("a\nb"));
  EXPECT_TRUE(HasControlCharacters("a\x7f"));
  EXPECT_TRUE(HasControlCharacters("a\xC2\x85"));  // U+0085 NEL
  EXPECT_FALSE(HasControlCharacters("张三 abc"));
}

TEST(TextTest, PersonalNumbersAreRunsOfElevenDigitsOrMore) {
  EXPECT_TRUE(HasPersonalNumber("call 13800138000 now"));
  EXPECT_TRUE(HasPersonalNumber("138 0013 8000"));
  EXPECT_TRUE(HasPersonalNumber("11010519491231002X"));
  EXPECT_FALSE(HasPersonalNumber("order 1234567890 and 2026-12-01"));
  EXPECT_FALSE(HasPersonalNumber("1234567890 "));
}

TEST(TextTest, MaskPersonalNumbersHidesEveryDigitOfTheRunOnly) {
  EXPECT_EQ(MaskPersonalNumbers("id 11010519491231002X ok 42"), "id ****************** ok 42");
  EXPECT_EQ(MaskPersonalNumbers("tel 138-0013-8000."), "tel ***-****-****.");
  EXPECT_EQ(MaskPersonalNumbers("2026-12-01 room 1203"), "2026-12-01 room 1203");
}

TEST(TextTest, CheckFreeTextTrimsAndReportsEachProblem) {
  Result<std::string> ok = CheckFreeText("reason", "  丢失  ", {.required = true, .max_len = 10});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, "丢失");

  auto code_of = [](const Result<std::string>& r) {
    return r.ok() || r.status().fields().empty() ? std::string() : r.status().fields()[0].code;
  };
  EXPECT_EQ(code_of(CheckFreeText("reason", "   ", {.required = true})), "required");
  EXPECT_EQ(code_of(CheckFreeText("reason", "abc", {.min_len = 4})), "too_short");
  EXPECT_EQ(code_of(CheckFreeText("reason", "一二三四五", {.max_len = 4})), "too_long");
  EXPECT_EQ(code_of(CheckFreeText("reason", "a\nb", {})), "invalid_characters");
  EXPECT_EQ(code_of(CheckFreeText("reason", "\xff", {})), "invalid_characters");
  EXPECT_EQ(code_of(CheckFreeText("reason", "卡号 13800138000", {.refuse_personal_numbers = true})),
            "personal_number_not_allowed");
  EXPECT_TRUE(CheckFreeText("reason", "卡号 13800138000", {}).ok());
  Result<std::string> empty = CheckFreeText("reason", "", {});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
  EXPECT_EQ(CheckFreeText("x.reason", "", {.required = true}).status().fields()[0].field, "x.reason");
}

}  // namespace
}  // namespace anxin
