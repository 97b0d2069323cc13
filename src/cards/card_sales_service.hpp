#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/audit_log.hpp"
#include "cards/card.hpp"
#include "cards/card_sales.hpp"
#include "cards/card_sales_store.hpp"
#include "cards/card_store.hpp"
#include "common/actor.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "common/status.hpp"
#include "identity/identity_service.hpp"
#include "ledger/ledger.hpp"
#include "storage/database.hpp"

namespace anxin::cards {

inline constexpr const char* kPermCardRead = "card.read";
inline constexpr const char* kPermCardSale = "card.sale";
inline constexpr const char* kPermCardPayment = "card.payment";
inline constexpr const char* kPermCardFreeze = "card.freeze";
inline constexpr const char* kPermInvoiceRead = "invoice.read";

// Seed 000 §3: "try not to do bulk sales registration". Above this many cards a registration still
// succeeds but carries the warning "bulk_sales_discouraged"; above kMaxCardsPerSale it is refused.
inline constexpr int64_t kBulkSaleThreshold = 50;
inline constexpr int64_t kMaxCardsPerSale = 1000;
inline constexpr int kMaxSalesListLimit = 200;

// 销售登记: cards of one type, either listed or as a range first..last (not both).
struct SaleRequest {
  std::string doc_type_code;    // 单证类型代码: the card type's code
  std::string seller_org_code;  // 销售机构代码: an organisation in the caller's subtree
  std::string seller_code;      // 销售人员代码: the login of a seller of that organisation
  std::string business_source;  // BusinessSourceName()
  std::vector<std::string> serials;
  std::optional<std::string> first_serial;
  std::optional<std::string> last_serial;
};

// Something the caller should know although the operation succeeded.
struct Warning {
  std::string code;
  Text message;
};

// A sale as shown: with its card type, institution, seller and the cards still in it.
struct SaleView {
  CardSale sale;
  CardType card_type;
  SalesOrg org;
  std::string seller_name;
  std::vector<std::string> serials;
  std::optional<std::string> receipt_no;  // its charge receipt, once issued
  std::optional<std::string> invoice_no;  // its blue invoice, once paid
  std::vector<Warning> warnings;          // filled by RegisterSale only
};

struct SaleListQuery {
  std::optional<SaleStatus> status;
  std::optional<std::string> doc_type_code;
  std::optional<std::string> seller_code;
  std::optional<int64_t> from_ms;  // created at or after
  std::optional<int64_t> to_ms;    // created before
  std::string after;               // paging cursor: the last id of the previous page
  int limit = 50;
};

struct SalePage {
  std::vector<CardSale> items;
  std::optional<std::string> next_after;
};

// A page of receipts or invoices of the caller's subtree, oldest first: kind (and, for receipts,
// status) as their names, issued in [from_ms, to_ms).
struct DocumentListQuery {
  std::optional<std::string> kind;
  std::optional<std::string> status;
  std::optional<int64_t> from_ms;
  std::optional<int64_t> to_ms;
  std::string after;  // paging cursor: the last id of the previous page
  int limit = 50;
};

template <typename View>
struct DocumentPage {
  std::vector<View> items;
  std::optional<std::string> next_after;
};

// 收付费处理: a charge receipt for a sale, or a refund receipt for a recovery (exactly one).
struct ReceiptRequest {
  std::optional<std::string> sales_no;
  std::optional<std::string> recovery_no;
};

// Confirmation of funds received (charge) or paid out (refund).
struct ConfirmRequest {
  int64_t amount_fen = 0;  // must equal the receipt's amount
  std::optional<std::string> payer_name;
  std::optional<std::string> bank_reference;  // kept sealed; shown masked
};

// One line of a receipt or invoice.
struct LineItem {
  std::string name;  // the card type's name
  int64_t quantity = 0;
  Money unit_price;
  Money amount;
};

struct ReceiptView {
  Receipt receipt;
  SalesOrg org;
  std::optional<std::string> sales_no;
  std::optional<std::string> recovery_no;
  std::optional<std::string> invoice_no;
  std::optional<std::string> bank_reference_masked;  // "****1234"
  std::vector<LineItem> items;
};

struct InvoiceView {
  Invoice invoice;
  SalesOrg org;
  std::string receipt_no;
  std::optional<std::string> original_invoice_no;  // red-letter invoices
  std::optional<std::string> sales_no;
  std::optional<std::string> recovery_no;
  std::vector<LineItem> items;
};

struct ConfirmResult {
  ReceiptView receipt;
  InvoiceView invoice;
};

// 反向处理 of cards of a sale.
struct RecoveryRequest {
  std::string sales_no;
  std::vector<std::string> serials;
  std::string disposition;  // DispositionName()
  std::string reason;       // 2-200 characters
};

struct RecoveryView {
  Recovery recovery;
  std::string sales_no;
  std::optional<std::string> receipt_no;  // its refund receipt, once issued
  std::optional<std::string> invoice_no;  // its red-letter invoice, once refunded
};

// Card sales (seed 000 §2-3 and "other circumstances" 2): sales registration with its charge list,
// charge receipts and their confirmation with a blue invoice, reverse processing with refund
// receipts and red-letter invoices, and reporting cards lost. Every card change goes through
// CardTransition and CardStore::Transition (conditional updates), every change is audited in its
// own transaction, and money is posted to the ledger in that same transaction:
//   charge receipt issued   Dr 1122 应收保费   Cr 2203 预收保费
//   charge confirmed        Dr 1002 银行存款   Cr 1122 应收保费 (预收保费核销)
//   unpaid cards returned   Dr 2203 预收保费   Cr 1122 应收保费 (if a charge receipt was issued)
//   refund confirmed        Dr 2203 预收保费   Cr 1002 银行存款
//
// Authorisation: each call needs its permission (card.sale, card.payment, card.freeze, card.read,
// invoice.read); staff see only objects of their subtree (others answer kNotFound). Changes need a
// staff principal (kPermissionDenied "staff_only" for system actors); reads by a system actor are
// unrestricted. Thread-safe; all references must outlive the service.
class CardSalesService {
 public:
  CardSalesService(storage::Database& db, CardStore& cards, CardSalesStore& store,
                   identity::IdentityService& identity, const ledger::Ledger& ledger, const KeyRing& keys,
                   const Clock& clock, const audit::AuditLog& audit);

