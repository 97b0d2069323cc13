// Receipts and payment (收费收据, 收费确认): charge and refund receipts, their confirmation with the
// cards' move to awaiting activation or the refund, blue and red-letter invoices, and their PDFs.

#include "cards/card_sales_service.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cards/card_sales_documents.hpp"
#include "cards/card_sales_service_support.hpp"
#include "common/access.hpp"
#include "common/text.hpp"
#include "common/validation.hpp"
#include "documents/pdf.hpp"

namespace anxin::cards {
namespace {

using internal::BadCard;
using internal::CardsRefused;
using internal::ChangedConcurrently;
using internal::CheckFreeText;
using storage::Tx;

constexpr const char* kReceiptPrefix = "SF";
constexpr const char* kInvoicePrefix = "FP";
constexpr size_t kMaxPayerName = 100;
constexpr size_t kMaxBankReference = 64;

std::string MaskReference(const std::string& reference) {
  const size_t keep = reference.size() > 4 ? 4 : 0;
  return std::string(std::max<size_t>(4, reference.size() - keep), '*') +
         reference.substr(reference.size() - keep);
}

std::string Yuan(Money amount) { return amount.ToYuanString() + " 元"; }

// What every audit record of a receipt says of it; the caller adds what the receipt is for.
nlohmann::json ReceiptSummary(const Receipt& receipt) {
  return {{"receipt_no", receipt.receipt_no},
          {"kind", std::string(ReceiptKindName(receipt.kind))},
          {"amount_fen", receipt.amount.fen}};
}

}  // namespace

Result<ReceiptView> CardSalesService::ReceiptViewOf(Tx& tx, const Receipt& receipt) {
  ReceiptView view;
  view.receipt = receipt;
  ANXIN_ASSIGN_OR_RETURN(std::optional<SalesOrg> org, store_.FindOrg(tx, receipt.org_id));
  if (!org) return Status::Internal("card sales: receipt " + receipt.id + " has no organisation");
  view.org = std::move(*org);
  std::string sales_id;
  int64_t quantity = 0;
  if (receipt.kind == ReceiptKind::kRefund && receipt.recovery_id) {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Recovery> recovery, store_.FindRecovery(tx, *receipt.recovery_id));
    if (!recovery) return Status::Internal("card sales: refund receipt " + receipt.id + " has no recovery");
    view.recovery_no = recovery->recovery_no;
    sales_id = recovery->sales_id;
    quantity = recovery->quantity;
  } else if (receipt.sales_id) {
    sales_id = *receipt.sales_id;
  }
  ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> sale, store_.FindSale(tx, sales_id));
  if (!sale) return Status::Internal("card sales: receipt " + receipt.id + " has no sale");
  view.sales_no = sale->sales_no;
  if (receipt.kind == ReceiptKind::kCharge) quantity = sale->quantity;
  ANXIN_ASSIGN_OR_RETURN(std::optional<CardType> type, cards_.FindType(tx, sale->card_type_id));
  if (!type) return Status::Internal("card sales: sale " + sale->id + " has no card type");
  view.items.push_back({type->code + " " + type->name, quantity, type->face_value, receipt.amount});
  ANXIN_ASSIGN_OR_RETURN(std::optional<Invoice> invoice, store_.FindInvoiceByReceipt(tx, receipt.id));
  if (invoice) view.invoice_no = invoice->invoice_no;
  if (receipt.bank_reference_enc) {
    ANXIN_ASSIGN_OR_RETURN(std::string reference, keys_.Open(*receipt.bank_reference_enc));
    view.bank_reference_masked = MaskReference(reference);
  }
  return view;
}

