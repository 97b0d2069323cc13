#include "cards/card_sales.hpp"

namespace anxin::cards {

std::string_view BusinessSourceName(BusinessSource source) { return kBusinessSources.Name(source); }
std::string_view BusinessSourceLabelZh(BusinessSource source) { return kBusinessSourceLabelsZh.Name(source); }
std::optional<BusinessSource> ParseBusinessSource(std::string_view name) {
  return kBusinessSources.Parse(name);
}
std::string_view SaleStatusName(SaleStatus status) { return kSaleStatuses.Name(status); }
std::optional<SaleStatus> ParseSaleStatus(std::string_view name) { return kSaleStatuses.Parse(name); }
std::string_view ReceiptKindName(ReceiptKind kind) { return kReceiptKinds.Name(kind); }
std::optional<ReceiptKind> ParseReceiptKind(std::string_view name) { return kReceiptKinds.Parse(name); }
std::string_view ReceiptStatusName(ReceiptStatus status) { return kReceiptStatuses.Name(status); }
std::optional<ReceiptStatus> ParseReceiptStatus(std::string_view name) {
  return kReceiptStatuses.Parse(name);
}
std::string_view InvoiceKindName(InvoiceKind kind) { return kInvoiceKinds.Name(kind); }
std::optional<InvoiceKind> ParseInvoiceKind(std::string_view name) { return kInvoiceKinds.Parse(name); }
std::string_view DispositionName(Disposition disposition) { return kDispositions.Name(disposition); }
std::optional<Disposition> ParseDisposition(std::string_view name) { return kDispositions.Parse(name); }
std::string_view RecoveryStatusName(RecoveryStatus status) { return kRecoveryStatuses.Name(status); }
std::optional<RecoveryStatus> ParseRecoveryStatus(std::string_view name) {
  return kRecoveryStatuses.Parse(name);
}

std::vector<std::string> BusinessSourceNames() { return kBusinessSources.Names(); }
std::vector<std::string> SaleStatusNames() { return kSaleStatuses.Names(); }
std::vector<std::string> DispositionNames() { return kDispositions.Names(); }

}  // namespace anxin::cards
