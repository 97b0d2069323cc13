// PolicyService over both backends: issuing, validation with field paths, one policy per card,
// sealed personal data, subtree scope and audited reveal.
#include "policies/policy_service.hpp"

#include <atomic>
#include <functional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policies/policy_test_support.hpp"

namespace anxin::policies {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class PolicyServiceTest : public PolicyTestBase {};

TEST_F(PolicyServiceTest, IssuesPolicyWithHolderInsuredAndBeneficiaries) {
  Policy policy = Must(Issue(Sample()));

  EXPECT_TRUE(std::regex_match(policy.policy_no, std::regex("P20260101[0-9]{10}"))) << policy.policy_no;
  EXPECT_EQ(policy.status, PolicyStatus::kInForce);
  EXPECT_EQ(policy.premium, Money::Yuan(120));
  EXPECT_EQ(policy.start_date, (Date{2026, 1, 2}));
  EXPECT_EQ(policy.end_date, (Date{2027, 1, 1}));
  EXPECT_EQ(policy.issued_at, kStartMs);
  EXPECT_EQ(policy.org_id, org_.at("BJ01"));
  EXPECT_EQ(policy.card_serial, "");
  EXPECT_EQ(policy.coverages[0]["code"], "accidental_death");
  ASSERT_EQ(policy.parties.size(), 4u);

  const PartyView& holder = policy.parties[0];
  EXPECT_EQ(holder.role, PartyRole::kHolder);
  EXPECT_EQ(holder.name, "李**");
  EXPECT_EQ(holder.id_type, IdType::kResidentId);
  EXPECT_EQ(holder.id_number, "513101********0014");
  EXPECT_EQ(holder.birth_date, "1982-01-13");
  EXPECT_EQ(holder.sex, Sex::kMale);
  EXPECT_EQ(holder.phone, "138****8000");
  EXPECT_EQ(holder.relationship, Relationship::kParent);
  const PartyView& insured = policy.parties[1];
  EXPECT_EQ(insured.role, PartyRole::kInsured);
  EXPECT_EQ(insured.name, "李**");
  EXPECT_EQ(insured.sex, Sex::kFemale);
  EXPECT_EQ(insured.phone, "");
  EXPECT_EQ(policy.parties[2].role, PartyRole::kBeneficiary);
  EXPECT_EQ(policy.parties[2].name, "王*");
  EXPECT_EQ(policy.parties[2].share_percent, 60);
  EXPECT_EQ(policy.parties[3].share_percent, 40);

  // What was stored reads back the same, by id and by number.
  Actor admin = As("admin");
  Policy read = Must(policies_->Get(admin, policy.id));
  EXPECT_EQ(read.policy_no, policy.policy_no);
  EXPECT_EQ(read.end_date, policy.end_date);
  ASSERT_EQ(read.parties.size(), 4u);
  EXPECT_EQ(read.parties[0].id_number, "513101********0014");
  EXPECT_EQ(read.parties[3].name, "李**");
  EXPECT_EQ(read.coverages, policy.coverages);
  EXPECT_EQ(Must(policies_->GetByNumber(admin, policy.policy_no)).id, policy.id);
}

TEST_F(PolicyServiceTest, AuditsTheIssueWithoutPersonalData) {
  Policy policy = Must(Issue(CardSample("TRV00000000017")));
  std::vector<audit::AuditRecord> records = AuditRecords("policy.issue");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].object_type, "policy");
  EXPECT_EQ(records[0].object_id, policy.id);
  EXPECT_EQ(records[0].org_id, org_.at("BJ01"));
  nlohmann::json summary = nlohmann::json::parse(records[0].summary);
  EXPECT_EQ(summary["policy_no"], policy.policy_no);
  EXPECT_EQ(summary["product_code"], "ACCIDENT_ANNUAL");
  EXPECT_EQ(summary["plan_code"], "BASIC");
  EXPECT_EQ(summary["premium_fen"], 12000);
  EXPECT_EQ(summary["card_serial"], "TRV00000000017");
  EXPECT_THAT(records[0].summary, Not(HasSubstr(kHolderId)));
  EXPECT_THAT(records[0].summary, Not(HasSubstr(kHolderPhone)));
  EXPECT_THAT(records[0].summary, Not(HasSubstr("李")));
}

