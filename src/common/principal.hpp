#pragma once

#include <set>
#include <string>
#include <vector>

#include "common/enum_table.hpp"

namespace anxin {

// Staff belong to an organisation node; customers to none.
enum class UserKind { kStaff, kCustomer };

inline constexpr EnumTable<UserKind, 2> kUserKinds{{{
    {UserKind::kStaff, "staff"},
    {UserKind::kCustomer, "customer"},
}}};

// Who is calling: the authenticated user with the organisation node they belong to and the
// permissions their roles grant. Built by identity on each authenticated request.
struct Principal {
  std::string user_id;
  std::string login;
  std::string display_name;
  UserKind kind = UserKind::kStaff;
  std::string org_id;    // staff: the node they belong to; customers: empty
  std::string org_path;  // materialised path of org ids ("/root/br1/inst3/"), for subtree scope
  std::vector<std::string> roles;
  std::set<std::string> permissions;
  std::string session_id;

  [[nodiscard]] bool Has(const std::string& permission) const { return permissions.count(permission) > 0; }
  // Returns true if the caller's data scope covers an object owned by the node with `path`.
  [[nodiscard]] bool Covers(const std::string& path) const {
    return kind == UserKind::kStaff && !org_path.empty() && path.compare(0, org_path.size(), org_path) == 0;
  }
};

}  // namespace anxin
