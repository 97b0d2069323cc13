// Store behaviour every backend must share. Registered twice by anxin_store_test: storage_test_sqlite and
// storage_test_postgres. Tests create their own tables (OpenTestDatabase(false)), so they do not
// depend on the content of the shipped migrations.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <limits>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "storage/database.hpp"
#include "storage/deferred.hpp"
#include "storage/migrations.hpp"
#include "storage/testing.hpp"

namespace anxin::storage {
namespace {

class StorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Database>> db = testing::OpenTestDatabase(/*migrate=*/false);
    ASSERT_TRUE(db.ok()) << "backend " << testing::TestBackendName() << ": " << db.status().ToString();
    db_ = std::move(db).value();
    Status created = db_->Write([](Tx& tx) {
      return tx.ExecScript(
          "CREATE TABLE items (id TEXT PRIMARY KEY, n BIGINT, note TEXT, state TEXT NOT NULL DEFAULT 'a')");
    });
    ASSERT_TRUE(created.ok()) << created.ToString();
  }

  int64_t Count(const std::string& where = "1 = 1") {
    Result<int64_t> count = db_->ReadResult<int64_t>([&](Tx& tx) -> Result<int64_t> {
      ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row,
                             tx.QueryOne("SELECT COUNT(*) FROM items WHERE " + where));
      return row->Int(0);
    });
    EXPECT_TRUE(count.ok()) << count.status().ToString();
    return count.ok() ? *count : -1;
  }

  Status Insert(const std::string& id, int64_t n) {
    return db_->Write([&](Tx& tx) {
      return tx.Exec("INSERT INTO items (id, n) VALUES (?, ?)", {id, n}).status();
    });
  }

  std::set<std::string> Ids() {
    std::set<std::string> ids;
    Status s = db_->Read([&](Tx& tx) -> Status {
      ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query("SELECT id FROM items"));
      for (const Row& row : rows) ids.insert(row.Text(0));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return ids;
  }

  std::unique_ptr<Database> db_;
};

TEST_F(StorageTest, BindsIntegerTextAndNullParametersAndReadsThemBack) {
  struct Case {
    std::string id;
    Value n;
    Value note;
  };
  const std::vector<Case> cases = {
      {"zero", int64_t{0}, std::string("plain")},
      {"max", std::numeric_limits<int64_t>::max(), std::string("安心保险")},
      {"min", std::numeric_limits<int64_t>::min(), std::string("it's a 'quote' and a ? mark")},
      {"nulls", std::monostate(), std::monostate()},
      {"empty", int64_t{-42}, std::string("")},
  };
  for (const Case& c : cases) {
    Status s = db_->Write([&](Tx& tx) {
      return tx.Exec("INSERT INTO items (id, n, note) VALUES (?, ?, ?)", {c.id, c.n, c.note}).status();
    });
    ASSERT_TRUE(s.ok()) << c.id << ": " << s.ToString();
  }
  for (const Case& c : cases) {
    Result<std::optional<Row>> row = db_->ReadResult<std::optional<Row>>(
        [&](Tx& tx) { return tx.QueryOne("SELECT n, note FROM items WHERE id = ?", {c.id}); });
    ASSERT_TRUE(row.ok()) << row.status().ToString();
    ASSERT_TRUE(row->has_value()) << c.id;
    const Row& r = **row;
    if (const auto* n = std::get_if<int64_t>(&c.n)) {
      EXPECT_EQ(r.Int(0), *n) << c.id;
      EXPECT_EQ(r.OptInt(0), *n) << c.id;
    } else {
      EXPECT_TRUE(r.IsNull(0)) << c.id;
      EXPECT_EQ(r.OptInt(0), std::nullopt) << c.id;
      EXPECT_EQ(r.Int(0), 0) << c.id;
    }
    if (const auto* note = std::get_if<std::string>(&c.note)) {
      EXPECT_EQ(r.Text(1), *note) << c.id;
      EXPECT_FALSE(r.IsNull(1)) << c.id;
    } else {
      EXPECT_TRUE(r.IsNull(1)) << c.id;
      EXPECT_EQ(r.OptText(1), std::nullopt) << c.id;
      EXPECT_EQ(r.Text(1), "") << c.id;
    }
  }
}

TEST_F(StorageTest, NullParameterMatchesNothingWithEquals) {
  ASSERT_TRUE(Insert("a", 1).ok());
  Result<std::vector<Row>> rows = db_->ReadResult<std::vector<Row>>(
      [](Tx& tx) { return tx.Query("SELECT id FROM items WHERE note = ?", {std::monostate()}); });
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_TRUE(rows->empty());
}

TEST_F(StorageTest, ReturningGivesTheInsertedAndUpdatedRows) {
  Result<std::vector<Row>> inserted = db_->WriteResult<std::vector<Row>>([](Tx& tx) {
    return tx.Query("INSERT INTO items (id, n) VALUES (?, ?) RETURNING id, n, state",
                    {std::string("r1"), int64_t{7}});
  });
  ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
  ASSERT_EQ(inserted->size(), 1u);
  EXPECT_EQ((*inserted)[0].Text(0), "r1");
  EXPECT_EQ((*inserted)[0].Int(1), 7);
  EXPECT_EQ((*inserted)[0].Text(2), "a");

  Result<std::vector<Row>> updated = db_->WriteResult<std::vector<Row>>([](Tx& tx) {
    return tx.Query("UPDATE items SET n = n + ? WHERE id = ? RETURNING n", {int64_t{5}, std::string("r1")});
  });
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  ASSERT_EQ(updated->size(), 1u);
  EXPECT_EQ((*updated)[0].Int(0), 12);
}