// Every validation rule, one mutation of the valid sample each, with its field path and code.
struct InvalidCase {
  const char* name;
  std::function<void(NewPolicy&)> mutate;
  const char* field;
  const char* code;
};

Party& Role(NewPolicy& p, PartyRole role, int nth = 0) {
  for (Party& party : p.parties) {
    if (party.role == role && nth-- == 0) return party;
  }
  throw std::logic_error("no such party");
}

TEST_F(PolicyServiceTest, RejectsEachInvalidFieldWithItsPathAndCode) {
  const std::vector<InvalidCase> cases = {
      {"empty holder name", [](NewPolicy& p) { Role(p, PartyRole::kHolder).name = "  "; }, "holder.name",
       "required"},
      {"insured name of 51 characters",
       [](NewPolicy& p) {
         std::string name;
         for (int i = 0; i < 51; ++i) name += "李";
         Role(p, PartyRole::kInsured).name = name;
       },
       "insured.name", "too_long"},
      {"control character in a name",
       [](NewPolicy& p) { Role(p, PartyRole::kBeneficiary).name = "王\x01丽"; }, "beneficiaries[0].name",
       "invalid_format"},
      {"invalid UTF-8 in a name", [](NewPolicy& p) { Role(p, PartyRole::kHolder).name = "\xff\xfe"; },
       "holder.name", "invalid_format"},
      // RULES.md §5: check character, format, birth date.
      {"resident ID with a wrong check character",
       [](NewPolicy& p) { Role(p, PartyRole::kInsured).id_number = InsuredId().substr(0, 17) + "9"; },
       "insured.id_number", "invalid_checksum"},
      {"resident ID of 17 characters",
       [](NewPolicy& p) { Role(p, PartyRole::kHolder).id_number = "51310119820113001"; }, "holder.id_number",
       "invalid_format"},
      {"resident ID born tomorrow",
       [](NewPolicy& p) {
         Role(p, PartyRole::kInsured).id_number = testing::MakeResidentId("110105", "20260102", "002");
       },
       "insured.id_number", "invalid_birth_date"},
      {"birth date differs from the resident ID",
       [](NewPolicy& p) {
         Role(p, PartyRole::kHolder).birth_date = {1982, 1, 14};
       },
       "holder.birth_date", "birth_date_mismatch"},
      {"sex differs from the resident ID",
       [](NewPolicy& p) { Role(p, PartyRole::kInsured).sex = Sex::kMale; }, "insured.sex", "sex_mismatch"},
      {"beneficiary sex differs from the resident ID",
       [](NewPolicy& p) { Role(p, PartyRole::kBeneficiary, 1).sex = Sex::kFemale; }, "beneficiaries[1].sex",
       "sex_mismatch"},
      {"birth date not a real date",
       [](NewPolicy& p) {
         Party& insured = Role(p, PartyRole::kInsured);
         insured.id_type = IdType::kForeignPassport;
         insured.id_number = "E12345678";
         insured.birth_date = {2015, 2, 30};
       },
       "insured.birth_date", "invalid_date"},
      {"birth date in the future",
       [](NewPolicy& p) {
         Party& insured = Role(p, PartyRole::kInsured);
         insured.id_type = IdType::kForeignPassport;
         insured.id_number = "E12345678";
         insured.birth_date = {2026, 6, 1};
       },
       "insured.birth_date", "invalid_date"},
      {"passport too short",
       [](NewPolicy& p) {
         Party& insured = Role(p, PartyRole::kInsured);
         insured.id_type = IdType::kForeignPassport;
         insured.id_number = "E12";
       },
       "insured.id_number", "invalid_format"},
      {"Hong Kong ID with a wrong check character",
       [](NewPolicy& p) {
         Party& b = Role(p, PartyRole::kBeneficiary);
         b.id_type = IdType::kHongKongMacauId;
         b.id_number = "A123456(4)";
       },
       "beneficiaries[0].id_number", "invalid_checksum"},
      {"holder without a phone", [](NewPolicy& p) { Role(p, PartyRole::kHolder).phone = ""; }, "holder.phone",
       "required"},
      {"holder phone not a mobile number", [](NewPolicy& p) { Role(p, PartyRole::kHolder).phone = "12345"; },
       "holder.phone", "invalid_format"},
      {"beneficiary phone not a mobile number",
       [](NewPolicy& p) { Role(p, PartyRole::kBeneficiary).phone = "1391234567"; }, "beneficiaries[0].phone",
       "invalid_format"},
      {"beneficiary share of 0",
       [](NewPolicy& p) {
         Role(p, PartyRole::kBeneficiary, 0).share_percent = 100;
         Role(p, PartyRole::kBeneficiary, 1).share_percent = 0;
       },
       "beneficiaries[1].share_percent", "out_of_range"},
      {"beneficiary share over 100",
       [](NewPolicy& p) { Role(p, PartyRole::kBeneficiary, 0).share_percent = 101; },
       "beneficiaries[0].share_percent", "out_of_range"},
      {"shares adding up to 90", [](NewPolicy& p) { Role(p, PartyRole::kBeneficiary, 1).share_percent = 30; },
       "beneficiaries", "shares_not_100"},
      {"eleven beneficiaries",
       [](NewPolicy& p) {
         Party b = Role(p, PartyRole::kBeneficiary);
         b.share_percent = 10;
         std::erase_if(p.parties, [](const Party& x) { return x.role == PartyRole::kBeneficiary; });
         for (int i = 0; i < 11; ++i) p.parties.push_back(b);
       },
       "beneficiaries", "too_many"},
      {"no holder",
       [](NewPolicy& p) {
         std::erase_if(p.parties, [](const Party& x) { return x.role == PartyRole::kHolder; });
       },
       "holder", "required"},
      {"no insured",
       [](NewPolicy& p) {
         std::erase_if(p.parties, [](const Party& x) { return x.role == PartyRole::kInsured; });
       },
       "insured", "required"},
      {"two insured", [](NewPolicy& p) { p.parties.push_back(Role(p, PartyRole::kInsured)); }, "insured",
       "duplicate"},
      {"two holders", [](NewPolicy& p) { p.parties.push_back(Role(p, PartyRole::kHolder)); }, "holder",
       "duplicate"},
      {"end before start",
       [](NewPolicy& p) {
         p.end_date = {2026, 1, 1};
       },
       "end_date", "before_start"},
      {"start date not real",
       [](NewPolicy& p) {
         p.start_date = {2026, 2, 30};
       },
       "start_date", "invalid_date"},
      {"end date not real",
       [](NewPolicy& p) {
         p.end_date = {2027, 13, 1};
       },
       "end_date", "invalid_date"},
      {"negative premium", [](NewPolicy& p) { p.premium = Money::Fen(-1); }, "premium_fen", "out_of_range"},
      {"no product code", [](NewPolicy& p) { p.product_code = ""; }, "product_code", "required"},
      {"lower-case product code", [](NewPolicy& p) { p.product_code = "accident"; }, "product_code",
       "invalid_format"},
      {"no plan code", [](NewPolicy& p) { p.plan_code = ""; }, "plan_code", "required"},
      {"product version 0", [](NewPolicy& p) { p.product_version = 0; }, "product_version", "out_of_range"},
      {"card policy without a serial", [](NewPolicy& p) { p.source = PolicySource::kCard; }, "card_serial",
       "required"},
      {"serial on an online policy", [](NewPolicy& p) { p.card_serial = "TRV00000000017"; }, "card_serial",
       "not_allowed"},
      {"malformed card serial",
       [](NewPolicy& p) {
         p.source = PolicySource::kCard;
         p.card_serial = "trv-1";
       },
       "card_serial", "invalid_format"},
      {"no organisation", [](NewPolicy& p) { p.org_id = ""; }, "org_id", "required"},
      {"unknown organisation", [](NewPolicy& p) { p.org_id = "01NOSUCHORG000000000"; }, "org_id",
       "not_found"},
      {"coverages not an array", [](NewPolicy& p) { p.coverages = nlohmann::json::object(); }, "coverages",
       "invalid_format"},
  };
  for (const InvalidCase& c : cases) {
    SCOPED_TRACE(c.name);
    NewPolicy request = Sample();
    c.mutate(request);
    Result<Policy> result = Issue(request);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(result.status().reason(), "validation_failed");
    ASSERT_EQ(result.status().fields().size(), 1u) << result.status().ToString();
    EXPECT_EQ(result.status().fields()[0].field, c.field);
    EXPECT_EQ(result.status().fields()[0].code, c.code);
    EXPECT_FALSE(result.status().fields()[0].message.zh.empty());
  }
  EXPECT_FALSE(QueryRow("SELECT 1 FROM policies", {}).has_value());
}

