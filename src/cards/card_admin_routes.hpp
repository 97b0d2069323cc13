#pragma once

#include "cards/card_admin_service.hpp"
#include "http/router.hpp"

namespace anxin::cards {

// Registers the card type and batch routes (/api/v1/card-types, /api/v1/card-batches, the one-time
// password export). `service` must outlive the router.
void RegisterCardAdminRoutes(http::Router& router, CardAdminService& service);

}  // namespace anxin::cards
