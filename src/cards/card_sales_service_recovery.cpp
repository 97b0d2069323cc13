// Reverse processing (反向处理): sold or paid cards of a sale back to stock or voided, the sale and its
// charge receipt shrunk, or a refund awaited.

#include "cards/card_sales_service.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cards/card_sales_service_support.hpp"
#include "common/access.hpp"
#include "common/text.hpp"

namespace anxin::cards {
namespace {

using internal::BadCard;
using internal::CardsRefused;
using internal::ChangedConcurrently;
using internal::CheckCode;
using internal::CheckFreeText;
using internal::kMaxReason;
using internal::kMinReason;
using internal::ParseSerialList;
using internal::RequireInstitution;
using storage::Tx;

constexpr const char* kRecoveryPrefix = "HS";

}  // namespace

Result<RecoveryView> CardSalesService::RecoveryViewOf(Tx& tx, const Recovery& recovery) {
  RecoveryView view;
  view.recovery = recovery;
  ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> sale, store_.FindSale(tx, recovery.sales_id));
  if (!sale) return Status::Internal("card sales: recovery " + recovery.id + " has no sale");
  view.sales_no = sale->sales_no;
  ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> receipt,
                         store_.FindReceiptFor(tx, ReceiptKind::kRefund, recovery.id));
  if (receipt) {
    view.receipt_no = receipt->receipt_no;
    ANXIN_ASSIGN_OR_RETURN(std::optional<Invoice> invoice, store_.FindInvoiceByReceipt(tx, receipt->id));
    if (invoice) view.invoice_no = invoice->invoice_no;
  }
  return view;
}

