#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cards/card.hpp"
#include "common/status.hpp"
#include "storage/database.hpp"
#include "storage/deferred.hpp"

namespace anxin::cards {

// Failed activation attempts from one client address (table card_activation_throttle): the
// failures counted since `window_start`, and until when the address is blocked (0: not blocked).
struct ClientThrottle {
  int64_t failures = 0;
  int64_t window_start = 0;
  int64_t blocked_until = 0;
};

// The consecutive wrong passwords given for one card number (table card_activation_attempts),
// whether or not a card has that number, and until when the number is locked (0: not locked).
struct CardAttempts {
  int64_t failed_attempts = 0;
  int64_t locked_until = 0;
  int64_t last_failed_at = 0;
};

// An activation SMS already handled (table sms_inbound), so a message the gateway delivers twice
// is answered from its first outcome.
struct SmsInboundRecord {
  std::string message_id;
  std::string from_hash;  // KeyRing::LookupHash("phone", sender)
  int64_t received_at = 0;
  std::string result_code;  // "activated" or the rejection's reason
  std::optional<std::string> policy_id;
  int64_t processed_at = 0;
};

// What card activation needs from storage besides CardStore: the password hash, the attempt
// counters, the per-address throttle and the processed SMS messages. SQL in
// card_activation_store_sql.cpp. All methods run in the caller's transaction. Stateless and
// thread-safe.
class CardActivationStore {
 public:
  virtual ~CardActivationStore() = default;

  // What checking a card's credentials reads, in one statement: the throttle row of `client_key`,
  // card `serial` with its password hash, and the attempt counters of the number `serial` (each
  // nullopt or zero when absent).
  struct CredentialState {
    std::optional<ClientThrottle> throttle;
    std::optional<Card> card;
    std::optional<std::string> password_hash;
    CardAttempts attempts;
  };
  virtual Result<CredentialState> FindCredentialState(storage::Tx& tx, const std::string& serial,
                                                      const std::string& client_key) = 0;

  // Returns the stored password hash of card `serial`, or nullopt when there is no such card.
  virtual Result<std::optional<std::string>> FindPasswordHash(storage::Tx& tx, const std::string& serial) = 0;

  // Returns the throttle row of `client_key`, or nullopt when the address never failed.
  virtual Result<std::optional<ClientThrottle>> FindThrottle(storage::Tx& tx,
                                                             const std::string& client_key) = 0;
  // Creates the throttle row of `client_key` (all zero) when absent, locks it until the end of the
  // transaction (so concurrent failures from one address are counted one after the other on
  // PostgreSQL too) and returns its current values.
  virtual Result<ClientThrottle> LockThrottle(storage::Tx& tx, const std::string& client_key) = 0;
  virtual Status SaveThrottle(storage::Tx& tx, const std::string& client_key,
                              const ClientThrottle& throttle) = 0;

  // Returns the attempt counters of card number `serial` (all zero when it has none). The same
  // statement whether or not a card has that number.
  virtual Result<CardAttempts> FindAttempts(storage::Tx& tx, const std::string& serial) = 0;
  // Creates the counters of `serial` (all zero) when absent, locks them until the end of the
  // transaction and returns their newest committed values; for any serial, existing card or not.
  virtual Result<CardAttempts> LockAttempts(storage::Tx& tx, const std::string& serial) = 0;
  virtual Status SaveAttempts(storage::Tx& tx, const std::string& serial, const CardAttempts& attempts) = 0;
  // Forgets the counters of `serial` (the right password ends a run of wrong ones).
  virtual Status ClearAttempts(storage::Tx& tx, const std::string& serial) = 0;
  // Deletes the counters not locked at `now_ms` whose last failure is before `idle_before_ms`;
  // returns how many.
  virtual Result<int64_t> PurgeAttempts(storage::Tx& tx, int64_t now_ms, int64_t idle_before_ms) = 0;

