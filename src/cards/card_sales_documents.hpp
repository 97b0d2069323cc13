#pragma once

#include <cstdint>

#include "cards/card_sales_service.hpp"
#include "documents/pdf.hpp"

namespace anxin::cards {

// The printed documents of card sales, as documents::Document values for RenderPdf. Pure functions
// of their input; amounts are fen rendered as yuan ("1,200.00 元").

// 保险卡收费清单: the sale, its seller and business source, and a table of its cards with type and
// face value, with the total. `printed_at_ms` is shown as the print date.
documents::Document ChargeListDocument(const SaleView& sale, int64_t printed_at_ms);
// 保险卡收费收据 / 保险卡退费收据.
documents::Document ReceiptDocument(const ReceiptView& receipt);
// 发票, or 红字发票 (red_letter set, negative amounts, naming the invoice it reverses).
documents::Document InvoiceDocument(const InvoiceView& invoice);

}  // namespace anxin::cards
