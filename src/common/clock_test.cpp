#include "common/clock.hpp"

#include <gtest/gtest.h>

namespace anxin {
namespace {

constexpr int64_t k20261121T1732Shanghai = 1795253520000;  // 2026-11-21T09:32:00Z

TEST(ClockTest, ValidatesCalendarDates) {
  struct Case {
    int y, m, d;
    bool valid;
  };
  const Case cases[] = {
      {2024, 2, 29, true},  {2026, 2, 29, false}, {2026, 2, 30, false}, {1900, 2, 29, false},
      {2000, 2, 29, true},  {2026, 4, 31, false}, {2026, 12, 31, true}, {2026, 13, 1, false},
      {2026, 0, 10, false}, {2026, 1, 0, false},  {2026, 1, 32, false}, {1, 1, 1, true},
  };
  for (const Case& c : cases)
    EXPECT_EQ(IsValidDate(c.y, c.m, c.d), c.valid) << c.y << "-" << c.m << "-" << c.d;
}

TEST(ClockTest, ConvertsCivilDatesToDaysAndBack) {
  struct Case {
    Date date;
    int64_t days;
  };
  const Case cases[] = {
      {{1970, 1, 1}, 0},      {{1969, 12, 31}, -1},   {{2026, 11, 21}, 20778},
      {{2000, 2, 29}, 11016}, {{1900, 3, 1}, -25508}, {{1, 1, 1}, -719162},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(DaysFromCivil(c.date), c.days) << FormatDate(c.date);
    EXPECT_EQ(CivilFromDays(c.days), c.date) << c.days;
  }
  // Every day of four centuries survives the round trip and the next day follows the calendar.
  for (int64_t days = -146097 * 2; days < 146097 * 2; ++days) {
    const Date date = CivilFromDays(days);
    ASSERT_TRUE(IsValidDate(date.year, date.month, date.day)) << days;
    ASSERT_EQ(DaysFromCivil(date), days);
  }
}

TEST(ClockTest, DateOfUsesShanghaiTime) {
  // 2026-11-21T16:00:00Z is already 2026-11-22 00:00 in Shanghai.
  const int64_t utc_midnight_minus_8h = DaysFromCivil({2026, 11, 21}) * kDayMs + 16 * 3600 * 1000LL;
  EXPECT_EQ(DateOf(utc_midnight_minus_8h), (Date{2026, 11, 22}));
  EXPECT_EQ(DateOf(utc_midnight_minus_8h - 1), (Date{2026, 11, 21}));
  EXPECT_EQ(DateOf(-1), (Date{1970, 1, 1}));  // 07:59:59.999 Shanghai
  EXPECT_EQ(DateOf(-kShanghaiOffsetMs - 1), (Date{1969, 12, 31}));
  EXPECT_EQ(StartOfDayMs({2026, 1, 1}), 1767196800000);
  EXPECT_EQ(DateOf(StartOfDayMs({2026, 1, 1})), (Date{2026, 1, 1}));
}

TEST(ClockTest, FakeClockGivesTodayInShanghai) {
  FakeClock clock(StartOfDayMs({2026, 3, 1}) - 1);
  EXPECT_EQ(clock.Today(), (Date{2026, 2, 28}));
  clock.Advance(1);
  EXPECT_EQ(clock.Today(), (Date{2026, 3, 1}));
  clock.Set(0);
  EXPECT_EQ(clock.NowMs(), 0);
  SystemClock system;
  EXPECT_GT(system.NowMs(), k20261121T1732Shanghai - 10LL * 365 * kDayMs);
}

TEST(ClockTest, AddsDaysMonthsAndYears) {
  EXPECT_EQ(AddDays({2026, 2, 28}, 1), (Date{2026, 3, 1}));
  EXPECT_EQ(AddDays({2024, 2, 28}, 1), (Date{2024, 2, 29}));
  EXPECT_EQ(AddDays({2026, 1, 1}, -1), (Date{2025, 12, 31}));
  EXPECT_EQ(AddDays({2026, 1, 1}, 365), (Date{2027, 1, 1}));
  EXPECT_EQ(AddMonths({2026, 1, 31}, 1), (Date{2026, 2, 28}));
  EXPECT_EQ(AddMonths({2024, 1, 31}, 1), (Date{2024, 2, 29}));
  EXPECT_EQ(AddMonths({2026, 11, 21}, 2), (Date{2027, 1, 21}));
  EXPECT_EQ(AddMonths({2026, 1, 15}, -1), (Date{2025, 12, 15}));
  EXPECT_EQ(AddMonths({2026, 3, 31}, -13), (Date{2025, 2, 28}));
  EXPECT_EQ(AddMonths({2026, 5, 10}, 12), (Date{2027, 5, 10}));
  EXPECT_EQ(AddYears({2024, 2, 29}, 1), (Date{2025, 2, 28}));
  EXPECT_EQ(AddYears({2024, 2, 29}, 4), (Date{2028, 2, 29}));
  EXPECT_EQ(AddYears({2026, 6, 1}, -30), (Date{1996, 6, 1}));
}

TEST(ClockTest, AgeCountsWholeYears) {
  struct Case {
    Date birth, on;
    int age;
  };
  const Case cases[] = {
      {{1990, 6, 15}, {2026, 6, 14}, 35},
      {{1990, 6, 15}, {2026, 6, 15}, 36},
      {{1990, 6, 15}, {2026, 12, 31}, 36},
      {{2000, 2, 29}, {2026, 2, 28}, 25},  // Feb 29 birthday is not reached on Feb 28 in a common year
      {{2000, 2, 29}, {2026, 3, 1}, 26},   // ... but on Mar 1
      {{2000, 2, 29}, {2028, 2, 29}, 28},
      {{2026, 1, 1}, {2026, 1, 1}, 0},
      {{2025, 12, 31}, {2026, 12, 30}, 0},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(AgeOn(c.birth, c.on), c.age) << FormatDate(c.birth) << " on " << FormatDate(c.on);
  }
}

TEST(ClockTest, FormatsTimestampsInShanghaiWithMilliseconds) {
  EXPECT_EQ(FormatTimestamp(k20261121T1732Shanghai), "2026-11-21T17:32:00.000+08:00");
  EXPECT_EQ(FormatTimestamp(k20261121T1732Shanghai + 7), "2026-11-21T17:32:00.007+08:00");
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T08:00:00.000+08:00");
  EXPECT_EQ(FormatTimestamp(-1), "1970-01-01T07:59:59.999+08:00");
  EXPECT_EQ(FormatTimestamp(-kShanghaiOffsetMs - 1), "1969-12-31T23:59:59.999+08:00");
}

TEST(ClockTest, ParsesRfc3339WithAnyOffset) {
  struct Case {
    std::string_view text;
    int64_t ms;
  };
  const Case cases[] = {
      {"2026-11-21T17:32:00+08:00", k20261121T1732Shanghai},
      {"2026-11-21T17:32:00.000+08:00", k20261121T1732Shanghai},
      {"2026-11-21T09:32:00Z", k20261121T1732Shanghai},
      {"2026-11-21t09:32:00z", k20261121T1732Shanghai},
      {"2026-11-21T09:32:00.5Z", k20261121T1732Shanghai + 500},
      {"2026-11-21T09:32:00.12Z", k20261121T1732Shanghai + 120},
      {"2026-11-21T09:32:00.123456789Z", k20261121T1732Shanghai + 123},
      {"2026-11-21T04:02:00-05:30", k20261121T1732Shanghai},
      {"2026-11-21T09:32:00+00:00", k20261121T1732Shanghai},
      {"2026-11-21T09:32:00-00:00", k20261121T1732Shanghai},
      {"1970-01-01T00:00:00Z", 0},
      {"1969-12-31T23:59:59.999Z", -1},
      {"2024-02-29T00:00:00+08:00", StartOfDayMs({2024, 2, 29})},
  };
  for (const Case& c : cases) {
    Result<int64_t> parsed = ParseTimestamp(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.status().ToString();
    EXPECT_EQ(*parsed, c.ms) << c.text;
  }
}

TEST(ClockTest, UtcTimestampIsShownInShanghaiTime) {
  Result<int64_t> parsed = ParseTimestamp("2026-11-21T09:32:00.250Z");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(FormatTimestamp(*parsed), "2026-11-21T17:32:00.250+08:00");
}

TEST(ClockTest, TimestampRoundTrips) {
  for (int64_t ms : {int64_t{0}, int64_t{-1}, k20261121T1732Shanghai + 999, int64_t{253402271999999},
                     int64_t{-62135596800000}}) {
    Result<int64_t> parsed = ParseTimestamp(FormatTimestamp(ms));
    ASSERT_TRUE(parsed.ok()) << FormatTimestamp(ms);
    EXPECT_EQ(*parsed, ms);
  }
}

TEST(ClockTest, RejectsMalformedTimestamps) {
  struct Case {
    std::string_view text;
    std::string_view code;
  };
  const Case cases[] = {
      {"", "invalid_format"},
      {"2026-11-21", "invalid_format"},
      {"2026-11-21T17:32:00", "invalid_format"},  // no offset
      {"2026-11-21 17:32:00+08:00", "invalid_format"},
      {"2026-11-21T17:32+08:00", "invalid_format"},
      {"2026-11-21T17:32:00.+08:00", "invalid_format"},
      {"2026-11-21T17:32:00.1234567890Z", "invalid_format"},
      {"2026-11-21T17:32:00+0800", "invalid_format"},
      {"2026-11-21T17:32:00+08", "invalid_format"},
      {"2026-11-21T17:32:00+24:00", "invalid_format"},
      {"2026-11-21T24:00:00Z", "invalid_format"},
      {"2026-11-21T23:60:00Z", "invalid_format"},
      {"2026-11-21T23:59:60Z", "invalid_format"},
      {"2026-11-21T17:32:00Z ", "invalid_format"},
      {" 2026-11-21T17:32:00Z", "invalid_format"},
      {"2026-1-21T17:32:00Z", "invalid_format"},
      {"+026-11-21T17:32:00Z", "invalid_format"},
      {"2026-11-21T17:32:00ZZ", "invalid_format"},
      {"2026-02-30T00:00:00Z", "invalid_date"},
      {"2026-13-01T00:00:00Z", "invalid_date"},
      {"2026-00-10T00:00:00Z", "invalid_date"},
  };
  for (const Case& c : cases) {
    Result<int64_t> parsed = ParseTimestamp(c.text, "starts_at");
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << c.text;
    ASSERT_EQ(parsed.status().fields().size(), 1u);
    EXPECT_EQ(parsed.status().fields()[0].field, "starts_at");
    EXPECT_EQ(parsed.status().fields()[0].code, c.code) << c.text;
  }
}

TEST(ClockTest, FormatsAndParsesDatesStrictly) {
  EXPECT_EQ(FormatDate({2026, 3, 5}), "2026-03-05");
  EXPECT_EQ(FormatDate({987, 12, 1}), "0987-12-01");
  Result<Date> date = ParseDate("2024-02-29");
  ASSERT_TRUE(date.ok());
  EXPECT_EQ(*date, (Date{2024, 2, 29}));

  struct Case {
    std::string_view text;
    std::string_view code;
  };
  const Case cases[] = {
      {"2026-02-29", "invalid_date"},
      {"2026-02-30", "invalid_date"},
      {"2026-04-31", "invalid_date"},
      {"2026-13-01", "invalid_date"},
      {"2026-3-5", "invalid_format"},
      {"2026/03/05", "invalid_format"},
      {"20260305", "invalid_format"},
      {"2026-03-05 ", "invalid_format"},
      {"", "invalid_format"},
      {"2026-03-0a", "invalid_format"},
      {"2026-03-05T00:00:00Z", "invalid_format"},
  };
  for (const Case& c : cases) {
    Result<Date> parsed = ParseDate(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    ASSERT_EQ(parsed.status().fields().size(), 1u);
    EXPECT_EQ(parsed.status().fields()[0].field, "date");
    EXPECT_EQ(parsed.status().fields()[0].code, c.code) << c.text;
  }
  EXPECT_EQ(ParseDate("x", "birth_date").status().fields()[0].field, "birth_date");
}

}  // namespace
}  // namespace anxin
