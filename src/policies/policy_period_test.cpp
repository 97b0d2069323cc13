// PolicyEndDate: cover from 00:00 on the start date to 24:00 on the end date.
#include "policies/policy_period.hpp"

#include <gtest/gtest.h>

namespace anxin::policies {
namespace {

using products::Term;
using products::TermUnit;

struct PeriodCase {
  const char* name;
  Date start;
  Term term;
  Date end;
};

class PolicyEndDateTest : public ::testing::TestWithParam<PeriodCase> {};

TEST_P(PolicyEndDateTest, EndsTheDayBeforeTheSameDateOneTermLater) {
  const PeriodCase& c = GetParam();
  EXPECT_EQ(FormatDate(PolicyEndDate(c.start, c.term)), FormatDate(c.end)) << c.name;
  EXPECT_EQ(FormatDate(PolicyEndDate(c.start, c.term.unit, c.term.value)), FormatDate(c.end)) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Terms, PolicyEndDateTest,
    ::testing::Values(
        PeriodCase{"one year", {2026, 11, 22}, {TermUnit::kYear, 1}, {2027, 11, 21}},
        PeriodCase{"one year from Jan 1", {2026, 1, 1}, {TermUnit::kYear, 1}, {2026, 12, 31}},
        PeriodCase{"three years", {2026, 5, 10}, {TermUnit::kYear, 3}, {2029, 5, 9}},
        // A year that includes Feb 29 is 366 days long.
        PeriodCase{"year spanning a leap day", {2027, 3, 1}, {TermUnit::kYear, 1}, {2028, 2, 29}},
        // Civil Code Art. 203: no corresponding date in the last month -> its last day.
        PeriodCase{"from a leap day", {2028, 2, 29}, {TermUnit::kYear, 1}, {2029, 2, 28}},
        PeriodCase{"from a leap day, four years", {2028, 2, 29}, {TermUnit::kYear, 4}, {2032, 2, 28}},
        PeriodCase{"from Mar 1 of a leap year", {2028, 3, 1}, {TermUnit::kYear, 1}, {2029, 2, 28}},
        PeriodCase{"one month", {2026, 3, 15}, {TermUnit::kMonth, 1}, {2026, 4, 14}},
        PeriodCase{"month from Jan 31", {2026, 1, 31}, {TermUnit::kMonth, 1}, {2026, 2, 28}},
        PeriodCase{"month from Jan 31, leap year", {2028, 1, 31}, {TermUnit::kMonth, 1}, {2028, 2, 29}},
        PeriodCase{"month from Jan 29, common year", {2026, 1, 29}, {TermUnit::kMonth, 1}, {2026, 2, 28}},
        PeriodCase{"month from Jan 28", {2026, 1, 28}, {TermUnit::kMonth, 1}, {2026, 2, 27}},
        PeriodCase{"month from Mar 31", {2026, 3, 31}, {TermUnit::kMonth, 1}, {2026, 4, 30}},
        PeriodCase{"month from Mar 1", {2026, 3, 1}, {TermUnit::kMonth, 1}, {2026, 3, 31}},
        PeriodCase{"month across a year end", {2026, 12, 15}, {TermUnit::kMonth, 1}, {2027, 1, 14}},
        PeriodCase{"six months from Aug 31", {2026, 8, 31}, {TermUnit::kMonth, 6}, {2027, 2, 28}},
        PeriodCase{"twelve months equal one year", {2026, 11, 22}, {TermUnit::kMonth, 12}, {2027, 11, 21}},
        PeriodCase{"one day", {2026, 6, 1}, {TermUnit::kDay, 1}, {2026, 6, 1}},
        PeriodCase{"seven days across a year end", {2026, 12, 28}, {TermUnit::kDay, 7}, {2027, 1, 3}},
        PeriodCase{"thirty days over a leap day", {2028, 2, 15}, {TermUnit::kDay, 30}, {2028, 3, 15}},
        PeriodCase{"365 days in a leap year", {2028, 1, 1}, {TermUnit::kDay, 365}, {2028, 12, 30}}),
    [](const ::testing::TestParamInfo<PeriodCase>& info) {
      std::string name;
      for (const char* p = info.param.name; *p != '\0'; ++p) {
        name.push_back(
            (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ? *p : '_');
      }
      return name;
    });

TEST(PolicyEndDateTest, TreatsATermBelowOneAsOne) {
  EXPECT_EQ(PolicyEndDate({2026, 6, 1}, TermUnit::kDay, 0), (Date{2026, 6, 1}));
  EXPECT_EQ(PolicyEndDate({2026, 6, 1}, TermUnit::kYear, -3), (Date{2027, 5, 31}));
}

TEST(PeriodTextTest, PrintsThePeriodInBothLanguages) {
  Text text = PeriodText({2026, 11, 22}, {2027, 11, 21});
  EXPECT_EQ(text.zh, "自2026年11月22日零时起至2027年11月21日二十四时止");
  EXPECT_EQ(text.en, "From 00:00 on 2026-11-22 to 24:00 on 2027-11-21 (Asia/Shanghai)");
}

}  // namespace
}  // namespace anxin::policies
