#include "storage/database.hpp"

#include <charconv>
#include <exception>
#include <string>
#include <utility>

#include <spdlog/spdlog.h>

#include "storage/deferred.hpp"
#include "storage/internal.hpp"
#include "storage/postgres/postgres_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace anxin::storage {
namespace {

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t out = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, out);
  if (ec != std::errc() || ptr != end || begin == end) return std::nullopt;
  return out;
}

const Value& NullValue() {
  static const Value kNull;
  return kNull;
}

}  // namespace

namespace {
const Value& At(const std::vector<Value>& values, size_t i) {
  return i < values.size() ? values[i] : NullValue();
}
}  // namespace

bool Row::IsNull(size_t i) const { return std::holds_alternative<std::monostate>(At(values_, i)); }

int64_t Row::Int(size_t i) const { return OptInt(i).value_or(0); }

std::string Row::Text(size_t i) const { return OptText(i).value_or(std::string()); }

std::optional<std::string> Row::OptText(size_t i) const {
  const Value& v = At(values_, i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  return std::nullopt;
}

std::optional<int64_t> Row::OptInt(size_t i) const {
  const Value& v = At(values_, i);
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  if (const auto* s = std::get_if<std::string>(&v)) return ParseInt(*s).value_or(0);
  return std::nullopt;
}

Result<std::optional<Row>> Tx::QueryOne(std::string_view sql, std::initializer_list<Value> params) {
  return QueryOne(sql, std::span<const Value>(params.begin(), params.size()));
}

Result<std::optional<Row>> Tx::QueryOne(std::string_view sql, std::span<const Value> params) {
  ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, Query(sql, params));
  if (rows.empty()) return std::optional<Row>();
  if (rows.size() > 1) {
    return Status::Internal("QueryOne got " + std::to_string(rows.size()) + " rows: " + std::string(sql));
  }
  return std::optional<Row>(std::move(rows.front()));
}

Status ExecDeferred(Tx& tx, std::string_view sql, std::span<const Value> params) {
  if (auto* deferring = dynamic_cast<internal::DeferringTx*>(&tx))
    return deferring->ExecDeferred(sql, params);
  return tx.Exec(sql, params).status();
}

Result<AheadQuery> QueryAhead(Tx& tx, std::string_view sql, std::span<const Value> params) {
  AheadQuery query;
  if (auto* deferring = dynamic_cast<internal::DeferringTx*>(&tx)) {
    ANXIN_RETURN_IF_ERROR(deferring->QueryAhead(sql, params, query.slot()));
    return query;
  }
  AheadQuery::Slot& slot = *query.slot();
  Result<std::vector<Row>> rows = tx.Query(sql, params);
  slot.done = true;
  if (!rows.ok()) {
    slot.status = rows.status();
    return std::move(rows).take_status();
  }
  slot.rows = std::move(rows).value();
  return query;
}

Result<std::vector<Row>> TakeAhead(Tx& tx, const AheadQuery& query) {
  AheadQuery::Slot& slot = *query.slot();
  if (!slot.done) {
    auto* deferring = dynamic_cast<internal::DeferringTx*>(&tx);
    Status flushed = deferring != nullptr ? deferring->Flush() : Status::Ok();
    if (!slot.done) {
      if (!flushed.ok()) return flushed;
      return Status::Internal("storage: a query sent ahead was not run (its transaction was rolled back?)");
    }
  }
  if (!slot.status.ok()) return slot.status;
  return std::move(slot.rows);
}

Result<std::unique_ptr<Database>> OpenDatabase(const DatabaseOptions& options) {
  const std::string_view url = options.url;
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return postgres::OpenPostgresDatabase(options);
  }
  if (url.starts_with("sqlite:")) {
    std::string_view path = url.substr(std::string_view("sqlite:").size());
    if (path.starts_with("//")) path.remove_prefix(2);  // sqlite:///abs/path.db -> /abs/path.db
    if (path.empty()) {
      return Status::InvalidField("database_url", "invalid",
                                  {"SQLite 数据库地址缺少文件路径", "the SQLite URL has no file path"});
    }
    return sqlite::OpenSqliteDatabase(std::string(path), options);
  }
  return Status::InvalidField("database_url", "unknown_scheme",
                              {"数据库地址须以 sqlite: 或 postgresql:// 开头",
                               "the database URL must start with sqlite: or postgresql://"});
}