TEST_F(PolicyServiceTest, ReportsEveryProblemAtOnce) {
  NewPolicy request = Sample();
  Role(request, PartyRole::kHolder).name = "";
  Role(request, PartyRole::kInsured).sex = Sex::kMale;
  request.premium = Money::Fen(-5);
  Result<Policy> result = Issue(request);
  ASSERT_FALSE(result.ok());
  std::vector<std::string> fields;
  for (const FieldError& e : result.status().fields()) fields.push_back(e.field + ":" + e.code);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("holder.name:required", "insured.sex:sex_mismatch",
                                                      "premium_fen:out_of_range"));
}

TEST_F(PolicyServiceTest, AcceptsAPolicyWithoutBeneficiariesForTheLegalHeirs) {
  NewPolicy request = Sample();
  std::erase_if(request.parties, [](const Party& p) { return p.role == PartyRole::kBeneficiary; });
  Policy policy = Must(Issue(request));
  EXPECT_EQ(policy.parties.size(), 2u);
}

TEST_F(PolicyServiceTest, NormalisesNamesIdNumbersAndPhones) {
  NewPolicy request = Sample();
  Party& holder = Role(request, PartyRole::kHolder);
  holder.name = "  李建国 ";
  holder.phone = "+86 138-0013-8000";
  Party& beneficiary = Role(request, PartyRole::kBeneficiary);
  beneficiary.id_type = IdType::kForeignPassport;
  beneficiary.id_number = "e1234567";
  Policy policy = Must(Issue(request));
  EXPECT_EQ(policy.parties[0].phone, "138****8000");
  Policy revealed = Must(policies_->Get(As("admin"), policy.id, {true, "核对受益人证件"}));
  EXPECT_EQ(revealed.parties[0].name, "李建国");
  EXPECT_EQ(revealed.parties[0].phone, kHolderPhone);
  EXPECT_EQ(revealed.parties[2].id_type, IdType::kForeignPassport);
  EXPECT_EQ(revealed.parties[2].id_number, "E1234567");
}