Result<InvoiceView> CardSalesService::InvoiceViewOf(Tx& tx, const Invoice& invoice) {
  InvoiceView view;
  view.invoice = invoice;
  ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> receipt, store_.FindReceipt(tx, invoice.receipt_id));
  if (!receipt) return Status::Internal("card sales: invoice " + invoice.id + " has no receipt");
  ANXIN_ASSIGN_OR_RETURN(ReceiptView receipt_view, ReceiptViewOf(tx, *receipt));
  view.org = receipt_view.org;
  view.receipt_no = receipt->receipt_no;
  view.sales_no = receipt_view.sales_no;
  view.recovery_no = receipt_view.recovery_no;
  view.items = receipt_view.items;
  if (invoice.kind == InvoiceKind::kRed) {
    // A red-letter invoice reverses the lines it refunds: negative quantity and amount.
    for (LineItem& item : view.items) {
      item.quantity = -item.quantity;
      item.amount = -item.amount;
    }
  }
  if (invoice.original_invoice_id) {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Invoice> original,
                           store_.FindInvoice(tx, *invoice.original_invoice_id));
    if (original) view.original_invoice_no = original->invoice_no;
  }
  return view;
}

Result<ReceiptView> CardSalesService::IssueReceipt(const Actor& actor, const ReceiptRequest& request) {
  ANXIN_ASSIGN_OR_RETURN(const Principal* caller, RequireStaffMember(actor, kPermCardPayment));
  const bool by_sale = request.sales_no && !Trim(*request.sales_no).empty();
  const bool by_recovery = request.recovery_no && !Trim(*request.recovery_no).empty();
  if (by_sale && by_recovery) {
    return Status::InvalidField(
        "recovery_no", "conflicting",
        {"销售单号与回收单号只能填写一个", "Give either sales_no or recovery_no, not both"});
  }
  if (!by_sale && !by_recovery) {
    return Status::InvalidField(
        "sales_no", "required",
        {"请填写销售单号（收费）或回收单号（退费）", "Give sales_no (charge) or recovery_no (refund)"});
  }
  const std::string number(Trim(by_sale ? *request.sales_no : *request.recovery_no));
  const int64_t now = clock_.NowMs();
  const std::string actor_id = ActorId(actor);

  return db_.WriteResult<ReceiptView>([&](Tx& tx) -> Result<ReceiptView> {
    Receipt receipt;
    receipt.id = NewId(now);
    receipt.status = ReceiptStatus::kIssued;
    receipt.issued_at = now;
    receipt.issued_by = actor_id;
    std::string sales_no;
    std::string recovery_no;
    if (by_sale) {
      ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> found, store_.FindSaleByNo(tx, number));
      if (!found || !caller->Covers(found->org_path)) return Status::NotFound("card_sale");
      ANXIN_RETURN_IF_ERROR(store_.LockSale(tx, found->id));
      ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> sale, store_.FindSale(tx, found->id));
      if (!sale) return Status::NotFound("card_sale");
      ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> existing,
                             store_.FindReceiptFor(tx, ReceiptKind::kCharge, sale->id));
      if (existing) {
        return Status(StatusCode::kFailedPrecondition, "receipt_already_issued",
                      {"该销售单已开具收费收据 " + existing->receipt_no,
                       "A charge receipt was already issued for this sale: " + existing->receipt_no});
      }
      if (sale->status != SaleStatus::kRegistered) {
        return Status(
            StatusCode::kFailedPrecondition, "sale_not_registered",
            {"该销售单当前状态不能开具收费收据", "This sale cannot be charged in its current status (" +
                                                     std::string(SaleStatusName(sale->status)) + ")"});
      }
      ANXIN_ASSIGN_OR_RETURN(std::optional<SalesStaff> seller, store_.FindStaff(tx, sale->seller_code));
      receipt.kind = ReceiptKind::kCharge;
      receipt.sales_id = sale->id;
      receipt.org_id = sale->org_id;
      receipt.org_path = sale->org_path;
      receipt.amount = sale->amount;
      receipt.payer_name = seller ? seller->display_name : sale->seller_code;
      ANXIN_ASSIGN_OR_RETURN(receipt.receipt_no, NextNumber(tx, NumberKind::kReceipt, kReceiptPrefix));
      ANXIN_RETURN_IF_ERROR(store_.InsertReceipt(tx, receipt));
      sale->status = SaleStatus::kReceipted;
      ANXIN_RETURN_IF_ERROR(store_.UpdateSale(tx, *sale));
      if (receipt.amount.fen > 0) {
        ANXIN_RETURN_IF_ERROR(
            ledger_
                .Post(tx, actor,
                      {"保险卡收费收据 " + receipt.receipt_no + "（销售单 " + sale->sales_no + "）应收保费",
                       ledger::RefType::kReceipt,
                       receipt.id,
                       sale->org_id,
                       {{ledger::kPremiumReceivable, receipt.amount, Money{}},
                        {ledger::kAdvancePremium, Money{}, receipt.amount}}})
                .status());
      }
      sales_no = sale->sales_no;
    } else {
      ANXIN_ASSIGN_OR_RETURN(std::optional<Recovery> found, store_.FindRecoveryByNo(tx, number));
      if (!found || !caller->Covers(found->org_path)) return Status::NotFound("card_recovery");
      ANXIN_RETURN_IF_ERROR(store_.LockSale(tx, found->sales_id));
      ANXIN_ASSIGN_OR_RETURN(std::optional<Recovery> recovery, store_.FindRecovery(tx, found->id));
      if (!recovery) return Status::NotFound("card_recovery");
      ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> existing,
                             store_.FindReceiptFor(tx, ReceiptKind::kRefund, recovery->id));
      if (existing) {
        return Status(StatusCode::kFailedPrecondition, "receipt_already_issued",
                      {"该回收单已开具退费收据 " + existing->receipt_no,
                       "A refund receipt was already issued for this recovery: " + existing->receipt_no});
      }
      if (!recovery->paid_before || recovery->status != RecoveryStatus::kRegistered) {
        return Status(
            StatusCode::kFailedPrecondition, "no_refund_due",
            {"该回收单的卡未收费，无需退费", "The cards of this recovery were not paid: no refund is due"});
      }
      ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> sale, store_.FindSale(tx, recovery->sales_id));
      if (!sale) return Status::Internal("card sales: recovery " + recovery->id + " has no sale");
      ANXIN_ASSIGN_OR_RETURN(std::optional<SalesStaff> seller, store_.FindStaff(tx, sale->seller_code));
      receipt.kind = ReceiptKind::kRefund;
      receipt.recovery_id = recovery->id;
      receipt.org_id = recovery->org_id;
      receipt.org_path = recovery->org_path;
      receipt.amount = recovery->amount;
      receipt.payer_name = seller ? seller->display_name : sale->seller_code;
      ANXIN_ASSIGN_OR_RETURN(receipt.receipt_no, NextNumber(tx, NumberKind::kReceipt, kReceiptPrefix));
      ANXIN_RETURN_IF_ERROR(store_.InsertReceipt(tx, receipt));
      sales_no = sale->sales_no;
      recovery_no = recovery->recovery_no;
    }
    nlohmann::json summary = ReceiptSummary(receipt);
    summary["sales_no"] = sales_no;
    if (!recovery_no.empty()) summary["recovery_no"] = recovery_no;
    ANXIN_RETURN_IF_ERROR(audit_.Append(
        tx, actor, {"receipt.issue", "receipt", receipt.id, receipt.org_id, std::move(summary)}));
    return ReceiptViewOf(tx, receipt);
  });
}

