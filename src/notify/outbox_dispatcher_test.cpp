// The dispatcher over a real database (SQLite and PostgreSQL) with a recording sender and a fake
// clock: delivery, backoff, permanent failures, attempts, concurrency, the background thread.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/log.hpp"
#include "notify/notify_test_support.hpp"

namespace anxin::notify {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

class OutboxDispatcherTest : public OutboxTestBase {};

TEST_F(OutboxDispatcherTest, SendsAnEnqueuedMessageWithTheDecryptedRecipientAndText) {
  const std::string text = "张三先生：您的保单 P2026000123 已生效。";
  const std::string id = Enqueue(Message(text, "+86 138 1234 5678"));
  auto dispatcher = MakeDispatcher();
  clock_.Advance(50);

  Result<int> claimed = dispatcher->DispatchOnce();
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  EXPECT_EQ(*claimed, 1);
  const std::vector<SentSms> sent = sender_.Sent();
  ASSERT_EQ(sent.size(), 1U);
  EXPECT_EQ(sent[0].phone, kPhone);
  EXPECT_EQ(sent[0].text, text);
  EXPECT_EQ(sent[0].message_id, id);

  const OutboxEntry entry = Get(id);
  EXPECT_EQ(entry.status, MessageStatus::kSent);
  EXPECT_EQ(entry.attempts, 1);
  EXPECT_EQ(entry.sent_at, kStartMs + 50);
  EXPECT_EQ(entry.provider_message_id, "rec-1");
  EXPECT_FALSE(entry.last_error.has_value());

  // Nothing is left to send.
  claimed = dispatcher->DispatchOnce();
  ASSERT_TRUE(claimed.ok());
  EXPECT_EQ(*claimed, 0);
  EXPECT_EQ(sender_.Calls(), 1);
}

TEST_F(OutboxDispatcherTest, RetryableFailuresBackOffAndSucceedLater) {
  const std::string id = Enqueue(Message());
  auto dispatcher = MakeDispatcher();
  sender_.FailNext(2, StatusCode::kUnavailable);

  ASSERT_EQ(*dispatcher->DispatchOnce(), 1);
  OutboxEntry entry = Get(id);
  EXPECT_EQ(entry.status, MessageStatus::kPending);
  EXPECT_EQ(entry.attempts, 1);
  EXPECT_EQ(entry.next_attempt_at, kStartMs + 2000);  // base 2 s
  ASSERT_TRUE(entry.last_error.has_value());
  EXPECT_THAT(*entry.last_error, HasSubstr("sms_gateway_unavailable"));

  clock_.Advance(1999);
  EXPECT_EQ(*dispatcher->DispatchOnce(), 0);  // not yet due
  clock_.Advance(1);
  ASSERT_EQ(*dispatcher->DispatchOnce(), 1);  // second attempt fails too
  entry = Get(id);
  EXPECT_EQ(entry.attempts, 2);
  EXPECT_EQ(entry.next_attempt_at, kStartMs + 2000 + 4000);  // doubled

  clock_.Advance(3999);
  EXPECT_EQ(*dispatcher->DispatchOnce(), 0);
  clock_.Advance(1);
  ASSERT_EQ(*dispatcher->DispatchOnce(), 1);
  entry = Get(id);
  EXPECT_EQ(entry.status, MessageStatus::kSent);
  EXPECT_EQ(entry.attempts, 3);
  EXPECT_FALSE(entry.last_error.has_value());
  EXPECT_EQ(sender_.Sent().size(), 1U);
  EXPECT_EQ(sender_.Calls(), 3);
}

TEST_F(OutboxDispatcherTest, RateLimitedSendsAreRetried) {
  const std::string id = Enqueue(Message());
  auto dispatcher = MakeDispatcher();
  sender_.FailNext(1, StatusCode::kResourceExhausted);
  ASSERT_EQ(*dispatcher->DispatchOnce(), 1);
  EXPECT_EQ(Get(id).status, MessageStatus::kPending);
  clock_.Advance(2000);
  ASSERT_EQ(*dispatcher->DispatchOnce(), 1);
  EXPECT_EQ(Get(id).status, MessageStatus::kSent);
}

TEST_F(OutboxDispatcherTest, PermanentFailureMarksTheMessageFailedAtOnce) {
  const std::string id = Enqueue(Message());
  auto dispatcher = MakeDispatcher();
  sender_.FailNext(1, StatusCode::kInvalidArgument);

  ASSERT_EQ(*dispatcher->DispatchOnce(), 1);
  const OutboxEntry entry = Get(id);
  EXPECT_EQ(entry.status, MessageStatus::kFailed);
  EXPECT_EQ(entry.attempts, 1);
  ASSERT_TRUE(entry.last_error.has_value());
  EXPECT_THAT(*entry.last_error, HasSubstr("sms_rejected"));

  clock_.Advance(24LL * 3600 * 1000);
  EXPECT_EQ(*dispatcher->DispatchOnce(), 0);
  EXPECT_EQ(sender_.Calls(), 1);
  EXPECT_TRUE(sender_.Sent().empty());
}

TEST_F(OutboxDispatcherTest, GivesUpAfterMaxAttempts) {
  const std::string id = Enqueue(Message());
  auto dispatcher = MakeDispatcher({.max_attempts = 4});
  sender_.FailNext(100, StatusCode::kUnavailable);

  for (int round = 0; round < 10; ++round) {
    ASSERT_TRUE(dispatcher->DispatchOnce().ok());
    clock_.Advance(600000);  // past any backoff
  }
  const OutboxEntry entry = Get(id);
  EXPECT_EQ(entry.status, MessageStatus::kFailed);
  EXPECT_EQ(entry.attempts, 4);
  EXPECT_EQ(sender_.Calls(), 4);
}

TEST_F(OutboxDispatcherTest, DefaultMaxAttemptsIsEight) {
  const std::string id = Enqueue(Message());
  auto dispatcher = MakeDispatcher();
  sender_.FailNext(100, StatusCode::kUnavailable);
  for (int round = 0; round < 12; ++round) {
    ASSERT_TRUE(dispatcher->DispatchOnce().ok());
    clock_.Advance(600000);
  }
  EXPECT_EQ(Get(id).status, MessageStatus::kFailed);
  EXPECT_EQ(sender_.Calls(), 8);
}

TEST_F(OutboxDispatcherTest, BackoffDoublesFromTwoSecondsUpToTenMinutes) {
  auto dispatcher = MakeDispatcher();
  const std::vector<std::pair<int64_t, int64_t>> cases = {
      {1, 2000}, {2, 4000}, {3, 8000}, {4, 16000}, {8, 256000}, {9, 512000}, {10, 600000}, {60, 600000}};
  for (const auto& [attempts, delay_ms] : cases) {
    EXPECT_EQ(dispatcher->BackoffAfter(attempts).count(), delay_ms) << "after attempt " << attempts;
  }
}

TEST_F(OutboxDispatcherTest, UndecryptableMessagesFailWithoutBeingSent) {
  const std::string id = Enqueue(Message());
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) {
                   return tx
                       .Exec("UPDATE outbox_messages SET recipient_enc = ? WHERE id = ?",
                             {KeyRing::FromKey({}).Seal(kPhone), id})
                       .status();
                 })
                  .ok());
  auto dispatcher = MakeDispatcher();
  ASSERT_EQ(*dispatcher->DispatchOnce(), 1);
  EXPECT_EQ(Get(id).status, MessageStatus::kFailed);
  EXPECT_EQ(Get(id).last_error.value_or(""), "undecryptable: cannot decrypt the recipient or the text");
  EXPECT_EQ(sender_.Calls(), 0);
}

