#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "products/product.hpp"

namespace anxin::products {
namespace {

using nlohmann::json;

json Materials() {
  return json::array(
      {{{"code", "claim_form"}, {"name_zh", "理赔申请书"}, {"name_en", "Claim form"}},
       {{"code", "medical_invoice"}, {"name_zh", "医疗费用发票原件"}, {"name_en", "Medical invoices"}}});
}

json CoverageJson(const std::string& code, int64_t sum_insured_fen) {
  return {{"code", code},
          {"name_zh", "住院医疗"},
          {"name_en", "Hospital"},
          {"liability_zh", "住院医疗费用"},
          {"sum_insured_fen", sum_insured_fen},
          {"deductible_fen", 1000000},
          {"copay_percent", 0},
          {"waiting_period_days", 30},
          {"claim_materials", Materials()}};
}

// A valid one-year health product: plan P1 priced by age band and sex, plan P2 at a fixed premium.
json ValidHealth() {
  json table = json::array();
  for (const char* sex : {"male", "female"}) {
    table.push_back({{"min_age", 0}, {"max_age", 17}, {"sex", sex}, {"premium_fen", 20000}});
    table.push_back({{"min_age", 18}, {"max_age", 60}, {"sex", sex}, {"premium_fen", 50000}});
  }
  return {
      {"code", "TEST_MEDICAL"},
      {"version", 1},
      {"name_zh", "测试医疗险"},
      {"name_en", "Test medical"},
      {"line_of_business", "health"},
      {"effective_from", "2026-01-01"},
      {"effective_to", "2026-12-31"},
      {"description_zh", "测试用产品"},
      {"description_en", "A product for tests"},
      {"insurable_age", {{"min_age", 0}, {"max_age", 60}}},
      {"term", {{"unit", "year"}, {"value", 1}}},
      {"cooling_off_days", 0},
      {"claim_report_days", 10},
      {"limitation_years", 2},
      {"surrender",
       {{"method", "short_rate"},
        {"handling_fee_fen", 1000},
        {"short_rate_table", {15, 25, 35, 45, 55, 65, 75, 80, 85, 90, 95, 100}}}},
      {"plans",
       {{{"code", "P1"},
         {"name_zh", "方案一"},
         {"name_en", "Plan 1"},
         {"coverages", {CoverageJson("hospital", 300000000), CoverageJson("critical_illness", 600000000)}},
         {"price", {{"table", table}}}},
        {{"code", "P2"},
         {"name_zh", "方案二"},
         {"name_en", "Plan 2"},
         {"coverages", {CoverageJson("hospital", 100000000)}},
         {"price", {{"premium_fen", 9900}}}}}}};
}

// A valid term-life product: 10 and 20-year terms, priced per 10,000 yuan by age band, sex and term.
json ValidLife() {
  json table = json::array();
  for (int years : {10, 20}) {
    for (const char* sex : {"male", "female"}) {
      table.push_back({{"min_age", 18},
                       {"max_age", 40},
                       {"sex", sex},
                       {"term", {{"unit", "year"}, {"value", years}}},
                       {"premium_fen", 1000}});
      table.push_back({{"min_age", 41},
                       {"max_age", 55},
                       {"sex", sex},
                       {"term", {{"unit", "year"}, {"value", years}}},
                       {"premium_fen", 3000}});
    }
  }
  json death = CoverageJson("death", 1);
  death.erase("sum_insured_fen");
  death["deductible_fen"] = 0;
  json values10 = json::array();
  json values20 = json::array();
  for (int i = 0; i < 10; ++i) values10.push_back(i * 10);
  for (int i = 0; i < 20; ++i) values20.push_back(i * 10);
  return {{"code", "TEST_LIFE"},
          {"version", 1},
          {"name_zh", "测试定期寿险"},
          {"name_en", "Test term life"},
          {"line_of_business", "life"},
          {"effective_from", "2026-01-01"},
          {"description_zh", "测试用产品"},
          {"description_en", "A product for tests"},
          {"insurable_age", {{"min_age", 18}, {"max_age", 55}}},
          {"term", {{{"unit", "year"}, {"value", 10}}, {{"unit", "year"}, {"value", 20}}}},
          {"cooling_off_days", 15},
          {"limitation_years", 5},
          {"surrender",
           {{"method", "cash_value_table"},
            {"cash_value_table",
             {{{"term", {{"unit", "year"}, {"value", 10}}}, {"values_fen", values10}},
              {{"term", {{"unit", "year"}, {"value", 20}}}, {"values_fen", values20}}}}}},
          {"plans",
           {{{"code", "STANDARD"},
             {"name_zh", "标准版"},
             {"name_en", "Standard"},
             {"coverages", {death}},
             {"price",
              {{"frequency", "annual"},
               {"sum_insured_unit_fen", 1000000},
               {"min_sum_insured_fen", 10000000},
               {"max_sum_insured_fen", 300000000},
               {"table", table}}}}}}};
}

TEST(ProductValidatorTest, AcceptsValidDefinitionsAndParsesThem) {
  Result<Product> health = ParseProduct(ValidHealth());
  ASSERT_TRUE(health.ok()) << health.status().ToString();
  EXPECT_EQ(health->code, "TEST_MEDICAL");
  EXPECT_EQ(health->line_of_business, LineOfBusiness::kHealth);
  EXPECT_EQ(health->effective_from, (Date{2026, 1, 1}));
  EXPECT_EQ(health->effective_to, (Date{2026, 12, 31}));
  EXPECT_EQ(health->terms, (std::vector<Term>{{TermUnit::kYear, 1}}));
  EXPECT_EQ(health->surrender.method, SurrenderMethod::kShortRate);
  EXPECT_EQ(health->surrender.handling_fee, Money::Fen(1000));
  EXPECT_EQ(health->surrender.short_rate_percent.back(), 100);
  ASSERT_EQ(health->plans.size(), 2u);
  EXPECT_TRUE(health->plans[0].price.IsTable());
  EXPECT_TRUE(health->plans[0].price.HasSexDimension());
  EXPECT_FALSE(health->plans[0].price.HasTermDimension());
  EXPECT_EQ(health->plans[0].coverages[0].deductible, Money::Fen(1000000));
  EXPECT_EQ(health->plans[0].coverages[0].waiting_period_days, 30);
  EXPECT_EQ(health->plans[0].coverages[0].claim_materials[1].code, "medical_invoice");
  EXPECT_EQ(health->plans[1].price.fixed_premium, Money::Fen(9900));
  EXPECT_EQ(health->definition_hash, DefinitionHash(ValidHealth()));

  Result<Product> life = ParseProduct(ValidLife());
  ASSERT_TRUE(life.ok()) << life.status().ToString();
  EXPECT_EQ(life->plans[0].price.sum_insured_unit, Money::Fen(1000000));
  EXPECT_EQ(life->plans[0].price.frequency, PremiumFrequency::kAnnual);
  EXPECT_FALSE(life->plans[0].coverages[0].sum_insured.has_value());
  ASSERT_EQ(life->surrender.cash_values.size(), 2u);
  EXPECT_EQ(life->surrender.cash_values[1].values_per_1000_yuan.size(), 20u);
}

TEST(ProductValidatorTest, HashIgnoresFormattingAndKeyOrder) {
  json a = json::parse(R"({"b": 1, "a": {"y": [1, 2], "x": "z"}})");
  json b = json::parse("{\n  \"a\": {\"x\": \"z\", \"y\": [1,2]},\n  \"b\": 1\n}");
  EXPECT_EQ(DefinitionHash(a), DefinitionHash(b));
  b["b"] = 2;
  EXPECT_NE(DefinitionHash(a), DefinitionHash(b));
}

struct BrokenCase {
  const char* name;
  bool life;  // mutate ValidLife() instead of ValidHealth()
  std::function<void(json&)> mutate;
  const char* field;
  const char* code;
};

class BrokenDefinitionTest : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenDefinitionTest, IsRejectedNamingFieldAndCode) {
  const BrokenCase& c = GetParam();
  json definition = c.life ? ValidLife() : ValidHealth();
  c.mutate(definition);
  Status status = ValidateProduct(definition);
  ASSERT_EQ(status.code(), StatusCode::kInvalidArgument) << c.name;
  EXPECT_EQ(status.reason(), "validation_failed");
  std::vector<std::string> found;
  for (const FieldError& f : status.fields()) found.push_back(f.field + " " + f.code);
  EXPECT_THAT(found, ::testing::Contains(std::string(c.field) + " " + c.code)) << c.name;
}

json& Plan0Table(json& d) { return d["plans"][0]["price"]["table"]; }

const BrokenCase kBrokenCases[] = {
    {"missing_code", false, [](json& d) { d.erase("code"); }, "code", "required"},
    {"short_code", false, [](json& d) { d["code"] = "AB"; }, "code", "invalid_format"},
    {"lower_case_code", false, [](json& d) { d["code"] = "test_medical"; }, "code", "invalid_format"},
    {"version_zero", false, [](json& d) { d["version"] = 0; }, "version", "out_of_range"},
    {"version_string", false, [](json& d) { d["version"] = "1"; }, "version", "invalid_type"},
    {"version_fraction", false, [](json& d) { d["version"] = 1.5; }, "version", "invalid_type"},
    {"blank_name", false, [](json& d) { d["name_zh"] = "  "; }, "name_zh", "required"},
    {"long_name", false, [](json& d) { d["name_en"] = std::string(101, 'x'); }, "name_en", "too_long"},
    {"invalid_utf8", false, [](json& d) { d["description_en"] = std::string("bad \xff byte"); },
     "description_en", "invalid_encoding"},
    {"unknown_line", false, [](json& d) { d["line_of_business"] = "marine"; }, "line_of_business",
     "invalid_value"},
    {"impossible_date", false, [](json& d) { d["effective_from"] = "2026-02-30"; }, "effective_from",
     "invalid_date"},
    {"date_format", false, [](json& d) { d["effective_to"] = "31/12/2026"; }, "effective_to", "invalid_date"},
    {"dates_out_of_order", false, [](json& d) { d["effective_to"] = "2025-12-31"; }, "effective_to",
     "date_order"},
    {"unknown_top_field", false, [](json& d) { d["colour"] = "blue"; }, "colour", "unknown_field"},
    {"unknown_nested_field", false, [](json& d) { d["plans"][1]["coverages"][0]["limit"] = 1; },
     "plans[1].coverages[0].limit", "unknown_field"},
    {"missing_min_age", false, [](json& d) { d["insurable_age"].erase("min_age"); }, "insurable_age.min_age",
     "required"},
    {"both_min_ages", false, [](json& d) { d["insurable_age"]["min_age_days"] = 28; },
     "insurable_age.min_age_days", "conflicting_fields"},
    {"max_below_min", false,
     [](json& d) {
       d["insurable_age"] = {{"min_age", 30}, {"max_age", 20}};
     },
     "insurable_age.max_age", "less_than_min"},
    {"age_over_120", false, [](json& d) { d["insurable_age"]["max_age"] = 121; }, "insurable_age.max_age",
     "out_of_range"},
    {"term_unit", false, [](json& d) { d["term"]["unit"] = "week"; }, "term.unit", "invalid_value"},
    {"term_zero", false, [](json& d) { d["term"]["value"] = 0; }, "term.value", "out_of_range"},
    {"term_wrong_type", false, [](json& d) { d["term"] = "1y"; }, "term", "invalid_type"},
    {"term_duplicate", true, [](json& d) { d["term"][1] = d["term"][0]; }, "term[1]", "duplicate"},
    {"occupation_class_7", false,
     [](json& d) {
       d["occupation_classes"] = {1, 7};
     },
     "occupation_classes[1]", "out_of_range"},
    {"occupation_class_twice", false,
     [](json& d) {
       d["occupation_classes"] = {2, 2};
     },
     "occupation_classes[1]", "duplicate"},
    {"report_days_zero", false, [](json& d) { d["claim_report_days"] = 0; }, "claim_report_days",
     "out_of_range"},
    // RULES.md §2: life/health policies longer than one year need at least 15 days of cooling-off.
    {"life_without_cooling_off", true, [](json& d) { d["cooling_off_days"] = 10; }, "cooling_off_days",
     "cooling_off_too_short"},
    {"long_health_without_cooling_off", false,
     [](json& d) {
       d["term"] = {{"unit", "month"}, {"value", 24}};
       d["surrender"] = {{"method", "pro_rata"}};
     },
     "cooling_off_days", "cooling_off_too_short"},
    // RULES.md §1, Insurance Law Art. 26: limitation 2 years non-life, 5 years life.
    {"health_with_five_years", false, [](json& d) { d["limitation_years"] = 5; }, "limitation_years",
     "limitation_mismatch"},
    {"life_with_two_years", true, [](json& d) { d["limitation_years"] = 2; }, "limitation_years",
     "limitation_mismatch"},
    {"unknown_surrender_method", false, [](json& d) { d["surrender"]["method"] = "refund_all"; },
     "surrender.method", "invalid_value"},
    {"negative_handling_fee", false, [](json& d) { d["surrender"]["handling_fee_fen"] = -1; },
     "surrender.handling_fee_fen", "out_of_range"},
    // RULES.md §2: the short-rate table has 12 months, never decreases, and ends at 100 %.
    {"short_rate_missing", false, [](json& d) { d["surrender"].erase("short_rate_table"); },
     "surrender.short_rate_table", "required"},
    {"short_rate_11_months", false, [](json& d) { d["surrender"]["short_rate_table"].erase(11); },
     "surrender.short_rate_table", "wrong_length"},
    {"short_rate_decreasing", false, [](json& d) { d["surrender"]["short_rate_table"][4] = 40; },
     "surrender.short_rate_table[4]", "not_non_decreasing"},
    {"short_rate_not_100", false, [](json& d) { d["surrender"]["short_rate_table"][11] = 95; },
     "surrender.short_rate_table[11]", "must_end_at_100"},
    {"short_rate_with_pro_rata", false, [](json& d) { d["surrender"]["method"] = "pro_rata"; },
     "surrender.short_rate_table", "not_applicable"},
    {"short_rate_on_long_term", true,
     [](json& d) {
       d["surrender"] = {{"method", "short_rate"},
                         {"short_rate_table", {15, 25, 35, 45, 55, 65, 75, 80, 85, 90, 95, 100}}};
     },
     "surrender.method", "short_rate_needs_short_term"},
    {"cash_values_missing", true, [](json& d) { d["surrender"].erase("cash_value_table"); },
     "surrender.cash_value_table", "required"},
    {"cash_values_wrong_length", true,
     [](json& d) { d["surrender"]["cash_value_table"][0]["values_fen"].erase(0); },
     "surrender.cash_value_table[0].values_fen", "wrong_length"},
    {"cash_values_for_one_term_only", true, [](json& d) { d["surrender"]["cash_value_table"].erase(1); },
     "surrender.cash_value_table", "cash_value_table_incomplete"},
    {"cash_values_term_not_offered", true,
     [](json& d) { d["surrender"]["cash_value_table"][1]["term"]["value"] = 30; },
     "surrender.cash_value_table[1].term", "term_not_offered"},
    {"cash_value_over_1000_yuan", true,
     [](json& d) { d["surrender"]["cash_value_table"][0]["values_fen"][3] = 100001; },
     "surrender.cash_value_table[0].values_fen[3]", "out_of_range"},
    {"no_plans", false, [](json& d) { d["plans"] = json::array(); }, "plans", "required"},
    {"plan_code_lower", false, [](json& d) { d["plans"][0]["code"] = "p1"; }, "plans[0].code",
     "invalid_format"},
    {"duplicate_plan_code", false, [](json& d) { d["plans"][1]["code"] = "P1"; }, "plans[1].code",
     "duplicate"},
    {"no_coverages", false, [](json& d) { d["plans"][1]["coverages"] = json::array(); }, "plans[1].coverages",
     "required"},
    {"coverage_code_upper", false, [](json& d) { d["plans"][0]["coverages"][0]["code"] = "Hospital"; },
     "plans[0].coverages[0].code", "invalid_format"},
    {"duplicate_coverage_code", false, [](json& d) { d["plans"][0]["coverages"][1]["code"] = "hospital"; },
     "plans[0].coverages[1].code", "duplicate"},
    {"missing_liability", false, [](json& d) { d["plans"][0]["coverages"][0].erase("liability_zh"); },
     "plans[0].coverages[0].liability_zh", "required"},
    {"copay_over_100", false, [](json& d) { d["plans"][1]["coverages"][0]["copay_percent"] = 101; },
     "plans[1].coverages[0].copay_percent", "out_of_range"},
    {"copay_negative", false, [](json& d) { d["plans"][1]["coverages"][0]["copay_percent"] = -5; },
     "plans[1].coverages[0].copay_percent", "out_of_range"},
    {"waiting_period_over_a_year", false,
     [](json& d) { d["plans"][0]["coverages"][1]["waiting_period_days"] = 400; },
     "plans[0].coverages[1].waiting_period_days", "out_of_range"},
    {"missing_sum_insured", false, [](json& d) { d["plans"][0]["coverages"][0].erase("sum_insured_fen"); },
     "plans[0].coverages[0].sum_insured_fen", "required"},
    {"deductible_not_below_sum_insured", false,
     [](json& d) { d["plans"][1]["coverages"][0]["deductible_fen"] = 100000000; },
     "plans[1].coverages[0].deductible_fen", "deductible_exceeds_sum_insured"},
    {"missing_deductible", false, [](json& d) { d["plans"][0]["coverages"][0].erase("deductible_fen"); },
     "plans[0].coverages[0].deductible_fen", "required"},
    {"no_claim_materials", false,
     [](json& d) { d["plans"][0]["coverages"][0]["claim_materials"] = json::array(); },
     "plans[0].coverages[0].claim_materials", "required"},
    {"duplicate_claim_material", false,
     [](json& d) { d["plans"][0]["coverages"][0]["claim_materials"][1]["code"] = "claim_form"; },
     "plans[0].coverages[0].claim_materials[1].code", "duplicate"},
    {"material_without_name", false,
     [](json& d) { d["plans"][0]["coverages"][0]["claim_materials"][0].erase("name_zh"); },
     "plans[0].coverages[0].claim_materials[0].name_zh", "required"},
    {"price_missing", false, [](json& d) { d["plans"][1].erase("price"); }, "plans[1].price", "required"},
    {"price_neither", false, [](json& d) { d["plans"][1]["price"] = json::object(); },
     "plans[1].price.premium_fen", "required"},
    {"price_both", false, [](json& d) { d["plans"][0]["price"]["premium_fen"] = 100; },
     "plans[0].price.table", "conflicting_fields"},
    {"premium_zero", false, [](json& d) { d["plans"][1]["price"]["premium_fen"] = 0; },
     "plans[1].price.premium_fen", "out_of_range"},
    {"fixed_price_with_several_terms", true,
     [](json& d) {
       d["plans"][0]["price"].erase("table");
       d["plans"][0]["price"]["premium_fen"] = 100;
     },
     "plans[0].price.premium_fen", "fixed_price_needs_single_term"},
    {"annual_with_day_terms", false,
     [](json& d) {
       d["term"] = {{"unit", "day"}, {"value", 30}};
       d["surrender"] = {{"method", "pro_rata"}};
       d["plans"][1]["price"]["frequency"] = "annual";
     },
     "plans[1].price.frequency", "frequency_needs_year_terms"},
    {"age_band_gap", false, [](json& d) { Plan0Table(d)[1]["min_age"] = 19; },
     "plans[0].price.table[1].min_age", "age_band_gap"},
    {"age_band_overlap", false, [](json& d) { Plan0Table(d)[3]["min_age"] = 17; },
     "plans[0].price.table[3].min_age", "age_band_overlap"},
    {"age_band_starts_late", false, [](json& d) { Plan0Table(d)[0]["min_age"] = 1; },
     "plans[0].price.table[0].min_age", "age_band_outside_range"},
    {"age_band_ends_early", false, [](json& d) { Plan0Table(d)[3]["max_age"] = 59; },
     "plans[0].price.table[3].max_age", "age_band_outside_range"},
    {"age_band_beyond_range", false, [](json& d) { Plan0Table(d)[1]["max_age"] = 65; },
     "plans[0].price.table[1].max_age", "age_band_outside_range"},
    {"age_band_reversed", false,
     [](json& d) {
       Plan0Table(d)[0]["min_age"] = 5;
       Plan0Table(d)[0]["max_age"] = 0;
     },
     "plans[0].price.table[0].max_age", "less_than_min"},
    {"female_rows_missing", false,
     [](json& d) {
       Plan0Table(d).erase(3);
       Plan0Table(d).erase(2);
     },
     "plans[0].price.table", "price_table_incomplete"},
    {"sex_on_some_rows_only", false, [](json& d) { Plan0Table(d)[2].erase("sex"); },
     "plans[0].price.table[2].sex", "inconsistent_dimension"},
    {"unknown_sex", false, [](json& d) { Plan0Table(d)[2]["sex"] = "other"; }, "plans[0].price.table[2].sex",
     "invalid_value"},
    {"row_term_not_offered", true, [](json& d) { Plan0Table(d)[0]["term"]["value"] = 30; },
     "plans[0].price.table[0].term", "term_not_offered"},
    {"term_rows_missing", true,
     [](json& d) {
       json kept = json::array();
       for (const json& row : Plan0Table(d)) {
         if (row["term"]["value"] == 10) kept.push_back(row);
       }
       Plan0Table(d) = kept;
     },
     "plans[0].price.table", "price_table_incomplete"},
    {"several_terms_without_term_rows", true,
     [](json& d) {
       json kept = json::array();
       for (json row : Plan0Table(d)) {
         if (row["term"]["value"] != 10) continue;
         row.erase("term");
         kept.push_back(row);
       }
       Plan0Table(d) = kept;
     },
     "plans[0].price.table[0].term", "required"},
    {"sum_insured_step_mismatch", true,
     [](json& d) { d["plans"][0]["price"]["min_sum_insured_fen"] = 10500000; },
     "plans[0].price.min_sum_insured_fen", "not_multiple_of_unit"},
    {"sum_insured_range_reversed", true,
     [](json& d) { d["plans"][0]["price"]["max_sum_insured_fen"] = 5000000; },
     "plans[0].price.max_sum_insured_fen", "less_than_min"},
    {"sum_insured_bounds_without_unit", false,
     [](json& d) { d["plans"][1]["price"]["min_sum_insured_fen"] = 100; },
     "plans[1].price.min_sum_insured_fen", "not_applicable"},
    {"per_unit_bounds_missing", true, [](json& d) { d["plans"][0]["price"].erase("max_sum_insured_fen"); },
     "plans[0].price.max_sum_insured_fen", "required"},
};

INSTANTIATE_TEST_SUITE_P(Cases, BrokenDefinitionTest, ::testing::ValuesIn(kBrokenCases),
                         [](const ::testing::TestParamInfo<BrokenCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(ProductValidatorTest, RejectsNonObjectDefinition) {
  Status status = ValidateProduct(json::array({1, 2}));
  ASSERT_EQ(status.code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(status.fields().size(), 1u);
  EXPECT_EQ(status.fields()[0].field, "");
  EXPECT_EQ(status.fields()[0].code, "invalid_type");
}

TEST(ProductValidatorTest, ReportsEveryProblemAtOnce) {
  json d = ValidHealth();
  d["version"] = -1;
  d["plans"][0]["coverages"][0]["copay_percent"] = 200;
  d["surrender"]["short_rate_table"][11] = 90;
  Status status = ValidateProduct(d);
  ASSERT_EQ(status.code(), StatusCode::kInvalidArgument);
  std::set<std::string> fields;
  for (const FieldError& f : status.fields()) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"version", "plans[0].coverages[0].copay_percent",
                                           "surrender.short_rate_table[11]"}));
}

TEST(ProductValidatorTest, AcceptsInfantMinimumAgeInDays) {
  json d = ValidHealth();
  d["insurable_age"] = {{"min_age_days", 28}, {"max_age", 60}};
  Result<Product> p = ParseProduct(d);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->insurable_age.min_years, 0);
  EXPECT_EQ(p->insurable_age.min_days, 28);
}

std::filesystem::path ShippedProductsDir() {
  const char* source = std::getenv("ANXIN_SOURCE_DIR");
  return std::filesystem::path(source != nullptr ? source : ".") / "products";
}

TEST(ShippedProductsTest, EveryFileValidates) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(ShippedProductsDir())) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  ASSERT_GE(files.size(), 7u) << "no product files under " << ShippedProductsDir();
  std::set<LineOfBusiness> lines;
  std::set<std::string> codes;
  for (const auto& file : files) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    json definition = json::parse(text.str(), nullptr, false);
    ASSERT_FALSE(definition.is_discarded()) << file;
    Result<Product> product = ParseProduct(definition);
    ASSERT_TRUE(product.ok()) << file << ": " << product.status().ToString() << " first field: "
                              << (product.status().fields().empty()
                                      ? std::string()
                                      : product.status().fields()[0].field + " " +
                                            product.status().fields()[0].code);
    lines.insert(product->line_of_business);
    EXPECT_TRUE(codes.insert(product->code).second) << "duplicate code " << product->code;
  }
  // The catalogue covers every line of business the platform sells.
  EXPECT_EQ(lines.size(), 7u);
}

}  // namespace
}  // namespace anxin::products
