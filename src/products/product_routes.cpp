#include "products/product_routes.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "http/query_spec.hpp"
#include "http/route_support.hpp"
#include "products/product_json.hpp"

namespace anxin::products {
namespace {

using http::JsonArray;
using http::schema::Array;
using http::schema::DateTime;
using http::schema::Enum;
using http::schema::FullDate;
using http::schema::Integer;
using http::schema::Nullable;
using http::schema::Object;
using http::schema::String;
using nlohmann::json;

json TermJson(const Term& term) { return {{"unit", TermUnitName(term.unit)}, {"value", term.value}}; }

json AgeJson(const AgeRange& age) {
  json out = {{"min_age", age.min_years}, {"max_age", age.max_years}};
  if (age.min_days) out["min_age_days"] = *age.min_days;
  return out;
}

// The lowest premium a customer can pay for `plan` (per payment): the "from" price of a listing.
int64_t LowestPremiumFen(const Plan& plan) {
  const Price& price = plan.price;
  int64_t base = 0;
  if (price.fixed_premium) {
    base = price.fixed_premium->fen;
  } else if (!price.table.empty()) {
    base =
        std::min_element(price.table.begin(), price.table.end(), [](const PriceBand& a, const PriceBand& b) {
          return a.premium < b.premium;
        })->premium.fen;
  }
  if (price.sum_insured_unit) base *= price.min_sum_insured.fen / price.sum_insured_unit->fen;
  return base;
}

json PriceJson(const Price& price) {
  json out = {{"frequency", PremiumFrequencyName(price.frequency)}};
  if (price.fixed_premium) {
    out["premium_fen"] = price.fixed_premium->fen;
  } else {
    json table = json::array();
    for (const PriceBand& band : price.table) {
      json row = {{"min_age", band.min_age}, {"max_age", band.max_age}, {"premium_fen", band.premium.fen}};
      if (band.sex) row["sex"] = SexName(*band.sex);
      if (band.term) row["term"] = TermJson(*band.term);
      table.push_back(std::move(row));
    }
    out["table"] = std::move(table);
  }
  if (price.sum_insured_unit) {
    out["sum_insured_unit_fen"] = price.sum_insured_unit->fen;
    out["min_sum_insured_fen"] = price.min_sum_insured.fen;
    out["max_sum_insured_fen"] = price.max_sum_insured.fen;
  }
  return out;
}

json SurrenderJson(const SurrenderRule& s) {
  json out = {{"method", SurrenderMethodName(s.method)}, {"handling_fee_fen", s.handling_fee.fen}};
  if (!s.short_rate_percent.empty()) out["short_rate_table"] = s.short_rate_percent;
  if (!s.cash_values.empty()) {
    json rows = json::array();
    for (const CashValueRow& row : s.cash_values) {
      json values = json::array();
      for (Money m : row.values_per_1000_yuan) values.push_back(m.fen);
      rows.push_back({{"term", TermJson(row.term)}, {"values_fen", std::move(values)}});
    }
    out["cash_value_table"] = std::move(rows);
  }
  return out;
}

json HeaderJson(const Product& p) {
  return {{"code", p.code},
          {"version", p.version},
          {"name_zh", p.name_zh},
          {"name_en", p.name_en},
          {"line_of_business", LineOfBusinessName(p.line_of_business)},
          {"effective_from", FormatDate(p.effective_from)},
          {"effective_to", p.effective_to ? json(FormatDate(*p.effective_to)) : json(nullptr)},
          {"description_zh", p.description_zh},
          {"description_en", p.description_en},
          {"insurable_age", AgeJson(p.insurable_age)},
          {"terms", JsonArray(p.terms, TermJson)}};
}

// A product as a catalogue listing shows it: no coverages or price tables, a "from" premium per plan.
json SummaryJson(const Product& p) {
  json out = HeaderJson(p);
  json plans = json::array();
  for (const Plan& plan : p.plans) {
    plans.push_back({{"code", plan.code},
                     {"name_zh", plan.name_zh},
                     {"name_en", plan.name_en},
                     {"frequency", PremiumFrequencyName(plan.price.frequency)},
                     {"lowest_premium_fen", LowestPremiumFen(plan)}});
  }
  out["plans"] = std::move(plans);
  return out;
}

json DetailJson(const Product& p) {
  json out = HeaderJson(p);
  out["occupation_classes"] = p.occupation_classes;
  out["cooling_off_days"] = p.cooling_off_days;
  out["claim_report_days"] = p.claim_report_days ? json(*p.claim_report_days) : json(nullptr);
  out["limitation_years"] = p.limitation_years;
  out["surrender"] = SurrenderJson(p.surrender);
  json plans = json::array();
  for (const Plan& plan : p.plans) {
    plans.push_back({{"code", plan.code},
                     {"name_zh", plan.name_zh},
                     {"name_en", plan.name_en},
                     {"price", PriceJson(plan.price)},
                     {"coverages", JsonArray(plan.coverages, CatalogueCoverageJson)}});
  }
  out["plans"] = std::move(plans);
  out["definition_hash"] = p.definition_hash;
  return out;
}

// --- OpenAPI schemas ---

json TermSchema() {
  return Object({{"unit", Enum(kTermUnits.Names())}, {"value", Integer()}}, {"unit", "value"});
}

json HeaderProperties() {
  return {
      {"code", String()},
      {"version", Integer()},
      {"name_zh", String()},
      {"name_en", String()},
      {"line_of_business", Enum(kLinesOfBusiness.Names())},
      {"effective_from", FullDate()},
      {"effective_to", Nullable(FullDate())},
      {"description_zh", String()},
      {"description_en", String()},
      {"insurable_age", Object({{"min_age", Integer()}, {"max_age", Integer()}, {"min_age_days", Integer()}},
                               {"min_age", "max_age"})},
      {"terms", Array(TermSchema())}};
}

const std::vector<std::string> kHeaderRequired = {
    "code",           "version",      "name_zh",        "name_en",        "line_of_business",
    "effective_from", "effective_to", "description_zh", "description_en", "insurable_age",
    "terms"};

json SummarySchema() {
  json props = HeaderProperties();
  props["plans"] = Array(Object({{"code", String()},
                                 {"name_zh", String()},
                                 {"name_en", String()},
                                 {"frequency", Enum(kPremiumFrequencies.Names())},
                                 {"lowest_premium_fen", Integer()}},
                                {"code", "name_zh", "name_en", "frequency", "lowest_premium_fen"}));
  std::vector<std::string> required = kHeaderRequired;
  required.push_back("plans");
  return Object(std::move(props), required);
}

json DetailSchema() {
  json props = HeaderProperties();
  json coverage = CatalogueCoverageSchema();
  json band = Object({{"min_age", Integer()},
                      {"max_age", Integer()},
                      {"sex", Enum(kSexes.Names())},
                      {"term", TermSchema()},
                      {"premium_fen", Integer()}},
                     {"min_age", "max_age", "premium_fen"});
  json price = Object({{"frequency", Enum(kPremiumFrequencies.Names())},
                       {"premium_fen", Integer()},
                       {"table", Array(band)},
                       {"sum_insured_unit_fen", Integer()},
                       {"min_sum_insured_fen", Integer()},
                       {"max_sum_insured_fen", Integer()}},
                      {"frequency"});
  props["plans"] = Array(Object({{"code", String()},
                                 {"name_zh", String()},
                                 {"name_en", String()},
                                 {"price", price},
                                 {"coverages", Array(coverage)}},
                                {"code", "name_zh", "name_en", "price", "coverages"}));
  props["occupation_classes"] = Array(Integer());
  props["cooling_off_days"] = Integer();
  props["claim_report_days"] = Nullable(Integer());
  props["limitation_years"] = Integer();
  props["surrender"] = Object(
      {{"method", Enum(kSurrenderMethods.Names())},
       {"handling_fee_fen", Integer()},
       {"short_rate_table", Array(Integer())},
       {"cash_value_table",
        Array(Object({{"term", TermSchema()}, {"values_fen", Array(Integer())}}, {"term", "values_fen"}))}},
      {"method", "handling_fee_fen"});
  props["definition_hash"] = String();
  std::vector<std::string> required = kHeaderRequired;
  for (const char* name : {"plans", "occupation_classes", "cooling_off_days", "claim_report_days",
                           "limitation_years", "surrender", "definition_hash"}) {
    required.emplace_back(name);
  }
  return Object(std::move(props), required);
}

json VersionsSchema() {
  json version = Object({{"version", Integer()},
                         {"name_zh", String()},
                         {"name_en", String()},
                         {"line_of_business", String()},
                         {"effective_from", FullDate()},
                         {"effective_to", Nullable(FullDate())},
                         {"definition_hash", String()},
                         {"loaded_at", DateTime()}},
                        {"version", "name_zh", "name_en", "line_of_business", "effective_from",
                         "effective_to", "definition_hash", "loaded_at"});
  return Object({{"code", String()}, {"items", Array(version)}}, {"code", "items"});
}

// --- query parsing ---

bool IsProductCode(std::string_view code) {
  return code.size() >= 3 && code.size() <= 32 && std::all_of(code.begin(), code.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
         });
}

const http::QuerySpec<ProductFilter>& ProductListQuerySpec() {
  static const auto* spec =
      &(*new http::QuerySpec<ProductFilter>())
           .Enum("line_of_business", &ProductFilter::line_of_business, kLinesOfBusiness.Names(),
                 ParseLineOfBusiness, {.description = "Only products of this line of business."})
           .Date("date", &ProductFilter::on_date,
                 {.description = "The day the products are on sale (Asia/Shanghai); default today."});
  return *spec;
}

struct ProductParams {
  std::optional<int> version;
  std::optional<Date> date;
};

const http::QuerySpec<ProductParams>& ProductQuerySpec() {
  static const auto* spec =
      &(*new http::QuerySpec<ProductParams>())
           .Int("version", &ProductParams::version,
                {.min = 1, .max = INT32_MAX, .description = "This version (GET .../versions lists them)."})
           .Date("date", &ProductParams::date,
                 {.description = "The version on sale on this day (Asia/Shanghai); default today. Not with "
                                 "version."});
  return *spec;
}

}  // namespace

