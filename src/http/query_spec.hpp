#pragma once

// One declaration per route's query string, as BodySpec is for bodies: it reads and validates the
// parameters (Read) and documents them for the OpenAPI document (Parameters), so the two cannot
// drift.
//
//   struct CardQuery {
//     std::optional<CardStatus> status;
//     std::optional<Date> from;
//     int limit = 100;
//     std::string after;
//   };
//   const http::QuerySpec<CardQuery>& CardQuerySpec() {
//     static const auto* spec = &(*new http::QuerySpec<CardQuery>())
//         .Enum("status", &CardQuery::status, kCardStatuses, {.description = "only cards in this status"})
//         .Date("from", &CardQuery::from, {.description = "first day, inclusive"})
//         .Limit(&CardQuery::limit, 100, 500)
//         .Cursor(&CardQuery::after);
//     return *spec;
//   }
//   // route: .query_parameters = CardQuerySpec().Parameters(), handler:
//   ANXIN_ASSIGN_OR_RETURN(CardQuery query, CardQuerySpec().Read(request));
//
// An empty text or enum parameter counts as absent ("no filter"); an empty date, timestamp,
// integer or boolean is invalid, as any other malformed value. Parameters the spec does not name
// are ignored. Every problem is reported at once, as kInvalidArgument "validation_failed" with the
// parameter's name as the field, and a code per kind: "required", "too_long" and
// "invalid_format" (text: length in bytes, UTF-8 without control characters, `pattern`),
// "invalid_date", "invalid_timestamp", "out_of_range" (integers and limit), "invalid_value"
// (booleans), "not_allowed" (enums and reveal). Built once at start-up; immutable and thread-safe
// afterwards.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/enum_table.hpp"
#include "common/status.hpp"
#include "http/router.hpp"

namespace anxin::http {

struct QueryField {
  bool required = false;
  std::string description;
  nlohmann::json example;
  // Enum only: the name that applies when the parameter is absent (documented as "default").
  std::string default_name;
};

struct QueryTextField {
  bool required = false;
  size_t max_len = 200;  // bytes
  // An ECMAScript regular expression searched in the value, as JSON Schema does (anchor it with
  // ^...$); a mismatch is "invalid_format".
  std::string pattern;
  std::string description;
  nlohmann::json example;
};

struct QueryIntField {
  bool required = false;
  int64_t min = INT64_MIN;
  int64_t max = INT64_MAX;
  std::string description;
  nlohmann::json example;
};

// A request to see personal data in clear: `reveal` (a comma-separated list of field names) and
// the stated `purpose`, both from the query string. CheckReveal (common/access.hpp) then decides.
struct RevealQuery {
  std::set<std::string> fields;
  std::string purpose;
  [[nodiscard]] bool any() const { return !fields.empty(); }
  [[nodiscard]] bool has(const std::string& field) const { return fields.count(field) > 0; }
};

// The longest stated purpose a query string may carry (CheckReveal allows 200 code points).
inline constexpr size_t kMaxPurposeBytes = 1000;
// The longest list of fields to reveal.
inline constexpr size_t kMaxRevealBytes = 200;

namespace query_spec_internal {

// The non-template parts, in query_spec.cpp. Each reads parameter `name` of `request`; returns
// nullopt when it is absent (a required one then records "required") or invalid (recorded).
std::optional<std::string> ReadText(const Request& request, const std::string& name,
                                    const QueryTextField& rule, const std::regex* pattern,
                                    std::vector<FieldError>& errors);
std::optional<Date> ReadDate(const Request& request, const std::string& name, bool required,
                             std::vector<FieldError>& errors);
std::optional<int64_t> ReadTimestamp(const Request& request, const std::string& name, bool required,
                                     std::vector<FieldError>& errors);
std::optional<int64_t> ReadInt(const Request& request, const std::string& name, const QueryIntField& rule,
                               std::vector<FieldError>& errors);
std::optional<bool> ReadBool(const Request& request, const std::string& name, bool required,
                             std::vector<FieldError>& errors);
std::optional<std::string> ReadEnum(const Request& request, const std::string& name,
                                    const std::vector<std::string>& names, bool required,
                                    std::vector<FieldError>& errors);
std::optional<RevealQuery> ReadReveal(const Request& request, const std::vector<std::string>& fields,
                                      std::vector<FieldError>& errors);

QueryParameter Parameter(std::string name, bool required, nlohmann::json schema,
                         const std::string& description, const nlohmann::json& example);

// Returns the schema of a text parameter of `rule`.
nlohmann::json TextSchema(const QueryTextField& rule);
// Compiles `pattern` (nullptr when empty). Aborts on an invalid pattern: a programming error.
std::shared_ptr<const std::regex> CompilePattern(const std::string& pattern);

}  // namespace query_spec_internal

template <typename T>
class QuerySpec {
 public:
  // A text parameter into std::string (required) or std::optional<std::string>.
  template <typename M>
  QuerySpec& Text(std::string name, M T::*member, QueryTextField rule) {
    parameters_.push_back(query_spec_internal::Parameter(
        name, rule.required, query_spec_internal::TextSchema(rule), rule.description, rule.example));
    auto pattern = query_spec_internal::CompilePattern(rule.pattern);
    readers_.push_back(
        [name, member, rule, pattern](const Request& request, T& out, std::vector<FieldError>& errors) {
          std::optional<std::string> value =
              query_spec_internal::ReadText(request, name, rule, pattern.get(), errors);
          if (value) out.*member = std::move(*value);
        });
    return *this;
  }

