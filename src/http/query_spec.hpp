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
// parameter's name as the field. Built once at start-up; immutable and thread-safe afterwards.

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
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
};

struct QueryTextField {
  bool required = false;
  size_t max_len = 200;  // bytes
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

namespace query_spec_internal {

// The non-template parts, in query_spec.cpp. Each reads parameter `name` of `request`; returns
// nullopt when it is absent (a required one then records "required") or invalid (recorded).
std::optional<std::string> ReadText(const Request& request, const std::string& name,
                                    const QueryTextField& rule, std::vector<FieldError>& errors);
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

}  // namespace query_spec_internal

template <typename T>
class QuerySpec {
 public:
  // A text parameter into std::string (required) or std::optional<std::string>.
  template <typename M>
  QuerySpec& Text(std::string name, M T::*member, QueryTextField rule) {
    parameters_.push_back(query_spec_internal::Parameter(name, rule.required,
                                                         {{"type", "string"}, {"maxLength", rule.max_len}},
                                                         rule.description, rule.example));
    readers_.push_back([name, member, rule](const Request& request, T& out, std::vector<FieldError>& errors) {
      std::optional<std::string> value = query_spec_internal::ReadText(request, name, rule, errors);
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

  // One of the names of `table` into the enum (required) or std::optional of it.
  template <typename M, typename E, size_t N>
  QuerySpec& Enum(std::string name, M T::*member, const EnumTable<E, N>& table, QueryField rule) {
    std::vector<std::string> names = table.Names();
    parameters_.push_back(query_spec_internal::Parameter(
        name, rule.required, {{"type", "string"}, {"enum", names}}, rule.description, rule.example));
    readers_.push_back([name, member, names, &table, required = rule.required](
                           const Request& request, T& out, std::vector<FieldError>& errors) {
      std::optional<std::string> value =
          query_spec_internal::ReadEnum(request, name, names, required, errors);
      if (!value) return;
      std::optional<E> parsed = table.Parse(*value);
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

  // The paging cursor "after": the `next_after` of the previous page.
  QuerySpec& Cursor(std::string T::*member) {
    return Text("after", member,
                {.max_len = 64, .description = "Paging cursor: the `next_after` of the previous page."});
  }

  // "reveal" (a comma-separated subset of `fields`) and "purpose", into a RevealQuery.
  QuerySpec& Reveal(RevealQuery T::*member, std::vector<std::string> fields) {
    std::string list;
    for (const std::string& field : fields) list += (list.empty() ? "" : ", ") + field;
    parameters_.push_back(query_spec_internal::Parameter(
        "reveal", false, {{"type", "string"}, {"maxLength", 200}},
        "Comma-separated personal data to show in clear (" + list +
            "); needs permission `pii.reveal` and `purpose`; every reveal is audited.",
        nullptr));
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
