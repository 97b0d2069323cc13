// The identity store on both backends. Its scoped lists: the scope of ListOrgs and ListUsers is the
// one exact, case-sensitive prefix of storage::SqlFilter, so organisations whose ids and codes
// differ only in case, or contain '_' and '%', never fall into each other's subtree. What it reads
// back: a stored name its enum tables do not know is an internal error.
#include "identity/identity_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "identity/identity_sql_rows.hpp"
#include "storage/testing.hpp"

namespace anxin::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr int64_t kNow = 1767225600000;

class IdentityStoreScopeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<storage::Database>> db = storage::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    // id (and code) -> parent; paths are built from ids, as the service builds them.
    const std::vector<std::pair<std::string, std::string>> orgs = {
        {"hq", ""},    {"bj", "hq"},  {"BJ", "hq"},   {"bjx", "hq"},    {"b_j", "hq"},
        {"bXj", "hq"}, {"b%j", "hq"}, {"bj01", "bj"}, {"b%j01", "b%j"},
    };
    Status seeded = db_->Write([&](storage::Tx& tx) -> Status {
      for (const auto& [id, parent] : orgs) {
        Org org;
        org.id = id;
        org.code = id;
        org.name = "机构 " + id;
        org.level = parent.empty() ? OrgLevel::kHeadOffice : OrgLevel::kBranch;
        org.parent_id = parent;
        org.path = (parent.empty() ? "/" : paths_[parent]) + id + "/";
        org.created_at_ms = org.updated_at_ms = kNow;
        paths_[id] = org.path;
        ANXIN_RETURN_IF_ERROR(store_->InsertOrg(tx, org));
        User user;
        user.id = "u-" + id;
        user.login = "user." + std::to_string(paths_.size());
        user.display_name = "员工 " + id;
        user.kind = UserKind::kStaff;
        user.org_id = id;
        user.created_at_ms = user.updated_at_ms = kNow;
        ANXIN_RETURN_IF_ERROR(store_->InsertUser(tx, user));
      }
      return Status::Ok();
    });
    ASSERT_TRUE(seeded.ok()) << seeded.ToString();
  }

  std::vector<std::string> OrgIds(const OrgScope& scope, int limit = 100) {
    Result<std::vector<Org>> orgs = db_->ReadResult<std::vector<Org>>(
        [&](storage::Tx& tx) { return store_->ListOrgs(tx, OrgQuery{.scope = scope, .limit = limit}); });
    EXPECT_TRUE(orgs.ok()) << orgs.status().ToString();
    std::vector<std::string> ids;
    if (orgs.ok()) {
      for (const Org& org : *orgs) ids.push_back(org.id);
    }
    return ids;
  }

  std::vector<std::string> UserOrgIds(const OrgScope& scope, int limit = 100) {
    Result<std::vector<User>> users = db_->ReadResult<std::vector<User>>([&](storage::Tx& tx) {
      return store_->ListUsers(tx, UserQuery{.kind = UserKind::kStaff, .scope = scope, .limit = limit});
    });
    EXPECT_TRUE(users.ok()) << users.status().ToString();
    std::vector<std::string> ids;
    if (users.ok()) {
      for (const User& user : *users) ids.push_back(user.org_id);
    }
    return ids;
  }

  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<IdentityStore> store_ = MakeSqlIdentityStore();
  std::map<std::string, std::string> paths_;
};

TEST_F(IdentityStoreScopeTest, CodesThatDifferOnlyInCaseAreDifferentSubtrees) {
  EXPECT_THAT(OrgIds(OrgScope::Subtree(paths_["bj"])), UnorderedElementsAre("bj", "bj01"));
  EXPECT_THAT(OrgIds(OrgScope::Subtree(paths_["BJ"])), ElementsAre("BJ"));
  EXPECT_THAT(UserOrgIds(OrgScope::Subtree(paths_["bj"])), UnorderedElementsAre("bj", "bj01"));
  EXPECT_THAT(UserOrgIds(OrgScope::Subtree(paths_["BJ"])), ElementsAre("BJ"));
}

