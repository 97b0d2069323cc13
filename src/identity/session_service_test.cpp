// SessionService: login, the login throttle, sessions, browser sessions and CSRF, disabled
// organisations. Run against SQLite and PostgreSQL.
#include "identity/session_service.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "identity/identity_test_support.hpp"

namespace anxin::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using ::testing::Not;

constexpr int64_t kMinute = 60 * 1000;
constexpr const char* kWrong = "Wrong-Pass-123";

class SessionServiceTest : public IdentityTestBase {
 protected:
  void SetUp() override {
    IdentityTestBase::SetUp();
    BuildTree();
  }

  Actor From(const std::string& address) const {
    Actor a = Anonymous();
    a.client_address = address;
    return a;
  }

  Result<LoginResult> LoginFrom(const std::string& address, const std::string& login,
                                const std::string& password) {
    return sessions_->Login(From(address), login, password);
  }

  int64_t ThrottleRows() { return QueryRow("SELECT COUNT(*) FROM login_throttle", {})->Int(0); }
};

// --- Login and sessions -------------------------------------------------------------------------

TEST_F(SessionServiceTest, LoginIssuesATokenStoredOnlyAsItsHash) {
  LoginResult result = Must(sessions_->Login(Anonymous(), "  Seller.BJ01 ", kPassword));
  EXPECT_GE(result.token.size(), 43u);  // 32 bytes of base64url
  EXPECT_TRUE(result.csrf_token.empty());
  EXPECT_EQ(result.expires_at_ms, kStartMs + 12 * 60 * kMinute);
  EXPECT_EQ(result.user.login, "seller.bj01");
  EXPECT_THAT(result.user.permissions, ::testing::Contains("product.read"));
  std::optional<storage::Row> row = QueryRow(
      "SELECT token_hash, client_address, idle_timeout_ms, csrf_hash FROM sessions WHERE user_id = ?",
      {user_["seller.bj01"]});
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->Text(0), Sha256Hex(result.token));
  EXPECT_EQ(row->Text(1), "203.0.113.7");
  EXPECT_EQ(row->Int(2), 30 * kMinute);
  EXPECT_TRUE(row->IsNull(3));

  Principal p = Must(sessions_->AuthenticateToken(result.token));
  EXPECT_EQ(p.user_id, user_["seller.bj01"]);
  EXPECT_EQ(p.org_id, org_["BJ01"]);
  EXPECT_EQ(p.org_path, "/" + org_["HQ"] + "/" + org_["BJ"] + "/" + org_["BJ01"] + "/");
  EXPECT_THAT(p.roles, ElementsAre("seller"));
  // Later migrations grant sellers more (card.read); what matters here is what identity grants and
  // that no administrative permission leaks to a seller.
  EXPECT_THAT(p.permissions, IsSupersetOf({"org.read", "product.read", "session.read"}));
  for (const char* admin_only :
       {"org.write", "user.read", "user.write", "role.assign", "pii.reveal", "audit.read"}) {
    EXPECT_EQ(p.permissions.count(admin_only), 0u) << admin_only;
  }
}

