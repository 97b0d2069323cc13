#include "notify/sms_sender.hpp"

#include <sodium.h>

#include <array>
#include <string>

#include "common/crypto.hpp"

namespace anxin::notify {
namespace {

using Mac = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

Mac ComputeMac(std::string_view secret, std::string_view timestamp, std::string_view body) {
  InitCrypto();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(timestamp.data()),
                                timestamp.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>("."), 1);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  Mac mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return mac;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Status InvalidSignature() {
  return Status(StatusCode::kUnauthenticated, "invalid_signature", {"签名无效", "the signature is invalid"});
}

Status StaleTimestamp() {
  return Status(StatusCode::kUnauthenticated, "stale_timestamp",
                {"请求时间戳无效或已过期", "the timestamp is missing, malformed or too far from now"});
}

}  // namespace

std::string SignWebhook(std::string_view secret, std::string_view timestamp, std::string_view body) {
  const Mac mac = ComputeMac(secret, timestamp, body);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(mac.size() * 2);
  for (unsigned char byte : mac) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0F]);
  }
  return hex;
}

Status VerifyWebhookSignature(std::string_view secret, std::string_view timestamp, std::string_view body,
                              std::string_view signature_hex, int64_t now_ms, int64_t tolerance_ms) {
  // Decode the presented signature without branching on its digits' values.
  Mac presented{};
  bool well_formed = signature_hex.size() == presented.size() * 2;
  if (well_formed) {
    for (size_t i = 0; i < presented.size(); ++i) {
      const int high = HexValue(signature_hex[2 * i]);
      const int low = HexValue(signature_hex[2 * i + 1]);
      well_formed &= high >= 0 && low >= 0;
      presented[i] = static_cast<unsigned char>(((high & 0x0F) << 4) | (low & 0x0F));
    }
  }
  const Mac expected = ComputeMac(secret, timestamp, body);
  const bool equal = sodium_memcmp(presented.data(), expected.data(), expected.size()) == 0;
  if (!well_formed || !equal) return InvalidSignature();

  // The timestamp is covered by the signature, so it is checked only once the signature holds.
  if (timestamp.empty() || timestamp.size() > 12) return StaleTimestamp();
  int64_t seconds = 0;
  for (char c : timestamp) {
    if (c < '0' || c > '9') return StaleTimestamp();
    seconds = seconds * 10 + (c - '0');
  }
  const int64_t skew = seconds * 1000 - now_ms;
  if (skew > tolerance_ms || skew < -tolerance_ms) return StaleTimestamp();
  return Status::Ok();
}

Result<std::string> RecordingSmsSender::Send(const std::string& phone, const std::string& text,
                                             const std::string& message_id) {
  std::lock_guard lock(mu_);
  ++calls_;
  if (fail_remaining_ > 0) {
    --fail_remaining_;
    if (fail_code_ == StatusCode::kInvalidArgument) {
      return Status(StatusCode::kInvalidArgument, "sms_rejected",
                    {"短信网关拒绝了该短信（测试）", "the SMS gateway refused the message (test)"});
    }
    return Status(fail_code_, "sms_gateway_unavailable",
                  {"短信网关暂不可用（测试）", "the SMS gateway is unavailable (test)"});
  }
  std::string provider_id = "rec-" + std::to_string(next_provider_id_++);
  sent_.push_back(SentSms{phone, text, message_id, provider_id});
  return provider_id;
}

void RecordingSmsSender::FailNext(int count, StatusCode code) {
  std::lock_guard lock(mu_);
  fail_remaining_ = count;
  fail_code_ = code;
}

std::vector<SentSms> RecordingSmsSender::Sent() const {
  std::lock_guard lock(mu_);
  return sent_;
}

int RecordingSmsSender::Calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

void RecordingSmsSender::Clear() {
  std::lock_guard lock(mu_);
  sent_.clear();
  calls_ = 0;
  fail_remaining_ = 0;
  fail_code_ = StatusCode::kUnavailable;
  next_provider_id_ = 1;
}

}  // namespace anxin::notify
