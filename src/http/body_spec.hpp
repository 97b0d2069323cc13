#pragma once

// One declaration per JSON request body: the fields, their rules and their meanings. The same
// declaration validates a request (Read) and documents it (Schema, for the OpenAPI document), so
// the two cannot drift.
//
//   struct MovementBody {
//     MovementKind kind{};
//     std::string doc_type_code;
//     std::optional<std::string> recipient_code;
//   };
//   const http::BodySpec<MovementBody>& MovementBodySpec() {
//     static const auto* spec = &(*new http::BodySpec<MovementBody>("Issue or recall a range"))
//         .Enum("kind", &MovementBody::kind, kMovementKinds, {.required = true})
//         .String("doc_type_code", &MovementBody::doc_type_code,
//                 {.required = true, .max_len = 20, .description = "card type code", .example = "ACC1"})
//         .String("recipient_code", &MovementBody::recipient_code, {.max_len = 64});
//     return *spec;
//   }
//   // route: .request_schema = MovementBodySpec().Schema(), handler:
//   ANXIN_ASSIGN_OR_RETURN(MovementBody body, MovementBodySpec().Read(request));
//
// Semantics, the same in the reader and the schema: unknown fields are refused ("unknown_field");
// JSON null counts as absent (so optional fields are nullable in the schema); a required string
// must not be empty; strings are trimmed (white space incl. U+3000) before the length is counted;
// `pattern` is an ECMAScript regular expression searched in the trimmed value, as JSON Schema
// does (anchor it with ^...$); formats "date" (YYYY-MM-DD) and "date-time" (RFC 3339) are checked.
// Cross-field rules (Rule) run only when every field was read without error, and carry their own
// schema fragment and documentation. A body declared MayBeEmpty may be left out altogether (an
// empty request body reads as T{}); the route documents that with
// `.request_body_required = Spec().body_required()`.
//
// A spec is built once at start-up and is then immutable and thread-safe.

#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/enum_table.hpp"
#include "common/status.hpp"
#include "http/json_input.hpp"
#include "http/router.hpp"

namespace anxin::http {

struct StringField {
  bool required = false;
  size_t min_len = 0;    // code points, after trimming
  size_t max_len = 200;  // code points, after trimming
  bool trim = true;
  std::string pattern;  // see above; a mismatch is "invalid_format"
  std::string format;   // JSON Schema format: "date" and "date-time" are checked, others documented
  std::string description;
  nlohmann::json example;  // a valid value, shown in the schema's "examples" and used by tests
};

struct IntField {
  bool required = false;
  int64_t min = INT64_MIN;
  int64_t max = INT64_MAX;
  std::string description;
  nlohmann::json example;
};

struct BoolField {
  bool required = false;
  std::string description;
  nlohmann::json example;
};

struct EnumField {
  bool required = false;
  std::string description;
  nlohmann::json example;  // default: the first name of the table
};

struct ListField {
  bool required = false;  // a required list must not be empty
  size_t max_items = 100;
  StringField item;  // rules of each item (item.required is ignored)
  std::string description;
};

struct ObjectField {
  bool required = false;
  std::string description;
};

struct ObjectListField {
  bool required = false;  // a required list must not be empty
  size_t max_items = 100;
  std::string description;
};

namespace body_spec_internal {

// The non-template parts, in body_spec.cpp.
nlohmann::json StringSchema(const StringField& rule);
nlohmann::json IntSchema(const IntField& rule);
nlohmann::json BoolSchema(const BoolField& rule);
nlohmann::json EnumSchema(const std::vector<std::string>& names, const EnumField& rule);
nlohmann::json ListSchema(const ListField& rule);
// Returns `schema` that also admits null (for optional fields).
nlohmann::json NullableSchema(nlohmann::json schema);
// Compiles `rule.pattern` (nullptr when empty). Aborts on an invalid pattern: a programming error.
std::shared_ptr<const std::regex> CompilePattern(const std::string& pattern);
// Checks pattern and format of an already read string; records errors at `name` through `in`.
// Returns false when the value is refused.
bool CheckStringExtras(JsonReader& in, const std::string& name, const std::string& value,
                       const StringField& rule, const std::regex* pattern);
JsonReader::StringRule ReaderRule(const StringField& rule);

}  // namespace body_spec_internal

template <typename T>
class BodySpec {
 public:
  explicit BodySpec(std::string description = "") : description_(std::move(description)) {}

