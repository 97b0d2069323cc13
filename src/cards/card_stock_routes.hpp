#pragma once

#include "cards/card_stock_service.hpp"
#include "http/router.hpp"

namespace anxin::cards {

// Registers the stock routes: movements (/api/v1/card-movements), the card inquiry and history
// (/api/v1/cards...) and the reports (/api/v1/card-reports/...). `service` must outlive the router.
void RegisterCardStockRoutes(http::Router& router, CardStockService& service);

}  // namespace anxin::cards
