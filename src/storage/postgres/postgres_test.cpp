// PostgreSQL-only behaviour: replacing broken connections, retrying deadlocks, session settings.
// Runs against the throwaway cluster (ctest fixture `postgres`).
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "storage/database.hpp"
#include "storage/deferred.hpp"
#include "storage/testing.hpp"

namespace anxin::storage {
namespace {

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(testing::TestBackendName(), "postgres");
    Result<std::unique_ptr<Database>> db = testing::OpenTestDatabase(/*migrate=*/false);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_EQ(db_->dialect(), Dialect::kPostgres);
    Status created = db_->Write([](Tx& tx) {
      return tx.ExecScript(
          "CREATE TABLE acct (id TEXT PRIMARY KEY, balance BIGINT NOT NULL);"
          "INSERT INTO acct (id, balance) VALUES ('a', 100), ('b', 100);");
    });
    ASSERT_TRUE(created.ok()) << created.ToString();
  }

  // Returns the server process of the connection a lone Read gets from the pool.
  int64_t BackendPid() {
    Result<std::optional<Row>> pid =
        db_->ReadResult<std::optional<Row>>([](Tx& tx) { return tx.QueryOne("SELECT pg_backend_pid()"); });
    EXPECT_TRUE(pid.ok()) << pid.status().ToString();
    return pid.ok() ? (*pid)->Int(0) : -1;
  }

  // Runs `sql` on a connection of its own, outside the pool; returns the first value of its first
  // row ("" when it has none).
  static std::string AsAdmin(const std::string& sql) {
    const char* url = std::getenv("ANXIN_TEST_PG_URL");
    EXPECT_NE(url, nullptr);
    if (url == nullptr) return "";
    PGconn* admin = PQconnectdb(url);
    EXPECT_EQ(PQstatus(admin), CONNECTION_OK) << PQerrorMessage(admin);
    PGresult* result = PQexec(admin, sql.c_str());
    EXPECT_EQ(PQresultStatus(result), PGRES_TUPLES_OK) << PQresultErrorMessage(result);
    std::string value = PQntuples(result) > 0 ? PQgetvalue(result, 0, 0) : "";
    PQclear(result);
    PQfinish(admin);
    return value;
  }

