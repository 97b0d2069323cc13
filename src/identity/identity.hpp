#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/enum_table.hpp"
#include "common/principal.hpp"
#include "common/validation.hpp"

namespace anxin::identity {

// The role codes of migration 0001 (the `roles` table). Code names a role by these constants,
// never by a literal in SQL.
inline constexpr const char* kRoleSystemAdmin = "system_admin";  // holds every permission
inline constexpr const char* kRoleOrgAdmin = "org_admin";
inline constexpr const char* kRoleDocAdmin = "doc_admin";
inline constexpr const char* kRoleSeller = "seller";
inline constexpr const char* kRoleCashier = "cashier";
inline constexpr const char* kRoleUnderwriter = "underwriter";
inline constexpr const char* kRoleClaimsHandler = "claims_handler";
inline constexpr const char* kRoleClaimsApprover = "claims_approver";
inline constexpr const char* kRoleCsAgent = "cs_agent";
inline constexpr const char* kRoleAuditor = "auditor";
inline constexpr const char* kRoleCustomer = "customer";

// The levels of the organisation tree, outermost first. Each level's parent is the level before
// it: a branch (分公司) hangs under the head office (总公司), an institution (机构/支公司) under a
// branch, an outlet (网点) under an institution.
enum class OrgLevel { kHeadOffice, kBranch, kInstitution, kOutlet };

inline constexpr EnumTable<OrgLevel, 4> kOrgLevels{{{
    {OrgLevel::kHeadOffice, "head_office"},
    {OrgLevel::kBranch, "branch"},
    {OrgLevel::kInstitution, "institution"},
    {OrgLevel::kOutlet, "outlet"},
}}};

// The wire name of a level (kOrgLevels) and its parser (nullopt for any other text).
[[nodiscard]] inline std::string_view OrgLevelName(OrgLevel level) { return kOrgLevels.Name(level); }
[[nodiscard]] inline std::optional<OrgLevel> ParseOrgLevel(std::string_view name) {
  return kOrgLevels.Parse(name);
}
// Returns the level a parent of `level` must have, or nullopt for the head office (no parent).
[[nodiscard]] std::optional<OrgLevel> ParentLevelOf(OrgLevel level);

// Whether an organisation node or a user account may be used.
enum class ActiveState { kActive, kDisabled };

inline constexpr EnumTable<ActiveState, 2> kActiveStates{{{
    {ActiveState::kActive, "active"},
    {ActiveState::kDisabled, "disabled"},
}}};

// The wire name of a state (kActiveStates) and its parser (nullopt for any other text).
[[nodiscard]] inline std::string_view ActiveStateName(ActiveState state) { return kActiveStates.Name(state); }
[[nodiscard]] inline std::optional<ActiveState> ParseActiveState(std::string_view name) {
  return kActiveStates.Parse(name);
}

// The wire name of a user kind (kUserKinds, common/principal.hpp) and its parser (nullopt for any
// other text).
[[nodiscard]] inline std::string_view UserKindName(UserKind kind) { return kUserKinds.Name(kind); }
[[nodiscard]] inline std::optional<UserKind> ParseUserKind(std::string_view name) {
  return kUserKinds.Parse(name);
}

// One node of the organisation tree.
struct Org {
  std::string id;
  std::string code;  // [A-Z0-9]{2,20}, unique
  std::string name;
  OrgLevel level = OrgLevel::kHeadOffice;
  std::string parent_id;  // empty for the head office
  std::string path;       // "/<root id>/.../<own id>/"
  ActiveState status = ActiveState::kActive;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

// A user row as stored. Personal data is held sealed; only the service opens it.
struct User {
  std::string id;
  std::string login;  // lower case, unique
  std::string display_name;
  UserKind kind = UserKind::kStaff;
  std::string org_id;  // staff only
  ActiveState status = ActiveState::kActive;
  std::string password_hash;  // empty: the account cannot log in with a password
  std::optional<std::string> phone_enc, phone_hash;
  std::optional<IdType> id_type;
  std::optional<std::string> id_number_enc, id_number_hash;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

// A role with the permissions it grants.
struct Role {
  std::string code;
  std::string name_zh;
  std::string name_en;
  UserKind kind = UserKind::kStaff;  // which kind of user may hold it
  std::vector<std::string> permissions;
};

// A login session. The bearer token itself is never stored, only its SHA-256; a browser session
// (POST /api/v1/web/session) also keeps the SHA-256 of its CSRF token.
struct Session {
  std::string id;
  std::string token_hash;
  std::optional<std::string> csrf_hash;  // browser sessions only
  std::string user_id;
  int64_t created_at_ms = 0;
  int64_t last_seen_at_ms = 0;
  int64_t expires_at_ms = 0;
  int64_t idle_timeout_ms = 0;
  std::string client_address;
  std::optional<int64_t> revoked_at_ms;
};

// The few fields of an organisation shown next to a user.
struct OrgRef {
  std::string id;
  std::string code;
  std::string name;
};

// A user as shown to a caller: personal data masked (RULES.md §6) unless the caller revealed it.
// Never carries password hashes or sealed values.
struct UserView {
  std::string id;
  std::string login;
  std::string display_name;
  UserKind kind = UserKind::kStaff;
  ActiveState status = ActiveState::kActive;
  std::optional<OrgRef> org;
  std::vector<std::string> roles;
  std::vector<std::string> permissions;  // filled for the caller's own view (GET /me)
  std::optional<std::string> phone;      // masked ("138****8000") unless in `revealed`
  std::optional<IdType> id_type;
  std::optional<std::string> id_number;  // masked ("110105********002X") unless in `revealed`
  std::vector<std::string> revealed;     // "phone", "id_number": the fields shown in clear
  bool locked = false;  // the login is blocked for every client address (SessionService throttle)
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

// A session as shown to its owner.
struct SessionView {
  std::string id;
  int64_t created_at_ms = 0;
  int64_t last_seen_at_ms = 0;
  int64_t expires_at_ms = 0;
  std::string client_address;
  bool current = false;
};

// One page of a listing, ordered by id. `next_after` is the cursor for the following page.
template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_after;
};

}  // namespace anxin::identity
