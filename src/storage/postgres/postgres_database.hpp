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
// Returns kUnavailable when the server cannot be reached.
Result<std::unique_ptr<Database>> OpenPostgresDatabase(const DatabaseOptions& options);

}  // namespace anxin::storage::postgres
