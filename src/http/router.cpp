#include "http/router.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <utility>

#include "common/log.hpp"
#include "http/static_files.hpp"

namespace anxin::http {
namespace {

constexpr std::string_view kProblemTypeBase = "https://anxin.dev/problems/";
constexpr std::string_view kProblemContentType = "application/problem+json";
constexpr size_t kMaxIdempotencyKeyBytes = 255;

// What a status code means to an HTTP client: the base HTTP status and the problem's title.
struct CodeInfo {
  int http_status;
  Text title;
};

// The mapping from StatusCode to HTTP. No default label: a new StatusCode without a mapping fails
// to compile (-Werror=switch).
CodeInfo InfoForCode(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return {200, {"成功", "OK"}};
    case StatusCode::kInvalidArgument:
      return {400, {"请求无效", "Invalid request"}};
    case StatusCode::kNotFound:
      return {404, {"未找到", "Not found"}};
    case StatusCode::kAlreadyExists:
      return {409, {"已存在", "Already exists"}};
    case StatusCode::kFailedPrecondition:
      return {409, {"当前状态不允许此操作", "Not allowed in the current state"}};
    case StatusCode::kPermissionDenied:
      return {403, {"无权操作", "Permission denied"}};
    case StatusCode::kUnauthenticated:
      return {401, {"未登录或登录已失效", "Authentication required"}};
    case StatusCode::kResourceExhausted:
      return {429, {"请求过多或超出限制", "Limit exceeded"}};
    case StatusCode::kAborted:
      return {409, {"操作冲突，请重试", "Conflict, please retry"}};
    case StatusCode::kUnavailable:
      return {503, {"服务暂时不可用", "Service unavailable"}};
    case StatusCode::kInternal:
      return {500, {"服务器内部错误", "Internal server error"}};
  }
  std::abort();  // unreachable: `code` holds a value outside the enumeration
}

// The one mapping table from a Status to HTTP: the detail when there is one, else the code. No
// default label: a new StatusDetail without a mapping fails to compile.
CodeInfo InfoFor(const Status& status) {
  switch (status.detail()) {
    case StatusDetail::kNone:
      return InfoForCode(status.code());
    case StatusDetail::kMethodNotAllowed:
      return {405, {"不支持此请求方法", "Method not allowed"}};
    case StatusDetail::kUnsupportedMediaType:
      return {415, {"不支持的内容类型", "Unsupported media type"}};
    case StatusDetail::kUnprocessable:
      return {422, {"请求无法处理", "Unprocessable request"}};
    case StatusDetail::kPayloadTooLarge:
      return {413, {"请求体过大", "Payload too large"}};
    case StatusDetail::kHeaderTooLarge:
      return {431, {"请求头过大", "Request header fields too large"}};
    case StatusDetail::kRequestTimeout:
      return {408, {"请求超时", "Request timeout"}};
  }
  std::abort();  // unreachable: `detail` holds a value outside the enumeration
}

struct Segment {
  bool is_param = false;
  std::string text;  // the literal, or the parameter's name
};

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  if (path.empty() || path.front() != '/') return parts;
  path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes one path segment. Returns nullopt for a malformed escape or a decoded NUL.
std::optional<std::string> DecodeSegment(std::string_view segment) {
  std::string out;
  out.reserve(segment.size());
  for (size_t i = 0; i < segment.size(); ++i) {
    char c = segment[i];
    if (c == '%') {
      if (i + 2 >= segment.size()) return std::nullopt;
      int hi = HexValue(segment[i + 1]);
      int lo = HexValue(segment[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      if (c == '\0') return std::nullopt;
      i += 2;
    }
    out.push_back(c);
  }
  return out;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ValidIdempotencyKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxIdempotencyKeyBytes) return false;
  return std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

// Returns the token of an "Authorization: Bearer <token>" header, or "" when there is none.
std::string_view BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return {};
  if (Lower(header.substr(0, kScheme.size())) != kScheme) return {};
  std::string_view token = header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

// RFC 7230 tchar: the characters of a cookie name.
bool IsTokenChar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c)) != 0) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 6265 cookie-octet.
bool IsCookieOctet(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte == 0x21 || (byte >= 0x23 && byte <= 0x2b) || (byte >= 0x2d && byte <= 0x3a) ||
         (byte >= 0x3c && byte <= 0x5b) || (byte >= 0x5d && byte <= 0x7e);
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A session cookie the router cannot use (repeated or malformed): to the client it is one more
// reason to log in again, so the code stays "unauthenticated".
Status BadCookie() {
  return {StatusCode::kUnauthenticated,
          "unauthenticated",
          {"登录凭据 Cookie 无效，请重新登录", "The session cookie is not valid; please log in again"}};
}

Response Unauthenticated(const Request& request, Status status) {
  Response response = ProblemResponse(status, request);
  response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

Status MissingCredentials() {
  return {StatusCode::kUnauthenticated,
          "unauthenticated",
          {"请先登录",
           "Authentication required: send an Authorization: Bearer token (or log in to the web app)"}};
}

void LogHandlerFailure(const Route& route, const Request& request, std::string_view what) {
  LogEvent(spdlog::level::err, "handler_failed",
           {{"request_id", request.request_id},
            {"method", route.method},
            {"route", route.pattern},
            {"error", std::string(what)}});
}

// Runs the route's handler and renders its outcome; an exception becomes a logged 500.
Response RunHandler(const Route& route, Request& request) {
  try {
    Result<Response> result = route.handler(request);
    if (result.ok()) return std::move(result).value();
    if (result.status().code() == StatusCode::kInternal) {
      LogHandlerFailure(route, request, result.status().ToString());
    }
    return ProblemResponse(result.status(), request);
  } catch (const std::exception& e) {
    LogHandlerFailure(route, request, e.what());
  } catch (...) {
    LogHandlerFailure(route, request, "unknown exception");
  }
  return ProblemResponse(Status::Internal("handler threw"), request);
}

}  // namespace

std::string Request::Header(std::string_view name) const {
  auto it = headers.find(Lower(name));
  return it == headers.end() ? std::string() : it->second;
}

std::optional<std::string> Request::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

Status AddCookie(Response& response, const Cookie& cookie) {
  const bool name_ok =
      !cookie.name.empty() && std::all_of(cookie.name.begin(), cookie.name.end(), IsTokenChar);
  const bool value_ok = std::all_of(cookie.value.begin(), cookie.value.end(), IsCookieOctet);
  const bool path_ok = std::all_of(cookie.path.begin(), cookie.path.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f && c != ';';
  });
  if (!name_ok || !value_ok || !path_ok) return Status::Internal("cookie cannot be sent: " + cookie.name);
  std::string line = cookie.name + "=" + cookie.value;
  if (!cookie.path.empty()) line += "; Path=" + cookie.path;
  if (cookie.max_age_seconds)
    line += "; Max-Age=" + std::to_string(std::max<int64_t>(*cookie.max_age_seconds, 0));
  if (cookie.http_only) line += "; HttpOnly";
  // SameSite=None is only honoured on Secure cookies.
  if (cookie.secure || cookie.same_site == Cookie::SameSite::kNone) line += "; Secure";
  switch (cookie.same_site) {
    case Cookie::SameSite::kStrict:
      line += "; SameSite=Strict";
      break;
    case Cookie::SameSite::kLax:
      line += "; SameSite=Lax";
      break;
    case Cookie::SameSite::kNone:
      line += "; SameSite=None";
      break;
  }
  response.headers.emplace_back("Set-Cookie", std::move(line));
  return Status::Ok();
}