TEST_F(StorageTest, ExecReturnsTheNumberOfChangedRows) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Insert("e" + std::to_string(i), i).ok());
  Result<int64_t> changed = db_->WriteResult<int64_t>(
      [](Tx& tx) { return tx.Exec("UPDATE items SET state = 'b' WHERE n >= ?", {int64_t{2}}); });
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(*changed, 3);
  Result<int64_t> none = db_->WriteResult<int64_t>(
      [](Tx& tx) { return tx.Exec("DELETE FROM items WHERE id = ?", {std::string("nope")}); });
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
}

TEST_F(StorageTest, UniqueViolationIsAlreadyExistsConflict) {
  ASSERT_TRUE(Insert("dup", 1).ok());
  Status second = Insert("dup", 2);
  EXPECT_EQ(second.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(second.reason(), "conflict");
  EXPECT_EQ(Count("id = 'dup' AND n = 1"), 1);
}

TEST_F(StorageTest, OnConflictDoNothingIsNotAnError) {
  ASSERT_TRUE(Insert("k", 1).ok());
  Result<int64_t> changed = db_->WriteResult<int64_t>([](Tx& tx) {
    return tx.Exec("INSERT INTO items (id, n) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                   {std::string("k"), int64_t{2}});
  });
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(*changed, 0);
}

TEST_F(StorageTest, WorkReturningAnErrorLeavesNothingBehind) {
  Status s = db_->Write([](Tx& tx) -> Status {
    ANXIN_RETURN_IF_ERROR(tx.Exec("INSERT INTO items (id, n) VALUES ('w1', 1)").status());
    ANXIN_RETURN_IF_ERROR(tx.Exec("INSERT INTO items (id, n) VALUES ('w2', 2)").status());
    return {StatusCode::kFailedPrecondition, "card_not_activatable", {"不可激活", "not activatable"}};
  });
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.reason(), "card_not_activatable");
  EXPECT_EQ(Count(), 0);
}

TEST_F(StorageTest, ExceptionInWorkIsInternalAndRollsBack) {
  Status s = db_->Write([](Tx& tx) -> Status {
    (void)tx.Exec("INSERT INTO items (id, n) VALUES ('x1', 1)");
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_EQ(Count(), 0);
}

TEST_F(StorageTest, StatementAfterAFailedOneIsRefusedAndOkWorkIsRolledBack) {
  ASSERT_TRUE(Insert("taken", 1).ok());
  Status inner_second;
  Status s = db_->Write([&](Tx& tx) -> Status {
    (void)tx.Exec("INSERT INTO items (id, n) VALUES ('fresh', 1)");
    Status dup = tx.Exec("INSERT INTO items (id, n) VALUES ('taken', 2)").status();
    EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
    inner_second = tx.Exec("INSERT INTO items (id, n) VALUES ('later', 3)").status();
    return Status::Ok();  // wrongly ignores the failure
  });
  EXPECT_EQ(inner_second.code(), StatusCode::kInternal);
  EXPECT_EQ(inner_second.reason(), "tx_aborted");
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_EQ(Ids(), std::set<std::string>({"taken"}));
}

// storage::ExecDeferred: on PostgreSQL the statement goes with the next one or the COMMIT, yet it runs
// in order with the others (the query sees it, the update after it finds its row).
TEST_F(StorageTest, DeferredStatementsRunInOrderAndCommitWithTheWork) {
  int64_t seen = -1;
  Status s = db_->Write([&](Tx& tx) -> Status {
    ANXIN_RETURN_IF_ERROR(ExecDeferred(tx, "INSERT INTO items (id, n) VALUES ('d1', 1)"));
    ANXIN_RETURN_IF_ERROR(ExecDeferred(tx, "UPDATE items SET n = n + 1 WHERE id = ?", {std::string("d1")}));
    ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row, tx.QueryOne("SELECT n FROM items WHERE id = 'd1'"));
    seen = row ? row->Int(0) : 0;
    ANXIN_RETURN_IF_ERROR(ExecDeferred(tx, "UPDATE items SET n = n * 10 WHERE id = 'd1'"));
    // Last: sent with the COMMIT on PostgreSQL.
    return ExecDeferred(tx, "INSERT INTO items (id, n, note) VALUES (?, ?, ?)",
                        {std::string("d2"), int64_t{7}, std::monostate()});
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(Count("id = 'd1' AND n = 20"), 1);
  EXPECT_EQ(Count("id = 'd2' AND n = 7 AND note IS NULL"), 1);
}

// A deferred statement that fails spends the transaction: its error comes back (from the
// statement on SQLite, from the next one or the COMMIT on PostgreSQL) and nothing is kept.
TEST_F(StorageTest, FailedDeferredStatementKeepsNothingOfTheWork) {
  ASSERT_TRUE(Insert("taken", 1).ok());
  for (const bool statement_after : {false, true}) {
    SCOPED_TRACE(statement_after ? "a statement after it" : "the commit after it");
    Status next;
    Status s = db_->Write([&](Tx& tx) -> Status {
      ANXIN_RETURN_IF_ERROR(tx.Exec("INSERT INTO items (id, n) VALUES ('fresh', 1)").status());
      ANXIN_RETURN_IF_ERROR(ExecDeferred(tx, "INSERT INTO items (id, n) VALUES ('taken', 2)"));
      if (!statement_after) return Status::Ok();
      next = tx.Exec("INSERT INTO items (id, n) VALUES ('later', 3)").status();
      return next;
    });
    EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
    EXPECT_EQ(s.reason(), "conflict");
    if (statement_after && db_->dialect() == Dialect::kPostgres) {
      EXPECT_EQ(next.code(), StatusCode::kAlreadyExists);
    }
    EXPECT_EQ(Ids(), std::set<std::string>({"taken"}));
    // The connection that carried the failure serves the next write.
    ASSERT_TRUE(Insert(statement_after ? "after2" : "after1", 0).ok());
    ASSERT_TRUE(
        db_->Write([](Tx& tx) { return tx.Exec("DELETE FROM items WHERE id LIKE 'after%'").status(); }).ok());
  }
}

// storage::QueryAhead: the query runs in order with the statements around it (it sees the deferred
// insert before it, the update after it does not change its rows), and TakeAhead returns its rows,
// whether a statement carried it or TakeAhead had to send it.
TEST_F(StorageTest, QuerySentAheadRunsInOrderAndReturnsItsRows) {
  ASSERT_TRUE(Insert("q1", 5).ok());
  for (const bool statement_after : {true, false}) {
    SCOPED_TRACE(statement_after ? "carried by the next statement" : "sent by TakeAhead");
    std::vector<int64_t> seen;
    int64_t changed = -1;
    Status s = db_->Write([&](Tx& tx) -> Status {
      ANXIN_RETURN_IF_ERROR(ExecDeferred(tx, "INSERT INTO items (id, n) VALUES ('q2', 6)"));
      ANXIN_ASSIGN_OR_RETURN(AheadQuery ahead,
                             QueryAhead(tx, "SELECT n FROM items WHERE id IN (?, ?) ORDER BY n",
                                        {std::string("q1"), std::string("q2")}));
      if (statement_after) {
        ANXIN_ASSIGN_OR_RETURN(changed, tx.Exec("UPDATE items SET n = n + 100 WHERE id IN ('q1', 'q2')"));
      }
      ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, TakeAhead(tx, ahead));
      for (const Row& row : rows) seen.push_back(row.Int(0));
      return tx.Exec("DELETE FROM items WHERE id = 'q2'").status();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
    // q2 is new each time; q1 keeps the first round's update.
    EXPECT_EQ(seen, statement_after ? std::vector<int64_t>({5, 6}) : std::vector<int64_t>({6, 105}));
    if (statement_after) {
      EXPECT_EQ(changed, 2);
    }
  }
  EXPECT_EQ(Count("id = 'q1' AND n = 105"), 1);
}

// A query sent ahead that fails spends the transaction like any statement: TakeAhead and the next
// statement return its error, and nothing of the work is kept.
TEST_F(StorageTest, FailedQuerySentAheadKeepsNothingOfTheWork) {
  Status take;
  Status s = db_->Write([&](Tx& tx) -> Status {
    ANXIN_RETURN_IF_ERROR(tx.Exec("INSERT INTO items (id, n) VALUES ('fresh', 1)").status());
    // A division by zero on PostgreSQL, malformed JSON on SQLite: both fail only when run.
    const char* failing = tx.dialect() == Dialect::kPostgres
                              ? "SELECT 1 / (n - 1) FROM items WHERE id = 'fresh'"
                              : "SELECT json('{') FROM items WHERE id = 'fresh'";
    Result<AheadQuery> ahead = QueryAhead(tx, failing);
    if (!ahead.ok()) return ahead.status();  // SQLite runs it at once
    Status next = tx.Exec("INSERT INTO items (id, n) VALUES ('later', 3)").status();
    take = TakeAhead(tx, *ahead).status();
    EXPECT_FALSE(next.ok());
    return next;
  });
  EXPECT_FALSE(s.ok());
  if (db_->dialect() == Dialect::kPostgres) {
    EXPECT_FALSE(take.ok());
    EXPECT_EQ(take.code(), s.code());
  }
  EXPECT_EQ(Count(), 0);
  ASSERT_TRUE(Insert("after", 0).ok());  // the connection that carried the failure serves the next write
}

TEST_F(StorageTest, FailingTransactionsDoNotUndoConcurrentSuccessfulOnes) {
  ASSERT_TRUE(Insert("existing", 0).ok());
  constexpr int kThreads = 64;
  std::vector<Status> results(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();
      const std::string id = "t" + std::to_string(i);
      results[i] = db_->Write([&](Tx& tx) -> Status {
        ANXIN_RETURN_IF_ERROR(tx.Exec("INSERT INTO items (id, n) VALUES (?, ?)", {id, int64_t{i}}).status());
        if (i % 4 == 1) return {StatusCode::kFailedPrecondition, "refused", {"拒绝", "refused"}};
        if (i % 4 == 2) return tx.Exec("INSERT INTO items (id, n) VALUES ('existing', 1)").status();
        return Status::Ok();
      });
    });
  }
  for (std::thread& t : threads) t.join();
  std::set<std::string> expected = {"existing"};
  for (int i = 0; i < kThreads; ++i) {
    switch (i % 4) {
      case 1:
        EXPECT_EQ(results[i].code(), StatusCode::kFailedPrecondition) << i;
        break;
      case 2:
        EXPECT_EQ(results[i].code(), StatusCode::kAlreadyExists) << i;
        EXPECT_EQ(results[i].reason(), "conflict") << i;
        break;
      default:
        EXPECT_TRUE(results[i].ok()) << i << ": " << results[i].ToString();
        expected.insert("t" + std::to_string(i));
    }
  }
  EXPECT_EQ(Ids(), expected);
}

TEST_F(StorageTest, ReadAfterWriteSeesTheWrite) {
  for (int i = 0; i < 20; ++i) {
    const std::string id = "raw" + std::to_string(i);
    ASSERT_TRUE(Insert(id, i).ok());
    Result<std::optional<Row>> row = db_->ReadResult<std::optional<Row>>(
        [&](Tx& tx) { return tx.QueryOne("SELECT n FROM items WHERE id = ?", {id}); });
    ASSERT_TRUE(row.ok()) << row.status().ToString();
    ASSERT_TRUE(row->has_value()) << id;
    EXPECT_EQ((*row)->Int(0), i);
  }
}

TEST_F(StorageTest, ReadTransactionCannotWrite) {
  Status s = db_->Read([](Tx& tx) { return tx.Exec("INSERT INTO items (id, n) VALUES ('ro', 1)").status(); });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_EQ(Count(), 0);
}

TEST_F(StorageTest, ConcurrentConditionalUpdatesHaveExactlyOneWinner) {
  ASSERT_TRUE(Insert("card", 0).ok());
  constexpr int kThreads = 32;
  std::vector<Result<int64_t>> changed(kThreads, Result<int64_t>(int64_t{-1}));
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();
      changed[i] = db_->WriteResult<int64_t>([](Tx& tx) {
        return tx.Exec("UPDATE items SET state = 'b' WHERE id = ? AND state = 'a'", {std::string("card")});
      });
    });
  }
  for (std::thread& t : threads) t.join();
  int winners = 0;
  for (int i = 0; i < kThreads; ++i) {
    ASSERT_TRUE(changed[i].ok()) << changed[i].status().ToString();
    ASSERT_TRUE(*changed[i] == 0 || *changed[i] == 1) << *changed[i];
    winners += static_cast<int>(*changed[i]);
  }
  EXPECT_EQ(winners, 1);
  EXPECT_EQ(Count("id = 'card' AND state = 'b'"), 1);
}

