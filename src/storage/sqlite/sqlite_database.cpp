#include "storage/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <semaphore>
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

struct SessionState;

// One request to the writer thread. It lives on the stack of the thread that waits for it, which
// may destroy it as soon as `done` is released.
struct WriteRequest {
  enum class Kind {
    kWrite,         // Database::Write outside a session: answered after its group's commit
    kSessionWrite,  // a Write inside a session: answered as soon as it has run
    kSessionRead,   // a Read inside a session that has written: answered as soon as it has run
    kSessionEnd,    // a session's end (its seal, or its rollback): answered after the commit
  };

  Kind kind = Kind::kWrite;
  const Work* work = nullptr;       // null for a kSessionEnd without a seal
  SessionState* session = nullptr;  // the session kinds
  bool rollback = false;            // kSessionEnd: undo the session
  // Set by the writer before it releases `done`.
  Status status;
  bool joined = false;   // session kinds: the session is in a group commit
  bool restart = false;  // the session was undone through no fault of its own: run its body again
  std::binary_semaphore done{0};
};

// A write session as the writer sees it. Made by the session's thread before its first request;
// from then on only the writer thread reads or changes it.
struct SessionState {
  bool admitted = false;         // in the open group, whose commit waits for the session's end
  bool wrote = false;            // one of its Writes was kept: undoing it undoes the group
  WriteRequest* end = nullptr;   // its end, once run: waits for the group's commit
  std::optional<Status> undone;  // its work was undone: every later request of it gets this
  bool restart = false;          // with `undone`: the body is to run again
  std::chrono::steady_clock::time_point idle_since;  // when its last request was answered
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::unique_ptr<Connection> writer, std::vector<std::unique_ptr<Connection>> readers,
                 const DatabaseOptions& options)
      : max_group_size_(static_cast<size_t>(std::max(1, options.max_group_size))),
        session_idle_limit_(std::chrono::milliseconds(std::max(1, options.session_idle_limit_ms))),
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
    if (internal::SessionHooks* session = internal::BoundSession(this)) return session->Write(work);
    if (OnWriterThread()) return Status::Internal("Database::Write called from inside a write transaction");
    WriteRequest request;
    request.work = &work;
    Submit(request);
    return std::move(request.status);
  }

  Status Read(const Work& work) override {
    if (internal::SessionHooks* session = internal::BoundSession(this)) return session->Read(work);
    return ReadOnPool(work);
  }

  Status WriteSession(const SessionBody& body) override {
    if (internal::BoundSession(this) != nullptr || OnWriterThread()) return internal::NestedSessionStatus();
    for (int attempt = 1;; ++attempt) {
      SessionState state;
      Session session(*this, state);
      Status thrown;
      SessionEnd end = internal::RunBound(this, session, body, &thrown);
      if (!session.joined()) return internal::EndWithoutTransaction(*this, end, thrown);
      WriteRequest request;
      request.kind = WriteRequest::Kind::kSessionEnd;
      request.session = &state;
      request.rollback = end.rollback;
      if (!end.rollback && end.seal) request.work = &end.seal;
      Submit(request);
      if (request.restart) {
        if (attempt < internal::kMaxSessionRestarts) continue;
        stats_.RecordFailures(1);
        return internal::RetryStatus();
      }
      if (!thrown.ok()) return thrown;
      return std::move(request.status);
    }
  }

  Status Ping() override {
    return Read([](Tx& tx) { return tx.Query("SELECT 1").status(); });
  }

  [[nodiscard]] DatabaseStats Stats() const override { return stats_.Snapshot(); }

 private:
  // What Write and Read do on the thread a session is bound to: they become requests of the
  // session to the writer. Used by that thread only.
  class Session final : public internal::SessionHooks {
   public:
    Session(SqliteDatabase& db, SessionState& state) : db_(db), state_(state) {}

    Status Write(const Work& work) override { return Send(WriteRequest::Kind::kSessionWrite, work); }

    // Before the session has joined a group it has nothing uncommitted to see: a reader serves.
    Status Read(const Work& work) override {
      if (!joined_) return db_.ReadOnPool(work);
      return Send(WriteRequest::Kind::kSessionRead, work);
    }

    // Whether the session is in a group commit (it ran at least one Write there).
    [[nodiscard]] bool joined() const { return joined_; }

   private:
    Status Send(WriteRequest::Kind kind, const Work& work) {
      WriteRequest request;
      request.kind = kind;
      request.work = &work;
      request.session = &state_;
      db_.Submit(request);
      joined_ = joined_ || request.joined;
      return std::move(request.status);
    }

    SqliteDatabase& db_;
    SessionState& state_;
    bool joined_ = false;
  };

  // The group commit being built. Used only by the writer thread.
  struct Group {
    bool open = false;                    // BEGIN IMMEDIATE has run
    bool closing = false;                 // admits no new session: commits as soon as its sessions have ended
    size_t size = 0;                      // writes and sessions admitted
    std::vector<WriteRequest*> writes;    // plain writes run in it: answered at the commit
    std::vector<SessionState*> sessions;  // sessions admitted, ended or not
    size_t running = 0;                   // admitted sessions whose end has not run yet
  };

  [[nodiscard]] bool OnWriterThread() const { return std::this_thread::get_id() == writer_thread_.get_id(); }

  // Queues `request` for the writer and waits until it is answered.
  void Submit(WriteRequest& request) {
    {
      std::lock_guard lock(queue_mu_);
      queue_.push_back(&request);
    }
    queue_cv_.notify_one();
    request.done.acquire();
  }

  // Takes what is queued and runs it. A group commits once everything it took has run and every
  // session in it has ended; while sessions are still running, the writer goes on running other
  // requests in the same group, and admits new sessions only until it first runs out of work
  // (then the group is closing, and new sessions wait for the next group), so a group always ends.
  void WriterLoop() {
    while (true) {
      std::deque<WriteRequest*> batch;
      bool idle_expired = false;
      {
        std::unique_lock lock(queue_mu_);
        if (queue_.empty() && group_.running > 0 && !HeldWriteCanRun()) {
          // Out of work while sessions still run: the group admits no new session from now on.
          // Stopping waits for them too (or for their idle limit).
          group_.closing = true;
          idle_expired = !queue_cv_.wait_until(lock, IdleDeadline(), [&] { return !queue_.empty(); });
        } else if (queue_.empty() && held_.empty()) {
          queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
          if (queue_.empty()) return;  // stopping, and nothing left to do
        }
        batch.swap(queue_);
      }
      begin_failure_.reset();
      if (idle_expired) UndoIdleSessions();
      std::deque<WriteRequest*> held;
      held.swap(held_);
      for (WriteRequest* request : held) Dispatch(*request);
      for (WriteRequest* request : batch) Dispatch(*request);
      if (group_.open && group_.running == 0) Commit();
      if (failures_ > 0) stats_.RecordFailures(std::exchange(failures_, 0));
    }
  }

  // Runs `request` in the open group (opening one if needed) or holds it for the next group.
  void Dispatch(WriteRequest& request) {
    switch (request.kind) {
      case WriteRequest::Kind::kWrite:
        if (group_.size >= max_group_size_) {
          held_.push_back(&request);
          return;
        }
        if (!Open(request)) return;
        RunWrite(request);
        return;
      case WriteRequest::Kind::kSessionWrite:
      case WriteRequest::Kind::kSessionRead:
        RunSessionStatement(request);
        return;
      case WriteRequest::Kind::kSessionEnd:
        EndSession(request);
        return;
    }
  }

  // Opens the group's transaction if it is not open. On failure answers `request` with the error
  // (as every request of this round that needs it) and returns false.
  bool Open(WriteRequest& request) {
    if (group_.open) return true;
    if (!begin_failure_) {
      Status begin = writer_->Run("BEGIN IMMEDIATE");
      if (begin.ok()) {
        group_.open = true;
        return true;
      }
      begin_failure_ = std::move(begin);
    }
    Answer(request, *begin_failure_);
    return false;
  }

  void RunWrite(WriteRequest& request) {
    std::optional<Status> lost;
    request.status = RunInSavepoint(*request.work, &lost);
    group_.writes.push_back(&request);
    ++group_.size;
    if (lost) AbandonGroup(*lost);
  }

  void RunSessionStatement(WriteRequest& request) {
    SessionState& session = *request.session;
    if (session.undone) {
      request.joined = true;
      Answer(request, *session.undone, session.restart);
      return;
    }
    if (!session.admitted) {
      if (group_.closing || group_.size >= max_group_size_) {
        held_.push_back(&request);
        return;
      }
      if (!Open(request)) return;
      session.admitted = true;
      group_.sessions.push_back(&session);
      ++group_.size;
      ++group_.running;
    }
    std::optional<Status> lost;
    Status status;
    if (request.kind == WriteRequest::Kind::kSessionWrite) {
      status = RunInSavepoint(*request.work, &lost);
      if (status.ok()) session.wrote = true;
    } else {
      status = RunReadOnly(*request.work, &lost);
    }
    session.idle_since = std::chrono::steady_clock::now();
    request.joined = true;
    if (lost) {
      AbandonGroup(*lost);
      Answer(request, status.ok() ? *lost : status);
      return;
    }
    Answer(request, std::move(status));
  }

  void EndSession(WriteRequest& request) {
    SessionState& session = *request.session;
    if (session.undone) {
      Answer(request, *session.undone, session.restart);
      return;
    }
    if (!session.admitted) {
      Answer(request, Status::Internal("a write session ended on the writer without having joined a group"));
      return;
    }
    if (request.rollback) {
      Undo(session, Status::Ok());
      Answer(request, Status::Ok());
      return;
    }
    if (request.work != nullptr) {
      std::optional<Status> lost;
      Status status = RunInSavepoint(*request.work, &lost);
      if (lost) {
        AbandonGroup(*lost);
        Answer(request, status.ok() ? *lost : status);
        return;
      }
      if (!status.ok()) {
        Undo(session, status);
        Answer(request, std::move(status));
        return;
      }
    }
    session.end = &request;
    --group_.running;
  }

  // Runs `work` in a savepoint of the open transaction, so that its failure undoes only its own
  // writes. Sets `*lost` when the transaction itself can no longer be committed.
  Status RunInSavepoint(const Work& work, std::optional<Status>* lost) {
    if (Status s = writer_->Run("SAVEPOINT anxin_work"); !s.ok()) {
      *lost = s;
      return s;
    }
    SqliteTx tx(*writer_);
    Status status = internal::RunWork(work, tx);
    if (status.ok() && tx.failure()) status = internal::IgnoredErrorStatus(*tx.failure());
    if (sqlite3_get_autocommit(writer_->handle()) != 0) {  // SQLite rolled the whole transaction back
      *lost = internal::UnavailableStatus("SQLite abandoned the write transaction");
      return status.ok() ? **lost : status;
    }
    if (status.ok()) status = writer_->Run("RELEASE anxin_work");
    if (!status.ok()) {
      Status undo = writer_->Run("ROLLBACK TO anxin_work");
      if (undo.ok()) undo = writer_->Run("RELEASE anxin_work");
      if (!undo.ok()) *lost = undo;
    }
    return status;
  }

  // Runs `work` on the writer connection with writes refused (PRAGMA query_only), so that it sees
  // the open transaction. Sets `*lost` as RunInSavepoint does.
  Status RunReadOnly(const Work& work, std::optional<Status>* lost) {
    ANXIN_RETURN_IF_ERROR(writer_->Run("PRAGMA query_only = 1"));
    SqliteTx tx(*writer_);
    Status status = internal::RunWork(work, tx);
    if (status.ok() && tx.failure()) status = internal::IgnoredErrorStatus(*tx.failure());
    Status restore = writer_->Run("PRAGMA query_only = 0");
    if (sqlite3_get_autocommit(writer_->handle()) != 0) {
      *lost = internal::UnavailableStatus("SQLite abandoned the write transaction");
    } else if (!restore.ok()) {
      *lost = restore;  // the writer must not stay read-only
    }
    return status;
  }

  // Takes `session` out of the open group with its work undone; `status` answers its later
  // requests. A session none of whose Writes was kept leaves alone; otherwise the whole group is
  // rolled back (SQLite cannot undo one session's statements among the others').
  void Undo(SessionState& session, Status status) {
    session.undone = std::move(status);
    session.restart = false;
    if (session.wrote) {
      UndoGroup();
      return;
    }
    std::erase(group_.sessions, &session);
    if (session.end == nullptr) --group_.running;
  }

  // Rolls the open group back. Its plain writes run again in the next group (they have not been
  // answered, and work is repeatable); its sessions not undone already are undone with a restart.
  void UndoGroup() {
    if (sqlite3_get_autocommit(writer_->handle()) == 0) (void)writer_->Run("ROLLBACK");
    bool collateral = !group_.writes.empty();
    for (auto it = group_.writes.rbegin(); it != group_.writes.rend(); ++it) {
      (*it)->status = Status::Ok();
      held_.push_front(*it);
    }
    for (SessionState* session : group_.sessions) {
      if (session->undone) continue;  // undone on purpose; answered by the caller
      collateral = true;
      session->undone = internal::RetryStatus();
      session->restart = true;
      if (session->end != nullptr) Answer(*session->end, *session->undone, /*restart=*/true);
    }
    group_ = Group{};
    if (collateral) stats_.RecordRetry();
  }

  // The open transaction cannot be committed any more: answers the group's writes and undoes its
  // sessions with `lost`; requests not run yet get a fresh transaction.
  void AbandonGroup(const Status& lost) {
    if (sqlite3_get_autocommit(writer_->handle()) == 0) (void)writer_->Run("ROLLBACK");
    for (WriteRequest* request : group_.writes)
      Answer(*request, request->status.ok() ? lost : request->status);
    for (SessionState* session : group_.sessions) {
      if (!session->undone) {
        session->undone = lost;
        session->restart = false;
      }
      if (session->end != nullptr) Answer(*session->end, lost);
    }
    group_ = Group{};
  }

  // Undoes the running sessions that stayed idle past the limit while their group waited.
  void UndoIdleSessions() {
    const auto now = std::chrono::steady_clock::now();
    std::vector<SessionState*> idle;
    for (SessionState* session : group_.sessions) {
      if (session->end == nullptr && !session->undone && now - session->idle_since >= session_idle_limit_) {
        idle.push_back(session);
      }
    }
    const Status timeout(
        StatusCode::kUnavailable, "write_session_timeout",
        {"请求处理超时，未保存任何更改，请重试", "the request took too long; nothing was saved"});
    for (SessionState* session : idle) {
      if (!session->undone) Undo(*session, timeout);
    }
    // One undone by a group rollback before its turn was meant to time out, not to run again.
    for (SessionState* session : idle) {
      if (session->restart) {
        session->restart = false;
        session->undone = timeout;
      }
    }
  }

  // Whether a held plain write could run in the open group now (after a group was rolled back).
  [[nodiscard]] bool HeldWriteCanRun() const {
    if (group_.size >= max_group_size_) return false;
    return std::any_of(held_.begin(), held_.end(),
                       [](const WriteRequest* r) { return r->kind == WriteRequest::Kind::kWrite; });
  }

  // When the first running, idle session of the group reaches the idle limit.
  [[nodiscard]] std::chrono::steady_clock::time_point IdleDeadline() const {
    // Running sessions are never undone (Undo takes them out), so one of them sets the deadline.
    auto deadline = std::chrono::steady_clock::now() + session_idle_limit_;
    for (const SessionState* session : group_.sessions) {
      if (session->end == nullptr && !session->undone) {
        deadline = std::min(deadline, session->idle_since + session_idle_limit_);
      }
    }
    return deadline;
  }

  // Commits the group and answers every request in it. Nobody is answered before COMMIT returned.
  void Commit() {
    const auto start = std::chrono::steady_clock::now();
    Status commit = writer_->Run("COMMIT");
    const auto latency = std::chrono::steady_clock::now() - start;
    Group group = std::exchange(group_, Group{});
    if (commit.ok()) {
      uint64_t applied = group.sessions.size();
      for (const WriteRequest* request : group.writes) applied += request->status.ok() ? 1 : 0;
      stats_.RecordCommit(latency, applied);
    } else {
      if (sqlite3_get_autocommit(writer_->handle()) == 0) (void)writer_->Run("ROLLBACK");
      if (commit.code() != StatusCode::kUnavailable)
        commit = Status::Internal("COMMIT failed: " + commit.ToString());
    }
    for (WriteRequest* request : group.writes) {
      Answer(*request, request->status.ok() ? commit : request->status);
    }
    for (SessionState* session : group.sessions) Answer(*session->end, commit);
  }

  // Sets the outcome of `request` and wakes its thread, which may then destroy it.
  void Answer(WriteRequest& request, Status status, bool restart = false) {
    const bool ends_transaction =
        request.kind == WriteRequest::Kind::kWrite || request.kind == WriteRequest::Kind::kSessionEnd;
    if (ends_transaction && !status.ok() && !restart) ++failures_;
    request.status = std::move(status);
    request.restart = restart;
    request.done.release();
  }

  Status ReadOnPool(const Work& work) {
    std::unique_ptr<Connection> conn = AcquireReader();
    Status status = ReadOn(*conn, work);
    ReleaseReader(std::move(conn));
    return status;
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
  const std::chrono::steady_clock::duration session_idle_limit_;

  // Used only by writer_thread_.
  std::unique_ptr<Connection> writer_;
  Group group_;
  std::deque<WriteRequest*> held_;       // waiting for the next group, oldest first
  std::optional<Status> begin_failure_;  // BEGIN failed in this round: the round's requests get it
  uint64_t failures_ = 0;                // failed transactions not yet recorded in stats_

  // The write queue. Guarded by queue_mu_.
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;  // the writer waits for requests or stopping_
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
