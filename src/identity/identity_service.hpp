#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "common/actor.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "common/principal.hpp"
#include "common/status.hpp"
#include "identity/identity.hpp"
#include "identity/identity_store.hpp"
#include "identity/password.hpp"
#include "identity/session_store.hpp"
#include "storage/database.hpp"

namespace anxin::identity {

// Every permission identity itself checks. Later modules add theirs in migrations.
inline constexpr const char* kPermOrgRead = "org.read";
inline constexpr const char* kPermOrgWrite = "org.write";
inline constexpr const char* kPermUserRead = "user.read";
inline constexpr const char* kPermUserWrite = "user.write";
inline constexpr const char* kPermRoleRead = "role.read";
inline constexpr const char* kPermRoleAssign = "role.assign";
inline constexpr const char* kPermPiiReveal = "pii.reveal";
inline constexpr const char* kPermSessionRead = "session.read";

// --- Requests -----------------------------------------------------------------------------------

struct NewOrg {
  std::string code;
  std::string name;
  OrgLevel level = OrgLevel::kBranch;
  std::string parent_id;  // empty only for the head office
};

struct OrgPatch {
  std::optional<std::string> name;
  std::optional<ActiveState> status;
};

struct OrgListQuery {
  std::optional<std::string> parent_id;
  std::string after;
  int limit = 100;
};

struct NewStaffUser {
  std::string login;
  std::string display_name;
  std::string org_id;
  std::vector<std::string> roles;
  std::string password;
  std::optional<std::string> phone;
};

struct NewCustomer {
  std::string login;  // empty: the normalised phone number
  std::string display_name;
  std::string phone;
  std::optional<IdType> id_type;         // required with id_number
  std::optional<std::string> id_number;  // validated per type (RULES.md §5)
  std::optional<std::string> password;   // absent: the customer cannot log in with a password yet
};

struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<std::optional<std::string>> phone;  // set, or clear with nullopt inside
  std::optional<ActiveState> status;
};

struct UserListQuery {
  UserKind kind = UserKind::kStaff;
  std::optional<std::string> org_id;  // users of this node's subtree
  std::optional<std::string> role;
  std::optional<std::string> text;
  std::string after;
  int limit = 100;
};

// Which personal data to show in clear, and why (RULES.md §6: every access is logged with who
// and why).
struct RevealRequest {
  bool phone = false;
  bool id_number = false;
  std::string purpose;
};

// Users, organisations and roles (sessions and login are SessionService's). Every change is
// audited in its own transaction. Staff see and touch only their organisation's subtree; objects
// outside it answer kNotFound so their existence is not revealed. Thread-safe.
//
// Authorisation: a call whose actor has a principal checks that principal's permissions and
// scope; a system actor (Actor::System, e.g. the CLI or the demo seed) is unrestricted.
class IdentityService final {
 public:
  // `hasher` defaults to Argon2id; when given it must outlive the service, as must `db`, `keys`,
  // `clock` and `audit`.
  IdentityService(storage::Database& db, const KeyRing& keys, const Clock& clock,
                  const audit::AuditLog& audit, const PasswordHasher* hasher = nullptr);

  // Returns the caller with org, roles and permissions; personal data masked. kUnauthenticated
  // without a principal.
  Result<UserView> Me(const Actor& actor);

  // --- Organisations ---