TEST_F(StorageTest, QueryOneGivesNothingOneRowOrInternalForSeveral) {
  ASSERT_TRUE(Insert("q1", 1).ok());
  ASSERT_TRUE(Insert("q2", 1).ok());
  Status s = db_->Read([](Tx& tx) -> Status {
    Result<std::optional<Row>> none = tx.QueryOne("SELECT id FROM items WHERE id = ?", {std::string("zz")});
    EXPECT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
    Result<std::optional<Row>> one = tx.QueryOne("SELECT id FROM items WHERE id = ?", {std::string("q1")});
    EXPECT_TRUE(one.ok());
    EXPECT_EQ((*one)->Text(0), "q1");
    Result<std::optional<Row>> several = tx.QueryOne("SELECT id FROM items WHERE n = ?", {int64_t{1}});
    EXPECT_EQ(several.status().code(), StatusCode::kInternal);
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_F(StorageTest, AggregatesAndComparisonsReadAsIntegers) {
  ASSERT_TRUE(Insert("s1", 40).ok());
  ASSERT_TRUE(Insert("s2", 2).ok());
  Result<std::optional<Row>> row = db_->ReadResult<std::optional<Row>>(
      [](Tx& tx) { return tx.QueryOne("SELECT SUM(n), COUNT(*), MAX(n), COUNT(*) > 1 FROM items"); });
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_EQ((*row)->Int(0), 42);
  EXPECT_EQ((*row)->Int(1), 2);
  EXPECT_EQ((*row)->Int(2), 40);
  EXPECT_EQ((*row)->Int(3), 1);
}

TEST_F(StorageTest, IntegerParameterWorksInArithmeticBeyond32Bits) {
  const int64_t now_ms = 1'790'000'000'000;
  ASSERT_TRUE(Insert("time", now_ms).ok());
  EXPECT_EQ(Count("n > " + std::to_string(now_ms - 1)), 1);
  Result<int64_t> changed = db_->WriteResult<int64_t>([&](Tx& tx) {
    return tx.Exec("UPDATE items SET n = ? + 86400000 WHERE n > ? - 1000", {now_ms, now_ms});
  });
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(*changed, 1);
  EXPECT_EQ(Count("n = " + std::to_string(now_ms + 86400000)), 1);
}

TEST_F(StorageTest, QuestionMarksInsideLiteralsAndCommentsAreNotPlaceholders) {
  Result<std::optional<Row>> row = db_->ReadResult<std::optional<Row>>([](Tx& tx) {
    return tx.QueryOne(
        "SELECT 'a?b', ?, 'it''s?' || ?, \"n?\" /* why? */ FROM (SELECT 1 AS \"n?\") AS sub -- really?\n"
        "WHERE 1 = ?",
        {std::string("first"), std::string("second"), int64_t{1}});
  });
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  ASSERT_TRUE(row->has_value());
  EXPECT_EQ((*row)->Text(0), "a?b");
  EXPECT_EQ((*row)->Text(1), "first");
  EXPECT_EQ((*row)->Text(2), "it's?second");
  EXPECT_EQ((*row)->Int(3), 1);
}

TEST_F(StorageTest, WrongParameterCountIsInternal) {
  Status s = db_->Read([](Tx& tx) { return tx.Query("SELECT ? , ?", {int64_t{1}}).status(); });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
}

TEST_F(StorageTest, ExecScriptRunsSeveralStatements) {
  Status s = db_->Write([](Tx& tx) {
    return tx.ExecScript(
        "CREATE TABLE script_a (id TEXT PRIMARY KEY);\n"
        "CREATE INDEX IF NOT EXISTS script_a_id ON script_a (id);\n"
        "INSERT INTO script_a (id) VALUES ('one');\n"
        "INSERT INTO script_a (id) VALUES ('two?');\n");
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  Result<std::optional<Row>> row = db_->ReadResult<std::optional<Row>>(
      [](Tx& tx) { return tx.QueryOne("SELECT COUNT(*) FROM script_a"); });
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_EQ((*row)->Int(0), 2);
}

TEST_F(StorageTest, FailingScriptKeepsNoneOfItsStatements) {
  Status s = db_->Write([](Tx& tx) {
    return tx.ExecScript(
        "CREATE TABLE script_b (id TEXT PRIMARY KEY); INSERT INTO no_such_table VALUES (1);");
  });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  Status probe = db_->Read([](Tx& tx) { return tx.Query("SELECT COUNT(*) FROM script_b").status(); });
  EXPECT_EQ(probe.code(), StatusCode::kInternal);
}

std::vector<Migration> TestMigrations() {
  return {
      {"0001_first", "CREATE TABLE mig_a (id TEXT PRIMARY KEY); INSERT INTO mig_a (id) VALUES ('seed');"},
      {"0002_second", "CREATE TABLE mig_b (id TEXT PRIMARY KEY, a_id TEXT NOT NULL);"},
  };
}

TEST_F(StorageTest, ApplyMigrationsAppliesEachOnceInOrder) {
  Result<int> first = ApplyMigrations(*db_, TestMigrations());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, 2);

  Result<int> again = ApplyMigrations(*db_, TestMigrations());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, 0);

  std::vector<Migration> more = TestMigrations();
  more.push_back({"0003_third", "ALTER TABLE mig_b ADD COLUMN note TEXT;"});
  Result<int> third = ApplyMigrations(*db_, more);
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_EQ(*third, 1);

  Result<std::vector<Row>> rows = db_->ReadResult<std::vector<Row>>(
      [](Tx& tx) { return tx.Query("SELECT version, applied_at FROM schema_migrations ORDER BY version"); });
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].Text(0), "0001_first");
  EXPECT_EQ((*rows)[2].Text(0), "0003_third");
  EXPECT_GT((*rows)[0].Int(1), 1'600'000'000'000);
  EXPECT_EQ(Count(), 0);  // the items table is untouched
}

TEST_F(StorageTest, FailedMigrationKeepsNothingAndStopsThere) {
  std::vector<Migration> migrations = {
      {"0001_good", "CREATE TABLE mig_good (id TEXT PRIMARY KEY);"},
      {"0002_bad", "CREATE TABLE mig_half (id TEXT PRIMARY KEY); SELECT * FROM no_such_table;"},
      {"0003_after", "CREATE TABLE mig_after (id TEXT PRIMARY KEY);"},
  };
  Result<int> applied = ApplyMigrations(*db_, migrations);
  EXPECT_EQ(applied.status().code(), StatusCode::kInternal);
  Result<std::vector<Row>> rows = db_->ReadResult<std::vector<Row>>(
      [](Tx& tx) { return tx.Query("SELECT version FROM schema_migrations ORDER BY version"); });
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Text(0), "0001_good");
  for (const char* table : {"mig_half", "mig_after"}) {
    Status probe =
        db_->Read([&](Tx& tx) { return tx.Query(std::string("SELECT 1 FROM ") + table).status(); });
    EXPECT_EQ(probe.code(), StatusCode::kInternal) << table;
  }
}

