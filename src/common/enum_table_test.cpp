#include "common/enum_table.hpp"

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

}  // namespace
}  // namespace anxin
