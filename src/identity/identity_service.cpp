#include "identity/identity_service.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/validation.hpp"
#include "identity/identity_internal.hpp"
#include "identity/login_throttle.hpp"

namespace anxin::identity {
namespace {

using internal::Denied;
using internal::LowerAscii;
using internal::UpperAscii;
using storage::Tx;

constexpr int kMaxPageSize = 500;

// Returns true if the actor's data scope covers an object at `path` (system actors: everything).
bool InScope(const Actor& actor, const std::string& path) {
  if (IsSystem(actor)) return true;
  return actor.principal != nullptr && actor.principal->Covers(path);
}

// Returns true if the actor's scope is the whole tree (a head-office member or a system actor).
bool HasRootScope(const Actor& actor) {
  if (IsSystem(actor)) return true;
  const Principal* p = actor.principal;
  return p != nullptr && p->kind == UserKind::kStaff && !p->org_path.empty() &&
         std::count(p->org_path.begin(), p->org_path.end(), '/') == 2;
}

bool IsSystemAdmin(const Actor& actor) {
  if (IsSystem(actor)) return true;
  const Principal* p = actor.principal;
  return p != nullptr && std::find(p->roles.begin(), p->roles.end(), kRoleSystemAdmin) != p->roles.end();
}

bool Contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// Checks a human-readable name: valid UTF-8, no control characters, min..max code points.
// Appends problems to `errors`; returns the trimmed text.
std::string CheckName(std::string_view field, std::string_view value, size_t max_len,
                      std::vector<FieldError>& errors) {
  std::string text(Trim(value));
  if (!IsValidUtf8(text)) {
    errors.push_back(
        {std::string(field), "invalid_format", Text{"包含无效字符", "Contains invalid characters"}});
    return text;
  }
  if (text.empty()) {
    errors.push_back({std::string(field), "required", Text{"不能为空", "Must not be empty"}});
    return text;
  }
  if (Utf8Length(text) > max_len) {
    errors.push_back({std::string(field), "too_long",
                      Text{"不能超过" + std::to_string(max_len) + "个字符",
                           "At most " + std::to_string(max_len) + " characters"}});
  }
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      errors.push_back(
          {std::string(field), "invalid_format", Text{"包含控制字符", "Contains control characters"}});
      break;
    }
  }
  return text;
}

// Logins: 3-64 characters of a-z 0-9 . _ @ -, starting with a letter (so a login is never a
// phone or ID number); stored lower case.
std::string CheckLogin(std::string_view value, std::vector<FieldError>& errors) {
  std::string login = LowerAscii(Trim(value));
  bool ok = login.size() >= 3 && login.size() <= 64;
  for (size_t i = 0; ok && i < login.size(); ++i) {
    char c = login[i];
    bool letter = c >= 'a' && c <= 'z';
    ok = letter || (i > 0 && ((c >= '0' && c <= '9') || c == '.' || c == '_' || c == '@' || c == '-'));
  }
  if (!ok) {
    errors.push_back({"login", "invalid_format",
                      Text{"登录名须为3-64位字母、数字或 . _ @ -，以字母开头",
                           "3-64 letters, digits or . _ @ -, starting with a letter"}});
  }
  return login;
}

std::string CheckOrgCode(std::string_view value, std::vector<FieldError>& errors) {
  std::string code = UpperAscii(Trim(value));
  bool ok = code.size() >= 2 && code.size() <= 20;
  for (char c : code) ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
  if (!ok) {
    errors.push_back({"code", "invalid_format",
                      Text{"机构代码须为2-20位大写字母或数字", "2-20 upper-case letters or digits"}});
  }
  return code;
}

// Returns `text` fit for an audit summary: when it holds 11 or more digits (enough for a mobile
// or resident ID number hidden in a name, login or purpose), every digit is masked, so no clear
// personal data reaches the audit log (RULES.md §6).
std::string AuditSafe(std::string_view text) {
  std::string out(text);
  if (std::count_if(out.begin(), out.end(), [](char c) { return c >= '0' && c <= '9'; }) < 11) return out;
  for (char& c : out) {
    if (c >= '0' && c <= '9') c = '*';
  }
  return out;
}

Status ValidationResult(std::vector<FieldError> errors) {
  if (errors.empty()) return Status::Ok();
  return Status::Invalid(std::move(errors));
}

// Maps a unique violation from the store to a domain reason.
Status Conflict(const Status& status, std::string reason, Text message) {
  if (status.code() == StatusCode::kAlreadyExists) {
    return Status(StatusCode::kAlreadyExists, std::move(reason), std::move(message));
  }
  return status;
}