Result<ConfirmResult> CardSalesService::ConfirmReceipt(const Actor& actor, const std::string& receipt_no,
                                                       const ConfirmRequest& request) {
  ANXIN_ASSIGN_OR_RETURN(const Principal* caller, RequireStaffMember(actor, kPermCardPayment));
  std::vector<FieldError> errors;
  if (request.amount_fen <= 0) {
    errors.push_back({"amount_fen", "out_of_range", {"金额须大于 0", "The amount must be positive"}});
  }
  if (request.payer_name) CheckFreeText(errors, "payer_name", *request.payer_name, 1, kMaxPayerName, true);
  if (request.bank_reference) {
    const std::string reference(Trim(*request.bank_reference));
    if (reference.empty()) {
      errors.push_back({"bank_reference", "required", {"不能为空", "Must not be empty"}});
    } else if (reference.size() > kMaxBankReference || !IsValidUtf8(reference) ||
               HasControlCharacters(reference)) {
      errors.push_back({"bank_reference", "invalid_format", {"格式不正确", "Invalid format"}});
    }
  }
  if (!errors.empty()) return Status::Invalid(std::move(errors));
  // RULES.md §6: a bank reference may carry account digits; it is stored sealed only.
  std::optional<std::string> sealed_reference;
  if (request.bank_reference) sealed_reference = keys_.Seal(Trim(*request.bank_reference));
  const int64_t now = clock_.NowMs();
  const std::string actor_id = ActorId(actor);

  return db_.WriteResult<ConfirmResult>([&](Tx& tx) -> Result<ConfirmResult> {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> found, store_.FindReceiptByNo(tx, receipt_no));
    if (!found || !caller->Covers(found->org_path)) return Status::NotFound("receipt");
    std::string sales_id;
    if (found->kind == ReceiptKind::kCharge && found->sales_id) {
      sales_id = *found->sales_id;
    } else if (found->recovery_id) {
      ANXIN_ASSIGN_OR_RETURN(std::optional<Recovery> recovery, store_.FindRecovery(tx, *found->recovery_id));
      if (!recovery) return Status::Internal("card sales: receipt " + found->id + " has no recovery");
      sales_id = recovery->sales_id;
    }
    ANXIN_RETURN_IF_ERROR(store_.LockSale(tx, sales_id));
    ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> receipt, store_.FindReceipt(tx, found->id));
    if (!receipt) return Status::NotFound("receipt");
    if (receipt->status != ReceiptStatus::kIssued) {
      return Status(
          StatusCode::kFailedPrecondition, "receipt_not_issued",
          {"该收据已确认或已作废（当前状态：" + std::string(ReceiptStatusName(receipt->status)) + "）",
           "This receipt is already " + std::string(ReceiptStatusName(receipt->status))});
    }
    if (request.amount_fen != receipt->amount.fen) {
      return Status::InvalidField(
          "amount_fen", "amount_mismatch",
          {"金额与收据金额 " + Yuan(receipt->amount) + " 不符",
           "The amount differs from the receipt's " + receipt->amount.ToYuanString() + " yuan"});
    }
    if (request.payer_name) receipt->payer_name = Trim(*request.payer_name);
    receipt->bank_reference_enc = sealed_reference;
    receipt->status = ReceiptStatus::kConfirmed;
    receipt->confirmed_at = now;
    receipt->confirmed_by = actor_id;
    if (receipt->kind == ReceiptKind::kCharge)
      return ConfirmCharge(tx, actor, std::move(*receipt), request, now);
    return ConfirmRefund(tx, actor, std::move(*receipt), request, now);
  });
}

