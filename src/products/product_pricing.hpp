#pragma once

#include <optional>
#include <string_view>

#include "common/clock.hpp"
#include "common/money.hpp"
#include "common/status.hpp"
#include "common/validation.hpp"
#include "products/product.hpp"

namespace anxin::products {

// Returns the premium of `plan_code` of `product` for an insured aged `age` (whole years at the
// start of cover) of `sex`, for `term`, and, for plans priced per unit of sum insured, for
// `sum_insured`. The premium is per payment: for PremiumFrequency::kAnnual the annual premium.
// Exact: a table premium times a whole number of units, no rounding.
// Errors are kInvalidArgument "validation_failed" with one field: "plan_code" (unknown_plan),
// "term" (term_not_offered), "age" (age_not_insurable), "sum_insured_fen" (required, out_of_range,
// not_multiple_of_unit, not_applicable when the plan's sums insured are fixed). kInternal if a
// validated product has no band for the combination (cannot happen for ParseProduct output).
// Pure; thread-safe.
[[nodiscard]] Result<Money> QuotePremium(const Product& product, std::string_view plan_code, int age, Sex sex,
                                         const Term& term, std::optional<Money> sum_insured);

// Checks that a person born on `birth` may be insured from `cover_start`: the age in days when the
// product gives min_age_days, otherwise in whole years, and at most max_age whole years.
// kInvalidArgument with field "birth_date", code "age_not_insurable".
[[nodiscard]] Status CheckInsurableAge(const Product& product, const Date& birth, const Date& cover_start);

// Returns the cash value at the end of policy year `policy_year` (1-based) of a policy of `term`
// with `sum_insured`, for products surrendered by cash-value table (RULES.md §2, Art. 47):
// table value per 1,000 yuan × sum insured / 1,000 yuan, rounded half up to the fen here.
// kFailedPrecondition "no_cash_value_table" for other surrender methods; kInvalidArgument for a
// term not offered ("term") or a policy year outside 1..term ("policy_year").
[[nodiscard]] Result<Money> CashValue(const Product& product, const Term& term, int policy_year,
                                      Money sum_insured);

}  // namespace anxin::products
