#include "common/access.hpp"

#include <algorithm>

#include "common/text.hpp"
#include "common/validation.hpp"

namespace anxin {

ActorKind KindOf(const Actor& actor) {
  if (actor.principal == nullptr)
    return actor.system_name.empty() ? ActorKind::kAnonymous : ActorKind::kSystem;
  return actor.principal->kind == UserKind::kStaff ? ActorKind::kStaff : ActorKind::kCustomer;
}

std::string ActorId(const Actor& actor) {
  switch (KindOf(actor)) {
    case ActorKind::kAnonymous:
      return std::string(kAnonymousActorId);
    case ActorKind::kSystem:
      return std::string(kSystemActorPrefix) + actor.system_name;
    case ActorKind::kStaff:
    case ActorKind::kCustomer:
      return actor.principal->user_id;
  }
  return std::string(kAnonymousActorId);
}

int OrgDepth(std::string_view org_path) {
  const auto slashes = std::count(org_path.begin(), org_path.end(), '/');
  return slashes > 1 ? static_cast<int>(slashes - 1) : 0;
}

bool AtRoot(const Actor& actor) {
  switch (KindOf(actor)) {
    case ActorKind::kSystem:
      return true;
    case ActorKind::kStaff:
      return OrgDepth(actor.principal->org_path) == 1;
    case ActorKind::kAnonymous:
    case ActorKind::kCustomer:
      return false;
  }
  return false;
}

bool OrgScope::Covers(std::string_view org_path) const {
  switch (kind_) {
    case Kind::kAll:
      return true;
    case Kind::kNothing:
      return false;
    case Kind::kSubtree:
      return org_path.size() >= path_.size() && org_path.compare(0, path_.size(), path_) == 0;
  }
  return false;
}

OrgScope ScopeOf(const Actor& actor) {
  switch (KindOf(actor)) {
    case ActorKind::kSystem:
      return OrgScope::All();
    case ActorKind::kStaff:
      return OrgScope::Subtree(actor.principal->org_path);
    case ActorKind::kAnonymous:
    case ActorKind::kCustomer:
      return OrgScope::Nothing();
  }
  return OrgScope::Nothing();
}

OrgScope ScopeWithCompanyLevel(const Actor& actor) {
  return AtRoot(actor) ? OrgScope::All() : ScopeOf(actor);
}

Status Unauthenticated() {
  return {StatusCode::kUnauthenticated, "unauthenticated", {"请先登录", "Please log in first"}};
}

Status PermissionDenied() {
  return {StatusCode::kPermissionDenied,
          "permission_denied",
          {"您没有执行此操作的权限", "You do not have permission to do this"}};
}

Status StaffOnly() {
  return {StatusCode::kPermissionDenied,
          "staff_only",
          {"该操作须由员工账号办理", "Only a staff account can do this"}};
}

Status HeadOfficeOnly() {
  return {StatusCode::kPermissionDenied,
          "head_office_only",
          {"该操作仅限总公司人员", "Only head-office staff can do this"}};
}

Status Require(const Actor& actor, std::string_view permission) {
  switch (KindOf(actor)) {
    case ActorKind::kSystem:
      return Status::Ok();
    case ActorKind::kAnonymous:
      return Unauthenticated();
    case ActorKind::kStaff:
    case ActorKind::kCustomer:
      return actor.principal->Has(std::string(permission)) ? Status::Ok() : PermissionDenied();
  }
  return PermissionDenied();
}

Status RequireStaff(const Actor& actor, std::string_view permission) {
  if (IsCustomer(actor)) return PermissionDenied();
  return Require(actor, permission);
}

Result<const Principal*> RequireStaffMember(const Actor& actor, std::string_view permission) {
  switch (KindOf(actor)) {
    case ActorKind::kAnonymous:
      return Unauthenticated();
    case ActorKind::kSystem:
    case ActorKind::kCustomer:
      return StaffOnly();
    case ActorKind::kStaff:
      if (!actor.principal->Has(std::string(permission))) return PermissionDenied();
      return actor.principal;
  }
  return PermissionDenied();
}

Status RequireRoot(const Actor& actor) { return AtRoot(actor) ? Status::Ok() : HeadOfficeOnly(); }

Result<std::string> CheckReveal(const Actor& actor, std::string_view purpose) {
  ANXIN_RETURN_IF_ERROR(RequireStaff(actor, kPermPiiReveal));
  const std::string_view trimmed = IsValidUtf8(purpose) ? Trim(purpose) : std::string_view();
  const size_t length = trimmed.empty() ? 0 : Utf8Length(trimmed);
  if (length < kMinRevealPurpose || length > kMaxRevealPurpose || HasControlCharacters(trimmed)) {
    return Status::InvalidField("purpose", trimmed.empty() ? "required" : "invalid_length",
                                {"请填写查看明文的用途（4-200个字符）",
                                 "State the purpose of revealing personal data (4-200 characters)"});
  }
  return MaskPersonalNumbers(trimmed);
}

}  // namespace anxin
