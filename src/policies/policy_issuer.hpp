#pragma once

#include "common/actor.hpp"
#include "common/status.hpp"
#include "policies/policy.hpp"
#include "storage/database.hpp"

namespace anxin::policies {

// Issues policies inside a caller's transaction (card activation today; online sales later), so
// the policy exists exactly when the change that caused it commits.
class PolicyIssuer {
 public:
  virtual ~PolicyIssuer() = default;
  // Validates `request` (parties: names, ID numbers per type with RULES.md §5 checks, birth date
  // and sex consistent with a resident ID, phones, beneficiary shares adding up to 100; dates
  // ordered) and stores the policy with a new policy number. Returns the policy (parties masked),
  // kInvalidArgument "validation_failed" with field paths such as "insured.id_number", or
  // kAlreadyExists "policy_exists_for_card" when the card already has a policy.
  virtual Result<Policy> Issue(storage::Tx& tx, const Actor& actor, const NewPolicy& request) const = 0;
};

}  // namespace anxin::policies
