#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/enum_table.hpp"
#include "common/money.hpp"
#include "common/validation.hpp"

namespace anxin::products {

// The product lines the platform sells.
enum class LineOfBusiness { kTravel, kAccident, kHealth, kAuto, kGadget, kProperty, kLife };

inline constexpr EnumTable<LineOfBusiness, 7> kLinesOfBusiness{{{
    {LineOfBusiness::kTravel, "travel"},
    {LineOfBusiness::kAccident, "accident"},
    {LineOfBusiness::kHealth, "health"},
    {LineOfBusiness::kAuto, "auto"},
    {LineOfBusiness::kGadget, "gadget"},
    {LineOfBusiness::kProperty, "property"},
    {LineOfBusiness::kLife, "life"},
}}};

// kLinesOfBusiness.

[[nodiscard]] std::string_view LineOfBusinessName(LineOfBusiness line);
[[nodiscard]] std::optional<LineOfBusiness> ParseLineOfBusiness(std::string_view name);

// How the earned premium is computed when the policyholder surrenders (RULES.md §2).
//   kShortRate      short-rate table by months in force (part of a month counts as a month).
//   kProRata        earned premium pro rata by days.
//   kCashValueTable personal insurance: the cash value of the policy year is refunded (Art. 47).
enum class SurrenderMethod { kShortRate, kProRata, kCashValueTable };

inline constexpr EnumTable<SurrenderMethod, 3> kSurrenderMethods{{{
    {SurrenderMethod::kShortRate, "short_rate"},
    {SurrenderMethod::kProRata, "pro_rata"},
    {SurrenderMethod::kCashValueTable, "cash_value_table"},
}}};

// kSurrenderMethods.

[[nodiscard]] std::string_view SurrenderMethodName(SurrenderMethod method);
[[nodiscard]] std::optional<SurrenderMethod> ParseSurrenderMethod(std::string_view name);

// The unit of a policy term, also of a card type's term (cards use this type).
enum class TermUnit { kDay, kMonth, kYear };

inline constexpr EnumTable<TermUnit, 3> kTermUnits{{{
    {TermUnit::kDay, "day"},
    {TermUnit::kMonth, "month"},
    {TermUnit::kYear, "year"},
}}};

// "day", "month", "year" (kTermUnits).
[[nodiscard]] std::string_view TermUnitName(TermUnit unit);
[[nodiscard]] std::optional<TermUnit> ParseTermUnit(std::string_view name);

// A policy term: `value` days, months or years.
struct Term {
  TermUnit unit = TermUnit::kYear;
  int value = 1;

  friend bool operator==(const Term&, const Term&) = default;
  // Returns true if the term is longer than one year (more than 12 months or 366 days).
  [[nodiscard]] bool LongerThanOneYear() const;
  // Returns "7 day", "1 year": for messages.
  [[nodiscard]] std::string ToString() const;
};

// How often the premium of a plan is paid. kSingle: once for the whole term; kAnnual: each policy
// year (term life), the table then gives the annual premium.
enum class PremiumFrequency { kSingle, kAnnual };

inline constexpr EnumTable<PremiumFrequency, 2> kPremiumFrequencies{{{
    {PremiumFrequency::kSingle, "single"},
    {PremiumFrequency::kAnnual, "annual"},
}}};

// kPremiumFrequencies.

[[nodiscard]] std::string_view PremiumFrequencyName(PremiumFrequency frequency);
[[nodiscard]] std::optional<PremiumFrequency> ParsePremiumFrequency(std::string_view name);

[[nodiscard]] std::string_view SexName(Sex sex);  // kSexes (common/validation.hpp)
[[nodiscard]] std::optional<Sex> ParseSex(std::string_view name);

// Ages at which a person may be insured, at the start of cover. `min_days`, when set, is the
// minimum age in days (infants: "出生满28天"); `min_years` is then 0.
struct AgeRange {
  int min_years = 0;
  std::optional<int> min_days;
  int max_years = 0;
};

// A document a claimant may have to provide for a coverage ("medical_invoice", 医疗费用发票).
struct ClaimMaterial {
  std::string code;
  std::string name_zh;
  std::string name_en;
};

// One benefit of a plan.
struct Coverage {
  std::string code;  // lower snake case, unique within the plan ("accidental_death")
  std::string name_zh;
  std::string name_en;
  std::string liability_zh;  // what is covered, in the clause's words
  std::string liability_en;
  // The limit; nullopt means "the sum insured chosen at purchase" (plans priced per unit of sum
  // insured, such as term life).
  std::optional<Money> sum_insured;
  Money deductible;
  int copay_percent = 0;        // 0-100: the share of each covered loss the insured bears
  int waiting_period_days = 0;  // days from the start of cover before events are covered
  std::vector<ClaimMaterial> claim_materials;
};

// One row of a price table: the premium for ages [min_age, max_age] (whole years at the start of
// cover), optionally only for one sex and/or one term.
struct PriceBand {
  int min_age = 0;
  int max_age = 0;
  std::optional<Sex> sex;
  std::optional<Term> term;
  Money premium;  // per unit of sum insured when the price has a unit
};

// The price of a plan: a fixed premium, or a table of bands. When `sum_insured_unit` is set the
// premium (fixed or band) is per unit of sum insured, and the customer chooses a sum insured that is
// a multiple of the unit in [min_sum_insured, max_sum_insured].
struct Price {
  std::optional<Money> fixed_premium;
  std::vector<PriceBand> table;
  std::optional<Money> sum_insured_unit;
  Money min_sum_insured;
  Money max_sum_insured;
  PremiumFrequency frequency = PremiumFrequency::kSingle;

