#include "storage/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/internal.hpp"

namespace anxin::storage::sqlite {
namespace {

// Statements cached per connection at most; beyond this the cache is emptied (only SQL built at
// run time, such as IN lists of varying length, can get there).
constexpr size_t kMaxCachedStatements = 512;

// Translates a SQLite result code into the storage error contract.
Status TranslateError(sqlite3* db, int rc, std::string_view sql) {
  const int primary = rc & 0xff;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) return internal::ConflictStatus();
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return internal::RetryStatus();
  std::string detail = std::string("sqlite: ") + sqlite3_errstr(rc);
  if (db != nullptr) detail += std::string(": ") + sqlite3_errmsg(db);
  if (!sql.empty()) detail += " in: " + std::string(sql);
  if (primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN) {
    return internal::UnavailableStatus(detail);
  }
  return Status::Internal(detail);
}

// One sqlite3 connection and its prepared statements. Used by one thread at a time.
class Connection {
 public:
  ~Connection() {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Opens `path` read-write (creating it) or read-only and applies the connection settings.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool read_only,
                                                  int busy_timeout_ms) {
    sqlite3* db = nullptr;
    const int flags =
        (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    std::unique_ptr<Connection> conn(new Connection(db));
    if (rc != SQLITE_OK) {
      return internal::UnavailableStatus(std::string("cannot open SQLite database ") + path + ": " +
                                         (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busy_timeout_ms);
    if (!read_only) {
      ANXIN_ASSIGN_OR_RETURN(std::string mode, conn->QueryText("PRAGMA journal_mode=WAL"));
      if (mode != "wal") return Status::Internal("SQLite refused WAL mode (got " + mode + ") for " + path);
    }
    ANXIN_RETURN_IF_ERROR(conn->Run("PRAGMA synchronous=FULL"));
    ANXIN_RETURN_IF_ERROR(conn->Run("PRAGMA foreign_keys=ON"));
    // Savepoint and statement journals stay in memory instead of spilling to temporary files past
    // 64 KiB (a group run with savepoints journals every page each request touches). They only
    // ever undo work inside the open transaction; durability rests on the WAL alone.
    ANXIN_RETURN_IF_ERROR(conn->Run("PRAGMA temp_store=MEMORY"));
    return conn;
  }

  [[nodiscard]] sqlite3* handle() const { return db_; }

  // Returns the cached statement for `sql`, preparing it on first use.
  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    if (auto it = statements_.find(sql); it != statements_.end()) return it->second;
    std::string key(sql);
    if (statements_.size() >= kMaxCachedStatements) {
      for (auto& [text, stmt] : statements_) sqlite3_finalize(stmt);
      statements_.clear();
    }
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) return TranslateError(db_, rc, sql);
    if (stmt == nullptr) return Status::Internal("empty SQL statement");
    for (const char* p = tail; p != nullptr && *p != '\0'; ++p) {
      if (std::string_view(" \t\r\n;").find(*p) == std::string_view::npos) {
        sqlite3_finalize(stmt);
        return Status::Internal("several statements in one Query/Exec (use ExecScript): " + key);
      }
    }
    statements_.emplace(std::move(key), stmt);
    return stmt;
  }

  // Runs a statement without parameters or results (BEGIN, COMMIT, SAVEPOINT, PRAGMA).
  // Cached like any statement: the writer runs BEGIN, SAVEPOINT, RELEASE and COMMIT all the time.
  Status Run(const char* sql) {
    ANXIN_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    int rc = sqlite3_step(stmt);
    while (rc == SQLITE_ROW) rc = sqlite3_step(stmt);
    Status status =
        rc == SQLITE_DONE ? Status::Ok() : TranslateError(db_, sqlite3_extended_errcode(db_), sql);
    sqlite3_reset(stmt);
    return status;
  }

  // Returns the first column of the first row of `sql` as text.
  Result<std::string> QueryText(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr);
    if (rc != SQLITE_OK) return TranslateError(db_, rc, sql);
    std::string out;
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      if (text != nullptr) out = reinterpret_cast<const char*>(text);
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return TranslateError(db_, rc, sql);
    return out;
  }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  // Looks statements up by string_view, without building a std::string per statement run.
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> statements_;
};

// Resets a cached statement when the call using it ends, so no statement stays active.
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StatementReset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

class SqliteTx final : public Tx {
 public:
  explicit SqliteTx(Connection& conn) : conn_(conn) {}

