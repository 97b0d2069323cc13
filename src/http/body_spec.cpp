#include "http/body_spec.hpp"

#include <cstdlib>

#include <spdlog/spdlog.h>

#include "common/clock.hpp"

namespace anxin::http::body_spec_internal {
namespace {

void Describe(nlohmann::json& schema, const std::string& description, const nlohmann::json& example) {
  if (!description.empty()) schema["description"] = description;
  if (!example.is_null()) schema["examples"] = nlohmann::json::array({example});
}

}  // namespace

nlohmann::json StringSchema(const StringField& rule) {
  nlohmann::json schema = {{"type", "string"}, {"maxLength", rule.max_len}};
  const size_t min_len = rule.required ? std::max<size_t>(rule.min_len, 1) : rule.min_len;
  if (min_len > 0) schema["minLength"] = min_len;
  if (!rule.pattern.empty()) schema["pattern"] = rule.pattern;
  if (!rule.format.empty()) schema["format"] = rule.format;
  Describe(schema, rule.description, rule.example);
  return schema;
}

nlohmann::json IntSchema(const IntField& rule) {
  nlohmann::json schema = {{"type", "integer"}};
  if (rule.min != INT64_MIN) schema["minimum"] = rule.min;
  if (rule.max != INT64_MAX) schema["maximum"] = rule.max;
  Describe(schema, rule.description, rule.example);
  return schema;
}

nlohmann::json BoolSchema(const BoolField& rule) {
  nlohmann::json schema = {{"type", "boolean"}};
  Describe(schema, rule.description, rule.example);
  return schema;
}

nlohmann::json EnumSchema(const std::vector<std::string>& names, const EnumField& rule) {
  nlohmann::json schema = {{"type", "string"}, {"enum", names}};
  Describe(schema, rule.description, rule.example);
  return schema;
}

nlohmann::json ListSchema(const ListField& rule) {
  StringField item = rule.item;
  item.required = true;  // items may not be empty strings
  nlohmann::json schema = {{"type", "array"}, {"items", StringSchema(item)}, {"maxItems", rule.max_items}};
  if (rule.required) schema["minItems"] = 1;
  Describe(schema, rule.description, nullptr);
  return schema;
}

nlohmann::json NullableSchema(nlohmann::json schema) {
  if (schema.contains("type") && schema["type"].is_string()) {
    schema["type"] = nlohmann::json::array({schema["type"], "null"});
    if (schema.contains("enum")) schema["enum"].push_back(nullptr);
    return schema;
  }
  return {{"oneOf", nlohmann::json::array({std::move(schema), {{"type", "null"}}})}};
}

std::shared_ptr<const std::regex> CompilePattern(const std::string& pattern) {
  if (pattern.empty()) return nullptr;
  try {
    return std::make_shared<const std::regex>(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    spdlog::critical("body spec: invalid pattern {}: {}", pattern, e.what());
    std::abort();
  }
}

bool CheckStringExtras(JsonReader& in, const std::string& name, const std::string& value,
                       const StringField& rule, const std::regex* pattern) {
  if (pattern != nullptr && !std::regex_search(value, *pattern)) {
    Text message{"格式不正确", "Invalid format"};
    if (!rule.description.empty()) message.en += ": " + rule.description;
    in.AddError(name, "invalid_format", std::move(message));
    return false;
  }
  if (rule.format == "date" && !ParseDate(value).ok()) {
    in.AddError(name, "invalid_format", {"日期无效，应为 YYYY-MM-DD", "Invalid date; expected YYYY-MM-DD"});
    return false;
  }
  if (rule.format == "date-time" && !ParseTimestamp(value).ok()) {
    in.AddError(
        name, "invalid_format",
        {"时间无效，应为 RFC 3339 格式", "Invalid timestamp; expected RFC 3339 (2026-01-31T08:00:00+08:00)"});
    return false;
  }
  return true;
}

JsonReader::StringRule ReaderRule(const StringField& rule) {
  return {.required = rule.required, .min_len = rule.min_len, .max_len = rule.max_len, .trim = rule.trim};
}

}  // namespace anxin::http::body_spec_internal
