// The identity store in SQL. One text per statement serves SQLite and PostgreSQL.
#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "identity/identity_sql_rows.hpp"
#include "identity/identity_store.hpp"
#include "storage/sql_filter.hpp"

namespace anxin::identity {
namespace {

using sql::kOrgColumns;
using sql::kUserColumns;
using sql::Opt;
using sql::OrgFromRow;
using sql::Sql;
using sql::UserFromRow;
using storage::Row;
using storage::Tx;
using storage::Value;

Value NullIfEmpty(const std::string& value) {
  if (value.empty()) return std::monostate{};
  return value;
}

// Escapes LIKE wildcards with '!' for the text search of ListUsers (which says ESCAPE '!'). Scopes
// never use LIKE: they go through storage::SqlFilter::InScope.
std::string EscapeLike(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '!' || c == '%' || c == '_') out.push_back('!');
    out.push_back(c);
  }
  return out;
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

Result<std::optional<Org>> QueryOneOrg(Tx& tx, const std::string& sql, std::initializer_list<Value> params) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row, tx.QueryOne(sql, params));
  if (!row) return std::optional<Org>();
  ANXIN_ASSIGN_OR_RETURN(Org org, OrgFromRow(*row, 0));
  return std::optional<Org>(std::move(org));
}

Result<std::optional<User>> QueryOneUser(Tx& tx, const std::string& sql,
                                         std::initializer_list<Value> params) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row, tx.QueryOne(sql, params));
  if (!row) return std::optional<User>();
  ANXIN_ASSIGN_OR_RETURN(User user, UserFromRow(*row, 0));
  return std::optional<User>(std::move(user));
}

class SqlIdentityStore final : public IdentityStore {
 public:
  Result<std::optional<Org>> FindOrg(Tx& tx, const std::string& id) override {
    return QueryOneOrg(tx, Sql({"SELECT ", kOrgColumns, " FROM orgs o WHERE o.id = ?"}), {id});
  }

  Result<std::optional<Org>> FindOrgByCode(Tx& tx, const std::string& code) override {
    return QueryOneOrg(tx, Sql({"SELECT ", kOrgColumns, " FROM orgs o WHERE o.code = ?"}), {code});
  }