  using Tx::Exec;
  using Tx::Query;

  [[nodiscard]] Dialect dialect() const override { return Dialect::kSqlite; }

  Result<std::vector<Row>> Query(std::string_view sql, std::span<const Value> params) override {
    std::vector<Row> rows;
    ANXIN_RETURN_IF_ERROR(Remember(Run(sql, params, &rows)));
    return rows;
  }

  Result<int64_t> Exec(std::string_view sql, std::span<const Value> params) override {
    ANXIN_RETURN_IF_ERROR(Remember(Run(sql, params, nullptr)));
    return static_cast<int64_t>(sqlite3_changes64(conn_.handle()));
  }

  Status ExecScript(std::string_view sql) override {
    if (failure_) return internal::TxAbortedStatus();
    const std::string script(sql);
    char* error = nullptr;
    const int rc = sqlite3_exec(conn_.handle(), script.c_str(), nullptr, nullptr, &error);
    sqlite3_free(error);
    if (rc != SQLITE_OK) {
      return Remember(TranslateError(conn_.handle(), sqlite3_extended_errcode(conn_.handle()), "<script>"));
    }
    return Status::Ok();
  }

  // The first statement failure, if any.
  [[nodiscard]] const std::optional<Status>& failure() const { return failure_; }

 private:
  Status Remember(Status status) {
    if (!status.ok() && !failure_) failure_ = status;
    return status;
  }

