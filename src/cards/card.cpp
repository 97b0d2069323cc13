#include "cards/card.hpp"

#include <string>

namespace anxin::cards {
namespace {

Status Refuse(std::string reason, CardStatus from, std::string_view zh_what, std::string_view en_what) {
  return Status(StatusCode::kFailedPrecondition, std::move(reason),
                {std::string(zh_what) + "（当前状态：" + std::string(CardStatusLabelZh(from)) + "）",
                 std::string(en_what) + " (current status: " + std::string(CardStatusName(from)) + ")"});
}

bool IsLive(CardStatus s) {
  return s == CardStatus::kInStock || s == CardStatus::kSold || s == CardStatus::kAwaitingActivation;
}

}  // namespace

std::string_view CardStatusName(CardStatus status) { return kCardStatuses.Name(status); }
std::optional<CardStatus> ParseCardStatus(std::string_view name) { return kCardStatuses.Parse(name); }
std::string_view CardStatusLabelZh(CardStatus status) { return kCardStatusLabelsZh.Name(status); }
std::string_view CardActionName(CardAction action) { return kCardActions.Name(action); }
std::optional<CardAction> ParseCardAction(std::string_view name) { return kCardActions.Parse(name); }

Result<CardStatus> CardTransition(CardStatus from, CardAction action,
                                  std::optional<CardStatus> before_freeze) {
  switch (action) {
    case CardAction::kIssue:
    case CardAction::kRecall:
      if (from == CardStatus::kInStock) return CardStatus::kInStock;
      return Refuse("card_not_in_stock", from, "只有库存状态的卡可以下发或回收",
                    "only cards in stock can be moved");
    case CardAction::kSell:
      if (from == CardStatus::kInStock) return CardStatus::kSold;
      return Refuse("card_not_in_stock", from, "只有库存状态的卡可以销售", "only cards in stock can be sold");
    case CardAction::kVoid:
      if (from == CardStatus::kInStock) return CardStatus::kVoided;
      return Refuse("card_not_in_stock", from, "只有库存状态的卡可以作废",
                    "only cards in stock can be voided");
    case CardAction::kConfirmPayment:
      if (from == CardStatus::kSold) return CardStatus::kAwaitingActivation;
      return Refuse("card_not_sold", from, "只有已销售的卡可以确认收费",
                    "only sold cards can have payment confirmed");
    case CardAction::kActivate:
      if (from == CardStatus::kAwaitingActivation) return CardStatus::kActivated;
      return Refuse("card_not_activatable", from, "该卡当前不能激活", "the card cannot be activated");
    case CardAction::kReverseRestock:
    case CardAction::kReverseVoid:
      if (from == CardStatus::kSold || from == CardStatus::kAwaitingActivation) {
        return action == CardAction::kReverseRestock ? CardStatus::kInStock : CardStatus::kVoided;
      }
      return Refuse("card_not_reversible", from, "只有已销售或待激活的卡可以反向处理（已激活的卡请办理退保）",
                    "only sold or paid cards can be reversed (an activated card is surrendered as a policy)");
    case CardAction::kFreeze:
      if (IsLive(from)) return CardStatus::kFrozen;
      return Refuse("card_not_freezable", from, "该卡当前不能挂失", "the card cannot be reported lost");
    case CardAction::kUnfreeze:
      if (from == CardStatus::kFrozen && before_freeze.has_value() && IsLive(*before_freeze))
        return *before_freeze;
      return Refuse("card_not_frozen", from, "该卡未挂失", "the card is not frozen");
    case CardAction::kExpire:
      if (IsLive(from) || from == CardStatus::kFrozen) return CardStatus::kExpired;
      return Refuse("card_not_expirable", from, "该卡当前不能过期处理", "the card cannot expire");
  }
  return Status::Internal("unknown card action");
}

}  // namespace anxin::cards
