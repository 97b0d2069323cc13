#include "policies/policy_service.hpp"

#include <algorithm>
#include <utility>

#include "common/access.hpp"
#include "common/validation.hpp"
#include "policies/policy_validation.hpp"

namespace anxin::policies {
namespace {

using storage::Tx;

// A policy number is drawn again when taken; ten digits make a second draw astronomically rare,
// so running out of attempts means something is broken.
constexpr int kMaxNumberAttempts = 8;

Status PolicyExistsForCard() {
  return Status(StatusCode::kAlreadyExists, "policy_exists_for_card",
                Text{"该卡已出具保单", "A policy has already been issued for this card"});
}

std::string Compact(const Date& date) {
  std::string text = FormatDate(date);
  text.erase(std::remove(text.begin(), text.end(), '-'), text.end());
  return text;
}

std::string DrawPolicyNo(const Date& day) { return "P" + Compact(day) + RandomDigits(10); }

// What the audit record of an issue says (no personal data).
nlohmann::json IssueSummary(const StoredPolicy& stored) {
  return {{"policy_no", stored.policy_no},
          {"product_code", stored.product_code},
          {"product_version", stored.product_version},
          {"plan_code", stored.plan_code},
          {"premium_fen", stored.premium.fen},
          {"start_date", FormatDate(stored.start_date)},
          {"end_date", FormatDate(stored.end_date)},
          {"source", kPolicySources.Name(stored.source)},
          {"card_serial", stored.card_serial ? nlohmann::json(*stored.card_serial) : nullptr}};
}

// What Prepare computes ahead of the transaction: the rows to insert, the policy to return and its
// audit record, but for what IssuePrepared decides (issue time, organisation path, and another
// number if the drawn one is taken).
class SealedPolicy final : public PreparedPolicy {
 public:
  SealedPolicy(Actor who, NewPolicy validated, const Date& on)
      : PreparedPolicy(std::move(who), std::move(validated)), validated_on(on) {}

