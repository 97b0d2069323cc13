#include "products/product_pricing.hpp"

#include <string>

namespace anxin::products {
namespace {

constexpr int64_t kPer1000YuanFen = 100'000;

Status FieldProblem(std::string field, std::string code, std::string zh, std::string en) {
  return Status::InvalidField(std::move(field), std::move(code), Text{std::move(zh), std::move(en)});
}

}  // namespace

Result<Money> QuotePremium(const Product& product, std::string_view plan_code, int age, Sex sex,
                           const Term& term, std::optional<Money> sum_insured) {
  const Plan* plan = product.FindPlan(plan_code);
  if (plan == nullptr) {
    return FieldProblem("plan_code", "unknown_plan", "产品没有该方案", "the product has no such plan");
  }
  if (!product.OffersTerm(term)) {
    return FieldProblem("term", "term_not_offered", "产品未提供该保险期间",
                        "the product does not offer this term");
  }
  if (age < product.insurable_age.min_years || age > product.insurable_age.max_years) {
    return FieldProblem("age", "age_not_insurable",
                        "投保年龄应在 " + std::to_string(product.insurable_age.min_years) + " 至 " +
                            std::to_string(product.insurable_age.max_years) + " 岁之间",
                        "the insured age must be between " + std::to_string(product.insurable_age.min_years) +
                            " and " + std::to_string(product.insurable_age.max_years));
  }

  const Price& price = plan->price;
  int64_t units = 1;
  if (price.sum_insured_unit) {
    if (!sum_insured) {
      return FieldProblem("sum_insured_fen", "required", "该方案须选择保险金额",
                          "this plan needs a sum insured");
    }
    if (*sum_insured < price.min_sum_insured || *sum_insured > price.max_sum_insured) {
      return FieldProblem("sum_insured_fen", "out_of_range",
                          "保险金额应在 " + price.min_sum_insured.ToYuanString() + " 至 " +
                              price.max_sum_insured.ToYuanString() + " 元之间",
                          "the sum insured must be between " + price.min_sum_insured.ToYuanString() +
                              " and " + price.max_sum_insured.ToYuanString() + " yuan");
    }
    if (sum_insured->fen % price.sum_insured_unit->fen != 0) {
      return FieldProblem(
          "sum_insured_fen", "not_multiple_of_unit",
          "保险金额应为 " + price.sum_insured_unit->ToYuanString() + " 元的整数倍",
          "the sum insured must be a multiple of " + price.sum_insured_unit->ToYuanString() + " yuan");
    }
    units = sum_insured->fen / price.sum_insured_unit->fen;
  } else if (sum_insured) {
    return FieldProblem("sum_insured_fen", "not_applicable", "该方案的保险金额是固定的，不能选择",
                        "the sums insured of this plan are fixed");
  }

  if (price.fixed_premium) return Money::Fen(price.fixed_premium->fen * units);

  for (const PriceBand& band : price.table) {
    if (age < band.min_age || age > band.max_age) continue;
    if (band.sex && *band.sex != sex) continue;
    if (band.term && *band.term != term) continue;
    // At most kMaxMoneyFen per unit times at most 10^13 / unit units: no overflow for validated data.
    return Money::Fen(band.premium.fen * units);
  }
  return Status::Internal("product " + product.code + " v" + std::to_string(product.version) + " plan " +
                          plan->code + " has no price band for age " + std::to_string(age) + ", " +
                          std::string(SexName(sex)) + ", " + term.ToString());
}

Status CheckInsurableAge(const Product& product, const Date& birth, const Date& cover_start) {
  const AgeRange& range = product.insurable_age;
  int64_t days = DaysFromCivil(cover_start) - DaysFromCivil(birth);
  int years = AgeOn(birth, cover_start);
  bool too_young = range.min_days ? days < *range.min_days : (days < 0 || years < range.min_years);
  if (too_young || years > range.max_years) {
    std::string min_zh = range.min_days ? "出生满 " + std::to_string(*range.min_days) + " 天"
                                        : std::to_string(range.min_years) + " 周岁";
    std::string min_en = range.min_days ? std::to_string(*range.min_days) + " days old"
                                        : std::to_string(range.min_years) + " years old";
    return FieldProblem(
        "birth_date", "age_not_insurable",
        "被保险人应为" + min_zh + "至 " + std::to_string(range.max_years) + " 周岁",
        "the insured must be from " + min_en + " to " + std::to_string(range.max_years) + " years old");
  }
  return Status::Ok();
}

Result<Money> CashValue(const Product& product, const Term& term, int policy_year, Money sum_insured) {
  if (product.surrender.method != SurrenderMethod::kCashValueTable) {
    return Status(StatusCode::kFailedPrecondition, "no_cash_value_table",
                  Text{"该产品没有现金价值表", "the product has no cash-value table"});
  }
  for (const CashValueRow& row : product.surrender.cash_values) {
    if (row.term != term) continue;
    if (policy_year < 1 || static_cast<size_t>(policy_year) > row.values_per_1000_yuan.size()) {
      return FieldProblem("policy_year", "out_of_range", "保单年度超出保险期间",
                          "the policy year is outside the term");
    }
    // Rounded half up to the fen here, the last step (RULES.md §3).
    return MulDivRoundHalfUp(row.values_per_1000_yuan[static_cast<size_t>(policy_year) - 1], sum_insured.fen,
                             kPer1000YuanFen);
  }
  return FieldProblem("term", "term_not_offered", "产品未提供该保险期间",
                      "the product does not offer this term");
}

}  // namespace anxin::products
