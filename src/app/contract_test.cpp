// The request schemas of the OpenAPI document and the handlers agree: for every route with a JSON
// body, bodies generated from its schema (a valid one, then one mutation at a time: a required
// field missing or null, a wrong type, a string too long or off its pattern, a number out of
// range, an unknown enum value, too many items, an unknown field; and no body at all, which only a
// route documenting its body as optional accepts) are accepted by the handler exactly when the
// schema accepts them, and a refusal names the mutated field. The same for every route with
// documented query parameters: values the parameter's schema refuses (a wrong type, too long, off
// its pattern or enum, out of bounds, a bad date, a required one missing) are answered 400 naming
// that parameter, and values it accepts (each enum value, the bounds, the longest text) are not
// refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/test_platform.hpp"
#include "common/clock.hpp"
#include "common/validation.hpp"
#include "notify/sms_sender.hpp"

namespace anxin::app {
namespace {

using nlohmann::json;

// --- A JSON Schema checker for the subset the API's schemas use --------------------------------

bool TypeMatches(const json& value, const std::string& type) {
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer() || value.is_number_unsigned();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "null") return value.is_null();
  return false;
}

// Returns true if `value` satisfies `schema`.
bool Valid(const json& schema, const json& value) {
  if (!schema.is_object()) return true;
  if (schema.contains("type")) {
    const json& type = schema["type"];
    bool any = false;
    if (type.is_string()) any = TypeMatches(value, type.get<std::string>());
    for (const json& t : type.is_array() ? type : json::array())
      any = any || TypeMatches(value, t.get<std::string>());
    if (!any) return false;
  }
  if (schema.contains("const") && schema["const"] != value) return false;
  if (schema.contains("enum")) {
    bool found = false;
    for (const json& option : schema["enum"]) found = found || option == value;
    if (!found) return false;
  }
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    const size_t length = IsValidUtf8(text) ? Utf8Length(text) : text.size();
    if (schema.contains("maxLength") && length > schema["maxLength"].get<size_t>()) return false;
    if (schema.contains("minLength") && length < schema["minLength"].get<size_t>()) return false;
    if (schema.contains("pattern") &&
        !std::regex_search(text, std::regex(schema["pattern"].get<std::string>(), std::regex::ECMAScript)))
      return false;
    const std::string format = schema.value("format", "");
    if (format == "date" && !ParseDate(text).ok()) return false;
    if (format == "date-time" && !ParseTimestamp(text).ok()) return false;
  }
  if (value.is_number_integer() || value.is_number_unsigned()) {
    if (schema.contains("minimum") && value.get<int64_t>() < schema["minimum"].get<int64_t>()) return false;
    if (schema.contains("maximum") && value.get<int64_t>() > schema["maximum"].get<int64_t>()) return false;
  }
  if (value.is_array()) {
    if (schema.contains("maxItems") && value.size() > schema["maxItems"].get<size_t>()) return false;
    if (schema.contains("minItems") && value.size() < schema["minItems"].get<size_t>()) return false;
    if (schema.contains("items")) {
      for (const json& item : value) {
        if (!Valid(schema["items"], item)) return false;
      }
    }
  }
  if (value.is_object()) {
    const json properties = schema.value("properties", json::object());
    for (const json& name : schema.value("required", json::array())) {
      if (!value.contains(name.get<std::string>())) return false;
    }
    for (const auto& [key, item] : value.items()) {
      if (properties.contains(key)) {
        if (!Valid(properties[key], item)) return false;
      } else if (schema.value("additionalProperties", true) == false) {
        return false;
      }
    }
  }
  for (const json& part : schema.value("allOf", json::array())) {
    if (!Valid(part, value)) return false;
  }
  if (schema.contains("oneOf")) {
    int matches = 0;
    for (const json& part : schema["oneOf"]) matches += Valid(part, value) ? 1 : 0;
    if (matches != 1) return false;
  }
  if (schema.contains("if")) {
    const bool condition = Valid(schema["if"], value);
    if (condition && schema.contains("then") && !Valid(schema["then"], value)) return false;
    if (!condition && schema.contains("else") && !Valid(schema["else"], value)) return false;
  }
  return true;
}

// Returns schema[key], or null when `schema` is not an object or has no such key.
json Get(const json& schema, const char* key) {
  if (!schema.is_object() || !schema.contains(key)) return nullptr;
  return schema.at(key);
}

