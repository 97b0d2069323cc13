#include "common/money.hpp"

#include <limits>

#include <gtest/gtest.h>

namespace anxin {
namespace {

TEST(MoneyTest, FormatsYuanWithThousandsSeparators) {
  struct Case {
    int64_t fen;
    std::string_view text;
  };
  const Case cases[] = {
      {0, "0.00"},
      {5, "0.05"},
      {-50, "-0.50"},
      {100, "1.00"},
      {99999, "999.99"},
      {100000, "1,000.00"},
      {120000, "1,200.00"},
      {123456789, "1,234,567.89"},
      {-123456789, "-1,234,567.89"},
      {100000000, "1,000,000.00"},
      {std::numeric_limits<int64_t>::max(), "92,233,720,368,547,758.07"},
      {std::numeric_limits<int64_t>::min(), "-92,233,720,368,547,758.08"},
  };
  for (const Case& c : cases) EXPECT_EQ(Money::Fen(c.fen).ToYuanString(), c.text) << c.fen;
}

TEST(MoneyTest, ArithmeticAndComparison) {
  Money m = Money::Yuan(12) + Money::Fen(34);
  EXPECT_EQ(m.fen, 1234);
  m -= Money::Fen(34);
  EXPECT_EQ(m, Money::Yuan(12));
  m += Money::Fen(1);
  EXPECT_LT(Money::Yuan(12), m);
  EXPECT_EQ((-m).fen, -1201);
}

// RULES.md §2 worked example: annual premium 1,200.00 yuan.
TEST(MoneyTest, RefundWorkedExampleFromRulesSection2) {
  const Money premium = Money::Yuan(1200);
  // Insurer cancels after 130 days: pro rata by days, 130/365 earned, rounded half up to the fen.
  const Money earned_pro_rata = MulDivRoundHalfUp(premium, 130, 365);
  EXPECT_EQ(earned_pro_rata.ToYuanString(), "427.40");
  EXPECT_EQ((premium - earned_pro_rata).ToYuanString(), "772.60");
  // Policyholder surrenders after 4 months 10 days: 5 months count, short rate 55 % earned.
  const Money earned_short_rate = MulDivRoundHalfUp(premium, 55, 100);
  EXPECT_EQ(earned_short_rate.ToYuanString(), "660.00");
  EXPECT_EQ((premium - earned_short_rate).ToYuanString(), "540.00");
}

TEST(MoneyTest, MulDivRoundsHalfAwayFromZero) {
  struct Case {
    int64_t fen, num, den, want;
  };
  const Case cases[] = {
      {1, 1, 2, 1},         // 0.5 -> 1
      {-1, 1, 2, -1},       // -0.5 -> -1
      {1, 1, 3, 0},         // 0.333 -> 0
      {2, 1, 3, 1},         // 0.667 -> 1
      {-2, 1, 3, -1},       // -0.667 -> -1
      {-1, 1, 3, 0},        // -0.333 -> 0
      {5, 1, 10, 1},        // 0.5 -> 1
      {4, 1, 10, 0},        // 0.4 -> 0
      {-15, 1, 10, -2},     // -1.5 -> -2
      {-14, 1, 10, -1},     // -1.4 -> -1
      {1000, -1, 3, -333},  // negative ratio
      {1000, 0, 7, 0},     {12345, 7, 7, 12345},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(MulDivRoundHalfUp(Money::Fen(c.fen), c.num, c.den).fen, c.want)
        << c.fen << " * " << c.num << " / " << c.den;
  }
}

TEST(MoneyTest, MulDivUses128BitIntermediates) {
  // The product overflows 64 bits; the quotient does not.
  const int64_t big = std::numeric_limits<int64_t>::max() / 2;
  EXPECT_EQ(MulDivRoundHalfUp(Money::Fen(big), 1000000, 1000000).fen, big);
  EXPECT_EQ(MulDivRoundHalfUp(Money::Fen(big), 2, 2).fen, big);
}

TEST(MoneyDeathTest, MulDivAbortsOnNonPositiveDenominator) {
  EXPECT_DEATH((void)MulDivRoundHalfUp(Money::Fen(1), 1, 0), "denominator");
}

TEST(MoneyTest, ParsesYuanIntoFen) {
  struct Case {
    std::string_view text;
    int64_t fen;
  };
  const Case cases[] = {
      {"0", 0},
      {"12", 1200},
      {"12.5", 1250},
      {"12.05", 1205},
      {"1200.00", 120000},
      {"-0.5", -50},
      {"-0", 0},
      {"007", 700},
      {"92233720368547758.07", std::numeric_limits<int64_t>::max()},
      {"-92233720368547758.08", std::numeric_limits<int64_t>::min()},
  };
  for (const Case& c : cases) {
    Result<Money> parsed = ParseYuan(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.status().ToString();
    EXPECT_EQ(parsed->fen, c.fen) << c.text;
  }
}

TEST(MoneyTest, RejectsMalformedYuan) {
  struct Case {
    std::string_view text;
    std::string_view code;
  };
  const Case cases[] = {
      {"", "invalid_format"},
      {"-", "invalid_format"},
      {"+12", "invalid_format"},
      {"--12", "invalid_format"},
      {"1-2", "invalid_format"},
      {"12.", "invalid_format"},
      {".5", "invalid_format"},
      {"1,200.00", "invalid_format"},
      {" 12", "invalid_format"},
      {"12 ", "invalid_format"},
      {"12.5.0", "invalid_format"},
      {"1e3", "invalid_format"},
      {"１２", "invalid_format"},
      {"12.345", "too_many_decimals"},
      {"0.001", "too_many_decimals"},
      {"92233720368547758.08", "out_of_range"},
      {"-92233720368547758.09", "out_of_range"},
      {"99999999999999999999999999", "out_of_range"},
  };
  for (const Case& c : cases) {
    Result<Money> parsed = ParseYuan(c.text, "premium");
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << c.text;
    ASSERT_EQ(parsed.status().fields().size(), 1u);
    EXPECT_EQ(parsed.status().fields()[0].field, "premium");
    EXPECT_EQ(parsed.status().fields()[0].code, c.code) << c.text;
  }
  EXPECT_EQ(ParseYuan("x").status().fields()[0].field, "amount");
}

}  // namespace
}  // namespace anxin