  // Has the server end backend `pid` (only that one: other tests may share the cluster).
  static void Terminate(int64_t pid) {
    EXPECT_EQ(AsAdmin("SELECT pg_terminate_backend(" + std::to_string(pid) + ")"), "t");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  std::unique_ptr<Database> db_;
};

TEST_F(PostgresTest, SessionsKeepSynchronousCommitOn) {
  Result<std::optional<Row>> row =
      db_->ReadResult<std::optional<Row>>([](Tx& tx) { return tx.QueryOne("SHOW synchronous_commit"); });
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_EQ((*row)->Text(0), "on");
}

TEST_F(PostgresTest, ReadsRunInRepeatableReadReadOnly) {
  Status s = db_->Read([](Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Row> level, tx.QueryOne("SHOW transaction_isolation"));
    EXPECT_EQ(level->Text(0), "repeatable read");
    ANXIN_ASSIGN_OR_RETURN(std::optional<Row> ro, tx.QueryOne("SHOW transaction_read_only"));
    EXPECT_EQ(ro->Text(0), "on");
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  Status w = db_->Write([](Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Row> level, tx.QueryOne("SHOW transaction_isolation"));
    EXPECT_EQ(level->Text(0), "read committed");
    return Status::Ok();
  });
  EXPECT_TRUE(w.ok()) << w.ToString();
}

TEST_F(PostgresTest, BrokenPooledConnectionsAreReplaced) {
  // Used one at a time, the pool holds a single connection: have the server kill it.
  const int64_t pid = BackendPid();
  Terminate(pid);

  EXPECT_TRUE(db_->Ping().ok());
  Status w = db_->Write(
      [](Tx& tx) { return tx.Exec("UPDATE acct SET balance = balance + 1 WHERE id = 'a'").status(); });
  EXPECT_TRUE(w.ok()) << w.ToString();
  EXPECT_NE(BackendPid(), pid);
}

// A transaction's BEGIN goes with its first statement, in one pipeline when that statement is
// already prepared on the connection: a pooled connection the server closed is then found broken
// on that pipeline, and replaced without the caller seeing an error.
TEST_F(PostgresTest, BrokenPooledConnectionIsReplacedWhenTheBeginGoesWithAPreparedStatement) {
  const int64_t pid = BackendPid();
  Terminate(pid);

  // The same statement, prepared on the killed connection only.
  EXPECT_NE(BackendPid(), pid);
  // And the replacement runs transactions as before: a write in READ COMMITTED, then a read in
  // REPEATABLE READ, each through the pipeline now that the statement is prepared on it.
  for (const char* level : {"read committed", "repeatable read"}) {
    Result<std::optional<Row>> row = std::string(level) == "read committed"
                                         ? db_->WriteResult<std::optional<Row>>([](Tx& tx) {
                                             return tx.QueryOne("SHOW transaction_isolation");
                                           })
                                         : db_->ReadResult<std::optional<Row>>([](Tx& tx) {
                                             return tx.QueryOne("SHOW transaction_isolation");
                                           });
    ASSERT_TRUE(row.ok()) << row.status().ToString();
    EXPECT_EQ((*row)->Text(0), level);
  }
}

// A transaction whose first statements are queued (storage::ExecDeferred, storage::QueryAhead)
// sends its BEGIN in one pipeline with them: a pooled connection the server closed is found
// broken on that pipeline, replaced, and the work run again on the new one, its effect once.
TEST_F(PostgresTest, BrokenPooledConnectionIsReplacedWhenTheBeginGoesWithQueuedStatements) {
  auto bump = [&]() -> Result<int64_t> {
    return db_->WriteResult<int64_t>([](Tx& tx) -> Result<int64_t> {
      ANXIN_RETURN_IF_ERROR(ExecDeferred(tx, "UPDATE acct SET balance = balance + 1 WHERE id = 'a'"));
      ANXIN_ASSIGN_OR_RETURN(AheadQuery ahead, QueryAhead(tx, "SELECT balance FROM acct WHERE id = 'a'"));
      ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, TakeAhead(tx, ahead));
      if (rows.size() != 1) return Status::Internal("no row a");
      return rows.front().Int(0);
    });
  };
  Result<int64_t> first = bump();  // prepares both statements on the pooled connection
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const int64_t pid = BackendPid();
  Terminate(pid);

  Result<int64_t> second = bump();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(*second, *first + 1);  // the queued update ran once, before the query
  EXPECT_NE(BackendPid(), pid);
}

