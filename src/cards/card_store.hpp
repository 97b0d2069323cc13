#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cards/card.hpp"
#include "common/status.hpp"
#include "storage/database.hpp"

namespace anxin::cards {

// One line of a card's history.
struct CardEvent {
  std::string serial;
  int64_t at_ms = 0;
  CardAction action = CardAction::kSell;
  CardStatus from = CardStatus::kInStock;
  CardStatus to = CardStatus::kInStock;
  std::string actor_id;
  std::optional<CardRefType> ref_type;  // none for freeze, unfreeze and expiry
  std::string ref_id;                   // "" when none
  nlohmann::json detail = nlohmann::json::object();
};

// The change a transition makes besides the status.
struct CardChange {
  std::optional<std::string> sales_id;   // set (or keep when nullopt)
  bool clear_sales_id = false;           // reversal back to stock
  std::optional<std::string> policy_id;  // activation
  // Freeze remembers the status frozen from; unfreeze clears it.
  std::optional<CardStatus> status_before_freeze;
  bool clear_status_before_freeze = false;
  // Stock moves change the holder.
  std::optional<HolderType> holder_type;
  std::optional<std::string> holder_id, holder_org_id, holder_org_path;
};

// Storage shared by every card service: card types, cards and their events. SQL lives in
// card_store_sql.cpp; the services add their own stores for what only they need.
// All methods run in the caller's transaction. Stateless and thread-safe.
class CardStore {
 public:
  virtual ~CardStore() = default;

  virtual Result<std::optional<CardType>> FindType(storage::Tx& tx, const std::string& id) = 0;
  virtual Result<std::optional<CardType>> FindTypeByCode(storage::Tx& tx, const std::string& code) = 0;
  virtual Result<std::optional<CardType>> FindTypeByPrefix(storage::Tx& tx, const std::string& prefix) = 0;

  virtual Result<std::optional<Card>> Find(storage::Tx& tx, const std::string& serial) = 0;
  // Returns the cards of `card_type_id` with first_seq <= seq <= last_seq, in seq order.
  virtual Result<std::vector<Card>> FindRange(storage::Tx& tx, const std::string& card_type_id,
                                              int64_t first_seq, int64_t last_seq) = 0;

  // Moves card `serial` from `expected` to `next` with `change`, only if it is still in
  // `expected` (a conditional update: of several concurrent transitions exactly one wins). Returns
  // false when the card was not in `expected` (or does not exist).
  virtual Result<bool> Transition(storage::Tx& tx, const std::string& serial, CardStatus expected,
                                  CardStatus next, const CardChange& change, int64_t now_ms) = 0;
  // The same for every card of a range that is in `expected`; returns how many changed.
  virtual Result<int64_t> TransitionRange(storage::Tx& tx, const std::string& card_type_id, int64_t first_seq,
                                          int64_t last_seq, CardStatus expected, CardStatus next,
                                          const CardChange& change, int64_t now_ms) = 0;

  virtual Status AppendEvent(storage::Tx& tx, const CardEvent& event) = 0;
  virtual Result<std::vector<CardEvent>> Events(storage::Tx& tx, const std::string& serial) = 0;
};

// The columns every card query selects, in the order CardFromRow reads them.
inline constexpr std::string_view kCardColumns =
    "serial, card_type_id, batch_id, seq, status, status_before_freeze, holder_type, holder_id, "
    "holder_org_id, holder_org_path, sales_id, policy_id, valid_until, updated_at";

// Reads a card from a row of kCardColumns. kInternal when a stored status or holder type is unknown.
Result<Card> CardFromRow(const storage::Row& row);
// Reads a stored status name. kInternal when it is unknown (the schema holds only known names).
Result<CardStatus> StoredCardStatus(const std::string& text);

// CardStore over SQL, the same statements on SQLite and PostgreSQL.
class SqlCardStore final : public CardStore {
 public:
  Result<std::optional<CardType>> FindType(storage::Tx& tx, const std::string& id) override;
  Result<std::optional<CardType>> FindTypeByCode(storage::Tx& tx, const std::string& code) override;
  Result<std::optional<CardType>> FindTypeByPrefix(storage::Tx& tx, const std::string& prefix) override;
  Result<std::optional<Card>> Find(storage::Tx& tx, const std::string& serial) override;
  Result<std::vector<Card>> FindRange(storage::Tx& tx, const std::string& card_type_id, int64_t first_seq,
                                      int64_t last_seq) override;
  Result<bool> Transition(storage::Tx& tx, const std::string& serial, CardStatus expected, CardStatus next,
                          const CardChange& change, int64_t now_ms) override;
  Result<int64_t> TransitionRange(storage::Tx& tx, const std::string& card_type_id, int64_t first_seq,
                                  int64_t last_seq, CardStatus expected, CardStatus next,
                                  const CardChange& change, int64_t now_ms) override;
  Status AppendEvent(storage::Tx& tx, const CardEvent& event) override;
  Result<std::vector<CardEvent>> Events(storage::Tx& tx, const std::string& serial) override;
};

}  // namespace anxin::cards
