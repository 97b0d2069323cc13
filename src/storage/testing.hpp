#pragma once

#include <memory>
#include <string>

#include "common/status.hpp"
#include "storage/database.hpp"

namespace anxin::storage::testing {

// Returns the backend store tests run against: the value of ANXIN_TEST_BACKEND, "sqlite" when unset.
std::string TestBackendName();

// Opens a fresh, empty database for one test on the backend TestBackendName() names and, if
// `migrate`, applies every schema migration (Migrate()).
//   sqlite:   a new file in a new temporary directory, removed when the Database is destroyed.
//   postgres: a new schema t_<random> in the database at ANXIN_TEST_PG_URL; every pooled connection
//             uses it as its search_path; it is dropped (CASCADE) when the Database is destroyed.
// Returns kUnavailable when the backend is postgres and ANXIN_TEST_PG_URL is unset or the server
// cannot be reached (tests must then fail, not skip), kInvalidArgument for an unknown backend, or
// the migration's error.
Result<std::unique_ptr<Database>> OpenTestDatabase(bool migrate = true);

}  // namespace anxin::storage::testing