// A read ends without waiting for its COMMIT's answer (read when the connection is next used), but
// the COMMIT is sent at once: the pooled connection does not sit in an open transaction holding
// its snapshot (which would keep VACUUM from cleaning up), and the next read sees newer writes.
TEST_F(PostgresTest, AReadEndsItsTransactionAtOnceAndTheNextUseReadsTheAnswer) {
  const int64_t pid = BackendPid();
  const std::string query = "SELECT state FROM pg_stat_activity WHERE pid = " + std::to_string(pid);
  std::string state;
  for (int i = 0; i < 100 && state != "idle"; ++i) {
    state = AsAdmin(query);
    if (state != "idle") std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(state, "idle");  // not "idle in transaction"

  auto balance = [&] {
    return db_->ReadResult<std::optional<Row>>(
        [](Tx& tx) { return tx.QueryOne("SELECT balance FROM acct WHERE id = 'a'"); });
  };
  for (int64_t i = 1; i <= 20; ++i) {
    Status w = db_->Write(
        [](Tx& tx) { return tx.Exec("UPDATE acct SET balance = balance + 1 WHERE id = 'a'").status(); });
    ASSERT_TRUE(w.ok()) << w.ToString();
    Result<std::optional<Row>> row = balance();
    ASSERT_TRUE(row.ok()) << row.status().ToString();
    EXPECT_EQ((*row)->Int(0), 100 + i);
  }
  // Still the one connection: each use read the previous read's answer and went on.
  EXPECT_EQ(BackendPid(), pid);
}

TEST_F(PostgresTest, DeadlockedWritesAreRetriedAndBothSucceed) {
  const DatabaseStats before = db_->Stats();
  std::atomic<int> locked_first{0};
  auto transfer = [&](const std::string& from, const std::string& to) {
    std::atomic<bool> first_attempt{true};
    return db_->Write([&, from, to](Tx& tx) -> Status {
      ANXIN_RETURN_IF_ERROR(tx.Exec("UPDATE acct SET balance = balance - 1 WHERE id = ?", {from}).status());
      if (first_attempt.exchange(false)) {
        // Both hold their first row before either asks for its second: a deadlock.
        locked_first.fetch_add(1);
        while (locked_first.load() < 2) std::this_thread::yield();
      }
      return tx.Exec("UPDATE acct SET balance = balance + 1 WHERE id = ?", {to}).status();
    });
  };
  Status ab;
  Status ba;
  std::thread t1([&] { ab = transfer("a", "b"); });
  std::thread t2([&] { ba = transfer("b", "a"); });
  t1.join();
  t2.join();
  EXPECT_TRUE(ab.ok()) << ab.ToString();
  EXPECT_TRUE(ba.ok()) << ba.ToString();
  EXPECT_GE(db_->Stats().retries - before.retries, 1u);
  Result<std::optional<Row>> sum = db_->ReadResult<std::optional<Row>>(
      [](Tx& tx) { return tx.QueryOne("SELECT SUM(balance) FROM acct"); });
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ((*sum)->Int(0), 200);
}

// A deferred statement goes with the COMMIT: a deadlock it runs into there is retried like any
// other (the whole work again), and the failed transaction's connection goes back to the pool.
TEST_F(PostgresTest, DeadlockOfADeferredStatementAtTheCommitIsRetried) {
  const DatabaseStats before = db_->Stats();
  std::atomic<int> locked_first{0};
  auto transfer = [&](const std::string& from, const std::string& to) {
    std::atomic<bool> first_attempt{true};
    return db_->Write([&, from, to](Tx& tx) -> Status {
      ANXIN_RETURN_IF_ERROR(tx.Exec("UPDATE acct SET balance = balance - 1 WHERE id = ?", {from}).status());
      if (first_attempt.exchange(false)) {
        locked_first.fetch_add(1);
        while (locked_first.load() < 2) std::this_thread::yield();
      }
      // Nothing follows: it waits for the COMMIT's round trip, where both meet.
      return ExecDeferred(tx, "UPDATE acct SET balance = balance + 1 WHERE id = ?", {to});
    });
  };
  Status ab;
  Status ba;
  std::thread t1([&] { ab = transfer("a", "b"); });
  std::thread t2([&] { ba = transfer("b", "a"); });
  t1.join();
  t2.join();
  EXPECT_TRUE(ab.ok()) << ab.ToString();
  EXPECT_TRUE(ba.ok()) << ba.ToString();
  EXPECT_GE(db_->Stats().retries - before.retries, 1u);
  Result<std::vector<Row>> rows = db_->ReadResult<std::vector<Row>>(
      [](Tx& tx) { return tx.Query("SELECT balance FROM acct ORDER BY id"); });
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].Int(0), 100);
  EXPECT_EQ((*rows)[1].Int(0), 100);
}

