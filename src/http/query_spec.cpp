#include "http/query_spec.hpp"

#include <charconv>
#include <cstdlib>

#include "common/text.hpp"
#include "common/validation.hpp"

namespace anxin::http::query_spec_internal {
namespace {

Text RequiredText() { return {"必填", "This parameter is required"}; }

// Returns the raw parameter, or nullopt (recording "required" when it must be present).
std::optional<std::string> Raw(const Request& request, const std::string& name, bool required,
                               bool empty_is_absent, std::vector<FieldError>& errors) {
  std::optional<std::string> value = request.Query(name);
  if (value && value->empty() && empty_is_absent) value.reset();
  if (!value && required) errors.push_back({name, "required", RequiredText()});
  return value;
}

}  // namespace

std::optional<std::string> ReadText(const Request& request, const std::string& name,
                                    const QueryTextField& rule, const std::regex* pattern,
                                    std::vector<FieldError>& errors) {
  std::optional<std::string> value = Raw(request, name, rule.required, true, errors);
  // Invalid UTF-8 would break the JSON of an answer and PostgreSQL's text; control characters
  // have no place in a filter.
  if (value && (!IsValidUtf8(*value) || HasControlCharacters(*value))) {
    errors.push_back({name, "invalid_format", {"包含无效字符", "Contains invalid characters"}});
    return std::nullopt;
  }
  if (value && value->size() > rule.max_len) {
    const std::string n = std::to_string(rule.max_len);
    errors.push_back({name, "too_long", {"查询参数过长（最多 " + n + " 字节）", "At most " + n + " bytes"}});
    return std::nullopt;
  }
  if (value && pattern != nullptr && !std::regex_search(*value, *pattern)) {
    errors.push_back({name, "invalid_format", {"格式不正确", "Does not match the expected format"}});
    return std::nullopt;
  }
  return value;
}

std::optional<Date> ReadDate(const Request& request, const std::string& name, bool required,
                             std::vector<FieldError>& errors) {
  std::optional<std::string> text = Raw(request, name, required, false, errors);
  if (!text) return std::nullopt;
  Result<Date> date = ParseDate(*text);
  if (!date.ok()) {
    errors.push_back(
        {name, "invalid_date", {"日期无效，应为 YYYY-MM-DD", "Invalid date; expected YYYY-MM-DD"}});
    return std::nullopt;
  }
  return *date;
}

std::optional<int64_t> ReadTimestamp(const Request& request, const std::string& name, bool required,
                                     std::vector<FieldError>& errors) {
  std::optional<std::string> text = Raw(request, name, required, false, errors);
  if (!text) return std::nullopt;
  Result<int64_t> ms = ParseTimestamp(*text);
  if (!ms.ok()) {
    errors.push_back({name,
                      "invalid_timestamp",
                      {"时间无效，应为 RFC 3339 格式",
                       "Invalid timestamp; expected RFC 3339 (2026-01-31T08:00:00+08:00)"}});
    return std::nullopt;
  }
  return *ms;
}

std::optional<int64_t> ReadInt(const Request& request, const std::string& name, const QueryIntField& rule,
                               std::vector<FieldError>& errors) {
  std::optional<std::string> text = Raw(request, name, rule.required, false, errors);
  if (!text) return std::nullopt;
  int64_t value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (text->empty() || ec != std::errc() || ptr != end || value < rule.min || value > rule.max) {
    const std::string range = std::to_string(rule.min) + "-" + std::to_string(rule.max);
    errors.push_back(
        {name, "out_of_range", {name + " 须为 " + range + " 的整数", name + " must be an integer " + range}});
    return std::nullopt;
  }
  return value;
}

std::optional<bool> ReadBool(const Request& request, const std::string& name, bool required,
                             std::vector<FieldError>& errors) {
  std::optional<std::string> text = Raw(request, name, required, false, errors);
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  errors.push_back({name, "invalid_value", {name + " 须为 true 或 false", name + " must be true or false"}});
  return std::nullopt;
}

std::optional<std::string> ReadEnum(const Request& request, const std::string& name,
                                    const std::vector<std::string>& names, bool required,
                                    std::vector<FieldError>& errors) {
  std::optional<std::string> text = Raw(request, name, required, true, errors);
  if (!text) return std::nullopt;
  for (const std::string& option : names) {
    if (option == *text) return text;
  }
  std::string list;
  for (const std::string& option : names) list += (list.empty() ? "" : ", ") + option;
  errors.push_back({name, "not_allowed", {"必须是以下之一：" + list, "Must be one of: " + list}});
  return std::nullopt;
}

std::optional<RevealQuery> ReadReveal(const Request& request, const std::vector<std::string>& fields,
                                      std::vector<FieldError>& errors) {
  RevealQuery reveal;
  std::optional<std::string> list = Raw(request, "reveal", false, true, errors);
  bool ok = true;
  if (list && list->size() > kMaxRevealBytes) {
    errors.push_back({"reveal", "too_long", {"reveal 过长", "reveal is too long"}});
    ok = false;
  } else if (list) {
    // Every item must name a field: "phone,,id_number" and a trailing comma are refused too.
    size_t begin = 0;
    while (begin <= list->size()) {
      size_t comma = list->find(',', begin);
      if (comma == std::string::npos) comma = list->size();
      const std::string field = list->substr(begin, comma - begin);
      bool known = false;
      for (const std::string& allowed : fields) known = known || allowed == field;
      if (known) {
        reveal.fields.insert(field);
      } else {
        ok = false;
      }
      begin = comma + 1;
    }
    if (!ok) {
      std::string names;
      for (const std::string& allowed : fields) names += (names.empty() ? "" : ", ") + allowed;
      errors.push_back(
          {"reveal", "not_allowed", {"reveal 只能包含：" + names, "reveal may name only: " + names}});
    }
  }
  std::optional<std::string> purpose = Raw(request, "purpose", false, true, errors);
  if (purpose && purpose->size() > kMaxPurposeBytes) {
    errors.push_back({"purpose", "too_long", {"用途说明过长", "The purpose is too long"}});
    ok = false;
  }
  if (!ok) return std::nullopt;
  reveal.purpose = purpose.value_or("");
  return reveal;
}

nlohmann::json TextSchema(const QueryTextField& rule) {
  nlohmann::json schema = {{"type", "string"}, {"maxLength", rule.max_len}};
  if (!rule.pattern.empty()) schema["pattern"] = rule.pattern;
  return schema;
}

std::shared_ptr<const std::regex> CompilePattern(const std::string& pattern) {
  if (pattern.empty()) return nullptr;
  try {
    return std::make_shared<const std::regex>(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error&) {
    std::abort();  // a declaration's pattern is a constant: an invalid one is a programming error
  }
}

QueryParameter Parameter(std::string name, bool required, nlohmann::json schema,
                         const std::string& description, const nlohmann::json& example) {
  QueryParameter parameter(std::move(name));
  parameter.required = required;
  if (!example.is_null()) schema["examples"] = nlohmann::json::array({example});
  parameter.schema = std::move(schema);
  parameter.description = description;
  return parameter;
}

}  // namespace anxin::http::query_spec_internal
