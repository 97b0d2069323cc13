#pragma once

// A fixture for identity tests: a fresh migrated database, a fake clock, the audit log, a cheap
// password hasher that counts its calls, both identity services, and a small organisation tree
// with one account per need.

#include <atomic>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audit/audit_log.hpp"
#include "common/crypto.hpp"
#include "http/router.hpp"
#include "identity/identity_routes.hpp"
#include "identity/identity_service.hpp"
#include "identity/session_service.hpp"
#include "storage/testing.hpp"

namespace anxin::identity {

// A salted SHA-256 "hash" so tests do not spend 50 ms per Argon2 call. Tests only.
class FastHasher final : public PasswordHasher {
 public:
  [[nodiscard]] std::string Hash(std::string_view password) const override {
    ++hashes;
    std::string salt = RandomToken(8);
    return "fast$" + salt + "$" + Sha256Hex(salt + std::string(password));
  }
  [[nodiscard]] bool Verify(std::string_view encoded, std::string_view password) const override {
    ++verifications;
    if (encoded.substr(0, 5) != "fast$") return false;
    size_t dollar = encoded.find('$', 5);
    if (dollar == std::string_view::npos) return false;
    std::string salt(encoded.substr(5, dollar - 5));
    return ConstantTimeEquals(encoded.substr(dollar + 1), Sha256Hex(salt + std::string(password)));
  }
  mutable std::atomic<int> hashes{0};
  mutable std::atomic<int> verifications{0};
};

class IdentityTestBase : public ::testing::Test {
 protected:
  static constexpr int64_t kStartMs = 1767225600000;  // 2026-01-01T08:00:00+08:00
  static constexpr const char* kPassword = "Correct-Horse-9";

  void SetUp() override {
    InitCrypto();
    Result<std::unique_ptr<storage::Database>> db = storage::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    service_ = std::make_unique<IdentityService>(*db_, keys_, clock_, audit_, &hasher_);
    sessions_ =
        std::make_unique<SessionService>(*db_, keys_, clock_, audit_, *service_, Settings(), &hasher_);
    authenticator_ = std::make_unique<SessionAuthenticator>(*sessions_);
  }

  // The session settings of the fixture's SessionService (a test may override it).
  virtual IdentitySettings Settings() const { return IdentitySettings{}; }

  // Registers identity's routes (and its authenticator) on `router`.
  void RegisterIdentity(http::Router& router) {
    RegisterIdentityRoutes(router, *service_, *sessions_, *authenticator_);
  }

  // Builds HQ -> {BJ -> BJ01 -> BJ0101, SH -> SH01} and accounts:
  //   admin (system_admin, HQ), bj.admin (org_admin, BJ), sh.admin (org_admin, SH),
  //   seller.bj01 (seller, BJ01), auditor (auditor, HQ), sh.staff (seller, SH01).
  void BuildTree() {
    const Actor sys = Actor::System("test");
    org_["HQ"] = Must(service_->CreateOrg(sys, {"HQ", "总公司", OrgLevel::kHeadOffice, ""})).id;
    org_["BJ"] = Must(service_->CreateOrg(sys, {"BJ", "北京分公司", OrgLevel::kBranch, org_["HQ"]})).id;
    org_["SH"] = Must(service_->CreateOrg(sys, {"SH", "上海分公司", OrgLevel::kBranch, org_["HQ"]})).id;
    org_["BJ01"] =
        Must(service_->CreateOrg(sys, {"BJ01", "北京朝阳支公司", OrgLevel::kInstitution, org_["BJ"]})).id;
    org_["SH01"] =
        Must(service_->CreateOrg(sys, {"SH01", "上海浦东支公司", OrgLevel::kInstitution, org_["SH"]})).id;
    org_["BJ0101"] =
        Must(service_->CreateOrg(sys, {"BJ0101", "朝阳网点", OrgLevel::kOutlet, org_["BJ01"]})).id;
    AddStaff("admin", "HQ", {"system_admin"});
    AddStaff("bj.admin", "BJ", {"org_admin"});
    AddStaff("sh.admin", "SH", {"org_admin"});
    AddStaff("seller.bj01", "BJ01", {"seller"});
    AddStaff("auditor", "HQ", {"auditor"});
    AddStaff("sh.staff", "SH01", {"seller"});
  }

  std::string AddStaff(const std::string& login, const std::string& org_code,
                       std::vector<std::string> roles) {
    NewStaffUser u{login, "员工 " + login, org_.at(org_code), std::move(roles), kPassword, std::nullopt};
    UserView view = Must(service_->CreateStaffUser(Actor::System("test"), u));
    user_[login] = view.id;
    return view.id;
  }

  template <typename T>
  T Must(Result<T> result) {
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok()) throw std::runtime_error(result.status().ToString());
    return std::move(result).value();
  }

  Actor Anonymous() const {
    Actor a;
    a.request_id = "req-test";
    a.client_address = "203.0.113.7";
    return a;
  }

  // Logs in as `login` and returns its token.
  std::string TokenOf(const std::string& login, const std::string& password = kPassword) {
    return Must(sessions_->Login(Anonymous(), login, password)).token;
  }

  // Logs in as `login` and keeps the resulting principal alive in the fixture.
  const Principal& PrincipalOf(const std::string& login) {
    std::string token = TokenOf(login);
    principals_.push_back(std::make_unique<Principal>(Must(sessions_->AuthenticateToken(token))));
    return *principals_.back();
  }

  Actor As(const std::string& login) {
    Actor a = Anonymous();
    a.principal = &PrincipalOf(login);
    return a;
  }

  std::vector<audit::AuditRecord> AuditRecords(const std::string& action) {
    audit::AuditFilter filter;
    filter.action = action;
    filter.limit = 1000;
    return Must(audit_.Query(*db_, filter));
  }

  std::optional<storage::Row> QueryRow(const std::string& sql, std::initializer_list<storage::Value> params) {
    std::optional<storage::Row> out;
    Status s = db_->Read([&](storage::Tx& tx) -> Status {
      ANXIN_ASSIGN_OR_RETURN(out, tx.QueryOne(sql, params));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  FakeClock clock_{kStartMs};
  KeyRing keys_ = KeyRing::FromKey(std::array<uint8_t, 32>{1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                                           12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                                           23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
  audit::AuditLog audit_{clock_};
  FastHasher hasher_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<IdentityService> service_;
  std::unique_ptr<SessionService> sessions_;
  std::unique_ptr<SessionAuthenticator> authenticator_;
  std::map<std::string, std::string> org_;   // code -> id
  std::map<std::string, std::string> user_;  // login -> id
  std::vector<std::unique_ptr<Principal>> principals_;
};

}  // namespace anxin::identity
