#pragma once

#include <memory>
#include <string>

#include "common/status.hpp"
#include "storage/database.hpp"

namespace anxin::storage::sqlite {

// Opens (creating it and its directory if needed) the SQLite database file at `path`, or a private
// temporary file for ":memory:" (deleted when the Database is destroyed). Every connection runs
// with WAL, synchronous=FULL, foreign_keys=ON and `options.busy_timeout_ms`.
//
// Writes go through one writer thread that owns the only write connection: it takes every queued
// Write (up to `options.max_group_size`), runs them in one BEGIN IMMEDIATE transaction, each in its
// own savepoint (a failing one is rolled back alone), commits once, and only then wakes the
// callers, each with its own status. Reads run on a pool of `options.read_connections` read-only
// connections, each inside BEGIN ... COMMIT so that they see one snapshot.
//
// A write session (Database::WriteSession) joins the group that is open at its first Write and
// holds back that group's commit until it ends; each of its Writes and Reads runs on the writer
// connection as soon as it arrives and is answered at once, and the writer runs other requests
// while the session's thread works between them. A group that runs out of work while sessions
// still run admits no new session (they wait for the next group), so every group ends. Undoing a
// session that has kept a write rolls back its whole group: the group's plain writes run again,
// its other sessions run their bodies again.
// Returns kUnavailable when the file cannot be opened.
Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path, const DatabaseOptions& options);

}  // namespace anxin::storage::sqlite
