#include "storage/postgres/postgres_database.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/internal.hpp"
#include "storage/postgres/placeholders.hpp"

namespace anxin::storage::postgres {
namespace {

constexpr int kMaxWriteAttempts = 8;
constexpr size_t kMaxPreparedStatements = 512;

// Type OIDs (pg_type.h) of the columns we turn into integers, and of the parameters we send as int8.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kNumericOid = 1700;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// A statement's outcome, with whether PostgreSQL asks for the transaction to be retried.
struct Outcome {
  Status status;
  bool retryable = false;
};

// Translates a libpq result (null when libpq could not even send the query) into the storage
// error contract.
Outcome Translate(PGconn* conn, const PGresult* result, std::string_view sql) {
  const ExecStatusType state = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (state == PGRES_COMMAND_OK || state == PGRES_TUPLES_OK || state == PGRES_EMPTY_QUERY) return {};
  const char* code = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = code != nullptr ? code : "";
  std::string detail = "postgres " + (sqlstate.empty() ? std::string("error") : sqlstate) + ": " +
                       (result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn));
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  if (!sql.empty()) detail += " in: " + std::string(sql);
  if (PQstatus(conn) != CONNECTION_OK || sqlstate.starts_with("08") || sqlstate.starts_with("57") ||
      sqlstate.starts_with("53") || (sqlstate.empty() && result == nullptr)) {
    return {internal::UnavailableStatus(detail)};
  }
  if (sqlstate == "23505") return {internal::ConflictStatus()};
  if (sqlstate == "40001" || sqlstate == "40P01") return {internal::RetryStatus(), true};
  if (sqlstate == "55P03") return {internal::RetryStatus()};  // lock_not_available
  return {Status::Internal(detail)};
}

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return out;
}

// Converts column `c` of row `r` into a Value: integers (and booleans, and whole numerics such as
// SUM(bigint)) become int64, as on SQLite; everything else stays text.
Value ColumnValue(const PGresult* result, int r, int c) {
  if (PQgetisnull(result, r, c) != 0) return std::monostate();
  std::string_view text(PQgetvalue(result, r, c), static_cast<size_t>(PQgetlength(result, r, c)));
  switch (PQftype(result, c)) {
    case kBoolOid:
      return static_cast<int64_t>(text == "t" ? 1 : 0);
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid:
    case kNumericOid:
      if (std::optional<int64_t> n = ParseInt(text)) return *n;
      break;
    default:
      break;
  }
  return std::string(text);
}

// The rows of a query's result, as Values.
std::vector<Row> RowsOf(const PGresult* result) {
  const int rows = PQntuples(result);
  const int columns = PQnfields(result);
  std::vector<Row> out;
  out.reserve(static_cast<size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    std::vector<Value> values;
    values.reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) values.push_back(ColumnValue(result, r, c));
    out.emplace_back(std::move(values));
  }
  return out;
}

