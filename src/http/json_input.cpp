#include "http/json_input.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "common/text.hpp"
#include "common/validation.hpp"

namespace anxin::http {
namespace {

// Deeper documents are refused: nothing the API accepts nests this far, and it bounds the work of
// every recursive walk over a parsed body.
constexpr size_t kMaxDepth = 64;

using Json = nlohmann::json;

// Builds the DOM like nlohmann's own parser, but records where parsing failed, refuses documents
// nested deeper than kMaxDepth, and refuses an object that repeats a key (nlohmann would keep the
// last value). Never throws.
class BoundedDomParser : public nlohmann::detail::json_sax_dom_parser<Json> {
 public:
  explicit BoundedDomParser(Json& root) : json_sax_dom_parser(root, /*allow_exceptions_=*/false) {}

  bool null() { return Value() && json_sax_dom_parser::null(); }
  bool boolean(bool value) { return Value() && json_sax_dom_parser::boolean(value); }
  bool number_integer(number_integer_t value) {
    return Value() && json_sax_dom_parser::number_integer(value);
  }
  bool number_unsigned(number_unsigned_t value) {
    return Value() && json_sax_dom_parser::number_unsigned(value);
  }
  bool number_float(number_float_t value, const string_t& text) {
    return Value() && json_sax_dom_parser::number_float(value, text);
  }
  bool string(string_t& value) { return Value() && json_sax_dom_parser::string(value); }

  bool start_object(std::size_t len) {
    if (!Value()) return false;
    if (levels_.size() + 1 > kMaxDepth) return TooDeep();
    levels_.push_back({.object = true});
    return json_sax_dom_parser::start_object(len);
  }
  bool key(string_t& name) {
    Level& level = levels_.back();
    if (!level.keys.insert(name).second) {
      duplicate_key_ = PathTo(name);
      return false;
    }
    level.key = name;
    return json_sax_dom_parser::key(name);
  }
  bool end_object() {
    levels_.pop_back();
    return json_sax_dom_parser::end_object();
  }
  bool start_array(std::size_t len) {
    if (!Value()) return false;
    if (levels_.size() + 1 > kMaxDepth) return TooDeep();
    levels_.push_back({.object = false});
    return json_sax_dom_parser::start_array(len);
  }
  bool end_array() {
    levels_.pop_back();
    return json_sax_dom_parser::end_array();
  }
  template <typename Exception>
  bool parse_error(std::size_t position, const std::string& /*last_token*/, const Exception& /*ex*/) {
    error_offset_ = position;
    return false;
  }

  [[nodiscard]] bool too_deep() const { return too_deep_; }
  [[nodiscard]] size_t error_offset() const { return error_offset_; }
  // The path of a repeated key ("holder.name", "items[2].code"), when parsing stopped at one.
  [[nodiscard]] const std::optional<std::string>& duplicate_key() const { return duplicate_key_; }

 private:
  struct Level {
    bool object = false;
    std::set<std::string> keys;  // objects: the keys seen so far
    std::string key;             // objects: the key of the value being read
    size_t values = 0;           // arrays: the values started so far
  };

  // Counts a value starting at the current level (arrays number their elements this way).
  bool Value() {
    if (!levels_.empty() && !levels_.back().object) ++levels_.back().values;
    return true;
  }

  // Returns the path of key `name` in the innermost object.
  std::string PathTo(const std::string& name) const {
    std::string path;
    for (size_t i = 0; i + 1 < levels_.size(); ++i) {
      const Level& level = levels_[i];
      if (level.object) {
        path += (path.empty() ? "" : ".") + level.key;
      } else {
        path += "[" + std::to_string(level.values - 1) + "]";
      }
    }
    return path.empty() ? name : path + "." + name;
  }

  bool TooDeep() {
    too_deep_ = true;
    return false;
  }