TEST_F(OutboxDispatcherTest, RoundsTakeAtMostOneBatch) {
  for (int i = 0; i < 7; ++i) Enqueue(Message());
  auto dispatcher = MakeDispatcher({.batch = 3});
  EXPECT_EQ(*dispatcher->DispatchOnce(), 3);
  EXPECT_EQ(*dispatcher->DispatchOnce(), 3);
  EXPECT_EQ(*dispatcher->DispatchOnce(), 1);
  EXPECT_EQ(*dispatcher->DispatchOnce(), 0);
  EXPECT_EQ(sender_.Sent().size(), 7U);
}

TEST_F(OutboxDispatcherTest, TwoDispatchersOnOneDatabaseNeverSendAMessageTwice) {
  constexpr int kMessages = 80;
  std::set<std::string> ids;
  for (int i = 0; i < kMessages; ++i) ids.insert(Enqueue(Message("第 " + std::to_string(i) + " 条")));
  auto first = MakeDispatcher({.batch = 4});
  auto second = MakeDispatcher({.batch = 4});
  auto drain = [](OutboxDispatcher& dispatcher) {
    for (;;) {
      Result<int> claimed = dispatcher.DispatchOnce();
      EXPECT_TRUE(claimed.ok()) << claimed.status().ToString();
      if (!claimed.ok() || *claimed == 0) return;
    }
  };
  std::thread a([&] { drain(*first); });
  std::thread b([&] { drain(*second); });
  a.join();
  b.join();

  const std::vector<SentSms> sent = sender_.Sent();
  std::multiset<std::string> sent_ids;
  for (const SentSms& sms : sent) sent_ids.insert(sms.message_id);
  EXPECT_EQ(sent.size(), static_cast<size_t>(kMessages));
  EXPECT_EQ(std::set<std::string>(sent_ids.begin(), sent_ids.end()), ids);
  for (const std::string& id : ids) EXPECT_EQ(sent_ids.count(id), 1U) << id;
  for (const OutboxEntry& entry : List()) {
    EXPECT_EQ(entry.status, MessageStatus::kSent);
    EXPECT_EQ(entry.attempts, 1);
  }
}