// Pentest finding "Enumeration" (issue 6 §5): unknown and known logins must do the same work and
// get the same answer.
TEST_F(SessionServiceTest, EveryFailureWithoutTheRightPasswordDoesTheSameWorkAndLooksTheSame) {
  ASSERT_TRUE(service_->UpdateUser(As("admin"), user_["sh.staff"], {.status = ActiveState::kDisabled}).ok());
  AddStaff("outlet.staff", "BJ0101", {"seller"});
  ASSERT_TRUE(service_->UpdateOrg(As("admin"), org_["BJ0101"], {std::nullopt, ActiveState::kDisabled}).ok());
  ASSERT_TRUE(service_
                  ->CreateCustomer(Actor::System("test"), {"no.password", "王五", "13800138001", std::nullopt,
                                                           std::nullopt, std::nullopt})
                  .ok());
  struct Case {
    const char* what;
    const char* login;
    const char* password;
  };
  const Case cases[] = {{"unknown login", "nobody", kPassword},
                        {"wrong password", "seller.bj01", kWrong},
                        {"disabled account, wrong password", "sh.staff", kWrong},
                        {"disabled organisation, wrong password", "outlet.staff", kWrong},
                        {"account without a password", "no.password", kPassword},
                        {"empty login", "", kPassword},
                        {"empty password", "seller.bj01", ""}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    const int verifications = hasher_.verifications.load();
    const int hashes = hasher_.hashes.load();
    Result<LoginResult> r = LoginFrom("198.51.100.1", c.login, c.password);
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(r.status().reason(), "invalid_credentials");
    EXPECT_EQ(r.status().message().zh, "登录名或密码错误");
    EXPECT_EQ(r.status().message().en, "Incorrect login or password");
    EXPECT_TRUE(r.status().fields().empty());
    // Known or not, exactly one password verification runs, and no hashing (the dummy hash of
    // unknown logins was made when the service was built).
    EXPECT_EQ(hasher_.verifications.load(), verifications + 1);
    EXPECT_EQ(hasher_.hashes.load(), hashes);
  }
  // Every failure was counted alike: one row per (login, address) pair, one for the address, one
  // per login text (the empty password's login is seller.bj01's, counted twice).
  EXPECT_EQ(QueryRow("SELECT COUNT(*) FROM login_throttle WHERE scope = 'pair' AND failures > 0", {})->Int(0),
            6);
  EXPECT_EQ(QueryRow("SELECT failures FROM login_throttle WHERE scope = 'client'", {})->Int(0), 7);
  EXPECT_EQ(QueryRow("SELECT COUNT(*) FROM login_throttle WHERE scope = 'login'", {})->Int(0), 6);
}

TEST_F(SessionServiceTest, TheRightPasswordOfADisabledAccountIsAccountDisabled) {
  ASSERT_TRUE(service_->UpdateUser(As("admin"), user_["sh.staff"], {.status = ActiveState::kDisabled}).ok());
  Result<LoginResult> r = sessions_->Login(Anonymous(), "sh.staff", kPassword);
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(r.status().reason(), "account_disabled");
  // It counts as a failure like any other.
  EXPECT_EQ(QueryRow("SELECT failures FROM login_throttle WHERE scope = 'client'", {})->Int(0), 1);
  std::vector<audit::AuditRecord> failed = AuditRecords("session.login_failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_THAT(failed[0].summary, HasSubstr("\"disabled\""));
}