// On PostgreSQL ExecDeferred only queues: the statement's error is the next statement's.
TEST_F(PostgresTest, DeferredStatementFailsWithTheNextStatement) {
  Status queued;
  Status next;
  Status s = db_->Write([&](Tx& tx) -> Status {
    queued = ExecDeferred(tx, "INSERT INTO acct (id, balance) VALUES ('a', 1)");
    next = tx.Exec("UPDATE acct SET balance = 0 WHERE id = 'b'").status();
    return next;
  });
  EXPECT_TRUE(queued.ok()) << queued.ToString();
  EXPECT_EQ(next.code(), StatusCode::kAlreadyExists) << next.ToString();
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  Result<std::optional<Row>> b = db_->ReadResult<std::optional<Row>>(
      [](Tx& tx) { return tx.QueryOne("SELECT balance FROM acct WHERE id = 'b'"); });
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)->Int(0), 100);
}

// A deadlock between two sessions after their first Writes: the loser's whole body runs again
// (nothing of its first run is kept), and both transfers apply exactly once.
TEST_F(PostgresTest, DeadlockInsideASessionRunsTheWholeBodyAgain) {
  std::atomic<int> locked_first{0};
  std::atomic<int> runs{0};
  auto transfer = [&](const std::string& from, const std::string& to) {
    bool first_run = true;
    return db_->WriteSession([&, from, to] {
      ++runs;
      Status debit = db_->Write([&](Tx& tx) {
        return tx.Exec("UPDATE acct SET balance = balance - 1 WHERE id = ?", {from}).status();
      });
      EXPECT_TRUE(debit.ok()) << debit.ToString();
      if (std::exchange(first_run, false)) {
        locked_first.fetch_add(1);
        while (locked_first.load() < 2) std::this_thread::yield();
      }
      (void)db_->Write([&](Tx& tx) {
        return tx.Exec("UPDATE acct SET balance = balance + 1 WHERE id = ?", {to}).status();
      });
      SessionEnd end;
      end.seal = [from](Tx& tx) {
        return tx.Exec("INSERT INTO acct (id, balance) VALUES (?, 0)", {"done-" + from}).status();
      };
      return end;
    });
  };
  Status ab;
  Status ba;
  std::thread t1([&] { ab = transfer("a", "b"); });
  std::thread t2([&] { ba = transfer("b", "a"); });
  t1.join();
  t2.join();
  ASSERT_TRUE(ab.ok()) << ab.ToString();
  ASSERT_TRUE(ba.ok()) << ba.ToString();
  EXPECT_GE(runs.load(), 3);  // the deadlock victim ran twice
  Result<std::vector<Row>> rows = db_->ReadResult<std::vector<Row>>(
      [](Tx& tx) { return tx.Query("SELECT id, balance FROM acct ORDER BY id"); });
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0].Text(0), "a");
  EXPECT_EQ((*rows)[0].Int(1), 100);
  EXPECT_EQ((*rows)[1].Text(0), "b");
  EXPECT_EQ((*rows)[1].Int(1), 100);
  EXPECT_EQ((*rows)[2].Text(0), "done-a");
  EXPECT_EQ((*rows)[3].Text(0), "done-b");
}

TEST_F(PostgresTest, DollarQuotedBodiesKeepTheirQuestionMarks) {
  Status s = db_->Write([](Tx& tx) {
    return tx.ExecScript(
        "CREATE FUNCTION ask(x TEXT) RETURNS TEXT LANGUAGE sql AS $body$ SELECT x || '?' $body$;");
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  Result<std::optional<Row>> row = db_->ReadResult<std::optional<Row>>(
      [](Tx& tx) { return tx.QueryOne("SELECT ask(?), $$?$$", {std::string("why")}); });
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_EQ((*row)->Text(0), "why?");
  EXPECT_EQ((*row)->Text(1), "?");
}

TEST(PostgresOpenTest, UnreachableServerIsUnavailable) {
  DatabaseOptions options;
  options.url = "postgresql://anxin@127.0.0.1:1/anxin_test?connect_timeout=2";
  EXPECT_EQ(OpenDatabase(options).status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace anxin::storage
