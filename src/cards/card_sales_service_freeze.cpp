// Report lost (挂失) and its lifting (解挂).

#include "cards/card_sales_service.hpp"

#include <optional>
#include <string>

#include "cards/card_sales_service_support.hpp"
#include "cards/card_serial.hpp"
#include "common/access.hpp"
#include "common/text.hpp"

namespace anxin::cards {
namespace {

using internal::ChangedConcurrently;
using internal::CheckFreeText;
using internal::kMaxReason;
using internal::kMinReason;
using storage::Tx;

}  // namespace

Result<Card> CardSalesService::Freeze(const Actor& actor, const std::string& serial,
                                      const std::string& reason) {
  return ChangeFreeze(actor, serial, reason, CardAction::kFreeze);
}

Result<Card> CardSalesService::Unfreeze(const Actor& actor, const std::string& serial,
                                        const std::string& reason) {
  return ChangeFreeze(actor, serial, reason, CardAction::kUnfreeze);
}

Result<Card> CardSalesService::ChangeFreeze(const Actor& actor, const std::string& serial_text,
                                            const std::string& reason_text, CardAction action) {
  ANXIN_ASSIGN_OR_RETURN(const Principal* caller, RequireStaffMember(actor, kPermCardFreeze));
  std::vector<FieldError> errors;
  Result<ParsedSerial> parsed = ParseSerial(Trim(serial_text), "serial");
  if (!parsed.ok()) {
    for (const FieldError& e : parsed.status().fields()) errors.push_back(e);
    if (parsed.status().fields().empty())
      errors.push_back({"serial", "invalid_format", {"卡号格式不正确", "Invalid serial"}});
  }
  CheckFreeText(errors, "reason", reason_text, kMinReason, kMaxReason, action == CardAction::kFreeze);
  if (!errors.empty()) return Status::Invalid(std::move(errors));
  const std::string serial = FormatSerial(parsed->prefix, parsed->seq);
  const std::string reason(Trim(reason_text));
  const int64_t now = clock_.NowMs();
  const std::string actor_id = ActorId(actor);

  return db_.WriteResult<Card>([&](Tx& tx) -> Result<Card> {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Card> card, cards_.Find(tx, serial));
    if (!card || !caller->Covers(card->holder_org_path)) return Status::NotFound("card");
    ANXIN_ASSIGN_OR_RETURN(CardStatus next, CardTransition(card->status, action, card->status_before_freeze));
    CardChange change;
    if (action == CardAction::kFreeze) {
      change.status_before_freeze = card->status;
    } else {
      change.clear_status_before_freeze = true;
    }
    ANXIN_ASSIGN_OR_RETURN(bool moved, cards_.Transition(tx, serial, card->status, next, change, now));
    if (!moved) return ChangedConcurrently(serial);
    nlohmann::json detail = nlohmann::json::object();
    if (!reason.empty()) detail["reason"] = reason;
    ANXIN_RETURN_IF_ERROR(cards_.AppendEvent(
        tx, CardEvent{serial, now, action, card->status, next, actor_id, std::nullopt, "", detail}));
    ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor,
                                        {action == CardAction::kFreeze ? "card.freeze" : "card.unfreeze",
                                         "card",
                                         serial,
                                         card->holder_org_id,
                                         {{"serial", serial},
                                          {"from", std::string(CardStatusName(card->status))},
                                          {"to", std::string(CardStatusName(next))}}}));
    ANXIN_ASSIGN_OR_RETURN(std::optional<Card> updated, cards_.Find(tx, serial));
    if (!updated) return Status::Internal("card sales: card " + serial + " vanished");
    return std::move(*updated);
  });
}

}  // namespace anxin::cards