  std::vector<Level> levels_;
  bool too_deep_ = false;
  size_t error_offset_ = 0;
  std::optional<std::string> duplicate_key_;
};

Status MalformedJson(Text message) {
  return {StatusCode::kInvalidArgument, "malformed_json", std::move(message)};
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view TrimAscii(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Returns true for "application/json" with at most a UTF-8 charset parameter.
bool IsJsonContentType(std::string_view header) {
  size_t semicolon = header.find(';');
  if (Lower(TrimAscii(header.substr(0, semicolon))) != "application/json") return false;
  while (semicolon != std::string_view::npos) {
    header.remove_prefix(semicolon + 1);
    semicolon = header.find(';');
    std::string parameter = Lower(TrimAscii(header.substr(0, semicolon)));
    if (parameter.empty()) continue;
    if (parameter.rfind("charset=", 0) == 0) {
      std::string charset = parameter.substr(8);
      charset.erase(std::remove(charset.begin(), charset.end(), '"'), charset.end());
      if (charset != "utf-8" && charset != "utf8") return false;
    }
  }
  return true;
}

std::string_view TypeNameZh(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return "字符串";
    case Json::value_t::boolean:
      return "布尔值";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "整数";
    case Json::value_t::number_float:
      return "小数";
    case Json::value_t::array:
      return "数组";
    case Json::value_t::object:
      return "对象";
    default:
      return "空值";
  }
}

Text WrongType(const Json& value, std::string_view expected_zh, std::string_view expected_en) {
  return {"应为" + std::string(expected_zh) + "，实际为" + std::string(TypeNameZh(value)),
          "Expected " + std::string(expected_en) + ", got " + std::string(value.type_name())};
}

Text Required() { return {"必填", "This field is required"}; }

}  // namespace

Result<JsonReader> JsonReader::Parse(const Request& request) {
  if (!IsJsonContentType(request.Header("content-type"))) {
    return Status::Detailed(StatusDetail::kUnsupportedMediaType, "unsupported_media_type",
                            {"请求体必须是 JSON（Content-Type: application/json）",
                             "The request body must be JSON (Content-Type: application/json)"});
  }
  if (request.body.empty()) return MalformedJson({"请求体为空", "The request body is empty"});
  if (!IsValidUtf8(request.body)) {
    return MalformedJson({"请求体不是有效的 UTF-8 文本", "The request body is not valid UTF-8"});
  }
  auto document = std::make_shared<Json>();
  BoundedDomParser parser(*document);
  bool parsed = false;
  try {
    parsed = Json::sax_parse(request.body, &parser, Json::input_format_t::json, /*strict=*/true);
  } catch (const std::exception&) {
    parsed = false;  // defensive: the SAX parser reports errors through parse_error
  }
  if (parser.duplicate_key()) {
    return Status::Invalid(
        {FieldError{*parser.duplicate_key(),
                    "duplicate_key",
                    {"JSON 对象中有重复的字段", "The field appears more than once in its JSON object"}}});
  }
  if (parser.too_deep()) {
    return MalformedJson({"JSON 嵌套层数超过 " + std::to_string(kMaxDepth),
                          "JSON is nested deeper than " + std::to_string(kMaxDepth) + " levels"});
  }
  if (!parsed) {
    std::string offset = std::to_string(parser.error_offset());
    return MalformedJson(
        {"JSON 格式错误（第 " + offset + " 字节附近）", "Malformed JSON near byte " + offset});
  }
  if (!document->is_object()) {
    return Status::Invalid(
        {FieldError{"", "wrong_type", WrongType(*document, "JSON 对象", "a JSON object")}});
  }
  const Json* object = document.get();
  return JsonReader(std::move(document), object, "", std::make_shared<std::vector<FieldError>>());
}

JsonReader::JsonReader(const nlohmann::json& object, std::string path)
    : JsonReader(nullptr, &object, std::move(path), std::make_shared<std::vector<FieldError>>()) {}

JsonReader::JsonReader(std::shared_ptr<const nlohmann::json> owned, const nlohmann::json* object,
                       std::string path, std::shared_ptr<std::vector<FieldError>> errors)
    : owned_(std::move(owned)), object_(object), node_(std::make_shared<Node>()), errors_(std::move(errors)) {
  node_->object = object;
  node_->path = std::move(path);
}

std::string JsonReader::FieldPath(std::string_view name) const {
  if (node_->path.empty()) return std::string(name);
  if (name.empty()) return node_->path;
  return node_->path + "." + std::string(name);
}

const nlohmann::json* JsonReader::Raw(std::string_view name) {
  node_->read.emplace(name);
  if (!object_->is_object()) return nullptr;
  auto it = object_->find(name);
  return it == object_->end() ? nullptr : &*it;
}

const nlohmann::json* JsonReader::Lookup(std::string_view name) {
  const Json* value = Raw(name);
  return value == nullptr || value->is_null() ? nullptr : value;
}

void JsonReader::AddError(std::string_view name, std::string code, Text message) {
  errors_->push_back(FieldError{FieldPath(name), std::move(code), std::move(message)});
}

std::optional<std::string> JsonReader::CheckString(const nlohmann::json& value, const std::string& field,
                                                   const StringRule& rule) {
  if (!value.is_string()) {
    errors_->push_back({field, "wrong_type", WrongType(value, "字符串", "a string")});
    return std::nullopt;
  }
  const auto& raw = value.get_ref<const std::string&>();
  // The body was checked to be UTF-8 and nlohmann rejects unpaired \u surrogates, but a reader
  // built over a caller's object gets no such guarantee.
  if (!IsValidUtf8(raw)) {
    errors_->push_back({field, "invalid_characters", {"包含无效字符", "Contains invalid characters"}});
    return std::nullopt;
  }
  std::string_view text = rule.trim ? Trim(raw) : std::string_view(raw);
  if (HasControlCharacters(text)) {
    errors_->push_back({field, "invalid_characters", {"包含控制字符", "Contains control characters"}});
    return std::nullopt;
  }
  size_t length = Utf8Length(text);
  if (rule.required && length == 0) {
    errors_->push_back({field, "required", Required()});
    return std::nullopt;
  }
  if (length < rule.min_len) {
    std::string n = std::to_string(rule.min_len);
    errors_->push_back(
        {field, "too_short", {"至少 " + n + " 个字符", "Must be at least " + n + " characters"}});
    return std::nullopt;
  }
  if (length > rule.max_len) {
    std::string n = std::to_string(rule.max_len);
    errors_->push_back(
        {field, "too_long", {"最多 " + n + " 个字符", "Must be at most " + n + " characters"}});
    return std::nullopt;
  }
  return std::string(text);
}

std::optional<std::string> JsonReader::String(std::string_view name, StringRule rule) {
  const Json* value = Lookup(name);
  if (value == nullptr) {
    if (rule.required) AddError(name, "required", Required());
    return std::nullopt;
  }
  return CheckString(*value, FieldPath(name), rule);
}

std::optional<int64_t> JsonReader::Int(std::string_view name, IntRule rule) {
  const Json* value = Lookup(name);
  if (value == nullptr) {
    if (rule.required) AddError(name, "required", Required());
    return std::nullopt;
  }
  Text range{"必须在 " + std::to_string(rule.min) + " 到 " + std::to_string(rule.max) + " 之间",
             "Must be between " + std::to_string(rule.min) + " and " + std::to_string(rule.max)};
  int64_t number = 0;
  if (value->is_number_unsigned()) {
    auto unsigned_value = value->get<uint64_t>();
    if (unsigned_value > static_cast<uint64_t>(INT64_MAX)) {
      AddError(name, "out_of_range", std::move(range));
      return std::nullopt;
    }
    number = static_cast<int64_t>(unsigned_value);
  } else if (value->is_number_integer()) {
    number = value->get<int64_t>();
  } else {
    AddError(name, "wrong_type", WrongType(*value, "整数", "an integer"));
    return std::nullopt;
  }
  if (number < rule.min || number > rule.max) {
    AddError(name, "out_of_range", std::move(range));
    return std::nullopt;
  }
  return number;
}

std::optional<bool> JsonReader::Bool(std::string_view name, bool required) {
  const Json* value = Lookup(name);
  if (value == nullptr) {
    if (required) AddError(name, "required", Required());
    return std::nullopt;
  }
  if (!value->is_boolean()) {
    AddError(name, "wrong_type", WrongType(*value, "布尔值", "a boolean"));
    return std::nullopt;
  }
  return value->get<bool>();
}

std::optional<std::string> JsonReader::Enum(std::string_view name, const std::vector<std::string>& allowed,
                                            bool required) {
  const Json* value = Lookup(name);
  if (value == nullptr) {
    if (required) AddError(name, "required", Required());
    return std::nullopt;
  }
  if (!value->is_string()) {
    AddError(name, "wrong_type", WrongType(*value, "字符串", "a string"));
    return std::nullopt;
  }
  const auto& text = value->get_ref<const std::string&>();
  if (std::find(allowed.begin(), allowed.end(), text) == allowed.end()) {
    std::string list;
    for (const std::string& option : allowed) {
      if (!list.empty()) list += ", ";
      list += option;
    }
    AddError(name, "not_allowed", {"必须是以下之一：" + list, "Must be one of: " + list});
    return std::nullopt;
  }
  return text;
}

std::optional<std::vector<std::string>> JsonReader::StringList(std::string_view name, StringRule item,
                                                               size_t max_items, bool required) {
  const Json* value = Lookup(name);
  if (value == nullptr) {
    if (required) AddError(name, "required", Required());
    return std::nullopt;
  }
  if (!value->is_array()) {
    AddError(name, "wrong_type", WrongType(*value, "数组", "an array"));
    return std::nullopt;
  }
  if (value->size() > max_items) {
    std::string n = std::to_string(max_items);
    AddError(name, "too_many_items", {"最多 " + n + " 项", "At most " + n + " items"});
    return std::nullopt;
  }
  if (required && value->empty()) {
    AddError(name, "required", Required());
    return std::nullopt;
  }
  std::vector<std::string> items;
  bool ok = true;
  const std::string field = FieldPath(name);
  for (size_t i = 0; i < value->size(); ++i) {
    std::optional<std::string> text = CheckString((*value)[i], field + "[" + std::to_string(i) + "]", item);
    if (!text) {
      ok = false;
      continue;
    }
    items.push_back(std::move(*text));
  }
  if (!ok) return std::nullopt;
  return items;
}

std::optional<JsonReader> JsonReader::Object(std::string_view name, bool required) {
  const Json* value = Lookup(name);
  if (value == nullptr) {
    if (required) AddError(name, "required", Required());
    return std::nullopt;
  }
  if (!value->is_object()) {
    AddError(name, "wrong_type", WrongType(*value, "对象", "an object"));
    return std::nullopt;
  }
  JsonReader child(owned_, value, FieldPath(name), errors_);
  for (const std::shared_ptr<Node>& existing : node_->children) {
    if (existing->object == value) {
      child.node_ = existing;
      return child;
    }
  }
  node_->children.push_back(child.node_);
  return child;
}

void JsonReader::ReportUnknown(Node& node, std::vector<FieldError>& errors) {
  if (!node.unknown_reported && node.object->is_object()) {
    node.unknown_reported = true;
    for (const auto& [key, value] : node.object->items()) {
      if (node.read.count(key) > 0) continue;
      std::string field = node.path.empty() ? key : node.path + "." + key;
      errors.push_back({std::move(field), "unknown_field", {"不支持的字段", "Unknown field"}});
    }
  }
  for (const std::shared_ptr<Node>& child : node.children) ReportUnknown(*child, errors);
}

Status JsonReader::Finish() {
  ReportUnknown(*node_, *errors_);
  if (errors_->empty()) return Status::Ok();
  return Status::Invalid(*errors_);
}

}  // namespace anxin::http
