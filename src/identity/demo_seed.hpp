#pragma once

#include <string>
#include <vector>

#include "common/actor.hpp"
#include "common/status.hpp"
#include "identity/identity_service.hpp"

namespace anxin::identity {

// The password of every demo account (printed by `make run`; demo data only).
inline constexpr const char* kDemoPassword = "Anxin-demo-2026";

// One demo account, for printing.
struct DemoLogin {
  std::string login;
  std::string password;
  std::string role;
  std::string org_code;  // empty for the customer
};

// Creates the demo organisation tree (总公司 HQ; 北京分公司 BJ and 上海分公司 SH; institutions BJ01,
// BJ02, SH01, SH02; one outlet under each) and one demo account per role plus a demo customer,
// through `service` as `actor` (normally Actor::System("seed")). Does nothing and returns an
// empty list when any organisation exists already. Returns the accounts created.
// Returns every demo account SeedDemoIdentity creates, whether or not it has run (for printing).
std::vector<DemoLogin> DemoAccounts();

Result<std::vector<DemoLogin>> SeedDemoIdentity(IdentityService& service, const Actor& actor);

}  // namespace anxin::identity
