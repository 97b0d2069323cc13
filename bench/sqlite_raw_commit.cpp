// Baseline: the raw durable commit rate of single-row inserts through the SQLite C API, with the
// same settings the platform uses (WAL, synchronous=FULL). Every insert is its own transaction,
// so each one waits for its own fsync. Later workloads report their rates as ratios to this.
//
// Usage: sqlite_raw_commit <directory> [seconds]
// Prints: bench: sqlite_raw_commit_rate <n> commit/s
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "sqlite_raw_commit: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: sqlite_raw_commit <directory> [seconds]\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const double seconds = argc > 2 ? std::atof(argv[2]) : 5.0;
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "raw_commit.db";
  std::filesystem::remove(file);
  std::filesystem::remove(file.string() + "-wal");
  std::filesystem::remove(file.string() + "-shm");

  sqlite3* db = nullptr;
  Check(sqlite3_open(file.c_str(), &db), db, "open");
  Check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nullptr, nullptr, nullptr), db,
        "pragmas");
  Check(sqlite3_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)", nullptr, nullptr,
                     nullptr),
        db, "create");
  sqlite3_stmt* insert = nullptr;
  Check(sqlite3_prepare_v3(db, "INSERT INTO t (payload) VALUES (?)", -1, SQLITE_PREPARE_PERSISTENT, &insert,
                           nullptr),
        db, "prepare");

  const std::string payload(100, 'x');
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  long commits = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    sqlite3_bind_text(insert, 1, payload.data(), static_cast<int>(payload.size()), SQLITE_STATIC);
    Check(sqlite3_step(insert), db, "insert");
    sqlite3_reset(insert);
    ++commits;
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  sqlite3_finalize(insert);
  sqlite3_close(db);
  std::filesystem::remove(file);
  std::filesystem::remove(file.string() + "-wal");
  std::filesystem::remove(file.string() + "-shm");

  std::printf("bench: sqlite_raw_commit_rate %.0f commit/s\n", commits / elapsed);
  std::printf("bench: sqlite_raw_commit_count %ld commits\n", commits);
  return 0;
}
