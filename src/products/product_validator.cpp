// Validation of product definitions: every rule, with the JSON path of the offending field, and
// the parse into value types (product.hpp). docs/products.md describes the format and the codes.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "common/validation.hpp"
#include "products/product.hpp"

namespace anxin::products {
namespace {

using nlohmann::json;

constexpr int kMaxAge = 120;
constexpr int64_t kMaxMoneyFen = 10'000'000'000'000;  // 100 billion yuan: far above any real limit
constexpr size_t kMaxNameLen = 100;
constexpr size_t kMaxTextLen = 4000;
constexpr size_t kMaxPlans = 50;
constexpr size_t kMaxCoverages = 50;
constexpr size_t kMaxMaterials = 50;
constexpr size_t kMaxTerms = 50;
constexpr size_t kMaxTableRows = 2000;
constexpr int64_t kPer1000YuanFen = 100'000;  // cash values are per 1,000 yuan of sum insured

std::string Member(std::string_view base, std::string_view name) {
  if (base.empty()) return std::string(name);
  std::string out(base);
  out += '.';
  out += name;
  return out;
}

std::string Element(std::string_view base, size_t index) {
  return std::string(base) + "[" + std::to_string(index) + "]";
}

// Collects every problem found.
class Errors {
 public:
  void Add(std::string field, std::string code, std::string zh, std::string en) {
    list_.push_back(FieldError{std::move(field), std::move(code), Text{std::move(zh), std::move(en)}});
  }
  [[nodiscard]] size_t size() const { return list_.size(); }
  [[nodiscard]] bool empty() const { return list_.empty(); }
  std::vector<FieldError> Take() { return std::move(list_); }

 private:
  std::vector<FieldError> list_;
};

bool IsUpperCode(std::string_view text, size_t min_len, size_t max_len) {
  if (text.size() < min_len || text.size() > max_len) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; });
}

bool IsLowerCode(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  if (!(text[0] >= 'a' && text[0] <= 'z')) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// Reads the fields of one JSON object at `path`, reporting missing, mistyped and out-of-range values,
// and (at Finish) fields it does not know.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string path, Errors& errors)
      : object_(object), path_(std::move(path)), errors_(errors) {}

  [[nodiscard]] std::string Path(std::string_view name) const { return Member(path_, name); }
  [[nodiscard]] const std::string& path() const { return path_; }

  // Returns the value of `name` or null when absent (a JSON null counts as absent), reporting
  // "required" if it must be present.
  const json* Get(std::string_view name, bool required) {
    known_.insert(std::string(name));
    auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) {
      if (required) {
        errors_.Add(Path(name), "required", "缺少必填字段", "this field is required");
      }
      return nullptr;
    }
    return &*it;
  }

  [[nodiscard]] bool Has(std::string_view name) const {
    auto it = object_.find(name);
    return it != object_.end() && !it->is_null();
  }

  std::optional<std::string> String(std::string_view name, bool required, size_t max_len) {
    const json* v = Get(name, required);
    if (v == nullptr) return std::nullopt;
    return StringValue(*v, Path(name), max_len, errors_);
  }

  std::optional<int64_t> Int(std::string_view name, bool required, int64_t min, int64_t max) {
    const json* v = Get(name, required);
    if (v == nullptr) return std::nullopt;
    return IntValue(*v, Path(name), min, max, errors_);
  }

  std::optional<Date> DateField(std::string_view name, bool required) {
    std::optional<std::string> text = String(name, required, 10);
    if (!text) return std::nullopt;
    Result<Date> date = ParseDate(*text);
    if (!date.ok()) {
      errors_.Add(Path(name), "invalid_date", "日期无效，应为 YYYY-MM-DD",
                  "invalid date; expected YYYY-MM-DD");
      return std::nullopt;
    }
    return *date;
  }

  // Reads an array field; reports "invalid_type" when it is not an array and "required" when empty
  // (if `required`) or "too_many" beyond `max_items`.
  const json* Array(std::string_view name, bool required, size_t max_items) {
    const json* v = Get(name, required);
    if (v == nullptr) return nullptr;
    if (!v->is_array()) {
      errors_.Add(Path(name), "invalid_type", "应为数组", "must be an array");
      return nullptr;
    }
    if (v->empty() && required) {
      errors_.Add(Path(name), "required", "至少需要一项", "must not be empty");
      return nullptr;
    }
    if (v->size() > max_items) {
      errors_.Add(Path(name), "too_many", "项目过多", "too many items");
      return nullptr;
    }
    return v;
  }

  // Reports every member this reader did not ask for.
  void Finish() {
    for (auto it = object_.begin(); it != object_.end(); ++it) {
      if (known_.count(it.key()) == 0) {
        errors_.Add(Path(it.key()), "unknown_field", "未知字段", "unknown field");
      }
    }
  }

  static std::optional<std::string> StringValue(const json& v, const std::string& path, size_t max_len,
                                                Errors& errors) {
    if (!v.is_string()) {
      errors.Add(path, "invalid_type", "应为字符串", "must be a string");
      return std::nullopt;
    }
    const std::string& s = v.get_ref<const std::string&>();
    if (!IsValidUtf8(s)) {
      errors.Add(path, "invalid_encoding", "不是有效的 UTF-8 文本", "not valid UTF-8");
      return std::nullopt;
    }
    if (s.find_first_not_of(" \t\r\n") == std::string::npos) {
      errors.Add(path, "required", "不能为空", "must not be blank");
      return std::nullopt;
    }
    if (Utf8Length(s) > max_len) {
      errors.Add(path, "too_long", "过长（最多 " + std::to_string(max_len) + " 个字符）",
                 "too long (at most " + std::to_string(max_len) + " characters)");
      return std::nullopt;
    }
    return s;
  }

  static std::optional<int64_t> IntValue(const json& v, const std::string& path, int64_t min, int64_t max,
                                         Errors& errors) {
    if (v.is_number_unsigned()) {
      if (v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        errors.Add(path, "out_of_range", "数值超出范围", "value out of range");
        return std::nullopt;
      }
    } else if (!v.is_number_integer()) {
      errors.Add(path, "invalid_type", "应为整数", "must be an integer");
      return std::nullopt;
    }
    int64_t n = v.get<int64_t>();
    if (n < min || n > max) {
      errors.Add(path, "out_of_range", "应在 " + std::to_string(min) + " 到 " + std::to_string(max) + " 之间",
                 "must be between " + std::to_string(min) + " and " + std::to_string(max));
      return std::nullopt;
    }
    return n;
  }

 private:
  const json& object_;
  std::string path_;
  Errors& errors_;
  std::set<std::string, std::less<>> known_;
};

