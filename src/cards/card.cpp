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

std::string_view CardStatusName(CardStatus status) {
  switch (status) {
    case CardStatus::kInStock:
      return "in_stock";
    case CardStatus::kSold:
      return "sold";
    case CardStatus::kAwaitingActivation:
      return "awaiting_activation";
    case CardStatus::kActivated:
      return "activated";
    case CardStatus::kVoided:
      return "voided";
    case CardStatus::kFrozen:
      return "frozen";
    case CardStatus::kExpired:
      return "expired";
  }
  return "unknown";
}

std::string_view CardStatusLabelZh(CardStatus status) {
  switch (status) {
    case CardStatus::kInStock:
      return "库存";
    case CardStatus::kSold:
      return "已销售";
    case CardStatus::kAwaitingActivation:
      return "待激活";
    case CardStatus::kActivated:
      return "已激活";
    case CardStatus::kVoided:
      return "已作废";
    case CardStatus::kFrozen:
      return "已挂失";
    case CardStatus::kExpired:
      return "已过期";
  }
  return "未知";
}

std::optional<CardStatus> ParseCardStatus(std::string_view name) {
  for (CardStatus s : kAllCardStatuses) {
    if (CardStatusName(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view CardActionName(CardAction action) {
  switch (action) {
    case CardAction::kIssue:
      return "issue";
    case CardAction::kRecall:
      return "recall";
    case CardAction::kSell:
      return "sell";
    case CardAction::kConfirmPayment:
      return "confirm_payment";
    case CardAction::kActivate:
      return "activate";
    case CardAction::kReverseRestock:
      return "reverse_restock";
    case CardAction::kReverseVoid:
      return "reverse_void";
    case CardAction::kVoid:
      return "void";
    case CardAction::kFreeze:
      return "freeze";
    case CardAction::kUnfreeze:
      return "unfreeze";
    case CardAction::kExpire:
      return "expire";
  }
  return "unknown";
}

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