  // Activates card `serial` in one conditional update, only if its stored password hash is still
  // `password_hash`, it is in `from`, held under `holder_org_id` at `holder_org_path`, has no
  // policy, has not expired and its number is not locked at `now_ms`: moves it to `to`, linked to
  // `policy_id` when given, and forgets the attempt counters of its number. Returns whether the card changed
  // (of several concurrent activations of one card exactly one changes it).
  Result<bool> Activate(storage::Tx& tx, const std::string& serial, const std::string& password_hash,
                        CardStatus from, CardStatus to, const std::string& holder_org_id,
                        const std::string& holder_org_path, const std::optional<std::string>& policy_id,
                        int64_t now_ms) {
    ANXIN_ASSIGN_OR_RETURN(storage::AheadQuery move,
                           ActivateAhead(tx, serial, password_hash, from, to, holder_org_id, holder_org_path,
                                         policy_id, now_ms));
    return TakeActivated(tx, serial, move);
  }
  // Activate in two steps, so that PostgreSQL sends the update with the transaction's next
  // statement (storage::QueryAhead) rather than in a round trip of its own: ActivateAhead sends
  // it, TakeActivated (before the work acts on the outcome) returns whether the card changed.
  virtual Result<storage::AheadQuery> ActivateAhead(storage::Tx& tx, const std::string& serial,
                                                    const std::string& password_hash, CardStatus from,
                                                    CardStatus to, const std::string& holder_org_id,
                                                    const std::string& holder_org_path,
                                                    const std::optional<std::string>& policy_id,
                                                    int64_t now_ms) = 0;
  virtual Result<bool> TakeActivated(storage::Tx& tx, const std::string& serial,
                                     const storage::AheadQuery& move) = 0;
  // Records the policy issued for activated card `serial`. Returns false unless the card is
  // activated and has no policy yet.
  virtual Result<bool> SetPolicyId(storage::Tx& tx, const std::string& serial,
                                   const std::string& policy_id) = 0;

  // Inserts `record` unless its message id is already stored (ON CONFLICT DO NOTHING); returns
  // whether it was inserted.
  virtual Result<bool> InsertSmsMessage(storage::Tx& tx, const SmsInboundRecord& record) = 0;
  virtual Result<std::optional<SmsInboundRecord>> FindSmsMessage(storage::Tx& tx,
                                                                 const std::string& message_id) = 0;
};

// CardActivationStore over SQL, the same statements on SQLite and PostgreSQL but for Activate,
// which is one statement on PostgreSQL (sent ahead) and two on SQLite.
class SqlCardActivationStore final : public CardActivationStore {
 public:
  Result<CredentialState> FindCredentialState(storage::Tx& tx, const std::string& serial,
                                              const std::string& client_key) override;
  Result<std::optional<std::string>> FindPasswordHash(storage::Tx& tx, const std::string& serial) override;
  Result<std::optional<ClientThrottle>> FindThrottle(storage::Tx& tx, const std::string& client_key) override;
  Result<ClientThrottle> LockThrottle(storage::Tx& tx, const std::string& client_key) override;
  Status SaveThrottle(storage::Tx& tx, const std::string& client_key,
                      const ClientThrottle& throttle) override;
  Result<CardAttempts> FindAttempts(storage::Tx& tx, const std::string& serial) override;
  Result<CardAttempts> LockAttempts(storage::Tx& tx, const std::string& serial) override;
  Status SaveAttempts(storage::Tx& tx, const std::string& serial, const CardAttempts& attempts) override;
  Status ClearAttempts(storage::Tx& tx, const std::string& serial) override;
  Result<int64_t> PurgeAttempts(storage::Tx& tx, int64_t now_ms, int64_t idle_before_ms) override;
  Result<storage::AheadQuery> ActivateAhead(storage::Tx& tx, const std::string& serial,
                                            const std::string& password_hash, CardStatus from, CardStatus to,
                                            const std::string& holder_org_id,
                                            const std::string& holder_org_path,
                                            const std::optional<std::string>& policy_id,
                                            int64_t now_ms) override;
  Result<bool> TakeActivated(storage::Tx& tx, const std::string& serial,
                             const storage::AheadQuery& move) override;
  Result<bool> SetPolicyId(storage::Tx& tx, const std::string& serial, const std::string& policy_id) override;
  Result<bool> InsertSmsMessage(storage::Tx& tx, const SmsInboundRecord& record) override;
  Result<std::optional<SmsInboundRecord>> FindSmsMessage(storage::Tx& tx,
                                                         const std::string& message_id) override;
};

}  // namespace anxin::cards
