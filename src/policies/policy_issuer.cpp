#include "policies/policy_issuer.hpp"

#include <utility>

namespace anxin::policies {

Result<std::unique_ptr<PreparedPolicy>> PolicyIssuer::Prepare(const NewPolicy& request) const {
  return std::make_unique<PreparedPolicy>(request);
}

Result<Policy> PolicyIssuer::IssuePrepared(storage::Tx& tx, const Actor& actor,
                                           const PreparedPolicy& prepared) const {
  return Issue(tx, actor, prepared.request);
}

}  // namespace anxin::policies