// One libpq connection and its prepared statements. Used by one thread at a time.
class Connection {
 public:
  ~Connection() { PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  static Result<std::unique_ptr<Connection>> Connect(const std::string& url) {
    std::unique_ptr<Connection> conn(new Connection(url, PQconnectdb(url.c_str())));
    if (conn->conn_ == nullptr) return internal::UnavailableStatus("libpq could not allocate a connection");
    ANXIN_RETURN_IF_ERROR(conn->Setup());
    return conn;
  }

  [[nodiscard]] PGconn* handle() const { return conn_; }
  [[nodiscard]] bool broken() const { return conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK; }

  // Has the next command begin the transaction with `begin_sql` (a literal) in the same round trip
  // instead of one of its own: a simple command goes as "<begin_sql>; <command>", an already
  // prepared statement in one pipeline with it. A ROLLBACK before any command sends nothing.
  // Should the connection turn out broken on that first command (the server closed it while it
  // was pooled), it is replaced and the command sent again: nothing of the transaction ran yet.
  void DeferBegin(const char* begin_sql) { deferred_begin_ = begin_sql; }
  void DropDeferredBegin() { deferred_begin_ = nullptr; }

  // Runs a command without parameters; returns its outcome and command tag ("COMMIT", "ROLLBACK").
  // With a BEGIN deferred, "" sends the BEGIN alone. Deferred statements (Defer) go first: a
  // COMMIT in one pipeline with them, any other command after them (their failure is returned
  // instead of running it); a ROLLBACK drops them.
  Outcome Run(const char* sql, std::string* tag = nullptr) {
    if (std::string_view(sql).starts_with("ROLLBACK")) deferred_.clear();
    if (!deferred_.empty()) {
      if (std::string_view(sql) == "COMMIT") {
        Outcome outcome;
        ResultPtr result = SendPipeline(nullptr, nullptr, sql, sql, outcome);
        if (tag != nullptr && result != nullptr) *tag = PQcmdStatus(result.get());
        return outcome;
      }
      Outcome flushed = Flush();  // the deferred BEGIN with them
      if (!flushed.status.ok() || *sql == '\0') return flushed;
    }
    if (deferred_begin_ == nullptr) return RunNow(sql, tag);
    if (std::string_view(sql) == "ROLLBACK") {
      deferred_begin_ = nullptr;
      return {};
    }
    const std::string both =
        *sql == '\0' ? std::string(deferred_begin_) : std::string(deferred_begin_) + "; " + sql;
    Outcome outcome = RunNow(both.c_str(), tag);
    if (!outcome.status.ok() && broken() && Replace()) outcome = RunNow(both.c_str(), tag);
    deferred_begin_ = nullptr;
    return outcome;
  }

  // Runs `sql` (with `?` placeholders) as a cached prepared statement, after the deferred
  // statements (in one pipeline with them).
  Result<ResultPtr> Execute(std::string_view sql, std::span<const Value> params, Outcome& outcome) {
    const Bound bound = Bind(params);
    auto it = prepared_.find(Key(sql, bound));
    if (deferred_begin_ != nullptr && deferred_.empty() && it != prepared_.end()) {
      if (std::optional<ResultPtr> result = BeginAndExecute(it->second, bound.values, sql, outcome)) {
        if (!outcome.status.ok()) return outcome.status;
        return std::move(*result);
      }
    }
    ANXIN_ASSIGN_OR_RETURN(std::string name, Prepare(sql, bound, outcome));
    ResultPtr result;
    if (!deferred_.empty()) {
      result = SendPipeline(&name, &bound.values, nullptr, sql, outcome);
    } else {
      result.reset(PQexecPrepared(conn_, name.c_str(), static_cast<int>(bound.values.size()),
                                  bound.values.data(), nullptr, nullptr, 0));
      outcome = Translate(conn_, result.get(), sql);
    }
    if (!outcome.status.ok()) return outcome.status;
    return result;
  }

  // Queues `sql` (storage::ExecDeferred) to be sent, prepared, just before the next command on this
  // connection, in one pipeline with it (and with a BEGIN still deferred). A query sent ahead
  // (storage::QueryAhead) leaves its outcome in `slot` once it has run.
  Status Defer(std::string_view sql, std::span<const Value> params, Outcome& outcome,
               std::shared_ptr<AheadQuery::Slot> slot = nullptr) {
    const Bound bound = Bind(params);
    ANXIN_ASSIGN_OR_RETURN(std::string name, Prepare(sql, bound, outcome));
    DeferredStatement& queued = deferred_.emplace_back();
    queued.name = std::move(name);
    queued.sql = std::string(sql);
    queued.slot = std::move(slot);
    for (const char* value : bound.values) {
      queued.values.push_back(value != nullptr ? std::optional<std::string>(value) : std::nullopt);
    }
    return Status::Ok();
  }

  // Ends a read-only transaction without waiting for the server's answer: sends its COMMIT, whose
  // answer Settle reads when the connection is next taken from the pool. The server ends the
  // transaction (and releases its snapshot) as soon as the COMMIT arrives, and a read-only COMMIT
  // has nothing to make durable, so the reader need not wait for it. Returns false, sending
  // nothing, when statements or the BEGIN are still deferred or the COMMIT cannot be sent.
  bool SendReadOnlyCommit() {
    if (deferred_begin_ != nullptr || !deferred_.empty() || PQtransactionStatus(conn_) != PQTRANS_INTRANS) {
      return false;
    }
    if (PQsendQuery(conn_, "COMMIT") != 1) return false;
    commit_unread_ = true;
    return true;
  }
  [[nodiscard]] bool commit_unread() const { return commit_unread_; }

  // Reads the answer to a COMMIT sent by SendReadOnlyCommit, if any, and replaces the connection if
  // that leaves it broken or not idle. Returns whether the connection is then idle and usable.
  bool Settle() {
    if (!commit_unread_) return true;
    commit_unread_ = false;
    bool committed = true;
    while (PGresult* result = PQgetResult(conn_)) {
      if (PQresultStatus(result) != PGRES_COMMAND_OK) committed = false;
      PQclear(result);
    }
    if (committed && !broken() && PQtransactionStatus(conn_) == PQTRANS_IDLE) return true;
    return Replace();
  }

  // Sends the deferred statements now (one pipeline) and returns the first failure among them.
  Outcome Flush() {
    Outcome outcome;
    if (!deferred_.empty()) (void)SendPipeline(nullptr, nullptr, nullptr, "deferred statements", outcome);
    return outcome;
  }

 private:
  Connection(std::string url, PGconn* conn) : url_(std::move(url)), conn_(conn) {}

  // Parameters as libpq takes them: text values (null for NULL; integers formatted into
  // `formatted`), int8 types for the integers, and their kinds ('i', 't', 'n') for the cache key.
  struct Bound {
    std::string kinds;
    std::vector<Oid> types;
    std::vector<std::string> formatted;
    std::vector<const char*> values;
  };

  // A statement of storage::ExecDeferred or storage::QueryAhead, prepared, waiting for the next
  // command.
  struct DeferredStatement {
    std::string name;  // of the prepared statement
    std::string sql;   // for error messages
    std::vector<std::optional<std::string>> values;
    std::shared_ptr<AheadQuery::Slot> slot;  // a query's: where its rows go
  };

  static Bound Bind(std::span<const Value> params) {
    Bound bound;
    bound.kinds.reserve(params.size());
    bound.types.assign(params.size(), 0);
    bound.formatted.resize(params.size());
    bound.values.assign(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        bound.types[i] = kInt8Oid;
        bound.kinds += 'i';
        bound.formatted[i] = std::to_string(*n);
        bound.values[i] = bound.formatted[i].c_str();
      } else if (const auto* text = std::get_if<std::string>(&params[i])) {
        bound.kinds += 't';
        bound.values[i] = text->c_str();
      } else {
        bound.kinds += 'n';
      }
    }
    return bound;
  }

