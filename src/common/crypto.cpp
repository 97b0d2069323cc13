#include "common/crypto.hpp"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <new>

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

namespace anxin {

namespace {

// Argon2id parameters: OWASP's minimum (t=2, m=19 MiB, p=1).
constexpr unsigned long long kPwhashOpsLimit = 2;
constexpr size_t kPwhashMemLimit = 19 * 1024 * 1024;

// crypto_kdf context and subkey ids for the master key's subkeys.
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "anxinkey";
constexpr uint64_t kSealSubkeyId = 1;
constexpr uint64_t kHashSubkeyId = 2;
constexpr uint64_t kAuditSubkeyId = 3;

constexpr size_t kKeyHexChars = 64;

std::string HexEncode(const unsigned char* data, size_t len) {
  std::string hex(len * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, len);
  hex.pop_back();
  return hex;
}

Status InvalidKeyFile(const std::string& path) {
  return Status(StatusCode::kInvalidArgument, "invalid_key_file",
                Text{"密钥文件 " + path + " 内容无效（应为64位十六进制数字）",
                     "Key file " + path + " does not hold a key (64 hex digits)"});
}

std::string ErrnoText(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void SyncDirectoryOf(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

enum class ReadOutcome { kRead, kAbsent, kError };

// Reads at most 4 KiB of `path` into `out` (a key file is far smaller; more means it is not one).
ReadOutcome ReadSmallFile(const std::string& path, std::string& out, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return ReadOutcome::kAbsent;
    error = ErrnoText("cannot open key file", path);
    return ReadOutcome::kError;
  }
  char buf[4097];
  size_t total = 0;
  while (total < sizeof buf) {
    const ssize_t n = ::read(fd, buf + total, sizeof buf - total);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = ErrnoText("cannot read key file", path);
      ::close(fd);
      return ReadOutcome::kError;
    }
    if (n == 0) break;
    total += static_cast<size_t>(n);
  }
  ::close(fd);
  out.assign(buf, total);
  sodium_memzero(buf, sizeof buf);
  return ReadOutcome::kRead;
}

// Parses a key file's text: 64 hex digits, then optionally one line ending.
bool ParseKeyText(std::string_view text, std::array<uint8_t, 32>& key) {
  if (text.ends_with("\r\n")) {
    text.remove_suffix(2);
  } else if (text.ends_with("\n")) {
    text.remove_suffix(1);
  }
  if (text.size() != kKeyHexChars) return false;
  size_t bin_len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(key.data(), key.size(), text.data(), text.size(), nullptr, &bin_len, &end) != 0)
    return false;
  return bin_len == key.size() && end == text.data() + text.size();
}

// Writes a new random key to `path` unless one appears there first. Returns the key now in the file
// (ours, or the one a concurrent starter wrote).
Result<KeyRing> CreateKeyFile(const std::string& path) {
  std::array<uint8_t, 32> master{};
  randombytes_buf(master.data(), master.size());
  std::string text = HexEncode(master.data(), master.size()) + "\n";

  std::string tmp = path + ".tmp.XXXXXX";
  const int fd = ::mkstemp(tmp.data());  // mode 0600
  if (fd < 0) {
    sodium_memzero(text.data(), text.size());
    return Status::Internal(ErrnoText("cannot create temporary key file", tmp));
  }
  const bool written = WriteAll(fd, text) && ::fsync(fd) == 0;
  const std::string write_error = written ? "" : ErrnoText("cannot write temporary key file", tmp);
  ::close(fd);
  sodium_memzero(text.data(), text.size());
  if (!written) {
    ::unlink(tmp.c_str());
    return Status::Internal(write_error);
  }

  // link() never replaces an existing file, so two processes starting at once cannot end up with
  // different keys; rename() is the fallback for file systems without hard links.
  if (::link(tmp.c_str(), path.c_str()) != 0) {
    const int link_errno = errno;
    if (link_errno == EEXIST) {
      ::unlink(tmp.c_str());
      sodium_memzero(master.data(), master.size());
      return KeyRing::LoadOrCreate(path);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
      const std::string error = ErrnoText("cannot install key file", path);
      ::unlink(tmp.c_str());
      return Status::Internal(error);
    }
  } else {
    ::unlink(tmp.c_str());
  }
  SyncDirectoryOf(path);
  KeyRing ring = KeyRing::FromKey(master);
  sodium_memzero(master.data(), master.size());
  return ring;
}

}  // namespace

void InitCrypto() {
  static const bool initialised = [] {
    if (sodium_init() < 0) {
      std::fprintf(stderr, "libsodium failed to initialise\n");
      std::abort();
    }
    return true;
  }();
  (void)initialised;
}

Result<KeyRing> KeyRing::LoadOrCreate(const std::string& path) {
  InitCrypto();
  std::string text;
  std::string error;
  switch (ReadSmallFile(path, text, error)) {
    case ReadOutcome::kAbsent:
      return CreateKeyFile(path);
    case ReadOutcome::kError:
      return Status::Internal(error);
    case ReadOutcome::kRead:
      break;
  }
  std::array<uint8_t, 32> master{};
  const bool parsed = ParseKeyText(text, master);
  sodium_memzero(text.data(), text.size());
  if (!parsed) return InvalidKeyFile(path);
  KeyRing ring = FromKey(master);
  sodium_memzero(master.data(), master.size());
  return ring;
}

