#pragma once

// Helpers shared by identity's services. Internal to src/identity.

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "common/access.hpp"
#include "common/actor.hpp"
#include "common/status.hpp"
#include "common/text.hpp"

namespace anxin::identity::internal {

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

// A refusal with its own reason (the text of access.hpp's PermissionDenied), for the rules of
// the organisation tree that say more than "no permission".
inline Status Denied(std::string reason) {
  return Status(StatusCode::kPermissionDenied, std::move(reason), PermissionDenied().message());
}

}  // namespace anxin::identity::internal