TEST_F(OutboxDispatcherTest, BackgroundThreadSendsAfterWakeAndStopsPromptly) {
  auto dispatcher = MakeDispatcher({.poll_interval = 60s});  // only Wake() can start a round
  dispatcher->Start();
  dispatcher->Start();                // no-op
  std::this_thread::sleep_for(50ms);  // the first round found nothing
  const std::string id = Enqueue(Message());
  dispatcher->Wake();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (sender_.Sent().empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  ASSERT_EQ(sender_.Sent().size(), 1U);

  const auto stop_started = std::chrono::steady_clock::now();
  dispatcher->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, 5s);  // not the 60 s poll interval
  dispatcher->Stop();                                              // safe twice
  // A stopped dispatcher sends nothing more.
  Enqueue(Message());
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(sender_.Sent().size(), 1U);
  EXPECT_EQ(Get(id).status, MessageStatus::kSent);  // recorded before Stop() returned
}

TEST_F(OutboxDispatcherTest, BackgroundThreadPollsWithoutWake) {
  Enqueue(Message());
  Enqueue(Message());
  auto dispatcher = MakeDispatcher({.poll_interval = 20ms, .batch = 1});
  dispatcher->Start();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (sender_.Sent().size() < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  dispatcher->Stop();
  EXPECT_EQ(sender_.Sent().size(), 2U);
}

// Runs a hook inside each send (after recording it in the wrapped RecordingSmsSender).
class HookedSender final : public SmsSender {
 public:
  HookedSender(RecordingSmsSender& inner, std::function<void()> hook)
      : inner_(inner), hook_(std::move(hook)) {}
  Result<std::string> Send(const std::string& phone, const std::string& text,
                           const std::string& message_id) override {
    Result<std::string> result = inner_.Send(phone, text, message_id);
    hook_();
    return result;
  }

 private:
  RecordingSmsSender& inner_;
  std::function<void()> hook_;
};

TEST_F(OutboxDispatcherTest, StopGivesBackTheRestOfARoundUnsent) {
  for (int i = 0; i < 3; ++i) Enqueue(Message());
  std::mutex mu;
  std::condition_variable cv;
  bool sending = false;
  bool release = false;
  HookedSender sender(sender_, [&] {
    std::unique_lock lock(mu);
    sending = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
  });
  OutboxDispatcher dispatcher(*db_, keys_, clock_, sender, {.poll_interval = 60s});
  dispatcher.Start();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return sending; }));
  }
  std::thread stopper([&] { dispatcher.Stop(); });  // waits for the send in progress
  std::this_thread::sleep_for(50ms);
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  stopper.join();

  EXPECT_EQ(sender_.Sent().size(), 1U);
  int pending = 0;
  for (const OutboxEntry& entry : List()) {
    if (entry.status != MessageStatus::kPending) continue;
    ++pending;
    EXPECT_EQ(entry.attempts, 0);                // the claim's attempt is not counted
    EXPECT_EQ(entry.next_attempt_at, kStartMs);  // due again at once
  }
  EXPECT_EQ(pending, 2);
}

