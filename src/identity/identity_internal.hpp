#pragma once

// Helpers shared by identity's services. Internal to src/identity.

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "common/actor.hpp"
#include "common/status.hpp"

namespace anxin::identity::internal {

inline std::string Trim(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && space(text[begin])) ++begin;
  while (end > begin && space(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

inline std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

inline std::string UpperAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

inline Status Unauthenticated() {
  return Status(StatusCode::kUnauthenticated, "unauthenticated", Text{"请先登录", "Please log in first"});
}

inline Status Denied(std::string reason = "permission_denied") {
  return Status(StatusCode::kPermissionDenied, std::move(reason),
                Text{"没有执行此操作的权限", "You do not have permission to do this"});
}

inline bool IsSystem(const Actor& actor) { return actor.principal == nullptr && !actor.system_name.empty(); }

// Returns OK if `actor` may use `permission`: system actors always may; anonymous actors never.
inline Status RequirePermission(const Actor& actor, const char* permission) {
  if (IsSystem(actor)) return Status::Ok();
  if (actor.principal == nullptr) return Unauthenticated();
  if (!actor.principal->Has(permission)) return Denied();
  return Status::Ok();
}

}  // namespace anxin::identity::internal