KeyRing KeyRing::FromKey(const std::array<uint8_t, 32>& master) {
  static_assert(crypto_kdf_KEYBYTES == 32 && crypto_secretbox_KEYBYTES == 32);
  InitCrypto();
  KeyRing ring;
  crypto_kdf_derive_from_key(ring.seal_key_.data(), ring.seal_key_.size(), kSealSubkeyId, kKdfContext,
                             master.data());
  crypto_kdf_derive_from_key(ring.hash_key_.data(), ring.hash_key_.size(), kHashSubkeyId, kKdfContext,
                             master.data());
  crypto_kdf_derive_from_key(ring.audit_key_.data(), ring.audit_key_.size(), kAuditSubkeyId, kKdfContext,
                             master.data());
  return ring;
}

std::string KeyRing::Seal(std::string_view plaintext) const {
  std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), nonce,
                        seal_key_.data());
  return Base64Encode(box);
}

Result<std::string> KeyRing::Open(std::string_view sealed) const {
  Result<std::string> box = Base64Decode(sealed);
  if (!box.ok()) return Status::Internal("sealed value is not base64");
  constexpr size_t kOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (box->size() < kOverhead) return Status::Internal("sealed value is too short");
  const auto* nonce = reinterpret_cast<const unsigned char*>(box->data());
  std::string plaintext(box->size() - kOverhead, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plaintext.data()),
                                 nonce + crypto_secretbox_NONCEBYTES,
                                 box->size() - crypto_secretbox_NONCEBYTES, nonce, seal_key_.data()) != 0) {
    return Status::Internal("sealed value failed authentication");
  }
  return plaintext;
}

std::string KeyRing::LookupHash(std::string_view purpose, std::string_view value) const {
  // The purpose and a NUL separator come first, so equal values hash differently per purpose.
  std::string input;
  input.reserve(purpose.size() + 1 + value.size());
  input.append(purpose);
  input.push_back('\0');
  input.append(value);
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(input.data()), input.size(),
                     hash_key_.data(), hash_key_.size());
  sodium_memzero(input.data(), input.size());
  return HexEncode(out, sizeof out);
}

std::array<uint8_t, 64> KeyRing::AuditMac(std::string_view data) const {
  static_assert(crypto_generichash_BYTES_MAX >= 64);
  std::array<uint8_t, 64> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                     audit_key_.data(), audit_key_.size());
  return out;
}

std::string HashPassword(std::string_view password) {
  InitCrypto();
  char out[crypto_pwhash_STRBYTES];
  const char* data = password.empty() ? "" : password.data();
  if (crypto_pwhash_str_alg(out, data, password.size(), kPwhashOpsLimit, kPwhashMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::bad_alloc();  // the only failure: the 19 MiB work area could not be allocated
  }
  return out;
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  InitCrypto();
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES) return false;
  if (encoded.find('\0') != std::string_view::npos) return false;
  const std::string str(encoded);
  const char* data = password.empty() ? "" : password.data();
  return crypto_pwhash_str_verify(str.c_str(), data, password.size()) == 0;
}

bool PasswordNeedsRehash(std::string_view encoded) {
  InitCrypto();
  if (encoded.size() >= crypto_pwhash_STRBYTES || !encoded.starts_with(crypto_pwhash_argon2id_STRPREFIX))
    return true;
  if (encoded.find('\0') != std::string_view::npos) return true;
  const std::string str(encoded);
  return crypto_pwhash_str_needs_rehash(str.c_str(), kPwhashOpsLimit, kPwhashMemLimit) != 0;
}

std::string RandomToken(size_t bytes) {
  InitCrypto();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    kVariant);
  out.resize(std::strlen(out.c_str()));
  sodium_memzero(raw.data(), raw.size());
  return out;
}

std::string RandomDigits(size_t n) {
  InitCrypto();
  std::string out(n, '0');
  for (char& c : out) c = static_cast<char>('0' + randombytes_uniform(10));
  return out;
}

uint32_t RandomBelow(uint32_t bound) {
  InitCrypto();
  return randombytes_uniform(bound);
}

std::string Sha256Hex(std::string_view data) {
  InitCrypto();
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return HexEncode(out, sizeof out);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Base64Encode(std::string_view data) {
  InitCrypto();
  constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_ENCODED_LEN(data.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                    kVariant);
  out.pop_back();  // the terminating NUL
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  InitCrypto();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  // A null end pointer makes libsodium reject trailing characters it cannot parse.
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                        nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return Status(StatusCode::kInvalidArgument, "invalid_base64",
                  Text{"base64 编码无效", "The value is not valid base64"});
  }
  out.resize(len);
  return out;
}

std::string NewId() {
  using namespace std::chrono;
  return NewId(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

std::string NewId(int64_t now_ms) {
  InitCrypto();
  static constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const uint64_t time_bits = static_cast<uint64_t>(now_ms) & ((uint64_t{1} << 48) - 1);
  uint64_t random_bits = 0;
  randombytes_buf(&random_bits, sizeof random_bits);
  random_bits &= (uint64_t{1} << 49) - 1;  // room to count up within one millisecond
  {
    // Ids of one millisecond made by this process sort in the order they were made: the next one
    // counts up from the last (a card's events of one millisecond keep their order).
    static std::mutex mutex;
    static uint64_t last_time = ~uint64_t{0};
    static uint64_t last_random = 0;
    std::lock_guard lock(mutex);
    if (time_bits == last_time) random_bits = (last_random + 1) & ((uint64_t{1} << 50) - 1);
    last_time = time_bits;
    last_random = random_bits;
  }

  std::string id(20, '0');
  for (int i = 9; i >= 0; --i) {
    id[static_cast<size_t>(i)] = kCrockford[time_bits >> (5 * (9 - i)) & 31];
    id[static_cast<size_t>(10 + i)] = kCrockford[random_bits >> (5 * (9 - i)) & 31];
  }
  return id;
}

}  // namespace anxin
