#include "http/openapi.hpp"

#include <cctype>
#include <set>
#include <string>
#include <vector>

namespace anxin::http {
namespace {

using Json = nlohmann::json;

std::vector<std::string> PathParameters(std::string_view pattern) {
  std::vector<std::string> names;
  size_t open = pattern.find('{');
  while (open != std::string_view::npos) {
    size_t close = pattern.find('}', open);
    if (close == std::string_view::npos) break;
    names.emplace_back(pattern.substr(open + 1, close - open - 1));
    open = pattern.find('{', close);
  }
  return names;
}

std::string Capitalized(std::string_view word) {
  std::string out;
  bool upper = true;
  for (char c : word) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

// "GET /api/v1/products/{code}" -> "getApiV1ProductsByCode".
std::string OperationId(const Route& route) {
  std::string id;
  for (char c : route.method) id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view pattern = route.pattern;
  while (!pattern.empty()) {
    size_t slash = pattern.find('/');
    std::string_view segment = pattern.substr(0, slash);
    if (segment.size() >= 2 && segment.front() == '{' && segment.back() == '}') {
      id += "By" + Capitalized(segment.substr(1, segment.size() - 2));
    } else {
      id += Capitalized(segment);
    }
    if (slash == std::string_view::npos) break;
    pattern.remove_prefix(slash + 1);
  }
  return id;
}

Json ProblemSchema() {
  return {
      {"type", "object"},
      {"description", "RFC 9457 problem details; `code` is stable, `detail` is in the requested language."},
      {"required", {"type", "title", "status", "code", "detail", "errors", "request_id"}},
      {"properties",
       {{"type", {{"type", "string"}, {"format", "uri"}}},
        {"title", {{"type", "string"}}},
        {"status", {{"type", "integer"}}},
        {"code", {{"type", "string"}}},
        {"detail", {{"type", "string"}}},
        {"errors",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"required", {"field", "code", "message"}},
            {"properties",
             {{"field", {{"type", "string"}}},
              {"code", {{"type", "string"}}},
              {"message", {{"type", "string"}}}}}}}}},
        {"request_id", {{"type", "string"}}}}},
  };
}