void RegisterProductRoutes(http::Router& router, ProductService& service) {
  router.Add(http::Route{
      .method = "GET",
      .pattern = "/api/v1/products",
      .access = http::Access::kPublic,
      .summary = "List the products on sale on a date (default today), optionally of one line of business",
      .tag = "products",
      .response_schema = Object({{"date", FullDate()}, {"items", Array(SummarySchema())}}, {"date", "items"}),
      .query_parameters = ProductListQuerySpec().Parameters(),
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(ProductFilter filter, ProductListQuerySpec().Read(request));
        // The listing names its day, so a client that left the date out knows which "today" it got.
        filter.on_date = filter.on_date.value_or(service.Today());
        ANXIN_ASSIGN_OR_RETURN(std::vector<Product> products, service.List(filter));
        return http::JsonResponse(
            200, {{"date", FormatDate(*filter.on_date)}, {"items", JsonArray(products, SummaryJson)}});
      },
  });

  router.Add(http::Route{
      .method = "GET",
      .pattern = "/api/v1/products/{code}",
      .access = http::Access::kPublic,
      .summary = "Get a product: a given version, or the version on sale on a date (default today)",
      .tag = "products",
      .response_schema = DetailSchema(),
      .query_parameters = ProductQuerySpec().Parameters(),
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        const std::string& code = request.path_params["code"];
        ANXIN_ASSIGN_OR_RETURN(ProductParams params, ProductQuerySpec().Read(request));
        if (params.version && params.date) {
          return Status::InvalidField("date", "conflicting_fields",
                                      Text{"version 与 date 只能给出一个", "give version or date, not both"});
        }
        if (!IsProductCode(code)) return Status::NotFound("product");
        ANXIN_ASSIGN_OR_RETURN(Product product, service.Get(code, params.version, params.date));
        return http::JsonResponse(200, DetailJson(product));
      },
  });

  router.Add(http::Route{
      .method = "GET",
      .pattern = "/api/v1/products/{code}/versions",
      .access = http::Access::kPermission,
      .permission = "product.read",
      .summary = "List every loaded version of a product with its effective dates and definition hash",
      .tag = "products",
      .response_schema = VersionsSchema(),
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        const std::string& code = request.path_params["code"];
        if (!IsProductCode(code)) return Status::NotFound("product");
        ANXIN_ASSIGN_OR_RETURN(std::vector<ProductVersionRecord> versions, service.Versions(code));
        json items = json::array();
        for (const ProductVersionRecord& v : versions) {
          items.push_back(
              {{"version", v.version},
               {"name_zh", v.name_zh},
               {"name_en", v.name_en},
               {"line_of_business", LineOfBusinessName(v.line_of_business)},
               {"effective_from", FormatDate(v.effective_from)},
               {"effective_to", v.effective_to ? json(FormatDate(*v.effective_to)) : json(nullptr)},
               {"definition_hash", v.definition_hash},
               {"loaded_at", FormatTimestamp(v.loaded_at_ms)}});
        }
        return http::JsonResponse(200, {{"code", code}, {"items", std::move(items)}});
      },
  });
}

}  // namespace anxin::products
