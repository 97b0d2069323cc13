#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "identity/identity.hpp"
#include "storage/database.hpp"

namespace anxin::identity {

// A staff member as other modules see one: who, where in the tree, and whether the account may
// be used (its organisation's state is the organisation's own `status`).
struct StaffMember {
  std::string id;
  std::string login;
  std::string display_name;
  std::string org_id;
  std::string org_path;
  bool active = false;  // the account itself is active
};

// Identity's in-transaction port: what the other modules' stores may read of the organisation
// tree and the staff, inside their own transaction, without naming identity's tables. Every
// method runs in the caller's `tx`; database errors come back as the Tx translated them.
// Implementations hold no state of their own and are thread-safe.
class Directory {
 public:
  virtual ~Directory() = default;

  // Returns the organisation with `id`, or nullopt.
  virtual Result<std::optional<Org>> FindOrg(storage::Tx& tx, const std::string& id) const = 0;
  // Returns the organisation with `code` (upper case, as stored), or nullopt.
  virtual Result<std::optional<Org>> FindOrgByCode(storage::Tx& tx, const std::string& code) const = 0;
  // Returns the head office (the root of the tree), or nullopt before one exists.
  virtual Result<std::optional<Org>> HeadOffice(storage::Tx& tx) const = 0;
  // Returns the materialised path ("/<root id>/.../<id>/") of organisation `id`, or nullopt.
  virtual Result<std::optional<std::string>> OrgPath(storage::Tx& tx, const std::string& id) const = 0;
  // Returns the name of each organisation of `ids` that exists (absent ids are left out).
  virtual Result<std::map<std::string, std::string>> OrgNames(storage::Tx& tx,
                                                              const std::vector<std::string>& ids) const = 0;
  // Returns each organisation of `ids` that exists, by id (absent ids are left out).
  virtual Result<std::map<std::string, Org>> OrgsByIds(storage::Tx& tx,
                                                       const std::vector<std::string>& ids) const = 0;

  // Returns the staff member with user id `id`, or nullopt (also for customers).
  virtual Result<std::optional<StaffMember>> FindStaff(storage::Tx& tx, const std::string& id) const = 0;
  // Returns the staff member with `login` (lower case, as stored), or nullopt (also for customers).
  virtual Result<std::optional<StaffMember>> FindStaffByLogin(storage::Tx& tx,
                                                              const std::string& login) const = 0;
  // Returns true if user `user_id` holds at least one of `role_codes` (kRoleSeller, ...).
  virtual Result<bool> HasRole(storage::Tx& tx, const std::string& user_id,
                               const std::vector<std::string>& role_codes) const = 0;
  // Returns the display name of each user of `ids` that exists (absent ids are left out).
  virtual Result<std::map<std::string, std::string>> UserDisplayNames(
      storage::Tx& tx, const std::vector<std::string>& ids) const = 0;
  // Returns each staff member of `ids`, by user id (customers and absent ids are left out).
  virtual Result<std::map<std::string, StaffMember>> StaffByIds(
      storage::Tx& tx, const std::vector<std::string>& ids) const = 0;
};

// Returns the Directory over identity's SQL tables (one text for SQLite and PostgreSQL). It is
// stateless and lives as long as the program.
const Directory& SqlDirectory();

}  // namespace anxin::identity