  // A calendar date (YYYY-MM-DD) into Date (required) or std::optional<Date>.
  template <typename M>
  QuerySpec& Date(std::string name, M T::*member, QueryField rule) {
    parameters_.push_back(query_spec_internal::Parameter(
        name, rule.required, {{"type", "string"}, {"format", "date"}}, rule.description, rule.example));
    readers_.push_back([name, member, required = rule.required](const Request& request, T& out,
                                                                std::vector<FieldError>& errors) {
      std::optional<anxin::Date> value = query_spec_internal::ReadDate(request, name, required, errors);
      if (value) out.*member = *value;
    });
    return *this;
  }

  // An RFC 3339 timestamp into Unix milliseconds: int64_t (required) or std::optional<int64_t>.
  template <typename M>
  QuerySpec& Timestamp(std::string name, M T::*member, QueryField rule) {
    parameters_.push_back(query_spec_internal::Parameter(
        name, rule.required, {{"type", "string"}, {"format", "date-time"}}, rule.description, rule.example));
    readers_.push_back([name, member, required = rule.required](const Request& request, T& out,
                                                                std::vector<FieldError>& errors) {
      std::optional<int64_t> value = query_spec_internal::ReadTimestamp(request, name, required, errors);
      if (value) out.*member = *value;
    });
    return *this;
  }

  // A decimal integer into an integral member or std::optional of one.
  template <typename M>
  QuerySpec& Int(std::string name, M T::*member, QueryIntField rule) {
    nlohmann::json schema = {{"type", "integer"}};
    if (rule.min != INT64_MIN) schema["minimum"] = rule.min;
    if (rule.max != INT64_MAX) schema["maximum"] = rule.max;
    parameters_.push_back(query_spec_internal::Parameter(name, rule.required, std::move(schema),
                                                         rule.description, rule.example));
    readers_.push_back([name, member, rule](const Request& request, T& out, std::vector<FieldError>& errors) {
      std::optional<int64_t> value = query_spec_internal::ReadInt(request, name, rule, errors);
      if (!value) return;
      if constexpr (std::is_integral_v<M>) {
        out.*member = static_cast<M>(*value);
      } else {
        out.*member = static_cast<typename M::value_type>(*value);
      }
    });
    return *this;
  }

  // "true" or "false" into bool (required) or std::optional<bool>.
  template <typename M>
  QuerySpec& Bool(std::string name, M T::*member, QueryField rule) {
    parameters_.push_back(query_spec_internal::Parameter(name, rule.required, {{"type", "boolean"}},
                                                         rule.description, rule.example));
    readers_.push_back([name, member, required = rule.required](const Request& request, T& out,
                                                                std::vector<FieldError>& errors) {
      std::optional<bool> value = query_spec_internal::ReadBool(request, name, required, errors);
      if (value) out.*member = *value;
    });
    return *this;
  }

  // One of the names of `table` into the enum (required) or std::optional of it. With
  // `rule.default_name`, an absent parameter sets the member to that value.
  template <typename M, typename E, size_t N>
  QuerySpec& Enum(std::string name, M T::*member, const EnumTable<E, N>& table, QueryField rule) {
    return Enum(
        std::move(name), member, table.Names(), [&table](std::string_view text) { return table.Parse(text); },
        std::move(rule));
  }