// Issues the invoice of a confirmed receipt: blue for a charge; red-letter (negative, pointing at
// `original`) for a refund, when `original` is set.
Result<Invoice> CardSalesService::InsertInvoice(Tx& tx, const Receipt& receipt, const Invoice* original,
                                                int64_t now, const std::string& actor_id) {
  Invoice invoice;
  invoice.id = NewId(now);
  ANXIN_ASSIGN_OR_RETURN(invoice.invoice_no, NextNumber(tx, NumberKind::kInvoice, kInvoicePrefix));
  invoice.kind = original == nullptr ? InvoiceKind::kBlue : InvoiceKind::kRed;
  invoice.receipt_id = receipt.id;
  if (original != nullptr) invoice.original_invoice_id = original->id;
  invoice.org_id = receipt.org_id;
  invoice.org_path = receipt.org_path;
  invoice.buyer_name = original == nullptr ? receipt.payer_name : original->buyer_name;
  invoice.amount = original == nullptr ? receipt.amount : -receipt.amount;
  invoice.issued_at = now;
  invoice.issued_by = actor_id;
  ANXIN_RETURN_IF_ERROR(store_.InsertInvoice(tx, invoice));
  return invoice;
}

Status CardSalesService::AuditConfirmation(Tx& tx, const Actor& actor, const Receipt& receipt,
                                           const nlohmann::json& about, const Invoice& invoice,
                                           const Invoice* original) {
  nlohmann::json confirmed = ReceiptSummary(receipt);
  confirmed.update(about);
  confirmed["bank_reference"] = receipt.bank_reference_enc.has_value();
  ANXIN_RETURN_IF_ERROR(audit_.Append(
      tx, actor, {"receipt.confirm", "receipt", receipt.id, receipt.org_id, std::move(confirmed)}));
  nlohmann::json issued = {{"invoice_no", invoice.invoice_no},
                           {"kind", InvoiceKindName(invoice.kind)},
                           {"receipt_no", receipt.receipt_no},
                           {"amount_fen", invoice.amount.fen}};
  if (original != nullptr) issued["original_invoice_no"] = original->invoice_no;
  return audit_.Append(tx, actor,
                       {"invoice.issue", "invoice", invoice.id, invoice.org_id, std::move(issued)});
}

