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

std::string_view PolicyStatusName(PolicyStatus status) { return kPolicyStatuses.Name(status); }
std::optional<PolicyStatus> ParsePolicyStatus(std::string_view name) { return kPolicyStatuses.Parse(name); }

}  // namespace anxin::policies
