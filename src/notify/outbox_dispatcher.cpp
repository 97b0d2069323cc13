#include "notify/outbox_dispatcher.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/log.hpp"

namespace anxin::notify {
namespace {

constexpr size_t kMaxErrorLength = 500;
// The longest a round leaves the outcomes of sent messages unrecorded.
constexpr int64_t kMaxUnrecordedMs = 200;

bool IsRetryable(StatusCode code) {
  return code == StatusCode::kUnavailable || code == StatusCode::kResourceExhausted ||
         code == StatusCode::kAborted;
}

// What last_error keeps: the stable reason and the English message, never a phone or a text
// (senders' messages name only HTTP statuses and transport failures).
std::string ErrorNote(const Status& status) {
  std::string note = std::string(status.reason().empty() ? StatusCodeName(status.code()) : status.reason());
  const std::string& detail = status.message().In("en");
  if (!detail.empty()) note += ": " + detail;
  if (note.size() > kMaxErrorLength) note.resize(kMaxErrorLength);
  return note;
}

}  // namespace

OutboxDispatcher::OutboxDispatcher(storage::Database& db, const KeyRing& keys, const Clock& clock,
                                   SmsSender& sender, Options options)
    : db_(db), keys_(keys), clock_(clock), sender_(sender), options_(std::move(options)) {}

OutboxDispatcher::~OutboxDispatcher() { Stop(); }

void OutboxDispatcher::Start() {
  std::lock_guard lifecycle(lifecycle_mu_);
  if (thread_.joinable()) return;
  stopping_.store(false);
  thread_ = std::thread([this] { Run(); });
}

void OutboxDispatcher::Stop() {
  std::lock_guard lifecycle(lifecycle_mu_);
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_.store(true);
  }
  cv_.notify_all();
  thread_.join();
  stopping_.store(false);
}

void OutboxDispatcher::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

std::chrono::milliseconds OutboxDispatcher::BackoffAfter(int64_t attempts) const {
  const int64_t cap = options_.backoff_cap.count();
  int64_t delay = options_.backoff_base.count();
  for (int64_t i = 1; i < attempts && delay < cap; ++i) delay *= 2;
  return std::chrono::milliseconds(std::min(delay, cap));
}

void OutboxDispatcher::Run() {
  while (!stopping_.load()) {
    Result<int> claimed = DispatchOnce();
    if (!claimed.ok()) {
      LogEvent(spdlog::level::warn, "outbox_dispatch_failed", {{"error", claimed.status().ToString()}});
    } else if (*claimed >= options_.batch) {
      continue;  // more may be due
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, options_.poll_interval, [this] { return woken_ || stopping_.load(); });
    woken_ = false;
  }
}

Result<int> OutboxDispatcher::DispatchOnce() {
  const int64_t claimed_at = clock_.NowMs();
  const int64_t lease = options_.lease.count();
  std::vector<ClaimedMessage> claimed;
  ANXIN_RETURN_IF_ERROR(db_.Write([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(claimed,
                           OutboxStore::ClaimDue(tx, claimed_at, claimed_at + lease, options_.batch));
    return Status::Ok();
  }));
  // The outcomes are recorded together, in one transaction (one commit for the round, not one per
  // message), and at least every kMaxUnrecordedMs so that a slow gateway does not leave sent
  // messages unrecorded for long.
  std::vector<Outcome> outcomes;
  int64_t first_unrecorded_at = 0;
  for (const ClaimedMessage& message : claimed) {
    // Past half the lease another dispatcher may soon claim the rest; on Stop() finish promptly.
    if (stopping_.load() || clock_.NowMs() - claimed_at > lease / 2) {
      outcomes.push_back({&message, std::nullopt});
      continue;
    }
    if (outcomes.empty()) first_unrecorded_at = clock_.NowMs();
    outcomes.push_back({&message, Deliver(message)});
    if (clock_.NowMs() - first_unrecorded_at >= kMaxUnrecordedMs) {
      Record(outcomes);
      outcomes.clear();
    }
  }
  Record(outcomes);
  return static_cast<int>(claimed.size());
}

