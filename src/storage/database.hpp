#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.hpp"

namespace anxin::storage {

enum class Dialect { kSqlite, kPostgres };

// A bound parameter or a column value. Booleans are stored as 0/1 integers, times as Unix
// milliseconds, money as integer fen, binary data as base64 text: one schema serves both backends.
using Value = std::variant<std::monostate, int64_t, std::string>;

// One result row. Columns are addressed by position, in the order of the SELECT list.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  [[nodiscard]] size_t size() const { return values_.size(); }
  [[nodiscard]] bool IsNull(size_t i) const;
  // Returns column `i` as an integer (0 when NULL). Text columns holding digits are parsed (libpq
  // returns text).
  [[nodiscard]] int64_t Int(size_t i) const;
  // Returns column `i` as text ("" when NULL; integers are formatted).
  [[nodiscard]] std::string Text(size_t i) const;
  // Returns column `i` as text, or nullopt when NULL.
  [[nodiscard]] std::optional<std::string> OptText(size_t i) const;
  // Returns column `i` as an integer, or nullopt when NULL.
  [[nodiscard]] std::optional<int64_t> OptInt(size_t i) const;

 private:
  std::vector<Value> values_;
};

// The work of one transaction. SQL uses `?` placeholders in both dialects (the PostgreSQL backend
// rewrites them to $1, $2, ...). Statements are prepared once per connection and cached.
// Errors are translated at this boundary: unique violation -> kAlreadyExists ("conflict"),
// serialization failure / deadlock / busy -> kAborted ("conflict_retry"), lost connection or disk
// failure -> kUnavailable, anything else -> kInternal.
// After a statement fails, the transaction is spent on both backends (PostgreSQL aborts it): later
// statements return kInternal ("tx_aborted") and the work must return an error; work that returns
// OK after a failed statement gets kInternal from Write/Read and nothing of it is kept. Expected
// duplicates are handled in SQL (`ON CONFLICT ... DO NOTHING`), not by catching kAlreadyExists and
// carrying on.
// A Tx is used by one thread at a time and must not outlive the Write/Read call that gave it.
class Tx {
 public:
  virtual ~Tx() = default;

  [[nodiscard]] virtual Dialect dialect() const = 0;

  // Runs a statement that returns rows.
  virtual Result<std::vector<Row>> Query(std::string_view sql, std::span<const Value> params) = 0;
  // Runs a statement and returns the number of rows it changed.
  virtual Result<int64_t> Exec(std::string_view sql, std::span<const Value> params) = 0;

  Result<std::vector<Row>> Query(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  Result<int64_t> Exec(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Exec(sql, std::span<const Value>(params.begin(), params.size()));
  }
  // Runs a query expected to return at most one row: returns that row, nullopt when there is none,
  // or kInternal when there are several.
  Result<std::optional<Row>> QueryOne(std::string_view sql, std::initializer_list<Value> params = {});
  Result<std::optional<Row>> QueryOne(std::string_view sql, std::span<const Value> params);

  // Runs a script of several statements without parameters (migrations), in this transaction.
  // Scripts must not contain BEGIN/COMMIT.
  virtual Status ExecScript(std::string_view sql) = 0;
};

// Counters a backend keeps for /metrics.
struct DatabaseStats {
  uint64_t commits = 0;       // physical commits (one per group on SQLite)
  uint64_t transactions = 0;  // logical write transactions committed
  uint64_t failed_transactions = 0;
  uint64_t retries = 0;  // serialization failures retried (PostgreSQL)
  // Commit latency histogram: counts of commits at or under each bound, in seconds.
  std::vector<double> commit_latency_bounds;
  std::vector<uint64_t> commit_latency_counts;
  double commit_latency_sum_seconds = 0;
};

using Work = std::function<Status(Tx&)>;

// How a write session ends (Database::WriteSession): what its body decided once it had run.
struct SessionEnd {
  // Runs last in the session's transaction, after everything the body wrote (the idempotency
  // layer stores the request's answer here). Empty: nothing to add. Its error undoes the whole
  // session and is what WriteSession returns.
  Work seal;
  // Undo everything the body wrote; `seal` does not run.
  bool rollback = false;
};

using SessionBody = std::function<SessionEnd()>;

// A database: SQLite (one writer thread with group commit, a pool of readers) or PostgreSQL (a
// connection pool). Thread-safe; a write session belongs to the thread that runs it.
class Database {
 public:
  virtual ~Database() = default;

  [[nodiscard]] virtual Dialect dialect() const = 0;