// The schema of an object property after unwrapping nullability ({"oneOf": [s, null]}).
json Unwrapped(const json& schema) {
  if (!schema.is_object()) return json::object();
  if (schema.contains("oneOf")) {
    for (const json& part : schema["oneOf"]) {
      if (part.value("type", json()) != "null") return part;
    }
  }
  return schema;
}

std::string TypeOf(const json& schema) {
  const json type = Get(schema, "type");
  if (type.is_string()) return type.get<std::string>();
  for (const json& t : type.is_array() ? type : json::array()) {
    if (t != "null") return t.get<std::string>();
  }
  return "";
}

// Returns a value the schema accepts: its first example, else one built from its keywords.
json Sample(const json& raw) {
  const json schema = Unwrapped(raw);
  if (schema.contains("examples") && !schema["examples"].empty()) return schema["examples"][0];
  if (schema.contains("const")) return schema["const"];
  if (schema.contains("enum")) {
    for (const json& option : schema["enum"]) {
      if (!option.is_null()) return option;
    }
  }
  const std::string type = TypeOf(schema);
  if (type == "string") {
    const std::string format = schema.value("format", "");
    if (format == "date") return "2026-12-01";
    if (format == "date-time") return "2026-12-01T08:00:00+08:00";
    return std::string(std::max<size_t>(schema.value("minLength", size_t{1}), 1), 'A');
  }
  if (type == "integer") return schema.value("minimum", std::max<int64_t>(1, schema.value("minimum", 1)));
  if (type == "boolean") return false;
  if (type == "array") {
    json out = json::array();
    for (size_t i = 0; i < schema.value("minItems", size_t{0}); ++i)
      out.push_back(Sample(Get(schema, "items")));
    return out;
  }
  if (type == "object") {
    json out = json::object();
    const json properties = schema.value("properties", json::object());
    for (const auto& [key, property] : properties.items()) out[key] = Sample(property);
    if (Valid(schema, out)) return out;
    // A rule across fields (one of two fields, say) refuses every field at once: leave out one
    // optional field at a time until the body is valid.
    std::set<std::string> required;
    for (const json& name : schema.value("required", json::array())) required.insert(name.get<std::string>());
    for (const auto& [key, property] : properties.items()) {
      if (required.count(key) > 0) continue;
      json fewer = out;
      fewer.erase(key);
      if (Valid(schema, fewer)) return fewer;
    }
    return out;
  }
  return nullptr;
}

struct Case {
  std::string what;
  std::string field;  // the mutated field's path ("" for the valid body)
  json body;
};