  // The same for an enum without a table: `names` are its wire names, `parse` maps one of them
  // (std::string_view) to std::optional<the enum>.
  template <typename M, typename Parse>
  QuerySpec& Enum(std::string name, M T::*member, std::vector<std::string> names, Parse parse,
                  QueryField rule) {
    nlohmann::json schema = {{"type", "string"}, {"enum", names}};
    if (!rule.default_name.empty()) schema["default"] = rule.default_name;
    parameters_.push_back(query_spec_internal::Parameter(name, rule.required, std::move(schema),
                                                         rule.description, rule.example));
    readers_.push_back([name, member, names, parse, required = rule.required, fallback = rule.default_name](
                           const Request& request, T& out, std::vector<FieldError>& errors) {
      std::optional<std::string> value =
          query_spec_internal::ReadEnum(request, name, names, required, errors);
      if (!value && request.Query(name).value_or("").empty() && !fallback.empty()) value = fallback;
      if (!value) return;
      auto parsed = parse(std::string_view(*value));
      if (parsed) out.*member = *parsed;
    });
    return *this;
  }

  // The page size "limit": `default_limit` when absent, else 1..`max_limit` ("out_of_range").
  QuerySpec& Limit(int T::*member, int default_limit, int max_limit) {
    parameters_.push_back(query_spec_internal::Parameter(
        "limit", false,
        {{"type", "integer"}, {"minimum", 1}, {"maximum", max_limit}, {"default", default_limit}},
        "Page size.", nullptr));
    readers_.push_back(
        [member, default_limit, max_limit](const Request& request, T& out, std::vector<FieldError>& errors) {
          std::optional<int64_t> value =
              query_spec_internal::ReadInt(request, "limit", {.min = 1, .max = max_limit}, errors);
          out.*member = value ? static_cast<int>(*value) : default_limit;
        });
    return *this;
  }

  // The paging cursor "after": the `next_after` of the previous page (at most `max_len` bytes).
  QuerySpec& Cursor(std::string T::*member, size_t max_len = 64) {
    return Text("after", member,
                {.max_len = max_len, .description = "Paging cursor: the `next_after` of the previous page."});
  }

  // "reveal" (a comma-separated subset of `fields`, at most kMaxRevealBytes) and "purpose", into
  // a RevealQuery.
  QuerySpec& Reveal(RevealQuery T::*member, std::vector<std::string> fields) {
    std::string list;
    std::string alternatives;
    for (const std::string& field : fields) {
      list += (list.empty() ? "" : ", ") + field;
      alternatives += (alternatives.empty() ? "" : "|") + field;
    }
    parameters_.push_back(query_spec_internal::Parameter(
        "reveal", false,
        {{"type", "string"},
         {"maxLength", kMaxRevealBytes},
         {"pattern", "^(" + alternatives + ")(,(" + alternatives + "))*$"}},
        "Comma-separated personal data to show in clear (" + list +
            "); needs permission `pii.reveal` and `purpose`; every reveal is audited.",
        fields.empty() ? nlohmann::json() : nlohmann::json(fields.front())));
    parameters_.push_back(query_spec_internal::Parameter(
        "purpose", false, {{"type", "string"}, {"maxLength", kMaxPurposeBytes}},
        "Why the personal data is needed (4-200 characters), recorded in the audit log.", nullptr));
    readers_.push_back([member, fields](const Request& request, T& out, std::vector<FieldError>& errors) {
      std::optional<RevealQuery> value = query_spec_internal::ReadReveal(request, fields, errors);
      if (value) out.*member = std::move(*value);
    });
    return *this;
  }

  // Reads every declared parameter of `request`. Returns the value, or kInvalidArgument
  // "validation_failed" listing every invalid parameter.
  Result<T> Read(const Request& request) const {
    T out{};
    std::vector<FieldError> errors;
    for (const auto& reader : readers_) reader(request, out, errors);
    if (!errors.empty()) return Status::Invalid(std::move(errors));
    return out;
  }

  // Returns the parameters' documentation, in declaration order.
  [[nodiscard]] const std::vector<QueryParameter>& Parameters() const { return parameters_; }

 private:
  std::vector<QueryParameter> parameters_;
  std::vector<std::function<void(const Request&, T&, std::vector<FieldError>&)>> readers_;
};

}  // namespace anxin::http
