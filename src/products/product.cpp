#include "products/product.hpp"

#include <array>
#include <utility>

#include "common/crypto.hpp"

namespace anxin::products {
namespace {

template <typename E, size_t N>
std::optional<E> FindByName(const std::array<std::pair<E, std::string_view>, N>& names,
                            std::string_view name) {
  for (const auto& [value, text] : names) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
  for (const auto& [v, text] : names) {
    if (v == value) return text;
  }
  return "";
}

constexpr std::array<std::pair<LineOfBusiness, std::string_view>, 7> kLineNames{{
    {LineOfBusiness::kTravel, "travel"},
    {LineOfBusiness::kAccident, "accident"},
    {LineOfBusiness::kHealth, "health"},
    {LineOfBusiness::kAuto, "auto"},
    {LineOfBusiness::kGadget, "gadget"},
    {LineOfBusiness::kProperty, "property"},
    {LineOfBusiness::kLife, "life"},
}};

constexpr std::array<std::pair<SurrenderMethod, std::string_view>, 3> kSurrenderNames{{
    {SurrenderMethod::kShortRate, "short_rate"},
    {SurrenderMethod::kProRata, "pro_rata"},
    {SurrenderMethod::kCashValueTable, "cash_value_table"},
}};

constexpr std::array<std::pair<PremiumFrequency, std::string_view>, 2> kFrequencyNames{{
    {PremiumFrequency::kSingle, "single"},
    {PremiumFrequency::kAnnual, "annual"},
}};

}  // namespace

std::string_view LineOfBusinessName(LineOfBusiness line) { return NameOf(kLineNames, line); }
std::optional<LineOfBusiness> ParseLineOfBusiness(std::string_view name) {
  return FindByName(kLineNames, name);
}

std::string_view SurrenderMethodName(SurrenderMethod method) { return NameOf(kSurrenderNames, method); }
std::optional<SurrenderMethod> ParseSurrenderMethod(std::string_view name) {
  return FindByName(kSurrenderNames, name);
}

std::string_view TermUnitName(TermUnit unit) { return kTermUnits.Name(unit); }
std::optional<TermUnit> ParseTermUnit(std::string_view name) { return kTermUnits.Parse(name); }

std::string_view PremiumFrequencyName(PremiumFrequency frequency) {
  return NameOf(kFrequencyNames, frequency);
}
std::optional<PremiumFrequency> ParsePremiumFrequency(std::string_view name) {
  return FindByName(kFrequencyNames, name);
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
