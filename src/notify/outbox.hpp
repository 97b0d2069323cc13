#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "common/enum_table.hpp"
#include "common/status.hpp"
#include "storage/database.hpp"

namespace anxin::notify {

// What an outgoing message is about: a policy (the activation notice) or an inbound SMS (the reply
// to one that could not be used). The set is closed: a message refers to one of these.
enum class OutboxRefType { kPolicy, kSms };
inline constexpr EnumTable<OutboxRefType, 2> kOutboxRefTypes{{{
    {OutboxRefType::kPolicy, "policy"},
    {OutboxRefType::kSms, "sms"},
}}};

// A message to send, enqueued in the same transaction as the change it reports, so it is sent if
// and only if that change commits (the transactional outbox). A dispatcher sends it afterwards,
// with retries.
struct OutboundMessage {
  std::string channel = "sms";                      // "sms" (later "email")
  std::string recipient;                            // phone number (clear in memory; sealed at rest)
  std::string template_code;                        // "card_activated", "card_activation_failed", ...
  std::string text;                                 // rendered message, Chinese
  OutboxRefType ref_type = OutboxRefType::kPolicy;  // what it is about
  std::string ref_id;
  std::string org_path;  // the organisation it concerns (scopes lists of messages); "" for none
};

// A message validated and sealed ahead of the transaction that enqueues it (Outbox::Prepare), so
// the transaction holds only the insert. May be enqueued again when a transaction is retried.
struct PreparedMessage {
  std::string id;
  std::string channel;
  std::string recipient_enc;
  std::string recipient_hash;
  std::string recipient_masked;
  std::string template_code;
  std::string text_enc;
  OutboxRefType ref_type = OutboxRefType::kPolicy;
  std::string ref_id;
  std::string org_path;
  int64_t created_at = 0;
};

class Outbox {
 public:
  virtual ~Outbox() = default;
  // Enqueues `message` in `tx`; returns its id.
  virtual Result<std::string> Enqueue(storage::Tx& tx, const OutboundMessage& message) const = 0;
  // Validates and seals `message` outside any transaction, with the errors Enqueue reports.
  virtual Result<PreparedMessage> Prepare(const OutboundMessage& message) const = 0;
  // Enqueues a prepared message in `tx`, due at once; returns its id.
  virtual Result<std::string> Enqueue(storage::Tx& tx, const PreparedMessage& message) const = 0;
};

}  // namespace anxin::notify