  Result<int64_t> CountOrgs(Tx& tx) override {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row, tx.QueryOne("SELECT COUNT(*) FROM orgs"));
    return row ? row->Int(0) : 0;
  }

  Result<int64_t> CountOrgsAtLevel(Tx& tx, OrgLevel level) override {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row, tx.QueryOne("SELECT COUNT(*) FROM orgs WHERE level = ?",
                                                               {std::string(OrgLevelName(level))}));
    return row ? row->Int(0) : 0;
  }

  Status InsertOrg(Tx& tx, const Org& org) override {
    return tx
        .Exec(
            "INSERT INTO orgs (id, code, name, level, parent_id, path, status, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {org.id, org.code, org.name, std::string(OrgLevelName(org.level)), NullIfEmpty(org.parent_id),
             org.path, std::string(ActiveStateName(org.status)), org.created_at_ms, org.updated_at_ms})
        .status();
  }

  Status UpdateOrg(Tx& tx, const Org& org) override {
    return tx
        .Exec("UPDATE orgs SET name = ?, status = ?, updated_at = ? WHERE id = ?",
              {org.name, std::string(ActiveStateName(org.status)), org.updated_at_ms, org.id})
        .status();
  }

  Result<std::vector<Org>> ListOrgs(Tx& tx, const OrgQuery& query) override {
    storage::SqlFilter filter;
    filter.Where("o.id > ?", {query.after_id})
        .InScope("o.path", query.scope)
        .Equals("o.parent_id", query.parent_id)
        .Bind(static_cast<int64_t>(query.limit));
    ANXIN_ASSIGN_OR_RETURN(
        std::vector<Row> rows,
        tx.Query(Sql({"SELECT ", kOrgColumns, " FROM orgs o", filter.WhereSql(), " ORDER BY o.id LIMIT ?"}),
                 filter.params()));
    std::vector<Org> orgs;
    orgs.reserve(rows.size());
    for (const Row& row : rows) {
      ANXIN_ASSIGN_OR_RETURN(Org org, OrgFromRow(row, 0));
      orgs.push_back(std::move(org));
    }
    return orgs;
  }

  Result<int64_t> CountActiveChildren(Tx& tx, const std::string& org_id) override {
    ANXIN_ASSIGN_OR_RETURN(
        std::optional<Row> row,
        tx.QueryOne("SELECT COUNT(*) FROM orgs WHERE parent_id = ? AND status = 'active'", {org_id}));
    return row ? row->Int(0) : 0;
  }

  Result<bool> PathActive(Tx& tx, const std::string& path) override {
    std::vector<std::string> ids;
    for (size_t start = 1; start < path.size();) {
      const size_t slash = path.find('/', start);
      if (slash == std::string::npos) break;
      if (slash > start) ids.push_back(path.substr(start, slash - start));
      start = slash + 1;
    }
    if (ids.empty()) return false;
    // One statement text for every depth (the tree has four levels): missing ids repeat the last.
    constexpr size_t kMaxDepth = 8;
    if (ids.size() > kMaxDepth)
      return Status::Internal("identity: org path deeper than " + std::to_string(kMaxDepth));
    std::vector<Value> params;
    for (size_t i = 0; i < kMaxDepth; ++i) params.emplace_back(ids[std::min(i, ids.size() - 1)]);
    ANXIN_ASSIGN_OR_RETURN(
        std::optional<Row> row,
        tx.QueryOne(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END), 0) FROM orgs "
            "WHERE id IN (?, ?, ?, ?, ?, ?, ?, ?)",
            params));
    const int64_t distinct = static_cast<int64_t>(std::set<std::string>(ids.begin(), ids.end()).size());
    return row && row->Int(0) == distinct && row->Int(1) == distinct;
  }

  Result<std::optional<User>> FindUser(Tx& tx, const std::string& id) override {
    return QueryOneUser(tx, Sql({"SELECT ", kUserColumns, " FROM users u WHERE u.id = ?"}), {id});
  }

  Result<std::optional<User>> FindUserByLogin(Tx& tx, const std::string& login) override {
    return QueryOneUser(tx, Sql({"SELECT ", kUserColumns, " FROM users u WHERE u.login = ?"}), {login});
  }

  Result<std::optional<User>> FindUserByIdNumberHash(Tx& tx, IdType id_type,
                                                     const std::string& id_number_hash) override {
    return QueryOneUser(
        tx, Sql({"SELECT ", kUserColumns, " FROM users u WHERE u.id_type = ? AND u.id_number_hash = ?"}),
        {std::string(IdTypeName(id_type)), id_number_hash});
  }

  Status InsertUser(Tx& tx, const User& user) override {
    return tx
        .Exec(
            "INSERT INTO users (id, login, display_name, kind, org_id, status, password_hash, phone_enc, "
            "phone_hash, id_type, id_number_enc, id_number_hash, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {user.id, user.login, user.display_name, std::string(UserKindName(user.kind)),
             NullIfEmpty(user.org_id), std::string(ActiveStateName(user.status)), user.password_hash,
             Opt(user.phone_enc), Opt(user.phone_hash), Opt(user.id_type), Opt(user.id_number_enc),
             Opt(user.id_number_hash), user.created_at_ms, user.updated_at_ms})
        .status();
  }

  Status UpdateUserProfile(Tx& tx, const User& user) override {
    return tx
        .Exec(
            "UPDATE users SET display_name = ?, phone_enc = ?, phone_hash = ?, status = ?, updated_at = ? "
            "WHERE id = ?",
            {user.display_name, Opt(user.phone_enc), Opt(user.phone_hash),
             std::string(ActiveStateName(user.status)), user.updated_at_ms, user.id})
        .status();
  }

  Status SetPasswordHash(Tx& tx, const std::string& user_id, const std::string& hash,
                         int64_t now_ms) override {
    return tx.Exec("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", {hash, now_ms, user_id})
        .status();
  }

  Result<std::vector<User>> ListUsers(Tx& tx, const UserQuery& query) override {
    storage::SqlFilter filter;
    filter.Where("u.kind = ?", {std::string(UserKindName(query.kind))}).Where("u.id > ?", {query.after_id});
    if (query.kind == UserKind::kStaff) filter.InScope("o.path", query.scope);
    if (query.role) {
      filter.Where("EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role_code = ?)",
                   {*query.role});
    }
    if (query.text) {
      std::string pattern = "%" + EscapeLike(LowerAscii(*query.text)) + "%";
      filter.Where("(u.login LIKE ? ESCAPE '!' OR LOWER(u.display_name) LIKE ? ESCAPE '!')",
                   {pattern, pattern});
    }
    filter.Bind(static_cast<int64_t>(query.limit));
    ANXIN_ASSIGN_OR_RETURN(
        std::vector<Row> rows,
        tx.Query(Sql({"SELECT ", kUserColumns, " FROM users u LEFT JOIN orgs o ON o.id = u.org_id",
                      filter.WhereSql(), " ORDER BY u.id LIMIT ?"}),
                 filter.params()));
    std::vector<User> users;
    users.reserve(rows.size());
    for (const Row& row : rows) {
      ANXIN_ASSIGN_OR_RETURN(User user, UserFromRow(row, 0));
      users.push_back(std::move(user));
    }
    return users;
  }

  Result<std::vector<Role>> ListRoles(Tx& tx) override {
    ANXIN_ASSIGN_OR_RETURN(
        std::vector<Row> rows,
        tx.Query("SELECT code, name_zh, name_en, kind FROM roles ORDER BY sort_order, code"));
    std::vector<Role> roles;
    std::map<std::string, size_t> index;
    for (const Row& row : rows) {
      Role role;
      role.code = row.Text(0);
      role.name_zh = row.Text(1);
      role.name_en = row.Text(2);
      ANXIN_ASSIGN_OR_RETURN(role.kind, ParseStored(kUserKinds, row.Text(3), "identity: role kind"));
      index[role.code] = roles.size();
      roles.push_back(std::move(role));
    }
    ANXIN_ASSIGN_OR_RETURN(
        std::vector<Row> grants,
        tx.Query(
            "SELECT role_code, permission_code FROM role_permissions ORDER BY role_code, permission_code"));
    for (const Row& row : grants) {
      auto it = index.find(row.Text(0));
      if (it != index.end()) roles[it->second].permissions.push_back(row.Text(1));
    }
    return roles;
  }

  Result<std::vector<std::string>> UserRoles(Tx& tx, const std::string& user_id) override {
    ANXIN_ASSIGN_OR_RETURN(
        std::vector<Row> rows,
        tx.Query("SELECT ur.role_code FROM user_roles ur JOIN roles r ON r.code = ur.role_code "
                 "WHERE ur.user_id = ? ORDER BY r.sort_order, r.code",
                 {user_id}));
    std::vector<std::string> roles;
    roles.reserve(rows.size());
    for (const Row& row : rows) roles.push_back(row.Text(0));
    return roles;
  }

  Result<std::set<std::string>> UserPermissions(Tx& tx, const std::string& user_id) override {
    ANXIN_ASSIGN_OR_RETURN(
        std::vector<Row> rows,
        tx.Query("SELECT DISTINCT rp.permission_code FROM user_roles ur "
                 "JOIN role_permissions rp ON rp.role_code = ur.role_code WHERE ur.user_id = ?",
                 {user_id}));
    std::set<std::string> permissions;
    for (const Row& row : rows) permissions.insert(row.Text(0));
    return permissions;
  }

  Status ReplaceUserRoles(Tx& tx, const std::string& user_id,
                          const std::vector<std::string>& roles) override {
    ANXIN_RETURN_IF_ERROR(tx.Exec("DELETE FROM user_roles WHERE user_id = ?", {user_id}).status());
    for (const std::string& role : roles) {
      ANXIN_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO user_roles (user_id, role_code) VALUES (?, ?)", {user_id, role}).status());
    }
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<IdentityStore> MakeSqlIdentityStore() { return std::make_unique<SqlIdentityStore>(); }

}  // namespace anxin::identity
