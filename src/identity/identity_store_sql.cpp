// The identity store in SQL. One text per statement serves SQLite and PostgreSQL.
#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "identity/identity_store.hpp"

namespace anxin::identity {
namespace {

using storage::Row;
using storage::Tx;
using storage::Value;

constexpr std::string_view kOrgColumns =
    "o.id, o.code, o.name, o.level, o.parent_id, o.path, o.status, o.created_at, o.updated_at";

constexpr std::string_view kUserColumns =
    "u.id, u.login, u.display_name, u.kind, u.org_id, u.status, u.password_hash, u.phone_enc, u.phone_hash, "
    "u.id_type, u.id_number_enc, u.id_number_hash, u.failed_logins, u.locked_until, u.created_at, "
    "u.updated_at";
constexpr size_t kUserColumnCount = 16;

constexpr std::string_view kSessionColumns =
    "s.id, s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.idle_timeout_ms, "
    "s.client_address, s.revoked_at";
constexpr size_t kSessionColumnCount = 9;

Value Opt(const std::optional<std::string>& value) {
  if (!value) return std::monostate{};
  return *value;
}

Value Opt(const std::optional<int64_t>& value) {
  if (!value) return std::monostate{};
  return *value;
}

Value NullIfEmpty(const std::string& value) {
  if (value.empty()) return std::monostate{};
  return value;
}

// Escapes LIKE wildcards with '!' (every LIKE here says ESCAPE '!').
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

Result<Org> OrgFromRow(const Row& row, size_t at) {
  Org org;
  org.id = row.Text(at);
  org.code = row.Text(at + 1);
  org.name = row.Text(at + 2);
  auto level = ParseOrgLevel(row.Text(at + 3));
  auto status = ParseActiveState(row.Text(at + 6));
  if (!level || !status) return Status::Internal("orgs row " + org.id + " has an unknown level or status");
  org.level = *level;
  org.parent_id = row.Text(at + 4);
  org.path = row.Text(at + 5);
  org.status = *status;
  org.created_at_ms = row.Int(at + 7);
  org.updated_at_ms = row.Int(at + 8);
  return org;
}

Result<User> UserFromRow(const Row& row, size_t at) {
  User user;
  user.id = row.Text(at);
  user.login = row.Text(at + 1);
  user.display_name = row.Text(at + 2);
  auto kind = ParseUserKind(row.Text(at + 3));
  auto status = ParseActiveState(row.Text(at + 5));
  if (!kind || !status) return Status::Internal("users row " + user.id + " has an unknown kind or status");
  user.kind = *kind;
  user.org_id = row.Text(at + 4);
  user.status = *status;
  user.password_hash = row.Text(at + 6);
  user.phone_enc = row.OptText(at + 7);
  user.phone_hash = row.OptText(at + 8);
  user.id_type = row.OptText(at + 9);
  user.id_number_enc = row.OptText(at + 10);
  user.id_number_hash = row.OptText(at + 11);
  user.failed_logins = row.Int(at + 12);
  user.locked_until_ms = row.OptInt(at + 13);
  user.created_at_ms = row.Int(at + 14);
  user.updated_at_ms = row.Int(at + 15);
  return user;
}

Session SessionFromRow(const Row& row, size_t at) {
  Session s;
  s.id = row.Text(at);
  s.token_hash = row.Text(at + 1);
  s.user_id = row.Text(at + 2);
  s.created_at_ms = row.Int(at + 3);
  s.last_seen_at_ms = row.Int(at + 4);
  s.expires_at_ms = row.Int(at + 5);
  s.idle_timeout_ms = row.Int(at + 6);
  s.client_address = row.Text(at + 7);
  s.revoked_at_ms = row.OptInt(at + 8);
  return s;
}

std::string Sql(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p);
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
    std::string sql = Sql({"SELECT ", kOrgColumns, " FROM orgs o WHERE o.id > ?"});
    std::vector<Value> params{query.after_id};
    if (!query.scope_path.empty()) {
      sql += " AND o.path LIKE ? ESCAPE '!'";
      params.emplace_back(EscapeLike(query.scope_path) + "%");
    }
    if (query.parent_id) {
      sql += " AND o.parent_id = ?";
      params.emplace_back(*query.parent_id);
    }
    sql += " ORDER BY o.id LIMIT ?";
    params.emplace_back(static_cast<int64_t>(query.limit));
    ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(sql, params));
    std::vector<Org> orgs;
    orgs.reserve(rows.size());
    for (const Row& row : rows) {
      ANXIN_ASSIGN_OR_RETURN(Org org, OrgFromRow(row, 0));
      // The LIKE above is the scope; this guards against SQLite's case-insensitive LIKE.
      if (!query.scope_path.empty() && org.path.compare(0, query.scope_path.size(), query.scope_path) != 0)
        continue;
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

  Result<std::optional<User>> FindUser(Tx& tx, const std::string& id) override {
    return QueryOneUser(tx, Sql({"SELECT ", kUserColumns, " FROM users u WHERE u.id = ?"}), {id});
  }

  Result<std::optional<User>> FindUserByLogin(Tx& tx, const std::string& login) override {
    return QueryOneUser(tx, Sql({"SELECT ", kUserColumns, " FROM users u WHERE u.login = ?"}), {login});
  }

  Result<std::optional<User>> FindUserByIdNumberHash(Tx& tx, const std::string& id_type,
                                                     const std::string& id_number_hash) override {
    return QueryOneUser(
        tx, Sql({"SELECT ", kUserColumns, " FROM users u WHERE u.id_type = ? AND u.id_number_hash = ?"}),
        {id_type, id_number_hash});
  }

  Status InsertUser(Tx& tx, const User& user) override {
    return tx
        .Exec(
            "INSERT INTO users (id, login, display_name, kind, org_id, status, password_hash, phone_enc, "
            "phone_hash, "
            "id_type, id_number_enc, id_number_hash, failed_logins, locked_until, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {user.id, user.login, user.display_name, std::string(UserKindName(user.kind)),
             NullIfEmpty(user.org_id), std::string(ActiveStateName(user.status)), user.password_hash,
             Opt(user.phone_enc), Opt(user.phone_hash), Opt(user.id_type), Opt(user.id_number_enc),
             Opt(user.id_number_hash), user.failed_logins, Opt(user.locked_until_ms), user.created_at_ms,
             user.updated_at_ms})
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
    return tx
        .Exec(
            "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL, updated_at = ? "
            "WHERE id = ?",
            {hash, now_ms, user_id})
        .status();
  }

