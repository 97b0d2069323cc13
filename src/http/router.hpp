#pragma once

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
  std::string client_address;
  std::string lang = "zh";             // "zh" or "en", from Accept-Language
  std::optional<Principal> principal;  // set by the router for authenticated routes
  bool auth_via_cookie = false;  // the token came from the anxin_session cookie

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
  std::vector<std::pair<std::string, std::string>> headers;
};

// Builds a JSON response.
Response JsonResponse(int status, const nlohmann::json& body);

using Handler = std::function<Result<Response>(Request&)>;

// Who may call a route.
enum class Access {
  kPublic,         // anyone (health, OpenAPI, login, card activation)
  kAuthenticated,  // any logged-in user
  kPermission,     // a logged-in user holding `permission`
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
  std::string summary;             // one line for OpenAPI
  std::string tag;                 // OpenAPI tag ("identity", "products", ...)
  nlohmann::json request_schema;   // JSON Schema of the body, or null
  nlohmann::json response_schema;  // JSON Schema of the success body, or null
  int success_status = 200;
  std::vector<std::string> query_parameters;  // documented query parameter names
  Handler handler;
};

// Authenticates bearer tokens. Implemented by identity; the router calls it for every
// non-public route.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // Returns the principal for `token`, or kUnauthenticated.
  virtual Result<Principal> Authenticate(std::string_view token, const Request& request) = 0;
};

// Stripe-style idempotency for POST requests that carry an `Idempotency-Key` header. The router
// calls Begin before the handler and Finish after it. Implemented over the database elsewhere.
class IdempotencyGuard {
 public:
  virtual ~IdempotencyGuard() = default;
  // Claims `key` for the caller (principal or client address) and this request's method, path and
  // body hash. Returns the stored response when the same request was already answered; nullopt
  // when the caller should run the handler; kInvalidArgument "idempotency_key_reused" (422) for a
  // different body; kAborted "idempotency_in_progress" (409) while the first is still running.
  virtual Result<std::optional<Response>> Begin(const Request& request, std::string_view key) = 0;
  // Stores the response for `key` (2xx and 4xx are stored; for 5xx the claim is released).
  virtual void Finish(const Request& request, std::string_view key, const Response& response) = 0;
};

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
  // Registers `route`. Aborts on a duplicate method+pattern (a programming error).
  void Add(Route route);
  [[nodiscard]] const std::vector<Route>& routes() const;

  // Result of matching: the route (or null) and whether the path exists with another method.
  struct Match {
    const Route* route = nullptr;
    bool path_exists = false;
  };
  [[nodiscard]] Match Find(std::string_view method, std::string_view path, Request* request) const;

  // Runs the full pipeline for a matched request: authentication (401 "unauthenticated" with
  // WWW-Authenticate: Bearer when the token is missing, or the Authenticator's error), permission
  // check (403 "permission_denied"), Idempotency-Key on POST (400 "invalid_idempotency_key" unless
  // 1-255 printable ASCII; IdempotencyGuard Begin/Finish when a guard is set; a replayed response
  // carries "Idempotent-Replayed: true"), handler, error rendering. Never throws; exceptions
  // become a logged 500 "internal_error" without details. Thread-safe.
  Response Dispatch(const Route& route, Request& request) const;

  // Handles a request end to end (match + dispatch), including 404 "not_found" and 405
  // "method_not_allowed" (with an Allow header).
  Response Handle(Request& request) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Renders `status` as an application/problem+json response in `request.lang`:
// {type: "https://anxin.dev/problems/<code>", title, status, code, detail, errors: [{field, code,
// message}], request_id}. `code` is status.reason() (or the StatusCode name when empty). A kInternal
// status is always rendered as the generic "internal_error": its detail is for the log only.
Response ProblemResponse(const Status& status, const Request& request);

// Maps a status code to its HTTP status. The one mapping table: kInvalidArgument 400 (reason
// "idempotency_key_reused" 422, "unsupported_media_type" 415, "method_not_allowed" 405),
// kNotFound 404, kAlreadyExists / kFailedPrecondition / kAborted 409, kPermissionDenied 403,
// kUnauthenticated 401, kResourceExhausted 429 ("payload_too_large" 413, "header_too_large" 431),
// kUnavailable 503, kInternal 500.
int HttpStatusFor(const Status& status);

}  // namespace anxin::http
