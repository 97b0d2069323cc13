#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "products/product_pricing.hpp"

namespace anxin::products {
namespace {

using nlohmann::json;

json Coverage(bool per_unit) {
  json c = {{"code", "death"},
            {"name_zh", "身故"},
            {"name_en", "Death"},
            {"liability_zh", "身故给付保险金额"},
            {"deductible_fen", 0},
            {"copay_percent", 0},
            {"waiting_period_days", 0},
            {"claim_materials",
             {{{"code", "death_certificate"}, {"name_zh", "死亡证明"}, {"name_en", "Death certificate"}}}}};
  if (!per_unit) c["sum_insured_fen"] = 10000000;
  return c;
}

json TermJson(int years) { return {{"unit", "year"}, {"value", years}}; }

// Term life: 10 and 20-year terms, ages 18-55, annual premium per 10,000 yuan by age band, sex and
// term. (A fixed-price plan needs a single term, so the fixed plan lives in Medical().)
Product TermLife() {
  json table = json::array();
  auto row = [&](int min, int max, const char* sex, int years, int premium) {
    table.push_back({{"min_age", min},
                     {"max_age", max},
                     {"sex", sex},
                     {"term", TermJson(years)},
                     {"premium_fen", premium}});
  };
  row(18, 30, "male", 10, 1000);
  row(31, 45, "male", 10, 2000);
  row(46, 55, "male", 10, 5000);
  row(18, 30, "female", 10, 600);
  row(31, 45, "female", 10, 1200);
  row(46, 55, "female", 10, 3000);
  row(18, 30, "male", 20, 1500);
  row(31, 45, "male", 20, 3000);
  row(46, 55, "male", 20, 7500);
  row(18, 30, "female", 20, 900);
  row(31, 45, "female", 20, 1800);
  row(46, 55, "female", 20, 4500);
  json values10 = json::array({0, 50, 90, 140, 180, 230, 170, 120, 60, 0});
  json values20 = json::array();
  for (int i = 0; i < 20; ++i) values20.push_back(i < 19 ? i * 37 : 0);
  json d = {{"code", "PRICING_LIFE"},
            {"version", 1},
            {"name_zh", "定期寿险"},
            {"name_en", "Term life"},
            {"line_of_business", "life"},
            {"effective_from", "2026-01-01"},
            {"description_zh", "测试"},
            {"description_en", "test"},
            {"insurable_age", {{"min_age", 18}, {"max_age", 55}}},
            {"term", {TermJson(10), TermJson(20)}},
            {"cooling_off_days", 15},
            {"limitation_years", 5},
            {"surrender",
             {{"method", "cash_value_table"},
              {"cash_value_table",
               {{{"term", TermJson(10)}, {"values_fen", values10}},
                {{"term", TermJson(20)}, {"values_fen", values20}}}}}},
            {"plans",
             {{{"code", "STANDARD"},
               {"name_zh", "标准版"},
               {"name_en", "Standard"},
               {"coverages", {Coverage(true)}},
               {"price",
                {{"frequency", "annual"},
                 {"sum_insured_unit_fen", 1000000},
                 {"min_sum_insured_fen", 10000000},
                 {"max_sum_insured_fen", 300000000},
                 {"table", table}}}}}}};
  Result<Product> p = ParseProduct(d);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : Product{};
}

// A one-year product from 28 days old to 60, with a fixed-price plan and an age-band plan.
Product Medical() {
  json d = {{"code", "PRICING_MED"},
            {"version", 1},
            {"name_zh", "医疗险"},
            {"name_en", "Medical"},
            {"line_of_business", "health"},
            {"effective_from", "2026-01-01"},
            {"description_zh", "测试"},
            {"description_en", "test"},
            {"insurable_age", {{"min_age_days", 28}, {"max_age", 60}}},
            {"term", TermJson(1)},
            {"cooling_off_days", 0},
            {"limitation_years", 2},
            {"surrender", {{"method", "pro_rata"}}},
            {"plans",
             {{{"code", "FLAT"},
               {"name_zh", "固定"},
               {"name_en", "Flat"},
               {"coverages", {Coverage(false)}},
               {"price", {{"premium_fen", 9900}}}},
              {{"code", "BANDS"},
               {"name_zh", "分档"},
               {"name_en", "Bands"},
               {"coverages", {Coverage(false)}},
               {"price",
                {{"table",
                  {{{"min_age", 0}, {"max_age", 4}, {"premium_fen", 52800}},
                   {{"min_age", 5}, {"max_age", 40}, {"premium_fen", 21800}},
                   {{"min_age", 41}, {"max_age", 60}, {"premium_fen", 99800}}}}}}}}}};
  Result<Product> p = ParseProduct(d);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : Product{};
}

constexpr Term kTen{TermUnit::kYear, 10};
constexpr Term kTwenty{TermUnit::kYear, 20};
constexpr Term kOneYear{TermUnit::kYear, 1};

struct QuoteCase {
  const char* name;
  int age;
  Sex sex;
  Term term;
  int64_t sum_insured_fen;
  int64_t expected_fen;
};

class TermLifeQuoteTest : public ::testing::TestWithParam<QuoteCase> {};

TEST_P(TermLifeQuoteTest, PricesPerUnitOfSumInsuredByBandSexAndTerm) {
  static const Product product = TermLife();
  const QuoteCase& c = GetParam();
  Result<Money> premium =
      QuotePremium(product, "STANDARD", c.age, c.sex, c.term, Money::Fen(c.sum_insured_fen));
  ASSERT_TRUE(premium.ok()) << c.name << ": " << premium.status().ToString();
  EXPECT_EQ(premium->fen, c.expected_fen) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TermLifeQuoteTest,
    ::testing::Values(
        // 100 units of 10,000 yuan (1,000,000 yuan) at 10.00 yuan per unit.
        QuoteCase{"youngest_male_10y", 18, Sex::kMale, kTen, 100000000, 100000},
        QuoteCase{"band_top_edge_30", 30, Sex::kMale, kTen, 100000000, 100000},
        QuoteCase{"band_bottom_edge_31", 31, Sex::kMale, kTen, 100000000, 200000},
        QuoteCase{"oldest_male_55", 55, Sex::kMale, kTen, 100000000, 500000},
        QuoteCase{"female_rate_differs", 30, Sex::kFemale, kTen, 100000000, 60000},
        QuoteCase{"female_edge_46", 46, Sex::kFemale, kTen, 100000000, 300000},
        QuoteCase{"twenty_year_term", 30, Sex::kMale, kTwenty, 100000000, 150000},
        QuoteCase{"twenty_year_female", 45, Sex::kFemale, kTwenty, 100000000, 180000},
        QuoteCase{"minimum_sum_insured_10_units", 18, Sex::kMale, kTen, 10000000, 10000},
        QuoteCase{"maximum_sum_insured_300_units", 18, Sex::kMale, kTen, 300000000, 300000},
        QuoteCase{"odd_unit_count_37", 40, Sex::kFemale, kTwenty, 37000000, 66600}),
    [](const ::testing::TestParamInfo<QuoteCase>& info) { return std::string(info.param.name); });

struct ErrorCase {
  const char* name;
  const char* plan;
  int age;
  Term term;
  std::optional<int64_t> sum_insured_fen;
  const char* field;
  const char* code;
};

class QuoteErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(QuoteErrorTest, RejectsWithFieldAndCode) {
  static const Product life = TermLife();
  static const Product medical = Medical();
  const ErrorCase& c = GetParam();
  const Product& product = life.FindPlan(c.plan) != nullptr ? life : medical;
  std::optional<Money> si;
  if (c.sum_insured_fen) si = Money::Fen(*c.sum_insured_fen);
  Result<Money> premium = QuotePremium(product, c.plan, c.age, Sex::kMale, c.term, si);
  ASSERT_EQ(premium.status().code(), StatusCode::kInvalidArgument) << c.name;
  ASSERT_EQ(premium.status().fields().size(), 1u);
  EXPECT_EQ(premium.status().fields()[0].field, c.field) << c.name;
  EXPECT_EQ(premium.status().fields()[0].code, c.code) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, QuoteErrorTest,
    ::testing::Values(
        ErrorCase{"unknown_plan", "GOLD", 30, kOneYear, std::nullopt, "plan_code", "unknown_plan"},
        ErrorCase{"term_not_offered", "STANDARD", 30, Term{TermUnit::kYear, 30}, 100000000, "term",
                  "term_not_offered"},
        ErrorCase{"too_young", "STANDARD", 17, kTen, 100000000, "age", "age_not_insurable"},
        ErrorCase{"too_old", "STANDARD", 56, kTen, 100000000, "age", "age_not_insurable"},
        ErrorCase{"sum_insured_missing", "STANDARD", 30, kTen, std::nullopt, "sum_insured_fen", "required"},
        ErrorCase{"sum_insured_below_min", "STANDARD", 30, kTen, 9000000, "sum_insured_fen", "out_of_range"},
        ErrorCase{"sum_insured_above_max", "STANDARD", 30, kTen, 301000000, "sum_insured_fen",
                  "out_of_range"},
        ErrorCase{"sum_insured_not_whole_units", "STANDARD", 30, kTen, 10500000, "sum_insured_fen",
                  "not_multiple_of_unit"},
        ErrorCase{"sum_insured_on_fixed_plan", "FLAT", 30, kOneYear, 10000000, "sum_insured_fen",
                  "not_applicable"},
        ErrorCase{"medical_over_60", "BANDS", 61, kOneYear, std::nullopt, "age", "age_not_insurable"}),
    [](const ::testing::TestParamInfo<ErrorCase>& info) { return std::string(info.param.name); });

TEST(QuotePremiumTest, AgeBandTableWithoutSexIgnoresSex) {
  Product product = Medical();
  struct {
    int age;
    int64_t fen;
  } cases[] = {{0, 52800}, {4, 52800}, {5, 21800}, {40, 21800}, {41, 99800}, {60, 99800}};
  for (const auto& c : cases) {
    for (Sex sex : {Sex::kMale, Sex::kFemale}) {
      Result<Money> premium = QuotePremium(product, "BANDS", c.age, sex, kOneYear, std::nullopt);
      ASSERT_TRUE(premium.ok()) << c.age;
      EXPECT_EQ(premium->fen, c.fen) << "age " << c.age;
    }
  }
}

TEST(QuotePremiumTest, FixedPlanReturnsItsPremium) {
  Result<Money> premium = QuotePremium(Medical(), "FLAT", 30, Sex::kFemale, kOneYear, std::nullopt);
  ASSERT_TRUE(premium.ok());
  EXPECT_EQ(*premium, Money::Fen(9900));
}

TEST(CheckInsurableAgeTest, InfantsCountInDaysAndAdultsInYears) {
  Product medical = Medical();  // from 28 days old to 60 years
  const Date birth{2026, 1, 1};
  EXPECT_EQ(CheckInsurableAge(medical, birth, Date{2026, 1, 28}).code(),
            StatusCode::kInvalidArgument);                                           // 27 days
  EXPECT_TRUE(CheckInsurableAge(medical, birth, Date{2026, 1, 29}).ok());            // 28 days
  EXPECT_TRUE(CheckInsurableAge(medical, Date{1966, 3, 2}, Date{2026, 3, 1}).ok());  // 59, birthday tomorrow
  EXPECT_TRUE(CheckInsurableAge(medical, Date{1966, 3, 1}, Date{2026, 3, 1}).ok());  // 60 today
  Status too_old = CheckInsurableAge(medical, Date{1965, 3, 1}, Date{2026, 3, 1});   // 61
  ASSERT_EQ(too_old.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(too_old.fields()[0].field, "birth_date");
  EXPECT_EQ(too_old.fields()[0].code, "age_not_insurable");

  Product life = TermLife();                                                       // from 18 years
  EXPECT_FALSE(CheckInsurableAge(life, Date{2008, 3, 2}, Date{2026, 3, 1}).ok());  // 17, birthday tomorrow
  EXPECT_TRUE(CheckInsurableAge(life, Date{2008, 3, 1}, Date{2026, 3, 1}).ok());   // 18 today
}

// RULES.md §2, Insurance Law Art. 47: surrender of personal insurance refunds the cash value.
TEST(CashValueTest, ScalesTablePerThousandYuanAndRoundsHalfUp) {
  Product life = TermLife();
  // Year 6 of 10: 2.30 yuan per 1,000 yuan; 1,000,000 yuan -> 2,300.00 yuan.
  Result<Money> v = CashValue(life, kTen, 6, Money::Yuan(1000000));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, Money::Yuan(2300));
  // Year 2: 50 fen per 1,000 yuan. On 1,001 yuan: 50.05 fen -> 50; on 1,010 yuan: 50.5 fen -> 51.
  EXPECT_EQ(*CashValue(life, kTen, 2, Money::Yuan(1001)), Money::Fen(50));
  EXPECT_EQ(*CashValue(life, kTen, 2, Money::Yuan(1010)), Money::Fen(51));
  // Year 3 of 20: 74 fen per 1,000; 150,500 yuan -> 111.37 yuan (11,137 fen exactly).
  EXPECT_EQ(*CashValue(life, kTwenty, 3, Money::Yuan(150500)), Money::Fen(11137));
  // Year 3: 90 fen per 1,000 yuan. On 1,005 yuan: 90.45 fen -> 90.
  EXPECT_EQ(*CashValue(life, kTen, 3, Money::Yuan(1005)), Money::Fen(90));
  // On 1,005.56 yuan: 90.5004 fen -> 91.
  EXPECT_EQ(*CashValue(life, kTen, 3, Money::Fen(100556)), Money::Fen(91));
  EXPECT_EQ(*CashValue(life, kTen, 10, Money::Yuan(1000000)), Money::Fen(0));  // expiry: nothing left

  EXPECT_EQ(CashValue(life, kTen, 11, Money::Yuan(1000)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CashValue(life, kTen, 0, Money::Yuan(1000)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CashValue(life, Term{TermUnit::kYear, 30}, 1, Money::Yuan(1000)).status().fields()[0].field,
            "term");
  EXPECT_EQ(CashValue(Medical(), kOneYear, 1, Money::Yuan(1000)).status().reason(), "no_cash_value_table");
}

}  // namespace
}  // namespace anxin::products
