// The Directory port: what other modules' stores read of the tree and the staff. Run against
// SQLite and PostgreSQL.
#include "identity/directory.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "identity/identity_test_support.hpp"

namespace anxin::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

class DirectoryTest : public IdentityTestBase {
 protected:
  void SetUp() override {
    IdentityTestBase::SetUp();
    BuildTree();
  }

  template <typename T, typename Fn>
  T Read(Fn fn) {
    return Must(db_->ReadResult<T>([&](storage::Tx& tx) { return fn(tx); }));
  }

  const Directory& directory_ = SqlDirectory();
};

TEST_F(DirectoryTest, FindsOrganisationsByIdCodeAndTheHeadOffice) {
  std::optional<Org> bj01 =
      Read<std::optional<Org>>([&](storage::Tx& tx) { return directory_.FindOrg(tx, org_["BJ01"]); });
  ASSERT_TRUE(bj01.has_value());
  EXPECT_EQ(bj01->code, "BJ01");
  EXPECT_EQ(bj01->level, OrgLevel::kInstitution);
  EXPECT_EQ(bj01->path, "/" + org_["HQ"] + "/" + org_["BJ"] + "/" + org_["BJ01"] + "/");
  std::optional<Org> by_code =
      Read<std::optional<Org>>([&](storage::Tx& tx) { return directory_.FindOrgByCode(tx, "SH01"); });
  ASSERT_TRUE(by_code.has_value());
  EXPECT_EQ(by_code->id, org_["SH01"]);
  std::optional<Org> head =
      Read<std::optional<Org>>([&](storage::Tx& tx) { return directory_.HeadOffice(tx); });
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->id, org_["HQ"]);
  EXPECT_EQ(
      Read<std::optional<std::string>>([&](storage::Tx& tx) { return directory_.OrgPath(tx, org_["SH"]); }),
      "/" + org_["HQ"] + "/" + org_["SH"] + "/");
  EXPECT_FALSE(
      Read<std::optional<Org>>([&](storage::Tx& tx) { return directory_.FindOrg(tx, "NOSUCHORG"); }));
  EXPECT_FALSE(
      Read<std::optional<std::string>>([&](storage::Tx& tx) { return directory_.OrgPath(tx, "NOSUCHORG"); }));
}

TEST_F(DirectoryTest, FindsStaffAndTheirRolesButNoCustomers) {
  std::optional<StaffMember> seller = Read<std::optional<StaffMember>>(
      [&](storage::Tx& tx) { return directory_.FindStaffByLogin(tx, "seller.bj01"); });
  ASSERT_TRUE(seller.has_value());
  EXPECT_EQ(seller->id, user_["seller.bj01"]);
  EXPECT_EQ(seller->org_id, org_["BJ01"]);
  EXPECT_EQ(seller->org_path, "/" + org_["HQ"] + "/" + org_["BJ"] + "/" + org_["BJ01"] + "/");
  EXPECT_TRUE(seller->active);
  ASSERT_TRUE(service_->UpdateUser(As("admin"), user_["sh.staff"], {.status = ActiveState::kDisabled}).ok());
  std::optional<StaffMember> disabled = Read<std::optional<StaffMember>>(
      [&](storage::Tx& tx) { return directory_.FindStaff(tx, user_["sh.staff"]); });
  ASSERT_TRUE(disabled.has_value());
  EXPECT_FALSE(disabled->active);

  UserView customer = Must(service_->CreateCustomer(
      Actor::System("test"), {"cust1", "李四", "13800138000", std::nullopt, std::nullopt, std::nullopt}));
  EXPECT_FALSE(Read<std::optional<StaffMember>>(
      [&](storage::Tx& tx) { return directory_.FindStaffByLogin(tx, "cust1"); }));
  EXPECT_FALSE(Read<std::optional<StaffMember>>(
      [&](storage::Tx& tx) { return directory_.FindStaff(tx, customer.id); }));

  auto has = [&](const std::string& login, std::vector<std::string> roles) {
    return Read<bool>([&](storage::Tx& tx) { return directory_.HasRole(tx, user_[login], roles); });
  };
  EXPECT_TRUE(has("seller.bj01", {kRoleSeller}));
  EXPECT_TRUE(has("seller.bj01", {kRoleDocAdmin, kRoleSeller}));
  EXPECT_FALSE(has("seller.bj01", {kRoleDocAdmin}));
  EXPECT_FALSE(has("auditor", {kRoleSeller, kRoleDocAdmin}));
  EXPECT_FALSE(has("auditor", {}));
}