  // Registers a sale (card.sale) by the document administrator of an institution
  // (kPermissionDenied "institution_level_required" for callers of another level). Every card must
  // be in stock and held by the caller's institution or by a person of its subtree; either all
  // are sold or none (kFailedPrecondition "cards_not_sellable", the offending serials as field
  // errors). Input errors: kInvalidArgument "validation_failed" with field paths (doc_type_code,
  // seller_org_code, seller_code, business_source, serials[i], first_serial, last_serial). More
  // than kBulkSaleThreshold cards: succeeds with the warning "bulk_sales_discouraged".
  // Audited as card_sale.register.
  Result<SaleView> RegisterSale(const Actor& actor, const SaleRequest& request);
  // Returns a sale by id or sales number (card.read); kNotFound outside the caller's subtree.
  Result<SaleView> GetSale(const Actor& actor, const std::string& id_or_no);
  // Lists sales of the caller's subtree, oldest first (card.read).
  Result<SalePage> ListSales(const Actor& actor, const SaleListQuery& query);
  // Renders the sale's charge list (收费清单) as PDF (card.read).
  Result<std::string> ChargeListPdf(const Actor& actor, const std::string& id_or_no);

  // Issues a charge receipt for a registered sale or a refund receipt for a recovery of paid cards
  // (card.payment; the sale in the caller's subtree, else kNotFound). kFailedPrecondition
  // "receipt_already_issued", "sale_not_registered" (reversed or paid), "no_refund_due". Audited
  // as receipt.issue.
  Result<ReceiptView> IssueReceipt(const Actor& actor, const ReceiptRequest& request);
  // Confirms the funds of an issued receipt (card.payment). `amount_fen` must equal the receipt's
  // amount (kInvalidArgument at "amount_fen", code "amount_mismatch"). A charge: every card of the
  // sale sold → awaiting activation (all or none: kFailedPrecondition "cards_not_confirmable"),
  // sale paid, blue invoice. A refund: recovery refunded, red-letter invoice of the negative
  // amount pointing at the sale's blue invoice. kFailedPrecondition "receipt_not_issued" when it
  // was already confirmed or cancelled: of concurrent confirmations exactly one succeeds. Audited
  // as receipt.confirm and invoice.issue.
  Result<ConfirmResult> ConfirmReceipt(const Actor& actor, const std::string& receipt_no,
                                       const ConfirmRequest& request);
  // Returns a receipt (invoice.read) and renders it as PDF.
  Result<ReceiptView> GetReceipt(const Actor& actor, const std::string& receipt_no);
  Result<std::string> ReceiptPdf(const Actor& actor, const std::string& receipt_no);
  // Receipts and invoices of the caller's subtree (invoice.read), as GetReceipt and GetInvoice
  // return them, at most kMaxSalesListLimit a page.
  Result<DocumentPage<ReceiptView>> ListReceipts(const Actor& actor, const DocumentListQuery& query);
  Result<DocumentPage<InvoiceView>> ListInvoices(const Actor& actor, const DocumentListQuery& query);
  // Returns an invoice (invoice.read) and renders it as PDF (red-letter invoices in red).
  Result<InvoiceView> GetInvoice(const Actor& actor, const std::string& invoice_no);
  Result<std::string> InvoicePdf(const Actor& actor, const std::string& invoice_no);