// Checks that `v` is an object; reports "invalid_type" otherwise.
bool ExpectObject(const json& v, const std::string& path, Errors& errors) {
  if (v.is_object()) return true;
  errors.Add(path, "invalid_type", "应为对象", "must be an object");
  return false;
}

// Reads enum field `name`, one of `table`'s names; an unknown name is "invalid_value", listing them.
template <typename Table>
std::optional<typename Table::Enum> EnumField(ObjectReader& r, std::string_view name, bool required,
                                              const Table& table, Errors& errors) {
  std::optional<std::string> text = r.String(name, required, 64);
  if (!text) return std::nullopt;
  std::optional<typename Table::Enum> value = table.Parse(*text);
  if (!value) {
    std::string allowed;
    for (const std::string& option : table.Names()) allowed += (allowed.empty() ? "" : ", ") + option;
    errors.Add(r.Path(name), "invalid_value", "取值无效，可选：" + allowed,
               "invalid value; one of: " + allowed);
  }
  return value;
}

std::optional<Term> ParseTermObject(const json& v, const std::string& path, Errors& errors) {
  if (!ExpectObject(v, path, errors)) return std::nullopt;
  ObjectReader r(v, path, errors);
  std::optional<TermUnit> unit = EnumField(r, "unit", true, kTermUnits, errors);
  std::optional<int64_t> value;
  if (unit) {
    int64_t max = *unit == TermUnit::kDay ? 366 : *unit == TermUnit::kMonth ? 120 : 100;
    value = r.Int("value", true, 1, max);
  } else {
    r.Get("value", false);
  }
  r.Finish();
  if (!unit || !value) return std::nullopt;
  return Term{*unit, static_cast<int>(*value)};
}

class ProductParser {
 public:
  explicit ProductParser(const json& definition) : def_(definition) {}

  Result<Product> Run() {
    if (!def_.is_object()) {
      return Status::InvalidField(
          "", "invalid_type", Text{"产品定义应为 JSON 对象", "a product definition must be a JSON object"});
    }
    ObjectReader r(def_, "", errors_);
    ReadHeader(r);
    ReadAges(r);
    ReadTerms(r);
    ReadRules(r);
    ReadSurrender(r);
    ReadPlans(r);
    r.Finish();
    if (!errors_.empty()) return Status::Invalid(errors_.Take());
    product_.definition = def_;
    product_.definition_hash = DefinitionHash(def_);
    return std::move(product_);
  }

