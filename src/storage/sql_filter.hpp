#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/access.hpp"
#include "storage/database.hpp"

namespace anxin::storage {

// Builds the conditions of a query and their parameters together, so they cannot fall out of
// step, and turns an OrgScope into SQL the one way every store uses:
//
//   SqlFilter filter;
//   filter.InScope("c.org_path", scope).Equals("c.status", status).Where("c.seq > ?", {after});
//   std::string sql = "SELECT ... FROM cards c" + filter.WhereSql() + " ORDER BY c.seq LIMIT ?";
//   filter.Bind(limit);
//   tx.Query(sql, filter.params());
//
// The scope test is an exact, case-sensitive prefix comparison on both backends
// (`substr(column, 1, n) = prefix`): unlike LIKE it treats '_' and '%' as ordinary characters and
// does not ignore ASCII case on SQLite.
class SqlFilter {
 public:
  // Adds `condition` (with a `?` for each of `params`, in order), ANDed with the others.
  SqlFilter& Where(std::string_view condition, std::initializer_list<Value> params = {});
  // Adds `column = ?` when `value` is set.
  SqlFilter& Equals(std::string_view column, const std::optional<std::string>& value);
  SqlFilter& Equals(std::string_view column, const std::optional<int64_t>& value);
  // Adds the condition that the organisation path in `column` lies in `scope`: nothing for
  // OrgScope::All(), a condition no row meets for OrgScope::Nothing().
  SqlFilter& InScope(std::string_view column, const OrgScope& scope);
  // Appends a parameter for SQL the caller adds after the conditions (LIMIT ?).
  SqlFilter& Bind(Value value);

  // Returns " WHERE a AND b", or "" without conditions.
  [[nodiscard]] std::string WhereSql() const;
  // Returns " AND a AND b", or "": for a query that has a WHERE of its own.
  [[nodiscard]] std::string AndSql() const;
  // The parameters, in placeholder order.
  [[nodiscard]] const std::vector<Value>& params() const { return params_; }

 private:
  std::vector<std::string> conditions_;
  std::vector<Value> params_;
};

// The same prefix test for SQL written by hand: StartsWithSql("c.path") is the condition, with two
// placeholders that take PrefixParams(prefix), in that order. An empty prefix matches every row.
[[nodiscard]] std::string StartsWithSql(std::string_view column);
[[nodiscard]] std::vector<Value> PrefixParams(std::string_view prefix);

}  // namespace anxin::storage
