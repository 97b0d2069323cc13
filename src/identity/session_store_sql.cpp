// The session store in SQL. One text per statement serves SQLite and PostgreSQL.
#include <string>
#include <utility>
#include <vector>

#include "identity/identity_sql_rows.hpp"
#include "identity/session_store.hpp"
#include "storage/sql_filter.hpp"

namespace anxin::identity {
namespace {

using sql::kUserColumnCount;
using sql::kUserColumns;
using sql::Opt;
using sql::Sql;
using sql::UserFromRow;
using storage::Row;
using storage::Tx;

constexpr std::string_view kSessionColumns =
    "s.id, s.token_hash, s.csrf_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, "
    "s.idle_timeout_ms, s.client_address, s.revoked_at";
constexpr size_t kSessionColumnCount = 10;
// A session with its user and the user's organisation path, by token hash.
constexpr std::string_view kSessionJoins =
    ", o.path FROM sessions s JOIN users u ON u.id = s.user_id "
    "LEFT JOIN orgs o ON o.id = u.org_id WHERE s.token_hash = ?";

Session SessionFromRow(const Row& row, size_t at) {
  Session s;
  s.id = row.Text(at);
  s.token_hash = row.Text(at + 1);
  s.csrf_hash = row.OptText(at + 2);
  s.user_id = row.Text(at + 3);
  s.created_at_ms = row.Int(at + 4);
  s.last_seen_at_ms = row.Int(at + 5);
  s.expires_at_ms = row.Int(at + 6);
  s.idle_timeout_ms = row.Int(at + 7);
  s.client_address = row.Text(at + 8);
  s.revoked_at_ms = row.OptInt(at + 9);
  return s;
}

ThrottleCounter CounterFromRow(const Row& row) {
  return ThrottleCounter{row.Int(0), row.Int(1), row.Int(2), row.Int(3)};
}

std::string ScopeText(ThrottleScope scope) { return std::string(ThrottleScopeName(scope)); }

class SqlSessionStore final : public SessionStore {
 public:
  Status InsertSession(Tx& tx, const Session& s) override {
    return tx
        .Exec(
            "INSERT INTO sessions (id, token_hash, csrf_hash, user_id, created_at, last_seen_at, expires_at, "
            "idle_timeout_ms, client_address, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {s.id, s.token_hash, Opt(s.csrf_hash), s.user_id, s.created_at_ms, s.last_seen_at_ms,
             s.expires_at_ms, s.idle_timeout_ms, s.client_address, Opt(s.revoked_at_ms)})
        .status();
  }

  Result<std::optional<SessionLookup>> FindSessionByTokenHash(Tx& tx,
                                                              const std::string& token_hash) override {
    ANXIN_ASSIGN_OR_RETURN(
        std::optional<Row> row,
        tx.QueryOne(Sql({"SELECT ", kSessionColumns, ", ", kUserColumns, kSessionJoins}), {token_hash}));
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

  Result<int64_t> RevokeSubtreeSessions(Tx& tx, const std::string& org_path, int64_t now_ms) override {
    std::vector<storage::Value> params = {now_ms, now_ms};
    for (storage::Value& param : storage::PrefixParams(org_path)) params.push_back(std::move(param));
    return tx.Exec(
        "UPDATE sessions SET revoked_at = ? WHERE revoked_at IS NULL AND expires_at > ? AND user_id IN "
        "(SELECT u.id FROM users u JOIN orgs o ON o.id = u.org_id WHERE " +
            storage::StartsWithSql("o.path") + ")",
        params);
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

  Result<std::optional<ThrottleCounter>> FindThrottle(Tx& tx, ThrottleScope scope,
                                                      const std::string& key_hash) override {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row,
                           tx.QueryOne("SELECT window_start, failures, blocked_until, trusted_until FROM "
                                       "login_throttle WHERE scope = ? AND key_hash = ?",
                                       {ScopeText(scope), key_hash}));
    if (!row) return std::optional<ThrottleCounter>();
    return std::optional<ThrottleCounter>(CounterFromRow(*row));
  }

  Result<ThrottleCounter> LockThrottle(Tx& tx, ThrottleScope scope, const std::string& key_hash) override {
    // The no-op update of an existing row takes its row lock on PostgreSQL and returns the newest
    // committed values, so concurrent failures on several nodes each count.
    ANXIN_ASSIGN_OR_RETURN(
        std::optional<Row> row,
        tx.QueryOne("INSERT INTO login_throttle (scope, key_hash, window_start, failures, blocked_until, "
                    "trusted_until, expires_at) VALUES (?, ?, 0, 0, 0, 0, 0) ON CONFLICT (scope, key_hash) "
                    "DO UPDATE SET failures = login_throttle.failures "
                    "RETURNING window_start, failures, blocked_until, trusted_until",
                    {ScopeText(scope), key_hash}));
    if (!row) return Status::Internal("identity: throttle upsert returned no row");
    return CounterFromRow(*row);
  }

  Status SaveThrottle(Tx& tx, ThrottleScope scope, const std::string& key_hash, const ThrottleCounter& c,
                      int64_t expires_at_ms) override {
    ANXIN_ASSIGN_OR_RETURN(
        int64_t changed,
        tx.Exec(
            "UPDATE login_throttle SET window_start = ?, failures = ?, blocked_until = ?, trusted_until = ?, "
            "expires_at = ? WHERE scope = ? AND key_hash = ?",
            {c.window_start_ms, c.failures, c.blocked_until_ms, c.trusted_until_ms, expires_at_ms,
             ScopeText(scope), key_hash}));
    if (changed != 1) return Status::Internal("identity: throttle row to save is missing");
    return Status::Ok();
  }

  Status DeleteThrottle(Tx& tx, ThrottleScope scope, const std::string& key_hash) override {
    return tx
        .Exec("DELETE FROM login_throttle WHERE scope = ? AND key_hash = ?", {ScopeText(scope), key_hash})
        .status();
  }

  Result<int64_t> PurgeThrottle(Tx& tx, int64_t now_ms) override {
    return tx.Exec("DELETE FROM login_throttle WHERE expires_at < ?", {now_ms});
  }
};

}  // namespace

std::string_view ThrottleScopeName(ThrottleScope scope) {
  switch (scope) {
    case ThrottleScope::kPair:
      return "pair";
    case ThrottleScope::kClient:
      return "client";
    case ThrottleScope::kLogin:
      return "login";
  }
  return "pair";
}

std::unique_ptr<SessionStore> MakeSqlSessionStore() { return std::make_unique<SqlSessionStore>(); }

}  // namespace anxin::identity