 private:
  void ReadHeader(ObjectReader& r) {
    if (auto code = r.String("code", true, 32)) {
      if (IsUpperCode(*code, 3, 32)) {
        product_.code = *code;
      } else {
        errors_.Add("code", "invalid_format", "产品代码应为 3-32 位大写字母、数字或下划线",
                    "the product code must be 3-32 characters A-Z, 0-9 or _");
      }
    }
    if (auto version = r.Int("version", true, 1, 1'000'000)) product_.version = static_cast<int>(*version);
    if (auto s = r.String("name_zh", true, kMaxNameLen)) product_.name_zh = *s;
    if (auto s = r.String("name_en", true, kMaxNameLen)) product_.name_en = *s;
    line_ = EnumField(r, "line_of_business", true, kLinesOfBusiness, errors_);
    if (line_) product_.line_of_business = *line_;
    std::optional<Date> from = r.DateField("effective_from", true);
    std::optional<Date> to = r.DateField("effective_to", false);
    if (from) product_.effective_from = *from;
    product_.effective_to = to;
    if (from && to && *to < *from) {
      errors_.Add("effective_to", "date_order", "失效日期不能早于生效日期",
                  "effective_to is before effective_from");
    }
    if (auto s = r.String("description_zh", true, kMaxTextLen)) product_.description_zh = *s;
    if (auto s = r.String("description_en", true, kMaxTextLen)) product_.description_en = *s;
  }

  void ReadAges(ObjectReader& r) {
    const json* v = r.Get("insurable_age", true);
    if (v == nullptr || !ExpectObject(*v, "insurable_age", errors_)) return;
    ObjectReader a(*v, "insurable_age", errors_);
    size_t before = errors_.size();
    bool has_years = a.Has("min_age");
    bool has_days = a.Has("min_age_days");
    std::optional<int64_t> min_years = a.Int("min_age", false, 0, kMaxAge);
    std::optional<int64_t> min_days = a.Int("min_age_days", false, 0, 364);
    std::optional<int64_t> max_years = a.Int("max_age", true, 0, kMaxAge);
    a.Finish();
    if (has_years && has_days) {
      errors_.Add("insurable_age.min_age_days", "conflicting_fields", "min_age 与 min_age_days 只能给出一个",
                  "give either min_age or min_age_days, not both");
    } else if (!has_years && !has_days) {
      errors_.Add("insurable_age.min_age", "required", "缺少最低投保年龄（min_age 或 min_age_days）",
                  "a minimum age (min_age or min_age_days) is required");
    }
    if (errors_.size() != before || !max_years) return;
    int min = min_years ? static_cast<int>(*min_years) : 0;
    if (*max_years < min) {
      errors_.Add("insurable_age.max_age", "less_than_min", "最高投保年龄小于最低投保年龄",
                  "max_age is below the minimum age");
      return;
    }
    product_.insurable_age =
        AgeRange{min, min_days ? std::optional<int>(static_cast<int>(*min_days)) : std::nullopt,
                 static_cast<int>(*max_years)};
    ages_ok_ = true;
  }

  void ReadTerms(ObjectReader& r) {
    const json* v = r.Get("term", true);
    if (v == nullptr) return;
    size_t before = errors_.size();
    if (v->is_object()) {
      if (auto t = ParseTermObject(*v, "term", errors_)) product_.terms.push_back(*t);
    } else if (v->is_array()) {
      if (v->empty()) {
        errors_.Add("term", "required", "至少需要一个保险期间", "at least one term is required");
      } else if (v->size() > kMaxTerms) {
        errors_.Add("term", "too_many", "保险期间过多", "too many terms");
      } else {
        for (size_t i = 0; i < v->size(); ++i) {
          std::string path = Element("term", i);
          std::optional<Term> t = ParseTermObject((*v)[i], path, errors_);
          if (!t) continue;
          if (std::find(product_.terms.begin(), product_.terms.end(), *t) != product_.terms.end()) {
            errors_.Add(path, "duplicate", "保险期间重复", "duplicate term");
            continue;
          }
          product_.terms.push_back(*t);
        }
      }
    } else {
      errors_.Add("term", "invalid_type", "应为保险期间对象或其数组",
                  "must be a term object or an array of them");
    }
    terms_ok_ = errors_.size() == before && !product_.terms.empty();
  }