Result<std::optional<std::string>> FindCookie(std::string_view header, std::string_view name) {
  std::optional<std::string> found;
  while (!header.empty()) {
    const size_t semicolon = header.find(';');
    const std::string_view pair = TrimSpaces(header.substr(0, semicolon));
    header = semicolon == std::string_view::npos ? std::string_view() : header.substr(semicolon + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos || TrimSpaces(pair.substr(0, eq)) != name) continue;
    if (found) {
      return Status(StatusCode::kInvalidArgument, "ambiguous_cookie",
                    {"Cookie " + std::string(name) + " 出现了多次",
                     "Cookie " + std::string(name) + " appears more than once"});
    }
    std::string_view value = TrimSpaces(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    if (!std::all_of(value.begin(), value.end(), IsCookieOctet)) {
      return Status(StatusCode::kInvalidArgument, "malformed_cookie",
                    {"Cookie " + std::string(name) + " 的值无效",
                     "Cookie " + std::string(name) + " has an invalid value"});
    }
    found = std::string(value);
  }
  if (found && found->empty()) return std::optional<std::string>();
  return found;
}

Response JsonResponse(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

int HttpStatusFor(const Status& status) { return InfoFor(status).http_status; }

Response ProblemResponse(const Status& status, const Request& request) {
  const std::string_view lang = request.lang;
  const CodeInfo info = InfoFor(status);
  const bool internal = status.code() == StatusCode::kInternal;
  // A kInternal status may carry diagnostic text; the client only ever sees a generic problem.
  std::string code =
      internal ? "internal_error"
               : (status.reason().empty() ? std::string(StatusCodeName(status.code())) : status.reason());
  std::string detail = internal ? info.title.In(lang) : status.message().In(lang);
  if (detail.empty()) detail = info.title.In(lang);

  nlohmann::json errors = nlohmann::json::array();
  if (!internal) {
    for (const FieldError& field : status.fields()) {
      errors.push_back({{"field", field.field}, {"code", field.code}, {"message", field.message.In(lang)}});
    }
  }
  const int http = info.http_status;
  nlohmann::json body = {
      {"type", std::string(kProblemTypeBase) + code},
      {"title", info.title.In(lang)},
      {"status", http},
      {"code", code},
      {"detail", detail},
      {"errors", std::move(errors)},
      {"request_id", request.request_id},
  };
  Response response = JsonResponse(http, body);
  response.content_type = std::string(kProblemContentType);
  if (http == 429 || status.retry_after()) {
    const std::chrono::seconds wait = status.retry_after().value_or(kDefaultRetryAfter);
    response.headers.emplace_back("Retry-After", std::to_string(wait.count()));
  }
  return response;
}

struct Router::Impl {
  std::vector<Route> routes;
  std::vector<std::vector<Segment>> patterns;  // parallel to `routes`
  Authenticator* authenticator = nullptr;
  IdempotencyGuard* guard = nullptr;
  const StaticFiles* static_files = nullptr;

  static std::vector<Segment> ParsePattern(std::string_view pattern) {
    std::vector<Segment> segments;
    for (std::string_view part : SplitPath(pattern)) {
      Segment segment;
      if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
        segment.is_param = true;
        segment.text = std::string(part.substr(1, part.size() - 2));
      } else {
        segment.text = std::string(part);
      }
      segments.push_back(std::move(segment));
    }
    return segments;
  }

  // Matches decoded path segments against pattern `i`; fills `params` on success.
  bool Matches(size_t i, const std::vector<std::string>& parts,
               std::map<std::string, std::string>* params) const {
    const std::vector<Segment>& pattern = patterns[i];
    if (pattern.size() != parts.size()) return false;
    for (size_t k = 0; k < pattern.size(); ++k) {
      if (pattern[k].is_param) {
        if (parts[k].empty()) return false;
      } else if (pattern[k].text != parts[k]) {
        return false;
      }
    }
    if (params != nullptr) {
      params->clear();
      for (size_t k = 0; k < pattern.size(); ++k) {
        if (pattern[k].is_param) (*params)[pattern[k].text] = parts[k];
      }
    }
    return true;
  }

  // True when pattern `a` is more specific than `b`: at the first differing segment kind, `a` has
  // the literal ("/users/me" beats "/users/{id}").
  bool MoreSpecific(size_t a, size_t b) const {
    for (size_t k = 0; k < patterns[a].size() && k < patterns[b].size(); ++k) {
      if (patterns[a][k].is_param != patterns[b][k].is_param) return !patterns[a][k].is_param;
    }
    return false;
  }

  // Returns the decoded segments of `path`, or nullopt when it cannot match any route.
  static std::optional<std::vector<std::string>> DecodePath(std::string_view path) {
    std::vector<std::string> parts;
    for (std::string_view raw : SplitPath(path)) {
      std::optional<std::string> decoded = DecodeSegment(raw);
      if (!decoded) return std::nullopt;
      parts.push_back(std::move(*decoded));
    }
    if (parts.empty()) return std::nullopt;
    return parts;
  }

  std::vector<std::string> AllowedMethods(std::string_view path) const {
    std::vector<std::string> methods;
    std::optional<std::vector<std::string>> parts = DecodePath(path);
    if (!parts) return methods;
    for (size_t i = 0; i < routes.size(); ++i) {
      if (Matches(i, *parts, nullptr) &&
          std::find(methods.begin(), methods.end(), routes[i].method) == methods.end()) {
        methods.push_back(routes[i].method);
      }
    }
    std::sort(methods.begin(), methods.end());
    return methods;
  }
};

Router::Router() : impl_(std::make_unique<Impl>()) {}
Router::~Router() = default;

void Router::SetAuthenticator(Authenticator* authenticator) { impl_->authenticator = authenticator; }
void Router::SetIdempotencyGuard(IdempotencyGuard* guard) { impl_->guard = guard; }
void Router::SetStaticFiles(const StaticFiles* files) { impl_->static_files = files; }

void Router::Add(Route route) {
  for (const Route& existing : impl_->routes) {
    if (existing.method == route.method && existing.pattern == route.pattern) {
      std::cerr << "anxin: duplicate route " << route.method << ' ' << route.pattern << '\n';
      std::abort();
    }
  }
  impl_->patterns.push_back(Impl::ParsePattern(route.pattern));
  impl_->routes.push_back(std::move(route));
}

const std::vector<Route>& Router::routes() const { return impl_->routes; }

Router::Match Router::Find(std::string_view method, std::string_view path, Request* request) const {
  Match match;
  std::optional<std::vector<std::string>> parts = Impl::DecodePath(path);
  if (!parts) return match;
  std::optional<size_t> best;
  for (size_t i = 0; i < impl_->routes.size(); ++i) {
    if (!impl_->Matches(i, *parts, nullptr)) continue;
    if (impl_->routes[i].method != method) {
      match.path_exists = true;
      continue;
    }
    if (!best || impl_->MoreSpecific(i, *best)) best = i;
  }
  if (best) {
    match.route = &impl_->routes[*best];
    match.path_exists = true;
    if (request != nullptr) impl_->Matches(*best, *parts, &request->path_params);
  }
  return match;
}

Response Router::Dispatch(const Route& route, Request& request) const {
  try {
    if (route.access != Access::kPublic) {
      // An Authorization header always wins (API clients); without one, a browser's session cookie.
      const std::string authorization = request.Header("authorization");
      std::string token(BearerToken(authorization));
      if (request.headers.count("authorization") == 0) {
        Result<std::optional<std::string>> cookie = FindCookie(request.Header("cookie"), kSessionCookie);
        if (!cookie.ok()) return Unauthenticated(request, BadCookie());
        if (cookie->has_value()) {
          token = std::move(**cookie);
          request.auth_via_cookie = true;
        }
      }
      if (token.empty() || impl_->authenticator == nullptr)
        return Unauthenticated(request, MissingCredentials());
      Result<Principal> principal = impl_->authenticator->Authenticate(token, request);
      if (!principal.ok()) {
        if (principal.status().code() == StatusCode::kUnauthenticated) {
          return Unauthenticated(request, principal.status());
        }
        return ProblemResponse(principal.status(), request);
      }
      request.principal = std::move(principal).value();
      if (route.access == Access::kPermission && !request.principal->Has(route.permission)) {
        return ProblemResponse({StatusCode::kPermissionDenied,
                                "permission_denied",
                                {"您没有执行此操作的权限", "You do not have permission to do this"}},
                               request);
      }
    }

    if (route.method == "POST" && request.headers.count("idempotency-key") > 0) {
      const std::string idempotency_key = request.Header("idempotency-key");
      if (!ValidIdempotencyKey(idempotency_key)) {
        return ProblemResponse({StatusCode::kInvalidArgument,
                                "invalid_idempotency_key",
                                {"Idempotency-Key 必须是 1 到 255 个可打印 ASCII 字符",
                                 "Idempotency-Key must be 1 to 255 printable ASCII characters"}},
                               request);
      }
      // A route whose answer holds a secret ignores a well-formed key: that answer is never stored.
      if (impl_->guard != nullptr && !route.response_holds_secret) {
        Result<IdempotencyGuard::Answer> answer =
            impl_->guard->Run(request, idempotency_key, [&] { return RunHandler(route, request); });
        if (!answer.ok()) return ProblemResponse(answer.status(), request);
        if (answer->replayed) answer->response.headers.emplace_back("Idempotent-Replayed", "true");
        return std::move(answer->response);
      }
    }
    return RunHandler(route, request);
  } catch (const std::exception& e) {
    LogHandlerFailure(route, request, e.what());
  } catch (...) {
    LogHandlerFailure(route, request, "unknown exception");
  }
  return ProblemResponse(Status::Internal("handler threw"), request);
}

Response Router::Handle(Request& request) const {
  Match match = Find(request.method, request.path, &request);
  if (match.route != nullptr) return Dispatch(*match.route, request);
  if (!match.path_exists && impl_->static_files != nullptr && !IsApiPath(request.path)) {
    return impl_->static_files->Serve(request);
  }
  if (match.path_exists) {
    std::string allow;
    for (const std::string& method : impl_->AllowedMethods(request.path)) {
      if (!allow.empty()) allow += ", ";
      allow += method;
    }
    Response response =
        ProblemResponse(Status::Detailed(StatusDetail::kMethodNotAllowed, "method_not_allowed",
                                         {"此路径不支持 " + request.method + " 方法",
                                          "Method " + request.method + " is not allowed here"}),
                        request);
    response.headers.emplace_back("Allow", allow);
    return response;
  }
  return ProblemResponse({StatusCode::kNotFound, "not_found", {"请求的资源不存在", "No such resource"}},
                         request);
}

}  // namespace anxin::http
