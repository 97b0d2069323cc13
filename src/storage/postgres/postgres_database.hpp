#pragma once

#include <memory>

#include "common/status.hpp"
#include "storage/database.hpp"

namespace anxin::storage::postgres {

// Connects to the PostgreSQL server named by `options.url` (a libpq URI) and returns a Database
// backed by a pool of up to `options.read_connections` connections, grown lazily; a broken
// connection is dropped and replaced on demand. Write runs its work in READ COMMITTED and retries
// it (up to 8 attempts) on serialization failures and deadlocks; Read runs in REPEATABLE READ READ
// ONLY. Sessions keep synchronous_commit on, so a COMMIT that returned is on disk.
// A write session (Database::WriteSession) holds one pooled connection from its first Write to its
// end: BEGIN with that Write (retried alone on a deadlock, as a plain Write), a savepoint for each
// later Write, a read-only savepoint rolled back after each Read, then the seal and one COMMIT. A
// serialization failure or deadlock after the first Write runs the whole body again.
// Returns kUnavailable when the server cannot be reached.
Result<std::unique_ptr<Database>> OpenPostgresDatabase(const DatabaseOptions& options);

}  // namespace anxin::storage::postgres
