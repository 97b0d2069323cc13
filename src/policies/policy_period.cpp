#include "policies/policy_period.hpp"

#include <algorithm>
#include <string>

namespace anxin::policies {
namespace {

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsValidDate(year, 2, 29)) return 29;
  return kDays[month - 1];
}

// The last day of a period of `months` calendar months from `start` (Civil Code Art. 203).
Date EndAfterMonths(const Date& start, int months) {
  const int index = start.year * 12 + (start.month - 1) + months;
  const int year = index / 12;
  const int month = index % 12 + 1;
  if (start.day > DaysInMonth(year, month)) return Date{year, month, DaysInMonth(year, month)};
  return AddDays(Date{year, month, start.day}, -1);
}

}  // namespace

Date PolicyEndDate(const Date& start, products::TermUnit unit, int value) {
  value = std::max(value, 1);
  switch (unit) {
    case products::TermUnit::kDay:
      return AddDays(start, value - 1);
    case products::TermUnit::kMonth:
      return EndAfterMonths(start, value);
    case products::TermUnit::kYear:
      return EndAfterMonths(start, value * 12);
  }
  return EndAfterMonths(start, value * 12);
}

Date PolicyEndDate(const Date& start, const products::Term& term) {
  return PolicyEndDate(start, term.unit, term.value);
}

Text PeriodText(const Date& start, const Date& end) {
  auto zh = [](const Date& d) {
    return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
  };
  return Text{"自" + zh(start) + "零时起至" + zh(end) + "二十四时止",
              "From 00:00 on " + FormatDate(start) + " to 24:00 on " + FormatDate(end) + " (Asia/Shanghai)"};
}

}  // namespace anxin::policies