TEST_F(PolicyServiceTest, IssuesOnePolicyPerCard) {
  Policy first = Must(Issue(CardSample("TRV00000000017")));
  EXPECT_EQ(first.card_serial, "TRV00000000017");
  EXPECT_EQ(first.source, PolicySource::kCard);

  Result<Policy> second = Issue(CardSample("TRV00000000017", "SH01"));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(second.status().reason(), "policy_exists_for_card");

  // Without a card, any number of policies (NULL card_serial is not a duplicate).
  Must(Issue(Sample()));
  Must(Issue(Sample()));
  Must(Issue(CardSample("TRV00000000025")));
  EXPECT_EQ(QueryRow("SELECT COUNT(*) FROM policies", {})->Int(0), 4);
  EXPECT_EQ(QueryRow("SELECT COUNT(*) FROM policies WHERE card_serial IS NULL", {})->Int(0), 2);
}

TEST_F(PolicyServiceTest, SchemaRefusesASecondPolicyForACard) {
  Policy first = Must(Issue(CardSample("TRV00000000017")));
  // The last line of defence: a raw duplicate insert is a unique violation.
  Status raw = db_->Write([&](storage::Tx& tx) -> Status {
    return tx
        .Exec(
            "INSERT INTO policies (id, policy_no, product_code, product_version, plan_code, status, "
            "premium_fen, start_date, end_date, issued_at, org_id, org_path, source, card_serial, "
            "coverages, holder_id_hash, insured_id_hash, created_at, updated_at) "
            "SELECT ?, ?, product_code, product_version, plan_code, status, premium_fen, start_date, "
            "end_date, issued_at, org_id, org_path, source, card_serial, coverages, holder_id_hash, "
            "insured_id_hash, created_at, updated_at FROM policies WHERE id = ?",
            {NewId(), "P202601019999999999", first.id})
        .status();
  });
  EXPECT_EQ(raw.code(), StatusCode::kAlreadyExists) << raw.ToString();
}