  // Creates a node under `parent_id` (org.write; the parent in the caller's subtree, else
  // kNotFound). Levels nest strictly (kInvalidArgument "invalid_nesting" at "level"); codes are
  // [A-Z0-9]{2,20} and unique (kAlreadyExists "org_code_taken"); the parent must be active
  // (kFailedPrecondition "org_disabled"). A head office is created only by a system actor and only
  // once (kFailedPrecondition "head_office_exists").
  Result<Org> CreateOrg(const Actor& actor, const NewOrg& request);
  Result<Org> GetOrg(const Actor& actor, const std::string& id);
  Result<Page<Org>> ListOrgs(const Actor& actor, const OrgListQuery& query);
  // Renames or disables/enables a node. A node with active children cannot be disabled
  // (kFailedPrecondition "org_has_active_children"), nor can the caller's own node. Disabling
  // revokes the live sessions of the staff of the node's subtree in the same transaction (and
  // SessionService refuses staff below a disabled node at login and on every request).
  Result<Org> UpdateOrg(const Actor& actor, const std::string& id, const OrgPatch& patch);
  // Returns the node with `code` (no scope check: for the CLI, seeds and jobs).
  Result<std::optional<Org>> FindOrgByCode(const std::string& code);

  // --- Users ---

  // Creates a staff user in the caller's subtree with `roles` (user.write; granting roles also
  // needs role.assign and follows the grant rules of SetUserRoles). Login taken: kAlreadyExists
  // "login_taken".
  Result<UserView> CreateStaffUser(const Actor& actor, const NewStaffUser& request);
  // Creates a customer with the customer role. Staff callers need user.write; system and
  // anonymous actors (sign-up flows of later issues) are allowed. The ID number must be unique per
  // type (kAlreadyExists "id_number_taken").
  Result<UserView> CreateCustomer(const Actor& actor, const NewCustomer& request);
  // Returns a user in the caller's scope, masked. With `reveal` set, needs pii.reveal and a
  // purpose of 4-200 characters, and writes a pii.reveal audit record naming the fields and
  // purpose. Customers are in scope of staff at the head office only.
  Result<UserView> GetUser(const Actor& actor, const std::string& id, const RevealRequest& reveal = {});
  Result<Page<UserView>> ListUsers(const Actor& actor, const UserListQuery& query);
  // Changes display name, phone or status (user.write). Disabling revokes the user's sessions;
  // callers cannot disable themselves.
  Result<UserView> UpdateUser(const Actor& actor, const std::string& id, const UserPatch& patch);
  // Replaces the user's roles (role.assign). Roles must exist and fit the user's kind
  // (kInvalidArgument). Grant rules for every caller but a system actor (kPermissionDenied):
  // nobody changes their own roles ("cannot_change_own_roles"); only holders of system_admin
  // grant or withdraw it ("cannot_grant_system_admin"); every role granted or withdrawn grants
  // only permissions the caller holds ("role_exceeds_grantor"); the user is in the caller's
  // subtree (else kNotFound).
  Result<UserView> SetUserRoles(const Actor& actor, const std::string& id,
                                const std::vector<std::string>& roles);
  // Sets a new password chosen by an administrator (user.write), lifts the login-wide throttle
  // block of the user's login and revokes the user's sessions.
  Status ResetPassword(const Actor& actor, const std::string& id, std::string_view new_password);
  // Returns every role with its permissions (role.read).
  Result<std::vector<Role>> ListRoles(const Actor& actor);
  // Returns the customer with this ID number, if any (no scope check: for later services).
  // kInvalidArgument if `id_number` is not a valid number of `id_type`.
  Result<std::optional<UserView>> FindCustomerByIdNumber(IdType id_type, const std::string& id_number);

 private:
  Result<UserView> ViewOf(storage::Tx& tx, const User& user, const RevealRequest& reveal,
                          bool with_permissions);
  Result<Org> OrgInScope(storage::Tx& tx, const Actor& actor, const std::string& id);
  Result<User> UserInScope(storage::Tx& tx, const Actor& actor, const std::string& id);
  Status CheckGrantable(storage::Tx& tx, const Actor& actor, UserKind kind,
                        const std::vector<std::string>& roles, const std::vector<std::string>& current_roles);

  // Constant after construction.
  storage::Database& db_;
  const KeyRing& keys_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  Argon2PasswordHasher argon2_;
  const PasswordHasher& hasher_;
  std::unique_ptr<IdentityStore> store_;
  std::unique_ptr<SessionStore> sessions_;
};

}  // namespace anxin::identity
