#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/principal.hpp"
#include "common/status.hpp"

namespace anxin::http {

// A request as the router and handlers see it: no Beast types beyond the server.
struct Request {
  std::string method;  // "GET", "POST", ...
  // Path without the query, as received ("/api/v1/products/TRAVEL01"): still percent-encoded, so
  // that "%2F" stays inside one segment. The router decodes each segment when matching, and
  // `path_params` hold decoded values.
  std::string path;
  std::map<std::string, std::string> query;        // decoded query parameters
  std::map<std::string, std::string> headers;      // lower-case names
  std::map<std::string, std::string> path_params;  // from the route pattern ("code" -> "TRAVEL01")
  std::string body;
  std::string request_id;
  // The client's address: the TCP peer, or the X-Forwarded-For client when the peer is a trusted
  // proxy (ServerOptions::trusted_proxies).
  std::string client_address;
  // True when the client reached us over TLS: X-Forwarded-Proto "https" from a trusted proxy (the
  // server itself speaks plain HTTP).
  bool secure = false;
  std::string lang = "zh";             // "zh" or "en", from Accept-Language
  std::optional<Principal> principal;  // set by the router for authenticated routes
  // Set by the router when the credentials came from the kSessionCookie cookie (a browser) rather
  // than an Authorization header; the Authenticator then requires the CSRF header on unsafe methods.
  bool auth_via_cookie = false;

  // Returns the header `name` (lower case) or "".
  [[nodiscard]] std::string Header(std::string_view name) const;
  // Returns the query parameter or nullopt.
  [[nodiscard]] std::optional<std::string> Query(std::string_view name) const;
  // Returns the authenticated caller; only valid on routes that require authentication.
  [[nodiscard]] const Principal& Caller() const { return *principal; }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Extra headers in order; a name may repeat (Set-Cookie) and the server sends every line.
  std::vector<std::pair<std::string, std::string>> headers;
};

// The cookie that carries a browser's session token (CONTRACTS.md "Browser sessions").
inline constexpr std::string_view kSessionCookie = "anxin_session";

// One Set-Cookie (RFC 6265 §4.1).
struct Cookie {
  enum class SameSite { kStrict, kLax, kNone };

  std::string name;   // a token: letters, digits and !#$%&'*+-.^_`|~
  std::string value;  // cookie-octets: printable ASCII without space, '"', ',', ';' and '\'
  std::string path = "/";
  bool http_only = true;
  bool secure = false;
  SameSite same_site = SameSite::kStrict;
  std::optional<int64_t> max_age_seconds;  // 0 removes the cookie; nullopt: a session cookie
};

// Appends a Set-Cookie header for `cookie` to `response` (a response may set several). Returns
// kInternal when the name, value or path could not be sent as they are (a programming error: the
// response is left unchanged).
Status AddCookie(Response& response, const Cookie& cookie);

// Returns the value of the cookie `name` in a Cookie header ("a=1; anxin_session=tok"), without
// surrounding double quotes: nullopt when it is absent or empty, kInvalidArgument
// "ambiguous_cookie" when it appears more than once and "malformed_cookie" when its value is not
// made of cookie-octets. Names match exactly (case-sensitive); other cookies are skipped whatever
// their form.
Result<std::optional<std::string>> FindCookie(std::string_view header, std::string_view name);

// Builds a JSON response.
Response JsonResponse(int status, const nlohmann::json& body);

using Handler = std::function<Result<Response>(Request&)>;

// Who may call a route.
enum class Access {
  kPublic,         // anyone (health, OpenAPI, login, card activation)
  kAuthenticated,  // any logged-in user
  kPermission,     // a logged-in user holding `permission`
};

// One documented query parameter of a route (QuerySpec::Parameters builds them). A bare name
// converts to an optional string parameter without description.
struct QueryParameter {
  QueryParameter(const char* parameter_name) : name(parameter_name) {}  // NOLINT(google-explicit-constructor)
  explicit QueryParameter(std::string parameter_name) : name(std::move(parameter_name)) {}

  std::string name;
  bool required = false;
  nlohmann::json schema = {{"type", "string"}};
  std::string description;
};

// A route and its documentation. Every route is registered with its OpenAPI description; the
// OpenAPI document is generated from these, so none can be missing from it.
struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/products/{code}"
  Access access = Access::kPermission;
  std::string permission;  // with kPermission, e.g. "product.read"
  // Runs on the I/O thread instead of the worker pool. Only for handlers that never block
  // (no database, no hashing): /healthz, /metrics, /openapi.json.
  bool inline_handler = false;
  std::string summary;  // one line for OpenAPI
  // What a client needs beyond the summary (Markdown): who may call it (roles, organisation
  // level), limits, side effects. The permission is added by the OpenAPI generator.
  std::string description;
  std::string tag;                    // OpenAPI tag ("identity", "products", ...)
  nlohmann::json request_schema;      // JSON Schema of the body, or null
  bool request_body_required = true;  // false: the body may be left out (BodySpec::MayBeEmpty)
  nlohmann::json response_schema;     // JSON Schema of the success body, or null
  // The media types of the success answer when it is not only JSON: a PDF or CSV answer names its
  // type here ("application/pdf"); a report that is JSON or CSV by ?format= names both
  // ("application/json", "text/csv"). Empty: application/json. A non-JSON type is documented as a
  // binary string; application/json gets response_schema.
  std::vector<std::string> content_types;
  int success_status = 200;
  std::vector<QueryParameter> query_parameters;  // documented query parameters
  // The success answer holds a secret (a session token): the idempotency layer must never store
  // it, so on this route a well-formed Idempotency-Key is ignored (a retry runs the handler again).
  bool response_holds_secret = false;
  Handler handler;
};

