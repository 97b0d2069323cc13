#include "storage/testing.hpp"

#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <utility>

#include "storage/internal.hpp"

namespace anxin::storage::testing {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string RandomSuffix() {
  std::random_device random;
  std::uniform_int_distribution<uint64_t> any;
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(any(random)));
  return buffer;
}

// Runs one administrative statement on its own connection to `url`.
Status Admin(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  Status status;
  if (PQstatus(conn) != CONNECTION_OK) {
    status = internal::UnavailableStatus(std::string("test PostgreSQL unreachable: ") + PQerrorMessage(conn));
  } else {
    PGresult* result = PQexec(conn, sql.c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      status = Status::Internal(sql + ": " + PQresultErrorMessage(result));
    }
    PQclear(result);
  }
  PQfinish(conn);
  return status;
}

Result<std::unique_ptr<Database>> OpenPostgres() {
  const std::string url = Env("ANXIN_TEST_PG_URL");
  if (url.empty()) {
    return internal::UnavailableStatus("ANXIN_TEST_BACKEND=postgres but ANXIN_TEST_PG_URL is not set");
  }
  const std::string schema = "t_" + RandomSuffix();
  ANXIN_RETURN_IF_ERROR(Admin(url, "CREATE SCHEMA " + schema));
  auto drop = [url, schema] {
    Status dropped = Admin(url, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    if (!dropped.ok())
      std::fprintf(stderr, "dropping test schema %s: %s\n", schema.c_str(), dropped.ToString().c_str());
  };
  DatabaseOptions options;
  options.url = url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
  Result<std::unique_ptr<Database>> db = OpenDatabase(options);
  if (!db.ok()) {
    drop();
    return db;
  }
  return internal::WithCleanup(std::move(db).value(), drop);
}

}  // namespace

std::string TestBackendName() {
  std::string backend = Env("ANXIN_TEST_BACKEND");
  return backend.empty() ? "sqlite" : backend;
}

Result<std::unique_ptr<Database>> OpenTestDatabase(bool migrate) {
  const std::string backend = TestBackendName();
  Result<std::unique_ptr<Database>> db =
      Status::InvalidField("ANXIN_TEST_BACKEND", "unknown_backend",
                           {"未知的测试数据库: " + backend, "unknown test backend: " + backend});
  if (backend == "sqlite") {
    DatabaseOptions options;
    options.url = "sqlite::memory:";  // a private temporary file, removed with the Database
    db = OpenDatabase(options);
  } else if (backend == "postgres") {
    db = OpenPostgres();
  }
  if (!db.ok() || !migrate) return db;
  Result<int> migrated = Migrate(**db);
  if (!migrated.ok()) return std::move(migrated).take_status();
  return db;
}

}  // namespace anxin::storage::testing