TEST_F(StorageTest, ConcurrentMigrationsApplyEachOnce) {
  constexpr int kThreads = 4;
  std::vector<Result<int>> results(kThreads, Result<int>(0));
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { results[i] = ApplyMigrations(*db_, TestMigrations()); });
  }
  for (std::thread& t : threads) t.join();
  int total = 0;
  for (const Result<int>& r : results) {
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    total += *r;
  }
  EXPECT_EQ(total, 2);
}

TEST_F(StorageTest, ShippedMigrationsApplyAndAreIdempotent) {
  Result<std::vector<Migration>> shipped = SelectMigrations(EmbeddedMigrationFiles(), db_->dialect());
  ASSERT_TRUE(shipped.ok()) << shipped.status().ToString();
  Result<int> first = Migrate(*db_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, static_cast<int>(shipped->size()));
  Result<int> second = Migrate(*db_);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(*second, 0);
}

TEST_F(StorageTest, StatsCountCommitsAndFailures) {
  const DatabaseStats before = db_->Stats();
  ASSERT_TRUE(Insert("s1", 1).ok());
  ASSERT_TRUE(Insert("s2", 2).ok());
  ASSERT_EQ(Insert("s1", 3).code(), StatusCode::kAlreadyExists);
  const DatabaseStats after = db_->Stats();
  EXPECT_EQ(after.transactions - before.transactions, 2u);
  EXPECT_EQ(after.failed_transactions - before.failed_transactions, 1u);
  EXPECT_GE(after.commits - before.commits, 1u);
  EXPECT_LE(after.commits - before.commits, 3u);
  ASSERT_EQ(after.commit_latency_counts.size(), after.commit_latency_bounds.size());
  ASSERT_FALSE(after.commit_latency_bounds.empty());
  EXPECT_LE(after.commit_latency_counts.back(), after.commits);
  for (size_t i = 1; i < after.commit_latency_counts.size(); ++i) {
    EXPECT_LE(after.commit_latency_counts[i - 1], after.commit_latency_counts[i]);  // cumulative
  }
  EXPECT_GT(after.commit_latency_sum_seconds, 0.0);
}