  static std::string Key(std::string_view sql, const Bound& bound) {
    return std::string(sql) + '\x1f' + bound.kinds;
  }

  // Returns the name of `sql` prepared on this connection for parameters like `bound`, preparing
  // it first if needed (after sending a BEGIN still deferred, alone).
  Result<std::string> Prepare(std::string_view sql, const Bound& bound, Outcome& outcome) {
    std::string key = Key(sql, bound);
    if (auto it = prepared_.find(key); it != prepared_.end()) return it->second;
    if (deferred_begin_ != nullptr) {
      outcome = Run("");  // the BEGIN alone, before the statement is prepared
      if (!outcome.status.ok()) return outcome.status;
      if (auto it = prepared_.find(key); it != prepared_.end()) return it->second;
    }
    RewrittenSql rewritten = RewritePlaceholders(sql);
    if (rewritten.parameters != static_cast<int>(bound.values.size())) {
      outcome.status =
          Status::Internal("statement wants " + std::to_string(rewritten.parameters) + " parameters, got " +
                           std::to_string(bound.values.size()) + ": " + std::string(sql));
      return outcome.status;
    }
    if (prepared_.size() >= kMaxPreparedStatements) {
      outcome = Run("DEALLOCATE ALL");  // after the deferred statements, which use their names
      if (!outcome.status.ok()) return outcome.status;
      prepared_.clear();
    }
    std::string name = "anxin_" + std::to_string(++statement_counter_);
    ResultPtr prepared(PQprepare(conn_, name.c_str(), rewritten.sql.c_str(),
                                 static_cast<int>(bound.types.size()), bound.types.data()));
    outcome = Translate(conn_, prepared.get(), sql);
    if (!outcome.status.ok()) return outcome.status;
    prepared_.emplace(std::move(key), name);
    return name;
  }