Status LoginTaken() {
  return Status(StatusCode::kAlreadyExists, "login_taken",
                Text{"登录名已被使用", "This login is already taken"});
}

Status IdNumberTaken() {
  return Status(StatusCode::kAlreadyExists, "id_number_taken",
                Text{"该证件号码已登记", "A customer with this ID number already exists"});
}

int ClampLimit(int limit) { return std::clamp(limit, 1, kMaxPageSize); }

// Validates an identity document number for `id_type` (RULES.md §5) and returns it normalised.
Result<std::string> NormalizeIdNumber(IdType type, std::string_view number, const Date& today) {
  if (type == IdType::kResidentId) {
    ANXIN_ASSIGN_OR_RETURN(ResidentIdInfo info, ParseResidentId(Trim(number), today, "id_number"));
    return info.number;
  }
  std::string text = UpperAscii(Trim(number));
  bool ok = text.size() >= 5 && text.size() <= 30;
  for (char c : text)
    ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '(' || c == ')' || c == '-');
  if (!ok) {
    return Status::InvalidField("id_number", "invalid_format",
                                Text{"证件号码格式不正确", "The ID number is not in a valid format"});
  }
  return text;
}

}  // namespace

IdentityService::IdentityService(storage::Database& db, const KeyRing& keys, const Clock& clock,
                                 const audit::AuditLog& audit, const PasswordHasher* hasher)
    : db_(db),
      keys_(keys),
      clock_(clock),
      audit_(audit),
      hasher_(hasher != nullptr ? *hasher : static_cast<const PasswordHasher&>(argon2_)),
      store_(MakeSqlIdentityStore()),
      sessions_(MakeSqlSessionStore()) {}

Result<UserView> IdentityService::Me(const Actor& actor) {
  if (actor.principal == nullptr) return Unauthenticated();
  const std::string id = actor.principal->user_id;
  return db_.ReadResult<UserView>([&](Tx& tx) -> Result<UserView> {
    ANXIN_ASSIGN_OR_RETURN(std::optional<User> user, store_->FindUser(tx, id));
    if (!user) return Unauthenticated();
    return ViewOf(tx, *user, {}, true);
  });
}

// --- Organisations ----------------------------------------------------------------------------

Result<Org> IdentityService::OrgInScope(Tx& tx, const Actor& actor, const std::string& id) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<Org> org, store_->FindOrg(tx, id));
  if (!org || !InScope(actor, org->path)) return Status::NotFound("org");
  return std::move(*org);
}

Result<Org> IdentityService::CreateOrg(const Actor& actor, const NewOrg& request) {
  ANXIN_RETURN_IF_ERROR(Require(actor, kPermOrgWrite));
  std::vector<FieldError> errors;
  const std::string code = CheckOrgCode(request.code, errors);
  const std::string name = CheckName("name", request.name, 100, errors);
  const bool head_office = request.level == OrgLevel::kHeadOffice;
  if (head_office && !request.parent_id.empty()) {
    errors.push_back({"parent_id", "not_allowed", Text{"总公司没有上级机构", "A head office has no parent"}});
  }
  if (!head_office && request.parent_id.empty()) {
    errors.push_back(
        {"parent_id", "required", Text{"请指定上级机构", "The parent organisation is required"}});
  }
  ANXIN_RETURN_IF_ERROR(ValidationResult(std::move(errors)));
  if (head_office && !IsSystem(actor)) return Denied("head_office_system_only");

  return db_.WriteResult<Org>([&](Tx& tx) -> Result<Org> {
    const int64_t now = clock_.NowMs();
    Org org;
    org.id = NewId();
    org.code = code;
    org.name = name;
    org.level = request.level;
    org.status = ActiveState::kActive;
    org.created_at_ms = now;
    org.updated_at_ms = now;
    if (head_office) {
      ANXIN_ASSIGN_OR_RETURN(int64_t roots, store_->CountOrgsAtLevel(tx, OrgLevel::kHeadOffice));
      if (roots > 0) {
        return Status(StatusCode::kFailedPrecondition, "head_office_exists",
                      Text{"总公司已存在", "The head office already exists"});
      }
      org.path = "/" + org.id + "/";
    } else {
      ANXIN_ASSIGN_OR_RETURN(Org parent, OrgInScope(tx, actor, request.parent_id));
      // The tree nests strictly: head office -> branch -> institution -> outlet.
      if (ParentLevelOf(request.level) != parent.level) {
        return Status::InvalidField(
            "level", "invalid_nesting",
            Text{"机构层级不匹配：" + std::string(OrgLevelName(request.level)) + " 不能设在 " +
                     std::string(OrgLevelName(parent.level)) + " 之下",
                 "A " + std::string(OrgLevelName(request.level)) + " cannot be placed under a " +
                     std::string(OrgLevelName(parent.level))});
      }
      if (parent.status != ActiveState::kActive) {
        return Status(StatusCode::kFailedPrecondition, "org_disabled",
                      Text{"上级机构已停用", "The parent organisation is disabled"});
      }
      org.parent_id = parent.id;
      org.path = parent.path + org.id + "/";
    }
    ANXIN_ASSIGN_OR_RETURN(std::optional<Org> same_code, store_->FindOrgByCode(tx, code));
    const Text taken{"机构代码已被使用", "This organisation code is already taken"};
    if (same_code) return Status(StatusCode::kAlreadyExists, "org_code_taken", taken);
    ANXIN_RETURN_IF_ERROR(Conflict(store_->InsertOrg(tx, org), "org_code_taken", taken));
    ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor,
                                        {"org.create",
                                         "org",
                                         org.id,
                                         org.id,
                                         {{"code", AuditSafe(org.code)},
                                          {"name", AuditSafe(org.name)},
                                          {"level", std::string(OrgLevelName(org.level))},
                                          {"parent_id", org.parent_id}}}));
    return org;
  });
}