// --- Write sessions ---------------------------------------------------------------------------

// Inserts `id` as one Write (inside a session when one is bound to this thread).
Status InsertIn(Database& db, const std::string& id, int64_t n = 0) {
  return db.Write([&](Tx& tx) {
    return tx.Exec("INSERT INTO items (id, n) VALUES (?, ?)", {id, n}).status();
  });
}

// A seal inserting `id`.
Work SealInserting(std::string id) {
  return [id](Tx& tx) { return tx.Exec("INSERT INTO items (id, n) VALUES (?, 0)", {id}).status(); };
}

TEST_F(StorageTest, SessionCommitsItsWritesAndItsSealTogether) {
  std::set<std::string> seen_from_outside;
  Status s = db_->WriteSession([&] {
    EXPECT_TRUE(InsertIn(*db_, "a").ok());
    EXPECT_TRUE(InsertIn(*db_, "b").ok());
    // Another thread is not in the session: it sees nothing of it before the commit.
    std::thread outside([&] { seen_from_outside = Ids(); });
    outside.join();
    SessionEnd end;
    end.seal = SealInserting("seal");
    return end;
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(seen_from_outside.empty());
  EXPECT_EQ(Ids(), std::set<std::string>({"a", "b", "seal"}));
}

TEST_F(StorageTest, SessionReadsSeeItsOwnWritesAndCannotWrite) {
  Status s = db_->WriteSession([&] {
    EXPECT_EQ(Count(), 0);  // before the first Write: a plain snapshot
    EXPECT_TRUE(InsertIn(*db_, "mine", 7).ok());
    Result<std::optional<Row>> row = db_->ReadResult<std::optional<Row>>(
        [](Tx& tx) { return tx.QueryOne("SELECT n FROM items WHERE id = 'mine'"); });
    EXPECT_TRUE(row.ok() && row->has_value() && (*row)->Int(0) == 7);
    Status write_in_read =
        db_->Read([](Tx& tx) { return tx.Exec("INSERT INTO items (id, n) VALUES ('sneaky', 1)").status(); });
    EXPECT_EQ(write_in_read.code(), StatusCode::kInternal);
    EXPECT_TRUE(InsertIn(*db_, "after-read").ok());  // the refused write did not spoil the session
    return SessionEnd{};
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Ids(), std::set<std::string>({"mine", "after-read"}));
}

TEST_F(StorageTest, FailedWriteInsideASessionUndoesOnlyItsOwnWork) {
  ASSERT_TRUE(Insert("taken", 0).ok());
  Status s = db_->WriteSession([&] {
    EXPECT_TRUE(InsertIn(*db_, "first").ok());
    Status failed = db_->Write([](Tx& tx) -> Status {
      ANXIN_RETURN_IF_ERROR(tx.Exec("INSERT INTO items (id, n) VALUES ('undone', 1)").status());
      return tx.Exec("INSERT INTO items (id, n) VALUES ('taken', 1)").status();
    });
    EXPECT_EQ(failed.code(), StatusCode::kAlreadyExists);
    Status refused = db_->Write([](Tx& tx) -> Status {
      ANXIN_RETURN_IF_ERROR(tx.Exec("INSERT INTO items (id, n) VALUES ('refused', 1)").status());
      return {StatusCode::kFailedPrecondition, "refused", {"拒绝", "refused"}};
    });
    EXPECT_EQ(refused.reason(), "refused");
    EXPECT_TRUE(InsertIn(*db_, "last").ok());
    return SessionEnd{};
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Ids(), std::set<std::string>({"taken", "first", "last"}));
}

// In a session, a Write's deferred statements belong to it: their failure undoes that Write only,
// whether it is the session's first Write (which begins the transaction) or a later one.
TEST_F(StorageTest, FailedDeferredStatementInsideASessionUndoesOnlyItsWrite) {
  ASSERT_TRUE(Insert("taken", 0).ok());
  auto deferred_insert = [&](const std::string& id) {
    return db_->Write([&](Tx& tx) -> Status {
      ANXIN_RETURN_IF_ERROR(ExecDeferred(tx, "INSERT INTO items (id, n) VALUES (?, 1)", {id + "-pre"}));
      return ExecDeferred(tx, "INSERT INTO items (id, n) VALUES (?, 1)", {id});
    });
  };
  Status s = db_->WriteSession([&] {
    EXPECT_EQ(deferred_insert("taken").code(), StatusCode::kAlreadyExists);  // the first Write
    EXPECT_TRUE(deferred_insert("first").ok());
    EXPECT_EQ(deferred_insert("taken").code(), StatusCode::kAlreadyExists);  // a later one
    EXPECT_TRUE(deferred_insert("last").ok());
    SessionEnd end;
    end.seal = [](Tx& tx) { return ExecDeferred(tx, "INSERT INTO items (id, n) VALUES ('sealed', 1)"); };
    return end;
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Ids(), std::set<std::string>({"taken", "first-pre", "first", "last-pre", "last", "sealed"}));

  // A seal whose deferred statement fails keeps nothing of the session.
  Status failed = db_->WriteSession([&] {
    EXPECT_TRUE(deferred_insert("gone").ok());
    SessionEnd end;
    end.seal = [](Tx& tx) { return ExecDeferred(tx, "INSERT INTO items (id, n) VALUES ('taken', 1)"); };
    return end;
  });
  EXPECT_EQ(failed.code(), StatusCode::kAlreadyExists) << failed.ToString();
  EXPECT_EQ(Count("id LIKE 'gone%'"), 0);
}

TEST_F(StorageTest, SessionSealErrorRollbackOrExceptionKeepsNothing) {
  struct Case {
    const char* name;
    std::function<SessionEnd()> end;  // what the body does after its writes
    StatusCode expected;
  };
  const std::vector<Case> cases = {
      {"seal fails",
       [] {
         SessionEnd end;
         end.seal = [](Tx&) -> Status {
           return {StatusCode::kAlreadyExists, "idempotency_key_taken", {"x", "x"}};
         };
         return end;
       },
       StatusCode::kAlreadyExists},
      {"seal hits a unique violation",
       [] {
         return SessionEnd{SealInserting("dup-seal"), false};
       },
       StatusCode::kAlreadyExists},
      {"rollback asked",
       [] {
         return SessionEnd{SealInserting("never"), true};
       },
       StatusCode::kOk},
      {"body throws", []() -> SessionEnd { throw std::runtime_error("render failed"); },
       StatusCode::kInternal},
  };
  ASSERT_TRUE(Insert("dup-seal", 0).ok());
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Status s = db_->WriteSession([&] {
      EXPECT_TRUE(InsertIn(*db_, "effect-1").ok());
      EXPECT_TRUE(InsertIn(*db_, "effect-2").ok());
      return c.end();
    });
    EXPECT_EQ(s.code(), c.expected) << s.ToString();
    EXPECT_EQ(Ids(), std::set<std::string>({"dup-seal"}));
  }
}

TEST_F(StorageTest, SessionWithoutWritesRunsItsSealAlone) {
  Status s = db_->WriteSession([&] {
    EXPECT_EQ(Count(), 0);
    return SessionEnd{SealInserting("answer"), false};
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Ids(), std::set<std::string>({"answer"}));
  EXPECT_TRUE(db_->WriteSession([] { return SessionEnd{}; }).ok());
}

TEST_F(StorageTest, WriteSessionInsideASessionOrAWriteIsRefused) {
  Status nested;
  ASSERT_TRUE(db_->WriteSession([&] {
                   nested = db_->WriteSession([] { return SessionEnd{}; });
                   return SessionEnd{};
                 })
                  .ok());
  EXPECT_EQ(nested.code(), StatusCode::kInternal);
}

// Other writers are not held up by a session between its statements: their work runs meanwhile.
TEST_F(StorageTest, OtherWritesRunWhileASessionIsBetweenItsStatements) {
  std::mutex mu;
  std::condition_variable cv;
  bool other_ran = false;
  Status other;
  std::thread writer;
  Status s = db_->WriteSession([&] {
    EXPECT_TRUE(InsertIn(*db_, "session").ok());
    writer = std::thread([&] {
      other = db_->Write([&](Tx& tx) -> Status {
        ANXIN_RETURN_IF_ERROR(tx.Exec("INSERT INTO items (id, n) VALUES ('other', 1)").status());
        std::lock_guard lock(mu);
        other_ran = true;
        cv.notify_all();
        return Status::Ok();
      });
    });
    std::unique_lock lock(mu);
    EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return other_ran; }))
        << "the other write did not run while the session was open";
    return SessionEnd{};
  });
  writer.join();
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(other.ok()) << other.ToString();
  EXPECT_EQ(Ids(), std::set<std::string>({"session", "other"}));
}

// Many sessions and plain writes at once; some sessions roll back, which on SQLite rolls their
// group back and runs the others again. Each sealed session's writes are kept exactly once, and
// nothing of a rolled-back one.
TEST_F(StorageTest, ConcurrentSessionsAndWritesKeepExactlyTheirOwnWork) {
  constexpr int kThreads = 48;
  std::vector<Status> results(kThreads);
  std::vector<std::atomic<int>> runs(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();
      const std::string id = "t" + std::to_string(i);
      if (i % 3 == 0) {
        results[i] = InsertIn(*db_, id);
        return;
      }
      results[i] = db_->WriteSession([&] {
        ++runs[i];
        // A row counting this run: a second run of a kept session would leave two.
        EXPECT_TRUE(InsertIn(*db_, id + "-run" + std::to_string(runs[i].load())).ok() || runs[i] > 1);
        std::this_thread::sleep_for(std::chrono::milliseconds(i % 5));
        SessionEnd end;
        end.rollback = i % 3 == 2;
        end.seal = SealInserting(id);
        return end;
      });
    });
  }
  for (std::thread& t : threads) t.join();
  std::set<std::string> ids = Ids();
  for (int i = 0; i < kThreads; ++i) {
    const std::string id = "t" + std::to_string(i);
    ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].ToString();
    if (i % 3 == 0) {
      EXPECT_TRUE(ids.count(id)) << id;
      continue;
    }
    const bool kept = i % 3 == 1;
    EXPECT_EQ(ids.count(id), kept ? 1u : 0u) << id;
    int kept_runs = 0;
    for (int run = 1; run <= runs[i].load(); ++run) kept_runs += ids.count(id + "-run" + std::to_string(run));
    EXPECT_EQ(kept_runs, kept ? 1 : 0) << id << " ran " << runs[i].load() << " times";
  }
}

