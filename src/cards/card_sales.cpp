#include "cards/card_sales.hpp"

#include <array>
#include <utility>

namespace anxin::cards {
namespace {

template <typename E, size_t N>
std::string_view NameIn(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> ParseIn(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view name) {
  for (const auto& [e, n] : table) {
    if (n == name) return e;
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::vector<std::string> NamesIn(const std::array<std::pair<E, std::string_view>, N>& table) {
  std::vector<std::string> names;
  for (const auto& entry : table) names.emplace_back(entry.second);
  return names;
}

constexpr std::array<std::pair<BusinessSource, std::string_view>, 5> kSourceLabels{{
    {BusinessSource::kDirect, "直销"},
    {BusinessSource::kAgency, "代理"},
    {BusinessSource::kBroker, "经纪"},
    {BusinessSource::kBancassurance, "银保"},
    {BusinessSource::kOnline, "网销"},
}};
constexpr std::array<std::pair<SaleStatus, std::string_view>, 4> kSaleStatuses{{
    {SaleStatus::kRegistered, "registered"},
    {SaleStatus::kReceipted, "receipted"},
    {SaleStatus::kPaid, "paid"},
    {SaleStatus::kReversed, "reversed"},
}};
constexpr std::array<std::pair<ReceiptKind, std::string_view>, 2> kReceiptKinds{{
    {ReceiptKind::kCharge, "charge"},
    {ReceiptKind::kRefund, "refund"},
}};
constexpr std::array<std::pair<ReceiptStatus, std::string_view>, 3> kReceiptStatuses{{
    {ReceiptStatus::kIssued, "issued"},
    {ReceiptStatus::kConfirmed, "confirmed"},
    {ReceiptStatus::kCancelled, "cancelled"},
}};
constexpr std::array<std::pair<InvoiceKind, std::string_view>, 2> kInvoiceKinds{{
    {InvoiceKind::kBlue, "blue"},
    {InvoiceKind::kRed, "red"},
}};
constexpr std::array<std::pair<RecoveryStatus, std::string_view>, 3> kRecoveryStatuses{{
    {RecoveryStatus::kCompleted, "completed"},
    {RecoveryStatus::kRegistered, "registered"},
    {RecoveryStatus::kRefunded, "refunded"},
}};

}  // namespace

std::string_view BusinessSourceName(BusinessSource source) { return kBusinessSources.Name(source); }
std::string_view BusinessSourceLabelZh(BusinessSource source) { return NameIn(kSourceLabels, source); }
std::optional<BusinessSource> ParseBusinessSource(std::string_view name) {
  return kBusinessSources.Parse(name);
}
std::string_view SaleStatusName(SaleStatus status) { return NameIn(kSaleStatuses, status); }
std::optional<SaleStatus> ParseSaleStatus(std::string_view name) { return ParseIn(kSaleStatuses, name); }
std::string_view ReceiptKindName(ReceiptKind kind) { return NameIn(kReceiptKinds, kind); }
std::optional<ReceiptKind> ParseReceiptKind(std::string_view name) { return ParseIn(kReceiptKinds, name); }
std::string_view ReceiptStatusName(ReceiptStatus status) { return NameIn(kReceiptStatuses, status); }
std::optional<ReceiptStatus> ParseReceiptStatus(std::string_view name) {
  return ParseIn(kReceiptStatuses, name);
}
std::string_view InvoiceKindName(InvoiceKind kind) { return NameIn(kInvoiceKinds, kind); }
std::optional<InvoiceKind> ParseInvoiceKind(std::string_view name) { return ParseIn(kInvoiceKinds, name); }
std::string_view DispositionName(Disposition disposition) { return kDispositions.Name(disposition); }
std::optional<Disposition> ParseDisposition(std::string_view name) { return kDispositions.Parse(name); }
std::string_view RecoveryStatusName(RecoveryStatus status) { return NameIn(kRecoveryStatuses, status); }
std::optional<RecoveryStatus> ParseRecoveryStatus(std::string_view name) {
  return ParseIn(kRecoveryStatuses, name);
}

std::vector<std::string> BusinessSourceNames() { return kBusinessSources.Names(); }
std::vector<std::string> SaleStatusNames() { return NamesIn(kSaleStatuses); }
std::vector<std::string> DispositionNames() { return kDispositions.Names(); }

}  // namespace anxin::cards
