// The outbox table and its SQL: enqueue validation, sealing at rest, claims and fences. Runs on
// SQLite and PostgreSQL (notify_outbox_test_{sqlite,postgres}).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "common/validation.hpp"
#include "notify/notify_test_support.hpp"

namespace anxin::notify {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class OutboxStoreTest : public OutboxTestBase {
 protected:
  Result<std::vector<ClaimedMessage>> Claim(int64_t now, int64_t lease_until, int limit = 50) {
    return db_->WriteResult<std::vector<ClaimedMessage>>(
        [&](storage::Tx& tx) { return OutboxStore::ClaimDue(tx, now, lease_until, limit); });
  }

  // Marks `deliveries` sent; returns the ids recorded.
  std::vector<std::string> MarkSent(const std::vector<Delivery>& deliveries, int64_t sent_at) {
    Result<std::vector<std::string>> recorded = db_->WriteResult<std::vector<std::string>>(
        [&](storage::Tx& tx) { return OutboxStore::MarkSent(tx, deliveries, sent_at); });
    EXPECT_TRUE(recorded.ok()) << recorded.status().ToString();
    return recorded.ok() ? *recorded : std::vector<std::string>{};
  }

  template <typename Fn>
  bool Outcome(Fn&& fn) {
    Result<bool> changed = db_->WriteResult<bool>(fn);
    EXPECT_TRUE(changed.ok()) << changed.status().ToString();
    return changed.ok() && *changed;
  }
};

struct InvalidCase {
  std::string name;
  OutboundMessage message;
  std::string field;
  std::string code;
};

OutboundMessage With(void (*change)(OutboundMessage&)) {
  OutboundMessage message;
  message.recipient = "13812345678";
  message.template_code = "card_activated";
  message.text = "您的保单已生效。";
  message.ref_type = OutboxRefType::kPolicy;
  message.ref_id = "P1";
  change(message);
  return message;
}

TEST_F(OutboxStoreTest, EnqueueRejectsInvalidMessagesNamingTheField) {
  const std::vector<InvalidCase> cases = {
      {"landline", With([](OutboundMessage& m) { m.recipient = "01012345678"; }), "recipient",
       "invalid_format"},
      {"short phone", With([](OutboundMessage& m) { m.recipient = "1381234567"; }), "recipient",
       "invalid_format"},
      {"empty phone", With([](OutboundMessage& m) { m.recipient = ""; }), "recipient", "invalid_format"},
      {"email channel", With([](OutboundMessage& m) { m.channel = "email"; }), "channel", "unsupported"},
      {"empty text", With([](OutboundMessage& m) { m.text = ""; }), "text", "required"},
      {"501 characters", With([](OutboundMessage& m) { m.text = std::string(501, 'a'); }), "text",
       "too_long"},
      {"501 Chinese characters", With([](OutboundMessage& m) {
         m.text.clear();
         for (int i = 0; i < 501; ++i) m.text += "保";
       }),
       "text", "too_long"},
      {"invalid UTF-8", With([](OutboundMessage& m) { m.text = "bad \xC3\x28"; }), "text", "invalid_format"},
      {"no template", With([](OutboundMessage& m) { m.template_code = ""; }), "template_code", "required"},
      {"upper-case template", With([](OutboundMessage& m) { m.template_code = "CardActivated"; }),
       "template_code", "invalid_format"},
      {"long ref_id", With([](OutboundMessage& m) { m.ref_id = std::string(129, 'x'); }), "ref_id",
       "too_long"},
  };
  for (const InvalidCase& c : cases) {
    Result<std::string> id =
        db_->WriteResult<std::string>([&](storage::Tx& tx) { return outbox_.Enqueue(tx, c.message); });
    ASSERT_FALSE(id.ok()) << c.name;
    EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_EQ(id.status().reason(), "validation_failed") << c.name;
    ASSERT_EQ(id.status().fields().size(), 1U) << c.name << ": " << id.status().ToString();
    EXPECT_EQ(id.status().fields()[0].field, c.field) << c.name;
    EXPECT_EQ(id.status().fields()[0].code, c.code) << c.name;
  }
  EXPECT_EQ(CountMessages(), 0);
}

TEST_F(OutboxStoreTest, EnqueueReportsEveryInvalidFieldAtOnce) {
  OutboundMessage message;
  message.recipient = "12345";
  message.channel = "fax";
  Result<std::string> id =
      db_->WriteResult<std::string>([&](storage::Tx& tx) { return outbox_.Enqueue(tx, message); });
  ASSERT_FALSE(id.ok());
  std::vector<std::string> fields;
  for (const FieldError& error : id.status().fields()) fields.push_back(error.field);
  EXPECT_THAT(fields, ElementsAre("channel", "recipient", "text", "template_code"));
}

TEST_F(OutboxStoreTest, EnqueueAcceptsTextOfExactly500Characters) {
  std::string text;
  for (int i = 0; i < 500; ++i) text += "保";
  const std::string id = Enqueue(Message(text));
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(CountMessages(), 1);
}

TEST_F(OutboxStoreTest, EnqueueStoresAPendingMessageDueNowWithTheMaskedRecipient) {
  const std::string id = Enqueue(Message("您好", "+86 138-1234-5678", "P9"));
  const OutboxEntry entry = Get(id);
  EXPECT_EQ(entry.channel, "sms");
  EXPECT_EQ(entry.recipient_masked, "138****5678");  // RULES.md §6 masking
  EXPECT_EQ(entry.template_code, "card_activated");
  EXPECT_EQ(entry.ref_type, OutboxRefType::kPolicy);
  EXPECT_EQ(entry.ref_id, "P9");
  EXPECT_EQ(entry.status, MessageStatus::kPending);
  EXPECT_EQ(entry.attempts, 0);
  EXPECT_EQ(entry.created_at, kStartMs);
  EXPECT_EQ(entry.next_attempt_at, kStartMs);
  EXPECT_FALSE(entry.sent_at.has_value());
  EXPECT_FALSE(entry.last_error.has_value());
}

// The activation prepares its SMS before its write transaction (sealing is CPU work); the
// transaction then only inserts it, as many times as it is retried.
TEST_F(OutboxStoreTest, APreparedMessageIsValidatedAndSealedAheadAndEnqueuedLater) {
  Result<PreparedMessage> invalid = outbox_.Prepare(Message("您好", "01012345678"));
  EXPECT_EQ(invalid.status().code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(invalid.status().fields().size(), 1u);
  EXPECT_EQ(invalid.status().fields()[0].field, "recipient");

  Result<PreparedMessage> prepared = outbox_.Prepare(Message("您好", "+86 138-1234-5678", "P9"));
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  EXPECT_THAT(prepared->recipient_enc, Not(HasSubstr("13812345678")));
  EXPECT_EQ(prepared->recipient_hash, keys_.LookupHash("phone", "13812345678"));
  clock_.Advance(1000);
  Status failed = db_->Write([&](storage::Tx& tx) -> Status {
    ANXIN_RETURN_IF_ERROR(outbox_.Enqueue(tx, *prepared).status());
    return Status(StatusCode::kAborted, "conflict_retry", {"重试", "retry"});
  });
  EXPECT_EQ(failed.code(), StatusCode::kAborted);
  Result<std::string> id =
      db_->WriteResult<std::string>([&](storage::Tx& tx) { return outbox_.Enqueue(tx, *prepared); });
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, prepared->id);
  const OutboxEntry entry = Get(*id);
  EXPECT_EQ(entry.recipient_masked, "138****5678");
  EXPECT_EQ(entry.status, MessageStatus::kPending);
  EXPECT_EQ(entry.created_at, kStartMs);  // when it was prepared
  EXPECT_EQ(entry.next_attempt_at, kStartMs);
  EXPECT_EQ(CountMessages(), 1);
}

TEST_F(OutboxStoreTest, EnqueueInATransactionThatFailsLeavesNothing) {
  Status s = db_->Write([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(std::string id, outbox_.Enqueue(tx, Message()));
    EXPECT_FALSE(id.empty());
    return Status(StatusCode::kFailedPrecondition, "card_not_activatable", {"卡不可激活", "not activatable"});
  });
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(CountMessages(), 0);
}

// RULES.md §6: phone numbers (and texts carrying names and policy numbers) are encrypted at rest.
TEST_F(OutboxStoreTest, DatabaseHoldsNeitherTheClearPhoneNorTheText) {
  const std::string text = "张三先生：保单 P2026000123 已生效。";
  const std::string id = Enqueue(Message(text));
  Status s = db_->Read([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(std::vector<storage::Row> rows,
                           tx.Query("SELECT id, channel, recipient_enc, recipient_hash, recipient_masked, "
                                    "template_code, text_enc, ref_type, ref_id, status, last_error, "
                                    "provider_message_id FROM outbox_messages"));
    EXPECT_EQ(rows.size(), 1U);
    for (const storage::Row& row : rows) {
      for (size_t i = 0; i < row.size(); ++i) {
        EXPECT_THAT(row.Text(i), Not(HasSubstr(kPhone))) << "column " << i;
        EXPECT_THAT(row.Text(i), Not(HasSubstr("张三"))) << "column " << i;
        EXPECT_THAT(row.Text(i), Not(HasSubstr("已生效"))) << "column " << i;
      }
      EXPECT_EQ(row.Text(3), keys_.LookupHash("phone", kPhone));
      Result<std::string> phone = keys_.Open(row.Text(2));
      Result<std::string> opened = keys_.Open(row.Text(6));
      EXPECT_TRUE(phone.ok() && *phone == kPhone);
      EXPECT_TRUE(opened.ok() && *opened == text);
    }
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_F(OutboxStoreTest, ClaimTakesDueMessagesOnceUntilTheLeaseEnds) {
  const std::string first = Enqueue(Message());
  clock_.Advance(10);
  const std::string second = Enqueue(Message());
  const int64_t lease_until = kStartMs + 60000;

  Result<std::vector<ClaimedMessage>> claimed = Claim(kStartMs + 10, lease_until);
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  ASSERT_EQ(claimed->size(), 2U);
  EXPECT_EQ((*claimed)[0].id, first);
  EXPECT_EQ((*claimed)[1].id, second);
  EXPECT_EQ((*claimed)[0].attempts, 1);
  EXPECT_EQ((*claimed)[0].recipient_masked, "138****5678");
  // The claim holds the message in claimed_until and leaves next_attempt_at (indexed) alone.
  EXPECT_EQ(Get(first).next_attempt_at, kStartMs);
  EXPECT_EQ(ClaimedUntil(first), lease_until);

  Result<std::vector<ClaimedMessage>> again = Claim(lease_until - 1, lease_until + 60000);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());

  Result<std::vector<ClaimedMessage>> after_lease = Claim(lease_until, lease_until + 60000);
  ASSERT_TRUE(after_lease.ok());
  ASSERT_EQ(after_lease->size(), 2U);
  EXPECT_EQ((*after_lease)[0].attempts, 2);
}

TEST_F(OutboxStoreTest, ClaimHonoursTheLimitAndSkipsMessagesNotYetDue) {
  for (int i = 0; i < 5; ++i) Enqueue(Message());
  clock_.Advance(1000);
  const std::string later = Enqueue(Message());
  Result<std::vector<ClaimedMessage>> claimed = Claim(kStartMs, kStartMs + 60000, 3);
  ASSERT_TRUE(claimed.ok());
  EXPECT_EQ(claimed->size(), 3U);
  claimed = Claim(kStartMs, kStartMs + 60000, 50);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 2U);  // the sixth is due only at kStartMs + 1000
  for (const ClaimedMessage& message : *claimed) EXPECT_NE(message.id, later);
}

TEST_F(OutboxStoreTest, OutcomesAreFencedByTheClaimThatSent) {
  const std::string id = Enqueue(Message());
  ASSERT_TRUE(Claim(kStartMs, kStartMs + 1000).ok());
  // The lease runs out; another dispatcher claims the message (attempt 2).
  ASSERT_EQ(Claim(kStartMs + 1000, kStartMs + 2000)->size(), 1U);
  EXPECT_TRUE(MarkSent({{id, 1, "late"}}, kStartMs + 1500).empty());
  EXPECT_FALSE(Outcome([&](storage::Tx& tx) { return OutboxStore::MarkFailed(tx, id, 1, "late"); }));
  EXPECT_EQ(Get(id).status, MessageStatus::kPending);
  EXPECT_THAT(MarkSent({{id, 2, "gw-1"}}, kStartMs + 1500), ElementsAre(id));
  const OutboxEntry entry = Get(id);
  EXPECT_EQ(entry.status, MessageStatus::kSent);
  EXPECT_EQ(entry.sent_at, kStartMs + 1500);
  EXPECT_EQ(entry.provider_message_id, "gw-1");
  // A sent message is never claimed or changed again.
  EXPECT_TRUE(Claim(kStartMs + 100000, kStartMs + 200000)->empty());
  EXPECT_FALSE(Outcome([&](storage::Tx& tx) { return OutboxStore::MarkRetry(tx, id, 2, 0, "x"); }));
}

// A round's sends are recorded together, in statements of up to 25 messages: each gets its own
// provider id, and a message whose claim another dispatcher took over is left as it is.
TEST_F(OutboxStoreTest, MarkSentRecordsManyMessagesEachWithItsProviderId) {
  std::vector<std::string> ids;
  for (int i = 0; i < 30; ++i) ids.push_back(Enqueue(Message()));
  ASSERT_EQ(Claim(kStartMs, kStartMs + 1000)->size(), 30U);
  // The leases run out and another dispatcher claims the oldest message again (attempt 2).
  Result<std::vector<ClaimedMessage>> taken_over = Claim(kStartMs + 1000, kStartMs + 2000, 1);
  ASSERT_TRUE(taken_over.ok());
  ASSERT_EQ(taken_over->size(), 1U);
  ASSERT_EQ((*taken_over)[0].id, ids[0]);

  std::vector<Delivery> deliveries;
  for (size_t i = 0; i < ids.size(); ++i) deliveries.push_back({ids[i], 1, "gw-" + std::to_string(i)});
  const std::vector<std::string> recorded = MarkSent(deliveries, kStartMs + 700);
  EXPECT_EQ(std::set<std::string>(recorded.begin(), recorded.end()),
            std::set<std::string>(ids.begin() + 1, ids.end()));
  EXPECT_EQ(Get(ids[0]).status, MessageStatus::kPending);
  for (size_t i = 1; i < ids.size(); ++i) {
    const OutboxEntry entry = Get(ids[i]);
    EXPECT_EQ(entry.status, MessageStatus::kSent);
    EXPECT_EQ(entry.sent_at, kStartMs + 700);
    EXPECT_EQ(entry.provider_message_id, "gw-" + std::to_string(i));
  }
  EXPECT_TRUE(MarkSent({}, kStartMs + 800).empty());
}

TEST_F(OutboxStoreTest, ReleaseMakesTheMessageDueAgainWithoutCountingTheAttempt) {
  const std::string id = Enqueue(Message());
  ASSERT_EQ(Claim(kStartMs, kStartMs + 60000)->size(), 1U);
  EXPECT_TRUE(Outcome([&](storage::Tx& tx) { return OutboxStore::Release(tx, id, 1); }));
  const OutboxEntry entry = Get(id);
  EXPECT_EQ(entry.attempts, 0);
  EXPECT_EQ(entry.next_attempt_at, kStartMs);
  EXPECT_EQ(ClaimedUntil(id), 0);
  EXPECT_EQ(Claim(kStartMs + 5, kStartMs + 60000)->size(), 1U);
}

TEST_F(OutboxStoreTest, ARetryEndsTheClaimAndIsDueAtItsOwnTime) {
  const std::string id = Enqueue(Message());
  ASSERT_EQ(Claim(kStartMs, kStartMs + 60000)->size(), 1U);
  EXPECT_TRUE(
      Outcome([&](storage::Tx& tx) { return OutboxStore::MarkRetry(tx, id, 1, kStartMs + 2000, "busy"); }));
  EXPECT_EQ(ClaimedUntil(id), 0);
  EXPECT_EQ(Get(id).next_attempt_at, kStartMs + 2000);
  EXPECT_TRUE(Claim(kStartMs + 1999, kStartMs + 60000)->empty());
  // Due at next_attempt_at, long before the first claim's lease would have ended.
  Result<std::vector<ClaimedMessage>> retried = Claim(kStartMs + 2000, kStartMs + 60000);
  ASSERT_TRUE(retried.ok());
  ASSERT_EQ(retried->size(), 1U);
  EXPECT_EQ((*retried)[0].attempts, 2);
}

TEST_F(OutboxStoreTest, ListFiltersByStatusAndReferenceNewestFirst) {
  const std::string a = Enqueue(Message("一", kPhone, "P1"));
  clock_.Advance(1);
  const std::string b = Enqueue(Message("二", kPhone, "P2"));
  clock_.Advance(1);
  const std::string c = Enqueue(Message("三", "13900001111", "P1"));
  ASSERT_TRUE(Outcome([&](storage::Tx& tx) -> Result<bool> {
    ANXIN_ASSIGN_OR_RETURN(std::vector<ClaimedMessage> claimed,
                           OutboxStore::ClaimDue(tx, kStartMs, kStartMs + 10, 1));
    return OutboxStore::MarkFailed(tx, claimed.at(0).id, 1, "sms_rejected");
  }));

  auto ids = [](const std::vector<OutboxEntry>& entries) {
    std::vector<std::string> out;
    for (const OutboxEntry& entry : entries) out.push_back(entry.id);
    return out;
  };
  EXPECT_THAT(ids(List()), ElementsAre(c, b, a));
  EXPECT_THAT(ids(List({.ref_id = "P1"})), ElementsAre(c, a));
  EXPECT_THAT(ids(List({.status = MessageStatus::kFailed})), ElementsAre(a));
  EXPECT_THAT(
      ids(List({.status = MessageStatus::kPending, .ref_type = OutboxRefType::kPolicy, .ref_id = "P1"})),
      ElementsAre(c));
  EXPECT_TRUE(List({.ref_type = OutboxRefType::kSms}).empty());
  EXPECT_EQ(Get(c).recipient_masked, "139****1111");
  EXPECT_EQ(Get(a).last_error, "sms_rejected");
}

// The schema does not constrain ref_type (it does status); a name kOutboxRefTypes does not know,
// read back, is an internal error, never a default value.
TEST_F(OutboxStoreTest, AnUnknownStoredRefTypeIsAnInternalError) {
  const std::string id = Enqueue(Message());
  ASSERT_TRUE(
      db_->Write([&](storage::Tx& tx) -> Status {
           return tx.Exec("UPDATE outbox_messages SET ref_type = ? WHERE id = ?", {"card", id}).status();
         })
          .ok());
  Result<std::vector<OutboxEntry>> entries = db_->ReadResult<std::vector<OutboxEntry>>(
      [&](storage::Tx& tx) { return OutboxStore::List(tx, OutboxFilter{}); });
  ASSERT_FALSE(entries.ok());
  EXPECT_EQ(entries.status().code(), StatusCode::kInternal);
  EXPECT_EQ(entries.status().log_detail(),
            "notify: message ref type 'card' read from the database is unknown");
}

TEST(MessageStatusTest, NamesRoundTrip) {
  for (MessageStatus status : {MessageStatus::kPending, MessageStatus::kSent, MessageStatus::kFailed}) {
    EXPECT_EQ(ParseMessageStatus(MessageStatusName(status)), status);
  }
  EXPECT_EQ(ParseMessageStatus("Sent"), std::nullopt);
  EXPECT_EQ(ParseMessageStatus(""), std::nullopt);
}

}  // namespace
}  // namespace anxin::notify
