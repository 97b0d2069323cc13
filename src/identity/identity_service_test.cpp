#include <algorithm>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "identity/demo_seed.hpp"
#include "identity/identity_test_support.hpp"

namespace anxin::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using ::testing::Not;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;

constexpr int64_t kMinute = 60 * 1000;

class IdentityServiceTest : public IdentityTestBase {
 protected:
  void SetUp() override {
    IdentityTestBase::SetUp();
    BuildTree();
  }

  std::string FirstFieldCode(const Status& status) {
    return status.fields().empty() ? "" : status.fields()[0].code;
  }
};

// --- Organisation tree ----------------------------------------------------------------------------

TEST_F(IdentityServiceTest, CreatesTheHeadOfficeOnlyOnce) {
  Result<Org> second =
      service_->CreateOrg(Actor::System("test"), {"HQ2", "第二总公司", OrgLevel::kHeadOffice, ""});
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(second.status().reason(), "head_office_exists");
}

TEST_F(IdentityServiceTest, OnlyTheSystemCreatesAHeadOffice) {
  Result<Org> org = service_->CreateOrg(As("admin"), {"HQ2", "第二总公司", OrgLevel::kHeadOffice, ""});
  EXPECT_EQ(org.status().code(), StatusCode::kPermissionDenied);
}

TEST_F(IdentityServiceTest, MaterialisesThePathFromTheRoot) {
  Org outlet = Must(service_->GetOrg(Actor::System("test"), org_["BJ0101"]));
  EXPECT_EQ(outlet.path,
            "/" + org_["HQ"] + "/" + org_["BJ"] + "/" + org_["BJ01"] + "/" + org_["BJ0101"] + "/");
  EXPECT_EQ(outlet.parent_id, org_["BJ01"]);
  EXPECT_EQ(outlet.level, OrgLevel::kOutlet);
}

