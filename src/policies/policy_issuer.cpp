#include "policies/policy_issuer.hpp"

#include <utility>

namespace anxin::policies {

Result<std::unique_ptr<PreparedPolicy>> PolicyIssuer::Prepare(const Actor& actor,
                                                              const NewPolicy& request) const {
  return std::make_unique<PreparedPolicy>(actor, request);
}

Result<Policy> PolicyIssuer::IssuePrepared(storage::Tx& tx, const PreparedPolicy& prepared) const {
  return Issue(tx, prepared.actor, prepared.request);
}

}  // namespace anxin::policies
