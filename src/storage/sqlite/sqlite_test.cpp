// SQLite-only behaviour: group commit, durability on the file, connection settings, URL forms.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/database.hpp"

namespace anxin::storage {
namespace {

// A temporary directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() / ("anxin-sqlite-test-" + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::unique_ptr<Database> MustOpen(const std::string& url, int busy_timeout_ms = 5000) {
  DatabaseOptions options;
  options.url = url;
  options.busy_timeout_ms = busy_timeout_ms;
  Result<std::unique_ptr<Database>> db = OpenDatabase(options);
  EXPECT_TRUE(db.ok()) << url << ": " << db.status().ToString();
  return db.ok() ? std::move(db).value() : nullptr;
}

Status CreateTable(Database& db) {
  return db.Write(
      [](Tx& tx) { return tx.ExecScript("CREATE TABLE t (id TEXT PRIMARY KEY, n BIGINT NOT NULL)"); });
}

TEST(SqliteTest, ConcurrentWritersShareCommits) {
  TempDir dir;
  std::unique_ptr<Database> db = MustOpen("sqlite://" + (dir.path() / "group.db").string());
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(CreateTable(*db).ok());
  const DatabaseStats before = db->Stats();

  // The first writer holds the writer thread until the other 63 have queued behind it.
  constexpr int kThreads = 64;
  std::atomic<int> waiting{0};
  std::atomic<bool> first_running{false};
  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    results[0] = db->Write([&](Tx& tx) -> Status {
      first_running = true;
      while (waiting.load() < kThreads - 1) std::this_thread::yield();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      return tx.Exec("INSERT INTO t (id, n) VALUES ('w0', 0)").status();
    });
  });
  while (!first_running.load()) std::this_thread::yield();
  for (int i = 1; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      waiting.fetch_add(1);
      results[i] = db->Write([&](Tx& tx) {
        return tx.Exec("INSERT INTO t (id, n) VALUES (?, ?)", {"w" + std::to_string(i), int64_t{i}}).status();
      });
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) EXPECT_TRUE(results[i].ok()) << i << ": " << results[i].ToString();

  const DatabaseStats after = db->Stats();
  const uint64_t commits = after.commits - before.commits;
  const uint64_t transactions = after.transactions - before.transactions;
  EXPECT_EQ(transactions, static_cast<uint64_t>(kThreads));
  EXPECT_LT(commits, transactions);
  EXPECT_GE(commits, 2u);  // the first writer's group, then at least one more
}

TEST(SqliteTest, WriteIsVisibleToAFreshConnectionOnceItReturns) {
  TempDir dir;
  const std::string file = (dir.path() / "durable.db").string();
  std::unique_ptr<Database> db = MustOpen("sqlite://" + file);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(CreateTable(*db).ok());
  ASSERT_TRUE(
      db->Write([](Tx& tx) { return tx.Exec("INSERT INTO t (id, n) VALUES ('kept', 7)").status(); }).ok());

  // An independent connection, not from our pools.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "SELECT n FROM t WHERE id = 'kept'", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(stmt, 0), 7);
  sqlite3_finalize(stmt);
  sqlite3_close(raw);

  // And after closing and reopening the database.
  db.reset();
  db = MustOpen("sqlite:" + file);
  ASSERT_NE(db, nullptr);
  Result<std::optional<Row>> row = db->ReadResult<std::optional<Row>>(
      [](Tx& tx) { return tx.QueryOne("SELECT n FROM t WHERE id = 'kept'"); });
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  ASSERT_TRUE(row->has_value());
  EXPECT_EQ((*row)->Int(0), 7);
}

TEST(SqliteTest, ConnectionsUseWalFullSyncAndForeignKeys) {
  TempDir dir;
  std::unique_ptr<Database> db = MustOpen("sqlite://" + (dir.path() / "pragmas.db").string());
  ASSERT_NE(db, nullptr);
  auto check = [](Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Row> mode, tx.QueryOne("PRAGMA journal_mode"));
    EXPECT_EQ(mode->Text(0), "wal");
    ANXIN_ASSIGN_OR_RETURN(std::optional<Row> sync, tx.QueryOne("PRAGMA synchronous"));
    EXPECT_EQ(sync->Int(0), 2);  // FULL
    ANXIN_ASSIGN_OR_RETURN(std::optional<Row> keys, tx.QueryOne("PRAGMA foreign_keys"));
    EXPECT_EQ(keys->Int(0), 1);
    return Status::Ok();
  };
  EXPECT_TRUE(db->Write(check).ok());
  EXPECT_TRUE(db->Read(check).ok());
}