Result<Org> IdentityService::GetOrg(const Actor& actor, const std::string& id) {
  ANXIN_RETURN_IF_ERROR(Require(actor, kPermOrgRead));
  return db_.ReadResult<Org>([&](Tx& tx) { return OrgInScope(tx, actor, id); });
}

Result<Page<Org>> IdentityService::ListOrgs(const Actor& actor, const OrgListQuery& query) {
  ANXIN_RETURN_IF_ERROR(Require(actor, kPermOrgRead));
  const int limit = ClampLimit(query.limit);
  return db_.ReadResult<Page<Org>>([&](Tx& tx) -> Result<Page<Org>> {
    OrgQuery q;
    q.scope = ScopeOf(actor);
    if (q.scope.nothing()) return Status::NotFound("org");
    if (query.parent_id) {
      ANXIN_ASSIGN_OR_RETURN(Org parent, OrgInScope(tx, actor, *query.parent_id));
      q.parent_id = parent.id;
    }
    q.after_id = query.after;
    q.limit = limit + 1;
    ANXIN_ASSIGN_OR_RETURN(std::vector<Org> orgs, store_->ListOrgs(tx, q));
    Page<Org> page;
    if (static_cast<int>(orgs.size()) > limit) {
      orgs.resize(limit);
      page.next_after = orgs.back().id;
    }
    page.items = std::move(orgs);
    return page;
  });
}

Result<Org> IdentityService::UpdateOrg(const Actor& actor, const std::string& id, const OrgPatch& patch) {
  ANXIN_RETURN_IF_ERROR(Require(actor, kPermOrgWrite));
  std::vector<FieldError> errors;
  std::optional<std::string> name;
  if (patch.name) name = CheckName("name", *patch.name, 100, errors);
  ANXIN_RETURN_IF_ERROR(ValidationResult(std::move(errors)));

  return db_.WriteResult<Org>([&](Tx& tx) -> Result<Org> {
    ANXIN_ASSIGN_OR_RETURN(Org org, OrgInScope(tx, actor, id));
    nlohmann::json changes = nlohmann::json::object();
    if (name && *name != org.name) {
      changes["name"] = {{"from", AuditSafe(org.name)}, {"to", AuditSafe(*name)}};
      org.name = *name;
    }
    if (patch.status && *patch.status != org.status) {
      if (*patch.status == ActiveState::kDisabled) {
        if (actor.principal != nullptr && actor.principal->org_id == org.id) {
          return Status(StatusCode::kFailedPrecondition, "cannot_disable_own_org",
                        Text{"不能停用本人所属机构", "You cannot disable your own organisation"});
        }
        ANXIN_ASSIGN_OR_RETURN(int64_t children, store_->CountActiveChildren(tx, org.id));
        if (children > 0) {
          return Status(StatusCode::kFailedPrecondition, "org_has_active_children",
                        Text{"请先停用下级机构", "Disable the organisation's children first"});
        }
      } else if (!org.parent_id.empty()) {
        ANXIN_ASSIGN_OR_RETURN(std::optional<Org> parent, store_->FindOrg(tx, org.parent_id));
        if (parent && parent->status != ActiveState::kActive) {
          return Status(StatusCode::kFailedPrecondition, "org_disabled",
                        Text{"上级机构已停用", "The parent organisation is disabled"});
        }
      }
      changes["status"] = {{"from", std::string(ActiveStateName(org.status))},
                           {"to", std::string(ActiveStateName(*patch.status))}};
      org.status = *patch.status;
    }
    if (changes.empty()) return org;
    org.updated_at_ms = clock_.NowMs();
    ANXIN_RETURN_IF_ERROR(store_->UpdateOrg(tx, org));
    if (org.status == ActiveState::kDisabled) {
      // The staff of the node (and of any node below it) are logged out with the change.
      ANXIN_ASSIGN_OR_RETURN(int64_t revoked,
                             sessions_->RevokeSubtreeSessions(tx, org.path, org.updated_at_ms));
      changes["sessions_revoked"] = revoked;
    }
    ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor, {"org.update", "org", org.id, org.id, changes}));
    return org;
  });
}