  Result<LoginFailure> RecordLoginFailure(Tx& tx, const std::string& user_id, int max_failures,
                                          int64_t lock_until_ms, int64_t now_ms) override {
    // One statement, so concurrent failures each count.
    ANXIN_ASSIGN_OR_RETURN(
        std::optional<Row> row,
        tx.QueryOne("UPDATE users SET failed_logins = failed_logins + 1, "
                    "locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END, "
                    "updated_at = ? WHERE id = ? RETURNING failed_logins, locked_until",
                    {static_cast<int64_t>(max_failures), lock_until_ms, now_ms, user_id}));
    if (!row) return Status::NotFound("user");
    return LoginFailure{row->Int(0), row->OptInt(1)};
  }

  Status ClearLoginFailures(Tx& tx, const std::string& user_id) override {
    return tx
        .Exec(
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ? AND "
            "(failed_logins <> 0 OR locked_until IS NOT NULL)",
            {user_id})
        .status();
  }

  Result<std::vector<User>> ListUsers(Tx& tx, const UserQuery& query) override {
    std::string sql = Sql({"SELECT ", kUserColumns,
                           ", o.path FROM users u LEFT JOIN orgs o ON o.id = u.org_id "
                           "WHERE u.kind = ? AND u.id > ?"});
    std::vector<Value> params{std::string(UserKindName(query.kind)), query.after_id};
    const bool scoped = query.kind == UserKind::kStaff && !query.scope_path.empty();
    if (scoped) {
      sql += " AND o.path LIKE ? ESCAPE '!'";
      params.emplace_back(EscapeLike(query.scope_path) + "%");
    }
    if (query.role) {
      sql += " AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role_code = ?)";
      params.emplace_back(*query.role);
    }
    if (query.text) {
      std::string pattern = "%" + EscapeLike(LowerAscii(*query.text)) + "%";
      sql += " AND (u.login LIKE ? ESCAPE '!' OR LOWER(u.display_name) LIKE ? ESCAPE '!')";
      params.emplace_back(pattern);
      params.emplace_back(pattern);
    }
    sql += " ORDER BY u.id LIMIT ?";
    params.emplace_back(static_cast<int64_t>(query.limit));
    ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(sql, params));
    std::vector<User> users;
    users.reserve(rows.size());
    for (const Row& row : rows) {
      if (scoped) {
        std::string path = row.Text(kUserColumnCount);
        if (path.compare(0, query.scope_path.size(), query.scope_path) != 0) continue;
      }
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
      auto kind = ParseUserKind(row.Text(3));
      if (!kind) return Status::Internal("roles row " + role.code + " has an unknown kind");
      role.kind = *kind;
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

  Status InsertSession(Tx& tx, const Session& s) override {
    return tx
        .Exec(
            "INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at, "
            "idle_timeout_ms, "
            "client_address, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {s.id, s.token_hash, s.user_id, s.created_at_ms, s.last_seen_at_ms, s.expires_at_ms,
             s.idle_timeout_ms, s.client_address, Opt(s.revoked_at_ms)})
        .status();
  }

