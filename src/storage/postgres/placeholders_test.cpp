#include "storage/postgres/placeholders.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace anxin::storage::postgres {
namespace {

TEST(RewritePlaceholdersTest, RewritesOnlyPlaceholdersOutsideLiteralsAndComments) {
  struct Case {
    std::string in;
    std::string out;
    int parameters;
  };
  const std::vector<Case> cases = {
      {"SELECT 1", "SELECT 1", 0},
      {"SELECT ?", "SELECT $1", 1},
      {"INSERT INTO t (a, b, c) VALUES (?, ?,?)", "INSERT INTO t (a, b, c) VALUES ($1, $2,$3)", 3},
      {"SELECT 'a?b', ?", "SELECT 'a?b', $1", 1},
      {"SELECT 'it''s?', ?", "SELECT 'it''s?', $1", 1},
      {"SELECT E'\\'?', ?", "SELECT E'\\'?', $1", 1},
      {"SELECT e'x\\\\', ?", "SELECT e'x\\\\', $1", 1},
      {"SELECT \"col?\" FROM t WHERE a = ?", "SELECT \"col?\" FROM t WHERE a = $1", 1},
      {"SELECT ? -- what?\n, ?", "SELECT $1 -- what?\n, $2", 2},
      {"SELECT ? -- trailing?", "SELECT $1 -- trailing?", 1},
      {"SELECT /* a? /* nested? */ b? */ ?", "SELECT /* a? /* nested? */ b? */ $1", 1},
      {"SELECT $$a?b$$, ?", "SELECT $$a?b$$, $1", 1},
      {"SELECT $tag$ ? $x$ ? $tag$, ?", "SELECT $tag$ ? $x$ ? $tag$, $1", 1},
      {"SELECT a$b, ?", "SELECT a$b, $1", 1},
      {"SELECT ?::BIGINT", "SELECT $1::BIGINT", 1},
      {"SELECT 'unterminated ?", "SELECT 'unterminated ?", 0},
      {"SELECT 中文, ?", "SELECT 中文, $1", 1},
  };
  for (const Case& c : cases) {
    RewrittenSql got = RewritePlaceholders(c.in);
    EXPECT_EQ(got.sql, c.out) << c.in;
    EXPECT_EQ(got.parameters, c.parameters) << c.in;
  }
}

TEST(RewritePlaceholdersTest, NumbersManyPlaceholdersInOrder) {
  std::string in = "VALUES (";
  std::string out = "VALUES (";
  for (int i = 1; i <= 12; ++i) {
    in += i > 1 ? ", ?" : "?";
    out += (i > 1 ? ", $" : "$") + std::to_string(i);
  }
  RewrittenSql got = RewritePlaceholders(in + ")");
  EXPECT_EQ(got.sql, out + ")");
  EXPECT_EQ(got.parameters, 12);
}

}  // namespace
}  // namespace anxin::storage::postgres