Result<std::optional<Org>> IdentityService::FindOrgByCode(const std::string& code) {
  return db_.ReadResult<std::optional<Org>>(
      [&](Tx& tx) { return store_->FindOrgByCode(tx, UpperAscii(code)); });
}

// --- Users ------------------------------------------------------------------------------------

Result<UserView> IdentityService::ViewOf(Tx& tx, const User& user, const RevealRequest& reveal,
                                         bool with_permissions) {
  UserView view;
  view.id = user.id;
  view.login = user.login;
  view.display_name = user.display_name;
  view.kind = user.kind;
  view.status = user.status;
  ANXIN_ASSIGN_OR_RETURN(
      std::optional<ThrottleCounter> throttle,
      sessions_->FindThrottle(tx, ThrottleScope::kLogin, LoginThrottleKey(keys_, user.login)));
  view.locked = throttle && throttle->blocked_until_ms > clock_.NowMs();
  view.created_at_ms = user.created_at_ms;
  view.updated_at_ms = user.updated_at_ms;
  if (!user.org_id.empty()) {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Org> org, store_->FindOrg(tx, user.org_id));
    if (org) view.org = OrgRef{org->id, org->code, org->name};
  }
  ANXIN_ASSIGN_OR_RETURN(view.roles, store_->UserRoles(tx, user.id));
  if (with_permissions) {
    ANXIN_ASSIGN_OR_RETURN(std::set<std::string> permissions, store_->UserPermissions(tx, user.id));
    view.permissions.assign(permissions.begin(), permissions.end());
  }
  // Personal data is shown masked unless revealed (RULES.md §6).
  if (user.phone_enc) {
    ANXIN_ASSIGN_OR_RETURN(std::string phone, keys_.Open(*user.phone_enc));
    if (reveal.phone) {
      view.phone = phone;
      view.revealed.push_back("phone");
    } else {
      view.phone = MaskPhone(phone);
    }
  }
  view.id_type = user.id_type;
  if (user.id_number_enc) {
    ANXIN_ASSIGN_OR_RETURN(std::string number, keys_.Open(*user.id_number_enc));
    if (reveal.id_number) {
      view.id_number = number;
      view.revealed.push_back("id_number");
    } else {
      view.id_number = MaskIdNumber(number);
    }
  }
  return view;
}

Result<User> IdentityService::UserInScope(Tx& tx, const Actor& actor, const std::string& id) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<User> user, store_->FindUser(tx, id));
  if (!user) return Status::NotFound("user");
  if (user->kind == UserKind::kCustomer) {
    // Customers belong to no node; only the head office (or the system) sees them.
    if (!HasRootScope(actor)) return Status::NotFound("user");
    return std::move(*user);
  }
  ANXIN_ASSIGN_OR_RETURN(std::optional<Org> org, store_->FindOrg(tx, user->org_id));
  if (!org || !InScope(actor, org->path)) return Status::NotFound("user");
  return std::move(*user);
}

