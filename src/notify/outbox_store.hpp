#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/access.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "common/enum_table.hpp"
#include "common/status.hpp"
#include "notify/outbox.hpp"
#include "storage/database.hpp"

namespace anxin::notify {

// Longest message text accepted, in characters (code points).
inline constexpr size_t kMaxMessageTextLength = 500;

// Where a message stands: waiting (or being sent), sent, or given up.
enum class MessageStatus { kPending, kSent, kFailed };
inline constexpr EnumTable<MessageStatus, 3> kMessageStatuses{{{
    {MessageStatus::kPending, "pending"},
    {MessageStatus::kSent, "sent"},
    {MessageStatus::kFailed, "failed"},
}}};

// Returns "pending", "sent" or "failed".
[[nodiscard]] inline std::string_view MessageStatusName(MessageStatus status) {
  return kMessageStatuses.Name(status);
}
// Parses a MessageStatusName; nullopt for anything else.
[[nodiscard]] inline std::optional<MessageStatus> ParseMessageStatus(std::string_view name) {
  return kMessageStatuses.Parse(name);
}

// The Outbox over the outbox_messages table. The recipient and the text are sealed with `keys`
// (RULES.md §6); the recipient's look-up hash (purpose "phone") and masked form are kept beside
// them. Thread-safe; `keys` and `clock` must outlive it.
class SqlOutbox final : public Outbox {
 public:
  SqlOutbox(const KeyRing& keys, const Clock& clock) : keys_(keys), clock_(clock) {}

  // Validates `message` and inserts it as pending, due now, in `tx`; returns its id. Errors:
  // kInvalidArgument "validation_failed" with a field per problem (channel "unsupported" unless
  // "sms"; recipient "invalid_format" unless a mainland mobile number; text "required",
  // "invalid_format" (not UTF-8) or "too_long" (over kMaxMessageTextLength characters);
  // template_code "required" or "invalid_format"; ref_id "invalid_format" or "too_long"), or the
  // database's error.
  Result<std::string> Enqueue(storage::Tx& tx, const OutboundMessage& message) const override;
  // Validates (the errors of Enqueue) and seals `message`; the message is stamped now.
  Result<PreparedMessage> Prepare(const OutboundMessage& message) const override;
  Result<std::string> Enqueue(storage::Tx& tx, const PreparedMessage& message) const override;

 private:
  const KeyRing& keys_;
  const Clock& clock_;
};

// A message as operations see it: the recipient masked, the text left out.
struct OutboxEntry {
  std::string id;
  std::string channel;
  std::string recipient_masked;
  std::string template_code;
  OutboxRefType ref_type = OutboxRefType::kPolicy;
  std::string ref_id;
  MessageStatus status = MessageStatus::kPending;
  int64_t attempts = 0;
  int64_t next_attempt_at = 0;
  int64_t created_at = 0;
  std::optional<int64_t> sent_at;
  std::optional<std::string> last_error;
  std::optional<std::string> provider_message_id;
};

// Which messages to list: every given field must match, and the message's organisation must lie
// in `scope` (messages about no organisation only for OrgScope::All()). Newest first, at most
// `limit`.
struct OutboxFilter {
  std::optional<MessageStatus> status;
  std::optional<OutboxRefType> ref_type;
  std::optional<std::string> ref_id;
  int limit = 50;
  OrgScope scope = OrgScope::All();
};

// A message with its text still sealed, for the SMS simulator.
struct SentText {
  std::string id;
  std::string recipient_masked;
  std::string template_code;
  std::string text_enc;
  MessageStatus status = MessageStatus::kPending;
  int64_t created_at = 0;
  std::optional<int64_t> sent_at;
  OutboxRefType ref_type = OutboxRefType::kPolicy;
  std::string ref_id;
};

// A message a dispatcher has claimed, still sealed.
struct ClaimedMessage {
  std::string id;
  std::string channel;
  std::string recipient_enc;
  std::string recipient_masked;
  std::string template_code;
  std::string text_enc;
  int64_t attempts = 0;  // including this claim: the fence for recording its outcome
};

// A claimed message the gateway accepted, as OutboxStore::MarkSent records it.
struct Delivery {
  std::string id;
  int64_t attempts = 0;  // the claim's fence
  std::string provider_message_id;
};

// The SQL the dispatcher and the routes need. Stateless; every call runs in the caller's Tx.
// Outcome calls are fenced by `attempts`: they change the message only while it is still pending
// under that claim, and return false when another dispatcher has taken it over since.
class OutboxStore {
 public:
  // Claims up to `limit` pending messages due at `now_ms` (oldest due first, passing over those
  // still claimed): counts an attempt and holds the message until `lease_until_ms`, so no other
  // dispatcher claims it before the lease ends; next_attempt_at is left as it was. Safe with several nodes:
  // PostgreSQL skips rows another transaction has locked (FOR UPDATE SKIP LOCKED) and re-checks that each row
  // is still due; SQLite has one writer.
  static Result<std::vector<ClaimedMessage>> ClaimDue(storage::Tx& tx, int64_t now_ms, int64_t lease_until_ms,
                                                      int limit);
  // Marks claimed messages sent at `sent_at`, each with the provider's id, in one statement per 25
  // messages (a dispatcher's round records all its sends at once). Returns the ids of those
  // recorded; a message whose claim was taken over is left out.
  static Result<std::vector<std::string>> MarkSent(storage::Tx& tx, std::span<const Delivery> deliveries,
                                                   int64_t sent_at);
  // Keeps a claimed message pending, due again at `next_attempt_at` (its claim ended), noting
  // `error`.
  static Result<bool> MarkRetry(storage::Tx& tx, const std::string& id, int64_t attempts,
                                int64_t next_attempt_at, const std::string& error);
  // Marks a claimed message failed for good, noting `error`.
  static Result<bool> MarkFailed(storage::Tx& tx, const std::string& id, int64_t attempts,
                                 const std::string& error);
  // Gives a claimed message back unsent: due again at once, the claim's attempt not counted.
  static Result<bool> Release(storage::Tx& tx, const std::string& id, int64_t attempts);
  // Lists messages matching `filter` (its scope included, in SQL), newest first.
  static Result<std::vector<OutboxEntry>> List(storage::Tx& tx, const OutboxFilter& filter);
  // Lists the newest `limit` messages about organisations in `scope` (messages about no
  // organisation only for OrgScope::All()), newest first, texts sealed.
  static Result<std::vector<SentText>> ListTexts(storage::Tx& tx, const OrgScope& scope, int limit);
};

}  // namespace anxin::notify
