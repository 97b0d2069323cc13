#pragma once

// A fixture for the outbox tests: a fresh migrated database, a fake clock, a key ring, the SQL
// outbox and a recording SMS sender, with helpers to enqueue and inspect messages.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "notify/outbox_dispatcher.hpp"
#include "notify/outbox_store.hpp"
#include "notify/sms_sender.hpp"
#include "storage/testing.hpp"

namespace anxin::notify {

class OutboxTestBase : public ::testing::Test {
 protected:
  static constexpr int64_t kStartMs = 1767225600000;  // 2026-01-01T08:00:00+08:00
  static constexpr const char* kPhone = "13812345678";

  void SetUp() override {
    Result<std::unique_ptr<storage::Database>> db = storage::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << "backend " << storage::testing::TestBackendName() << ": "
                         << db.status().ToString();
    db_ = std::move(db).value();
  }

  static OutboundMessage Message(std::string text = "您的保单 P2026000123 已生效，被保险人张三。",
                                 std::string recipient = kPhone, std::string ref_id = "P2026000123") {
    OutboundMessage message;
    message.recipient = std::move(recipient);
    message.template_code = "card_activated";
    message.text = std::move(text);
    message.ref_type = OutboxRefType::kPolicy;
    message.ref_id = std::move(ref_id);
    return message;
  }

  // Enqueues `message` in its own transaction and returns its id ("" on failure, which fails the
  // test).
  std::string Enqueue(const OutboundMessage& message) {
    Result<std::string> id =
        db_->WriteResult<std::string>([&](storage::Tx& tx) { return outbox_.Enqueue(tx, message); });
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : "";
  }

  std::vector<OutboxEntry> List(OutboxFilter filter = {}) {
    filter.limit = 500;
    Result<std::vector<OutboxEntry>> entries = db_->ReadResult<std::vector<OutboxEntry>>(
        [&](storage::Tx& tx) { return OutboxStore::List(tx, filter); });
    EXPECT_TRUE(entries.ok()) << entries.status().ToString();
    return entries.ok() ? *entries : std::vector<OutboxEntry>{};
  }

  // Returns the message with `id` as operations see it; fails the test when it does not exist.
  OutboxEntry Get(const std::string& id) {
    for (const OutboxEntry& entry : List()) {
      if (entry.id == id) return entry;
    }
    ADD_FAILURE() << "no outbox message " << id;
    return {};
  }

  // Returns when the claim on message `id` ends (0: not claimed).
  int64_t ClaimedUntil(const std::string& id) {
    Result<int64_t> until = db_->ReadResult<int64_t>([&](storage::Tx& tx) -> Result<int64_t> {
      ANXIN_ASSIGN_OR_RETURN(std::optional<storage::Row> row,
                             tx.QueryOne("SELECT claimed_until FROM outbox_messages WHERE id = ?", {id}));
      if (!row) return Status(StatusCode::kNotFound, "not_found", {"无此消息", "no such message"});
      return row->Int(0);
    });
    EXPECT_TRUE(until.ok()) << until.status().ToString();
    return until.ok() ? *until : -1;
  }

  int64_t CountMessages() {
    Result<int64_t> count = db_->ReadResult<int64_t>([](storage::Tx& tx) -> Result<int64_t> {
      ANXIN_ASSIGN_OR_RETURN(std::optional<storage::Row> row,
                             tx.QueryOne("SELECT COUNT(*) FROM outbox_messages"));
      return row->Int(0);
    });
    EXPECT_TRUE(count.ok()) << count.status().ToString();
    return count.ok() ? *count : -1;
  }

  std::unique_ptr<OutboxDispatcher> MakeDispatcher(DispatcherOptions options = {}) {
    return std::make_unique<OutboxDispatcher>(*db_, keys_, clock_, sender_, options);
  }

  FakeClock clock_{kStartMs};
  const KeyRing keys_ = KeyRing::FromKey(std::array<uint8_t, 32>{
      7, 1, 4, 2, 8, 5, 7, 1, 4, 2, 8, 5, 7, 1, 4, 2, 8, 5, 7, 1, 4, 2, 8, 5, 7, 1, 4, 2, 8, 5, 7, 1});
  std::unique_ptr<storage::Database> db_;
  SqlOutbox outbox_{keys_, clock_};
  RecordingSmsSender sender_;
};

}  // namespace anxin::notify