  [[nodiscard]] bool IsTable() const { return !fixed_premium.has_value(); }
  [[nodiscard]] bool HasSexDimension() const { return !table.empty() && table.front().sex.has_value(); }
  [[nodiscard]] bool HasTermDimension() const { return !table.empty() && table.front().term.has_value(); }
};

struct Plan {
  std::string code;  // [A-Z0-9_]{1,32}, unique within the product
  std::string name_zh;
  std::string name_en;
  std::vector<Coverage> coverages;
  Price price;
};

// Cash values of a term-life policy of one term: `values[t-1]` is the cash value at the end of
// policy year t, in fen per 1,000 yuan of sum insured.
struct CashValueRow {
  Term term;
  std::vector<Money> values_per_1000_yuan;
};

// What the policyholder gets back on surrender (RULES.md §2, Art. 47 and Art. 54).
struct SurrenderRule {
  SurrenderMethod method = SurrenderMethod::kProRata;
  Money handling_fee;                     // kept when surrendering before cover starts (Art. 54)
  std::vector<int> short_rate_percent;    // kShortRate: earned % after 1..12 months in force
  std::vector<CashValueRow> cash_values;  // kCashValueTable: one row per offered term
};

// A published product version. Immutable: a change is a new version.
struct Product {
  std::string code;  // [A-Z0-9_]{3,32}
  int version = 1;
  std::string name_zh;
  std::string name_en;
  LineOfBusiness line_of_business = LineOfBusiness::kTravel;
  Date effective_from;
  std::optional<Date> effective_to;  // inclusive; nullopt: open-ended
  std::string description_zh;
  std::string description_en;
  AgeRange insurable_age;
  std::vector<Term> terms;               // the terms offered
  std::vector<int> occupation_classes;   // insurable occupation classes (1-6); empty: any
  int cooling_off_days = 0;              // 犹豫期 (RULES.md §2)
  std::optional<int> claim_report_days;  // reporting window (RULES.md §1 Art. 21)
  int limitation_years = 2;              // RULES.md §1 Art. 26: 2 non-life, 5 life
  SurrenderRule surrender;
  std::vector<Plan> plans;

  nlohmann::json definition;    // the definition as loaded (canonical JSON)
  std::string definition_hash;  // SHA-256 hex of definition.dump()

  // Returns the plan with `plan_code`, or null.
  [[nodiscard]] const Plan* FindPlan(std::string_view plan_code) const;
  // Returns true if `term` is offered.
  [[nodiscard]] bool OffersTerm(const Term& term) const;
  // Returns true if this version is on sale on `date` (effective_from <= date <= effective_to).
  [[nodiscard]] bool EffectiveOn(const Date& date) const;
};

// Validates `definition` and returns the product it describes. On failure returns kInvalidArgument
// "validation_failed" listing every problem with its JSON path ("plans[1].coverages[0].copay_percent")
// and a stable code ("required", "invalid_type", "out_of_range", "invalid_format", "invalid_value",
// "unknown_field", "duplicate", "invalid_date", "date_order", "age_band_gap", "age_band_overlap",
// "age_band_outside_range", "price_table_incomplete", "not_non_decreasing", "must_end_at_100",
// "wrong_length", "term_not_offered", "inconsistent_dimension", "cooling_off_too_short",
// "limitation_mismatch", ...; docs/products.md lists them). Pure; thread-safe.
[[nodiscard]] Result<Product> ParseProduct(const nlohmann::json& definition);

// Validates `definition` (see ParseProduct); returns OK or the kInvalidArgument status.
[[nodiscard]] Status ValidateProduct(const nlohmann::json& definition);

// Returns the SHA-256 hex of the canonical text of `definition` (keys sorted, no white space), so
// re-formatting a file does not change it.
[[nodiscard]] std::string DefinitionHash(const nlohmann::json& definition);

}  // namespace anxin::products
