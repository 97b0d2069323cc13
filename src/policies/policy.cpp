#include "policies/policy.hpp"

namespace anxin::policies {

std::string_view PartyRoleName(PartyRole role) { return kPartyRoles.Name(role); }
std::optional<PartyRole> ParsePartyRole(std::string_view name) { return kPartyRoles.Parse(name); }

std::string_view PolicyStatusName(PolicyStatus status) { return kPolicyStatuses.Name(status); }
std::optional<PolicyStatus> ParsePolicyStatus(std::string_view name) { return kPolicyStatuses.Parse(name); }

}  // namespace anxin::policies