TEST_F(OutboxDispatcherTest, ARoundPastHalfItsLeaseGivesBackTheRest) {
  for (int i = 0; i < 3; ++i) Enqueue(Message());
  HookedSender slow(sender_, [&] { clock_.Advance(20000); });  // each send "takes" 20 s
  OutboxDispatcher dispatcher(*db_, keys_, clock_, slow, {.lease = 60s});
  ASSERT_EQ(*dispatcher.DispatchOnce(), 3);
  EXPECT_EQ(sender_.Sent().size(), 2U);  // the third would start after 40 s > half of 60 s
  ASSERT_EQ(*dispatcher.DispatchOnce(), 1);
  EXPECT_EQ(sender_.Sent().size(), 3U);
  for (const OutboxEntry& entry : List()) {
    EXPECT_EQ(entry.status, MessageStatus::kSent);
    EXPECT_EQ(entry.attempts, 1);
  }
}

TEST_F(OutboxDispatcherTest, StopWithoutStartIsHarmless) {
  auto dispatcher = MakeDispatcher();
  dispatcher->Stop();
  dispatcher->Stop();
  Enqueue(Message());
  EXPECT_EQ(*dispatcher->DispatchOnce(), 1);
}

// RULES.md §6: logs carry the masked recipient only, never the phone or the text.
TEST_F(OutboxDispatcherTest, LogsSendsWithTheMaskedRecipientOnly) {
  std::ostringstream logs;
  SetLogSink(std::make_shared<spdlog::sinks::ostream_sink_mt>(logs));
  SetLogLevel(spdlog::level::info);
  const std::string sent_id = Enqueue(Message("张三：保单 P2026000123 已生效"));
  auto dispatcher = MakeDispatcher();
  ASSERT_EQ(*dispatcher->DispatchOnce(), 1);
  const std::string failed_id = Enqueue(Message("李四：保单 P2026000456 已生效", "13900001111"));
  sender_.FailNext(1, StatusCode::kInvalidArgument);
  ASSERT_EQ(*dispatcher->DispatchOnce(), 1);
  SetLogSink(nullptr);

  const std::string text = logs.str();
  EXPECT_THAT(text, HasSubstr("\"event\":\"sms_sent\""));
  EXPECT_THAT(text, HasSubstr("\"event\":\"sms_send_failed\""));
  EXPECT_THAT(text, HasSubstr("138****5678"));
  EXPECT_THAT(text, HasSubstr("139****1111"));
  EXPECT_THAT(text, HasSubstr(sent_id));
  EXPECT_THAT(text, HasSubstr(failed_id));
  EXPECT_THAT(text, Not(HasSubstr(kPhone)));
  EXPECT_THAT(text, Not(HasSubstr("13900001111")));
  EXPECT_THAT(text, Not(HasSubstr("张三")));
  EXPECT_THAT(text, Not(HasSubstr("P2026000456")));
}

}  // namespace
}  // namespace anxin::notify