  // Sends the deferred BEGIN, if any, and the deferred statements (and forgets them), then
  // prepared statement `name` with `values` or the command `command` (or neither), in one
  // pipeline; returns the result of that last one (null if none). `outcome` is the first failure,
  // `what` naming the last one in it. After a failure PostgreSQL skips the rest of the pipeline: a
  // COMMIT after a failed deferred statement does not run, and the transaction is left failed, for
  // a ROLLBACK. Should the connection turn out broken on the BEGIN (the server closed it while it
  // was pooled), it is replaced and the outcome is a retry: nothing of the transaction ran.
  ResultPtr SendPipeline(const std::string* name, const std::vector<const char*>* values, const char* command,
                         std::string_view what, Outcome& outcome) {
    std::vector<DeferredStatement> queued = std::move(deferred_);
    deferred_.clear();
    const char* begin = deferred_begin_;
    deferred_begin_ = nullptr;
    outcome = {};
    ResultPtr last;
    bool synced = false;
    bool begin_failed = false;
    if (PQenterPipelineMode(conn_) == 1) {
      bool sent =
          begin == nullptr || PQsendQueryParams(conn_, begin, 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
      for (const DeferredStatement& d : queued) {
        std::vector<const char*> v;
        v.reserve(d.values.size());
        for (const std::optional<std::string>& value : d.values)
          v.push_back(value ? value->c_str() : nullptr);
        sent = sent && PQsendQueryPrepared(conn_, d.name.c_str(), static_cast<int>(v.size()), v.data(),
                                           nullptr, nullptr, 0) == 1;
      }
      if (name != nullptr) {
        sent = sent && PQsendQueryPrepared(conn_, name->c_str(), static_cast<int>(values->size()),
                                           values->data(), nullptr, nullptr, 0) == 1;
      } else if (command != nullptr) {
        sent = sent && PQsendQueryParams(conn_, command, 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
      }
      sent = sent && PQpipelineSync(conn_) == 1;
      if (sent) {
        if (begin != nullptr) {
          ResultPtr begun = TakeResult();
          outcome = Translate(conn_, begun.get(), begin);
          begin_failed = !outcome.status.ok();
        }
        for (const DeferredStatement& d : queued) {
          ResultPtr result = TakeResult();
          if (outcome.status.ok()) outcome = Translate(conn_, result.get(), d.sql);
          if (d.slot != nullptr) {
            d.slot->done = true;
            d.slot->status = outcome.status;
            if (outcome.status.ok()) d.slot->rows = RowsOf(result.get());
          }
        }
        if (name != nullptr || command != nullptr) {
          last = TakeResult();
          if (outcome.status.ok()) outcome = Translate(conn_, last.get(), what);
        }
        ResultPtr sync(PQgetResult(conn_));
        synced = sync != nullptr && PQresultStatus(sync.get()) == PGRES_PIPELINE_SYNC;
      }
      (void)PQexitPipelineMode(conn_);
    }
    if (begin != nullptr && (begin_failed || !synced) && broken() && Replace()) {
      outcome = {internal::RetryStatus(), true};
      return nullptr;
    }
    if (outcome.status.ok() && !synced) {
      outcome = {
          internal::UnavailableStatus("PostgreSQL did not complete the pipeline of: " + std::string(what))};
    }
    return last;
  }

  // Readies a new connection: UTF-8, and synchronous commits.
  Status Setup() {
    if (PQstatus(conn_) != CONNECTION_OK) {
      return internal::UnavailableStatus(std::string("cannot connect to PostgreSQL: ") +
                                         PQerrorMessage(conn_));
    }
    if (PQsetClientEncoding(conn_, "UTF8") != 0) {
      return Status::Internal(std::string("cannot set client encoding: ") + PQerrorMessage(conn_));
    }
    // Durability: a COMMIT must not return before it is flushed. Keep the server's setting unless
    // it is "off", which we override for our sessions.
    ResultPtr sync(PQexec(conn_, "SHOW synchronous_commit"));
    ANXIN_RETURN_IF_ERROR(Translate(conn_, sync.get(), "SHOW synchronous_commit").status);
    if (PQntuples(sync.get()) == 1 && std::string_view(PQgetvalue(sync.get(), 0, 0)) == "off") {
      ANXIN_RETURN_IF_ERROR(RunNow("SET synchronous_commit TO on").status);
    }
    return Status::Ok();
  }

  // Replaces a broken connection by a new one to the same server. Returns whether that worked.
  bool Replace() {
    PQfinish(conn_);
    conn_ = PQconnectdb(url_.c_str());
    prepared_.clear();
    deferred_.clear();
    return conn_ != nullptr && Setup().ok();
  }

  Outcome RunNow(const char* sql, std::string* tag = nullptr) {
    ResultPtr result(PQexec(conn_, sql));
    Outcome outcome = Translate(conn_, result.get(), sql);
    if (tag != nullptr && result != nullptr) *tag = PQcmdStatus(result.get());
    return outcome;
  }

  // The next result of a pipeline, with the end-of-command marker after it consumed.
  ResultPtr TakeResult() {
    ResultPtr result(PQgetResult(conn_));
    if (result != nullptr) {
      while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
    }
    return result;
  }

  // Sends the deferred BEGIN and prepared statement `name` in one pipeline and returns the
  // statement's result, with `outcome` the first failure of the two. Returns nullopt when the
  // connection was found broken before the BEGIN ran and has been replaced (the caller prepares and
  // runs the statement on the new one, the BEGIN still deferred).
  std::optional<ResultPtr> BeginAndExecute(const std::string& name, const std::vector<const char*>& values,
                                           std::string_view sql, Outcome& outcome) {
    const char* begin = deferred_begin_;
    ResultPtr begun;
    ResultPtr result;
    bool synced = false;
    if (PQenterPipelineMode(conn_) == 1) {
      const bool sent = PQsendQueryParams(conn_, begin, 0, nullptr, nullptr, nullptr, nullptr, 0) == 1 &&
                        PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(values.size()),
                                            values.data(), nullptr, nullptr, 0) == 1 &&
                        PQpipelineSync(conn_) == 1;
      if (sent) {
        begun = TakeResult();
        result = TakeResult();
        ResultPtr sync(PQgetResult(conn_));
        synced = sync != nullptr && PQresultStatus(sync.get()) == PGRES_PIPELINE_SYNC;
      }
      (void)PQexitPipelineMode(conn_);
    }
    const bool began = begun != nullptr && PQresultStatus(begun.get()) == PGRES_COMMAND_OK;
    if (!began && broken() && Replace()) return std::nullopt;
    deferred_begin_ = nullptr;
    outcome = Translate(conn_, begun.get(), begin);
    if (outcome.status.ok()) outcome = Translate(conn_, result.get(), sql);
    if (outcome.status.ok() && !synced) {
      outcome = {
          internal::UnavailableStatus("PostgreSQL did not complete the pipeline of: " + std::string(sql))};
    }
    return result;
  }

  const std::string url_;
  PGconn* conn_;
  const char* deferred_begin_ = nullptr;                   // a BEGIN to send with the next command
  std::vector<DeferredStatement> deferred_;                // to send before the next command
  bool commit_unread_ = false;                             // a read-only COMMIT's answer is unread
  std::unordered_map<std::string, std::string> prepared_;  // SQL + parameter kinds -> statement name
  uint64_t statement_counter_ = 0;
};

class PostgresTx final : public Tx, public internal::DeferringTx {
 public:
  explicit PostgresTx(Connection& conn) : conn_(conn) {}