Result<std::string> OutboxDispatcher::Deliver(const ClaimedMessage& message) {
  Result<std::string> phone = keys_.Open(message.recipient_enc);
  Result<std::string> text = keys_.Open(message.text_enc);
  if (!phone.ok() || !text.ok()) {
    return Status(StatusCode::kInternal, "undecryptable",
                  {"无法解密收件人或内容", "cannot decrypt the recipient or the text"});
  }
  if (message.channel != "sms") {
    return Status(StatusCode::kInvalidArgument, "unsupported_channel",
                  {"不支持的发送渠道", "unsupported channel"});
  }
  return sender_.Send(*phone, *text, message.id);
}

void OutboxDispatcher::Record(const std::vector<Outcome>& outcomes) {
  if (outcomes.empty()) return;
  const int64_t now = clock_.NowMs();
  // Whether each outcome was recorded (false: the claim was lost to another dispatcher).
  std::vector<bool> recorded(outcomes.size(), false);
  std::vector<Delivery> deliveries;
  for (const Outcome& outcome : outcomes) {
    if (outcome.sent && outcome.sent->ok()) {
      deliveries.push_back({outcome.message->id, outcome.message->attempts, **outcome.sent});
    }
  }
  const Status written = db_.Write([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(std::vector<std::string> delivered, OutboxStore::MarkSent(tx, deliveries, now));
    const std::set<std::string> recorded_sent(delivered.begin(), delivered.end());
    for (size_t i = 0; i < outcomes.size(); ++i) {
      const ClaimedMessage& message = *outcomes[i].message;
      bool done = false;
      if (!outcomes[i].sent) {
        ANXIN_RETURN_IF_ERROR(OutboxStore::Release(tx, message.id, message.attempts).status());
        done = true;
      } else if (outcomes[i].sent->ok()) {
        done = recorded_sent.contains(message.id);
      } else if (RetryAfter(message, outcomes[i].sent->status())) {
        ANXIN_ASSIGN_OR_RETURN(done, OutboxStore::MarkRetry(tx, message.id, message.attempts,
                                                            now + BackoffAfter(message.attempts).count(),
                                                            ErrorNote(outcomes[i].sent->status())));
      } else {
        ANXIN_ASSIGN_OR_RETURN(done, OutboxStore::MarkFailed(tx, message.id, message.attempts,
                                                             ErrorNote(outcomes[i].sent->status())));
      }
      recorded[i] = done;
    }
    return Status::Ok();
  });
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const ClaimedMessage& message = *outcomes[i].message;
    if (!written.ok()) {
      LogEvent(spdlog::level::err, outcomes[i].sent ? "outbox_record_failed" : "outbox_release_failed",
               {{"message_id", message.id}, {"error", written.ToString()}});
      continue;
    }
    if (!outcomes[i].sent) continue;
    nlohmann::json fields = {{"message_id", message.id},
                             {"to", message.recipient_masked},
                             {"template_code", message.template_code},
                             {"attempt", message.attempts}};
    const Result<std::string>& sent = *outcomes[i].sent;
    if (sent.ok()) {
      fields["provider_message_id"] = *sent;
      LogEvent(spdlog::level::info, "sms_sent", fields);
    } else {
      const bool retry = RetryAfter(message, sent.status());
      fields["error"] = ErrorNote(sent.status());
      fields["retry"] = retry;
      if (retry) fields["next_attempt_at"] = FormatTimestamp(now + BackoffAfter(message.attempts).count());
      LogEvent(retry ? spdlog::level::warn : spdlog::level::err, "sms_send_failed", fields);
    }
    if (!recorded[i]) {
      LogEvent(spdlog::level::warn, "outbox_claim_lost",
               {{"message_id", message.id}, {"attempt", message.attempts}});
    }
  }
}

bool OutboxDispatcher::RetryAfter(const ClaimedMessage& message, const Status& error) const {
  return IsRetryable(error.code()) && message.attempts < options_.max_attempts;
}

}  // namespace anxin::notify
