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
// one for encrypting personal data at rest (secretbox), one for keyed look-up hashes, one for
// sealing the audit chains. Immutable after construction, so thread-safe.
class KeyRing {
 public:
  // Reads the key file at `path`, creating it (mode 0600, 32 random bytes hex-encoded) when absent.
  // Creation is atomic: the key is written and synced to a temporary file, then linked into place,
  // so a crash never leaves a partial key and concurrent starters all end up with the same key.
  // Returns kInvalidArgument ("invalid_key_file") if the file exists but does not hold a key (64 hex
  // digits, optionally followed by a newline), kInternal if it cannot be read or written.
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
  // Returns the keyed BLAKE2b-512 MAC of `data` under the audit subkey: the audit log seals its
  // records and chain heads with it, so that someone with access to the database alone cannot
  // recompute a chain. (Keyed BLAKE2b is a MAC by design, RFC 7693; one compression per 128 bytes
  // instead of HMAC-SHA256's four or more per call.)
  [[nodiscard]] std::array<uint8_t, 64> AuditMac(std::string_view data) const;

 private:
  std::array<uint8_t, 32> seal_key_{};
  std::array<uint8_t, 32> hash_key_{};
  std::array<uint8_t, 32> audit_key_{};
};

// Hashes `password` with Argon2id (libsodium, t=2, 19 MiB: OWASP's minimum). Returns the encoded
// hash string (it carries its own salt and parameters).
[[nodiscard]] std::string HashPassword(std::string_view password);
// Returns true if `password` matches `encoded`. Constant time in the password. Returns false for a
// malformed `encoded`.
[[nodiscard]] bool VerifyPassword(std::string_view encoded, std::string_view password);
// Returns true if `encoded` was made with other parameters than HashPassword's current ones (or is
// malformed), so the caller should re-hash the password after a successful verification.
[[nodiscard]] bool PasswordNeedsRehash(std::string_view encoded);

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

// Encodes / decodes standard base64 (RFC 4648 alphabet, with padding). Base64Decode returns
// kInvalidArgument ("invalid_base64") for anything else, including missing padding and white space.
std::string Base64Encode(std::string_view data);
Result<std::string> Base64Decode(std::string_view text);

// Returns a new unique id: 20 characters of Crockford base32, time-ordered (48-bit milliseconds,
// 10 characters) then 50 random bits (10 characters), so ids sort by creation time and do not
// collide across nodes. Within one millisecond a process's ids count up from a random start, so
// they sort in the order this process made them. Thread-safe.
[[nodiscard]] std::string NewId();
// Returns a new unique id for the instant `now_ms` (for services that take their time from a Clock).
[[nodiscard]] std::string NewId(int64_t now_ms);

}  // namespace anxin
