#include "cards/card_sales_documents.hpp"

#include <string>
#include <utility>
#include <vector>

#include "common/clock.hpp"

namespace anxin::cards {
namespace {

std::string Yuan(Money amount) { return amount.ToYuanString() + " 元"; }

std::string Day(int64_t ms) { return FormatDate(DateOf(ms)); }

std::string OrgLabel(const SalesOrg& org) { return org.name + "（" + org.code + "）"; }

documents::Table ItemsTable(const std::vector<LineItem>& items) {
  documents::Table table;
  table.headers = {"项目", "数量", "单价（元）", "金额（元）"};
  for (const LineItem& item : items) {
    table.rows.push_back({item.name, std::to_string(item.quantity), item.unit_price.ToYuanString(),
                          item.amount.ToYuanString()});
  }
  return table;
}

std::string SaleStatusLabelZh(SaleStatus status) {
  switch (status) {
    case SaleStatus::kRegistered:
      return "已登记";
    case SaleStatus::kReceipted:
      return "已开收据";
    case SaleStatus::kPaid:
      return "已收费";
    case SaleStatus::kReversed:
      return "已反向处理";
  }
  return "未知";
}

std::string ReceiptStatusLabelZh(ReceiptStatus status) {
  switch (status) {
    case ReceiptStatus::kIssued:
      return "已开具";
    case ReceiptStatus::kConfirmed:
      return "已确认";
    case ReceiptStatus::kCancelled:
      return "已作废";
  }
  return "未知";
}

}  // namespace

documents::Document ChargeListDocument(const SaleView& view, int64_t printed_at_ms) {
  const CardSale& sale = view.sale;
  documents::Document doc;
  doc.title = "保险卡收费清单";
  doc.subtitle = "销售单号 " + sale.sales_no;
  doc.fields = {
      {"销售单号", sale.sales_no},
      {"机构", OrgLabel(view.org)},
      {"单证类型", view.card_type.code + " " + view.card_type.name},
      {"销售机构代码", sale.seller_org_code},
      {"销售人员", view.seller_name + "（" + sale.seller_code + "）"},
      {"业务来源", std::string(BusinessSourceLabelZh(sale.business_source))},
      {"登记日期", Day(sale.created_at)},
      {"状态", SaleStatusLabelZh(sale.status)},
      {"数量", std::to_string(sale.quantity) + " 张"},
      {"金额合计", Yuan(sale.amount)},
  };
  documents::Table cards;
  cards.headers = {"序号", "卡号", "单证类型", "面值（元）"};
  for (size_t i = 0; i < view.serials.size(); ++i) {
    cards.rows.push_back({std::to_string(i + 1), view.serials[i],
                          view.card_type.code + " " + view.card_type.name,
                          view.card_type.face_value.ToYuanString()});
  }
  const Money total = Money::Fen(view.card_type.face_value.fen * static_cast<int64_t>(view.serials.size()));
  cards.rows.push_back({"合计", std::to_string(view.serials.size()) + " 张", "", total.ToYuanString()});
  doc.tables.push_back(std::move(cards));
  doc.footer =
      "请凭销售单号 " + sale.sales_no + " 办理收费；收费确认后保险卡方可激活。打印日期 " + Day(printed_at_ms);
  return doc;
}

documents::Document ReceiptDocument(const ReceiptView& view) {
  const Receipt& receipt = view.receipt;
  const bool refund = receipt.kind == ReceiptKind::kRefund;
  documents::Document doc;
  doc.title = refund ? "保险卡退费收据" : "保险卡收费收据";
  doc.subtitle = "收据号 " + receipt.receipt_no;
  doc.fields.emplace_back("收据号", receipt.receipt_no);
  if (view.sales_no) doc.fields.emplace_back("销售单号", *view.sales_no);
  if (view.recovery_no) doc.fields.emplace_back("回收单号", *view.recovery_no);
  doc.fields.emplace_back("机构", OrgLabel(view.org));
  doc.fields.emplace_back(refund ? "收款人" : "付款人", receipt.payer_name);
  doc.fields.emplace_back(refund ? "退费金额" : "收费金额", Yuan(receipt.amount));
  doc.fields.emplace_back("状态", ReceiptStatusLabelZh(receipt.status));
  doc.fields.emplace_back("开具日期", Day(receipt.issued_at));
  if (receipt.confirmed_at) doc.fields.emplace_back("确认日期", Day(*receipt.confirmed_at));
  if (view.bank_reference_masked) doc.fields.emplace_back("银行流水号", *view.bank_reference_masked);
  if (view.invoice_no) doc.fields.emplace_back("发票号码", *view.invoice_no);
  doc.tables.push_back(ItemsTable(view.items));
  doc.footer = refund ? "凭本收据号确认退费并开具红字发票。" : "凭本收据号确认收费并开具发票。";
  return doc;
}

documents::Document InvoiceDocument(const InvoiceView& view) {
  const Invoice& invoice = view.invoice;
  const bool red = invoice.kind == InvoiceKind::kRed;
  documents::Document doc;
  doc.title = red ? "红字发票" : "发票";
  doc.subtitle = "发票号码 " + invoice.invoice_no;
  doc.red_letter = red;
  doc.fields.emplace_back("发票号码", invoice.invoice_no);
  doc.fields.emplace_back("开票日期", Day(invoice.issued_at));
  doc.fields.emplace_back("购买方", invoice.buyer_name);
  doc.fields.emplace_back("销售方", OrgLabel(view.org));
  doc.fields.emplace_back("收据号", view.receipt_no);
  if (view.sales_no) doc.fields.emplace_back("销售单号", *view.sales_no);
  if (view.recovery_no) doc.fields.emplace_back("回收单号", *view.recovery_no);
  if (view.original_invoice_no) doc.fields.emplace_back("原发票号码", *view.original_invoice_no);
  doc.fields.emplace_back("价税合计", Yuan(invoice.amount));
  doc.tables.push_back(ItemsTable(view.items));
  doc.footer = red ? "红字发票：冲销原发票 " + view.original_invoice_no.value_or("") + " 的退费部分。"
                   : "保险卡保费发票。";
  return doc;
}

}  // namespace anxin::cards
