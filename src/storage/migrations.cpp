#include "storage/migrations.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <set>
#include <utility>

#include <spdlog/spdlog.h>

namespace anxin::storage {
namespace {

// The key of the PostgreSQL advisory lock that serialises migrations across nodes ("anxinmig").
constexpr int64_t kMigrationLockKey = 0x616e78696e6d6967;

Status LockMigrations(Tx& tx) {
  if (tx.dialect() != Dialect::kPostgres) return Status::Ok();  // the SQLite writer is already alone
  return tx.Query("SELECT pg_advisory_xact_lock(?)", {kMigrationLockKey}).status();
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Splits "0001_identity.postgres.sql" into version "0001_identity" and dialect suffix "postgres".
struct ParsedName {
  std::string version;
  std::string number;
  std::string dialect;  // "", "postgres" or "sqlite"
};

Result<ParsedName> ParseName(std::string_view name) {
  auto invalid = [&] { return Status::Internal("bad migration file name: " + std::string(name)); };
  if (!name.ends_with(".sql")) return invalid();
  std::string_view stem = name.substr(0, name.size() - 4);
  ParsedName parsed;
  for (std::string_view dialect : {"postgres", "sqlite"}) {
    const std::string suffix = "." + std::string(dialect);
    if (stem.ends_with(suffix)) {
      parsed.dialect = dialect;
      stem.remove_suffix(suffix.size());
    }
  }
  const size_t underscore = stem.find('_');
  if (underscore == std::string_view::npos || underscore == 0 || underscore + 1 == stem.size() ||
      stem.find('.') != std::string_view::npos) {
    return invalid();
  }
  for (size_t i = 0; i < underscore; ++i) {
    if (std::isdigit(static_cast<unsigned char>(stem[i])) == 0) return invalid();
  }
  parsed.version = stem;
  parsed.number = stem.substr(0, underscore);
  return parsed;
}

}  // namespace

Result<std::vector<Migration>> SelectMigrations(const std::vector<MigrationFile>& files, Dialect dialect) {
  const std::string own = dialect == Dialect::kPostgres ? "postgres" : "sqlite";
  std::map<std::string, Migration> chosen;          // by version
  std::map<std::string, bool> chosen_is_override;   // version -> from a dialect file
  std::map<std::string, std::string> number_owner;  // number -> version
  for (const MigrationFile& file : files) {
    ANXIN_ASSIGN_OR_RETURN(ParsedName parsed, ParseName(file.name));
    auto [owner, fresh] = number_owner.emplace(parsed.number, parsed.version);
    if (!fresh && owner->second != parsed.version) {
      return Status::Internal("two migrations share number " + parsed.number + ": " + owner->second +
                              " and " + parsed.version);
    }
    if (!parsed.dialect.empty() && parsed.dialect != own) continue;
    const bool is_override = !parsed.dialect.empty();
    auto it = chosen_is_override.find(parsed.version);
    if (it != chosen_is_override.end() && it->second && !is_override) continue;
    chosen[parsed.version] = Migration{parsed.version, std::string(file.sql)};
    chosen_is_override[parsed.version] = is_override;
  }
  std::vector<Migration> out;
  out.reserve(chosen.size());
  for (auto& [version, migration] : chosen) out.push_back(std::move(migration));
  return out;
}

Result<int> ApplyMigrations(Database& db, const std::vector<Migration>& migrations) {
  ANXIN_RETURN_IF_ERROR(db.Write([](Tx& tx) -> Status {
    ANXIN_RETURN_IF_ERROR(LockMigrations(tx));
    return tx.ExecScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at BIGINT NOT "
        "NULL)");
  }));
  ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, db.ReadResult<std::vector<Row>>([](Tx& tx) {
    return tx.Query("SELECT version FROM schema_migrations");
  }));
  std::set<std::string> done;
  for (const Row& row : rows) done.insert(row.Text(0));

  int applied = 0;
  for (const Migration& migration : migrations) {
    if (done.contains(migration.version)) continue;
    bool ran = false;
    Status status = db.Write([&](Tx& tx) -> Status {
      ran = false;
      ANXIN_RETURN_IF_ERROR(LockMigrations(tx));
      ANXIN_ASSIGN_OR_RETURN(
          std::optional<Row> existing,
          tx.QueryOne("SELECT 1 FROM schema_migrations WHERE version = ?", {migration.version}));
      if (existing) return Status::Ok();  // another node got there first
      ANXIN_RETURN_IF_ERROR(tx.ExecScript(migration.sql));
      ANXIN_RETURN_IF_ERROR(tx.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                                    {migration.version, NowMs()})
                                .status());
      ran = true;
      return Status::Ok();
    });
    if (!status.ok()) {
      spdlog::error("migration {} failed: {}", migration.version, status.ToString());
      return status;
    }
    if (ran) {
      spdlog::info("applied migration {}", migration.version);
      ++applied;
    }
  }
  return applied;
}

Result<int> Migrate(Database& db) {
  ANXIN_ASSIGN_OR_RETURN(std::vector<Migration> migrations,
                         SelectMigrations(EmbeddedMigrationFiles(), db.dialect()));
  return ApplyMigrations(db, migrations);
}

}  // namespace anxin::storage