  void ReadRules(ObjectReader& r) {
    if (const json* v = r.Array("occupation_classes", false, 6)) {
      std::set<int64_t> seen;
      for (size_t i = 0; i < v->size(); ++i) {
        std::string path = Element("occupation_classes", i);
        std::optional<int64_t> c = ObjectReader::IntValue((*v)[i], path, 1, 6, errors_);
        if (!c) continue;
        if (!seen.insert(*c).second) {
          errors_.Add(path, "duplicate", "职业类别重复", "duplicate occupation class");
          continue;
        }
        product_.occupation_classes.push_back(static_cast<int>(*c));
      }
      std::sort(product_.occupation_classes.begin(), product_.occupation_classes.end());
    }

    if (auto days = r.Int("cooling_off_days", true, 0, 60)) {
      product_.cooling_off_days = static_cast<int>(*days);
      // RULES.md §2: life and health policies longer than one year give at least 15 days of
      // cooling-off (犹豫期).
      bool long_term = std::any_of(product_.terms.begin(), product_.terms.end(),
                                   [](const Term& t) { return t.LongerThanOneYear(); });
      if (line_ && (*line_ == LineOfBusiness::kLife || *line_ == LineOfBusiness::kHealth) && long_term &&
          *days < 15) {
        errors_.Add("cooling_off_days", "cooling_off_too_short",
                    "一年期以上的人寿和健康保险犹豫期不少于 15 天",
                    "life and health policies longer than one year need at least 15 cooling-off days");
      }
    }
    if (auto days = r.Int("claim_report_days", false, 1, 365))
      product_.claim_report_days = static_cast<int>(*days);

    if (auto years = r.Int("limitation_years", true, 1, 10)) {
      product_.limitation_years = static_cast<int>(*years);
      // RULES.md §1, Insurance Law Art. 26: 5 years for life insurance, 2 years otherwise.
      if (line_) {
        int expected = *line_ == LineOfBusiness::kLife ? 5 : 2;
        if (*years != expected) {
          errors_.Add(
              "limitation_years", "limitation_mismatch",
              "诉讼时效应为 " + std::to_string(expected) + " 年（保险法第二十六条）",
              "the limitation period must be " + std::to_string(expected) + " years (Insurance Law Art. 26)");
        }
      }
    }
  }

  void ReadSurrender(ObjectReader& r) {
    const json* v = r.Get("surrender", true);
    if (v == nullptr || !ExpectObject(*v, "surrender", errors_)) return;
    ObjectReader s(*v, "surrender", errors_);
    SurrenderRule& rule = product_.surrender;
    std::optional<SurrenderMethod> method = EnumField(s, "method", true, kSurrenderMethods, errors_);
    if (method) rule.method = *method;
    if (auto fee = s.Int("handling_fee_fen", false, 0, kMaxMoneyFen)) rule.handling_fee = Money::Fen(*fee);

    bool short_rate = method == SurrenderMethod::kShortRate;
    bool cash_value = method == SurrenderMethod::kCashValueTable;
    if (const json* table = s.Get("short_rate_table", short_rate)) {
      if (method && !short_rate) {
        errors_.Add("surrender.short_rate_table", "not_applicable", "仅短期费率退保方式使用此表",
                    "only used with method short_rate");
      } else if (short_rate) {
        ReadShortRateTable(*table);
      }
    }
    if (short_rate && terms_ok_) {
      for (const Term& t : product_.terms) {
        if (t.LongerThanOneYear()) {
          errors_.Add("surrender.method", "short_rate_needs_short_term",
                      "短期费率表只适用于一年及以内的保险期间",
                      "the short-rate table applies only to terms of at most one year");
          break;
        }
      }
    }
    if (const json* table = s.Get("cash_value_table", cash_value)) {
      if (method && !cash_value) {
        errors_.Add("surrender.cash_value_table", "not_applicable", "仅现金价值退保方式使用此表",
                    "only used with method cash_value_table");
      } else if (cash_value) {
        ReadCashValueTable(*table);
      }
    }
    s.Finish();
  }

  // RULES.md §2: the short-rate table gives the earned percentage after 1..12 months in force; it
  // never decreases and reaches 100 % at 12 months.
  void ReadShortRateTable(const json& table) {
    const std::string path = "surrender.short_rate_table";
    if (!table.is_array()) {
      errors_.Add(path, "invalid_type", "应为数组", "must be an array");
      return;
    }
    if (table.size() != 12) {
      errors_.Add(path, "wrong_length", "短期费率表应有 12 个月的比例",
                  "the short-rate table needs 12 monthly percentages");
      return;
    }
    std::vector<int> percents;
    for (size_t i = 0; i < table.size(); ++i) {
      std::optional<int64_t> p = ObjectReader::IntValue(table[i], Element(path, i), 1, 100, errors_);
      if (!p) return;
      if (!percents.empty() && *p < percents.back()) {
        errors_.Add(Element(path, i), "not_non_decreasing", "短期费率不能随月份减少",
                    "the earned percentage must not decrease month by month");
        return;
      }
      percents.push_back(static_cast<int>(*p));
    }
    if (percents.back() != 100) {
      errors_.Add(Element(path, 11), "must_end_at_100", "第 12 个月的短期费率应为 100",
                  "month 12 must be 100 percent");
      return;
    }
    product_.surrender.short_rate_percent = std::move(percents);
  }

