#pragma once

// Statements sent later: on PostgreSQL in one round trip with the transaction's next statement or
// its COMMIT.

#include <initializer_list>
#include <span>
#include <string_view>

#include "common/status.hpp"
#include "storage/database.hpp"

namespace anxin::storage {

// Runs, in `tx`, a statement whose outcome the work does not act on and which either fails or
// does all it should (an INSERT ... VALUES of new ids: every row or an error), possibly later:
// PostgreSQL sends it in one round trip with the transaction's next statement, or with its
// COMMIT, so it costs no round trip of its own. It still runs in order with the other statements
// (a later query sees it); if it fails, the transaction is spent as by any failed statement, and
// its error comes back from the next statement, or from Write when none follows (nothing of the
// work is kept). The number of rows it changed is not known: a statement that could change fewer
// rows than it should must fail by itself, in SQL, or not be deferred. SQLite runs it at once and
// returns its error.
Status ExecDeferred(Tx& tx, std::string_view sql, std::span<const Value> params);
inline Status ExecDeferred(Tx& tx, std::string_view sql, std::initializer_list<Value> params = {}) {
  return ExecDeferred(tx, sql, std::span<const Value>(params.begin(), params.size()));
}

}  // namespace anxin::storage
