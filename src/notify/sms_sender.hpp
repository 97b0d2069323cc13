#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/status.hpp"

namespace anxin::notify {

// Sends one SMS through a gateway the platform does not control.
class SmsSender {
 public:
  virtual ~SmsSender() = default;
  // Sends `text` to `phone` (11 digits). `message_id` is the outbox id: the gateway may use it to
  // drop duplicates, since a message can be sent again after a crash. Returns the provider's
  // message id, or kInvalidArgument when the gateway refused the message for good (do not retry),
  // or kUnavailable (also kResourceExhausted) when it may succeed later. Implementations are
  // thread-safe.
  virtual Result<std::string> Send(const std::string& phone, const std::string& text,
                                   const std::string& message_id) = 0;
};

// The webhook protocol, both directions (the README documents it for gateway operators):
//   POST <url>, Content-Type: application/json; charset=utf-8
//   X-Anxin-Timestamp: <Unix seconds>
//   X-Anxin-Signature: <lower-case hex HMAC-SHA256(secret, timestamp + "." + body)>
//   body (outbound): {"message_id": "...", "text": "...", "to": "13812345678"}
inline constexpr std::string_view kTimestampHeader = "X-Anxin-Timestamp";
inline constexpr std::string_view kSignatureHeader = "X-Anxin-Signature";

// Returns the lower-case hex HMAC-SHA256 (RFC 2104, any key length) of `timestamp` + "." + `body`
// under `secret`.
[[nodiscard]] std::string SignWebhook(std::string_view secret, std::string_view timestamp,
                                      std::string_view body);

// Checks a signed webhook: `signature_hex` (upper or lower case) must be SignWebhook(secret,
// timestamp, body), compared in constant time, and `timestamp` (Unix seconds, decimal digits) must
// lie within `tolerance_ms` of `now_ms`. Returns OK, or kUnauthenticated with reason
// "invalid_signature" or "stale_timestamp" (also for a timestamp that is not a number).
Status VerifyWebhookSignature(std::string_view secret, std::string_view timestamp, std::string_view body,
                              std::string_view signature_hex, int64_t now_ms, int64_t tolerance_ms = 300000);

// Sends SMS by POSTing to an HTTP(S) webhook of the gateway, signed as above. A 2xx answer means
// sent: the provider id is the string field "id" of a JSON reply, else `message_id`. 4xx (except
// 408 and 429) means refused for good: kInvalidArgument "sms_rejected". 408, 429, 5xx, timeouts,
// connection failures and a malformed URL are retryable: kUnavailable "sms_gateway_unavailable".
// Messages (and so the outbox's last_error) name the HTTP status or the failure, never the phone,
// the text or the reply body. One libcurl handle per call; thread-safe.
class WebhookSmsSender final : public SmsSender {
 public:
  // `timeout` bounds each whole request (connecting included). `clock` (null: the system clock)
  // gives the timestamp; it must outlive the sender.
  WebhookSmsSender(std::string url, std::string secret, std::chrono::milliseconds timeout,
                   const Clock* clock = nullptr);

  Result<std::string> Send(const std::string& phone, const std::string& text,
                           const std::string& message_id) override;

 private:
  const std::string url_;
  const std::string secret_;
  const std::chrono::milliseconds timeout_;
  const Clock& clock_;
};

// One message a RecordingSmsSender accepted.
struct SentSms {
  std::string phone;
  std::string text;
  std::string message_id;
  std::string provider_message_id;
};

// Keeps the messages in memory instead of sending them (tests, demos). Thread-safe.
class RecordingSmsSender final : public SmsSender {
 public:
  // Records the message and returns "rec-<n>" (n counts accepted messages from 1), or fails
  // without recording while failures are armed (FailNext).
  Result<std::string> Send(const std::string& phone, const std::string& text,
                           const std::string& message_id) override;

  // Makes the next `count` sends fail with `code` (kUnavailable: retryable; kInvalidArgument:
  // permanent).
  void FailNext(int count, StatusCode code = StatusCode::kUnavailable);
  // Returns the accepted messages, oldest first.
  [[nodiscard]] std::vector<SentSms> Sent() const;
  // Returns how many times Send was called, failed calls included.
  [[nodiscard]] int Calls() const;
  // Forgets the accepted messages, the call count and armed failures.
  void Clear();

 private:
  // Guarded by mu_.
  mutable std::mutex mu_;
  std::vector<SentSms> sent_;
  int calls_ = 0;
  int fail_remaining_ = 0;
  StatusCode fail_code_ = StatusCode::kUnavailable;
  int64_t next_provider_id_ = 1;
};

}  // namespace anxin::notify