  Status Run(std::string_view sql, std::span<const Value> params, std::vector<Row>* rows) {
    if (failure_) return internal::TxAbortedStatus();
    ANXIN_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, conn_.Prepare(sql));
    StatementReset reset(stmt);
    const int expected = sqlite3_bind_parameter_count(stmt);
    if (expected != static_cast<int>(params.size())) {
      return Status::Internal("statement wants " + std::to_string(expected) + " parameters, got " +
                              std::to_string(params.size()) + ": " + std::string(sql));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      int rc = SQLITE_OK;
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_null(stmt, index);
      }
      if (rc != SQLITE_OK) return TranslateError(conn_.handle(), rc, sql);
    }
    while (true) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW)
        return TranslateError(conn_.handle(), sqlite3_extended_errcode(conn_.handle()), sql);
      if (rows == nullptr) continue;
      const int columns = sqlite3_column_count(stmt);
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          case SQLITE_NULL:
            values.emplace_back(std::monostate());
            break;
          default: {  // text, blob, and floats (as their text form)
            const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, c));
            if (sqlite3_column_type(stmt, c) != SQLITE_BLOB) {
              data = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            }
            const int size = sqlite3_column_bytes(stmt, c);
            values.emplace_back(std::string(data != nullptr ? data : "", static_cast<size_t>(size)));
          }
        }
      }
      rows->emplace_back(std::move(values));
    }
  }

  Connection& conn_;
  std::optional<Status> failure_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::unique_ptr<Connection> writer, std::vector<std::unique_ptr<Connection>> readers,
                 const DatabaseOptions& options)
      : max_group_size_(static_cast<size_t>(std::max(1, options.max_group_size))),
        writer_(std::move(writer)),
        idle_readers_(std::move(readers)) {
    writer_thread_ = std::thread([this] { WriterLoop(); });
  }

  ~SqliteDatabase() override {
    {
      std::lock_guard lock(queue_mu_);
      stopping_ = true;
    }
    queue_cv_.notify_all();
    writer_thread_.join();
  }

  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  [[nodiscard]] Dialect dialect() const override { return Dialect::kSqlite; }

  Status Write(const Work& work) override {
    if (std::this_thread::get_id() == writer_thread_.get_id()) {
      return Status::Internal("Database::Write called from inside a write transaction");
    }
    WriteRequest request{&work};
    std::unique_lock lock(queue_mu_);
    queue_.push_back(&request);
    queue_cv_.notify_one();
    done_cv_.wait(lock, [&] { return request.done; });
    return std::move(request.status);
  }

  Status Read(const Work& work) override {
    std::unique_ptr<Connection> conn = AcquireReader();
    Status status = ReadOn(*conn, work);
    ReleaseReader(std::move(conn));
    return status;
  }

  Status Ping() override {
    return Read([](Tx& tx) { return tx.Query("SELECT 1").status(); });
  }

  [[nodiscard]] DatabaseStats Stats() const override { return stats_.Snapshot(); }

 private:
  struct WriteRequest {
    const Work* work;
    Status status;
    bool done = false;
  };

  void WriterLoop() {
    std::vector<WriteRequest*> group;
    while (true) {
      {
        std::unique_lock lock(queue_mu_);
        queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and nothing left to do
        while (!queue_.empty() && group.size() < max_group_size_) {
          group.push_back(queue_.front());
          queue_.pop_front();
        }
      }
      RunGroup(group);
      uint64_t failures = 0;
      for (const WriteRequest* request : group) failures += request->status.ok() ? 0 : 1;
      if (failures > 0) stats_.RecordFailures(failures);
      {
        std::lock_guard lock(queue_mu_);
        for (WriteRequest* request : group) request->done = true;
      }
      done_cv_.notify_all();
      group.clear();
    }
  }

  // Runs `group` in as few transactions as possible (one, unless SQLite abandons a transaction
  // midway), each request inside its own savepoint so that one failure does not undo another,
  // and sets every request's status. A request gets OK only once its COMMIT returned.
  void RunGroup(const std::vector<WriteRequest*>& group) { RunWithSavepoints(group); }

  // Runs `group` with a savepoint per request, so a failed request's writes are undone alone.
  void RunWithSavepoints(const std::vector<WriteRequest*>& group) {
    sqlite3* db = writer_->handle();
    size_t next = 0;
    while (next < group.size()) {
      if (Status begin = writer_->Run("BEGIN IMMEDIATE"); !begin.ok()) {
        for (; next < group.size(); ++next) group[next]->status = begin;
        return;
      }
      std::vector<WriteRequest*> applied;
      std::optional<Status> lost;  // set when the transaction can no longer be committed
      for (; next < group.size() && !lost; ++next) {
        WriteRequest& request = *group[next];
        if (Status s = writer_->Run("SAVEPOINT anxin_work"); !s.ok()) {
          lost = s;
          request.status = s;
          continue;
        }
        SqliteTx tx(*writer_);
        Status status = internal::RunWork(*request.work, tx);
        if (status.ok() && tx.failure()) status = internal::IgnoredErrorStatus(*tx.failure());
        if (sqlite3_get_autocommit(db) != 0) {  // SQLite rolled the whole transaction back
          lost = internal::UnavailableStatus("SQLite abandoned the write transaction");
          request.status = status.ok() ? *lost : status;
          continue;
        }
        if (status.ok()) {
          status = writer_->Run("RELEASE anxin_work");
        }
        if (!status.ok()) {
          Status undo = writer_->Run("ROLLBACK TO anxin_work");
          if (undo.ok()) undo = writer_->Run("RELEASE anxin_work");
          if (!undo.ok()) lost = undo;
        }
        request.status = std::move(status);
        if (request.status.ok()) applied.push_back(&request);
      }
      if (lost) {
        if (sqlite3_get_autocommit(db) == 0) (void)writer_->Run("ROLLBACK");
        for (WriteRequest* request : applied) request->status = *lost;
        continue;  // the rest of the group gets a fresh transaction
      }
      const auto start = std::chrono::steady_clock::now();
      Status commit = writer_->Run("COMMIT");
      const auto latency = std::chrono::steady_clock::now() - start;
      if (commit.ok()) {
        stats_.RecordCommit(latency, applied.size());
        continue;
      }
      if (sqlite3_get_autocommit(db) == 0) (void)writer_->Run("ROLLBACK");
      if (commit.code() != StatusCode::kUnavailable)
        commit = Status::Internal("COMMIT failed: " + commit.ToString());
      for (WriteRequest* request : applied) request->status = commit;
    }
  }

  static Status ReadOn(Connection& conn, const Work& work) {
    ANXIN_RETURN_IF_ERROR(conn.Run("BEGIN"));
    SqliteTx tx(conn);
    Status status = internal::RunWork(work, tx);
    if (status.ok() && tx.failure()) status = internal::IgnoredErrorStatus(*tx.failure());
    if (sqlite3_get_autocommit(conn.handle()) == 0) {
      Status end = conn.Run(status.ok() ? "COMMIT" : "ROLLBACK");
      if (status.ok()) status = std::move(end);
      if (!status.ok() && sqlite3_get_autocommit(conn.handle()) == 0) (void)conn.Run("ROLLBACK");
    }
    return status;
  }

  std::unique_ptr<Connection> AcquireReader() {
    std::unique_lock lock(readers_mu_);
    readers_cv_.wait(lock, [&] { return !idle_readers_.empty(); });
    std::unique_ptr<Connection> conn = std::move(idle_readers_.back());
    idle_readers_.pop_back();
    return conn;
  }

  void ReleaseReader(std::unique_ptr<Connection> conn) {
    {
      std::lock_guard lock(readers_mu_);
      idle_readers_.push_back(std::move(conn));
    }
    readers_cv_.notify_one();
  }

  // Constant after construction.
  const size_t max_group_size_;
  // Used only by writer_thread_.
  std::unique_ptr<Connection> writer_;

  // The write queue. Guarded by queue_mu_.
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;  // the writer waits for requests or stopping_
  std::condition_variable done_cv_;   // callers wait for their request's `done`
  std::deque<WriteRequest*> queue_;
  bool stopping_ = false;

  // Idle read connections. Guarded by readers_mu_.
  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;

  internal::StatsRecorder stats_;
  std::thread writer_thread_;  // started last, joined first
};

