#pragma once

// A fixture for policy store, service and route tests: identity's org tree and accounts, plus a
// PolicyService and a sample request with a holder, an insured child and two beneficiaries.

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "identity/identity_test_support.hpp"
#include "policies/policy_period.hpp"
#include "policies/policy_service.hpp"
#include "policies/policy_test_ids.hpp"

namespace anxin::policies {

class PolicyTestBase : public identity::IdentityTestBase {
 protected:
  // 2026-01-01: the holder's and insured's IDs below are valid on that date.
  static constexpr const char* kHolderName = "李建国";
  static constexpr const char* kHolderId = "513101198201130014";  // male, 1982-01-13
  static constexpr const char* kHolderPhone = "13800138000";
  static constexpr const char* kInsuredName = "李小花";
  static constexpr const char* kBeneficiaryPhone = "13912345678";

  void SetUp() override {
    IdentityTestBase::SetUp();
    BuildTree();
    AddStaff("uw.bj", "BJ", {"underwriter"});
    AddStaff("uw.sh", "SH", {"underwriter"});
    policies_ = std::make_unique<PolicyService>(*db_, keys_, clock_, audit_);
  }

  static std::string InsuredId() { return testing::MakeResidentId("110105", "20150601", "002"); }
  static std::string SpouseId() { return testing::MakeResidentId("110105", "19840305", "004"); }
  static std::string GrandpaId() { return testing::MakeResidentId("440524", "19550717", "013"); }

  // A valid online policy issued by `org_code`: holder (the insured's father), insured child,
  // beneficiaries mother 60 % and grandfather 40 %.
  NewPolicy Sample(const std::string& org_code = "BJ01") {
    NewPolicy p;
    p.product_code = "ACCIDENT_ANNUAL";
    p.product_version = 1;
    p.plan_code = "BASIC";
    p.premium = Money::Yuan(120);
    p.start_date = {2026, 1, 2};
    p.end_date = PolicyEndDate(p.start_date, products::TermUnit::kYear, 1);
    p.org_id = org_.at(org_code);
    p.source = PolicySource::kOnline;
    p.coverages = nlohmann::json::array(
        {{{"code", "accidental_death"}, {"name_zh", "意外身故"}, {"sum_insured_fen", 10000000}}});
    p.parties = {
        Party{PartyRole::kHolder,
              kHolderName,
              IdType::kResidentId,
              kHolderId,
              {1982, 1, 13},
              Sex::kMale,
              kHolderPhone,
              Relationship::kParent,
              100},
        Party{PartyRole::kInsured,
              kInsuredName,
              IdType::kResidentId,
              InsuredId(),
              {2015, 6, 1},
              Sex::kFemale,
              "",
              Relationship::kSelf,
              100},
        Party{PartyRole::kBeneficiary,
              "王丽",
              IdType::kResidentId,
              SpouseId(),
              {1984, 3, 5},
              Sex::kFemale,
              kBeneficiaryPhone,
              Relationship::kParent,
              60},
        Party{PartyRole::kBeneficiary,
              "李大山",
              IdType::kResidentId,
              GrandpaId(),
              {1955, 7, 17},
              Sex::kMale,
              "",
              Relationship::kOther,
              40},
    };
    return p;
  }

  NewPolicy CardSample(const std::string& serial, const std::string& org_code = "BJ01") {
    NewPolicy p = Sample(org_code);
    p.source = PolicySource::kCard;
    p.card_serial = serial;
    return p;
  }

  // Issues `request` in a transaction of its own, as an anonymous card holder would.
  Result<Policy> Issue(const NewPolicy& request) {
    return db_->WriteResult<Policy>(
        [&](storage::Tx& tx) -> Result<Policy> { return policies_->Issue(tx, Anonymous(), request); });
  }

  std::unique_ptr<PolicyService> policies_;
};

}  // namespace anxin::policies
