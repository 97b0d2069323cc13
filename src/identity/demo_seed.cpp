#include "identity/demo_seed.hpp"

#include <map>

namespace anxin::identity {
namespace {

struct DemoOrg {
  const char* code;
  const char* name;
  OrgLevel level;
  const char* parent_code;
};

constexpr DemoOrg kOrgs[] = {
    {"HQ", "总公司", OrgLevel::kHeadOffice, ""},
    {"BJ", "北京分公司", OrgLevel::kBranch, "HQ"},
    {"SH", "上海分公司", OrgLevel::kBranch, "HQ"},
    {"BJ01", "北京朝阳支公司", OrgLevel::kInstitution, "BJ"},
    {"BJ02", "北京海淀支公司", OrgLevel::kInstitution, "BJ"},
    {"SH01", "上海浦东支公司", OrgLevel::kInstitution, "SH"},
    {"SH02", "上海徐汇支公司", OrgLevel::kInstitution, "SH"},
    {"BJ0101", "朝阳建国路网点", OrgLevel::kOutlet, "BJ01"},
    {"BJ0201", "海淀中关村网点", OrgLevel::kOutlet, "BJ02"},
    {"SH0101", "浦东陆家嘴网点", OrgLevel::kOutlet, "SH01"},
    {"SH0201", "徐汇徐家汇网点", OrgLevel::kOutlet, "SH02"},
};

struct DemoStaff {
  const char* login;
  const char* display_name;
  const char* role;
  const char* org_code;
};

constexpr DemoStaff kStaff[] = {
    {"admin", "系统管理员", kRoleSystemAdmin, "HQ"},
    {"bj.admin", "北京分公司机构管理员", kRoleOrgAdmin, "BJ"},
    {"doc.hq", "总公司单证管理员", kRoleDocAdmin, "HQ"},
    {"doc.bj", "北京分公司单证管理员", kRoleDocAdmin, "BJ"},
    {"doc.bj01", "朝阳支公司单证管理员", kRoleDocAdmin, "BJ01"},
    {"seller.bj01", "朝阳支公司销售", kRoleSeller, "BJ01"},
    {"cashier.bj01", "朝阳支公司收付费", kRoleCashier, "BJ01"},
    {"underwriter", "总公司核保员", kRoleUnderwriter, "HQ"},
    {"claims.bj", "北京分公司理赔处理员", kRoleClaimsHandler, "BJ"},
    {"approver.bj", "北京分公司理赔审批人", kRoleClaimsApprover, "BJ"},
    {"cs.hq", "总公司客服专员", kRoleCsAgent, "HQ"},
    {"auditor", "总公司审计员", kRoleAuditor, "HQ"},
};

constexpr const char* kDemoCustomerLogin = "customer";

}  // namespace

std::vector<DemoLogin> DemoAccounts() {
  std::vector<DemoLogin> logins;
  for (const DemoStaff& staff : kStaff)
    logins.push_back({staff.login, kDemoPassword, staff.role, staff.org_code});
  logins.push_back({kDemoCustomerLogin, kDemoPassword, kRoleCustomer, ""});
  return logins;
}

Result<std::vector<DemoLogin>> SeedDemoIdentity(IdentityService& service, const Actor& actor) {
  ANXIN_ASSIGN_OR_RETURN(Page<Org> existing, service.ListOrgs(actor, OrgListQuery{.limit = 1}));
  if (!existing.items.empty()) return std::vector<DemoLogin>{};

  std::map<std::string, std::string> org_ids;  // code -> id
  for (const DemoOrg& demo : kOrgs) {
    NewOrg request{demo.code, demo.name, demo.level, ""};
    if (demo.parent_code[0] != '\0') request.parent_id = org_ids.at(demo.parent_code);
    ANXIN_ASSIGN_OR_RETURN(Org org, service.CreateOrg(actor, request));
    org_ids[org.code] = org.id;
  }

  std::vector<DemoLogin> logins;
  for (const DemoStaff& staff : kStaff) {
    NewStaffUser request{staff.login,  staff.display_name, org_ids.at(staff.org_code),
                         {staff.role}, kDemoPassword,      std::nullopt};
    ANXIN_ASSIGN_OR_RETURN(UserView user, service.CreateStaffUser(actor, request));
    logins.push_back({user.login, kDemoPassword, staff.role, staff.org_code});
  }

  // A customer with a valid resident ID (RULES.md §5 example) and a demo phone number.
  NewCustomer customer;
  customer.login = kDemoCustomerLogin;
  customer.display_name = "张三";
  customer.phone = "13800138000";
  customer.id_type = IdType::kResidentId;
  customer.id_number = "11010519491231002X";
  customer.password = kDemoPassword;
  ANXIN_ASSIGN_OR_RETURN(UserView created, service.CreateCustomer(actor, customer));
  logins.push_back({created.login, kDemoPassword, kRoleCustomer, ""});
  return logins;
}

}  // namespace anxin::identity