Result<ConfirmResult> CardSalesService::ConfirmCharge(Tx& tx, const Actor& actor, Receipt receipt,
                                                      const ConfirmRequest& /*request*/, int64_t now) {
  const std::string actor_id = ActorId(actor);
  ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> sale, store_.FindSale(tx, *receipt.sales_id));
  if (!sale) return Status::Internal("card sales: receipt " + receipt.id + " has no sale");
  if (sale->status != SaleStatus::kReceipted) {
    return Status(StatusCode::kFailedPrecondition, "sale_not_receipted",
                  {"该销售单当前状态不能确认收费", "This sale cannot be confirmed in its status (" +
                                                       std::string(SaleStatusName(sale->status)) + ")"});
  }
  ANXIN_ASSIGN_OR_RETURN(std::vector<std::string> serials, store_.SaleSerials(tx, sale->id));
  // All or nothing: a card reported lost in the meantime stops the confirmation.
  std::vector<BadCard> bad;
  for (const std::string& serial : serials) {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Card> card, cards_.Find(tx, serial));
    if (!card) return Status::Internal("card sales: card " + serial + " vanished");
    if (Result<CardStatus> next = CardTransition(card->status, CardAction::kConfirmPayment); !next.ok()) {
      bad.push_back({serial,
                     {"serials",
                      next.status().reason(),
                      {serial + "：当前状态为" + std::string(CardStatusLabelZh(card->status)),
                       serial + ": status is " + std::string(CardStatusName(card->status))}}});
    }
  }
  if (!bad.empty()) {
    return CardsRefused(StatusCode::kFailedPrecondition, "cards_not_confirmable",
                        "以下卡当前不能确认收费（挂失的卡请先解挂）",
                        "These cards cannot have payment confirmed (unfreeze lost cards first)", bad);
  }
  ANXIN_ASSIGN_OR_RETURN(bool claimed, store_.ConfirmReceipt(tx, receipt));
  if (!claimed) {
    return Status(StatusCode::kFailedPrecondition, "receipt_not_issued",
                  {"该收据已确认", "This receipt is already confirmed"});
  }
  for (const std::string& serial : serials) {
    ANXIN_ASSIGN_OR_RETURN(bool moved, cards_.Transition(tx, serial, CardStatus::kSold,
                                                         CardStatus::kAwaitingActivation, CardChange{}, now));
    if (!moved) return ChangedConcurrently(serial);
    ANXIN_RETURN_IF_ERROR(cards_.AppendEvent(
        tx, CardEvent{serial, now, CardAction::kConfirmPayment, CardStatus::kSold,
                      CardStatus::kAwaitingActivation, actor_id, CardRefType::kReceipt, receipt.id,
                      nlohmann::json{{"receipt_no", receipt.receipt_no}, {"sales_no", sale->sales_no}}}));
  }
  sale->status = SaleStatus::kPaid;
  ANXIN_RETURN_IF_ERROR(store_.UpdateSale(tx, *sale));

  ANXIN_ASSIGN_OR_RETURN(Invoice invoice, InsertInvoice(tx, receipt, nullptr, now, actor_id));

  // Seed 000 §4: on confirmation, the funds received write off the premium receivable booked
  // against the advance premium (预收保费核销).
  if (receipt.amount.fen > 0) {
    ANXIN_RETURN_IF_ERROR(
        ledger_
            .Post(tx, actor,
                  {"保险卡收费确认 " + receipt.receipt_no + "（销售单 " + sale->sales_no + "）预收保费核销",
                   ledger::RefType::kReceipt,
                   receipt.id,
                   receipt.org_id,
                   {{ledger::kBank, receipt.amount, Money{}},
                    {ledger::kPremiumReceivable, Money{}, receipt.amount}}})
            .status());
  }
  ANXIN_RETURN_IF_ERROR(AuditConfirmation(
      tx, actor, receipt, {{"sales_no", sale->sales_no}, {"cards", static_cast<int64_t>(serials.size())}},
      invoice, nullptr));
  ConfirmResult result;
  ANXIN_ASSIGN_OR_RETURN(result.receipt, ReceiptViewOf(tx, receipt));
  ANXIN_ASSIGN_OR_RETURN(result.invoice, InvoiceViewOf(tx, invoice));
  return result;
}