  using Tx::Exec;
  using Tx::Query;

  [[nodiscard]] Dialect dialect() const override { return Dialect::kPostgres; }

  Result<std::vector<Row>> Query(std::string_view sql, std::span<const Value> params) override {
    ANXIN_ASSIGN_OR_RETURN(ResultPtr result, Execute(sql, params));
    return RowsOf(result.get());
  }

  Result<int64_t> Exec(std::string_view sql, std::span<const Value> params) override {
    ANXIN_ASSIGN_OR_RETURN(ResultPtr result, Execute(sql, params));
    return ParseInt(PQcmdTuples(result.get())).value_or(0);
  }

  Status ExecDeferred(std::string_view sql, std::span<const Value> params) override {
    return QueryAhead(sql, params, nullptr);
  }

  // Queues `sql`, a query when `slot` is not null.
  Status QueryAhead(std::string_view sql, std::span<const Value> params,
                    std::shared_ptr<AheadQuery::Slot> slot) override {
    if (failure_) return internal::TxAbortedStatus();
    Outcome outcome;
    Status queued = conn_.Defer(sql, params, outcome, std::move(slot));
    if (!queued.ok()) {
      outcome.status = queued;
      Remember(outcome);
    }
    return queued;
  }

  // Sends the deferred statements now; returns their first failure (remembered as the Tx's).
  Status Flush() override {
    if (failure_) return *failure_;
    Outcome outcome = conn_.Flush();
    if (!outcome.status.ok()) Remember(outcome);
    return outcome.status;
  }

