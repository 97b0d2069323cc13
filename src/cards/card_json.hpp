#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "cards/card.hpp"
#include "http/body_spec.hpp"

namespace anxin::cards {

// A card status as every card API shows it: {"name": "in_stock", "label_zh": "库存"}.
nlohmann::json CardStatusJson(CardStatus status);
// The JSON Schema of CardStatusJson, for OpenAPI.
nlohmann::json CardStatusSchema();

// The declaration of a card number in a request body: the pattern of a serial (prefix, 10-digit
// sequence, Luhn check digit; the check digit is verified by the service, "invalid_checksum"),
// described by `what` ("the first card of the range").
http::StringField SerialField(const std::string& what, bool required = true);

}  // namespace anxin::cards