Result<ConfirmResult> CardSalesService::ConfirmRefund(Tx& tx, const Actor& actor, Receipt receipt,
                                                      const ConfirmRequest& /*request*/, int64_t now) {
  const std::string actor_id = ActorId(actor);
  ANXIN_ASSIGN_OR_RETURN(std::optional<Recovery> recovery, store_.FindRecovery(tx, *receipt.recovery_id));
  if (!recovery) return Status::Internal("card sales: refund receipt " + receipt.id + " has no recovery");
  ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> charge,
                         store_.FindReceiptFor(tx, ReceiptKind::kCharge, recovery->sales_id));
  std::optional<Invoice> original;
  if (charge) {
    ANXIN_ASSIGN_OR_RETURN(original, store_.FindInvoiceByReceipt(tx, charge->id));
  }
  if (!original)
    return Status::Internal("card sales: paid sale " + recovery->sales_id + " has no blue invoice");
  ANXIN_ASSIGN_OR_RETURN(bool claimed, store_.ConfirmReceipt(tx, receipt));
  if (!claimed) {
    return Status(StatusCode::kFailedPrecondition, "receipt_not_issued",
                  {"该收据已确认", "This receipt is already confirmed"});
  }
  ANXIN_ASSIGN_OR_RETURN(bool refunded, store_.MarkRecoveryRefunded(tx, recovery->id));
  if (!refunded) {
    return Status(StatusCode::kFailedPrecondition, "no_refund_due",
                  {"该回收单已退费", "This recovery was already refunded"});
  }

  // Seed 000, other circumstances 2: confirm the refund and print the red-letter invoice.
  ANXIN_ASSIGN_OR_RETURN(Invoice invoice, InsertInvoice(tx, receipt, &*original, now, actor_id));

  if (receipt.amount.fen > 0) {
    ANXIN_RETURN_IF_ERROR(
        ledger_
            .Post(tx, actor,
                  {"保险卡退费确认 " + receipt.receipt_no + "（回收单 " + recovery->recovery_no + "）",
                   ledger::RefType::kReceipt,
                   receipt.id,
                   receipt.org_id,
                   {{ledger::kAdvancePremium, receipt.amount, Money{}},
                    {ledger::kBank, Money{}, receipt.amount}}})
            .status());
  }
  ANXIN_RETURN_IF_ERROR(
      AuditConfirmation(tx, actor, receipt, {{"recovery_no", recovery->recovery_no}}, invoice, &*original));
  ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor,
                                      {"card_recovery.refund",
                                       "card_recovery",
                                       recovery->id,
                                       recovery->org_id,
                                       {{"recovery_no", recovery->recovery_no},
                                        {"receipt_no", receipt.receipt_no},
                                        {"amount_fen", receipt.amount.fen}}}));
  ConfirmResult result;
  ANXIN_ASSIGN_OR_RETURN(result.receipt, ReceiptViewOf(tx, receipt));
  ANXIN_ASSIGN_OR_RETURN(result.invoice, InvoiceViewOf(tx, invoice));
  return result;
}

