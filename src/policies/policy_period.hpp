#pragma once

#include "common/clock.hpp"
#include "common/status.hpp"
#include "products/product.hpp"

namespace anxin::policies {

// Returns the last day of cover of a policy that starts on `start` (00:00 Asia/Shanghai) and runs
// for `value` days, months or years: the day before the same date `value` units later, so the
// cover ends at 24:00 on that day (1 year from 2026-11-22 ends 2027-11-21; 7 days from 2026-12-28
// end 2027-01-03). When the later month has no such date (the 29th-31st, or Feb 29 in a common
// year), cover runs to the end of that month, after the Civil Code Art. 203 rule for periods in
// months and years ("没有对应日的，月末日为期间的最后一日"): 1 month from 2026-01-31 ends
// 2026-02-28, 1 year from 2028-02-29 ends 2029-02-28. `value` must be at least 1 (product
// definitions are validated so); a smaller value is treated as 1. Pure; thread-safe.
[[nodiscard]] Date PolicyEndDate(const Date& start, products::TermUnit unit, int value);
[[nodiscard]] Date PolicyEndDate(const Date& start, const products::Term& term);

// Returns the period of cover as printed on a policy: "自2026年11月22日零时起至2027年11月21日二十四时止"
// and "From 00:00 on 2026-11-22 to 24:00 on 2027-11-21 (Asia/Shanghai)".
[[nodiscard]] Text PeriodText(const Date& start, const Date& end);

}  // namespace anxin::policies
