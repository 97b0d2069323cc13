#pragma once

#include "cards/card_sales_service.hpp"
#include "http/router.hpp"

namespace anxin::cards {

// Registers the card sales routes (tag "card-sales"):
//   POST /api/v1/card-sales                            card.sale     销售登记 (201)
//   GET  /api/v1/card-sales                            card.read
//   ?status=&doc_type_code=&seller_code=&from=&to=&after=&limit= GET  /api/v1/card-sales/{id} card.read id or
//   sales number GET  /api/v1/card-sales/{id}/charge-list.pdf       card.read     收费清单 POST
//   /api/v1/receipts                              card.payment  {sales_no} charge or {recovery_no} refund
//   (201) POST /api/v1/receipts/{receipt_no}/confirm         card.payment  收费确认 / 退费确认 with the
//   invoice GET  /api/v1/receipts/{receipt_no}                 invoice.read GET
//   /api/v1/receipts/{receipt_no}/pdf             invoice.read GET  /api/v1/invoices/{invoice_no}
//   invoice.read GET  /api/v1/invoices/{invoice_no}/pdf             invoice.read  发票 / 红字发票 POST
//   /api/v1/card-recoveries                       card.sale     反向处理 (201) GET
//   /api/v1/card-recoveries/{id}                  card.read     id or recovery number POST
//   /api/v1/cards/{serial}/freeze                 card.freeze   挂失 {reason} POST
//   /api/v1/cards/{serial}/unfreeze               card.freeze   解挂 {reason?}
// `service` must outlive `router`.
void RegisterCardSalesRoutes(http::Router& router, CardSalesService& service);

}  // namespace anxin::cards