  void ReadCashValueTable(const json& table) {
    const std::string path = "surrender.cash_value_table";
    if (!table.is_array() || table.empty()) {
      errors_.Add(path, table.is_array() ? "required" : "invalid_type", "应为非空数组",
                  "must be a non-empty array");
      return;
    }
    size_t before = errors_.size();
    std::vector<CashValueRow> rows;
    for (size_t i = 0; i < table.size(); ++i) {
      std::string row_path = Element(path, i);
      if (!ExpectObject(table[i], row_path, errors_)) continue;
      ObjectReader r(table[i], row_path, errors_);
      std::optional<Term> term;
      if (const json* t = r.Get("term", true)) term = ParseTermObject(*t, r.Path("term"), errors_);
      const json* values = r.Array("values_fen", true, 100);
      r.Finish();
      if (!term) continue;
      if (term->unit != TermUnit::kYear) {
        errors_.Add(r.Path("term.unit"), "invalid_value", "现金价值表按保单年度给出，保险期间单位应为年",
                    "cash values are per policy year: the term unit must be year");
        continue;
      }
      if (terms_ok_ && !product_.OffersTerm(*term)) {
        errors_.Add(r.Path("term"), "term_not_offered", "产品未提供该保险期间",
                    "the product does not offer this term");
        continue;
      }
      if (std::any_of(rows.begin(), rows.end(), [&](const CashValueRow& row) { return row.term == *term; })) {
        errors_.Add(r.Path("term"), "duplicate", "保险期间重复", "duplicate term");
        continue;
      }
      if (values == nullptr) continue;
      if (values->size() != static_cast<size_t>(term->value)) {
        errors_.Add(r.Path("values_fen"), "wrong_length", "现金价值个数应等于保险年度数",
                    "one cash value per policy year is required");
        continue;
      }
      CashValueRow row{*term, {}};
      for (size_t k = 0; k < values->size(); ++k) {
        // A cash value per 1,000 yuan of sum insured cannot exceed the 1,000 yuan.
        std::optional<int64_t> fen = ObjectReader::IntValue((*values)[k], Element(r.Path("values_fen"), k), 0,
                                                            kPer1000YuanFen, errors_);
        if (fen) row.values_per_1000_yuan.push_back(Money::Fen(*fen));
      }
      rows.push_back(std::move(row));
    }
    if (errors_.size() != before) return;
    if (terms_ok_) {
      for (const Term& t : product_.terms) {
        if (std::none_of(rows.begin(), rows.end(), [&](const CashValueRow& row) { return row.term == t; })) {
          errors_.Add(path, "cash_value_table_incomplete", "缺少保险期间 " + t.ToString() + " 的现金价值",
                      "no cash values for the term " + t.ToString());
        }
      }
    }
    product_.surrender.cash_values = std::move(rows);
  }

  void ReadPlans(ObjectReader& r) {
    const json* plans = r.Array("plans", true, kMaxPlans);
    if (plans == nullptr) return;
    std::set<std::string> codes;
    for (size_t i = 0; i < plans->size(); ++i) {
      std::string path = Element("plans", i);
      if (!ExpectObject((*plans)[i], path, errors_)) continue;
      Plan plan = ReadPlan((*plans)[i], path);
      if (!plan.code.empty() && !codes.insert(plan.code).second) {
        errors_.Add(Member(path, "code"), "duplicate", "方案代码重复", "duplicate plan code");
      }
      product_.plans.push_back(std::move(plan));
    }
  }

  Plan ReadPlan(const json& v, const std::string& path) {
    ObjectReader r(v, path, errors_);
    Plan plan;
    if (auto code = r.String("code", true, 32)) {
      if (IsUpperCode(*code, 1, 32)) {
        plan.code = *code;
      } else {
        errors_.Add(r.Path("code"), "invalid_format", "方案代码应为 1-32 位大写字母、数字或下划线",
                    "the plan code must be 1-32 characters A-Z, 0-9 or _");
      }
    }
    if (auto s = r.String("name_zh", true, kMaxNameLen)) plan.name_zh = *s;
    if (auto s = r.String("name_en", true, kMaxNameLen)) plan.name_en = *s;
    if (const json* price = r.Get("price", true)) {
      if (ExpectObject(*price, r.Path("price"), errors_)) plan.price = ReadPrice(*price, r.Path("price"));
    }
    bool per_unit = plan.price.sum_insured_unit.has_value();
    if (const json* coverages = r.Array("coverages", true, kMaxCoverages)) {
      std::set<std::string> codes;
      for (size_t i = 0; i < coverages->size(); ++i) {
        std::string cov_path = Element(r.Path("coverages"), i);
        if (!ExpectObject((*coverages)[i], cov_path, errors_)) continue;
        Coverage coverage = ReadCoverage((*coverages)[i], cov_path, per_unit);
        if (!coverage.code.empty() && !codes.insert(coverage.code).second) {
          errors_.Add(Member(cov_path, "code"), "duplicate", "责任代码重复", "duplicate coverage code");
        }
        plan.coverages.push_back(std::move(coverage));
      }
    }
    r.Finish();
    return plan;
  }