// Prepare draws the id and number ahead of the transaction; a number taken in the meantime is drawn
// again inside it, without spending the transaction, and the audit record names the number issued.
TEST_F(PolicyServiceTest, APreparedNumberTakenMeanwhileIsDrawnAgain) {
  Result<std::unique_ptr<PreparedPolicy>> prepared = policies_->Prepare(Actor::System("test"), Sample());
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  const std::string drawn = (*prepared)->policy_no;
  ASSERT_EQ(drawn.size(), 19u);
  ASSERT_EQ((*prepared)->id.size(), 20u);
  // The caller's record names the drawn number: it is not appended once the number changes.
  Result<audit::PreparedAuditEntry> callers =
      audit_.Prepare(Actor::System("test"), {"card.activate", "card", "C1", "", {{"policy_no", drawn}}});
  ASSERT_TRUE(callers.ok());
  (*prepared)->audit_together.push_back(*callers);
  Policy other = Must(Issue(Sample()));
  ASSERT_TRUE(
      db_->Write([&](storage::Tx& tx) -> Status {
           return tx.Exec("UPDATE policies SET policy_no = ? WHERE id = ?", {drawn, other.id}).status();
         })
          .ok());
  Result<Policy> issued = db_->WriteResult<Policy>([&](storage::Tx& tx) -> Result<Policy> {
    ANXIN_ASSIGN_OR_RETURN(Policy policy, policies_->IssuePrepared(tx, **prepared));
    // The transaction is still usable.
    ANXIN_RETURN_IF_ERROR(tx.Query("SELECT 1").status());
    return policy;
  });
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_EQ(issued->id, (*prepared)->id);
  EXPECT_NE(issued->policy_no, drawn);
  EXPECT_EQ(issued->policy_no.substr(0, 9), drawn.substr(0, 9));
  EXPECT_EQ(issued->org_path, QueryRow("SELECT path FROM orgs WHERE id = ?", {org_.at("BJ01")})->Text(0));
  EXPECT_EQ(QueryRow("SELECT COUNT(*) FROM policy_parties WHERE policy_id = ?", {issued->id})->Int(0), 4);
  Result<std::vector<audit::AuditRecord>> records =
      audit_.Query(*db_, {.action = "policy.issue", .object_id = issued->id});
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_THAT(records->front().summary, HasSubstr(issued->policy_no));
  EXPECT_THAT(records->front().summary, Not(HasSubstr(drawn)));
  EXPECT_TRUE(audit_.Query(*db_, {.action = "card.activate"})->empty());
}

TEST_F(PolicyServiceTest, TheCallersAuditRecordsAreAppendedWithTheIssuesInOneChain) {
  Result<std::unique_ptr<PreparedPolicy>> prepared = policies_->Prepare(Actor::System("test"), Sample());
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  Result<audit::PreparedAuditEntry> callers = audit_.Prepare(
      Actor::System("test"), {"card.activate", "card", "C1", "", {{"policy_no", (*prepared)->policy_no}}});
  ASSERT_TRUE(callers.ok());
  (*prepared)->audit_together.push_back(*callers);
  Result<Policy> issued =
      db_->WriteResult<Policy>([&](storage::Tx& tx) { return policies_->IssuePrepared(tx, **prepared); });
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  Result<std::vector<audit::AuditRecord>> issues = audit_.Query(*db_, {.action = "policy.issue"});
  Result<std::vector<audit::AuditRecord>> activations = audit_.Query(*db_, {.action = "card.activate"});
  ASSERT_TRUE(issues.ok() && activations.ok());
  ASSERT_EQ(issues->size(), 1u);
  ASSERT_EQ(activations->size(), 1u);
  const audit::AuditRecord& issue = issues->front();
  const audit::AuditRecord& activate = activations->front();
  EXPECT_EQ(activate.chain_id, issue.chain_id);
  EXPECT_EQ(activate.chain_seq, issue.chain_seq + 1);
  EXPECT_THAT(activate.summary, HasSubstr(issued->policy_no));
}