namespace internal {

Status ConflictStatus() {
  return {StatusCode::kAlreadyExists, "conflict", {"数据已存在", "the record already exists"}};
}

Status RetryStatus() {
  return {
      StatusCode::kAborted, "conflict_retry", {"操作冲突，请重试", "conflicting operation, please retry"}};
}

Status UnavailableStatus(std::string_view detail) {
  spdlog::error("storage unavailable: {}", detail);
  return {StatusCode::kUnavailable,
          "storage_unavailable",
          {"数据库暂不可用，请稍后重试", "the database is unavailable, please retry later"}};
}

Status TxAbortedStatus() {
  return {StatusCode::kInternal,
          "tx_aborted",
          {"内部错误", "internal error: statement on a transaction spoiled by an earlier failure"}};
}

Status IgnoredErrorStatus(const Status& first_error) {
  return Status::Internal("work returned OK after a failed statement (" + first_error.ToString() +
                          "); the transaction was rolled back");
}

Status RunWork(const Work& work, Tx& tx) {
  try {
    return work(tx);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("exception in transaction work: ") + e.what());
  } catch (...) {
    return Status::Internal("unknown exception in transaction work");
  }
}

namespace {

// The session bound to this thread, and the database it belongs to.
struct Binding {
  const Database* db = nullptr;
  SessionHooks* session = nullptr;
};
thread_local Binding current_binding;

// Binds a session to the calling thread for the lifetime of this object.
class ScopedBinding {
 public:
  ScopedBinding(const Database* db, SessionHooks* session) : saved_(current_binding) {
    current_binding = {db, session};
  }
  ~ScopedBinding() { current_binding = saved_; }
  ScopedBinding(const ScopedBinding&) = delete;
  ScopedBinding& operator=(const ScopedBinding&) = delete;

 private:
  Binding saved_;
};

}  // namespace

SessionHooks* BoundSession(const Database* db) {
  return current_binding.db == db ? current_binding.session : nullptr;
}

SessionEnd RunBound(const Database* db, SessionHooks& session, const SessionBody& body, Status* thrown) {
  ScopedBinding binding(db, &session);
  try {
    return body();
  } catch (const std::exception& e) {
    *thrown = Status::Internal(std::string("exception in a write session: ") + e.what());
  } catch (...) {
    *thrown = Status::Internal("unknown exception in a write session");
  }
  SessionEnd end;
  end.rollback = true;
  return end;
}

Status EndWithoutTransaction(Database& db, const SessionEnd& end, const Status& thrown) {
  if (!thrown.ok()) return thrown;
  if (end.rollback || !end.seal) return Status::Ok();
  return db.Write(end.seal);
}

Status NestedSessionStatus() {
  return Status::Internal("Database::WriteSession called inside a write session or a transaction's work");
}

namespace {

// Forwards to the wrapped database, then runs the cleanup once that database is closed.
class CleanupDatabase final : public Database {
 public:
  CleanupDatabase(std::unique_ptr<Database> inner, std::function<void()> cleanup)
      : inner_(std::move(inner)), cleanup_(std::move(cleanup)) {}
  ~CleanupDatabase() override {
    inner_.reset();
    if (cleanup_) cleanup_();
  }
  CleanupDatabase(const CleanupDatabase&) = delete;
  CleanupDatabase& operator=(const CleanupDatabase&) = delete;

  [[nodiscard]] Dialect dialect() const override { return inner_->dialect(); }
  Status Write(const Work& work) override { return inner_->Write(work); }
  Status Read(const Work& work) override { return inner_->Read(work); }
  Status WriteSession(const SessionBody& body) override { return inner_->WriteSession(body); }
  Status Ping() override { return inner_->Ping(); }
  [[nodiscard]] DatabaseStats Stats() const override { return inner_->Stats(); }

 private:
  std::unique_ptr<Database> inner_;
  std::function<void()> cleanup_;
};

}  // namespace

std::unique_ptr<Database> WithCleanup(std::unique_ptr<Database> db, std::function<void()> cleanup) {
  return std::make_unique<CleanupDatabase>(std::move(db), std::move(cleanup));
}

const std::vector<double>& CommitLatencyBounds() {
  static const std::vector<double> kBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                              0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  return kBounds;
}

StatsRecorder::StatsRecorder() {
  stats_.commit_latency_bounds = CommitLatencyBounds();
  stats_.commit_latency_counts.assign(stats_.commit_latency_bounds.size(), 0);
}

void StatsRecorder::RecordCommit(std::chrono::steady_clock::duration latency, uint64_t transactions) {
  const double seconds = std::chrono::duration<double>(latency).count();
  std::lock_guard lock(mu_);
  ++stats_.commits;
  stats_.transactions += transactions;
  stats_.commit_latency_sum_seconds += seconds;
  for (size_t i = 0; i < stats_.commit_latency_bounds.size(); ++i) {
    if (seconds <= stats_.commit_latency_bounds[i]) ++stats_.commit_latency_counts[i];
  }
}

void StatsRecorder::RecordFailures(uint64_t transactions) {
  std::lock_guard lock(mu_);
  stats_.failed_transactions += transactions;
}

void StatsRecorder::RecordRetry() {
  std::lock_guard lock(mu_);
  ++stats_.retries;
}

DatabaseStats StatsRecorder::Snapshot() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace internal
}  // namespace anxin::storage