  Coverage ReadCoverage(const json& v, const std::string& path, bool per_unit) {
    ObjectReader r(v, path, errors_);
    Coverage c;
    if (auto code = r.String("code", true, 64)) {
      if (IsLowerCode(*code)) {
        c.code = *code;
      } else {
        errors_.Add(r.Path("code"), "invalid_format", "责任代码应为小写字母开头的字母、数字或下划线",
                    "the coverage code must be lower-case letters, digits or _, starting with a letter");
      }
    }
    if (auto s = r.String("name_zh", true, kMaxNameLen)) c.name_zh = *s;
    if (auto s = r.String("name_en", true, kMaxNameLen)) c.name_en = *s;
    if (auto s = r.String("liability_zh", true, kMaxTextLen)) c.liability_zh = *s;
    if (auto s = r.String("liability_en", false, kMaxTextLen)) c.liability_en = *s;
    // Plans priced per unit of sum insured may leave the limit to the customer's choice.
    if (auto si = r.Int("sum_insured_fen", !per_unit, 1, kMaxMoneyFen)) c.sum_insured = Money::Fen(*si);
    if (auto d = r.Int("deductible_fen", true, 0, kMaxMoneyFen)) {
      c.deductible = Money::Fen(*d);
      if (c.sum_insured && c.deductible >= *c.sum_insured) {
        errors_.Add(r.Path("deductible_fen"), "deductible_exceeds_sum_insured", "免赔额应小于保险金额",
                    "the deductible must be less than the sum insured");
      }
    }
    if (auto p = r.Int("copay_percent", true, 0, 100)) c.copay_percent = static_cast<int>(*p);
    if (auto w = r.Int("waiting_period_days", true, 0, 365)) c.waiting_period_days = static_cast<int>(*w);
    if (const json* materials = r.Array("claim_materials", true, kMaxMaterials)) {
      std::set<std::string> codes;
      for (size_t i = 0; i < materials->size(); ++i) {
        std::string m_path = Element(r.Path("claim_materials"), i);
        if (!ExpectObject((*materials)[i], m_path, errors_)) continue;
        ObjectReader m((*materials)[i], m_path, errors_);
        ClaimMaterial material;
        if (auto code = m.String("code", true, 64)) {
          if (!IsLowerCode(*code)) {
            errors_.Add(m.Path("code"), "invalid_format", "材料代码应为小写字母、数字或下划线",
                        "the material code must be lower-case letters, digits or _");
          } else if (!codes.insert(*code).second) {
            errors_.Add(m.Path("code"), "duplicate", "理赔材料重复", "duplicate claim material");
          } else {
            material.code = *code;
          }
        }
        if (auto s = m.String("name_zh", true, kMaxNameLen)) material.name_zh = *s;
        if (auto s = m.String("name_en", true, kMaxNameLen)) material.name_en = *s;
        m.Finish();
        c.claim_materials.push_back(std::move(material));
      }
    }
    r.Finish();
    return c;
  }