// Builds the valid body and every single mutation of `schema`, recursing into nested objects.
void Mutations(const json& raw, const json& base, const std::string& prefix, std::vector<Case>& out) {
  const json schema = Unwrapped(raw);
  const json properties = schema.value("properties", json::object());
  std::set<std::string> required;
  for (const json& name : schema.value("required", json::array())) required.insert(name.get<std::string>());
  auto path = [&](const std::string& key) { return prefix.empty() ? key : prefix + "." + key; };
  auto with = [&](const std::string& key, const json& value) {
    json object = base;
    object[key] = value;
    return object;
  };
  auto add = [&](std::string what, const std::string& field, json object) {
    out.push_back({std::move(what), field, std::move(object)});
  };
  if (schema.value("additionalProperties", true) == false)
    add("unknown field", path("zz_unknown"), with("zz_unknown", 1));
  for (const auto& [key, property_raw] : properties.items()) {
    const json property = Unwrapped(property_raw);
    const std::string field = path(key);
    json removed = base;
    removed.erase(key);
    add(required.count(key) ? "required field missing" : "optional field missing", field, removed);
    add("null", field, with(key, nullptr));
    const std::string type = TypeOf(property);
    if (type == "string") {
      add("wrong type", field, with(key, 12345));
      if (property.contains("maxLength")) {
        const size_t max = property["maxLength"].get<size_t>();
        const json sample = Sample(property);
        std::string longer = sample.is_string() ? sample.get<std::string>() : "A";
        // Repeat the sample's last ASCII character (digits stay digits), else 'A'.
        const char filler =
            !longer.empty() && static_cast<unsigned char>(longer.back()) < 0x80 ? longer.back() : 'A';
        while (Utf8Length(longer) <= max) longer += filler;
        add("too long", field, with(key, longer));
      }
      if (property.contains("enum")) add("unknown enum value", field, with(key, "zz_not_a_value"));
      if (property.contains("pattern")) add("off pattern", field, with(key, "~"));
      if (property.contains("format")) add("bad format", field, with(key, "2026-02-30"));
    } else if (type == "integer") {
      add("wrong type", field, with(key, "1"));
      add("fraction", field, with(key, 1.5));
      if (property.contains("maximum"))
        add("above maximum", field, with(key, property["maximum"].get<int64_t>() + 1));
      if (property.contains("minimum"))
        add("below minimum", field, with(key, property["minimum"].get<int64_t>() - 1));
    } else if (type == "boolean") {
      add("wrong type", field, with(key, "true"));
    } else if (type == "array") {
      add("wrong type", field, with(key, "x"));
      if (property.contains("maxItems")) {
        json items = json::array();
        for (size_t i = 0; i <= property["maxItems"].get<size_t>(); ++i)
          items.push_back(Sample(Get(property, "items")));
        add("too many items", field, with(key, items));
      }
      if (TypeOf(Get(property, "items")) == "string") {
        add("item of wrong type", field + "[0]", with(key, json::array({12345})));
      }
    } else if (type == "object") {
      add("wrong type", field, with(key, "x"));
      const json child = base.contains(key) && base[key].is_object() ? base[key] : Sample(property);
      std::vector<Case> nested;
      Mutations(property, child, field, nested);
      for (Case& c : nested) add(c.what, c.field, with(key, c.body));
    }
  }
}

bool Structural(const std::string& code) {
  static const std::set<std::string> kCodes = {"required",      "wrong_type",         "too_long",
                                               "too_short",     "not_allowed",        "unknown_field",
                                               "out_of_range",  "invalid_format",     "too_many_items",
                                               "duplicate_key", "invalid_characters", "conflicting"};
  return kCodes.count(code) > 0;
}

std::string Dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// Fills a route's path parameters: a well-formed card number for {serial}, digits elsewhere.
std::string FillPattern(const std::string& pattern) {
  const std::string serial = std::regex_replace(pattern, std::regex("\\{serial\\}"), "ACC00000000018");
  return std::regex_replace(serial, std::regex("\\{[^}]+\\}"), "00000000000000000000");
}

constexpr const char* kSmsSecret = "contract-test-sms-secret";

// The headers a request to `route` needs besides its body's: the SMS webhook is signed over the
// exact body, every other route takes the administrator's token.
std::vector<std::pair<std::string, std::string>> HeadersFor(const std::string& pattern,
                                                            const std::string& body,
                                                            const std::string& token) {
  std::vector<std::pair<std::string, std::string>> headers = {{"Content-Type", "application/json"}};
  if (pattern == "/api/v1/sms/inbound") {
    const std::string timestamp = std::to_string(SystemClock().NowMs() / 1000);
    headers.emplace_back("X-Anxin-Timestamp", timestamp);
    headers.emplace_back("X-Anxin-Signature", notify::SignWebhook(kSmsSecret, timestamp, body));
  } else {
    headers.emplace_back("Authorization", "Bearer " + token);
  }
  return headers;
}