TEST(SqliteTest, ForeignKeyViolationIsInternal) {
  TempDir dir;
  std::unique_ptr<Database> db = MustOpen("sqlite://" + (dir.path() / "fk.db").string());
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(
      db->Write([](Tx& tx) {
          return tx.ExecScript(
              "CREATE TABLE parent (id TEXT PRIMARY KEY);"
              "CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent (id));");
        }).ok());
  Status s = db->Write(
      [](Tx& tx) { return tx.Exec("INSERT INTO child (id, parent_id) VALUES ('c', 'nobody')").status(); });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
}

TEST(SqliteTest, WriteLockHeldElsewhereGivesConflictRetry) {
  TempDir dir;
  const std::string file = (dir.path() / "busy.db").string();
  std::unique_ptr<Database> db = MustOpen("sqlite://" + file, /*busy_timeout_ms=*/50);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(CreateTable(*db).ok());

  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  Status s = db->Write([](Tx& tx) { return tx.Exec("INSERT INTO t (id, n) VALUES ('x', 1)").status(); });
  EXPECT_EQ(s.code(), StatusCode::kAborted);
  EXPECT_EQ(s.reason(), "conflict_retry");
  ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);

  EXPECT_TRUE(
      db->Write([](Tx& tx) { return tx.Exec("INSERT INTO t (id, n) VALUES ('x', 1)").status(); }).ok());
}

