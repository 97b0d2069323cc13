#include "storage/sql_filter.hpp"

#include "common/validation.hpp"

namespace anxin::storage {

SqlFilter& SqlFilter::Where(std::string_view condition, std::initializer_list<Value> params) {
  conditions_.emplace_back(condition);
  params_.insert(params_.end(), params.begin(), params.end());
  return *this;
}

SqlFilter& SqlFilter::Equals(std::string_view column, const std::optional<std::string>& value) {
  if (value) Where(std::string(column) + " = ?", {*value});
  return *this;
}

SqlFilter& SqlFilter::Equals(std::string_view column, const std::optional<int64_t>& value) {
  if (value) Where(std::string(column) + " = ?", {*value});
  return *this;
}

SqlFilter& SqlFilter::InScope(std::string_view column, const OrgScope& scope) {
  if (scope.all()) return *this;
  if (scope.nothing()) return Where("1 = 0");
  conditions_.push_back(StartsWithSql(column));
  for (Value& param : PrefixParams(scope.path())) params_.push_back(std::move(param));
  return *this;
}

SqlFilter& SqlFilter::Bind(Value value) {
  params_.push_back(std::move(value));
  return *this;
}

std::string SqlFilter::WhereSql() const {
  std::string sql;
  for (const std::string& condition : conditions_) {
    sql += sql.empty() ? " WHERE " : " AND ";
    sql += condition;
  }
  return sql;
}

std::string SqlFilter::AndSql() const {
  std::string sql;
  for (const std::string& condition : conditions_) sql += " AND " + condition;
  return sql;
}

std::string StartsWithSql(std::string_view column) {
  // Both backends count substr() in characters; the casts keep PostgreSQL from guessing the
  // parameter types.
  return "substr(" + std::string(column) + ", 1, CAST(? AS INTEGER)) = CAST(? AS TEXT)";
}

std::vector<Value> PrefixParams(std::string_view prefix) {
  return {static_cast<int64_t>(Utf8Length(prefix)), std::string(prefix)};
}

}  // namespace anxin::storage