  Price ReadPrice(const json& v, const std::string& path) {
    ObjectReader r(v, path, errors_);
    Price price;
    if (auto f = EnumField(r, "frequency", false, kPremiumFrequencies, errors_)) {
      price.frequency = *f;
      if (*f == PremiumFrequency::kAnnual && terms_ok_ &&
          std::any_of(product_.terms.begin(), product_.terms.end(),
                      [](const Term& t) { return t.unit != TermUnit::kYear; })) {
        errors_.Add(r.Path("frequency"), "frequency_needs_year_terms", "按年交费要求保险期间以年为单位",
                    "annual premiums need terms in years");
      }
    }

    if (auto unit = r.Int("sum_insured_unit_fen", false, 1, kMaxMoneyFen)) {
      price.sum_insured_unit = Money::Fen(*unit);
      auto min = r.Int("min_sum_insured_fen", true, 1, kMaxMoneyFen);
      auto max = r.Int("max_sum_insured_fen", true, 1, kMaxMoneyFen);
      if (min && *min % *unit != 0) {
        errors_.Add(r.Path("min_sum_insured_fen"), "not_multiple_of_unit", "应为保额单位的整数倍",
                    "must be a multiple of sum_insured_unit_fen");
      } else if (max && *max % *unit != 0) {
        errors_.Add(r.Path("max_sum_insured_fen"), "not_multiple_of_unit", "应为保额单位的整数倍",
                    "must be a multiple of sum_insured_unit_fen");
      } else if (min && max && *max < *min) {
        errors_.Add(r.Path("max_sum_insured_fen"), "less_than_min", "最高保额小于最低保额",
                    "max_sum_insured_fen is below min_sum_insured_fen");
      } else if (min && max) {
        price.min_sum_insured = Money::Fen(*min);
        price.max_sum_insured = Money::Fen(*max);
      }
    } else {
      for (std::string_view name : {"min_sum_insured_fen", "max_sum_insured_fen"}) {
        if (r.Get(name, false) != nullptr) {
          errors_.Add(r.Path(name), "not_applicable", "仅按保额单位定价时使用",
                      "only used with sum_insured_unit_fen");
        }
      }
    }

    bool has_fixed = r.Has("premium_fen");
    bool has_table = r.Has("table");
    std::optional<int64_t> fixed = r.Int("premium_fen", false, 1, kMaxMoneyFen);
    const json* table = r.Get("table", false);
    if (has_fixed && has_table) {
      errors_.Add(r.Path("table"), "conflicting_fields", "premium_fen 与 table 只能给出一个",
                  "give either premium_fen or table, not both");
    } else if (!has_fixed && !has_table) {
      errors_.Add(r.Path("premium_fen"), "required", "缺少保费（premium_fen 或 table）",
                  "a premium (premium_fen or table) is required");
    } else if (fixed) {
      price.fixed_premium = Money::Fen(*fixed);
      if (terms_ok_ && product_.terms.size() != 1) {
        errors_.Add(r.Path("premium_fen"), "fixed_price_needs_single_term",
                    "固定保费只适用于单一保险期间的产品，多个保险期间请用费率表",
                    "a fixed premium needs a single term; use a table for several terms");
      }
    } else if (table != nullptr) {
      // Leave fixed_premium empty so the price reads as a table even if the table has errors.
      price.table = ReadTable(*table, r.Path("table"));
    }
    r.Finish();
    return price;
  }

  std::vector<PriceBand> ReadTable(const json& table, const std::string& path) {
    if (!table.is_array()) {
      errors_.Add(path, "invalid_type", "应为数组", "must be an array");
      return {};
    }
    if (table.empty() || table.size() > kMaxTableRows) {
      errors_.Add(path, table.empty() ? "required" : "too_many", "费率表行数无效",
                  "the table must have between 1 and " + std::to_string(kMaxTableRows) + " rows");
      return {};
    }
    size_t before = errors_.size();
    std::vector<PriceBand> rows;
    std::vector<size_t> row_index;  // position in `table` of each parsed row
    std::optional<bool> with_sex, with_term;
    for (size_t i = 0; i < table.size(); ++i) {
      std::string row_path = Element(path, i);
      if (!ExpectObject(table[i], row_path, errors_)) continue;
      ObjectReader r(table[i], row_path, errors_);
      auto min = r.Int("min_age", true, 0, kMaxAge);
      auto max = r.Int("max_age", true, 0, kMaxAge);
      bool has_sex = r.Has("sex");
      bool has_term = r.Has("term");
      auto sex = EnumField(r, "sex", false, kSexes, errors_);
      std::optional<Term> term;
      if (const json* t = r.Get("term", false)) term = ParseTermObject(*t, r.Path("term"), errors_);
      auto premium = r.Int("premium_fen", true, 1, kMaxMoneyFen);
      r.Finish();
      // Every row of a table has the same dimensions: all rows name a sex, or none does; same for term.
      if (!with_sex) with_sex = has_sex;
      if (!with_term) with_term = has_term;
      if (has_sex != *with_sex) {
        errors_.Add(r.Path("sex"), "inconsistent_dimension", "费率表各行应同时按性别区分或都不区分",
                    "either every row of the table gives a sex or none does");
      }
      if (has_term != *with_term) {
        errors_.Add(r.Path("term"), "inconsistent_dimension", "费率表各行应同时按保险期间区分或都不区分",
                    "either every row of the table gives a term or none does");
      }
      if (term && terms_ok_ && !product_.OffersTerm(*term)) {
        errors_.Add(r.Path("term"), "term_not_offered", "产品未提供该保险期间",
                    "the product does not offer this term");
        continue;
      }
      if (min && max && *max < *min) {
        errors_.Add(r.Path("max_age"), "less_than_min", "最高年龄小于最低年龄", "max_age is below min_age");
        continue;
      }
      if (!min || !max || !premium || (has_sex && !sex) || (has_term && !term)) continue;
      rows.push_back(
          PriceBand{static_cast<int>(*min), static_cast<int>(*max), sex, term, Money::Fen(*premium)});
      row_index.push_back(i);
    }
    if (errors_.size() != before) return rows;
    if (!*with_term && terms_ok_ && product_.terms.size() > 1) {
      errors_.Add(Element(path, 0) + ".term", "required", "产品有多个保险期间，费率表须按保险期间给出",
                  "the product offers several terms: every row needs a term");
      return rows;
    }
    if (ages_ok_ && terms_ok_) CheckTableCoverage(rows, row_index, path, *with_sex, *with_term);
    return rows;
  }