  // A string field into `member`: std::string (set when present) or std::optional<std::string>.
  template <typename M>
  requires std::same_as<M, std::string> || std::same_as<M, std::optional<std::string>> BodySpec& String(
      std::string name, M T::*member, StringField rule) {
    auto pattern = body_spec_internal::CompilePattern(rule.pattern);
    nlohmann::json schema = body_spec_internal::StringSchema(rule);
    nlohmann::json example = rule.example;
    const bool required = rule.required;
    Add(name, required, std::move(schema), std::move(example),
        [name, member, rule = std::move(rule), pattern](JsonReader& in, T& out) {
          std::optional<std::string> value = in.String(name, body_spec_internal::ReaderRule(rule));
          if (!value) return;
          if (!body_spec_internal::CheckStringExtras(in, name, *value, rule, pattern.get())) return;
          out.*member = std::move(*value);
        });
    return *this;
  }

  // A string a client may clear (PATCH): absent leaves `member` nullopt, JSON null sets it to an
  // empty optional ("clear the value"), a string sets it after the checks of `rule` (rule.required
  // is ignored: absent and null are both allowed).
  BodySpec& ClearableString(std::string name, std::optional<std::optional<std::string>> T::*member,
                            StringField rule) {
    rule.required = false;
    auto pattern = body_spec_internal::CompilePattern(rule.pattern);
    nlohmann::json schema = body_spec_internal::StringSchema(rule);
    schema["description"] =
        (rule.description.empty() ? std::string() : rule.description + "; ") + "null clears it";
    nlohmann::json example = rule.example;
    Add(name, false, std::move(schema), std::move(example),
        [name, member, rule = std::move(rule), pattern](JsonReader& in, T& out) {
          const nlohmann::json* raw = in.Raw(name);
          if (raw == nullptr) return;
          if (raw->is_null()) {
            out.*member = std::optional<std::string>();
            return;
          }
          std::optional<std::string> value = in.String(name, body_spec_internal::ReaderRule(rule));
          if (!value) return;
          if (!body_spec_internal::CheckStringExtras(in, name, *value, rule, pattern.get())) return;
          out.*member = std::optional<std::string>(std::move(*value));
        });
    return *this;
  }

  // An integer field into `member`: an integral type (set when present) or std::optional of one.
  template <typename M>
  BodySpec& Int(std::string name, M T::*member, IntField rule) {
    nlohmann::json schema = body_spec_internal::IntSchema(rule);
    Add(name, rule.required, std::move(schema), rule.example, [name, member, rule](JsonReader& in, T& out) {
      std::optional<int64_t> value =
          in.Int(name, {.required = rule.required, .min = rule.min, .max = rule.max});
      if (!value) return;
      if constexpr (std::is_integral_v<M>) {
        out.*member = static_cast<M>(*value);
      } else {
        out.*member = static_cast<typename M::value_type>(*value);
      }
    });
    return *this;
  }

  // A boolean field into `member`: bool (set when present) or std::optional<bool>.
  template <typename M>
  requires std::same_as<M, bool> || std::same_as<M, std::optional<bool>> BodySpec& Bool(std::string name,
                                                                                        M T::*member,
                                                                                        BoolField rule) {
    Add(name, rule.required, body_spec_internal::BoolSchema(rule), rule.example,
        [name, member, required = rule.required](JsonReader& in, T& out) {
          std::optional<bool> value = in.Bool(name, required);
          if (value) out.*member = *value;
        });
    return *this;
  }