// Sessions whose seals claim one key: exactly one commits, with its writes; the others keep
// nothing.
TEST_F(StorageTest, ConcurrentSessionsSealingOneKeyHaveOneEffect) {
  constexpr int kThreads = 4;
  std::vector<Status> results(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();
      results[i] = db_->WriteSession([&] {
        EXPECT_TRUE(InsertIn(*db_, "effect" + std::to_string(i)).ok());
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return SessionEnd{SealInserting("the-key"), false};
      });
    });
  }
  for (std::thread& t : threads) t.join();
  int committed = 0;
  for (int i = 0; i < kThreads; ++i) {
    if (results[i].ok()) {
      ++committed;
      EXPECT_EQ(Count("id = 'effect" + std::to_string(i) + "'"), 1);
    } else {
      EXPECT_EQ(results[i].code(), StatusCode::kAlreadyExists) << results[i].ToString();
      EXPECT_EQ(Count("id = 'effect" + std::to_string(i) + "'"), 0);
    }
  }
  EXPECT_EQ(committed, 1);
  EXPECT_EQ(Count(), 2);  // the key and the winner's effect
}

TEST_F(StorageTest, PingAnswers) { EXPECT_TRUE(db_->Ping().ok()); }

TEST_F(StorageTest, DialectMatchesTheBackend) {
  EXPECT_EQ(db_->dialect(), testing::TestBackendName() == "postgres" ? Dialect::kPostgres : Dialect::kSqlite);
  Status s = db_->Read([&](Tx& tx) {
    EXPECT_EQ(tx.dialect(), db_->dialect());
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok());
}

TEST(SelectMigrationsTest, DialectFilesReplaceTheGenericOne) {
  const std::vector<MigrationFile> files = {
      {"0001_a.postgres.sql", "pg a"},   {"0001_a.sql", "generic a"},       {"0002_b.sql", "generic b"},
      {"0002_b.sqlite.sql", "sqlite b"}, {"0003_c.sqlite.sql", "sqlite c"},
  };
  struct Case {
    Dialect dialect;
    std::vector<std::pair<std::string, std::string>> expected;
  };
  const std::vector<Case> cases = {
      {Dialect::kPostgres, {{"0001_a", "pg a"}, {"0002_b", "generic b"}}},
      {Dialect::kSqlite, {{"0001_a", "generic a"}, {"0002_b", "sqlite b"}, {"0003_c", "sqlite c"}}},
  };
  for (const Case& c : cases) {
    Result<std::vector<Migration>> selected = SelectMigrations(files, c.dialect);
    ASSERT_TRUE(selected.ok()) << selected.status().ToString();
    std::vector<std::pair<std::string, std::string>> got;
    for (const Migration& m : *selected) got.emplace_back(m.version, m.sql);
    EXPECT_EQ(got, c.expected);
  }
}

TEST(SelectMigrationsTest, RejectsBadNamesAndSharedNumbers) {
  const std::vector<std::vector<MigrationFile>> cases = {
      {{"identity.sql", ""}},
      {{"0001.sql", ""}},
      {{"00a1_x.sql", ""}},
      {{"0001_x.mysql.sql", ""}},
      {{"0002_audit.sql", ""}, {"0002_other.sql", ""}},
  };
  for (const std::vector<MigrationFile>& files : cases) {
    EXPECT_EQ(SelectMigrations(files, Dialect::kSqlite).status().code(), StatusCode::kInternal)
        << files[0].name;
  }
}

}  // namespace
}  // namespace anxin::storage
