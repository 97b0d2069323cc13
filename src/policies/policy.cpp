#include "policies/policy.hpp"

namespace anxin::policies {

std::string_view PartyRoleName(PartyRole role) {
  switch (role) {
    case PartyRole::kHolder:
      return "holder";
    case PartyRole::kInsured:
      return "insured";
    case PartyRole::kBeneficiary:
      return "beneficiary";
  }
  return "holder";
}

std::optional<PartyRole> ParsePartyRole(std::string_view name) {
  for (PartyRole role : {PartyRole::kHolder, PartyRole::kInsured, PartyRole::kBeneficiary}) {
    if (PartyRoleName(role) == name) return role;
  }
  return std::nullopt;
}

std::string_view PolicyStatusName(PolicyStatus status) {
  switch (status) {
    case PolicyStatus::kInForce:
      return "in_force";
    case PolicyStatus::kSurrendered:
      return "surrendered";
    case PolicyStatus::kCancelled:
      return "cancelled";
    case PolicyStatus::kExpired:
      return "expired";
  }
  return "in_force";
}

std::optional<PolicyStatus> ParsePolicyStatus(std::string_view name) {
  for (PolicyStatus status : {PolicyStatus::kInForce, PolicyStatus::kSurrendered, PolicyStatus::kCancelled,
                              PolicyStatus::kExpired}) {
    if (PolicyStatusName(status) == name) return status;
  }
  return std::nullopt;
}

}  // namespace anxin::policies
