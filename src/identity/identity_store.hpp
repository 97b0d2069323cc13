#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/access.hpp"
#include "common/status.hpp"
#include "identity/identity.hpp"
#include "storage/database.hpp"

namespace anxin::identity {

// Which organisations to list. `scope` restricts the result to a subtree (an exact, case-sensitive
// prefix of the path, storage::SqlFilter::InScope); the restriction is part of the query, so a
// caller never receives rows outside its scope.
struct OrgQuery {
  OrgScope scope = OrgScope::All();
  std::optional<std::string> parent_id;
  std::string after_id;  // paging: ids greater than this
  int limit = 100;
};

// Which users to list. Staff are matched by the path of their organisation (in `scope`, as for
// OrgQuery); customers have no organisation and are listed only with `kind` = customer.
struct UserQuery {
  UserKind kind = UserKind::kStaff;
  OrgScope scope = OrgScope::All();  // staff only
  std::optional<std::string> role;
  std::optional<std::string> text;  // substring of login or display name (case-insensitive ASCII)
  std::string after_id;
  int limit = 100;
};

// The persistence of organisations, users and roles (sessions and the login throttle are in
// SessionStore). Every method works inside the caller's transaction so that a
// change and its audit record commit together. Database errors come back as the Tx translated
// them (unique violation -> kAlreadyExists "conflict", conflicts -> kAborted, else kInternal).
// Implementations hold no state of their own and are thread-safe.
class IdentityStore {
 public:
  virtual ~IdentityStore() = default;

  // Organisations.
  virtual Result<std::optional<Org>> FindOrg(storage::Tx& tx, const std::string& id) = 0;
  virtual Result<std::optional<Org>> FindOrgByCode(storage::Tx& tx, const std::string& code) = 0;
  virtual Result<int64_t> CountOrgs(storage::Tx& tx) = 0;
  virtual Result<int64_t> CountOrgsAtLevel(storage::Tx& tx, OrgLevel level) = 0;
  virtual Status InsertOrg(storage::Tx& tx, const Org& org) = 0;
  // Stores `org`'s name, status and updated_at.
  virtual Status UpdateOrg(storage::Tx& tx, const Org& org) = 0;
  virtual Result<std::vector<Org>> ListOrgs(storage::Tx& tx, const OrgQuery& query) = 0;
  // Returns the number of active direct children of `org_id`.
  virtual Result<int64_t> CountActiveChildren(storage::Tx& tx, const std::string& org_id) = 0;
  // Returns true if every organisation on `path` ("/<root id>/.../<id>/") exists and is active.
  virtual Result<bool> PathActive(storage::Tx& tx, const std::string& path) = 0;

  // Users.
  virtual Result<std::optional<User>> FindUser(storage::Tx& tx, const std::string& id) = 0;
  virtual Result<std::optional<User>> FindUserByLogin(storage::Tx& tx, const std::string& login) = 0;
  virtual Result<std::optional<User>> FindUserByIdNumberHash(storage::Tx& tx, IdType id_type,
                                                             const std::string& id_number_hash) = 0;
  virtual Status InsertUser(storage::Tx& tx, const User& user) = 0;
  // Stores `user`'s display name, phone, status and updated_at.
  virtual Status UpdateUserProfile(storage::Tx& tx, const User& user) = 0;
  // Replaces the password hash.
  virtual Status SetPasswordHash(storage::Tx& tx, const std::string& user_id, const std::string& hash,
                                 int64_t now_ms) = 0;
  virtual Result<std::vector<User>> ListUsers(storage::Tx& tx, const UserQuery& query) = 0;

  // Roles and permissions.
  virtual Result<std::vector<Role>> ListRoles(storage::Tx& tx) = 0;
  virtual Result<std::vector<std::string>> UserRoles(storage::Tx& tx, const std::string& user_id) = 0;
  virtual Result<std::set<std::string>> UserPermissions(storage::Tx& tx, const std::string& user_id) = 0;
  virtual Status ReplaceUserRoles(storage::Tx& tx, const std::string& user_id,
                                  const std::vector<std::string>& roles) = 0;
};

// The SQL implementation (one text for SQLite and PostgreSQL).
std::unique_ptr<IdentityStore> MakeSqlIdentityStore();

}  // namespace anxin::identity