TEST_F(DirectoryTest, NamesOrganisationsAndUsersInBatches) {
  // More ids than one statement binds, with repeats and an unknown id.
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) ids.push_back(org_["BJ"]);
  ids.push_back(org_["SH01"]);
  ids.push_back("NOSUCHORG");
  for (int i = 0; i < 40; ++i) {
    AddStaff("staff" + std::to_string(i), "SH", {});
  }
  std::map<std::string, std::string> orgs =
      Read<std::map<std::string, std::string>>([&](storage::Tx& tx) { return directory_.OrgNames(tx, ids); });
  EXPECT_THAT(orgs, ElementsAre(Pair(std::min(org_["BJ"], org_["SH01"]), ::testing::_),
                                Pair(std::max(org_["BJ"], org_["SH01"]), ::testing::_)));
  EXPECT_EQ(orgs[org_["BJ"]], "北京分公司");
  EXPECT_EQ(orgs[org_["SH01"]], "上海浦东支公司");

  std::vector<std::string> users;
  for (int i = 0; i < 40; ++i) users.push_back(user_["staff" + std::to_string(i)]);
  std::map<std::string, std::string> names = Read<std::map<std::string, std::string>>(
      [&](storage::Tx& tx) { return directory_.UserDisplayNames(tx, users); });
  ASSERT_EQ(names.size(), 40u);
  EXPECT_EQ(names[user_["staff39"]], "员工 staff39");
  using Names = std::map<std::string, std::string>;
  const Names none = Read<Names>([&](storage::Tx& tx) { return directory_.OrgNames(tx, {}); });
  EXPECT_TRUE(none.empty());
}

TEST_F(DirectoryTest, FindsOrganisationsAndStaffByIdsInBatchesButNoCustomers) {
  // More ids than one statement binds, with repeats, an unknown id and a customer.
  std::vector<std::string> users;
  for (int i = 0; i < 40; ++i) {
    AddStaff("batch" + std::to_string(i), "SH01", {});
    users.push_back(user_["batch" + std::to_string(i)]);
  }
  users.push_back(user_["seller.bj01"]);
  users.push_back(user_["seller.bj01"]);
  users.push_back("NOSUCHUSER");
  UserView customer = Must(service_->CreateCustomer(
      Actor::System("test"), {"cust2", "王五", "13800138001", std::nullopt, std::nullopt, std::nullopt}));
  users.push_back(customer.id);
  using Staff = std::map<std::string, StaffMember>;
  const Staff staff = Read<Staff>([&](storage::Tx& tx) { return directory_.StaffByIds(tx, users); });
  ASSERT_EQ(staff.size(), 41u);
  EXPECT_EQ(staff.count(customer.id), 0u);
  const StaffMember& seller = staff.at(user_["seller.bj01"]);
  EXPECT_EQ(seller.login, "seller.bj01");
  EXPECT_EQ(seller.org_id, org_["BJ01"]);
  EXPECT_EQ(staff.at(user_["batch39"]).display_name, "员工 batch39");
  EXPECT_TRUE(Read<Staff>([&](storage::Tx& tx) { return directory_.StaffByIds(tx, {}); }).empty());

  std::vector<std::string> ids(40, org_["BJ01"]);
  ids.push_back(org_["HQ"]);
  ids.push_back("NOSUCHORG");
  using Orgs = std::map<std::string, Org>;
  const Orgs orgs = Read<Orgs>([&](storage::Tx& tx) { return directory_.OrgsByIds(tx, ids); });
  ASSERT_EQ(orgs.size(), 2u);
  EXPECT_EQ(orgs.at(org_["BJ01"]).code, "BJ01");
  EXPECT_EQ(orgs.at(org_["BJ01"]).name, "北京朝阳支公司");
  EXPECT_EQ(orgs.at(org_["HQ"]).level, OrgLevel::kHeadOffice);
}

}  // namespace
}  // namespace anxin::identity
