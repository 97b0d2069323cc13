#include "identity/identity.hpp"

#include <array>
#include <utility>

namespace anxin::identity {
namespace {

constexpr std::array<std::pair<OrgLevel, std::string_view>, 4> kOrgLevels = {{
    {OrgLevel::kHeadOffice, "head_office"},
    {OrgLevel::kBranch, "branch"},
    {OrgLevel::kInstitution, "institution"},
    {OrgLevel::kOutlet, "outlet"},
}};

}  // namespace

std::string_view OrgLevelName(OrgLevel level) {
  switch (level) {
    case OrgLevel::kHeadOffice:
      return "head_office";
    case OrgLevel::kBranch:
      return "branch";
    case OrgLevel::kInstitution:
      return "institution";
    case OrgLevel::kOutlet:
      return "outlet";
  }
  return "head_office";
}

std::optional<OrgLevel> ParseOrgLevel(std::string_view name) {
  for (const auto& [level, text] : kOrgLevels) {
    if (text == name) return level;
  }
  return std::nullopt;
}

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

std::string_view ActiveStateName(ActiveState state) {
  return state == ActiveState::kActive ? "active" : "disabled";
}

std::optional<ActiveState> ParseActiveState(std::string_view name) {
  if (name == "active") return ActiveState::kActive;
  if (name == "disabled") return ActiveState::kDisabled;
  return std::nullopt;
}

std::string_view UserKindName(UserKind kind) { return kind == UserKind::kStaff ? "staff" : "customer"; }

std::optional<UserKind> ParseUserKind(std::string_view name) {
  if (name == "staff") return UserKind::kStaff;
  if (name == "customer") return UserKind::kCustomer;
  return std::nullopt;
}

}  // namespace anxin::identity