  const Date validated_on;
  StoredPolicy stored;  // with the id and the drawn policy number
  Policy view;
  audit::PreparedAuditEntry audit;  // "policy.issue" under the drawn number
};

}  // namespace

PolicyService::PolicyService(storage::Database& db, const KeyRing& keys, const Clock& clock,
                             const audit::AuditLog& audit)
    : db_(db), keys_(keys), clock_(clock), audit_(audit), store_(NewSqlPolicyStore()) {}

Result<StoredParty> PolicyService::Seal(const Party& party, int seq) const {
  StoredParty stored;
  stored.seq = seq;
  stored.role = party.role;
  stored.name_enc = keys_.Seal(party.name);
  stored.name_masked = MaskName(party.name);
  stored.id_type = party.id_type;
  stored.id_number_enc = keys_.Seal(party.id_number);
  stored.id_number_hash = keys_.LookupHash("id_number", party.id_number);
  stored.birth_date = party.birth_date;
  stored.sex = party.sex;
  if (!party.phone.empty()) {
    stored.phone_enc = keys_.Seal(party.phone);
    stored.phone_hash = keys_.LookupHash("phone", party.phone);
  }
  stored.relationship = party.relationship;
  stored.share_percent = party.share_percent;
  return stored;
}

Result<Policy> PolicyService::Issue(Tx& tx, const Actor& actor, const NewPolicy& request) const {
  ANXIN_ASSIGN_OR_RETURN(std::unique_ptr<PreparedPolicy> prepared, Prepare(actor, request));
  return IssuePrepared(tx, *prepared);
}

Result<std::unique_ptr<PreparedPolicy>> PolicyService::Prepare(const Actor& actor,
                                                               const NewPolicy& request) const {
  const int64_t now = clock_.NowMs();
  const Date today = DateOf(now);
  ANXIN_ASSIGN_OR_RETURN(NewPolicy valid, ValidateNewPolicy(request, today));
  auto sealed = std::make_unique<SealedPolicy>(actor, std::move(valid), today);
  const NewPolicy& v = sealed->request;

  StoredPolicy& stored = sealed->stored;
  stored.id = NewId(now);
  stored.policy_no = DrawPolicyNo(today);
  stored.product_code = v.product_code;
  stored.product_version = v.product_version;
  stored.plan_code = v.plan_code;
  stored.status = PolicyStatus::kInForce;
  stored.premium = v.premium;
  stored.start_date = v.start_date;
  stored.end_date = v.end_date;
  stored.org_id = v.org_id;
  stored.source = v.source;
  if (!v.card_serial.empty()) stored.card_serial = v.card_serial;
  stored.coverages_json = v.coverages.dump();

  // The policy Issue returns, as ViewOf(stored, false) renders it, from the clear values at hand.
  Policy& view = sealed->view;
  view.product_code = stored.product_code;
  view.product_version = stored.product_version;
  view.plan_code = stored.plan_code;
  view.status = stored.status;
  view.premium = stored.premium;
  view.start_date = stored.start_date;
  view.end_date = stored.end_date;
  view.org_id = stored.org_id;
  view.source = stored.source;
  view.card_serial = v.card_serial;
  view.coverages = v.coverages;
  view.parties_revealed = false;

  // Holder and insured first, then beneficiaries in the order given.
  for (PartyRole role : {PartyRole::kHolder, PartyRole::kInsured, PartyRole::kBeneficiary}) {
    for (const Party& party : v.parties) {
      if (party.role != role) continue;
      ANXIN_ASSIGN_OR_RETURN(StoredParty sealed_party,
                             Seal(party, static_cast<int>(stored.parties.size()) + 1));
      if (party.role == PartyRole::kHolder) stored.holder_id_hash = sealed_party.id_number_hash;
      if (party.role == PartyRole::kInsured) stored.insured_id_hash = sealed_party.id_number_hash;
      // Personal data is shown masked (RULES.md §6).
      PartyView shown;
      shown.role = party.role;
      shown.name = sealed_party.name_masked;
      shown.id_type = party.id_type;
      shown.id_number = MaskIdNumber(party.id_number);
      shown.birth_date = FormatDate(party.birth_date);
      shown.sex = party.sex;
      if (!party.phone.empty()) shown.phone = MaskPhone(party.phone);
      shown.relationship = party.relationship;
      shown.share_percent = party.share_percent;
      view.parties.push_back(std::move(shown));
      stored.parties.push_back(std::move(sealed_party));
    }
  }
  ANXIN_ASSIGN_OR_RETURN(sealed->audit, audit_.Prepare(actor, {"policy.issue", "policy", stored.id,
                                                               stored.org_id, IssueSummary(stored)}));
  sealed->id = stored.id;
  sealed->policy_no = stored.policy_no;
  return std::unique_ptr<PreparedPolicy>(std::move(sealed));
}

Result<Policy> PolicyService::IssuePrepared(Tx& tx, const PreparedPolicy& prepared) const {
  const auto* sealed = dynamic_cast<const SealedPolicy*>(&prepared);
  if (sealed == nullptr) return Issue(tx, prepared.actor, prepared.request);
  const int64_t now = clock_.NowMs();
  const Date today = DateOf(now);
  StoredPolicy stored = sealed->stored;
  if (today != sealed->validated_on) {
    // Prepared on an earlier day: the checks against today (birth and start dates) run again, and
    // the number carries today's date.
    ANXIN_RETURN_IF_ERROR(ValidateNewPolicy(sealed->request, today).status());
    stored.policy_no = DrawPolicyNo(today);
  }
  stored.issued_at = now;
  stored.created_at = now;
  stored.updated_at = now;

  if (!prepared.org_path.empty()) {
    stored.org_path = prepared.org_path;  // the caller's, checked in this transaction
  } else {
    ANXIN_ASSIGN_OR_RETURN(std::optional<std::string> org_path, store_->FindOrgPath(tx, stored.org_id));
    if (!org_path) {
      return Status::InvalidField("org_id", "not_found",
                                  Text{"出单机构不存在", "The issuing organisation does not exist"});
    }
    stored.org_path = std::move(*org_path);
  }
  // The audit chain is locked ahead, in the round trip of the insert.
  std::vector<const audit::PreparedAuditEntry*> records;
  if (!prepared.audit_together_records_issue || prepared.audit_together.empty())
    records.push_back(&sealed->audit);
  for (const audit::PreparedAuditEntry& record : prepared.audit_together) records.push_back(&record);
  ANXIN_ASSIGN_OR_RETURN(audit::ChainAhead chain, audit_.LockAhead(tx, records.size()));
  // The insert skips a taken card serial, id or number rather than failing (which would spend the
  // caller's Tx); only then do we look which it was.
  for (int attempt = 0;; ++attempt) {
    ANXIN_ASSIGN_OR_RETURN(bool inserted, store_->Insert(tx, stored));
    if (inserted) break;
    const std::string& card_serial = sealed->request.card_serial;
    if (!card_serial.empty()) {
      ANXIN_ASSIGN_OR_RETURN(std::optional<std::string> existing,
                             store_->FindIdByCardSerial(tx, card_serial));
      if (existing) return PolicyExistsForCard();
    }
    // The number is taken: draw again (the id stays: callers may have recorded it).
    if (attempt + 1 == kMaxNumberAttempts) return Status::Internal("policies: no free policy number");
    stored.policy_no = DrawPolicyNo(today);
  }

  if (stored.policy_no == sealed->stored.policy_no) {
    ANXIN_RETURN_IF_ERROR(audit_.Append(tx, records, chain));
  } else if (!prepared.audit_together_records_issue) {
    // Another number: the prepared records name the one drawn first, so only a new issue record
    // goes (the callers append theirs, which record the issue when they said so).
    ANXIN_ASSIGN_OR_RETURN(audit::PreparedAuditEntry issue,
                           audit_.Prepare(prepared.actor, {"policy.issue", "policy", stored.id, stored.org_id,
                                                           IssueSummary(stored)}));
    const audit::PreparedAuditEntry* one[] = {&issue};
    ANXIN_RETURN_IF_ERROR(audit_.Append(tx, one, chain));
  }
  Policy policy = sealed->view;
  policy.id = std::move(stored.id);
  policy.policy_no = std::move(stored.policy_no);
  policy.issued_at = now;
  policy.org_path = std::move(stored.org_path);
  return policy;
}

Result<Policy> PolicyService::ViewOf(const StoredPolicy& stored, bool reveal) const {
  Policy policy;
  policy.id = stored.id;
  policy.policy_no = stored.policy_no;
  policy.product_code = stored.product_code;
  policy.product_version = stored.product_version;
  policy.plan_code = stored.plan_code;
  policy.status = stored.status;
  policy.premium = stored.premium;
  policy.start_date = stored.start_date;
  policy.end_date = stored.end_date;
  policy.issued_at = stored.issued_at;
  policy.org_id = stored.org_id;
  policy.org_path = stored.org_path;
  policy.source = stored.source;
  policy.card_serial = stored.card_serial.value_or("");
  policy.coverages = nlohmann::json::parse(stored.coverages_json, nullptr, false);
  if (policy.coverages.is_discarded())
    return Status::Internal("policies: bad coverages JSON of " + stored.id);
  policy.parties_revealed = reveal;
  for (const StoredParty& party : stored.parties) {
    PartyView view;
    view.role = party.role;
    // Personal data is shown masked unless revealed (RULES.md §6).
    ANXIN_ASSIGN_OR_RETURN(std::string id_number, keys_.Open(party.id_number_enc));
    view.id_number = reveal ? id_number : MaskIdNumber(id_number);
    if (reveal) {
      ANXIN_ASSIGN_OR_RETURN(view.name, keys_.Open(party.name_enc));
    } else {
      view.name = party.name_masked;
    }
    if (party.phone_enc) {
      ANXIN_ASSIGN_OR_RETURN(std::string phone, keys_.Open(*party.phone_enc));
      view.phone = reveal ? phone : MaskPhone(phone);
    }
    view.id_type = party.id_type;
    view.birth_date = FormatDate(party.birth_date);
    view.sex = party.sex;
    view.relationship = party.relationship;
    view.share_percent = party.share_percent;
    policy.parties.push_back(std::move(view));
  }
  return policy;
}

Result<Policy> PolicyService::Fetch(const Actor& actor, bool by_number, const std::string& key,
                                    const PartyReveal& reveal) const {
  ANXIN_RETURN_IF_ERROR(RequireStaff(actor, kPermPolicyRead));
  auto find = [&](Tx& tx) -> Result<StoredPolicy> {
    ANXIN_ASSIGN_OR_RETURN(std::optional<StoredPolicy> stored,
                           by_number ? store_->FindByNumber(tx, key) : store_->Find(tx, key));
    if (!stored || !InScope(actor, stored->org_path)) return Status::NotFound("policy");
    return std::move(*stored);
  };
  if (!reveal.parties) {
    return db_.ReadResult<Policy>([&](Tx& tx) -> Result<Policy> {
      ANXIN_ASSIGN_OR_RETURN(StoredPolicy stored, find(tx));
      return ViewOf(stored, false);
    });
  }
  // RULES.md §6: clear personal data needs the permission and a stated purpose, and every access
  // is recorded with who and why.
  ANXIN_ASSIGN_OR_RETURN(const std::string purpose, CheckReveal(actor, reveal.purpose));
  return db_.WriteResult<Policy>([&](Tx& tx) -> Result<Policy> {
    ANXIN_ASSIGN_OR_RETURN(StoredPolicy stored, find(tx));
    ANXIN_ASSIGN_OR_RETURN(Policy policy, ViewOf(stored, true));
    ANXIN_RETURN_IF_ERROR(
        audit_.Append(tx, actor,
                      {"pii.reveal",
                       "policy",
                       stored.id,
                       stored.org_id,
                       {{"fields", {"parties"}}, {"policy_no", stored.policy_no}, {"purpose", purpose}}}));
    return policy;
  });
}

Result<std::optional<Policy>> PolicyService::FindIssued(Tx& tx, const std::string& policy_id) const {
  ANXIN_ASSIGN_OR_RETURN(std::optional<StoredPolicy> stored, store_->Find(tx, policy_id));
  if (!stored) return std::optional<Policy>();
  ANXIN_ASSIGN_OR_RETURN(Policy policy, ViewOf(*stored, false));
  return std::optional<Policy>(std::move(policy));
}

Result<Policy> PolicyService::Get(const Actor& actor, const std::string& id,
                                  const PartyReveal& reveal) const {
  return Fetch(actor, false, id, reveal);
}

Result<Policy> PolicyService::GetByNumber(const Actor& actor, const std::string& policy_no,
                                          const PartyReveal& reveal) const {
  return Fetch(actor, true, policy_no, reveal);
}

Result<PolicyPage> PolicyService::List(const Actor& actor, const PolicyFilter& filter) const {
  ANXIN_RETURN_IF_ERROR(RequireStaff(actor, kPermPolicyRead));
  const int limit = std::clamp(filter.limit, 1, kMaxPolicyPageSize);
  PolicyQuery query;
  query.scope = ScopeOf(actor);
  query.product_code = filter.product_code;
  query.status = filter.status;
  query.card_serial = filter.card_serial;
  query.issued_from_ms = filter.issued_from_ms;
  query.issued_to_ms = filter.issued_to_ms;
  query.after_id = filter.after;
  query.limit = limit + 1;
  return db_.ReadResult<PolicyPage>([&](Tx& tx) -> Result<PolicyPage> {
    ANXIN_ASSIGN_OR_RETURN(std::vector<StoredPolicy> rows, store_->List(tx, query));
    PolicyPage page;
    const bool more = rows.size() > static_cast<size_t>(limit);
    if (more) rows.pop_back();
    for (const StoredPolicy& row : rows) {
      ANXIN_ASSIGN_OR_RETURN(Policy policy, ViewOf(row, false));
      page.items.push_back(std::move(policy));
    }
    if (more) page.next_after = page.items.back().id;
    return page;
  });
}

}  // namespace anxin::policies