Status IdentityService::CheckGrantable(Tx& tx, const Actor& actor, UserKind kind,
                                       const std::vector<std::string>& roles,
                                       const std::vector<std::string>& current_roles) {
  ANXIN_ASSIGN_OR_RETURN(std::vector<Role> all, store_->ListRoles(tx));
  std::vector<FieldError> errors;
  std::set<std::string> seen;
  for (size_t i = 0; i < roles.size(); ++i) {
    const std::string field = "roles[" + std::to_string(i) + "]";
    auto it = std::find_if(all.begin(), all.end(), [&](const Role& r) { return r.code == roles[i]; });
    if (it == all.end()) {
      errors.push_back({field, "unknown_role", Text{"角色不存在", "No such role"}});
    } else if (it->kind != kind) {
      errors.push_back({field, "role_kind_mismatch",
                        Text{"该角色不适用于此类用户", "This role does not apply to this kind of user"}});
    } else if (!seen.insert(roles[i]).second) {
      errors.push_back({field, "duplicate", Text{"角色重复", "The role is listed twice"}});
    }
  }
  ANXIN_RETURN_IF_ERROR(ValidationResult(std::move(errors)));
  // Only a system administrator may grant or withdraw system_admin.
  if (Contains(roles, kRoleSystemAdmin) != Contains(current_roles, kRoleSystemAdmin) &&
      !IsSystemAdmin(actor)) {
    return Denied("cannot_grant_system_admin");
  }
  if (IsSystem(actor)) return Status::Ok();
  // A grantor hands out (or takes away) only what they hold themselves: every permission of every
  // role that changes hands.
  const std::set<std::string> before(current_roles.begin(), current_roles.end());
  const std::set<std::string> after(roles.begin(), roles.end());
  for (const Role& role : all) {
    if (before.count(role.code) == after.count(role.code)) continue;
    for (const std::string& permission : role.permissions) {
      if (!actor.principal->Has(permission)) {
        return Status(
            StatusCode::kPermissionDenied, "role_exceeds_grantor",
            Text{"只能授予或收回本人拥有全部权限的角色：" + role.code,
                 "You may grant or withdraw only roles whose every permission you hold: " + role.code});
      }
    }
  }
  return Status::Ok();
}

Result<UserView> IdentityService::CreateStaffUser(const Actor& actor, const NewStaffUser& request) {
  ANXIN_RETURN_IF_ERROR(Require(actor, kPermUserWrite));
  if (!request.roles.empty()) ANXIN_RETURN_IF_ERROR(Require(actor, kPermRoleAssign));
  std::vector<FieldError> errors;
  const std::string login = CheckLogin(request.login, errors);
  const std::string display_name = CheckName("display_name", request.display_name, 64, errors);
  std::optional<std::string> phone;
  if (request.phone) {
    auto normalized = NormalizeMobile(*request.phone, "phone");
    if (normalized.ok()) {
      phone = *normalized;
    } else {
      for (const FieldError& e : normalized.status().fields()) errors.push_back(e);
    }
  }
  Status policy = CheckPasswordPolicy(request.password, login, "password");
  for (const FieldError& e : policy.fields()) errors.push_back(e);
  ANXIN_RETURN_IF_ERROR(ValidationResult(std::move(errors)));
  const std::string password_hash = hasher_.Hash(request.password);

  return db_.WriteResult<UserView>([&](Tx& tx) -> Result<UserView> {
    ANXIN_ASSIGN_OR_RETURN(Org org, OrgInScope(tx, actor, request.org_id));
    if (org.status != ActiveState::kActive) {
      return Status(StatusCode::kFailedPrecondition, "org_disabled",
                    Text{"机构已停用", "The organisation is disabled"});
    }
    ANXIN_RETURN_IF_ERROR(CheckGrantable(tx, actor, UserKind::kStaff, request.roles, {}));
    ANXIN_ASSIGN_OR_RETURN(std::optional<User> existing, store_->FindUserByLogin(tx, login));
    if (existing) return LoginTaken();
    const int64_t now = clock_.NowMs();
    User user;
    user.id = NewId();
    user.login = login;
    user.display_name = display_name;
    user.kind = UserKind::kStaff;
    user.org_id = org.id;
    user.status = ActiveState::kActive;
    user.password_hash = password_hash;
    if (phone) {
      user.phone_enc = keys_.Seal(*phone);
      user.phone_hash = keys_.LookupHash("phone", *phone);
    }
    user.created_at_ms = now;
    user.updated_at_ms = now;
    ANXIN_RETURN_IF_ERROR(Conflict(store_->InsertUser(tx, user), "login_taken", LoginTaken().message()));
    ANXIN_RETURN_IF_ERROR(store_->ReplaceUserRoles(tx, user.id, request.roles));
    ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor,
                                        {"user.create",
                                         "user",
                                         user.id,
                                         org.id,
                                         {{"login", AuditSafe(user.login)},
                                          {"kind", "staff"},
                                          {"org_code", AuditSafe(org.code)},
                                          {"roles", request.roles},
                                          {"has_phone", phone.has_value()}}}));
    return ViewOf(tx, user, {}, false);
  });
}