Result<ReceiptView> CardSalesService::GetReceipt(const Actor& actor, const std::string& receipt_no) {
  ANXIN_RETURN_IF_ERROR(RequireStaff(actor, kPermInvoiceRead));
  return db_.ReadResult<ReceiptView>([&](Tx& tx) -> Result<ReceiptView> {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> receipt, store_.FindReceiptByNo(tx, receipt_no));
    if (!receipt || !InScope(actor, receipt->org_path)) return Status::NotFound("receipt");
    return ReceiptViewOf(tx, *receipt);
  });
}

Result<std::string> CardSalesService::ReceiptPdf(const Actor& actor, const std::string& receipt_no) {
  ANXIN_ASSIGN_OR_RETURN(ReceiptView view, GetReceipt(actor, receipt_no));
  return documents::RenderPdf(ReceiptDocument(view));
}

Result<DocumentPage<ReceiptView>> CardSalesService::ListReceipts(const Actor& actor,
                                                                 const DocumentListQuery& query) {
  return ListDocuments<ReceiptView, Receipt>(
      actor, kPermInvoiceRead, query,
      [this](Tx& tx, const DocumentQuery& q) { return store_.ListReceipts(tx, q); },
      [this](Tx& tx, const Receipt& receipt) { return ReceiptViewOf(tx, receipt); });
}

Result<DocumentPage<InvoiceView>> CardSalesService::ListInvoices(const Actor& actor,
                                                                 const DocumentListQuery& query) {
  return ListDocuments<InvoiceView, Invoice>(
      actor, kPermInvoiceRead, query,
      [this](Tx& tx, const DocumentQuery& q) { return store_.ListInvoices(tx, q); },
      [this](Tx& tx, const Invoice& invoice) { return InvoiceViewOf(tx, invoice); });
}

Result<InvoiceView> CardSalesService::GetInvoice(const Actor& actor, const std::string& invoice_no) {
  ANXIN_RETURN_IF_ERROR(RequireStaff(actor, kPermInvoiceRead));
  return db_.ReadResult<InvoiceView>([&](Tx& tx) -> Result<InvoiceView> {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Invoice> invoice, store_.FindInvoiceByNo(tx, invoice_no));
    if (!invoice || !InScope(actor, invoice->org_path)) return Status::NotFound("invoice");
    return InvoiceViewOf(tx, *invoice);
  });
}

Result<std::string> CardSalesService::InvoicePdf(const Actor& actor, const std::string& invoice_no) {
  ANXIN_ASSIGN_OR_RETURN(InvoiceView view, GetInvoice(actor, invoice_no));
  return documents::RenderPdf(InvoiceDocument(view));
}

}  // namespace anxin::cards
