#include "products/product_json.hpp"

#include <string>
#include <utility>
#include <vector>

#include "http/route_support.hpp"

namespace anxin::products {
namespace {

using http::schema::Array;
using http::schema::Integer;
using http::schema::Nullable;
using http::schema::Object;
using http::schema::String;
using nlohmann::json;

json CoverageProperties() {
  return {{"code", String()},
          {"name_zh", String()},
          {"name_en", String()},
          {"liability_zh", String()},
          {"liability_en", String()},
          {"sum_insured_fen", Nullable(Integer())},
          {"deductible_fen", Integer()},
          {"copay_percent", Integer()},
          {"waiting_period_days", Integer()}};
}

std::vector<std::string> CoverageRequired() {
  return {"code",           "name_zh",       "name_en",
          "liability_zh",   "liability_en",  "sum_insured_fen",
          "deductible_fen", "copay_percent", "waiting_period_days"};
}

}  // namespace

json CoverageJson(const Coverage& c) {
  return {{"code", c.code},
          {"name_zh", c.name_zh},
          {"name_en", c.name_en},
          {"liability_zh", c.liability_zh},
          {"liability_en", c.liability_en},
          {"sum_insured_fen", c.sum_insured ? json(c.sum_insured->fen) : json(nullptr)},
          {"deductible_fen", c.deductible.fen},
          {"copay_percent", c.copay_percent},
          {"waiting_period_days", c.waiting_period_days}};
}

json CoverageSchema() { return Object(CoverageProperties(), CoverageRequired()); }

json CatalogueCoverageJson(const Coverage& c) {
  json materials = json::array();
  for (const ClaimMaterial& m : c.claim_materials) {
    materials.push_back({{"code", m.code}, {"name_zh", m.name_zh}, {"name_en", m.name_en}});
  }
  json out = CoverageJson(c);
  out["claim_materials"] = std::move(materials);
  return out;
}

json CatalogueCoverageSchema() {
  json material = Object({{"code", String()}, {"name_zh", String()}, {"name_en", String()}},
                         {"code", "name_zh", "name_en"});
  json properties = CoverageProperties();
  properties["claim_materials"] = Array(material);
  std::vector<std::string> required = CoverageRequired();
  required.emplace_back("claim_materials");
  return Object(std::move(properties), required);
}

}  // namespace anxin::products