TEST(SqliteTest, ReadSeesOneSnapshot) {
  TempDir dir;
  std::unique_ptr<Database> db = MustOpen("sqlite://" + (dir.path() / "snapshot.db").string());
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(CreateTable(*db).ok());
  Status s = db->Read([&](Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Row> before, tx.QueryOne("SELECT COUNT(*) FROM t"));
    EXPECT_TRUE(
        db->Write([](Tx& w) { return w.Exec("INSERT INTO t (id, n) VALUES ('late', 1)").status(); }).ok());
    ANXIN_ASSIGN_OR_RETURN(std::optional<Row> after, tx.QueryOne("SELECT COUNT(*) FROM t"));
    EXPECT_EQ(before->Int(0), 0);
    EXPECT_EQ(after->Int(0), 0);  // the same snapshot
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(SqliteTest, WriteFromInsideAWriteIsRefused) {
  TempDir dir;
  std::unique_ptr<Database> db = MustOpen("sqlite://" + (dir.path() / "nested.db").string());
  ASSERT_NE(db, nullptr);
  Status inner;
  Status outer = db->Write([&](Tx&) {
    inner = db->Write([](Tx&) { return Status::Ok(); });
    return Status::Ok();
  });
  EXPECT_TRUE(outer.ok());
  EXPECT_EQ(inner.code(), StatusCode::kInternal);
}

std::unique_ptr<Database> MustOpenWithIdleLimit(const std::string& url, int idle_limit_ms) {
  DatabaseOptions options;
  options.url = url;
  options.session_idle_limit_ms = idle_limit_ms;
  Result<std::unique_ptr<Database>> db = OpenDatabase(options);
  EXPECT_TRUE(db.ok()) << url << ": " << db.status().ToString();
  return db.ok() ? std::move(db).value() : nullptr;
}

Status InsertRow(Database& db, const std::string& id) {
  return db.Write([&](Tx& tx) { return tx.Exec("INSERT INTO t (id, n) VALUES (?, 0)", {id}).status(); });
}

std::set<std::string> RowIds(Database& db) {
  std::set<std::string> ids;
  Status s = db.Read([&](Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query("SELECT id FROM t"));
    for (const Row& row : rows) ids.insert(row.Text(0));
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return ids;
}

// A session that sits idle while its group waits is undone after the limit, so that the other
// writes of its group commit instead of waiting for it.
TEST(SqliteTest, IdleSessionIsUndoneAndTheGroupCommitsWithoutIt) {
  TempDir dir;
  std::unique_ptr<Database> db = MustOpenWithIdleLimit("sqlite://" + (dir.path() / "idle.db").string(), 100);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(CreateTable(*db).ok());
  std::atomic<bool> plain_answered{false};
  bool answered_while_idle = false;
  Status plain;
  Status late_write;
  std::thread other;
  Status session = db->WriteSession([&] {
    EXPECT_TRUE(InsertRow(*db, "session").ok());
    other = std::thread([&] {
      plain = InsertRow(*db, "plain");  // runs in the session's group
      plain_answered = true;
    });
    std::this_thread::sleep_for(std::chrono::seconds(1));
    answered_while_idle = plain_answered.load();
    late_write = InsertRow(*db, "late");
    return SessionEnd{};
  });
  other.join();
  EXPECT_EQ(session.code(), StatusCode::kUnavailable);
  EXPECT_EQ(session.reason(), "write_session_timeout");
  EXPECT_EQ(late_write.reason(), "write_session_timeout");
  EXPECT_TRUE(plain.ok()) << plain.ToString();
  EXPECT_TRUE(answered_while_idle);
  EXPECT_EQ(RowIds(*db), std::set<std::string>({"plain"}));
}

// Undoing a session that wrote rolls back its group: the other session there runs its body
// again, the plain write runs again, and each keeps its work exactly once.
TEST(SqliteTest, UndoingASessionRunsTheOthersOfItsGroupAgain) {
  TempDir dir;
  std::unique_ptr<Database> db = MustOpen("sqlite://" + (dir.path() / "undo.db").string());
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(CreateTable(*db).ok());
  const DatabaseStats before = db->Stats();

  // A plain write holds the writer until both sessions have queued their first Write, so that
  // they join the next group together.
  std::atomic<bool> release_writer{false};
  std::thread blocker([&] {
    EXPECT_TRUE(db->Write([&](Tx& tx) {
                    while (!release_writer.load()) std::this_thread::yield();
                    return tx.Exec("INSERT INTO t (id, n) VALUES ('blocker', 0)").status();
                  }).ok());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));

  std::atomic<int> first_writes{0};
  std::atomic<bool> failing_ended{false};
  std::atomic<int> kept_runs{0};
  Status failing;
  Status kept;
  std::thread a([&] {
    failing = db->WriteSession([&] {
      EXPECT_TRUE(InsertRow(*db, "failing").ok());
      ++first_writes;
      while (first_writes.load() < 2) std::this_thread::yield();
      SessionEnd end;
      end.rollback = true;  // the request failed: a 5xx
      return end;
    });
    failing_ended = true;
  });
  std::thread b([&] {
    kept = db->WriteSession([&] {
      const int run = ++kept_runs;
      EXPECT_TRUE(InsertRow(*db, "kept-" + std::to_string(run)).ok());
      if (run == 1) {
        ++first_writes;
        while (!failing_ended.load()) std::this_thread::yield();
      }
      SessionEnd end;
      end.seal = [](Tx& tx) { return tx.Exec("INSERT INTO t (id, n) VALUES ('kept-seal', 0)").status(); };
      return end;
    });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  release_writer = true;
  blocker.join();
  a.join();
  b.join();
  EXPECT_TRUE(failing.ok()) << failing.ToString();
  EXPECT_TRUE(kept.ok()) << kept.ToString();
  EXPECT_EQ(kept_runs.load(), 2);
  EXPECT_EQ(RowIds(*db), std::set<std::string>({"blocker", "kept-2", "kept-seal"}));
  EXPECT_GE(db->Stats().retries - before.retries, 1u);
}

TEST(SqliteTest, MemoryUrlIsAPrivateFileRemovedOnClose) {
  std::unique_ptr<Database> db = MustOpen("sqlite::memory:");
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(CreateTable(*db).ok());
  Result<std::optional<Row>> file = db->ReadResult<std::optional<Row>>(
      [](Tx& tx) { return tx.QueryOne("SELECT file FROM pragma_database_list WHERE name = 'main'"); });
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const std::filesystem::path path = (*file)->Text(0);
  ASSERT_FALSE(path.empty());
  EXPECT_TRUE(std::filesystem::exists(path));
  db.reset();
  EXPECT_FALSE(std::filesystem::exists(path.parent_path()));
}

TEST(SqliteTest, UrlFormsAndUnknownSchemes) {
  TempDir dir;
  const std::string abs = (dir.path() / "sub" / "a.db").string();
  for (const std::string& url : {"sqlite://" + abs, "sqlite:" + abs}) {
    std::unique_ptr<Database> db = MustOpen(url);
    ASSERT_NE(db, nullptr) << url;
    EXPECT_EQ(db->dialect(), Dialect::kSqlite);
    EXPECT_TRUE(db->Ping().ok());
  }
  EXPECT_TRUE(std::filesystem::exists(abs));

  struct Case {
    std::string url;
    StatusCode code;
  };
  const std::vector<Case> cases = {
      {"mysql://localhost/db", StatusCode::kInvalidArgument},
      {"", StatusCode::kInvalidArgument},
      {"sqlite:", StatusCode::kInvalidArgument},
      {"sqlite:///proc/no/such/dir/x.db", StatusCode::kUnavailable},
  };
  for (const Case& c : cases) {
    DatabaseOptions options;
    options.url = c.url;
    EXPECT_EQ(OpenDatabase(options).status().code(), c.code) << c.url;
  }
}

}  // namespace
}  // namespace anxin::storage