TEST(RouteContractTest, HandlersAcceptExactlyTheBodiesTheirSchemasAccept) {
  TestPlatform platform{std::string(kSmsSecret)};
  testing::HttpClient client(platform.port());
  const std::string token = platform.Login("admin");
  ASSERT_FALSE(token.empty());
  int routes = 0;
  int cases = 0;
  std::vector<std::string> mismatches;
  for (const auto& route : platform.app().router().routes()) {
    if (route.request_schema.is_null()) continue;
    const std::string name = route.method + " " + route.pattern;
    ++routes;
    const json valid = Sample(route.request_schema);
    if (!Valid(route.request_schema, valid)) {
      mismatches.push_back(name + ": the schema refuses its own sample " + Dump(valid));
      continue;
    }
    // No body at all: refused (malformed_json) unless the route documents its body as optional.
    {
      ++cases;
      const auto reply =
          client.Send(route.method, FillPattern(route.pattern), "", HeadersFor(route.pattern, "", token));
      const std::string code = reply.Json().is_object() ? reply.Json().value("code", "") : "";
      const bool refused = reply.status == 400 && (code == "malformed_json" || code == "validation_failed");
      if (refused == !route.request_body_required) {
        mismatches.push_back(name + ": no body: documented as " +
                             (route.request_body_required ? "required" : "optional") + ", handler answers " +
                             std::to_string(reply.status) + " " + reply.body.substr(0, 300));
      }
    }
    std::vector<Case> all = {{"valid body", "", valid}};
    Mutations(route.request_schema, valid, "", all);
    for (const Case& c : all) {
      ++cases;
      const bool schema_accepts = Valid(route.request_schema, c.body);
      const std::string body = Dump(c.body);
      const auto reply =
          client.Send(route.method, FillPattern(route.pattern), body, HeadersFor(route.pattern, body, token));
      const json problem = reply.Json().is_object() ? reply.Json() : json::object();
      bool handler_refuses = false;
      bool names_field = c.field.empty();
      if (reply.status == 400 && problem.value("code", "") == "validation_failed") {
        for (const json& error : problem.value("errors", json::array())) {
          const std::string field = error.value("field", "");
          if (!Structural(error.value("code", ""))) continue;
          handler_refuses = true;
          if (!c.field.empty() && (field == c.field || field.rfind(c.field, 0) == 0)) names_field = true;
        }
      }
      if (schema_accepts == handler_refuses) {
        mismatches.push_back(name + ": " + c.what + " (" + c.field + "): schema " +
                             (schema_accepts ? "accepts" : "refuses") + ", handler answers " +
                             std::to_string(reply.status) + " " + reply.body.substr(0, 300) + " for " +
                             Dump(c.body));
      } else if (handler_refuses && !names_field) {
        mismatches.push_back(name + ": " + c.what + ": the refusal does not name " + c.field + ": " +
                             reply.body.substr(0, 300));
      }
    }
  }
  EXPECT_GE(routes, 25);  // every route with a JSON body: one that silently drops out fails here
  EXPECT_GE(cases, 553);
  for (const std::string& mismatch : mismatches) ADD_FAILURE() << mismatch;
}

// --- Query strings -------------------------------------------------------------------------------

// The codes with which QuerySpec refuses a value its schema refuses.
bool StructuralQueryCode(const std::string& code) {
  static const std::set<std::string> kCodes = {"required",      "too_long",     "invalid_format",
                                               "invalid_date",  "out_of_range", "invalid_timestamp",
                                               "invalid_value", "not_allowed"};
  return kCodes.count(code) > 0;
}

// Returns `value` as a query string value: every byte but the unreserved ones percent-encoded.
std::string Encode(const std::string& value) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Returns the schema's sample (Sample above) as query text.
std::string QueryText(const json& schema) {
  const json sample = Sample(schema);
  if (sample.is_string()) return sample.get<std::string>();
  return sample.dump();
}

struct QueryCase {
  std::string what;
  std::string field;  // the parameter the case is about ("" for the required parameters alone)
  bool valid = true;  // whether the parameter's schema accepts the value
  std::map<std::string, std::string> query;
};

