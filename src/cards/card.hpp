#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/enum_table.hpp"
#include "common/enum_values.hpp"
#include "common/money.hpp"
#include "common/status.hpp"
#include "products/product.hpp"

namespace anxin::cards {

// Where a card is in its life (seed 000): 库存 → 已销售 → 待激活 → 已激活, with the side states.
enum class CardStatus {
  kInStock,             // in_stock: held by an organisation node or an authorised person
  kSold,                // sold: sales registered, payment not yet confirmed
  kAwaitingActivation,  // awaiting_activation: payment confirmed; the holder may activate
  kActivated,           // activated: a policy was issued (final here; surrender is a policy matter)
  kVoided,              // voided: withdrawn from circulation (damaged, or returned and destroyed)
  kFrozen,              // frozen: reported lost; remembers the status it came from
  kExpired,             // expired: not activated within its validity
};

// What may be done to a card. Every change of a card goes through CardTransition.
enum class CardAction {
  kIssue,           // 下发: move stock down the tree (in_stock → in_stock, new holder)
  kRecall,          // 回收: move stock back up the tree (in_stock → in_stock)
  kSell,            // 销售登记 (in_stock → sold)
  kConfirmPayment,  // 收费确认 (sold → awaiting_activation)
  kActivate,        // 激活 (awaiting_activation → activated)
  kReverseRestock,  // 反向处理, card back to stock (sold | awaiting_activation → in_stock)
  kReverseVoid,     // 反向处理, card destroyed (sold | awaiting_activation → voided)
  kVoid,            // 作废 stock (in_stock → voided)
  kFreeze,          // 挂失 (in_stock | sold | awaiting_activation → frozen)
  kUnfreeze,        // 解挂 (frozen → the status before freezing)
  kExpire,          // 过期 (in_stock | sold | awaiting_activation | frozen → expired)
};

inline constexpr EnumTable<CardStatus, 7> kCardStatuses{{{
    {CardStatus::kInStock, "in_stock"},
    {CardStatus::kSold, "sold"},
    {CardStatus::kAwaitingActivation, "awaiting_activation"},
    {CardStatus::kActivated, "activated"},
    {CardStatus::kVoided, "voided"},
    {CardStatus::kFrozen, "frozen"},
    {CardStatus::kExpired, "expired"},
}}};
// The Chinese label of each status, shown beside its name.
inline constexpr EnumTable<CardStatus, 7> kCardStatusLabelsZh{{{
    {CardStatus::kInStock, "库存"},
    {CardStatus::kSold, "已销售"},
    {CardStatus::kAwaitingActivation, "待激活"},
    {CardStatus::kActivated, "已激活"},
    {CardStatus::kVoided, "已作废"},
    {CardStatus::kFrozen, "已挂失"},
    {CardStatus::kExpired, "已过期"},
}}};
inline constexpr EnumTable<CardAction, 11> kCardActions{{{
    {CardAction::kIssue, "issue"},
    {CardAction::kRecall, "recall"},
    {CardAction::kSell, "sell"},
    {CardAction::kConfirmPayment, "confirm_payment"},
    {CardAction::kActivate, "activate"},
    {CardAction::kReverseRestock, "reverse_restock"},
    {CardAction::kReverseVoid, "reverse_void"},
    {CardAction::kVoid, "void"},
    {CardAction::kFreeze, "freeze"},
    {CardAction::kUnfreeze, "unfreeze"},
    {CardAction::kExpire, "expire"},
}}};

// What a card event or a line of a card's history refers to: the document behind it. Card events
// refer to a sale, a receipt, a recovery or a policy (freeze, unfreeze and expiry to none); a
// card's history adds its batch and the movements covering it.
enum class CardRefType { kBatch, kMovement, kSale, kReceipt, kRecovery, kPolicy };

inline constexpr EnumTable<CardRefType, 6> kCardRefTypes{{{
    {CardRefType::kBatch, "batch"},
    {CardRefType::kMovement, "movement"},
    {CardRefType::kSale, "sale"},
    {CardRefType::kReceipt, "receipt"},
    {CardRefType::kRecovery, "recovery"},
    {CardRefType::kPolicy, "policy"},
}}};

inline constexpr std::array<CardStatus, 7> kAllCardStatuses = EnumValues(kCardStatuses);
inline constexpr std::array<CardAction, 11> kAllCardActions = EnumValues(kCardActions);

// The name of a status (kCardStatuses) and its parser.
std::string_view CardStatusName(CardStatus status);
std::optional<CardStatus> ParseCardStatus(std::string_view name);
// Chinese label (库存, 已销售, 待激活, 已激活, 已作废, 已挂失, 已过期).
std::string_view CardStatusLabelZh(CardStatus status);
// The name of an action (kCardActions) and its parser.
std::string_view CardActionName(CardAction action);
std::optional<CardAction> ParseCardAction(std::string_view name);

// The one state machine. Returns the status after `action` on a card in `from` (for kUnfreeze,
// `before_freeze` is the status the card was frozen from), or kFailedPrecondition with a stable
// reason naming what is wrong: "card_not_activatable" (activate), "card_not_in_stock" (issue,
// recall, sell, void), "card_not_sold" (confirm_payment), "card_not_reversible" (reverse_*),
// "card_not_freezable", "card_not_frozen", "card_not_expirable"; the message names the card's
// current status.
Result<CardStatus> CardTransition(CardStatus from, CardAction action,
                                  std::optional<CardStatus> before_freeze = std::nullopt);

// When the policy of an activated card starts.
enum class StartRule {
  kNextDay,       // 00:00 of the day after activation
  kHolderChoice,  // a date the holder picks, from the day after activation up to start_within_days
};

inline constexpr EnumTable<StartRule, 2> kStartRules{{{
    {StartRule::kNextDay, "next_day"},
    {StartRule::kHolderChoice, "holder_choice"},
}}};

// A card type's term is a product term: one unit type and one table (products::kTermUnits).
using products::TermUnit;

// Whether new batches of a card type may be created.
enum class CardTypeStatus { kActive, kDisabled };

inline constexpr EnumTable<CardTypeStatus, 2> kCardTypeStatuses{{{
    {CardTypeStatus::kActive, "active"},
    {CardTypeStatus::kDisabled, "disabled"},
}}};

// Who holds a card in stock: an organisation node, or a person (an authorised staff member).
enum class HolderType { kOrg, kPerson };

inline constexpr EnumTable<HolderType, 2> kHolderTypes{{{
    {HolderType::kOrg, "org"},
    {HolderType::kPerson, "person"},
}}};

// A range movement along the organisation tree: 下发 (issue, down) or 回收 (recall, up). The names
// are those of the matching CardAction.
enum class MovementKind { kIssue, kRecall };

inline constexpr EnumTable<MovementKind, 2> kMovementKinds{{{
    {MovementKind::kIssue, "issue"},
    {MovementKind::kRecall, "recall"},
}}};

// Returns the card action a movement of `kind` performs on each card it covers.
constexpr CardAction MovementAction(MovementKind kind) {
  return kind == MovementKind::kIssue ? CardAction::kIssue : CardAction::kRecall;
}

struct CardType {
  std::string id;
  std::string code;  // 单证类型代码
  std::string name;
  std::string serial_prefix;  // 2-4 upper-case letters
  std::string product_code;
  std::vector<std::string> plan_codes;
  std::string default_plan_code;
  TermUnit term_unit = TermUnit::kYear;
  int64_t term_value = 1;
  Money face_value;
  int64_t validity_days = 365;
  StartRule start_rule = StartRule::kNextDay;
  int64_t start_within_days = 0;
  CardTypeStatus status = CardTypeStatus::kActive;
  int64_t created_at = 0;
};

struct Card {
  std::string serial;
  std::string card_type_id;
  std::string batch_id;
  int64_t seq = 0;
  CardStatus status = CardStatus::kInStock;
  std::optional<CardStatus> status_before_freeze;
  HolderType holder_type = HolderType::kOrg;
  std::string holder_id;
  std::string holder_org_id;
  std::string holder_org_path;
  std::optional<std::string> sales_id;
  std::optional<std::string> policy_id;
  int64_t valid_until = 0;
  int64_t updated_at = 0;
};

}  // namespace anxin::cards
