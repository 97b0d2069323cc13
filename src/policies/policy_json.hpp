#pragma once

// How a policy and its parties are rendered wherever they appear (the policy API, the answer to a
// card activation, the card look-up): one JSON shape and one schema each.

#include <string_view>

#include <nlohmann/json.hpp>

#include "policies/policy.hpp"

namespace anxin::policies {

// A party as the policy service hands it out (masked unless revealed): an absent phone is null,
// and `share_percent` is a beneficiary's only (null for the holder and the insured).
[[nodiscard]] nlohmann::json PartyJson(const PartyView& party);
[[nodiscard]] nlohmann::json PartySchema();

// The schema of a policy's status (its names).
[[nodiscard]] nlohmann::json PolicyStatusSchema();

// Renders `policy` as the policy API shows it, with the period text in `lang` ("zh" or "en").
[[nodiscard]] nlohmann::json PolicyJson(const Policy& policy, std::string_view lang);
[[nodiscard]] nlohmann::json PolicySchema();

}  // namespace anxin::policies