  Result<std::optional<SessionLookup>> FindSessionByTokenHash(Tx& tx,
                                                              const std::string& token_hash) override {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row,
                           tx.QueryOne(Sql({"SELECT ", kSessionColumns, ", ", kUserColumns,
                                            ", o.path FROM sessions s JOIN users u ON u.id = s.user_id "
                                            "LEFT JOIN orgs o ON o.id = u.org_id WHERE s.token_hash = ?"}),
                                       {token_hash}));
    if (!row) return std::optional<SessionLookup>();
    SessionLookup lookup;
    lookup.session = SessionFromRow(*row, 0);
    ANXIN_ASSIGN_OR_RETURN(lookup.user, UserFromRow(*row, kSessionColumnCount));
    lookup.org_path = row->Text(kSessionColumnCount + kUserColumnCount);
    return std::optional<SessionLookup>(std::move(lookup));
  }

  Status TouchSession(Tx& tx, const std::string& session_id, int64_t now_ms, int64_t not_before_ms) override {
    return tx
        .Exec("UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?",
              {now_ms, session_id, not_before_ms})
        .status();
  }

  Result<int64_t> RevokeSession(Tx& tx, const std::string& session_id, int64_t now_ms) override {
    return tx.Exec("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                   {now_ms, session_id});
  }

  Result<int64_t> RevokeUserSessions(Tx& tx, const std::string& user_id, const std::string& keep_session_id,
                                     int64_t now_ms) override {
    return tx.Exec(
        "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL AND "
        "expires_at > ?",
        {now_ms, user_id, keep_session_id, now_ms});
  }

  Result<std::vector<Session>> ListLiveSessions(Tx& tx, const std::string& user_id, int64_t now_ms) override {
    ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows,
                           tx.Query(Sql({"SELECT ", kSessionColumns,
                                         " FROM sessions s WHERE s.user_id = ? AND s.revoked_at IS NULL "
                                         "AND s.expires_at > ? ORDER BY s.created_at DESC, s.id"}),
                                    {user_id, now_ms}));
    std::vector<Session> sessions;
    sessions.reserve(rows.size());
    for (const Row& row : rows) sessions.push_back(SessionFromRow(row, 0));
    return sessions;
  }
};

}  // namespace

std::unique_ptr<IdentityStore> MakeSqlIdentityStore() { return std::make_unique<SqlIdentityStore>(); }

}  // namespace anxin::identity