// Builds, for each documented parameter, values its schema accepts and values it refuses, each on
// top of `base` (every required parameter at its sample).
std::vector<QueryCase> QueryCases(const std::vector<http::QueryParameter>& parameters,
                                  const std::map<std::string, std::string>& base) {
  std::vector<QueryCase> out = {{"required parameters only", "", true, base}};
  for (const http::QueryParameter& parameter : parameters) {
    const json& schema = parameter.schema;
    const std::string& name = parameter.name;
    auto add = [&](std::string what, bool valid, std::optional<std::string> value) {
      std::map<std::string, std::string> query = base;
      if (value) {
        query[name] = *value;
      } else {
        query.erase(name);
      }
      if (Valid(schema, value ? json(*value) : json()) != valid && value && TypeOf(schema) == "string") {
        ADD_FAILURE() << name << ": the checker disagrees with the case " << what;
      }
      out.push_back({std::move(what), name, valid, std::move(query)});
    };
    add("sample", true, QueryText(schema));
    if (parameter.required) add("required parameter missing", false, std::nullopt);
    const std::string type = TypeOf(schema);
    if (type == "string") {
      const std::string sample = QueryText(schema);
      if (schema.contains("maxLength")) {
        const size_t max = schema["maxLength"].get<size_t>();
        const char filler =
            !sample.empty() && static_cast<unsigned char>(sample.back()) < 0x80 ? sample.back() : 'A';
        std::string longest = sample;
        while (longest.size() < max) longest += filler;
        // The longest text is valid unless a pattern or an enum decides the form.
        if (!schema.contains("pattern") && !schema.contains("enum") && !schema.contains("format"))
          add("longest", true, longest);
        add("too long", false, longest + filler);
      }
      if (schema.contains("enum")) {
        for (const json& option : schema["enum"])
          add("enum value " + option.get<std::string>(), true, option);
        add("unknown enum value", false, "zz_not_a_value");
      }
      if (schema.contains("pattern")) add("off pattern", false, "~");
      const std::string format = schema.value("format", "");
      if (format == "date") {
        add("bad date", false, "2026-02-30");
        add("not a date", false, "yesterday");
      }
      if (format == "date-time") {
        add("bad timestamp", false, "2026-02-30T08:00:00+08:00");
        add("not a timestamp", false, "yesterday");
      }
    } else if (type == "integer") {
      add("not a number", false, "abc");
      add("fraction", false, "1.5");
      add("empty", false, "");
      if (schema.contains("minimum")) {
        const int64_t min = schema["minimum"].get<int64_t>();
        add("at minimum", true, std::to_string(min));
        add("below minimum", false, std::to_string(min - 1));
      }
      if (schema.contains("maximum")) {
        const int64_t max = schema["maximum"].get<int64_t>();
        add("at maximum", true, std::to_string(max));
        add("above maximum", false, std::to_string(max + 1));
      }
    } else if (type == "boolean") {
      add("true", true, "true");
      add("not a boolean", false, "yes");
    }
  }
  return out;
}

TEST(RouteContractTest, HandlersRefuseExactlyTheQueryValuesTheirSchemasRefuse) {
  TestPlatform platform{std::string(kSmsSecret)};
  testing::HttpClient client(platform.port());
  const std::string token = platform.Login("admin");
  ASSERT_FALSE(token.empty());
  int routes = 0;
  int cases = 0;
  std::vector<std::string> mismatches;
  for (const auto& route : platform.app().router().routes()) {
    if (route.query_parameters.empty()) continue;
    const std::string name = route.method + " " + route.pattern;
    ++routes;
    std::map<std::string, std::string> base;
    for (const http::QueryParameter& parameter : route.query_parameters) {
      if (parameter.description.empty())
        mismatches.push_back(name + ": " + parameter.name + " has no description");
      if (parameter.required) base[parameter.name] = QueryText(parameter.schema);
    }
    for (const QueryCase& c : QueryCases(route.query_parameters, base)) {
      ++cases;
      std::string target = FillPattern(route.pattern);
      char separator = '?';
      for (const auto& [key, value] : c.query) {
        target += separator + key + "=" + Encode(value);
        separator = '&';
      }
      const auto reply = client.Send(route.method, target, "", {{"Authorization", "Bearer " + token}});
      const json problem = reply.Json().is_object() ? reply.Json() : json::object();
      // Refused: 400 validation_failed with a structural code at the case's parameter (at any
      // parameter for the case of the required parameters alone).
      bool refused = false;
      std::string codes;
      if (reply.status == 400 && problem.value("code", "") == "validation_failed") {
        for (const json& error : problem.value("errors", json::array())) {
          const std::string field = error.value("field", "");
          const std::string code = error.value("code", "");
          codes += field + ":" + code + " ";
          if (StructuralQueryCode(code) && (c.field.empty() || field == c.field)) refused = true;
        }
      }
      if (refused == c.valid) {
        mismatches.push_back(name + " " + c.field + ": " + c.what + " (" + target + "): schema " +
                             (c.valid ? "accepts" : "refuses") + ", handler answers " +
                             std::to_string(reply.status) + " " + codes + reply.body.substr(0, 200));
      }
    }
  }
  EXPECT_GE(routes, 19);  // every route with a query string: one that silently drops out fails here
  EXPECT_GE(cases, 310);
  for (const std::string& mismatch : mismatches) ADD_FAILURE() << mismatch;
}

}  // namespace
}  // namespace anxin::app
