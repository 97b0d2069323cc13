#pragma once

// Statements sent later: on PostgreSQL in one round trip with the transaction's next statement or
// its COMMIT.

#include <initializer_list>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

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

// A query sent ahead of the statement after it (QueryAhead), whose rows are read later (TakeAhead).
class AheadQuery {
 public:
  // Where the backend leaves the query's outcome once it has run.
  struct Slot {
    bool done = false;
    Status status = Status::Ok();
    std::vector<Row> rows;
  };

  AheadQuery() : slot_(std::make_shared<Slot>()) {}
  [[nodiscard]] const std::shared_ptr<Slot>& slot() const { return slot_; }

 private:
  std::shared_ptr<Slot> slot_;
};

// Runs query `sql` in `tx` possibly later, as ExecDeferred runs a statement: PostgreSQL sends it
// in one round trip with the transaction's next statement (or, at the latest, when TakeAhead asks
// for its rows); SQLite runs it at once. It runs in order with the other statements, so the next
// statement sees what it did (the rows it locked stay locked). The work acts on its rows only
// after TakeAhead has returned them. If it fails, the transaction is spent as by any failed
// statement: its error comes back from the next statement and from TakeAhead.
Result<AheadQuery> QueryAhead(Tx& tx, std::string_view sql, std::span<const Value> params);
inline Result<AheadQuery> QueryAhead(Tx& tx, std::string_view sql, std::initializer_list<Value> params = {}) {
  return QueryAhead(tx, sql, std::span<const Value>(params.begin(), params.size()));
}
// The rows of `query`, sent now (with any deferred statements) if nothing has carried it yet.
Result<std::vector<Row>> TakeAhead(Tx& tx, const AheadQuery& query);

}  // namespace anxin::storage
