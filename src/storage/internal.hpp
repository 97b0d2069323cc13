#pragma once

// Pieces shared by the storage backends; not part of the module's API.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "storage/database.hpp"
#include "storage/deferred.hpp"

namespace anxin::storage::internal {

// A unique or primary-key violation: kAlreadyExists, reason "conflict".
Status ConflictStatus();
// A lock or serialization conflict the caller may retry: kAborted, reason "conflict_retry".
Status RetryStatus();
// The database cannot be reached or its disk failed: kUnavailable, reason "storage_unavailable".
// `detail` is logged, never shown.
Status UnavailableStatus(std::string_view detail);
// A statement ran on a transaction spoiled by an earlier failed statement: kInternal ("tx_aborted").
Status TxAbortedStatus();
// Work returned OK although one of its statements failed: kInternal.
Status IgnoredErrorStatus(const Status& first_error);

// A Tx that can hold statements back (storage::ExecDeferred, storage::QueryAhead): PostgreSQL's.
class DeferringTx {
 public:
  virtual Status ExecDeferred(std::string_view sql, std::span<const Value> params) = 0;
  // Queues query `sql`; its outcome goes to `slot` once it has run.
  virtual Status QueryAhead(std::string_view sql, std::span<const Value> params,
                            std::shared_ptr<AheadQuery::Slot> slot) = 0;
  // Sends what is queued now; returns the first failure among it.
  virtual Status Flush() = 0;

 protected:
  ~DeferringTx() = default;
};

// Runs `work` on `tx`, turning an exception it throws into kInternal.
Status RunWork(const Work& work, Tx& tx);

// How many times a write session's body runs at most before WriteSession gives up (kAborted)
// after conflicts of its own (PostgreSQL serialization failures and deadlocks).
inline constexpr int kMaxSessionAttempts = 8;
// How many times at most a SQLite session's body runs again because another session of its group
// was undone. Every such undo ends the session that caused it, so this converges; the bound only
// guards against a bug.
inline constexpr int kMaxSessionRestarts = 64;

// A write session as a backend implements it: what Write and Read do on the thread the session
// is bound to.
class SessionHooks {
 public:
  virtual ~SessionHooks() = default;
  virtual Status Write(const Work& work) = 0;
  virtual Status Read(const Work& work) = 0;
};

// Returns the session bound to the calling thread for `db`, or null.
SessionHooks* BoundSession(const Database* db);

// Runs `body` with `session` bound to the calling thread for `db` and returns its end. An
// exception thrown by `body` is stored in `*thrown` (kInternal) and turned into a rollback.
SessionEnd RunBound(const Database* db, SessionHooks& session, const SessionBody& body, Status* thrown);

// Ends a session whose body wrote nothing (so no transaction is open): returns `thrown` if the
// body threw, else runs the seal, if any and not rolled back, as a Write of `db`.
Status EndWithoutTransaction(Database& db, const SessionEnd& end, const Status& thrown);

// The error of WriteSession when it is called inside a session or a Write.
Status NestedSessionStatus();

// Returns `db` wrapped so that `cleanup` runs after it is destroyed (temporary files, test schemas).
std::unique_ptr<Database> WithCleanup(std::unique_ptr<Database> db, std::function<void()> cleanup);

// Thread-safe commit counters behind Database::Stats().
class StatsRecorder {
 public:
  StatsRecorder();

  // Records one physical commit that took `latency` and made `transactions` logical ones durable.
  void RecordCommit(std::chrono::steady_clock::duration latency, uint64_t transactions);
  void RecordFailures(uint64_t transactions);
  void RecordRetry();

  [[nodiscard]] DatabaseStats Snapshot() const;

 private:
  mutable std::mutex mu_;
  DatabaseStats stats_;  // guarded by mu_
};

// Returns the bounds (seconds) of the commit latency histogram.
const std::vector<double>& CommitLatencyBounds();

}  // namespace anxin::storage::internal