  // Reverse processing (card.sale, an institution-level caller whose subtree holds the sale). Every
  // card must belong to the sale (kFailedPrecondition "card_not_in_sale") and be sold or awaiting
  // activation ("card_not_reversible": an activated card is surrendered as a policy instead). The
  // cards go back to the institution's stock or are voided. Unpaid: the sale (and its issued
  // charge receipt) shrink, the sale is "reversed" once empty. Paid: the recovery waits for its
  // refund receipt. Audited as card_recovery.register.
  Result<RecoveryView> RegisterRecovery(const Actor& actor, const RecoveryRequest& request);
  // Returns a recovery by id or recovery number (card.read).
  Result<RecoveryView> GetRecovery(const Actor& actor, const std::string& id_or_no);
  // Recoveries of the caller's subtree (card.read), as GetRecovery returns them: `kind` filters
  // the disposition, `status` registered or refunded, times those of registration.
  Result<DocumentPage<RecoveryView>> ListRecoveries(const Actor& actor, const DocumentListQuery& query);

  // Reports a card lost (挂失, card.freeze) or lifts that (解挂). The card must be held in the
  // caller's subtree (a sold card is held by its selling institution), else kNotFound.
  // kFailedPrecondition "card_not_freezable" / "card_not_frozen". Audited as card.freeze /
  // card.unfreeze.
  Result<Card> Freeze(const Actor& actor, const std::string& serial, const std::string& reason);
  Result<Card> Unfreeze(const Actor& actor, const std::string& serial, const std::string& reason);

 private:
  Result<SaleView> SaleViewOf(storage::Tx& tx, const CardSale& sale, bool with_serials);
  // A page of documents for ListReceipts, ListInvoices and ListRecoveries (callers holding
  // `permission`): `select` reads them, `view_of` views each.
  template <typename View, typename Doc, typename Select, typename ViewOf>
  Result<DocumentPage<View>> ListDocuments(const Actor& actor, std::string_view permission,
                                           const DocumentListQuery& query, Select select, ViewOf view_of);
  Result<ReceiptView> ReceiptViewOf(storage::Tx& tx, const Receipt& receipt);
  Result<InvoiceView> InvoiceViewOf(storage::Tx& tx, const Invoice& invoice);
  Result<RecoveryView> RecoveryViewOf(storage::Tx& tx, const Recovery& recovery);
  Result<CardSale> SaleInScope(storage::Tx& tx, const Actor& actor, const std::string& id_or_no);
  Result<std::string> NextNumber(storage::Tx& tx, NumberKind kind, std::string_view prefix);
  Result<Invoice> InsertInvoice(storage::Tx& tx, const Receipt& receipt, const Invoice* original, int64_t now,
                                const std::string& actor_id);
  // Appends the audit records of a confirmation, in this order: "receipt.confirm" of `receipt`
  // (what every receipt record says, `about`: what the receipt is for, and whether a bank
  // reference was given) and "invoice.issue" of `invoice` (a red-letter one names the `original`
  // it reverses).
  Status AuditConfirmation(storage::Tx& tx, const Actor& actor, const Receipt& receipt,
                           const nlohmann::json& about, const Invoice& invoice, const Invoice* original);
  Result<ConfirmResult> ConfirmCharge(storage::Tx& tx, const Actor& actor, Receipt receipt,
                                      const ConfirmRequest& request, int64_t now);
  Result<ConfirmResult> ConfirmRefund(storage::Tx& tx, const Actor& actor, Receipt receipt,
                                      const ConfirmRequest& request, int64_t now);
  Result<Card> ChangeFreeze(const Actor& actor, const std::string& serial, const std::string& reason,
                            CardAction action);

  // Constant after construction.
  storage::Database& db_;
  CardStore& cards_;
  CardSalesStore& store_;
  identity::IdentityService& identity_;
  const ledger::Ledger& ledger_;
  const KeyRing& keys_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
};

}  // namespace anxin::cards
