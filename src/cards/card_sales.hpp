#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/enum_table.hpp"
#include "common/money.hpp"
#include "common/status.hpp"

namespace anxin::cards {

// Where a card sale came from (业务来源), a mandatory field of sales registration (seed 000 §3).
enum class BusinessSource { kDirect, kAgency, kBroker, kBancassurance, kOnline };

// A sale's life: 销售登记 → 收费收据 → 收费确认; "reversed" once every card of an unpaid sale was
// returned (反向处理).
enum class SaleStatus { kRegistered, kReceipted, kPaid, kReversed };

// A charge receipt (收费收据) collects a sale's premium; a refund receipt pays back a recovery.
enum class ReceiptKind { kCharge, kRefund };
// "cancelled": the charge receipt of a sale whose cards were all returned before payment.
enum class ReceiptStatus { kIssued, kConfirmed, kCancelled };
// Blue invoices for confirmed charges; red-letter invoices (红字发票) for confirmed refunds.
enum class InvoiceKind { kBlue, kRed };
// What happens to returned cards: back to the institution's stock, or destroyed.
enum class Disposition { kRestock, kVoid };
// A recovery of unpaid cards is "completed" at once (nothing to refund); one of paid cards is
// "registered" until its refund receipt is confirmed ("refunded").
enum class RecoveryStatus { kCompleted, kRegistered, kRefunded };

inline constexpr EnumTable<BusinessSource, 5> kBusinessSources{{{
    {BusinessSource::kDirect, "direct"},
    {BusinessSource::kAgency, "agency"},
    {BusinessSource::kBroker, "broker"},
    {BusinessSource::kBancassurance, "bancassurance"},
    {BusinessSource::kOnline, "online"},
}}};
// The Chinese label of each business source.
inline constexpr EnumTable<BusinessSource, 5> kBusinessSourceLabelsZh{{{
    {BusinessSource::kDirect, "直销"},
    {BusinessSource::kAgency, "代理"},
    {BusinessSource::kBroker, "经纪"},
    {BusinessSource::kBancassurance, "银保"},
    {BusinessSource::kOnline, "网销"},
}}};
inline constexpr EnumTable<SaleStatus, 4> kSaleStatuses{{{
    {SaleStatus::kRegistered, "registered"},
    {SaleStatus::kReceipted, "receipted"},
    {SaleStatus::kPaid, "paid"},
    {SaleStatus::kReversed, "reversed"},
}}};
inline constexpr EnumTable<ReceiptKind, 2> kReceiptKinds{{{
    {ReceiptKind::kCharge, "charge"},
    {ReceiptKind::kRefund, "refund"},
}}};
inline constexpr EnumTable<ReceiptStatus, 3> kReceiptStatuses{{{
    {ReceiptStatus::kIssued, "issued"},
    {ReceiptStatus::kConfirmed, "confirmed"},
    {ReceiptStatus::kCancelled, "cancelled"},
}}};
inline constexpr EnumTable<InvoiceKind, 2> kInvoiceKinds{{{
    {InvoiceKind::kBlue, "blue"},
    {InvoiceKind::kRed, "red"},
}}};
inline constexpr EnumTable<Disposition, 2> kDispositions{{{
    {Disposition::kRestock, "restock"},
    {Disposition::kVoid, "void"},
}}};
inline constexpr EnumTable<RecoveryStatus, 3> kRecoveryStatuses{{{
    {RecoveryStatus::kCompleted, "completed"},
    {RecoveryStatus::kRegistered, "registered"},
    {RecoveryStatus::kRefunded, "refunded"},
}}};

// Stable names as stored and shown in the API (the tables above), and their parsers (nullopt for
// unknown text).
std::string_view BusinessSourceName(BusinessSource source);     // "direct", "agency", ...
std::string_view BusinessSourceLabelZh(BusinessSource source);  // 直销, 代理, 经纪, 银保, 网销
std::optional<BusinessSource> ParseBusinessSource(std::string_view name);
std::string_view SaleStatusName(SaleStatus status);  // "registered", "receipted", "paid", "reversed"
std::optional<SaleStatus> ParseSaleStatus(std::string_view name);
std::string_view ReceiptKindName(ReceiptKind kind);  // "charge", "refund"
std::optional<ReceiptKind> ParseReceiptKind(std::string_view name);
std::string_view ReceiptStatusName(ReceiptStatus status);  // "issued", "confirmed", "cancelled"
std::optional<ReceiptStatus> ParseReceiptStatus(std::string_view name);
std::string_view InvoiceKindName(InvoiceKind kind);  // "blue", "red"
std::optional<InvoiceKind> ParseInvoiceKind(std::string_view name);
std::string_view DispositionName(Disposition disposition);  // "restock", "void"
std::optional<Disposition> ParseDisposition(std::string_view name);
std::string_view RecoveryStatusName(RecoveryStatus status);  // "completed", "registered", "refunded"
std::optional<RecoveryStatus> ParseRecoveryStatus(std::string_view name);

// Every name of each enum, for API enums and documentation.
std::vector<std::string> BusinessSourceNames();
std::vector<std::string> SaleStatusNames();
std::vector<std::string> DispositionNames();

// One sales registration (销售登记): a set of cards of one type sold by a seller of the institution.
struct CardSale {
  std::string id;
  std::string sales_no;  // "XS" + yyyymmdd + 6 digits: the sales ID number the cashier is given
  std::string card_type_id;
  std::string org_id;  // the registering institution
  std::string org_path;
  std::string seller_org_code;
  std::string seller_code;  // the seller's login
  BusinessSource business_source = BusinessSource::kDirect;
  int64_t quantity = 0;  // cards still in the sale (shrinks when unpaid cards are returned)
  Money amount;          // quantity x face value: what the charge receipt collects
  // Read with the sale, from its recoveries (never written through the sale): every card
  // reversed, and those reversed after payment (refunded; `quantity` and `amount` keep them).
  int64_t reversed_quantity = 0;
  Money reversed_amount;
  int64_t reversed_paid_quantity = 0;
  Money reversed_paid_amount;
  SaleStatus status = SaleStatus::kRegistered;
  int64_t created_at = 0;
  std::string created_by;
};

struct Receipt {
  std::string id;
  std::string receipt_no;  // "SF" + yyyymmdd + 6 digits
  ReceiptKind kind = ReceiptKind::kCharge;
  std::optional<std::string> sales_id;     // charge receipts
  std::optional<std::string> recovery_id;  // refund receipts
  std::string org_id;
  std::string org_path;
  Money amount;  // positive; a refund pays it out
  ReceiptStatus status = ReceiptStatus::kIssued;
  std::string payer_name;                         // charge: who pays; refund: who is paid
  std::optional<std::string> bank_reference_enc;  // sealed (KeyRing::Seal), RULES.md §6
  int64_t issued_at = 0;
  std::string issued_by;
  std::optional<int64_t> confirmed_at;
  std::optional<std::string> confirmed_by;
};

struct Invoice {
  std::string id;
  std::string invoice_no;  // "FP" + yyyymmdd + 6 digits
  InvoiceKind kind = InvoiceKind::kBlue;
  std::string receipt_id;
  std::optional<std::string> original_invoice_id;  // red-letter invoices: the blue one they reverse
  std::string org_id;
  std::string org_path;
  std::string buyer_name;
  Money amount;  // negative on a red-letter invoice
  int64_t issued_at = 0;
  std::string issued_by;
};

// One reverse processing (反向处理) of cards of a sale.
struct Recovery {
  std::string id;
  std::string recovery_no;  // "HS" + yyyymmdd + 6 digits: the recovery ID number
  std::string sales_id;
  std::string org_id;
  std::string org_path;
  int64_t quantity = 0;
  Money amount;  // quantity x face value
  Disposition disposition = Disposition::kRestock;
  std::string reason;
  RecoveryStatus status = RecoveryStatus::kCompleted;
  bool paid_before = false;  // the cards had been paid: a refund is due
  int64_t created_at = 0;
  std::string created_by;
  std::vector<std::string> serials;
};

}  // namespace anxin::cards
