#include "products/product.hpp"

#include <array>
#include <utility>

#include "common/crypto.hpp"

namespace anxin::products {
std::string_view LineOfBusinessName(LineOfBusiness line) { return kLinesOfBusiness.Name(line); }
std::optional<LineOfBusiness> ParseLineOfBusiness(std::string_view name) {
  return kLinesOfBusiness.Parse(name);
}

std::string_view SurrenderMethodName(SurrenderMethod method) { return kSurrenderMethods.Name(method); }
std::optional<SurrenderMethod> ParseSurrenderMethod(std::string_view name) {
  return kSurrenderMethods.Parse(name);
}

std::string_view TermUnitName(TermUnit unit) { return kTermUnits.Name(unit); }
std::optional<TermUnit> ParseTermUnit(std::string_view name) { return kTermUnits.Parse(name); }

std::string_view PremiumFrequencyName(PremiumFrequency frequency) {
  return kPremiumFrequencies.Name(frequency);
}
std::optional<PremiumFrequency> ParsePremiumFrequency(std::string_view name) {
  return kPremiumFrequencies.Parse(name);
}

std::string_view SexName(Sex sex) { return kSexes.Name(sex); }
std::optional<Sex> ParseSex(std::string_view name) { return kSexes.Parse(name); }

bool Term::LongerThanOneYear() const {
  switch (unit) {
    case TermUnit::kDay:
      return value > 366;
    case TermUnit::kMonth:
      return value > 12;
    case TermUnit::kYear:
      return value > 1;
  }
  return false;
}

std::string Term::ToString() const { return std::to_string(value) + " " + std::string(TermUnitName(unit)); }

const Plan* Product::FindPlan(std::string_view plan_code) const {
  for (const Plan& plan : plans) {
    if (plan.code == plan_code) return &plan;
  }
  return nullptr;
}

bool Product::OffersTerm(const Term& term) const {
  for (const Term& t : terms) {
    if (t == term) return true;
  }
  return false;
}

bool Product::EffectiveOn(const Date& date) const {
  if (date < effective_from) return false;
  return !effective_to.has_value() || date <= *effective_to;
}

std::string DefinitionHash(const nlohmann::json& definition) {
  // dump() without indentation writes object keys in sorted order (nlohmann::json uses std::map),
  // so the text is canonical for a given JSON value. Invalid UTF-8 is replaced rather than thrown.
  return Sha256Hex(definition.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace anxin::products