Result<RecoveryView> CardSalesService::RegisterRecovery(const Actor& actor, const RecoveryRequest& request) {
  ANXIN_ASSIGN_OR_RETURN(const Principal* caller, RequireStaffMember(actor, kPermCardSale));
  std::vector<FieldError> errors;
  CheckCode(errors, "sales_no", request.sales_no);
  std::vector<std::string> serials;
  if (request.serials.empty()) {
    errors.push_back({"serials", "required", {"请填写要回收的卡号", "List the serials to take back"}});
  } else if (static_cast<int64_t>(request.serials.size()) > kMaxCardsPerSale) {
    errors.push_back({"serials",
                      "too_many_items",
                      {"一次最多 " + std::to_string(kMaxCardsPerSale) + " 张卡",
                       "At most " + std::to_string(kMaxCardsPerSale) + " cards at once"}});
  } else {
    serials = ParseSerialList(errors, "serials", request.serials);
  }
  std::optional<Disposition> disposition = ParseDisposition(request.disposition);
  if (request.disposition.empty()) {
    errors.push_back({"disposition", "required", {"必填", "Required"}});
  } else if (!disposition) {
    errors.push_back(
        {"disposition",
         "invalid_value",
         {"处理方式须为 restock（退回库存）或 void（作废）", "disposition must be restock or void"}});
  }
  CheckFreeText(errors, "reason", request.reason, kMinReason, kMaxReason, true);
  if (!errors.empty()) return Status::Invalid(std::move(errors));
  const std::string sales_no(Trim(request.sales_no));
  const std::string reason(Trim(request.reason));
  const CardAction action =
      *disposition == Disposition::kRestock ? CardAction::kReverseRestock : CardAction::kReverseVoid;
  const int64_t now = clock_.NowMs();
  const std::string actor_id = ActorId(actor);

  return db_.WriteResult<RecoveryView>([&](Tx& tx) -> Result<RecoveryView> {
    ANXIN_RETURN_IF_ERROR(RequireInstitution(tx, store_, *caller, "反向处理", "Reverse processing"));
    ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> found, store_.FindSaleByNo(tx, sales_no));
    if (!found || !caller->Covers(found->org_path)) return Status::NotFound("card_sale");
    ANXIN_RETURN_IF_ERROR(store_.LockSale(tx, found->id));
    ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> sale, store_.FindSale(tx, found->id));
    if (!sale) return Status::NotFound("card_sale");
    ANXIN_ASSIGN_OR_RETURN(std::optional<CardType> type, cards_.FindType(tx, sale->card_type_id));
    if (!type) return Status::Internal("card sales: sale " + sale->id + " has no card type");

    std::vector<BadCard> not_in_sale;
    std::vector<BadCard> not_reversible;
    std::vector<Card> cards;
    for (size_t i = 0; i < serials.size(); ++i) {
      const std::string field = "serials[" + std::to_string(i) + "]";
      ANXIN_ASSIGN_OR_RETURN(std::optional<Card> card, cards_.Find(tx, serials[i]));
      if (!card || card->sales_id != sale->id) {
        not_in_sale.push_back({serials[i],
                               {field,
                                "card_not_in_sale",
                                {serials[i] + "：不属于销售单 " + sale->sales_no,
                                 serials[i] + ": not part of sale " + sale->sales_no}}});
        continue;
      }
      if (Result<CardStatus> next = CardTransition(card->status, action); !next.ok()) {
        not_reversible.push_back({serials[i], {field, next.status().reason(), next.status().message()}});
        continue;
      }
      cards.push_back(std::move(*card));
    }
    if (!not_in_sale.empty()) {
      return CardsRefused(StatusCode::kFailedPrecondition, "card_not_in_sale", "以下卡不属于该销售单",
                          "These cards are not part of the sale", not_in_sale);
    }
    if (!not_reversible.empty()) {
      // An activated card is no longer a card matter: its policy is surrendered instead.
      return CardsRefused(StatusCode::kFailedPrecondition, "card_not_reversible",
                          "以下卡不能反向处理（已激活的卡请办理退保）",
                          "These cards cannot be reversed (surrender the policy of an activated card)",
                          not_reversible);
    }

    std::sort(cards.begin(), cards.end(), [](const Card& a, const Card& b) { return a.serial < b.serial; });
    const bool paid = sale->status == SaleStatus::kPaid;
    Recovery recovery;
    recovery.id = NewId(now);
    ANXIN_ASSIGN_OR_RETURN(recovery.recovery_no, NextNumber(tx, NumberKind::kRecovery, kRecoveryPrefix));
    recovery.sales_id = sale->id;
    recovery.org_id = sale->org_id;
    recovery.org_path = sale->org_path;
    recovery.quantity = static_cast<int64_t>(cards.size());
    recovery.amount = Money::Fen(type->face_value.fen * recovery.quantity);
    recovery.disposition = *disposition;
    recovery.reason = reason;
    recovery.status = paid ? RecoveryStatus::kRegistered : RecoveryStatus::kCompleted;
    recovery.paid_before = paid;
    recovery.created_at = now;
    recovery.created_by = actor_id;
    recovery.serials = serials;
    std::sort(recovery.serials.begin(), recovery.serials.end());
    ANXIN_RETURN_IF_ERROR(store_.InsertRecovery(tx, recovery));

    CardChange change;
    change.clear_sales_id = true;
    if (action == CardAction::kReverseRestock) {
      change.holder_type = HolderType::kOrg;
      change.holder_id = sale->org_id;
      change.holder_org_id = sale->org_id;
      change.holder_org_path = sale->org_path;
    }
    for (const Card& card : cards) {
      const CardStatus next = *CardTransition(card.status, action);
      ANXIN_ASSIGN_OR_RETURN(bool moved, cards_.Transition(tx, card.serial, card.status, next, change, now));
      if (!moved) return ChangedConcurrently(card.serial);
      ANXIN_RETURN_IF_ERROR(cards_.AppendEvent(
          tx,
          CardEvent{
              card.serial, now, action, card.status, next, actor_id, CardRefType::kRecovery, recovery.id,
              nlohmann::json{
                  {"recovery_no", recovery.recovery_no}, {"sales_no", sale->sales_no}, {"reason", reason}}}));
    }

    if (!paid) {
      // Not yet paid: the sale (and its charge receipt, if issued) simply charge less.
      const bool was_receipted = sale->status == SaleStatus::kReceipted;
      sale->quantity -= recovery.quantity;
      sale->amount -= recovery.amount;
      if (sale->quantity <= 0) sale->status = SaleStatus::kReversed;
      ANXIN_RETURN_IF_ERROR(store_.UpdateSale(tx, *sale));
      if (was_receipted) {
        ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> receipt,
                               store_.FindReceiptFor(tx, ReceiptKind::kCharge, sale->id));
        if (!receipt || receipt->status != ReceiptStatus::kIssued) {
          return Status::Internal("card sales: receipted sale " + sale->id + " has no issued receipt");
        }
        receipt->amount -= recovery.amount;
        if (sale->status == SaleStatus::kReversed) receipt->status = ReceiptStatus::kCancelled;
        ANXIN_RETURN_IF_ERROR(store_.UpdateIssuedReceipt(tx, *receipt));
        if (recovery.amount.fen > 0) {
          ANXIN_RETURN_IF_ERROR(ledger_
                                    .Post(tx, actor,
                                          {"保险卡反向处理 " + recovery.recovery_no + "（收据 " +
                                               receipt->receipt_no + "）冲减应收保费",
                                           ledger::RefType::kRecovery,
                                           recovery.id,
                                           sale->org_id,
                                           {{ledger::kAdvancePremium, recovery.amount, Money{}},
                                            {ledger::kPremiumReceivable, Money{}, recovery.amount}}})
                                    .status());
        }
      }
    }
    ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor,
                                        {"card_recovery.register",
                                         "card_recovery",
                                         recovery.id,
                                         recovery.org_id,
                                         {{"recovery_no", recovery.recovery_no},
                                          {"sales_no", sale->sales_no},
                                          {"quantity", recovery.quantity},
                                          {"amount_fen", recovery.amount.fen},
                                          {"disposition", std::string(DispositionName(recovery.disposition))},
                                          {"paid_before", recovery.paid_before},
                                          {"sale_status", std::string(SaleStatusName(sale->status))}}}));
    return RecoveryViewOf(tx, recovery);
  });
}

Result<RecoveryView> CardSalesService::GetRecovery(const Actor& actor, const std::string& id_or_no) {
  ANXIN_RETURN_IF_ERROR(RequireStaff(actor, kPermCardRead));
  return db_.ReadResult<RecoveryView>([&](Tx& tx) -> Result<RecoveryView> {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Recovery> recovery, store_.FindRecovery(tx, id_or_no));
    if (!recovery) {
      ANXIN_ASSIGN_OR_RETURN(recovery, store_.FindRecoveryByNo(tx, id_or_no));
    }
    if (!recovery || !InScope(actor, recovery->org_path)) return Status::NotFound("card_recovery");
    return RecoveryViewOf(tx, *recovery);
  });
}

Result<DocumentPage<RecoveryView>> CardSalesService::ListRecoveries(const Actor& actor,
                                                                    const DocumentListQuery& query) {
  return ListDocuments<RecoveryView, Recovery>(
      actor, kPermCardRead, query,
      [this](Tx& tx, const DocumentQuery& q) { return store_.ListRecoveries(tx, q); },
      [this](Tx& tx, const Recovery& recovery) { return RecoveryViewOf(tx, recovery); });
}

}  // namespace anxin::cards
