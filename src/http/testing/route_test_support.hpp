#pragma once

// Helpers for tests that drive routes through a Router: an authenticator with fixed tokens and a
// request builder. Header-only; tests include it and link anxin_http.

#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "common/principal.hpp"
#include "common/status.hpp"
#include "http/router.hpp"

namespace anxin::http::testing {

// Authenticates the bearer tokens listed in `principals` as their principal; any other token is
// kUnauthenticated "unauthenticated". Fill `principals` before the first request.
class TokenAuthenticator final : public Authenticator {
 public:
  Result<Principal> Authenticate(std::string_view token, const Request&) override {
    auto it = principals.find(std::string(token));
    if (it == principals.end()) {
      return Status(StatusCode::kUnauthenticated, "unauthenticated", {"请先登录", "log in first"});
    }
    return it->second;
  }

  std::map<std::string, Principal> principals;
};

// Returns a GET request for `path` with the decoded `query`, request id "test-request", English
// messages and, unless `token` is empty, "Authorization: Bearer <token>".
inline Request GetRequest(std::string path, std::map<std::string, std::string> query = {},
                          const std::string& token = "") {
  Request request;
  request.method = "GET";
  request.path = std::move(path);
  request.query = std::move(query);
  if (!token.empty()) request.headers["authorization"] = "Bearer " + token;
  request.request_id = "test-request";
  request.lang = "en";
  return request;
}

}  // namespace anxin::http::testing
