#include "common/enum_table.hpp"
#include "common/enum_values.hpp"

#include <array>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace anxin {
namespace {

enum class Colour { kRed, kGreen, kBlue };
constexpr EnumTable<Colour, 3> kColours{{{
    {Colour::kRed, "red"},
    {Colour::kGreen, "green"},
    {Colour::kBlue, "blue"},
}}};

TEST(EnumTableTest, NamesParsesAndListsInTableOrder) {
  static_assert(kColours.Name(Colour::kGreen) == "green");
  static_assert(kColours.Parse("blue") == Colour::kBlue);
  EXPECT_EQ(kColours.Name(Colour::kRed), "red");
  EXPECT_THAT(kColours.Names(), ::testing::ElementsAre("red", "green", "blue"));
}

TEST(EnumTableTest, ParseIsExactAndCaseSensitive) {
  EXPECT_EQ(kColours.Parse("Red"), std::nullopt);
  EXPECT_EQ(kColours.Parse("red "), std::nullopt);
  EXPECT_EQ(kColours.Parse(""), std::nullopt);
}

TEST(EnumTableTest, EveryValueRoundTrips) {
  for (const auto& entry : kColours.entries())
    EXPECT_EQ(kColours.Parse(kColours.Name(entry.value)), entry.value);
}

TEST(EnumTableTest, ValuesListsEveryValueInTableOrder) {
  static_assert(EnumValues(kColours) == std::array{Colour::kRed, Colour::kGreen, Colour::kBlue});
}

TEST(EnumTableTest, ParseStoredRefusesAnUnknownNameAsInternal) {
  Result<Colour> known = ParseStored(kColours, "green", "paint: colour");
  ASSERT_TRUE(known.ok());
  EXPECT_EQ(*known, Colour::kGreen);
  Result<Colour> unknown = ParseStored(kColours, "Green", "paint: colour");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kInternal);
  EXPECT_EQ(unknown.status().log_detail(), "paint: colour 'Green' read from the database is unknown");
}

}  // namespace
}  // namespace anxin
