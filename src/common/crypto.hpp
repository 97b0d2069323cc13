#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace anxin {

// Initialises libsodium once. Safe to call many times from any thread.
void InitCrypto();

// Holds the platform's master key (32 bytes, from the key file) and the subkeys derived from it:
// one for encrypting personal data at rest (secretbox), one for keyed look-up hashes. Immutable
// after construction, so thread-safe.
class KeyRing {
 public:
  // Reads the key file at `path`, creating it (mode 0600, 32 random bytes hex-encoded) when absent.
  // Returns kInvalidArgument if the file exists but does not hold a key.
  static Result<KeyRing> LoadOrCreate(const std::string& path);
  // Builds a key ring from raw key material (tests).
  static KeyRing FromKey(const std::array<uint8_t, 32>& master);

  // Encrypts `plaintext` with XSalsa20-Poly1305 and a random nonce; returns base64 text.
  [[nodiscard]] std::string Seal(std::string_view plaintext) const;
  // Decrypts a value produced by Seal. Returns kInternal if it was tampered with or is not ours.
  [[nodiscard]] Result<std::string> Open(std::string_view sealed) const;
  // Returns a keyed BLAKE2b hash (hex, 32 bytes) of `value` in the domain `purpose` ("id_number",
  // "phone", "card_password"), for exact-match look-up columns.
  [[nodiscard]] std::string LookupHash(std::string_view purpose, std::string_view value) const;

 private:
  std::array<uint8_t, 32> seal_key_{};
  std::array<uint8_t, 32> hash_key_{};
};

// Hashes `password` with Argon2id (libsodium, t=2, 19 MiB: OWASP's minimum). Returns the encoded
// hash string (it carries its own salt and parameters).
[[nodiscard]] std::string HashPassword(std::string_view password);
// Returns true if `password` matches `encoded`. Constant time in the password.
[[nodiscard]] bool VerifyPassword(std::string_view encoded, std::string_view password);

// Returns `bytes` random bytes from the CSPRNG as unpadded base64url.
[[nodiscard]] std::string RandomToken(size_t bytes = 32);
// Returns `n` random decimal digits from the CSPRNG.
[[nodiscard]] std::string RandomDigits(size_t n);
// Returns a uniformly random integer in [0, bound).
[[nodiscard]] uint32_t RandomBelow(uint32_t bound);
// Returns the SHA-256 of `data` as lower-case hex.
[[nodiscard]] std::string Sha256Hex(std::string_view data);
// Compares two strings in constant time (for equal lengths).
[[nodiscard]] bool ConstantTimeEquals(std::string_view a, std::string_view b);

std::string Base64Encode(std::string_view data);
Result<std::string> Base64Decode(std::string_view text);

// Returns a new unique id: 20 characters of Crockford base32, time-ordered (48-bit milliseconds)
// then 52 random bits, so ids sort by creation and never collide across nodes.
[[nodiscard]] std::string NewId();

}  // namespace anxin