Result<UserView> IdentityService::CreateCustomer(const Actor& actor, const NewCustomer& request) {
  if (actor.principal != nullptr) {
    if (actor.principal->kind != UserKind::kStaff) return PermissionDenied();
    ANXIN_RETURN_IF_ERROR(Require(actor, kPermUserWrite));
  }
  std::vector<FieldError> errors;
  std::string login;
  if (request.login.empty()) {
    login = "c" + LowerAscii(NewId());
  } else {
    login = CheckLogin(request.login, errors);
  }
  const std::string display_name = CheckName("display_name", request.display_name, 64, errors);
  std::string phone;
  auto normalized = NormalizeMobile(request.phone, "phone");
  if (normalized.ok()) {
    phone = *normalized;
  } else {
    for (const FieldError& e : normalized.status().fields()) errors.push_back(e);
  }
  const std::optional<IdType> id_type = request.id_type;
  std::string id_number;
  if (request.id_type.has_value() != request.id_number.has_value()) {
    errors.push_back({request.id_type ? "id_number" : "id_type", "required",
                      Text{"证件类型和证件号码须同时提供", "Give both the ID type and the ID number"}});
  } else if (request.id_type) {
    auto number = NormalizeIdNumber(*id_type, *request.id_number, clock_.Today());
    if (number.ok()) {
      id_number = *number;
    } else {
      for (const FieldError& e : number.status().fields()) errors.push_back(e);
    }
  }
  if (request.password) {
    Status policy = CheckPasswordPolicy(*request.password, login, "password");
    for (const FieldError& e : policy.fields()) errors.push_back(e);
  }
  ANXIN_RETURN_IF_ERROR(ValidationResult(std::move(errors)));
  const std::string password_hash = request.password ? hasher_.Hash(*request.password) : std::string();

  return db_.WriteResult<UserView>([&](Tx& tx) -> Result<UserView> {
    ANXIN_ASSIGN_OR_RETURN(std::optional<User> existing, store_->FindUserByLogin(tx, login));
    if (existing) return LoginTaken();
    const int64_t now = clock_.NowMs();
    User user;
    user.id = NewId();
    user.login = login;
    user.display_name = display_name;
    user.kind = UserKind::kCustomer;
    user.status = ActiveState::kActive;
    user.password_hash = password_hash;
    user.phone_enc = keys_.Seal(phone);
    user.phone_hash = keys_.LookupHash("phone", phone);
    if (id_type) {
      user.id_type = id_type;
      user.id_number_enc = keys_.Seal(id_number);
      user.id_number_hash = keys_.LookupHash("id_number", id_number);
      ANXIN_ASSIGN_OR_RETURN(std::optional<User> holder,
                             store_->FindUserByIdNumberHash(tx, *user.id_type, *user.id_number_hash));
      if (holder) return IdNumberTaken();
    }
    user.created_at_ms = now;
    user.updated_at_ms = now;
    Status inserted = store_->InsertUser(tx, user);
    if (inserted.code() == StatusCode::kAlreadyExists) {
      // Either unique index: report the one that is actually taken.
      ANXIN_ASSIGN_OR_RETURN(std::optional<User> again, store_->FindUserByLogin(tx, login));
      return again ? LoginTaken() : IdNumberTaken();
    }
    ANXIN_RETURN_IF_ERROR(inserted);
    ANXIN_RETURN_IF_ERROR(store_->ReplaceUserRoles(tx, user.id, {kRoleCustomer}));
    ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor,
                                        {"user.create",
                                         "user",
                                         user.id,
                                         "",
                                         {{"login", AuditSafe(user.login)},
                                          {"kind", "customer"},
                                          {"id_type", id_type ? std::string(IdTypeName(*id_type)) : ""},
                                          {"has_id_number", id_type.has_value()}}}));
    return ViewOf(tx, user, {}, false);
  });
}

Result<UserView> IdentityService::GetUser(const Actor& actor, const std::string& id,
                                          const RevealRequest& reveal) {
  ANXIN_RETURN_IF_ERROR(Require(actor, kPermUserRead));
  if (!reveal.phone && !reveal.id_number) {
    return db_.ReadResult<UserView>([&](Tx& tx) -> Result<UserView> {
      ANXIN_ASSIGN_OR_RETURN(User user, UserInScope(tx, actor, id));
      return ViewOf(tx, user, {}, false);
    });
  }
  // RULES.md §6: clear personal data needs the permission and a stated purpose, and every access
  // is recorded with who and why.
  ANXIN_ASSIGN_OR_RETURN(const std::string purpose, CheckReveal(actor, reveal.purpose));
  return db_.WriteResult<UserView>([&](Tx& tx) -> Result<UserView> {
    ANXIN_ASSIGN_OR_RETURN(User user, UserInScope(tx, actor, id));
    ANXIN_ASSIGN_OR_RETURN(UserView view, ViewOf(tx, user, reveal, false));
    ANXIN_RETURN_IF_ERROR(audit_.Append(
        tx, actor,
        {"pii.reveal", "user", user.id, user.org_id, {{"fields", view.revealed}, {"purpose", purpose}}}));
    return view;
  });
}

