#pragma once

// Row mappings shared by identity's SQL implementations (the store and the Directory). Internal to
// src/identity.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/enum_values.hpp"
#include "common/status.hpp"
#include "identity/identity.hpp"
#include "storage/database.hpp"

namespace anxin::identity::sql {

// The columns OrgFromRow reads, for a FROM clause that names the table `o`.
inline constexpr std::string_view kOrgColumns =
    "o.id, o.code, o.name, o.level, o.parent_id, o.path, o.status, o.created_at, o.updated_at";
inline constexpr size_t kOrgColumnCount = 9;

// Reads the kOrgColumns of `row` starting at column `at`. kInternal for a level or status the
// tables do not know.
inline Result<Org> OrgFromRow(const storage::Row& row, size_t at) {
  Org org;
  org.id = row.Text(at);
  org.code = row.Text(at + 1);
  org.name = row.Text(at + 2);
  ANXIN_ASSIGN_OR_RETURN(org.level, ParseStored(kOrgLevels, row.Text(at + 3), "identity: org level"));
  org.parent_id = row.Text(at + 4);
  org.path = row.Text(at + 5);
  ANXIN_ASSIGN_OR_RETURN(org.status, ParseStored(kActiveStates, row.Text(at + 6), "identity: org status"));
  org.created_at_ms = row.Int(at + 7);
  org.updated_at_ms = row.Int(at + 8);
  return org;
}

// The columns UserFromRow reads, for a FROM clause that names the table `u`.
inline constexpr std::string_view kUserColumns =
    "u.id, u.login, u.display_name, u.kind, u.org_id, u.status, u.password_hash, u.phone_enc, u.phone_hash, "
    "u.id_type, u.id_number_enc, u.id_number_hash, u.created_at, u.updated_at";
inline constexpr size_t kUserColumnCount = 14;

// Reads the kUserColumns of `row` starting at column `at`. kInternal for a kind, status or ID type
// the tables do not know.
inline Result<User> UserFromRow(const storage::Row& row, size_t at) {
  User user;
  user.id = row.Text(at);
  user.login = row.Text(at + 1);
  user.display_name = row.Text(at + 2);
  ANXIN_ASSIGN_OR_RETURN(user.kind, ParseStored(kUserKinds, row.Text(at + 3), "identity: user kind"));
  user.org_id = row.Text(at + 4);
  ANXIN_ASSIGN_OR_RETURN(user.status, ParseStored(kActiveStates, row.Text(at + 5), "identity: user status"));
  user.password_hash = row.Text(at + 6);
  user.phone_enc = row.OptText(at + 7);
  user.phone_hash = row.OptText(at + 8);
  if (std::optional<std::string> id_type = row.OptText(at + 9)) {
    ANXIN_ASSIGN_OR_RETURN(user.id_type, ParseStored(kIdTypes, *id_type, "identity: user id type"));
  }
  user.id_number_enc = row.OptText(at + 10);
  user.id_number_hash = row.OptText(at + 11);
  user.created_at_ms = row.Int(at + 12);
  user.updated_at_ms = row.Int(at + 13);
  return user;
}

inline storage::Value Opt(const std::optional<std::string>& value) {
  if (!value) return std::monostate{};
  return *value;
}

inline storage::Value Opt(const std::optional<int64_t>& value) {
  if (!value) return std::monostate{};
  return *value;
}

// The stored name of `value` (kIdTypes), or NULL.
inline storage::Value Opt(const std::optional<IdType>& value) {
  if (!value) return std::monostate{};
  return std::string(IdTypeName(*value));
}

// Concatenates the parts of one SQL text.
inline std::string Sql(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p);
  return out;
}

}  // namespace anxin::identity::sql