  // An enum field named by `table` into `member`: the enum (set when present) or std::optional of it.
  template <typename M, typename E, size_t N>
  BodySpec& Enum(std::string name, M T::*member, const EnumTable<E, N>& table, EnumField rule) {
    std::vector<std::string> names = table.Names();
    nlohmann::json example =
        rule.example.is_null() && !names.empty() ? nlohmann::json(names.front()) : rule.example;
    Add(name, rule.required, body_spec_internal::EnumSchema(names, rule), std::move(example),
        [name, member, names, &table, required = rule.required](JsonReader& in, T& out) {
          std::optional<std::string> value = in.Enum(name, names, required);
          if (!value) return;
          std::optional<E> parsed = table.Parse(*value);
          if (parsed) out.*member = *parsed;
        });
    return *this;
  }

  // A list of strings into `member` (std::vector<std::string>).
  BodySpec& StringList(std::string name, std::vector<std::string> T::*member, ListField rule) {
    auto pattern = body_spec_internal::CompilePattern(rule.item.pattern);
    nlohmann::json example = nlohmann::json::array();
    if (!rule.item.example.is_null()) example.push_back(rule.item.example);
    Add(name, rule.required, body_spec_internal::ListSchema(rule), std::move(example),
        [name, member, rule, pattern](JsonReader& in, T& out) {
          std::optional<std::vector<std::string>> items =
              in.StringList(name, body_spec_internal::ReaderRule(rule.item), rule.max_items, rule.required);
          if (!items) return;
          bool ok = true;
          for (size_t i = 0; i < items->size(); ++i) {
            ok = body_spec_internal::CheckStringExtras(in, name + "[" + std::to_string(i) + "]", (*items)[i],
                                                       rule.item, pattern.get()) &&
                 ok;
          }
          if (ok) out.*member = std::move(*items);
        });
    return *this;
  }

  // A nested object declared by `nested` into `member`: U (filled when present) or std::optional<U>.
  // `nested` must outlive this spec (specs are static).
  template <typename M, typename U>
  BodySpec& Object(std::string name, M T::*member, const BodySpec<U>& nested, ObjectField rule) {
    nlohmann::json schema = nested.Schema();
    if (!rule.description.empty()) schema["description"] = rule.description;
    Add(name, rule.required, std::move(schema), nested.Example(),
        [name, member, &nested, required = rule.required](JsonReader& in, T& out) {
          std::optional<JsonReader> child = in.Object(name, required);
          if (!child) return;
          U value{};
          if (nested.ReadInto(*child, value)) out.*member = std::move(value);
        });
    return *this;
  }

  // A list of objects, each declared by `nested`, into `member` (std::vector<U>); errors at
  // "name[i].field". `nested` must outlive this spec (specs are static).
  template <typename U>
  BodySpec& ObjectList(std::string name, std::vector<U> T::*member, const BodySpec<U>& nested,
                       ObjectListField rule) {
    nlohmann::json schema = {{"type", "array"}, {"items", nested.Schema()}, {"maxItems", rule.max_items}};
    if (rule.required) schema["minItems"] = 1;
    if (!rule.description.empty()) schema["description"] = rule.description;
    Add(name, rule.required, std::move(schema), nlohmann::json::array({nested.Example()}),
        [name, member, &nested, rule](JsonReader& in, T& out) {
          const nlohmann::json* list = in.Raw(name);
          if (list == nullptr || list->is_null() || (list->is_array() && list->empty())) {
            if (rule.required) in.AddError(name, "required", {"必填", "required"});
            return;
          }
          if (!list->is_array()) {
            in.AddError(name, "wrong_type", {"应为数组", "must be an array"});
            return;
          }
          if (list->size() > rule.max_items) {
            in.AddError(name, "too_many_items",
                        {"最多 " + std::to_string(rule.max_items) + " 项",
                         "at most " + std::to_string(rule.max_items) + " items"});
            return;
          }
          std::vector<U> items;
          bool ok = true;
          for (size_t i = 0; i < list->size(); ++i) {
            const std::string path = name + "[" + std::to_string(i) + "]";
            const nlohmann::json& item = (*list)[i];
            if (!item.is_object()) {
              in.AddError(path, "wrong_type", {"应为对象", "must be an object"});
              ok = false;
              continue;
            }
            // A reader of its own, whose errors (paths relative to this object) join `in`'s.
            JsonReader child(item, path);
            U value{};
            nested.ReadInto(child, value);
            Status checked = child.Finish();
            for (const FieldError& f : checked.fields()) in.AddError(f.field, f.code, f.message);
            ok = ok && checked.ok();
            items.push_back(std::move(value));
          }
          if (ok) out.*member = std::move(items);
        });
    return *this;
  }