// A caller whose record names the policy's terms (card activation) says it records the issue:
// then it is the only record, under the number drawn; when that number was taken meanwhile, the
// issuer appends nothing and leaves the corrected record to the caller.
TEST_F(PolicyServiceTest, ACallersRecordThatRecordsTheIssueIsTheOnlyOne) {
  for (bool taken : {false, true}) {
    SCOPED_TRACE(taken ? "number taken meanwhile" : "number as drawn");
    Result<std::unique_ptr<PreparedPolicy>> prepared = policies_->Prepare(Actor::System("test"), Sample());
    ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
    const std::string drawn = (*prepared)->policy_no;
    Result<audit::PreparedAuditEntry> callers =
        audit_.Prepare(Actor::System("test"), {"card.activate", "card", "C1", "", {{"policy_no", drawn}}});
    ASSERT_TRUE(callers.ok());
    (*prepared)->audit_together.push_back(*callers);
    (*prepared)->audit_together_records_issue = true;
    if (taken) {
      Policy other = Must(Issue(Sample()));
      ASSERT_TRUE(
          db_->Write([&](storage::Tx& tx) -> Status {
               return tx.Exec("UPDATE policies SET policy_no = ? WHERE id = ?", {drawn, other.id}).status();
             })
              .ok());
    }
    const size_t issues_before = AuditRecords("policy.issue").size();
    const size_t activations_before = AuditRecords("card.activate").size();
    Result<Policy> issued =
        db_->WriteResult<Policy>([&](storage::Tx& tx) { return policies_->IssuePrepared(tx, **prepared); });
    ASSERT_TRUE(issued.ok()) << issued.status().ToString();
    EXPECT_EQ(issued->policy_no == drawn, !taken);
    EXPECT_EQ(AuditRecords("policy.issue").size(), issues_before);
    std::vector<audit::AuditRecord> activations = AuditRecords("card.activate");
    ASSERT_EQ(activations.size(), activations_before + (taken ? 0 : 1));
    if (!taken) {
      EXPECT_THAT(activations.back().summary, HasSubstr(drawn));
    }
  }
  Result<audit::VerifyReport> verified = audit_.Verify(*db_);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_TRUE(verified->ok);
}