// Authenticates session tokens. Implemented by identity; the router calls it for every
// non-public route.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // Returns the principal for `token` (from the Authorization header, or from the session cookie
  // when request.auth_via_cookie), or kUnauthenticated.
  virtual Result<Principal> Authenticate(std::string_view token, const Request& request) = 0;
};

// Stripe-style idempotency for POST requests that carry an `Idempotency-Key` header, on routes
// whose answers hold no secret. Implemented over the database elsewhere (idempotency/).
class IdempotencyGuard {
 public:
  // The answer to a request with a key.
  struct Answer {
    Response response;
    bool replayed = false;  // the stored answer of an earlier request; the router marks it
  };

  virtual ~IdempotencyGuard() = default;

  // Answers the request under `key` for its caller (principal or client address): the stored
  // answer of an earlier request with the same method, path and body, or else runs `handler`,
  // which renders every outcome (errors and exceptions included) as a Response, and stores that
  // answer in the same transaction as the handler's writes, so both are kept or neither.
  // `handler` may run more than once (the storage layer may undo a run and start again); only
  // the last run's writes are kept. Returns kInvalidArgument "idempotency_key_reused" (422) when
  // the key was used for a different request, kAborted "idempotency_in_progress" (409) while a
  // request with the key is running, or the storage error (kUnavailable 503, kInternal 500,
  // kAborted "conflict_retry" 409) when the answer could not be committed, nothing of the
  // handler's writes being kept then. Thread-safe.
  virtual Result<Answer> Run(const Request& request, std::string_view key,
                             const std::function<Response()>& handler) = 0;
};

class StaticFiles;

// Matches requests to routes, authenticates, checks permissions, runs handlers and renders
// errors as problem+json. Routes are registered at start-up; after that the router is read-only
// and thread-safe.
class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  void SetAuthenticator(Authenticator* authenticator);
  void SetIdempotencyGuard(IdempotencyGuard* guard);
  // Serves the web app from `files` (may be null: API only) for the paths no route knows that are
  // not API paths (IsApiPath). `files` must outlive the router.
  void SetStaticFiles(const StaticFiles* files);
  // Registers `route`. Aborts on a duplicate method+pattern (a programming error).
  void Add(Route route);
  [[nodiscard]] const std::vector<Route>& routes() const;

  // Result of matching: the route (or null) and whether the path exists with another method.
  struct Match {
    const Route* route = nullptr;
    bool path_exists = false;
  };
  [[nodiscard]] Match Find(std::string_view method, std::string_view path, Request* request) const;

  // Runs the full pipeline for a matched request: authentication (the bearer token of the
  // Authorization header or, when there is no such header, the kSessionCookie cookie, which sets
  // request.auth_via_cookie; 401 "unauthenticated" with WWW-Authenticate: Bearer when there is
  // none or the cookie is malformed or repeated, or the Authenticator's error), permission
  // check (403 "permission_denied"), Idempotency-Key on POST (400 "invalid_idempotency_key" unless
  // 1-255 printable ASCII; then, when a guard is set and the route's answer holds no secret, the
  // handler runs through IdempotencyGuard::Run, and a replayed response carries
  // "Idempotent-Replayed: true"), handler, error rendering. Never throws; exceptions become a
  // logged 500 "internal_error" without details. Thread-safe.
  Response Dispatch(const Route& route, Request& request) const;

  // Handles a request end to end (match + dispatch), including 404 "not_found" and 405
  // "method_not_allowed" (with an Allow header); a path no route knows outside the API paths goes
  // to the static files when set (StaticFiles::Serve). Never blocks.
  Response Handle(Request& request) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// How long a 429 answer asks the client to wait when its status carries no retry hint.
inline constexpr std::chrono::seconds kDefaultRetryAfter{60};

// Renders `status` as an application/problem+json response in `request.lang`:
// {type: "https://anxin.dev/problems/<code>", title, status, code, detail, errors: [{field, code,
// message}], request_id}. `code` is status.reason() (or the StatusCode name when empty). A kInternal
// status is always rendered as the generic "internal_error": its detail is for the log only. A 429
// (and any status with a retry hint) carries `Retry-After: <seconds>`: status.retry_after(), or
// kDefaultRetryAfter.
Response ProblemResponse(const Status& status, const Request& request);

// Maps a status to its HTTP status. The one mapping table, read by ProblemResponse: the detail
// when there is one (kMethodNotAllowed 405, kUnsupportedMediaType 415, kUnprocessable 422,
// kPayloadTooLarge 413, kHeaderTooLarge 431, kRequestTimeout 408), else the code:
// kInvalidArgument 400, kNotFound 404, kAlreadyExists / kFailedPrecondition / kAborted 409,
// kPermissionDenied 403, kUnauthenticated 401, kResourceExhausted 429, kUnavailable 503,
// kInternal 500. Reasons never change the status.
int HttpStatusFor(const Status& status);

}  // namespace anxin::http
