#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "common/status.hpp"
#include "notify/outbox_store.hpp"
#include "notify/sms_sender.hpp"
#include "storage/database.hpp"

namespace anxin::notify {

struct DispatcherOptions {
  // How often the background thread looks for due messages when nobody calls Wake().
  std::chrono::milliseconds poll_interval{200};
  // Messages claimed per round.
  int batch = 50;
  // Sends tried before a message that keeps failing with a retryable error is marked failed.
  int max_attempts = 8;
  // Delay before retry n (n = 1, 2, ...): backoff_base * 2^(n-1), at most backoff_cap.
  std::chrono::milliseconds backoff_base{2000};
  std::chrono::milliseconds backoff_cap{600000};
  // How long a claim keeps other dispatchers off a message. A claimed message whose send has not
  // started within half the lease is given back unsent, so the lease must comfortably exceed one
  // send's timeout.
  std::chrono::milliseconds lease{300000};
};

// Sends the outbox's pending messages through an SmsSender, at least once each: claims due
// messages in a short write transaction, sends each outside any transaction, and records each
// outcome in its own write. A retryable failure (kUnavailable, kResourceExhausted, kAborted) is
// retried with exponential backoff until max_attempts; any other failure (kInvalidArgument: the
// gateway refused it; a recipient that cannot be decrypted) marks the message failed at once.
// Several dispatchers (threads or nodes) may share one database: a message is claimed by one at a
// time, and an outcome is recorded only under the claim that sent it. A message is sent twice only
// if a dispatcher dies (or its lease runs out) after the gateway accepted it and before the outcome
// was recorded; the gateway can drop such duplicates by message_id.
// Logs one JSON event per send ("sms_sent", "sms_send_failed") with the masked recipient only.
// Thread-safe. `db`, `keys`, `clock` and `sender` must outlive the dispatcher.
class OutboxDispatcher {
 public:
  using Options = DispatcherOptions;

  OutboxDispatcher(storage::Database& db, const KeyRing& keys, const Clock& clock, SmsSender& sender,
                   Options options = {});
  // Stops the background thread if it runs.
  ~OutboxDispatcher();
  OutboxDispatcher(const OutboxDispatcher&) = delete;
  OutboxDispatcher& operator=(const OutboxDispatcher&) = delete;

  // Starts the background thread, which calls DispatchOnce every poll_interval (at once after
  // Wake(), and again without waiting while rounds come back full). No-op if already running.
  void Start();
  // Stops the background thread and joins it. A round in progress finishes its current send and
  // gives the rest of its claimed messages back unsent. Safe to call twice, or without Start().
  void Stop();
  // Makes the background thread look for due messages now (call after committing an Enqueue).
  void Wake();

  // Runs one round in the caller's thread: claims up to `batch` due messages, sends them and
  // records the outcomes, together in one transaction. Returns how many were claimed, or the database's error
  // when claiming fails (errors recording an outcome are logged; the message is then sent again after its
  // lease). Safe to call concurrently with other rounds.
  Result<int> DispatchOnce();

  // Returns the delay before the retry that follows failed attempt `attempts` (1-based).
  [[nodiscard]] std::chrono::milliseconds BackoffAfter(int64_t attempts) const;

 private:
  // A claimed message and what became of it: the provider's message id or the send's error, or
  // nothing when it was given back unsent.
  struct Outcome {
    const ClaimedMessage* message;
    std::optional<Result<std::string>> sent;
  };

  void Run();
  Result<std::string> Deliver(const ClaimedMessage& message);
  // Records the outcomes in one transaction, then logs each; errors are logged (the messages are
  // then sent again after their lease).
  void Record(const std::vector<Outcome>& outcomes);
  // Returns true if a send that failed with `error` is tried again.
  [[nodiscard]] bool RetryAfter(const ClaimedMessage& message, const Status& error) const;

  // Constant after construction.
  storage::Database& db_;
  const KeyRing& keys_;
  const Clock& clock_;
  SmsSender& sender_;
  const Options options_;

  // Guarded by mu_.
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  std::thread thread_;

  std::atomic<bool> stopping_{false};
  std::mutex lifecycle_mu_;  // serialises Start and Stop
};

}  // namespace anxin::notify