// Returns a fresh directory under the system temporary directory.
Result<std::filesystem::path> MakeTempDir() {
  std::random_device random;
  std::error_code ec;
  const std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) return internal::UnavailableStatus("no temporary directory: " + ec.message());
  for (int attempt = 0; attempt < 16; ++attempt) {
    const std::filesystem::path dir =
        base / ("anxin-sqlite-" + std::to_string(random()) + std::to_string(random()));
    if (std::filesystem::create_directory(dir, ec)) return dir;
  }
  return internal::UnavailableStatus("cannot create a temporary directory under " + base.string());
}

Result<std::unique_ptr<Database>> OpenFile(const std::string& path, const DatabaseOptions& options) {
  ANXIN_ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer,
                         Connection::Open(path, /*read_only=*/false, options.busy_timeout_ms));
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < std::max(1, options.read_connections); ++i) {
    ANXIN_ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader,
                           Connection::Open(path, /*read_only=*/true, options.busy_timeout_ms));
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<Database>(
      std::make_unique<SqliteDatabase>(std::move(writer), std::move(readers), options));
}

}  // namespace

Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path,
                                                     const DatabaseOptions& options) {
  if (path == ":memory:") {
    ANXIN_ASSIGN_OR_RETURN(std::filesystem::path dir, MakeTempDir());
    Result<std::unique_ptr<Database>> db = OpenFile((dir / "anxin.db").string(), options);
    auto remove = [dir] {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    };
    if (!db.ok()) {
      remove();
      return db;
    }
    return internal::WithCleanup(std::move(db).value(), remove);
  }
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);  // a failure shows when opening the file
  }
  return OpenFile(path, options);
}

}  // namespace anxin::storage::sqlite
