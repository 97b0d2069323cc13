#include "identity/identity.hpp"

namespace anxin::identity {

std::optional<OrgLevel> ParentLevelOf(OrgLevel level) {
  switch (level) {
    case OrgLevel::kHeadOffice:
      return std::nullopt;
    case OrgLevel::kBranch:
      return OrgLevel::kHeadOffice;
    case OrgLevel::kInstitution:
      return OrgLevel::kBranch;
    case OrgLevel::kOutlet:
      return OrgLevel::kInstitution;
  }
  return std::nullopt;
}

}  // namespace anxin::identity