  Status ExecScript(std::string_view sql) override {
    if (failure_) return internal::TxAbortedStatus();
    const std::string script(sql);
    Outcome outcome = conn_.Run(script.c_str());
    if (!outcome.status.ok()) Remember(outcome);
    return outcome.status;
  }

  [[nodiscard]] const std::optional<Status>& failure() const { return failure_; }
  [[nodiscard]] bool retryable() const { return retryable_; }

 private:
  void Remember(const Outcome& outcome) {
    if (failure_) return;
    failure_ = outcome.status;
    retryable_ = outcome.retryable;
  }

  Result<ResultPtr> Execute(std::string_view sql, std::span<const Value> params) {
    if (failure_) return internal::TxAbortedStatus();
    Outcome outcome;
    Result<ResultPtr> result = conn_.Execute(sql, params, outcome);
    if (!result.ok()) {
      outcome.status = result.status();
      Remember(outcome);
    }
    return result;
  }

  Connection& conn_;
  std::optional<Status> failure_;
  bool retryable_ = false;
};

// Sleeps a few random milliseconds, longer after each attempt, before a retry.
void Backoff(int attempt) {
  thread_local std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> ms(1, 4 * attempt);
  std::this_thread::sleep_for(std::chrono::milliseconds(ms(random)));
}

// Appends `param` to the query string of the libpq URI `url`.
std::string WithParam(const std::string& url, const std::string& param) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + param;
}

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(const DatabaseOptions& options)
      : url_(options.url.find("connect_timeout=") == std::string::npos
                 ? WithParam(options.url, "connect_timeout=10")
                 : options.url),
        max_connections_(std::max(1, options.read_connections)) {}

  ~PostgresDatabase() override = default;
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  [[nodiscard]] Dialect dialect() const override { return Dialect::kPostgres; }

  Status Write(const Work& work) override {
    if (internal::SessionHooks* session = internal::BoundSession(this)) return session->Write(work);
    for (int attempt = 1;; ++attempt) {
      std::unique_ptr<Connection> conn;
      Outcome outcome = RunFresh(work, &conn);
      if (outcome.status.ok()) outcome = Commit(std::move(conn));
      if (outcome.status.ok()) return Status::Ok();
      if (outcome.retryable && attempt < kMaxWriteAttempts) {
        stats_.RecordRetry();
        Backoff(attempt);
        continue;
      }
      stats_.RecordFailures(1);
      return outcome.status;
    }
  }

  Status WriteSession(const SessionBody& body) override {
    if (internal::BoundSession(this) != nullptr) return internal::NestedSessionStatus();
    for (int attempt = 1;; ++attempt) {
      Session session(*this);
      Status thrown;
      SessionEnd end = internal::RunBound(this, session, body, &thrown);
      if (!session.joined()) return internal::EndWithoutTransaction(*this, end, thrown);
      Outcome outcome = session.End(end);
      if (outcome.retryable) {
        if (attempt < internal::kMaxSessionAttempts) {
          stats_.RecordRetry();
          Backoff(attempt);
          continue;
        }
        stats_.RecordFailures(1);
        return internal::RetryStatus();
      }
      if (!thrown.ok()) return thrown;
      if (!outcome.status.ok()) stats_.RecordFailures(1);
      return outcome.status;
    }
  }

  Status Read(const Work& work) override {
    if (internal::SessionHooks* session = internal::BoundSession(this)) return session->Read(work);
    return ReadFresh(work);
  }

  Status Ping() override {
    return Read([](Tx& tx) { return tx.Query("SELECT 1").status(); });
  }

  [[nodiscard]] DatabaseStats Stats() const override { return stats_.Snapshot(); }

 private:
  // A write session: one pooled connection holding one transaction from the body's first Write
  // to its end. Each later Write runs in a savepoint; each Read in a read-only savepoint that is
  // rolled back. Used by the session's thread only.
  class Session final : public internal::SessionHooks {
   public:
    explicit Session(PostgresDatabase& db) : db_(db) {}
    ~Session() override {
      if (conn_ != nullptr) {  // End did not run (it always does once joined): keep nothing
        (void)conn_->Run("ROLLBACK");
        db_.Release(std::move(conn_));
      }
    }
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // The first Write begins the transaction and, like a plain Write, runs again on a fresh one
    // after a deadlock: nothing precedes it. A later one that deadlocks spoils the session, whose
    // body then runs again from the start.
    Status Write(const Work& work) override {
      if (spoiled_) return spoiled_->status;
      if (conn_ == nullptr) {
        for (int attempt = 1;; ++attempt) {
          Outcome outcome = db_.RunFresh(work, &conn_, /*flush=*/true);
          if (outcome.status.ok()) return Status::Ok();
          if (!outcome.retryable || attempt == kMaxWriteAttempts) return outcome.status;
          db_.stats_.RecordRetry();
          Backoff(attempt);
        }
      }
      if (Outcome begin = conn_->Run("SAVEPOINT anxin_work"); !begin.status.ok()) return SpoiledBy(begin);
      PostgresTx tx(*conn_);
      Status status = internal::RunWork(work, tx);
      // Its deferred statements are part of this Write: their failure is its own.
      if (status.ok() && !tx.failure()) status = tx.Flush();
      if (status.ok() && tx.failure()) status = internal::IgnoredErrorStatus(*tx.failure());
      if (status.ok()) {
        Outcome release = conn_->Run("RELEASE anxin_work");
        return release.status.ok() ? Status::Ok() : SpoiledBy(release);
      }
      Outcome undo = conn_->Run("ROLLBACK TO SAVEPOINT anxin_work; RELEASE anxin_work");
      if (!undo.status.ok()) {
        Spoil(undo);
      } else if (tx.retryable()) {
        Spoil({internal::RetryStatus(), true});
      }
      return status;
    }

    Status Read(const Work& work) override {
      if (conn_ == nullptr) return db_.ReadFresh(work);
      if (spoiled_) return spoiled_->status;
      Outcome begin = conn_->Run("SAVEPOINT anxin_read; SET LOCAL transaction_read_only = on");
      if (!begin.status.ok()) return SpoiledBy(begin);
      PostgresTx tx(*conn_);
      Status status = internal::RunWork(work, tx);
      if (status.ok() && !tx.failure()) status = tx.Flush();
      if (status.ok() && tx.failure()) status = internal::IgnoredErrorStatus(*tx.failure());
      Outcome undo = conn_->Run("ROLLBACK TO SAVEPOINT anxin_read; RELEASE anxin_read");
      if (!undo.status.ok()) {
        Spoil(undo);
      } else if (!status.ok() && tx.retryable()) {
        Spoil({internal::RetryStatus(), true});
      }
      return status;
    }

    // Whether the transaction has begun (a Write ran).
    [[nodiscard]] bool joined() const { return conn_ != nullptr; }

    // Seals and commits the transaction, or rolls it back (asked to, or spoiled). Returns the
    // outcome; `retryable` asks for the body to run again.
    Outcome End(const SessionEnd& end) {
      if (!spoiled_ && !end.rollback) {
        if (end.seal) {
          PostgresTx tx(*conn_);
          Status status = internal::RunWork(end.seal, tx);
          if (status.ok() && tx.failure()) status = internal::IgnoredErrorStatus(*tx.failure());
          if (!status.ok()) {
            (void)conn_->Run("ROLLBACK");
            db_.Release(std::move(conn_));
            return {std::move(status), tx.retryable()};
          }
        }
        return db_.Commit(std::move(conn_));
      }
      (void)conn_->Run("ROLLBACK");
      db_.Release(std::move(conn_));
      if (spoiled_) return *spoiled_;
      return {};
    }

   private:
    // Marks the transaction unusable (the first reason wins); the session ends with it.
    void Spoil(Outcome outcome) {
      if (!spoiled_) spoiled_ = std::move(outcome);
    }

    // Spoils the session with `outcome` and returns the status it now ends with.
    Status SpoiledBy(Outcome outcome) {
      Spoil(std::move(outcome));
      return spoiled_->status;
    }

    PostgresDatabase& db_;
    std::unique_ptr<Connection> conn_;  // with its transaction open, from the first Write to End
    std::optional<Outcome> spoiled_;
  };

  // Begins a READ COMMITTED transaction and runs `work` in it. On success `*conn` holds the
  // connection with the transaction still open, and the work's deferred statements sent
  // (`flush`) or still waiting to go with the COMMIT; otherwise the transaction is rolled back and
  // the outcome says whether a retry may succeed.
  Outcome RunFresh(const Work& work, std::unique_ptr<Connection>* conn, bool flush = false) {
    Result<std::unique_ptr<Connection>> begun = Begin("BEGIN ISOLATION LEVEL READ COMMITTED");
    if (!begun.ok()) return {std::move(begun).take_status()};
    std::unique_ptr<Connection> open = std::move(begun).value();
    PostgresTx tx(*open);
    Status status = internal::RunWork(work, tx);
    if (flush && status.ok() && !tx.failure()) status = tx.Flush();
    if (status.ok() && tx.failure()) status = internal::IgnoredErrorStatus(*tx.failure());
    if (status.ok()) {
      *conn = std::move(open);
      return {};
    }
    (void)open->Run("ROLLBACK");
    Release(std::move(open));
    return {std::move(status), tx.retryable()};
  }

  // Commits the transaction open on `conn`, its deferred statements in the same round trip, and
  // returns the connection to the pool.
  Outcome Commit(std::unique_ptr<Connection> conn) {
    std::string tag;
    const auto start = std::chrono::steady_clock::now();
    Outcome commit = conn->Run("COMMIT", &tag);
    const auto latency = std::chrono::steady_clock::now() - start;
    // A deferred statement failed, so the COMMIT did not run: end the failed transaction.
    if (PQtransactionStatus(conn->handle()) == PQTRANS_INERROR) (void)conn->Run("ROLLBACK");
    Release(std::move(conn));
    if (commit.status.ok() && tag == "COMMIT") {
      stats_.RecordCommit(latency, 1);
      return {};
    }
    if (commit.status.ok()) commit.status = Status::Internal("COMMIT answered " + tag);
    return commit;
  }

  // Runs `work` in a read-only transaction of its own.
  Status ReadFresh(const Work& work) {
    ANXIN_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                           Begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    PostgresTx tx(*conn);
    Status status = internal::RunWork(work, tx);
    if (status.ok() && tx.failure()) status = internal::IgnoredErrorStatus(*tx.failure());
    if (status.ok() && conn->SendReadOnlyCommit()) {
      Release(std::move(conn));
      return status;
    }
    Outcome end = conn->Run(status.ok() ? "COMMIT" : "ROLLBACK");
    if (status.ok()) status = std::move(end.status);
    if (PQtransactionStatus(conn->handle()) == PQTRANS_INERROR) (void)conn->Run("ROLLBACK");
    Release(std::move(conn));
    return status;
  }

  // Takes a pooled connection and begins a transaction on it, the BEGIN going with the first
  // command (Connection::DeferBegin), which also replaces a connection the server has closed.
  Result<std::unique_ptr<Connection>> Begin(const char* begin_sql) {
    ANXIN_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, Acquire());
    conn->DeferBegin(begin_sql);
    return conn;
  }

  Result<std::unique_ptr<Connection>> Acquire() {
    std::unique_ptr<Connection> pooled;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_connections_; });
      if (!idle_.empty()) {
        pooled = std::move(idle_.back());
        idle_.pop_back();
      } else {
        ++open_;
      }
    }
    if (pooled != nullptr) {
      // Its last read ended without waiting for the COMMIT's answer (Connection::SendReadOnlyCommit).
      if (pooled->Settle()) return pooled;
      {
        std::lock_guard lock(mu_);
        --open_;
      }
      cv_.notify_one();
      return internal::UnavailableStatus(std::string("cannot reconnect to PostgreSQL: ") +
                                         PQerrorMessage(pooled->handle()));
    }
    Result<std::unique_ptr<Connection>> conn = Connection::Connect(url_);
    if (!conn.ok()) {
      {
        std::lock_guard lock(mu_);
        --open_;
      }
      cv_.notify_one();
    }
    return conn;
  }

  void Release(std::unique_ptr<Connection> conn) {
    conn->DropDeferredBegin();
    {
      std::lock_guard lock(mu_);
      if (conn->broken() || (!conn->commit_unread() && PQtransactionStatus(conn->handle()) != PQTRANS_IDLE)) {
        --open_;
        conn.reset();
      } else {
        idle_.push_back(std::move(conn));
      }
    }
    cv_.notify_one();
  }

  // Constant after construction.
  const std::string url_;
  const int max_connections_;

  // The pool. Guarded by mu_.
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  // connections in existence, idle or lent out

  internal::StatsRecorder stats_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgresDatabase(const DatabaseOptions& options) {
  auto db = std::make_unique<PostgresDatabase>(options);
  ANXIN_RETURN_IF_ERROR(db->Ping());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace anxin::storage::postgres
