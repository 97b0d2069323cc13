#pragma once

// How a coverage is rendered wherever it appears (the catalogue, a card's offer, a policy's
// snapshot of the plan it was issued on): one JSON shape and one schema.

#include <nlohmann/json.hpp>

#include "products/product.hpp"

namespace anxin::products {

// A coverage's terms: code, names, liability, sum insured (null: the sum chosen at purchase),
// deductible, copay and waiting period. A policy stores this as its snapshot of the plan.
[[nodiscard]] nlohmann::json CoverageJson(const Coverage& coverage);
[[nodiscard]] nlohmann::json CoverageSchema();

// The catalogue's coverage: the terms and the claim materials a claim under it needs.
[[nodiscard]] nlohmann::json CatalogueCoverageJson(const Coverage& coverage);
[[nodiscard]] nlohmann::json CatalogueCoverageSchema();

}  // namespace anxin::products
