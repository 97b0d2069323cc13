#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "http/router.hpp"

namespace anxin::http {

// Reads typed fields from a JSON object, collecting every problem (missing, wrong type, too long,
// out of range, unknown field) with its JSON path, so one response lists them all.
//
//   ANXIN_ASSIGN_OR_RETURN(JsonReader in, JsonReader::Parse(request));
//   auto login = in.String("login", {.required = true, .max_len = 64});
//   ANXIN_RETURN_IF_ERROR(in.Finish());
//
// After Finish() returns OK, every required field read is present (its optional has a value).
class JsonReader {
 public:
  // Strings must not contain control characters ("invalid_characters"). JSON null counts as
  // absent for every reader. A required string that is empty after trimming is "required".
  struct StringRule {
    bool required = false;
    size_t min_len = 0;    // in Unicode code points, after trimming
    size_t max_len = 200;  // in Unicode code points
    bool trim = true;      // strip surrounding white space (including U+3000 and U+00A0)
  };
  struct IntRule {
    bool required = false;
    int64_t min = INT64_MIN;
    int64_t max = INT64_MAX;
  };

  // Parses the request body: checks Content-Type is application/json (415 otherwise, reason
  // "unsupported_media_type"), that the body is valid UTF-8 and JSON ("malformed_json"), that no
  // object repeats a key ("validation_failed", code "duplicate_key" at the repeated key's path: a
  // duplicate is refused, never resolved by keeping one of the values), and that it is an object
  // ("validation_failed" at field "").
  static Result<JsonReader> Parse(const Request& request);

  // Wraps an already parsed object; `path` is the prefix used in error fields ("holder").
  JsonReader(const nlohmann::json& object, std::string path);

  std::optional<std::string> String(std::string_view name, StringRule rule);
  std::optional<int64_t> Int(std::string_view name, IntRule rule);
  std::optional<bool> Bool(std::string_view name, bool required);
  // A string that must be one of `allowed`.
  std::optional<std::string> Enum(std::string_view name, const std::vector<std::string>& allowed,
                                  bool required);
  // An array of strings (each checked against `item`, errors at "name[i]"), at most `max_items`
  // ("too_many_items"); a required list must not be empty.
  std::optional<std::vector<std::string>> StringList(std::string_view name, StringRule item, size_t max_items,
                                                     bool required);
  // A nested object; its errors join this reader's. Returns nullopt when absent or not an object.
  std::optional<JsonReader> Object(std::string_view name, bool required);
  // Returns the raw value of `name` (marking it as read), or null when absent.
  const nlohmann::json* Raw(std::string_view name);

  // Records an error found by the caller (cross-field rules).
  void AddError(std::string_view name, std::string code, Text message);

  // Reports unknown fields (code "unknown_field") of this reader and nested ones read through it.
  // Returns OK or a kInvalidArgument "validation_failed" status listing every error.
  Status Finish();

  [[nodiscard]] const nlohmann::json& json() const { return *object_; }
  // Returns the number of errors recorded so far (this reader and every reader sharing its body).
  [[nodiscard]] size_t error_count() const { return errors_->size(); }

 private:
  // One JSON object being read: the fields read so far and the nested readers opened from it, so
  // Finish() can report unknown fields at every level. Shared by copies of a reader.
  struct Node {
    const nlohmann::json* object = nullptr;
    std::string path;
    std::set<std::string, std::less<>> read;
    std::vector<std::shared_ptr<Node>> children;
    bool unknown_reported = false;
  };

  JsonReader(std::shared_ptr<const nlohmann::json> owned, const nlohmann::json* object, std::string path,
             std::shared_ptr<std::vector<FieldError>> errors);

  std::string FieldPath(std::string_view name) const;
  // Returns the value of `name` (marking it read), or null when absent or JSON null.
  const nlohmann::json* Lookup(std::string_view name);
  // Checks one string value against `rule`; records errors at `field`. Returns the cleaned value.
  std::optional<std::string> CheckString(const nlohmann::json& value, const std::string& field,
                                         const StringRule& rule);
  static void ReportUnknown(Node& node, std::vector<FieldError>& errors);

  std::shared_ptr<const nlohmann::json> owned_;  // set when a reader parsed the body itself
  const nlohmann::json* object_;
  std::shared_ptr<Node> node_;
  std::shared_ptr<std::vector<FieldError>> errors_;  // shared with nested readers
};

}  // namespace anxin::http