Result<Page<UserView>> IdentityService::ListUsers(const Actor& actor, const UserListQuery& query) {
  ANXIN_RETURN_IF_ERROR(Require(actor, kPermUserRead));
  if (!IsSystem(actor) && actor.principal->kind != UserKind::kStaff) return PermissionDenied();
  if (query.kind == UserKind::kCustomer && !HasRootScope(actor)) return Denied("customers_out_of_scope");
  const int limit = ClampLimit(query.limit);
  return db_.ReadResult<Page<UserView>>([&](Tx& tx) -> Result<Page<UserView>> {
    UserQuery q;
    q.kind = query.kind;
    q.scope = ScopeOf(actor);
    if (query.org_id) {
      ANXIN_ASSIGN_OR_RETURN(Org org, OrgInScope(tx, actor, *query.org_id));
      q.scope = OrgScope::Subtree(org.path);
    }
    q.role = query.role;
    q.text = query.text;
    q.after_id = query.after;
    q.limit = limit + 1;
    ANXIN_ASSIGN_OR_RETURN(std::vector<User> users, store_->ListUsers(tx, q));
    Page<UserView> page;
    if (static_cast<int>(users.size()) > limit) {
      users.resize(limit);
      page.next_after = users.back().id;
    }
    for (const User& user : users) {
      ANXIN_ASSIGN_OR_RETURN(UserView view, ViewOf(tx, user, {}, false));
      page.items.push_back(std::move(view));
    }
    return page;
  });
}

Result<UserView> IdentityService::UpdateUser(const Actor& actor, const std::string& id,
                                             const UserPatch& patch) {
  ANXIN_RETURN_IF_ERROR(Require(actor, kPermUserWrite));
  std::vector<FieldError> errors;
  std::optional<std::string> display_name;
  if (patch.display_name) display_name = CheckName("display_name", *patch.display_name, 64, errors);
  std::optional<std::optional<std::string>> phone;
  if (patch.phone) {
    if (*patch.phone) {
      auto normalized = NormalizeMobile(**patch.phone, "phone");
      if (normalized.ok()) {
        phone = std::optional<std::string>(*normalized);
      } else {
        for (const FieldError& e : normalized.status().fields()) errors.push_back(e);
      }
    } else {
      phone = std::optional<std::string>();
    }
  }
  ANXIN_RETURN_IF_ERROR(ValidationResult(std::move(errors)));

  return db_.WriteResult<UserView>([&](Tx& tx) -> Result<UserView> {
    ANXIN_ASSIGN_OR_RETURN(User user, UserInScope(tx, actor, id));
    ANXIN_ASSIGN_OR_RETURN(std::vector<std::string> roles, store_->UserRoles(tx, user.id));
    if (Contains(roles, kRoleSystemAdmin) && !IsSystemAdmin(actor)) return Denied("target_is_system_admin");
    nlohmann::json changes = nlohmann::json::object();
    if (display_name && *display_name != user.display_name) {
      changes["display_name"] = {{"from", AuditSafe(user.display_name)}, {"to", AuditSafe(*display_name)}};
      user.display_name = *display_name;
    }
    if (phone) {
      if (*phone) {
        std::string hash = keys_.LookupHash("phone", **phone);
        if (user.phone_hash != hash) {
          changes["phone"] = "changed";
          user.phone_enc = keys_.Seal(**phone);
          user.phone_hash = hash;
        }
      } else if (user.phone_enc) {
        changes["phone"] = "cleared";
        user.phone_enc.reset();
        user.phone_hash.reset();
      }
    }
    if (patch.status && *patch.status != user.status) {
      if (*patch.status == ActiveState::kDisabled && actor.principal != nullptr &&
          actor.principal->user_id == user.id) {
        return Status(StatusCode::kFailedPrecondition, "cannot_disable_self",
                      Text{"不能停用本人账号", "You cannot disable your own account"});
      }
      changes["status"] = {{"from", std::string(ActiveStateName(user.status))},
                           {"to", std::string(ActiveStateName(*patch.status))}};
      user.status = *patch.status;
    }
    if (!changes.empty()) {
      const int64_t now = clock_.NowMs();
      user.updated_at_ms = now;
      ANXIN_RETURN_IF_ERROR(store_->UpdateUserProfile(tx, user));
      if (user.status == ActiveState::kDisabled) {
        ANXIN_ASSIGN_OR_RETURN(int64_t revoked, sessions_->RevokeUserSessions(tx, user.id, "", now));
        changes["sessions_revoked"] = revoked;
      }
      ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor, {"user.update", "user", user.id, user.org_id, changes}));
    }
    return ViewOf(tx, user, {}, false);
  });
}