TEST_F(PolicyServiceTest, ConcurrentIssuesForOneCardYieldOnePolicy) {
  constexpr int kThreads = 8;
  std::atomic<int> issued{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  const NewPolicy request = CardSample("TRV00000000033");
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      Result<Policy> r = Issue(request);
      if (r.ok()) {
        ++issued;
      } else if (r.status().reason() == "policy_exists_for_card") {
        ++refused;
      } else {
        ADD_FAILURE() << r.status().ToString();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(issued.load(), 1);
  EXPECT_EQ(refused.load(), kThreads - 1);
  EXPECT_EQ(QueryRow("SELECT COUNT(*) FROM policies WHERE card_serial = ?", {"TRV00000000033"})->Int(0), 1);
  EXPECT_EQ(AuditRecords("policy.issue").size(), 1u);
}

TEST_F(PolicyServiceTest, StoresNoPersonalDataInClear) {
  Policy policy = Must(Issue(Sample()));
  const std::vector<std::string> secrets = {kHolderName, kHolderId,  kHolderPhone, kInsuredName,
                                            InsuredId(), SpouseId(), GrandpaId(),  kBeneficiaryPhone,
                                            "王丽",      "李大山"};
  auto check_table = [&](const std::string& sql) {
    Status s = db_->Read([&](storage::Tx& tx) -> Status {
      ANXIN_ASSIGN_OR_RETURN(std::vector<storage::Row> rows, tx.Query(sql, {policy.id}));
      EXPECT_FALSE(rows.empty()) << sql;
      for (const storage::Row& row : rows) {
        for (size_t i = 0; i < row.size(); ++i) {
          for (const std::string& secret : secrets) {
            EXPECT_THAT(row.Text(i), Not(HasSubstr(secret))) << sql << " column " << i;
          }
        }
      }
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
  };
  check_table("SELECT * FROM policies WHERE id = ?");
  check_table("SELECT * FROM policy_parties WHERE policy_id = ?");
  // The ID numbers are findable through keyed hashes.
  EXPECT_EQ(QueryRow("SELECT holder_id_hash FROM policies WHERE id = ?", {policy.id})->Text(0),
            keys_.LookupHash("id_number", kHolderId));
  EXPECT_EQ(QueryRow("SELECT COUNT(*) FROM policies WHERE insured_id_hash = ?",
                     {keys_.LookupHash("id_number", InsuredId())})
                ->Int(0),
            1);
}

TEST_F(PolicyServiceTest, StaffReadOnlyPoliciesOfTheirSubtree) {
  Policy sh = Must(Issue(Sample("SH01")));
  Policy bj = Must(Issue(Sample("BJ0101")));

  Result<Policy> hidden = policies_->Get(As("uw.bj"), sh.id);
  EXPECT_EQ(hidden.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(policies_->GetByNumber(As("uw.bj"), sh.policy_no).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(policies_->Get(As("uw.sh"), sh.id).ok());
  EXPECT_TRUE(policies_->Get(As("uw.bj"), bj.id).ok());
  EXPECT_EQ(policies_->Get(As("uw.sh"), bj.id).status().code(), StatusCode::kNotFound);

  PolicyPage bj_page = Must(policies_->List(As("uw.bj"), {}));
  ASSERT_EQ(bj_page.items.size(), 1u);
  EXPECT_EQ(bj_page.items[0].id, bj.id);
  EXPECT_EQ(Must(policies_->List(As("admin"), {})).items.size(), 2u);
  EXPECT_EQ(Must(policies_->List(Actor::System("test"), {})).items.size(), 2u);

  // Without policy.read: refused; anonymous: unauthenticated.
  EXPECT_EQ(policies_->Get(As("seller.bj01"), bj.id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(policies_->List(As("seller.bj01"), {}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(policies_->Get(Anonymous(), bj.id).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(policies_->Get(As("admin"), "01NOSUCHPOLICY000000").status().code(), StatusCode::kNotFound);
}

TEST_F(PolicyServiceTest, ListFiltersAndPages) {
  Policy a = Must(Issue(Sample()));
  clock_.Advance(60'000);
  NewPolicy other = Sample();
  other.product_code = "TRAVEL_DOMESTIC";
  Policy b = Must(Issue(other));
  clock_.Advance(60'000);
  Policy c = Must(Issue(CardSample("TRV00000000017")));
  Actor admin = As("admin");

  PolicyFilter by_product;
  by_product.product_code = "TRAVEL_DOMESTIC";
  PolicyPage page = Must(policies_->List(admin, by_product));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, b.id);
  EXPECT_EQ(page.items[0].parties.size(), 4u);
  EXPECT_EQ(page.items[0].parties[0].id_number, "513101********0014");

  PolicyFilter by_card;
  by_card.card_serial = "TRV00000000017";
  page = Must(policies_->List(admin, by_card));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, c.id);

  PolicyFilter by_time;
  by_time.issued_from_ms = kStartMs + 60'000;
  by_time.issued_to_ms = kStartMs + 120'000;
  page = Must(policies_->List(admin, by_time));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, b.id);

  PolicyFilter by_status;
  by_status.status = PolicyStatus::kExpired;
  EXPECT_TRUE(Must(policies_->List(admin, by_status)).items.empty());
  by_status.status = PolicyStatus::kInForce;
  EXPECT_EQ(Must(policies_->List(admin, by_status)).items.size(), 3u);

  PolicyFilter paged;
  paged.limit = 2;
  PolicyPage first = Must(policies_->List(admin, paged));
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.items[0].id, a.id);
  EXPECT_EQ(first.items[1].id, b.id);
  ASSERT_TRUE(first.next_after.has_value());
  paged.after = *first.next_after;
  PolicyPage second = Must(policies_->List(admin, paged));
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_EQ(second.items[0].id, c.id);
  EXPECT_EQ(second.items[0].parties.size(), 4u);
  EXPECT_FALSE(second.next_after.has_value());
}

// The schema does not constrain these columns (it does a party's role); a name their enum table
// does not know, read back, is an internal error, never a default value.
TEST_F(PolicyServiceTest, AnUnknownStoredNameIsAnInternalError) {
  struct Case {
    const char* table;
    const char* column;
    const char* detail;
  };
  const std::vector<Case> cases = {
      {"policies", "status", "policies: policy status 'lapsed' read from the database is unknown"},
      {"policies", "source", "policies: policy source 'lapsed' read from the database is unknown"},
      {"policy_parties", "relationship",
       "policies: party relationship 'lapsed' read from the database is unknown"},
      {"policy_parties", "id_type", "policies: party id type 'lapsed' read from the database is unknown"},
  };
  for (const Case& c : cases) {
    Policy policy = Must(Issue(Sample()));
    const std::string id_column = std::string(c.table) == "policies" ? "id" : "policy_id";
    ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
                     return tx
                         .Exec(std::string("UPDATE ") + c.table + " SET " + c.column + " = ? WHERE " +
                                   id_column + " = ?",
                               {"lapsed", policy.id})
                         .status();
                   })
                    .ok())
        << c.column;
    Result<Policy> read = policies_->Get(As("admin"), policy.id);
    ASSERT_FALSE(read.ok()) << c.column;
    EXPECT_EQ(read.status().code(), StatusCode::kInternal) << c.column;
    EXPECT_EQ(read.status().log_detail(), c.detail);
  }
}

TEST_F(PolicyServiceTest, RevealNeedsPermissionAndPurposeAndIsAudited) {
  Policy policy = Must(Issue(Sample()));

  // underwriters read policies but may not reveal personal data.
  EXPECT_EQ(policies_->Get(As("uw.bj"), policy.id, {true, "核对被保险人身份"}).status().code(),
            StatusCode::kPermissionDenied);
  Result<Policy> no_purpose = policies_->Get(As("admin"), policy.id, {true, " "});
  ASSERT_FALSE(no_purpose.ok());
  EXPECT_EQ(no_purpose.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(no_purpose.status().fields()[0].field, "purpose");
  EXPECT_EQ(no_purpose.status().fields()[0].code, "required");
  EXPECT_TRUE(AuditRecords("pii.reveal").empty());

  Policy revealed = Must(policies_->Get(As("admin"), policy.id, {true, "客户来电核对 13800138000"}));
  EXPECT_TRUE(revealed.parties_revealed);
  EXPECT_EQ(revealed.parties[0].name, kHolderName);
  EXPECT_EQ(revealed.parties[0].id_number, kHolderId);
  EXPECT_EQ(revealed.parties[0].phone, kHolderPhone);
  EXPECT_EQ(revealed.parties[1].id_number, InsuredId());
  EXPECT_EQ(revealed.parties[3].name, "李大山");

  std::vector<audit::AuditRecord> records = AuditRecords("pii.reveal");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].object_type, "policy");
  EXPECT_EQ(records[0].object_id, policy.id);
  EXPECT_EQ(records[0].actor_id, user_.at("admin"));
  nlohmann::json summary = nlohmann::json::parse(records[0].summary);
  EXPECT_EQ(summary["fields"], nlohmann::json({"parties"}));
  EXPECT_EQ(summary["purpose"], "客户来电核对 ***********");

  // A reveal outside the caller's scope is not found, and not audited.
  Policy sh = Must(Issue(Sample("SH01")));
  AddStaff("bj.root", "BJ", {"system_admin"});
  EXPECT_EQ(policies_->Get(As("bj.root"), sh.id, {true, "核对被保险人身份"}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(AuditRecords("pii.reveal").size(), 1u);
}

}  // namespace
}  // namespace anxin::policies