// The scope is in SQL, before the LIMIT: a page holds `limit` rows of the scope even where rows of
// another case sort first (a case-insensitive LIKE filtered afterwards returned short pages).
TEST_F(IdentityStoreScopeTest, APageIsFullWhenRowsOfAnotherCaseSortFirst) {
  EXPECT_THAT(OrgIds(OrgScope::Subtree(paths_["bj"]), 2), UnorderedElementsAre("bj", "bj01"));
  EXPECT_THAT(UserOrgIds(OrgScope::Subtree(paths_["bj"]), 2), UnorderedElementsAre("bj", "bj01"));
}

TEST_F(IdentityStoreScopeTest, UnderscoreAndPercentAreNoWildcards) {
  EXPECT_THAT(OrgIds(OrgScope::Subtree(paths_["b_j"])), ElementsAre("b_j"));
  EXPECT_THAT(OrgIds(OrgScope::Subtree(paths_["b%j"])), UnorderedElementsAre("b%j", "b%j01"));
  EXPECT_THAT(UserOrgIds(OrgScope::Subtree(paths_["b_j"])), ElementsAre("b_j"));
  EXPECT_THAT(UserOrgIds(OrgScope::Subtree(paths_["b%j"])), UnorderedElementsAre("b%j", "b%j01"));
}

TEST_F(IdentityStoreScopeTest, AllListsEverythingAndNothingNothing) {
  EXPECT_EQ(OrgIds(OrgScope::All()).size(), 9U);
  EXPECT_EQ(UserOrgIds(OrgScope::All()).size(), 9U);
  EXPECT_THAT(OrgIds(OrgScope::Nothing()), IsEmpty());
  EXPECT_THAT(UserOrgIds(OrgScope::Nothing()), IsEmpty());
}

// The same rows, for what the store reads back.
using IdentityStoreTest = IdentityStoreScopeTest;

// The schema does not constrain id_type (it does kind and status); a name kIdTypes does not know,
// read back, is an internal error, never a default type.
TEST_F(IdentityStoreTest, AnUnknownStoredIdTypeIsAnInternalError) {
  ASSERT_TRUE(
      db_->Write([&](storage::Tx& tx) -> Status {
           return tx.Exec("UPDATE users SET id_type = ? WHERE id = ?", {"driving_licence", "u-bj"}).status();
         })
          .ok());
  Result<std::optional<User>> user =
      db_->ReadResult<std::optional<User>>([&](storage::Tx& tx) { return store_->FindUser(tx, "u-bj"); });
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.status().code(), StatusCode::kInternal);
  EXPECT_EQ(user.status().log_detail(),
            "identity: user id type 'driving_licence' read from the database is unknown");
  // The stored names of kIdTypes still read back as their types.
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
                   return tx.Exec("UPDATE users SET id_type = ? WHERE id = ?", {"passport", "u-bj"}).status();
                 })
                  .ok());
  Result<std::optional<User>> passport =
      db_->ReadResult<std::optional<User>>([&](storage::Tx& tx) { return store_->FindUser(tx, "u-bj"); });
  ASSERT_TRUE(passport.ok()) << passport.status().ToString();
  ASSERT_TRUE(passport->has_value());
  EXPECT_EQ((*passport)->id_type, IdType::kForeignPassport);
}

// The schema's CHECKs keep unknown levels, kinds and statuses out of the tables; should one still be
// read (a later migration, a hand edit), the row readers refuse it as an internal error instead of
// guessing a default.
TEST(IdentityRowsTest, AnUnknownStoredOrgLevelIsAnInternalError) {
  const storage::Row row({std::string("o1"), std::string("HQ"), std::string("总公司"), std::string("region"),
                          std::monostate{}, std::string("/o1/"), std::string("active"), kNow, kNow});
  Result<Org> org = sql::OrgFromRow(row, 0);
  ASSERT_FALSE(org.ok());
  EXPECT_EQ(org.status().code(), StatusCode::kInternal);
  EXPECT_EQ(org.status().log_detail(), "identity: org level 'region' read from the database is unknown");
}

TEST(IdentityRowsTest, AnUnknownStoredUserKindIsAnInternalError) {
  std::vector<storage::Value> values(sql::kUserColumnCount, std::monostate{});
  values[0] = std::string("u1");
  values[3] = std::string("agent");
  values[5] = std::string("active");
  Result<User> user = sql::UserFromRow(storage::Row(std::move(values)), 0);
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.status().code(), StatusCode::kInternal);
  EXPECT_EQ(user.status().log_detail(), "identity: user kind 'agent' read from the database is unknown");
}

}  // namespace
}  // namespace anxin::identity