  // Runs `work` in a write transaction and returns once its effects are durable on disk, or not
  // applied at all. If `work` returns an error, none of its writes are kept and that error is
  // returned. On kAborted conflicts the backend may run `work` again, so `work` must be safe to
  // repeat (it should only talk to the Tx and to its own captured state). Keep `work` to database
  // calls: on SQLite it runs on the single writer thread and delays every other write, so do slow
  // computation (password hashing) before calling Write. Must not call Write itself.
  // Inside a write session bound to the calling thread (WriteSession), `work` instead joins the
  // session's transaction in a savepoint of its own: an error still undoes only this work, but
  // OK means "applied, durable when the session commits", not "durable".
  virtual Status Write(const Work& work) = 0;

  // Runs `work` on a read-only snapshot. Inside a write session that has written, `work` runs in
  // the session's transaction instead (still read-only), so it sees the session's own writes.
  virtual Status Read(const Work& work) = 0;

  // Runs `body` with a write session bound to the calling thread, so that everything the body
  // writes and the seal it returns commit together, once, or not at all. While `body` runs,
  // every Write and Read this thread makes on this database joins the session (see Write and
  // Read); the transaction begins at the first Write, so preparation before it holds nothing.
  // When `body` returns, its seal runs last in the same transaction and the session commits, or,
  // with `rollback`, everything it wrote is undone. If it wrote nothing, the seal runs as a Write.
  // Returns OK once the body's writes and the seal are durable (or undone, when asked); the
  // seal's error, kUnavailable or kInternal (commit or disk failure; an exception thrown by
  // `body`) with nothing of the session kept. A PostgreSQL commit that fails with the connection
  // lost may nevertheless have committed: kUnavailable then means "unknown".
  // The backend may undo the session and run `body` again from the start when the transaction
  // cannot go on through no fault of its own: after a PostgreSQL serialization failure or
  // deadlock (8 attempts in all), or on SQLite when another session of the same group commit was
  // undone (up to 64 times; each such undo ends the session that caused it). Past that it returns
  // kAborted "conflict_retry". So `body` must be safe to run again, as `work` is for Write.
  // SQLite: from its first Write to its end a session holds back the commit of its group (other
  // writes keep running meanwhile); a session that stays idle for longer than
  // DatabaseOptions::session_idle_limit_ms while its group waits for it is undone, and answers
  // kUnavailable "write_session_timeout".
  // Writes of other threads, or made after `body` returned, are not part of the session. Must
  // not be called from inside a session or from a Write's work (kInternal).
  virtual Status WriteSession(const SessionBody& body) = 0;

  // Returns OK if the database answers a trivial query.
  virtual Status Ping() = 0;

  [[nodiscard]] virtual DatabaseStats Stats() const = 0;

  // Convenience: runs `fn` (returning Result<T>) in a write transaction and returns its value.
  template <typename T, typename Fn>
  Result<T> WriteResult(Fn&& fn) {
    std::optional<T> out;
    Status s = Write([&](Tx& tx) -> Status {
      Result<T> r = fn(tx);
      if (!r.ok()) return std::move(r).take_status();
      out = std::move(r).value();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return std::move(*out);
  }

  // Convenience: runs `fn` (returning Result<T>) in a read transaction and returns its value.
  template <typename T, typename Fn>
  Result<T> ReadResult(Fn&& fn) {
    std::optional<T> out;
    Status s = Read([&](Tx& tx) -> Status {
      Result<T> r = fn(tx);
      if (!r.ok()) return std::move(r).take_status();
      out = std::move(r).value();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return std::move(*out);
  }
};

struct DatabaseOptions {
  // "sqlite:///abs/path.db", "sqlite:relative/path.db", "sqlite::memory:" (tests: a private
  // temporary file, deleted when the Database is destroyed), or "postgresql://..." / "postgres://..."
  // (a libpq connection URI).
  std::string url;
  int read_connections = 4;  // SQLite readers / PostgreSQL pool size
  int max_group_size = 256;  // SQLite: transactions grouped into one commit at most
  int busy_timeout_ms = 5000;
  // SQLite: how long a write session may stay idle while its group commit waits for it.
  int session_idle_limit_ms = 2000;
};

// Opens the database named by `options.url`. Returns kInvalidArgument for an unknown scheme and
// kUnavailable when the database cannot be reached.
Result<std::unique_ptr<Database>> OpenDatabase(const DatabaseOptions& options);

// Applies the numbered schema migrations not yet applied (safe to run concurrently from several
// nodes on PostgreSQL: they take an advisory lock). Returns the number applied.
Result<int> Migrate(Database& db);

}  // namespace anxin::storage
