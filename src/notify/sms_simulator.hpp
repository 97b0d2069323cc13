#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/actor.hpp"
#include "common/crypto.hpp"
#include "common/status.hpp"
#include "notify/outbox_store.hpp"
#include "storage/database.hpp"

namespace anxin::notify {

// The permission to use the SMS gateway simulator.
inline constexpr std::string_view kPermSmsSimulate = "sms.simulate";

// One message the platform sent (or is sending), as the simulator's phone shows it.
struct SimulatedSms {
  std::string id;
  std::string to_masked;
  std::string template_code;
  std::string text;
  MessageStatus status = MessageStatus::kPending;
  int64_t created_at = 0;
  std::optional<int64_t> sent_at;
  OutboxRefType ref_type = OutboxRefType::kPolicy;
  std::string ref_id;
};

// The SMS gateway simulator of a platform without a real gateway (issue 7 §7: demos and
// training): it shows the messages the platform sent, and the card activation routes let a staff
// member send an inbound SMS through it. Off (every call kNotFound "sms_simulator_off") when a real
// gateway is configured. Thread-safe; `db` and `keys` must outlive it.
class SmsSimulator {
 public:
  SmsSimulator(storage::Database& db, const KeyRing& keys, bool enabled)
      : db_(db), keys_(keys), enabled_(enabled) {}

  // Returns OK when the simulator is on, else kNotFound "sms_simulator_off".
  [[nodiscard]] Status CheckOn() const;

  // Returns the newest `limit` messages, newest first, recipients masked and texts in clear:
  // every message for an actor at the root of the tree, else those about organisations in the
  // actor's subtree. Errors: those of CheckOn, of Require(actor, sms.simulate), database errors.
  Result<std::vector<SimulatedSms>> Messages(const Actor& actor, int limit) const;

 private:
  // Constant after construction.
  storage::Database& db_;
  const KeyRing& keys_;
  const bool enabled_;
};

}  // namespace anxin::notify