  // A rule across fields, checked after every field was read without error: `check` reports
  // problems through `in.AddError(field, code, message)`. `doc` joins the body's description;
  // `schema` (when not null) is the rule in JSON Schema, added to the body's "allOf".
  BodySpec& Rule(std::string doc, std::function<void(const T&, JsonReader&)> check,
                 nlohmann::json schema = nullptr) {
    rules_.push_back({std::move(doc), std::move(check), std::move(schema)});
    return *this;
  }

  // Lets a request leave the body out: an empty body reads as T{} (whatever its Content-Type).
  BodySpec& MayBeEmpty() {
    may_be_empty_ = true;
    return *this;
  }

  // Returns false for a body declared MayBeEmpty (OpenAPI's requestBody.required).
  [[nodiscard]] bool body_required() const { return !may_be_empty_; }

  // Parses and validates the body of `request` (JsonReader::Parse's content-type, UTF-8 and JSON
  // checks first). Returns the value, or kInvalidArgument listing every problem.
  Result<T> Read(const Request& request) const {
    if (may_be_empty_ && request.body.empty()) return T{};
    ANXIN_ASSIGN_OR_RETURN(JsonReader in, JsonReader::Parse(request));
    T out{};
    ReadInto(in, out);
    ANXIN_RETURN_IF_ERROR(in.Finish());
    return out;
  }

  // Reads the fields of this spec from `in` into `out`, recording errors in `in` (the caller calls
  // Finish). Returns true if no field of this object had an error.
  bool ReadInto(JsonReader& in, T& out) const {
    const size_t errors_before = in.error_count();
    for (const Field& field : fields_) field.read(in, out);
    if (in.error_count() != errors_before) return false;
    for (const CrossRule& rule : rules_) rule.check(out, in);
    return in.error_count() == errors_before;
  }

  // Returns the JSON Schema of the body: a closed object with its properties, required fields,
  // description (with every cross-field rule) and the rules' schema fragments.
  [[nodiscard]] nlohmann::json Schema() const {
    nlohmann::json properties = nlohmann::json::object();
    nlohmann::json required = nlohmann::json::array();
    for (const Field& field : fields_) {
      properties[field.name] =
          field.required ? field.schema : body_spec_internal::NullableSchema(field.schema);
      if (field.required) required.push_back(field.name);
    }
    nlohmann::json schema = {
        {"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
    if (!required.empty()) schema["required"] = std::move(required);
    std::string description = description_;
    nlohmann::json all_of = nlohmann::json::array();
    for (const CrossRule& rule : rules_) {
      if (!rule.doc.empty()) description += (description.empty() ? "" : " ") + rule.doc;
      if (!rule.schema.is_null()) all_of.push_back(rule.schema);
    }
    if (!description.empty()) schema["description"] = description;
    if (!all_of.empty()) schema["allOf"] = std::move(all_of);
    return schema;
  }

  // Returns an example body: every field with an example (nested objects included).
  [[nodiscard]] nlohmann::json Example() const {
    nlohmann::json example = nlohmann::json::object();
    for (const Field& field : fields_) {
      if (!field.example.is_null()) example[field.name] = field.example;
    }
    return example;
  }

 private:
  struct Field {
    std::string name;
    bool required = false;
    nlohmann::json schema;
    nlohmann::json example;
    std::function<void(JsonReader&, T&)> read;
  };
  struct CrossRule {
    std::string doc;
    std::function<void(const T&, JsonReader&)> check;
    nlohmann::json schema;
  };

  void Add(std::string name, bool required, nlohmann::json schema, nlohmann::json example,
           std::function<void(JsonReader&, T&)> read) {
    fields_.push_back({std::move(name), required, std::move(schema), std::move(example), std::move(read)});
  }

  std::string description_;
  bool may_be_empty_ = false;
  std::vector<Field> fields_;
  std::vector<CrossRule> rules_;
};

}  // namespace anxin::http
