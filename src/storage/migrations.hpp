#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "storage/database.hpp"

namespace anxin::storage {

// One schema migration: its version (the file name without dialect suffix and ".sql", such as
// "0001_identity") and the SQL script to run.
struct Migration {
  std::string version;
  std::string sql;
};

// A migration file as embedded at build time from src/storage/migrations/ (see README.md there).
struct MigrationFile {
  std::string_view name;  // "0001_identity.sql", "0001_identity.postgres.sql", ...
  std::string_view sql;
};

// Returns the files of src/storage/migrations/*.sql embedded into the binary, sorted by name.
const std::vector<MigrationFile>& EmbeddedMigrationFiles();

// Picks the migrations of `files` that apply to `dialect`, in version order: NNNN_name.sql, unless
// NNNN_name.postgres.sql / NNNN_name.sqlite.sql exists for that dialect, which replaces it.
// Returns kInternal for a file name not of the form NNNN_name[.dialect].sql or two different names
// sharing a number.
Result<std::vector<Migration>> SelectMigrations(const std::vector<MigrationFile>& files, Dialect dialect);

// Applies, in order, each of `migrations` not yet recorded in table schema_migrations (created if
// missing), each in its own write transaction together with its schema_migrations row. On
// PostgreSQL every such transaction takes an advisory lock and re-checks the table, so several
// nodes may migrate at once. Returns the number applied, or the first failure (nothing of the
// failing migration is kept).
Result<int> ApplyMigrations(Database& db, const std::vector<Migration>& migrations);

}  // namespace anxin::storage
