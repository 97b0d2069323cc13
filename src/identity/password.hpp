#pragma once

#include <string>
#include <string_view>

#include "common/status.hpp"

namespace anxin::identity {

// Hashes and checks passwords. The default is Argon2id (anxin::HashPassword); tests may inject a
// cheaper one. Implementations must be thread-safe.
class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  [[nodiscard]] virtual std::string Hash(std::string_view password) const = 0;
  [[nodiscard]] virtual bool Verify(std::string_view encoded, std::string_view password) const = 0;
};

// Argon2id through libsodium (crypto.hpp).
class Argon2PasswordHasher final : public PasswordHasher {
 public:
  [[nodiscard]] std::string Hash(std::string_view password) const override;
  [[nodiscard]] bool Verify(std::string_view encoded, std::string_view password) const override;
};

// Checks `password` against the policy: at least 10 characters, and at least 3 of the classes
// lower case, upper case, digit, other, unless it has 16 or more characters; at most 128
// characters; not the login itself (case-insensitive). Returns kInvalidArgument at `field` with
// code "too_short", "too_long", "too_weak" or "same_as_login".
Status CheckPasswordPolicy(std::string_view password, std::string_view login,
                           std::string_view field = "password");

// The longest password the policy accepts, in characters.
inline constexpr size_t kMaxPasswordLength = 128;

}  // namespace anxin::identity
