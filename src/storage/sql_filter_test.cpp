// SqlFilter on both backends: the scope condition is one exact, case-sensitive prefix test, with
// no wildcard meaning for '_' and '%'.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/sql_filter.hpp"
#include "storage/testing.hpp"

namespace anxin::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class SqlFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Database>> db = testing::OpenTestDatabase(/*migrate=*/false);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    Status created = db_->Write([](Tx& tx) -> Status {
      ANXIN_RETURN_IF_ERROR(
          tx.ExecScript("CREATE TABLE things (id TEXT PRIMARY KEY, org_path TEXT NOT NULL, n BIGINT)"));
      const std::vector<std::pair<std::string, std::string>> rows = {
          {"root", "/hq/"},         {"bj", "/hq/bj/"},       {"bj01", "/hq/bj/bj01/"}, {"BJ", "/hq/BJ/"},
          {"bjx", "/hq/bjx/"},      {"b_j", "/hq/b_j/"},     {"bXj", "/hq/bXj/"},      {"b%j", "/hq/b%j/"},
          {"b%j01", "/hq/b%j/01/"}, {"bj-long", "/hq/bjj/"}, {"sh", "/hq/sh/"},
      };
      int64_t n = 0;
      for (const auto& [id, path] : rows) {
        ANXIN_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO things (id, org_path, n) VALUES (?, ?, ?)", {id, path, n++}).status());
      }
      return Status::Ok();
    });
    ASSERT_TRUE(created.ok()) << created.ToString();
  }

  std::vector<std::string> Select(const SqlFilter& filter) {
    std::vector<std::string> ids;
    Status read = db_->Read([&](Tx& tx) -> Status {
      ANXIN_ASSIGN_OR_RETURN(
          std::vector<Row> rows,
          tx.Query("SELECT id FROM things" + filter.WhereSql() + " ORDER BY n", filter.params()));
      for (const Row& row : rows) ids.push_back(row.Text(0));
      return Status::Ok();
    });
    EXPECT_TRUE(read.ok()) << read.ToString();
    return ids;
  }

  std::unique_ptr<Database> db_;
};

TEST_F(SqlFilterTest, SubtreeIsAnExactCaseSensitivePrefix) {
  SqlFilter filter;
  filter.InScope("org_path", OrgScope::Subtree("/hq/bj/"));
  EXPECT_THAT(Select(filter), ElementsAre("bj", "bj01"));
}

TEST_F(SqlFilterTest, UnderscoreAndPercentAreOrdinaryCharacters) {
  SqlFilter underscore;
  underscore.InScope("org_path", OrgScope::Subtree("/hq/b_j/"));
  EXPECT_THAT(Select(underscore), ElementsAre("b_j"));
  SqlFilter percent;
  percent.InScope("org_path", OrgScope::Subtree("/hq/b%j/"));
  EXPECT_THAT(Select(percent), ElementsAre("b%j", "b%j01"));
}

TEST_F(SqlFilterTest, UpperCasePathSeesOnlyItsOwnSubtree) {
  SqlFilter filter;
  filter.InScope("org_path", OrgScope::Subtree("/hq/BJ/"));
  EXPECT_THAT(Select(filter), ElementsAre("BJ"));
}

TEST_F(SqlFilterTest, AllAddsNoConditionAndNothingMatchesNoRow) {
  SqlFilter all;
  all.InScope("org_path", OrgScope::All());
  EXPECT_EQ(all.WhereSql(), "");
  EXPECT_EQ(Select(all).size(), 11u);
  SqlFilter nothing;
  nothing.InScope("org_path", OrgScope::Nothing());
  EXPECT_THAT(Select(nothing), IsEmpty());
}

TEST_F(SqlFilterTest, ConditionsAndParametersStayInStep) {
  SqlFilter filter;
  filter.Equals("id", std::optional<std::string>())
      .InScope("org_path", OrgScope::Subtree("/hq/"))
      .Where("n >= ?", {int64_t{2}})
      .Equals("id", std::optional<std::string>("sh"));
  EXPECT_THAT(Select(filter), ElementsAre("sh"));
  EXPECT_EQ(filter.params().size(), 4u);
  EXPECT_EQ(filter.AndSql().substr(0, 5), " AND ");
}

TEST_F(SqlFilterTest, InScopeMatchesOrgScopeCoversForEveryRow) {
  for (const std::string path :
       {"/hq/", "/hq/bj/", "/hq/BJ/", "/hq/b_j/", "/hq/b%j/", "/hq/bjj/", "/nowhere/"}) {
    SqlFilter filter;
    const OrgScope scope = OrgScope::Subtree(path);
    filter.InScope("org_path", scope);
    std::vector<std::string> expected;
    Status read = db_->Read([&](Tx& tx) -> Status {
      ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query("SELECT id, org_path FROM things ORDER BY n"));
      for (const Row& row : rows) {
        if (scope.Covers(row.Text(1))) expected.push_back(row.Text(0));
      }
      return Status::Ok();
    });
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(Select(filter), expected) << path;
  }
}

TEST_F(SqlFilterTest, HandWrittenPrefixTestIsTheSameTest) {
  // StartsWithSql/PrefixParams are what stores writing their SQL by hand use; the empty prefix is
  // every row, and a prefix is counted in characters, not bytes.
  Status written = db_->Write([](Tx& tx) -> Status {
    return tx.Exec("INSERT INTO things (id, org_path, n) VALUES ('zh', '/hq/总部/', 99)").status();
  });
  ASSERT_TRUE(written.ok()) << written.ToString();
  auto select = [&](std::string_view prefix) {
    std::vector<std::string> ids;
    Status read = db_->Read([&](Tx& tx) -> Status {
      ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query("SELECT id FROM things WHERE " +
                                                                 StartsWithSql("org_path") + " ORDER BY n",
                                                             PrefixParams(prefix)));
      for (const Row& row : rows) ids.push_back(row.Text(0));
      return Status::Ok();
    });
    EXPECT_TRUE(read.ok()) << read.ToString();
    return ids;
  };
  EXPECT_THAT(select("/hq/BJ/"), ElementsAre("BJ"));
  EXPECT_THAT(select("/hq/b_j/"), ElementsAre("b_j"));
  EXPECT_THAT(select("/hq/总部/"), ElementsAre("zh"));
  EXPECT_THAT(select("/hq/总"), ElementsAre("zh"));
  EXPECT_EQ(select("").size(), 12u);
}

}  // namespace
}  // namespace anxin::storage