Result<UserView> IdentityService::SetUserRoles(const Actor& actor, const std::string& id,
                                               const std::vector<std::string>& roles) {
  ANXIN_RETURN_IF_ERROR(Require(actor, kPermRoleAssign));
  if (actor.principal != nullptr && actor.principal->user_id == id) {
    return Status(StatusCode::kPermissionDenied, "cannot_change_own_roles",
                  Text{"不能修改本人的角色", "You cannot change your own roles"});
  }
  return db_.WriteResult<UserView>([&](Tx& tx) -> Result<UserView> {
    ANXIN_ASSIGN_OR_RETURN(User user, UserInScope(tx, actor, id));
    ANXIN_ASSIGN_OR_RETURN(std::vector<std::string> current, store_->UserRoles(tx, user.id));
    ANXIN_RETURN_IF_ERROR(CheckGrantable(tx, actor, user.kind, roles, current));
    std::set<std::string> before(current.begin(), current.end());
    std::set<std::string> after(roles.begin(), roles.end());
    if (before != after) {
      ANXIN_RETURN_IF_ERROR(store_->ReplaceUserRoles(tx, user.id, roles));
      ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor,
                                          {"user.roles",
                                           "user",
                                           user.id,
                                           user.org_id,
                                           {{"from", std::vector<std::string>(before.begin(), before.end())},
                                            {"to", std::vector<std::string>(after.begin(), after.end())}}}));
    }
    return ViewOf(tx, user, {}, false);
  });
}

Status IdentityService::ResetPassword(const Actor& actor, const std::string& id,
                                      std::string_view new_password) {
  ANXIN_RETURN_IF_ERROR(Require(actor, kPermUserWrite));
  ANXIN_ASSIGN_OR_RETURN(User target,
                         db_.ReadResult<User>([&](Tx& tx) { return UserInScope(tx, actor, id); }));
  ANXIN_RETURN_IF_ERROR(CheckPasswordPolicy(new_password, target.login, "new_password"));
  const std::string hash = hasher_.Hash(new_password);
  return db_.Write([&](Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(User user, UserInScope(tx, actor, id));
    ANXIN_ASSIGN_OR_RETURN(std::vector<std::string> roles, store_->UserRoles(tx, user.id));
    if (Contains(roles, kRoleSystemAdmin) && !IsSystemAdmin(actor)) return Denied("target_is_system_admin");
    const int64_t now = clock_.NowMs();
    ANXIN_RETURN_IF_ERROR(store_->SetPasswordHash(tx, user.id, hash, now));
    ANXIN_RETURN_IF_ERROR(
        sessions_->DeleteThrottle(tx, ThrottleScope::kLogin, LoginThrottleKey(keys_, user.login)));
    ANXIN_ASSIGN_OR_RETURN(int64_t revoked, sessions_->RevokeUserSessions(tx, user.id, "", now));
    return audit_.Append(
        tx, actor, {"user.password_reset", "user", user.id, user.org_id, {{"sessions_revoked", revoked}}});
  });
}

Result<std::vector<Role>> IdentityService::ListRoles(const Actor& actor) {
  ANXIN_RETURN_IF_ERROR(Require(actor, kPermRoleRead));
  return db_.ReadResult<std::vector<Role>>([&](Tx& tx) { return store_->ListRoles(tx); });
}

Result<std::optional<UserView>> IdentityService::FindCustomerByIdNumber(IdType id_type,
                                                                        const std::string& id_number) {
  ANXIN_ASSIGN_OR_RETURN(std::string number, NormalizeIdNumber(id_type, id_number, clock_.Today()));
  const std::string hash = keys_.LookupHash("id_number", number);
  return db_.ReadResult<std::optional<UserView>>([&](Tx& tx) -> Result<std::optional<UserView>> {
    ANXIN_ASSIGN_OR_RETURN(std::optional<User> user, store_->FindUserByIdNumberHash(tx, id_type, hash));
    if (!user || user->kind != UserKind::kCustomer) return std::optional<UserView>();
    ANXIN_ASSIGN_OR_RETURN(UserView view, ViewOf(tx, *user, {}, false));
    return std::optional<UserView>(std::move(view));
  });
}

}  // namespace anxin::identity