  // The bands of each (sex, term) combination cover the insurable age range exactly: no gap, no
  // overlap, nothing outside it; and every combination is priced.
  void CheckTableCoverage(const std::vector<PriceBand>& rows, const std::vector<size_t>& row_index,
                          const std::string& path, bool with_sex, bool with_term) {
    using Key = std::pair<int, int>;  // (sex or -1, index of term in product_.terms or -1)
    std::map<Key, std::vector<size_t>> groups;
    for (size_t k = 0; k < rows.size(); ++k) {
      int sex = rows[k].sex ? static_cast<int>(*rows[k].sex) : -1;
      int term = -1;
      if (rows[k].term) {
        term = static_cast<int>(std::find(product_.terms.begin(), product_.terms.end(), *rows[k].term) -
                                product_.terms.begin());
      }
      groups[{sex, term}].push_back(k);
    }
    const int lo = product_.insurable_age.min_years;
    const int hi = product_.insurable_age.max_years;
    for (auto& [key, members] : groups) {
      std::stable_sort(members.begin(), members.end(),
                       [&](size_t a, size_t b) { return rows[a].min_age < rows[b].min_age; });
      const PriceBand& first = rows[members.front()];
      if (first.min_age != lo) {
        errors_.Add(Element(path, row_index[members.front()]) + ".min_age", "age_band_outside_range",
                    "年龄段应从最低投保年龄 " + std::to_string(lo) + " 岁开始",
                    "the bands must start at the minimum insurable age " + std::to_string(lo));
      }
      for (size_t m = 1; m < members.size(); ++m) {
        const PriceBand& prev = rows[members[m - 1]];
        const PriceBand& next = rows[members[m]];
        std::string field = Element(path, row_index[members[m]]) + ".min_age";
        if (next.min_age > prev.max_age + 1) {
          errors_.Add(field, "age_band_gap",
                      "年龄段之间有空缺：" + std::to_string(prev.max_age + 1) + " 至 " +
                          std::to_string(next.min_age - 1) + " 岁无费率",
                      "gap between age bands: ages " + std::to_string(prev.max_age + 1) + " to " +
                          std::to_string(next.min_age - 1) + " have no price");
        } else if (next.min_age <= prev.max_age) {
          errors_.Add(field, "age_band_overlap", "年龄段重叠", "age bands overlap");
        }
      }
      int top = 0;
      size_t top_member = members.front();
      for (size_t member : members) {
        if (rows[member].max_age >= top) {
          top = rows[member].max_age;
          top_member = member;
        }
      }
      if (top != hi) {
        errors_.Add(Element(path, row_index[top_member]) + ".max_age", "age_band_outside_range",
                    "年龄段应止于最高投保年龄 " + std::to_string(hi) + " 岁",
                    "the bands must end at the maximum insurable age " + std::to_string(hi));
      }
    }
    std::vector<int> sexes =
        with_sex ? std::vector<int>{static_cast<int>(Sex::kMale), static_cast<int>(Sex::kFemale)}
                 : std::vector<int>{-1};
    std::vector<int> terms;
    if (with_term) {
      for (size_t t = 0; t < product_.terms.size(); ++t) terms.push_back(static_cast<int>(t));
    } else {
      terms.push_back(-1);
    }
    for (int sex : sexes) {
      for (int term : terms) {
        if (groups.count({sex, term}) != 0) continue;
        std::string what;
        if (sex >= 0) what += SexName(static_cast<Sex>(sex));
        if (term >= 0)
          what += (what.empty() ? "" : ", ") + product_.terms[static_cast<size_t>(term)].ToString();
        errors_.Add(path, "price_table_incomplete", "费率表缺少：" + what,
                    "the table has no rows for " + what);
      }
    }
  }

  const json& def_;
  Errors errors_;
  Product product_;
  std::optional<LineOfBusiness> line_;
  bool ages_ok_ = false;
  bool terms_ok_ = false;
};

}  // namespace

Result<Product> ParseProduct(const nlohmann::json& definition) { return ProductParser(definition).Run(); }

Status ValidateProduct(const nlohmann::json& definition) {
  Result<Product> product = ParseProduct(definition);
  if (!product.ok()) return std::move(product).take_status();
  return Status::Ok();
}

}  // namespace anxin::products
