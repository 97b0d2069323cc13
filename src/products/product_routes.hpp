#pragma once

#include "http/router.hpp"
#include "products/product_service.hpp"

namespace anxin::products {

// Registers the catalogue's HTTP routes (tag "products"):
//   GET /api/v1/products                  public; ?line_of_business=&date=YYYY-MM-DD
//   GET /api/v1/products/{code}           public; ?version=N or ?date=YYYY-MM-DD
//   GET /api/v1/products/{code}/versions  permission product.read
// Loading is not an HTTP operation: it is done by `anxin products load`. `service` must outlive
// `router`.
void RegisterProductRoutes(http::Router& router, ProductService& service);

}  // namespace anxin::products