Json ProblemResponseObject(std::string description) {
  return {
      {"description", std::move(description)},
      {"content", {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
}

Json Operation(const Route& route, std::set<std::string>& operation_ids) {
  Json operation = Json::object();
  std::string id = OperationId(route);
  for (int n = 2; operation_ids.count(id) > 0; ++n) id = OperationId(route) + std::to_string(n);
  operation_ids.insert(id);
  operation["operationId"] = id;
  operation["summary"] = route.summary;
  if (!route.tag.empty()) operation["tags"] = {route.tag};
  std::string description = route.description;
  if (route.access == Access::kPermission) {
    description +=
        std::string(description.empty() ? "" : "\n\n") + "Requires permission `" + route.permission + "`.";
    operation["x-permission"] = route.permission;
  }
  if (!description.empty()) operation["description"] = std::move(description);

  Json parameters = Json::array();
  const std::vector<std::string> path_parameters = PathParameters(route.pattern);
  for (const std::string& name : path_parameters) {
    parameters.push_back(
        {{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
  }
  for (const QueryParameter& query : route.query_parameters) {
    Json parameter = {
        {"name", query.name}, {"in", "query"}, {"required", query.required}, {"schema", query.schema}};
    if (!query.description.empty()) parameter["description"] = query.description;
    parameters.push_back(std::move(parameter));
  }
  const bool is_post = route.method == "POST";
  if (is_post) {
    parameters.push_back(
        {{"name", "Idempotency-Key"},
         {"in", "header"},
         {"required", false},
         {"description", route.response_holds_secret
                             ? "Ignored here: the answer holds a secret and is never stored."
                             : "Retries with the same key and body return the first response."},
         {"schema", {{"type", "string"}, {"minLength", 1}, {"maxLength", 255}}}});
  }
  const bool is_public = route.access == Access::kPublic;
  const bool changes_state = route.method != "GET" && route.method != "HEAD";
  if (!is_public && changes_state) {
    parameters.push_back(
        {{"name", "X-CSRF-Token"},
         {"in", "header"},
         {"required", false},
         {"description",
          "Required with cookie authentication (browsers): the value of the anxin_csrf cookie."},
         {"schema", {{"type", "string"}}}});
  }
  parameters.push_back(
      {{"name", "Accept-Language"},
       {"in", "header"},
       {"required", false},
       {"description", "Messages in English when the first preference is en; Chinese otherwise."},
       {"schema", {{"type", "string"}}}});
  parameters.push_back(
      {{"name", "X-Request-Id"},
       {"in", "header"},
       {"required", false},
       {"description", "Echoed in the response; generated when absent or not [A-Za-z0-9._-]{1,64}."},
       {"schema", {{"type", "string"}, {"pattern", "^[A-Za-z0-9._-]{1,64}$"}}}});
  operation["parameters"] = std::move(parameters);

  const bool has_body = !route.request_schema.is_null();
  if (has_body) {
    operation["requestBody"] = {{"required", route.request_body_required},
                                {"content", {{"application/json", {{"schema", route.request_schema}}}}}};
  }

  Json responses = Json::object();
  Json success = {{"description", "Success"}};
  if (!route.content_types.empty()) {
    Json content = Json::object();
    for (const std::string& type : route.content_types) {
      content[type] = {{"schema", type == "application/json" && !route.response_schema.is_null()
                                      ? route.response_schema
                                      : Json{{"type", "string"}, {"format", "binary"}}}};
    }
    success["content"] = std::move(content);
  } else if (!route.response_schema.is_null()) {
    std::string media_type = "application/json";
    if (route.response_schema.is_object() && route.response_schema.contains("contentMediaType") &&
        route.response_schema["contentMediaType"].is_string()) {
      media_type = route.response_schema["contentMediaType"].get<std::string>();
    }
    success["content"] = {{media_type, {{"schema", route.response_schema}}}};
  }
  responses[std::to_string(route.success_status)] = std::move(success);

  if (has_body || is_post || !route.query_parameters.empty() || !path_parameters.empty()) {
    responses["400"] = ProblemResponseObject("Invalid request (validation_failed, malformed_json, ...)");
  }
  if (!is_public) {
    responses["401"] =
        ProblemResponseObject("Missing or invalid credentials (bearer token or session cookie)");
  }
  if (route.access == Access::kPermission) {
    responses["403"] = ProblemResponseObject(
        "The caller lacks permission `" + route.permission + "`" +
        (changes_state
             ? " (or, with the session cookie, X-CSRF-Token is missing or wrong: csrf_token_invalid)"
             : ""));
  } else if (!is_public && changes_state) {
    responses["403"] = ProblemResponseObject(
        "With the session cookie, X-CSRF-Token is missing or wrong (csrf_token_invalid)");
  }
  if (!path_parameters.empty()) responses["404"] = ProblemResponseObject("No such resource");
  if (changes_state) responses["409"] = ProblemResponseObject("Conflict with the current state");
  if (has_body) {
    responses["413"] = ProblemResponseObject("Request body too large");
    responses["415"] = ProblemResponseObject("Content-Type is not application/json");
  }
  if (is_post && !route.response_holds_secret) {
    responses["422"] = ProblemResponseObject("Idempotency-Key reused with a different request");
  }
  if (!is_public || is_post) responses["429"] = ProblemResponseObject("Too many requests or a limit reached");
  if (!route.inline_handler) responses["503"] = ProblemResponseObject("A dependency is unavailable");
  responses["500"] = ProblemResponseObject("Internal error (details are logged, never returned)");
  operation["responses"] = std::move(responses);

  // Either credential form: a bearer token (API clients) or the browser's session cookie.
  operation["security"] =
      is_public ? Json::array()
                : Json::array({{{"bearerAuth", Json::array()}}, {{"cookieAuth", Json::array()}}});
  return operation;
}

}  // namespace

nlohmann::json BuildOpenApi(const Router& router, std::string_view version) {
  Json paths = Json::object();
  std::set<std::string> tags;
  std::set<std::string> operation_ids;
  for (const Route& route : router.routes()) {
    std::string method;
    for (char c : route.method) method += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths[route.pattern][method] = Operation(route, operation_ids);
    if (!route.tag.empty()) tags.insert(route.tag);
  }
  Json tag_list = Json::array();
  for (const std::string& tag : tags) tag_list.push_back({{"name", tag}});

  return {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "Anxin API"},
        {"version", std::string(version)},
        {"description", "安心 insurance service platform. Errors are application/problem+json."}}},
      {"servers", {{{"url", "/"}}}},
      {"tags", std::move(tag_list)},
      {"paths", std::move(paths)},
      {"components",
       {{"schemas", {{"Problem", ProblemSchema()}}},
        {"securitySchemes",
         {{"bearerAuth",
           {{"type", "http"},
            {"scheme", "bearer"},
            {"description",
             "The token of POST /api/v1/sessions, as Authorization: Bearer <token>. No CSRF check."}}},
          {"cookieAuth",
           {{"type", "apiKey"},
            {"in", "cookie"},
            {"name", std::string(kSessionCookie)},
            {"description",
             "Browsers: the HttpOnly session cookie set by POST /api/v1/web/session, used only when there is "
             "no Authorization header. Requests other than GET, HEAD and OPTIONS must also send X-CSRF-Token "
             "equal to the anxin_csrf cookie, else 403 csrf_token_invalid."}}}}}}},
  };
}

}  // namespace anxin::http