TEST_F(IdentityServiceTest, LevelsMustNestStrictly) {
  struct Case {
    OrgLevel level;
    const char* parent_code;
    bool ok;
  };
  const Case cases[] = {
      {OrgLevel::kBranch, "HQ", true},         {OrgLevel::kInstitution, "BJ", true},
      {OrgLevel::kOutlet, "BJ01", true},       {OrgLevel::kBranch, "BJ", false},
      {OrgLevel::kInstitution, "HQ", false},   {OrgLevel::kOutlet, "BJ", false},
      {OrgLevel::kOutlet, "BJ0101", false},    {OrgLevel::kBranch, "BJ01", false},
      {OrgLevel::kInstitution, "BJ01", false},
  };
  int n = 0;
  for (const Case& c : cases) {
    std::string code = "NEST" + std::to_string(++n);
    Result<Org> org =
        service_->CreateOrg(Actor::System("test"), {code, "测试机构", c.level, org_[c.parent_code]});
    SCOPED_TRACE(std::string(OrgLevelName(c.level)) + " under " + c.parent_code);
    if (c.ok) {
      EXPECT_TRUE(org.ok()) << org.status().ToString();
    } else {
      EXPECT_EQ(org.status().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(FirstFieldCode(org.status()), "invalid_nesting");
    }
  }
}

TEST_F(IdentityServiceTest, OrgCodesAreTwoToTwentyLettersOrDigits) {
  struct Case {
    const char* code;
    bool ok;
  };
  const Case cases[] = {{"B", false}, {"BJ-03", false}, {"北京", false}, {"ABCDEFGHIJKLMNOPQRSTU", false},
                        {"", false},  {"BJ03", true},   {"bj04", true},  {"ABCDEFGHIJKLMNOPQRST", true}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.code);
    Result<Org> org =
        service_->CreateOrg(Actor::System("test"), {c.code, "测试", OrgLevel::kInstitution, org_["BJ"]});
    if (c.ok) {
      ASSERT_TRUE(org.ok()) << org.status().ToString();
      EXPECT_EQ(org->code, std::string(c.code) == "bj04" ? "BJ04" : c.code);
    } else {
      EXPECT_EQ(org.status().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(org.status().fields().at(0).field, "code");
    }
  }
}

TEST_F(IdentityServiceTest, DuplicateOrgCodeIsAlreadyExists) {
  Result<Org> org =
      service_->CreateOrg(Actor::System("test"), {"BJ01", "重复", OrgLevel::kInstitution, org_["SH"]});
  EXPECT_EQ(org.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(org.status().reason(), "org_code_taken");
}

TEST_F(IdentityServiceTest, CannotDisableAnOrgWithActiveChildren) {
  Result<Org> org = service_->UpdateOrg(As("admin"), org_["BJ01"], {std::nullopt, ActiveState::kDisabled});
  EXPECT_EQ(org.status().reason(), "org_has_active_children");
  ASSERT_TRUE(service_->UpdateOrg(As("admin"), org_["BJ0101"], {std::nullopt, ActiveState::kDisabled}).ok());
  Org renamed =
      Must(service_->UpdateOrg(As("admin"), org_["BJ01"], {"北京朝阳中心支公司", ActiveState::kDisabled}));
  EXPECT_EQ(renamed.name, "北京朝阳中心支公司");
  EXPECT_EQ(renamed.status, ActiveState::kDisabled);
  Result<Org> child = service_->CreateOrg(As("admin"), {"BJ0102", "新网点", OrgLevel::kOutlet, org_["BJ01"]});
  EXPECT_EQ(child.status().reason(), "org_disabled");
}

// --- Subtree scope ----------------------------------------------------------------------------------

TEST_F(IdentityServiceTest, BranchAdminListsOnlyItsSubtree) {
  Page<Org> page = Must(service_->ListOrgs(As("bj.admin"), {}));
  std::vector<std::string> codes;
  for (const Org& org : page.items) codes.push_back(org.code);
  EXPECT_THAT(codes, UnorderedElementsAre("BJ", "BJ01", "BJ0101"));

  Page<UserView> users = Must(service_->ListUsers(As("bj.admin"), {}));
  std::vector<std::string> logins;
  for (const UserView& u : users.items) logins.push_back(u.login);
  EXPECT_THAT(logins, UnorderedElementsAre("bj.admin", "seller.bj01"));
}

TEST_F(IdentityServiceTest, BranchAdminCannotSeeOrTouchTheOtherBranch) {
  Actor bj = As("bj.admin");
  EXPECT_EQ(service_->GetOrg(bj, org_["SH"]).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->GetOrg(bj, org_["HQ"]).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->UpdateOrg(bj, org_["SH01"], {"改名", std::nullopt}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(
      service_->CreateOrg(bj, {"SH09", "上海新支公司", OrgLevel::kInstitution, org_["SH"]}).status().code(),
      StatusCode::kNotFound);
  EXPECT_EQ(service_->ListOrgs(bj, {.parent_id = org_["SH"]}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->GetUser(bj, user_["sh.staff"]).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->UpdateUser(bj, user_["sh.staff"], {.status = ActiveState::kDisabled}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_->ResetPassword(bj, user_["sh.staff"], "Another-Pass-77").code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->SetUserRoles(bj, user_["sh.staff"], {"cashier"}).status().code(),
            StatusCode::kNotFound);
  NewStaffUser in_sh{"new.sh", "新员工", org_["SH01"], {"seller"}, kPassword, std::nullopt};
  EXPECT_EQ(service_->CreateStaffUser(bj, in_sh).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->ListUsers(bj, {.org_id = org_["SH"]}).status().code(), StatusCode::kNotFound);
  // An id that does not exist answers the same.
  EXPECT_EQ(service_->GetUser(bj, "NOSUCHUSER").status().code(), StatusCode::kNotFound);
}

TEST_F(IdentityServiceTest, BranchAdminManagesItsOwnSubtree) {
  Actor bj = As("bj.admin");
  Org outlet = Must(service_->CreateOrg(bj, {"BJ0102", "朝阳第二网点", OrgLevel::kOutlet, org_["BJ01"]}));
  // An organisation administrator may grant only roles within its own permissions (org_admin).
  NewStaffUser u{"admin2.bj", "管理员二", outlet.id, {"org_admin"}, kPassword, "13912345678"};
  UserView created = Must(service_->CreateStaffUser(bj, u));
  EXPECT_EQ(created.org->code, "BJ0102");
  EXPECT_THAT(created.roles, ElementsAre("org_admin"));
  EXPECT_EQ(created.phone, "139****5678");
  UserView fetched = Must(service_->GetUser(bj, created.id));
  EXPECT_EQ(fetched.login, "admin2.bj");
}

TEST_F(IdentityServiceTest, CustomersAreVisibleOnlyFromTheHeadOffice) {
  UserView customer = Must(service_->CreateCustomer(
      Actor::System("test"), {"cust1", "李四", "13800138000", std::nullopt, std::nullopt, std::nullopt}));
  EXPECT_TRUE(service_->GetUser(As("admin"), customer.id).ok());
  EXPECT_EQ(service_->GetUser(As("bj.admin"), customer.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->ListUsers(As("bj.admin"), {.kind = UserKind::kCustomer}).status().code(),
            StatusCode::kPermissionDenied);
  Page<UserView> customers = Must(service_->ListUsers(As("admin"), {.kind = UserKind::kCustomer}));
  ASSERT_EQ(customers.items.size(), 1u);
  EXPECT_EQ(customers.items[0].login, "cust1");
}

TEST_F(IdentityServiceTest, ListsUsersByRoleAndText) {
  Page<UserView> sellers = Must(service_->ListUsers(As("admin"), {.role = "seller"}));
  std::vector<std::string> logins;
  for (const UserView& u : sellers.items) logins.push_back(u.login);
  EXPECT_THAT(logins, UnorderedElementsAre("seller.bj01", "sh.staff"));

  Page<UserView> admins = Must(service_->ListUsers(As("admin"), {.text = "ADMIN"}));
  logins.clear();
  for (const UserView& u : admins.items) logins.push_back(u.login);
  EXPECT_THAT(logins, UnorderedElementsAre("admin", "bj.admin", "sh.admin"));

  // Wildcards in the text are literal.
  EXPECT_TRUE(Must(service_->ListUsers(As("admin"), {.text = "%"})).items.empty());
}

TEST_F(IdentityServiceTest, PagesUsersByCursor) {
  Page<UserView> first = Must(service_->ListUsers(As("admin"), {.limit = 4}));
  ASSERT_EQ(first.items.size(), 4u);
  ASSERT_TRUE(first.next_after.has_value());
  Page<UserView> second = Must(service_->ListUsers(As("admin"), {.after = *first.next_after, .limit = 4}));
  EXPECT_EQ(second.items.size(), 2u);
  EXPECT_FALSE(second.next_after.has_value());
}

// --- Personal data ------------------------------------------------------------------------------------

TEST_F(IdentityServiceTest, StoresPersonalDataEncryptedWithLookupHashes) {
  // RULES.md §6: ID numbers and phones are encrypted at rest and looked up by keyed hash.
  UserView customer = Must(service_->CreateCustomer(
      Actor::System("test"),
      {"zhangsan", "张三", "+86 138-0013-8000", IdType::kResidentId, "11010519491231002x", kPassword}));
  std::optional<storage::Row> row = QueryRow(
      "SELECT phone_enc, phone_hash, id_number_enc, id_number_hash, id_type, password_hash FROM users WHERE "
      "id = ?",
      {customer.id});
  ASSERT_TRUE(row.has_value());
  for (size_t i = 0; i < row->size(); ++i) {
    EXPECT_THAT(row->Text(i), Not(HasSubstr("13800138000")));
    EXPECT_THAT(row->Text(i), Not(HasSubstr("11010519491231002X")));
    EXPECT_THAT(row->Text(i), Not(HasSubstr(kPassword)));
  }
  EXPECT_EQ(row->Text(1), keys_.LookupHash("phone", "13800138000"));
  EXPECT_EQ(row->Text(3), keys_.LookupHash("id_number", "11010519491231002X"));
  EXPECT_EQ(row->Text(4), "resident_id");
  EXPECT_EQ(Must(keys_.Open(row->Text(0))), "13800138000");
  EXPECT_EQ(Must(keys_.Open(row->Text(2))), "11010519491231002X");
  // Shown masked (RULES.md §6).
  EXPECT_EQ(customer.phone, "138****8000");
  EXPECT_EQ(customer.id_number, "110105********002X");
  EXPECT_THAT(customer.roles, ElementsAre("customer"));

  std::optional<UserView> found =
      Must(service_->FindCustomerByIdNumber(IdType::kResidentId, "11010519491231002X"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, customer.id);
}

TEST_F(IdentityServiceTest, RejectsInvalidCustomerData) {
  struct Case {
    NewCustomer customer;
    const char* field;
    const char* code;
  };
  const Case cases[] = {
      {{"", "王五", "12345", std::nullopt, std::nullopt, std::nullopt}, "phone", "invalid_format"},
      {{"", "王五", "13800138000", IdType::kResidentId, "110105194912310021", std::nullopt},
       "id_number",
       "invalid_checksum"},
      {{"", "王五", "13800138000", IdType::kResidentId, std::nullopt, std::nullopt}, "id_number", "required"},
      {{"", "", "13800138000", std::nullopt, std::nullopt, std::nullopt}, "display_name", "required"},
      {{"x", "王五", "13800138000", std::nullopt, std::nullopt, std::nullopt}, "login", "invalid_format"},
      {{"", "王五", "13800138000", std::nullopt, std::nullopt, "short"}, "password", "too_short"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    Result<UserView> r = service_->CreateCustomer(Actor::System("test"), c.customer);
    ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    ASSERT_FALSE(r.status().fields().empty());
    EXPECT_EQ(r.status().fields()[0].field, c.field);
    EXPECT_EQ(r.status().fields()[0].code, c.code);
  }
}

TEST_F(IdentityServiceTest, IdNumberIsUniqueAmongCustomers) {
  NewCustomer c{"", "张三", "13800138000", IdType::kResidentId, "11010519491231002X", std::nullopt};
  ASSERT_TRUE(service_->CreateCustomer(Actor::System("test"), c).ok());
  Result<UserView> again = service_->CreateCustomer(Actor::System("test"), c);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().reason(), "id_number_taken");
}

TEST_F(IdentityServiceTest, RevealNeedsPermissionAndPurposeAndIsAudited) {
  UserView customer = Must(service_->CreateCustomer(
      Actor::System("test"),
      {"zhangsan", "张三", "13800138000", IdType::kResidentId, "11010519491231002X", std::nullopt}));
  // The auditor may read users but not reveal personal data.
  Result<UserView> no_permission =
      service_->GetUser(As("auditor"), customer.id, {.phone = true, .purpose = "核对客户来电"});
  EXPECT_EQ(no_permission.status().code(), StatusCode::kPermissionDenied);

  for (const std::string& purpose : std::vector<std::string>{"", "看看", std::string(201, 'x')}) {
    Result<UserView> bad = service_->GetUser(As("admin"), customer.id, {.phone = true, .purpose = purpose});
    EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument) << purpose;
    EXPECT_EQ(bad.status().fields().at(0).field, "purpose");
  }
  EXPECT_TRUE(AuditRecords("pii.reveal").empty());

  UserView clear = Must(service_->GetUser(As("admin"), customer.id,
                                          {.phone = true, .id_number = true, .purpose = "客户来电核实身份"}));
  EXPECT_EQ(clear.phone, "13800138000");
  EXPECT_EQ(clear.id_number, "11010519491231002X");
  EXPECT_THAT(clear.revealed, ElementsAre("phone", "id_number"));

  std::vector<audit::AuditRecord> records = AuditRecords("pii.reveal");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].actor_id, user_["admin"]);
  EXPECT_EQ(records[0].object_id, customer.id);
  nlohmann::json summary = nlohmann::json::parse(records[0].summary);
  EXPECT_EQ(summary["purpose"], "客户来电核实身份");
  EXPECT_EQ(summary["fields"], nlohmann::json({"phone", "id_number"}));
  EXPECT_THAT(records[0].summary, Not(HasSubstr("13800138000")));

  // A purpose that quotes a phone number is kept, with its digits masked in the audit record.
  ASSERT_TRUE(
      service_->GetUser(As("admin"), customer.id, {.phone = true, .purpose = "客户用 13800138000 来电"})
          .ok());
  records = AuditRecords("pii.reveal");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[1].summary, HasSubstr("***********"));

  // Without reveal the same call is masked and not audited again.
  UserView masked = Must(service_->GetUser(As("admin"), customer.id));
  EXPECT_EQ(masked.phone, "138****8000");
  EXPECT_EQ(AuditRecords("pii.reveal").size(), 2u);
}

// --- Password policy --------------------------------------------------------------------------------

TEST(PasswordPolicyTest, EnforcesLengthClassesAndLogin) {
  struct Case {
    const char* password;
    const char* login;
    const char* code;  // "" = accepted
  };
  const Case cases[] = {
      {"Abc-12345", "x", "too_short"},
      {"abcdefghij", "x", "too_weak"},
      {"abcdefgh12", "x", "too_weak"},
      {"Abcdefgh12", "x", ""},
      {"abcdefgh-12", "x", ""},
      {"abcdefghijklmnop", "x", ""},
      {"abcdefghijklmno", "x", "too_weak"},
      {"Seller.BJ01x", "seller.bj01x", "same_as_login"},
      {"密码密码密码密码密码密码密码密码", "x", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.password);
    Status s = CheckPasswordPolicy(c.password, c.login);
    if (std::string(c.code).empty()) {
      EXPECT_TRUE(s.ok()) << s.ToString();
    } else {
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(s.fields().at(0).code, c.code);
      EXPECT_EQ(s.fields().at(0).field, "password");
    }
  }
  EXPECT_EQ(CheckPasswordPolicy(std::string(129, 'a'), "x").fields().at(0).code, "too_long");
}

TEST_F(IdentityServiceTest, CreatingAUserChecksThePasswordPolicy) {
  NewStaffUser u{"weak.user", "弱密码", org_["BJ"], {}, "weak.user", std::nullopt};
  Result<UserView> r = service_->CreateStaffUser(As("admin"), u);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().fields().at(0).field, "password");
}

TEST_F(IdentityServiceTest, LoginsAreUniqueIgnoringCase) {
  NewStaffUser u{"Seller.BJ01", "重名", org_["BJ"], {}, kPassword, std::nullopt};
  Result<UserView> r = service_->CreateStaffUser(As("admin"), u);
  EXPECT_EQ(r.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(r.status().reason(), "login_taken");
}

// --- Roles ------------------------------------------------------------------------------------------

TEST_F(IdentityServiceTest, OnlySystemAdminsGrantSystemAdmin) {
  Actor bj = As("bj.admin");
  NewStaffUser u{"new.admin", "新管理员", org_["BJ"], {"system_admin"}, kPassword, std::nullopt};
  Result<UserView> created = service_->CreateStaffUser(bj, u);
  EXPECT_EQ(created.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(created.status().reason(), "cannot_grant_system_admin");
  Result<UserView> granted = service_->SetUserRoles(bj, user_["seller.bj01"], {"seller", "system_admin"});
  EXPECT_EQ(granted.status().reason(), "cannot_grant_system_admin");

  UserView by_admin =
      Must(service_->SetUserRoles(As("admin"), user_["seller.bj01"], {"seller", "system_admin"}));
  EXPECT_THAT(by_admin.roles, ElementsAre("system_admin", "seller"));
  // Nor may a non-admin withdraw it.
  EXPECT_EQ(service_->SetUserRoles(bj, user_["seller.bj01"], {"seller"}).status().reason(),
            "cannot_grant_system_admin");
}

TEST_F(IdentityServiceTest, RolesMustExistAndFitTheUserKind) {
  Actor bj = As("bj.admin");
  struct Case {
    std::vector<std::string> roles;
    const char* code;
  };
  const Case cases[] = {{{"no_such_role"}, "unknown_role"},
                        {{"customer"}, "role_kind_mismatch"},
                        {{"seller", "seller"}, "duplicate"}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.code);
    Result<UserView> r = service_->SetUserRoles(bj, user_["seller.bj01"], c.roles);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().fields().at(0).code, c.code);
  }
  UserView updated = Must(service_->SetUserRoles(As("admin"), user_["seller.bj01"], {"seller", "cashier"}));
  EXPECT_THAT(updated.roles, ElementsAre("seller", "cashier"));
  // Permission for role changes is role.assign: a seller has none.
  EXPECT_EQ(service_->SetUserRoles(As("sh.staff"), user_["sh.staff"], {"cashier"}).status().code(),
            StatusCode::kPermissionDenied);
}

// Pentest finding "Privilege escalation" (issue 6 §5): an organisation administrator granted
// itself auditor, cashier or org_admin.
TEST_F(IdentityServiceTest, NobodyChangesTheirOwnRoles) {
  for (const std::vector<std::string>& roles : std::vector<std::vector<std::string>>{
           {"org_admin", "auditor"}, {"org_admin", "cashier"}, {"org_admin", "org_admin"}, {}, {"auditor"}}) {
    Result<UserView> r = service_->SetUserRoles(As("bj.admin"), user_["bj.admin"], roles);
    EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(r.status().reason(), "cannot_change_own_roles");
  }
  // Not even a system administrator (granting or withdrawing).
  EXPECT_EQ(
      service_->SetUserRoles(As("admin"), user_["admin"], {"system_admin", "auditor"}).status().reason(),
      "cannot_change_own_roles");
  EXPECT_EQ(service_->SetUserRoles(As("admin"), user_["admin"], {}).status().reason(),
            "cannot_change_own_roles");
  EXPECT_THAT(Must(service_->GetUser(As("admin"), user_["bj.admin"])).roles, ElementsAre("org_admin"));
  EXPECT_THAT(Must(service_->GetUser(As("admin"), user_["admin"])).roles, ElementsAre("system_admin"));
  EXPECT_TRUE(AuditRecords("user.roles").empty());
}

TEST_F(IdentityServiceTest, GrantorsGrantOnlyRolesWithinTheirPermissions) {
  AddStaff("bj.admin.peer", "BJ", {"org_admin"});
  Actor bj = As("bj.admin");
  // auditor (audit.read), cashier (card.payment, ...) and seller (card.read) grant what an
  // organisation administrator does not hold.
  for (const char* role : {"auditor", "cashier", "seller", "doc_admin"}) {
    SCOPED_TRACE(role);
    Result<UserView> granted = service_->SetUserRoles(bj, user_["bj.admin.peer"], {"org_admin", role});
    EXPECT_EQ(granted.status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(granted.status().reason(), "role_exceeds_grantor");
    NewStaffUser u{std::string("new.") + role, "新员工", org_["BJ01"], {role}, kPassword, std::nullopt};
    EXPECT_EQ(service_->CreateStaffUser(bj, u).status().reason(), "role_exceeds_grantor");
  }
  // Withdrawing is held to the same rule: seller (card.read) is not bj.admin's to take away.
  Result<UserView> withdrawn = service_->SetUserRoles(bj, user_["seller.bj01"], {});
  EXPECT_EQ(withdrawn.status().reason(), "role_exceeds_grantor");
  EXPECT_THAT(Must(service_->GetUser(As("admin"), user_["seller.bj01"])).roles, ElementsAre("seller"));
  // Roles within the grantor's permissions may be granted and withdrawn in its subtree.
  UserView promoted = Must(service_->SetUserRoles(bj, user_["seller.bj01"], {"org_admin", "seller"}));
  EXPECT_THAT(promoted.roles, ElementsAre("org_admin", "seller"));
  UserView demoted = Must(service_->SetUserRoles(bj, user_["seller.bj01"], {"seller"}));
  EXPECT_THAT(demoted.roles, ElementsAre("seller"));
  // ... and not outside it, whatever the roles.
  EXPECT_EQ(service_->SetUserRoles(bj, user_["sh.admin"], {"org_admin"}).status().code(),
            StatusCode::kNotFound);
  // A holder of every permission (the system administrator) grants anything but its own roles.
  EXPECT_THAT(Must(service_->SetUserRoles(As("admin"), user_["bj.admin"], {"org_admin", "auditor"})).roles,
              ElementsAre("org_admin", "auditor"));
}

TEST_F(IdentityServiceTest, SeedsRolesAndPermissionsAsData) {
  std::vector<Role> roles = Must(service_->ListRoles(As("admin")));
  std::map<std::string, std::vector<std::string>> by_code;
  for (const Role& r : roles) by_code[r.code] = r.permissions;
  for (const char* code : {"system_admin", "doc_admin", "seller", "cashier", "underwriter", "claims_handler",
                           "claims_approver", "cs_agent", "auditor", "customer"}) {
    EXPECT_EQ(by_code.count(code), 1u) << code;
  }
  // The system administrator holds every permission there is, including those later migrations add.
  auto all =
      db_->ReadResult<std::vector<std::string>>([](storage::Tx& tx) -> Result<std::vector<std::string>> {
        ANXIN_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT code FROM permissions"));
        std::vector<std::string> codes;
        for (const auto& row : rows) codes.push_back(row.Text(0));
        return codes;
      });
  ASSERT_TRUE(all.ok());
  EXPECT_THAT(by_code["system_admin"], UnorderedElementsAreArray(*all));
  EXPECT_THAT(by_code["system_admin"],
              IsSupersetOf({"org.read", "org.write", "user.read", "user.write", "role.read", "role.assign",
                            "pii.reveal", "audit.read", "product.read", "product.write", "session.read"}));
  EXPECT_THAT(by_code["auditor"], IsSupersetOf({"audit.read", "org.read", "user.read", "session.read"}));
  EXPECT_THAT(by_code["customer"], ElementsAre("session.read"));
  EXPECT_THAT(by_code["claims_handler"], IsSupersetOf({"org.read", "product.read", "session.read"}));
  // Read-only roles get no write or reveal permission.
  for (const char* role : {"auditor", "claims_handler", "customer"}) {
    for (const auto& permission : by_code[role]) {
      EXPECT_EQ(permission.find("write"), std::string::npos) << role << " " << permission;
      EXPECT_NE(permission, "pii.reveal") << role;
    }
  }
  EXPECT_EQ(service_->ListRoles(As("seller.bj01")).status().code(), StatusCode::kPermissionDenied);
}

// --- Audit ------------------------------------------------------------------------------------------

TEST_F(IdentityServiceTest, AuditsEveryChange) {
  Actor admin = As("admin");
  Org org = Must(service_->CreateOrg(admin, {"SH02", "上海徐汇支公司", OrgLevel::kInstitution, org_["SH"]}));
  ASSERT_TRUE(service_->UpdateOrg(admin, org.id, {"上海徐汇中心支公司", std::nullopt}).ok());
  UserView u = Must(
      service_->CreateStaffUser(admin, {"cs.sh02", "客服", org.id, {"cs_agent"}, kPassword, std::nullopt}));
  ASSERT_TRUE(service_->UpdateUser(admin, u.id, {.phone = std::optional<std::string>("13912345678")}).ok());
  ASSERT_TRUE(service_->SetUserRoles(admin, u.id, {"cs_agent", "seller"}).ok());
  ASSERT_TRUE(service_->ResetPassword(admin, u.id, "Reset-Pass-2026").ok());
  ASSERT_FALSE(sessions_->Login(Anonymous(), "cs.sh02", "Wrong-Pass-123").ok());
  ASSERT_FALSE(sessions_->Login(Anonymous(), "ghost", "Wrong-Pass-123").ok());
  std::string token = TokenOf("cs.sh02", "Reset-Pass-2026");
  Principal p = Must(sessions_->AuthenticateToken(token));
  Actor self = Anonymous();
  self.principal = &p;
  ASSERT_TRUE(sessions_->Logout(self).ok());

  for (const char* action : {"org.create", "org.update", "user.create", "user.update", "user.roles",
                             "user.password_reset", "session.login", "session.logout"}) {
    std::vector<audit::AuditRecord> records = AuditRecords(action);
    auto it = std::find_if(records.begin(), records.end(), [&](const audit::AuditRecord& r) {
      return r.object_id == u.id || r.object_id == org.id;
    });
    ASSERT_NE(it, records.end()) << action;
    EXPECT_EQ(it->org_id, org.id) << action;
    EXPECT_THAT(it->summary, Not(HasSubstr("13912345678"))) << action;
  }
  std::vector<audit::AuditRecord> failed = AuditRecords("session.login_failed");
  ASSERT_EQ(failed.size(), 2u);
  for (const audit::AuditRecord& r : failed) {
    EXPECT_EQ(r.result, "failed");
    EXPECT_THAT(r.summary, Not(HasSubstr("Wrong-Pass-123")));
    EXPECT_THAT(r.summary, Not(HasSubstr("ghost")));
    EXPECT_THAT(r.summary, Not(HasSubstr("cs.sh02")));
    EXPECT_EQ(r.client_address, "203.0.113.7");
  }
  EXPECT_THAT(failed[0].summary, HasSubstr(keys_.LookupHash("login", "cs.sh02")));
  EXPECT_EQ(AuditRecords("session.login").back().actor_id, u.id);
  EXPECT_TRUE(Must(audit_.Verify(*db_)).ok);
}

// --- Demo seed ----------------------------------------------------------------------------------------

class DemoSeedTest : public IdentityTestBase {};

TEST_F(DemoSeedTest, CreatesTheDemoTreeOnceWithOneAccountPerRole) {
  std::vector<DemoLogin> logins = Must(SeedDemoIdentity(*service_, Actor::System("seed")));
  std::set<std::string> roles;
  for (const DemoLogin& l : logins) roles.insert(l.role);
  EXPECT_EQ(roles, (std::set<std::string>{"system_admin", "org_admin", "doc_admin", "seller", "cashier",
                                          "underwriter", "claims_handler", "claims_approver", "cs_agent",
                                          "auditor", "customer"}));
  Page<Org> orgs = Must(service_->ListOrgs(Actor::System("test"), {}));
  EXPECT_EQ(orgs.items.size(), 11u);
  std::optional<Org> bj01 = Must(service_->FindOrgByCode("BJ01"));
  ASSERT_TRUE(bj01.has_value());
  EXPECT_EQ(bj01->name, "北京朝阳支公司");

  for (const DemoLogin& l : logins) {
    SCOPED_TRACE(l.login);
    EXPECT_TRUE(sessions_->Login(Anonymous(), l.login, l.password).ok());
  }
  std::optional<UserView> customer =
      Must(service_->FindCustomerByIdNumber(IdType::kResidentId, "11010519491231002X"));
  ASSERT_TRUE(customer.has_value());
  EXPECT_EQ(customer->phone, "138****8000");

  EXPECT_TRUE(Must(SeedDemoIdentity(*service_, Actor::System("seed"))).empty());
}

}  // namespace
}  // namespace anxin::identity