TEST_F(SessionServiceTest, IdleSessionsExpire) {
  std::string token = TokenOf("seller.bj01");
  clock_.Advance(29 * kMinute);
  ASSERT_TRUE(sessions_->AuthenticateToken(token).ok());  // touches last_seen_at
  clock_.Advance(29 * kMinute);
  ASSERT_TRUE(sessions_->AuthenticateToken(token).ok());
  clock_.Advance(30 * kMinute);
  Result<Principal> idle = sessions_->AuthenticateToken(token);
  EXPECT_EQ(idle.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(idle.status().reason(), "invalid_token");
}

TEST_F(SessionServiceTest, SessionsEndAfterTwelveHoursHoweverActive) {
  std::string token = TokenOf("seller.bj01");
  for (int i = 0; i < 35; ++i) {  // 35 x 20 min = 11 h 40 min
    clock_.Advance(20 * kMinute);
    ASSERT_TRUE(sessions_->AuthenticateToken(token).ok()) << i;
  }
  clock_.Advance(20 * kMinute);
  EXPECT_EQ(sessions_->AuthenticateToken(token).status().reason(), "invalid_token");
}

TEST_F(SessionServiceTest, RevokedAndUnknownTokensAreRejected) {
  std::string token = TokenOf("seller.bj01");
  Principal p = Must(sessions_->AuthenticateToken(token));
  Actor actor = Anonymous();
  actor.principal = &p;
  ASSERT_TRUE(sessions_->Logout(actor).ok());
  EXPECT_EQ(sessions_->AuthenticateToken(token).status().reason(), "invalid_token");
  EXPECT_EQ(sessions_->Logout(actor).code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(sessions_->AuthenticateToken("not-a-token").status().reason(), "invalid_token");
  EXPECT_EQ(sessions_->AuthenticateToken("").status().reason(), "invalid_token");
  EXPECT_EQ(sessions_->AuthenticateToken(std::string(1000, 'a')).status().reason(), "invalid_token");
}

TEST_F(SessionServiceTest, LastSeenIsWrittenAtMostOncePerMinute) {
  std::string token = TokenOf("seller.bj01");
  auto last_seen = [&] {
    return QueryRow("SELECT last_seen_at FROM sessions WHERE token_hash = ?", {Sha256Hex(token)})->Int(0);
  };
  clock_.Advance(10 * 1000);
  ASSERT_TRUE(sessions_->AuthenticateToken(token).ok());
  EXPECT_EQ(last_seen(), kStartMs);
  clock_.Advance(50 * 1000);  // 60 s after login
  ASSERT_TRUE(sessions_->AuthenticateToken(token).ok());
  EXPECT_EQ(last_seen(), kStartMs + 60 * 1000);
  clock_.Advance(30 * 1000);
  ASSERT_TRUE(sessions_->AuthenticateToken(token).ok());
  EXPECT_EQ(last_seen(), kStartMs + 60 * 1000);
}

TEST_F(SessionServiceTest, DisablingAUserEndsTheirSessions) {
  std::string token = TokenOf("seller.bj01");
  ASSERT_TRUE(
      service_->UpdateUser(As("bj.admin"), user_["seller.bj01"], {.status = ActiveState::kDisabled}).ok());
  EXPECT_EQ(sessions_->AuthenticateToken(token).status().reason(), "invalid_token");
  Result<UserView> self =
      service_->UpdateUser(As("bj.admin"), user_["bj.admin"], {.status = ActiveState::kDisabled});
  EXPECT_EQ(self.status().reason(), "cannot_disable_self");
}

TEST_F(SessionServiceTest, ChangingOwnPasswordRevokesOtherSessions) {
  std::string other = TokenOf("seller.bj01");
  std::string current = TokenOf("seller.bj01");
  Principal p = Must(sessions_->AuthenticateToken(current));
  Actor actor = Anonymous();
  actor.principal = &p;

  Status wrong = sessions_->ChangeOwnPassword(actor, "Not-The-Pass-1", "Brand-New-Pass-2");
  EXPECT_EQ(wrong.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(wrong.fields().at(0).field, "current_password");
  EXPECT_EQ(wrong.fields().at(0).code, "incorrect");
  Status weak = sessions_->ChangeOwnPassword(actor, kPassword, "password12");
  EXPECT_EQ(weak.fields().at(0).code, "too_weak");
  Status same = sessions_->ChangeOwnPassword(actor, kPassword, kPassword);
  EXPECT_EQ(same.fields().at(0).code, "same_as_current");

  ASSERT_TRUE(sessions_->ChangeOwnPassword(actor, kPassword, "Brand-New-Pass-2").ok());
  EXPECT_TRUE(sessions_->AuthenticateToken(current).ok());
  EXPECT_EQ(sessions_->AuthenticateToken(other).status().reason(), "invalid_token");
  EXPECT_FALSE(sessions_->Login(Anonymous(), "seller.bj01", kPassword).ok());
  EXPECT_TRUE(sessions_->Login(Anonymous(), "seller.bj01", "Brand-New-Pass-2").ok());
  EXPECT_EQ(AuditRecords("user.password_change").size(), 1u);
}

TEST_F(SessionServiceTest, WrongCurrentPasswordsAreThrottledLikeLogins) {
  Actor actor = As("seller.bj01");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(sessions_->ChangeOwnPassword(actor, "Not-The-Pass-1", "Brand-New-Pass-2").fields().at(0).code,
              "incorrect");
  }
  const int verifications = hasher_.verifications.load();
  Status blocked = sessions_->ChangeOwnPassword(actor, kPassword, "Brand-New-Pass-2");
  EXPECT_EQ(blocked.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(blocked.reason(), "too_many_attempts");
  EXPECT_EQ(hasher_.verifications.load(), verifications);
  // The same pair is blocked for logging in too.
  EXPECT_EQ(sessions_->Login(actor, "seller.bj01", kPassword).status().reason(), "too_many_attempts");
}

TEST_F(SessionServiceTest, AdminResetSetsPasswordAndRevokesSessions) {
  std::string token = TokenOf("seller.bj01");
  ASSERT_TRUE(service_->ResetPassword(As("bj.admin"), user_["seller.bj01"], "Reset-Pass-2026").ok());
  EXPECT_EQ(sessions_->AuthenticateToken(token).status().reason(), "invalid_token");
  EXPECT_TRUE(sessions_->Login(Anonymous(), "seller.bj01", "Reset-Pass-2026").ok());
  // A branch administrator cannot reset a system administrator's password.
  AddStaff("bj.sysadmin", "BJ", {"system_admin"});
  EXPECT_EQ(service_->ResetPassword(As("bj.admin"), user_["bj.sysadmin"], "Reset-Pass-2026").reason(),
            "target_is_system_admin");
}

TEST_F(SessionServiceTest, ListsOwnLiveSessions) {
  std::string first = TokenOf("seller.bj01");
  clock_.Advance(kMinute);
  Actor me = As("seller.bj01");
  std::vector<SessionView> sessions = Must(sessions_->ListOwnSessions(me));
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(std::count_if(sessions.begin(), sessions.end(), [](const SessionView& s) { return s.current; }),
            1);
}

// --- The login throttle (pentest findings "Unauthenticated stall" and "Lockout of anyone") ------

TEST_F(SessionServiceTest, FiveFailuresBlockThePairAtOnceAndOnlyThePair) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(LoginFrom("198.51.100.1", "seller.bj01", kWrong).status().reason(), "invalid_credentials") << i;
  }
  // Blocked: even the right password is answered at once, without verifying anything.
  const int verifications = hasher_.verifications.load();
  Result<LoginResult> blocked = LoginFrom("198.51.100.1", "seller.bj01", kPassword);
  EXPECT_EQ(blocked.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(blocked.status().reason(), "too_many_attempts");
  EXPECT_THAT(blocked.status().message().en, HasSubstr("900 seconds"));
  EXPECT_EQ(hasher_.verifications.load(), verifications);
  // Blocked attempts are not counted (the pair's count stays at 5).
  EXPECT_EQ(QueryRow("SELECT failures FROM login_throttle WHERE scope = 'client'", {})->Int(0), 5);
  // The user's own address is not blocked, nor is another login from the blocked address.
  EXPECT_TRUE(LoginFrom("192.0.2.10", "seller.bj01", kPassword).ok());
  EXPECT_TRUE(LoginFrom("198.51.100.1", "auditor", kPassword).ok());
  // The account itself is not locked.
  EXPECT_FALSE(Must(service_->GetUser(As("admin"), user_["seller.bj01"])).locked);

  clock_.Advance(15 * kMinute - 1);
  EXPECT_THAT(LoginFrom("198.51.100.1", "seller.bj01", kPassword).status().message().en,
              HasSubstr("1 seconds"));
  clock_.Advance(1);
  EXPECT_TRUE(LoginFrom("198.51.100.1", "seller.bj01", kPassword).ok());
}

TEST_F(SessionServiceTest, AnAttackerFailingFiftyTimesCannotStopAdminFromAnotherAddress) {
  const int verifications = hasher_.verifications.load();
  int refused = 0;
  for (int i = 0; i < 50; ++i) {
    Result<LoginResult> r = LoginFrom("203.0.113.66", "admin", "Guess-" + std::to_string(i) + "-Pass");
    ASSERT_FALSE(r.ok());
    if (r.status().reason() == "too_many_attempts") ++refused;
  }
  EXPECT_EQ(refused, 45);
  // Only the five counted attempts cost a password verification.
  EXPECT_EQ(hasher_.verifications.load(), verifications + 5);
  LoginResult admin = Must(LoginFrom("192.0.2.10", "admin", kPassword));
  EXPECT_EQ(admin.user.login, "admin");
}

TEST_F(SessionServiceTest, TwentyFailuresBlockTheAddressForEveryLogin) {
  for (int i = 0; i < 20; ++i) {
    // Four logins a pair's limit allows, five times over, some unknown.
    const std::string login = i % 4 == 0 ? "seller.bj01" : "ghost" + std::to_string(i % 4);
    EXPECT_EQ(LoginFrom("198.51.100.1", login, kWrong).status().reason(), "invalid_credentials") << i;
  }
  Result<LoginResult> blocked = LoginFrom("198.51.100.1", "auditor", kPassword);
  EXPECT_EQ(blocked.status().reason(), "too_many_attempts");
  EXPECT_THAT(blocked.status().message().en, HasSubstr("600 seconds"));
  EXPECT_TRUE(LoginFrom("192.0.2.10", "auditor", kPassword).ok());
  clock_.Advance(10 * kMinute);
  EXPECT_TRUE(LoginFrom("198.51.100.1", "auditor", kPassword).ok());
}

TEST_F(SessionServiceTest, AnUnknownLoginIsThrottledExactlyLikeAKnownOne) {
  for (int i = 0; i < 5; ++i) {
    Result<LoginResult> known = LoginFrom("198.51.100.1", "seller.bj01", kWrong);
    Result<LoginResult> unknown = LoginFrom("198.51.100.2", "nobody.here", kWrong);
    EXPECT_EQ(known.status().reason(), unknown.status().reason()) << i;
    EXPECT_EQ(known.status().message().en, unknown.status().message().en) << i;
  }
  Result<LoginResult> known = LoginFrom("198.51.100.1", "seller.bj01", kWrong);
  Result<LoginResult> unknown = LoginFrom("198.51.100.2", "nobody.here", kWrong);
  EXPECT_EQ(known.status().reason(), "too_many_attempts");
  EXPECT_EQ(unknown.status().code(), known.status().code());
  EXPECT_EQ(unknown.status().reason(), known.status().reason());
  EXPECT_EQ(unknown.status().message().zh, known.status().message().zh);
  EXPECT_EQ(unknown.status().message().en, known.status().message().en);
  // The counters are keyed by keyed hashes: neither login nor address is stored in clear, and an
  // unknown login needs no user row.
  Status s = db_->Read([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT scope, key_hash FROM login_throttle"));
    EXPECT_EQ(rows.size(), 6u);
    for (const auto& row : rows) {
      EXPECT_THAT(row.Text(1), Not(HasSubstr("nobody")));
      EXPECT_THAT(row.Text(1), Not(HasSubstr("seller")));
      EXPECT_THAT(row.Text(1), Not(HasSubstr("198.51")));
      EXPECT_EQ(row.Text(1).size(), 64u);
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
}

TEST_F(SessionServiceTest, ASuccessResetsThePairsCounter) {
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 4; ++i)
      ASSERT_EQ(LoginFrom("198.51.100.1", "seller.bj01", kWrong).status().reason(), "invalid_credentials");
    ASSERT_TRUE(LoginFrom("198.51.100.1", "seller.bj01", kPassword).ok()) << round;
  }
  // Twelve failures from one address with successes between: the pair never reached five. The
  // address's count is not reset by a success (else an attacker's own account would reset it).
  EXPECT_EQ(QueryRow("SELECT failures FROM login_throttle WHERE scope = 'client'", {})->Int(0), 12);
}

TEST_F(SessionServiceTest, CountersAreSharedByEveryNodeOfOneDatabase) {
  SessionService other_node(*db_, keys_, clock_, audit_, *service_, IdentitySettings{}, &hasher_);
  for (int i = 0; i < 3; ++i) ASSERT_FALSE(LoginFrom("198.51.100.1", "seller.bj01", kWrong).ok());
  for (int i = 0; i < 2; ++i)
    ASSERT_FALSE(other_node.Login(From("198.51.100.1"), "seller.bj01", kWrong).ok());
  EXPECT_EQ(LoginFrom("198.51.100.1", "seller.bj01", kPassword).status().reason(), "too_many_attempts");
  EXPECT_EQ(other_node.Login(From("198.51.100.1"), "seller.bj01", kPassword).status().reason(),
            "too_many_attempts");
}

TEST_F(SessionServiceTest, ADistributedAttackSlowsTheLoginButNotAtTheUsersKnownAddress) {
  // The real user logged in from home before.
  ASSERT_TRUE(LoginFrom("192.0.2.10", "seller.bj01", kPassword).ok());
  // 100 failures from 20 addresses, five each (each address's pair blocks after its fifth).
  for (int a = 0; a < 20; ++a) {
    for (int i = 0; i < 5; ++i) {
      ASSERT_EQ(LoginFrom("203.0.113." + std::to_string(a), "seller.bj01", kWrong).status().reason(),
                "invalid_credentials");
    }
  }
  // The login is now blocked from every address it did not succeed from...
  Result<LoginResult> elsewhere = LoginFrom("198.51.100.99", "seller.bj01", kPassword);
  EXPECT_EQ(elsewhere.status().reason(), "too_many_attempts");
  EXPECT_THAT(elsewhere.status().message().en, HasSubstr("900 seconds"));
  EXPECT_TRUE(Must(service_->GetUser(As("admin"), user_["seller.bj01"])).locked);
  // ... but not from the user's own address, nor for another login.
  EXPECT_TRUE(LoginFrom("192.0.2.10", "seller.bj01", kPassword).ok());
  EXPECT_TRUE(LoginFrom("198.51.100.99", "auditor", kPassword).ok());
  // An administrator's reset lifts the login-wide block.
  ASSERT_TRUE(service_->ResetPassword(As("bj.admin"), user_["seller.bj01"], "Reset-Pass-2026").ok());
  EXPECT_FALSE(Must(service_->GetUser(As("admin"), user_["seller.bj01"])).locked);
  EXPECT_TRUE(LoginFrom("198.51.100.99", "seller.bj01", "Reset-Pass-2026").ok());
}

TEST_F(SessionServiceTest, PurgesCountersNoRuleNeedsAnyMore) {
  ASSERT_FALSE(LoginFrom("198.51.100.1", "nobody", kWrong).ok());
  ASSERT_TRUE(LoginFrom("198.51.100.2", "seller.bj01", kPassword).ok());
  EXPECT_EQ(ThrottleRows(), 4);  // pair, client, login of the failure; the trusted pair of the success
  EXPECT_EQ(Must(sessions_->PurgeThrottle()), 0);
  clock_.Advance(60 * kMinute + 1);  // the longest window is over
  EXPECT_EQ(Must(sessions_->PurgeThrottle()), 3);
  EXPECT_EQ(ThrottleRows(), 1);  // the pair trusted for 30 days stays
}

// --- Disabled organisations ---------------------------------------------------------------------

TEST_F(SessionServiceTest, StaffOfADisabledNodeOrBelowItCannotLogInAndTheirSessionsEnd) {
  AddStaff("outlet.staff", "BJ0101", {"seller"});
  const std::string outlet = TokenOf("outlet.staff");
  const std::string institution = TokenOf("seller.bj01");
  const std::string other_branch = TokenOf("sh.staff");

  ASSERT_TRUE(service_->UpdateOrg(As("admin"), org_["BJ0101"], {std::nullopt, ActiveState::kDisabled}).ok());
  EXPECT_EQ(sessions_->AuthenticateToken(outlet).status().reason(), "invalid_token");
  EXPECT_TRUE(sessions_->AuthenticateToken(institution).ok());
  ASSERT_TRUE(service_->UpdateOrg(As("admin"), org_["BJ01"], {std::nullopt, ActiveState::kDisabled}).ok());
  EXPECT_EQ(sessions_->AuthenticateToken(institution).status().reason(), "invalid_token");
  EXPECT_TRUE(sessions_->AuthenticateToken(other_branch).ok());
  // Revoked in the same transaction as the change, and audited with it.
  EXPECT_EQ(QueryRow("SELECT COUNT(*) FROM sessions WHERE revoked_at IS NOT NULL", {})->Int(0), 2);
  std::vector<audit::AuditRecord> updates = AuditRecords("org.update");
  ASSERT_FALSE(updates.empty());
  EXPECT_THAT(updates.back().summary, HasSubstr("\"sessions_revoked\":1"));

  // With the right password the answer says the account cannot be used; with a wrong one it is
  // the same as for anybody.
  for (const char* login : {"outlet.staff", "seller.bj01"}) {
    SCOPED_TRACE(login);
    EXPECT_EQ(sessions_->Login(Anonymous(), login, kPassword).status().reason(), "account_disabled");
    EXPECT_EQ(sessions_->Login(Anonymous(), login, kWrong).status().reason(), "invalid_credentials");
  }
  // Enabling the node again lets its staff log in; the ended sessions stay ended.
  ASSERT_TRUE(service_->UpdateOrg(As("admin"), org_["BJ01"], {std::nullopt, ActiveState::kActive}).ok());
  EXPECT_TRUE(sessions_->Login(From("192.0.2.10"), "seller.bj01", kPassword).ok());
  EXPECT_EQ(sessions_->AuthenticateToken(institution).status().reason(), "invalid_token");
  EXPECT_EQ(sessions_->Login(From("192.0.2.10"), "outlet.staff", kPassword).status().reason(),
            "account_disabled");
}

TEST_F(SessionServiceTest, EveryRequestChecksTheWholeOrganisationPath) {
  // A node disabled behind the service's back (another node's change racing a login, or an
  // ancestor disabled while a child stayed active): the session is refused on its next request.
  const std::string token = TokenOf("seller.bj01");
  Status s = db_->Write([&](storage::Tx& tx) {
    return tx.Exec("UPDATE orgs SET status = 'disabled' WHERE id = ?", {org_["BJ"]}).status();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(sessions_->AuthenticateToken(token).status().reason(), "invalid_token");
  EXPECT_EQ(sessions_->Login(Anonymous(), "seller.bj01", kPassword).status().reason(), "account_disabled");
  EXPECT_TRUE(sessions_->Login(Anonymous(), "sh.staff", kPassword).ok());
}

// --- Browser sessions ---------------------------------------------------------------------------

TEST_F(SessionServiceTest, ABrowserSessionKeepsOnlyTheHashOfItsCsrfToken) {
  LoginResult web = Must(sessions_->Login(Anonymous(), "seller.bj01", kPassword, SessionKind::kBrowser));
  ASSERT_GE(web.csrf_token.size(), 43u);
  EXPECT_NE(web.csrf_token, web.token);
  std::optional<storage::Row> row =
      QueryRow("SELECT csrf_hash FROM sessions WHERE token_hash = ?", {Sha256Hex(web.token)});
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->Text(0), Sha256Hex(web.csrf_token));

  EXPECT_TRUE(sessions_->AuthenticateToken(web.token).ok());
  EXPECT_TRUE(sessions_->AuthenticateToken(web.token, web.csrf_token).ok());
  for (const std::string& wrong : {std::string(), std::string("x"), web.token, web.csrf_token + "x"}) {
    Result<Principal> r = sessions_->AuthenticateToken(web.token, wrong);
    EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied) << wrong;
    EXPECT_EQ(r.status().reason(), "csrf_token_invalid") << wrong;
  }
  // A bearer session has no CSRF token: a cookie carrying its token cannot make unsafe requests.
  const std::string bearer = TokenOf("seller.bj01");
  EXPECT_EQ(sessions_->AuthenticateToken(bearer, "").status().reason(), "csrf_token_invalid");
  // An invalid session is 401 before any CSRF check.
  EXPECT_EQ(sessions_->AuthenticateToken("not-a-token", web.csrf_token).status().reason(), "invalid_token");
}

// --- The real hasher ----------------------------------------------------------------------------

TEST_F(SessionServiceTest, DefaultHasherIsArgon2id) {
  IdentityService users(*db_, keys_, clock_, audit_);
  SessionService real(*db_, keys_, clock_, audit_, users, IdentitySettings{});
  UserView u = Must(users.CreateStaffUser(Actor::System("test"),
                                          {"argon.user", "测试", org_["HQ"], {}, kPassword, std::nullopt}));
  std::optional<storage::Row> row = QueryRow("SELECT password_hash FROM users WHERE id = ?", {u.id});
  EXPECT_EQ(row->Text(0).rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(real.Login(Anonymous(), "argon.user", kPassword).ok());
  EXPECT_EQ(real.Login(Anonymous(), "argon.user", kWrong).status().reason(), "invalid_credentials");
  EXPECT_EQ(real.Login(Anonymous(), "nobody", kWrong).status().reason(), "invalid_credentials");
}

}  // namespace
}  // namespace anxin::identity
