#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "storage/database.hpp"

namespace anxin::notify {

// A message to send, enqueued in the same transaction as the change it reports, so it is sent if
// and only if that change commits (the transactional outbox). A dispatcher sends it afterwards,
// with retries.
struct OutboundMessage {
  std::string channel = "sms";  // "sms" (later "email")
  std::string recipient;        // phone number (clear in memory; sealed at rest)
  std::string template_code;    // "card_activated", "card_activation_failed", ...
  std::string text;             // rendered message, Chinese
  std::string ref_type;         // what it is about ("policy", "card")
  std::string ref_id;
};

class Outbox {
 public:
  virtual ~Outbox() = default;
  // Enqueues `message` in `tx`; returns its id.
  virtual Result<std::string> Enqueue(storage::Tx& tx, const OutboundMessage& message) const = 0;
};

}  // namespace anxin::notify
