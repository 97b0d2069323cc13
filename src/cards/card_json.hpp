#pragma once

#include <nlohmann/json.hpp>

#include "cards/card.hpp"

namespace anxin::cards {

// A card status as every card API shows it: {"name": "in_stock", "label_zh": "库存"}.
nlohmann::json CardStatusJson(CardStatus status);
// The JSON Schema of CardStatusJson, for OpenAPI.
nlohmann::json CardStatusSchema();

}  // namespace anxin::cards
