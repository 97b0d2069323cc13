#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/audit_log.hpp"
#include "cards/card.hpp"
#include "cards/card_admin_store.hpp"
#include "cards/card_stock_store.hpp"
#include "cards/card_store.hpp"
#include "common/actor.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "common/status.hpp"
#include "identity/identity_service.hpp"
#include "products/product_service.hpp"
#include "storage/database.hpp"

namespace anxin::cards {

// The most cards one movement may move, and the most serials an error lists.
inline constexpr int64_t kMaxMovementQuantity = 100'000;
inline constexpr size_t kMaxListedSerials = 50;

// A range movement request (下发登记 issue / 回收登记 recall).
struct MovementRequest {
  MovementKind kind = MovementKind::kIssue;
  std::string doc_type_code;  // the card type code (单证类型代码)
  // Issue: who receives the cards (kOrg + org code, or kPerson + login), required.
  // Recall: optionally, the only holder to take the cards from (same shape).
  std::optional<HolderType> recipient_type;
  std::string recipient_code;
  std::string first_serial;
  std::string last_serial;
};

// A movement as returned to the caller.
struct MovementView {
  CardMovement movement;
  std::string card_type_code;
  std::string first_serial;
  std::string last_serial;
};

// A holder of cards as shown: an org node or a person.
struct HolderView {
  HolderType type = HolderType::kOrg;
  std::string id;
  std::string name;
  std::string org_id;
};

// A card as the inquiry shows it (never any password data).
struct CardView {
  Card card;
  std::string card_type_code;
  std::string card_type_name;
  HolderView holder;
  // GetCard only: the numbers a reader knows the card's batch, sale and policy by ("" for none).
  std::string batch_no, sales_no, policy_no;
};

struct CardPage {
  std::vector<CardView> items;
  std::optional<std::string> next_after;
};

// What a line of a card's history comes from: the card's batch, a movement covering it, or one of
// its card events.
enum class HistoryKind { kBatchCreated, kMovement, kEvent };

inline constexpr EnumTable<HistoryKind, 3> kHistoryKinds{{{
    {HistoryKind::kBatchCreated, "batch_created"},
    {HistoryKind::kMovement, "movement"},
    {HistoryKind::kEvent, "event"},
}}};

// The action a batch's line of history shows; every other line shows the name of its CardAction.
inline constexpr std::string_view kBatchCreatedAction = "create";

// One line of a card's history.
struct HistoryEntry {
  int64_t at_ms = 0;
  HistoryKind kind = HistoryKind::kEvent;
  // A movement's issue or recall, or the event's action; none for the batch's line (shown as
  // kBatchCreatedAction).
  std::optional<CardAction> action;
  std::optional<CardStatus> from, to;
  std::string actor_id;
  std::string actor_login, actor_name;  // a staff actor's; "" for others (system jobs, holders)
  std::optional<CardRefType> ref_type;  // none for freeze, unfreeze and expiry events
  std::string ref_id;
  nlohmann::json detail = nlohmann::json::object();
};

// Query of the status details inquiry, as the caller gives it.
struct CardInquiry {
  std::optional<std::string> serial_from, serial_to;  // a range of one type
  std::optional<std::string> card_type_code;
  std::optional<CardStatus> status;
  std::optional<std::string> holder;  // an org code or a user login
  std::string after;                  // the previous page's last serial
  int limit = 100;
};

// A report: its columns and rows (JSON objects with those keys), rendered as JSON or CSV.
struct Report {
  std::string name;
  std::vector<std::string> columns;
  std::vector<nlohmann::json> rows;
};

// Stock movements along the organisation tree, the card inquiry and history, the card reports
// and expiry. Staff see only cards held in their subtree (holder_org_path prefix); others are
// kNotFound. Every change is audited in its own transaction. Thread-safe.
class CardStockService {
 public:
  // Keeps references to everything; they must outlive the service.
  CardStockService(storage::Database& db, CardStore& cards, CardStockStore& store,
                   identity::IdentityService& identity, products::ProductService& products,
                   const KeyRing& keys, const Clock& clock, const audit::AuditLog& audit);

  // Issues or recalls a serial range of one card type (card.stock.move; at most 100,000 cards).
  // Issue: the sender is the caller's org node, which must hold every card of the range in stock
  // (kFailedPrecondition "cards_not_held", the message naming up to 50 serials and the count);
  // the recipient is an org strictly below the caller's node, or an active staff user holding
  // seller or doc_admin in the caller's subtree (kInvalidArgument at "recipient_code", code
  // "not_in_subtree" / "not_authorised" / "not_found"). Recall: every card must be in stock and
  // held below the caller's node (or by a person of the caller's own node), and by the named
  // holder when one is given (kFailedPrecondition "cards_not_recallable"); the cards move to the
  // caller's node. Writes one movement row and one audit record.
  Result<MovementView> Move(const Actor& actor, const MovementRequest& request);

  // The status details inquiry (card.read), ordered by serial, within the caller's subtree.
  Result<CardPage> ListCards(const Actor& actor, const CardInquiry& inquiry);
  // Returns one card (card.read); kNotFound when unknown or outside the caller's subtree.
  Result<CardView> GetCard(const Actor& actor, const std::string& serial);
  // Returns the card's history in time order: batch creation, every movement whose range covers it
  // and every card event. kNotFound as GetCard.
  Result<std::vector<HistoryEntry>> History(const Actor& actor, const std::string& serial);

  // Reports (card.report), within the caller's subtree.
  // Stock counts by "org" (holder org and status), "type" (type and status) or "status".
  Result<Report> StockReport(const Actor& actor, const std::string& group_by);
  // Sales registered in [from, to] (dates, Asia/Shanghai) by day and "seller" or "org": count of
  // sales, cards and amount.
  Result<Report> SalesReport(const Actor& actor, const Date& from, const Date& to,
                             const std::string& group_by);
  // Cards activated per day and seller in [from, to].
  Result<Report> ActivationReport(const Actor& actor, const Date& from, const Date& to);
  // In-stock cards by type and age since batch creation (0-30, 31-90, 91-180, 181-365, >365 days),
  // with the fewest days until expiry of each row.
  Result<Report> AgeingReport(const Actor& actor);

  // Expires every live card (every status CardTransition lets expire) whose valid_until is before
  // `now_ms`, with one card event per card and one audit record ("card.expire", the count) per
  // run. Returns the number expired. For the daily job and `anxin cards expire`.
  Result<int64_t> ExpireDue(int64_t now_ms, const Actor& actor = Actor::System("expiry-job"));

 private:
  Result<CardType> TypeByCode(storage::Tx& tx, const std::string& code, const char* field);
  Result<std::string> ScopeOf(const Actor& actor, const char* permission);
  Result<Card> CardInScope(storage::Tx& tx, const Actor& actor, const std::string& serial);

  // Constant after construction.
  storage::Database& db_;
  CardStore& cards_;
  CardStockStore& store_;
  identity::IdentityService& identity_;
  products::ProductService& products_;
  const KeyRing& keys_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
};

// Renders a report as CSV (a header line of its columns, then one line per row; fields quoted
// where needed).
std::string ReportCsv(const Report& report);

}  // namespace anxin::cards
