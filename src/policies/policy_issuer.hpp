#pragma once

#include <memory>
#include <vector>

#include "audit/audit_log.hpp"
#include "common/actor.hpp"
#include "common/status.hpp"
#include "policies/policy.hpp"
#include "storage/database.hpp"

namespace anxin::policies {

// A policy request validated, with its personal data sealed, ahead of the transaction that issues
// it (PolicyIssuer::Prepare). An issuer derives from it to keep what it computed; `request` is the
// request (validated and normalised when the issuer validates ahead) and `actor` who asks.
class PreparedPolicy {
 public:
  PreparedPolicy(Actor who, NewPolicy validated) : actor(std::move(who)), request(std::move(validated)) {}
  virtual ~PreparedPolicy() = default;
  PreparedPolicy(const PreparedPolicy&) = delete;
  PreparedPolicy& operator=(const PreparedPolicy&) = delete;

  const Actor actor;
  const NewPolicy request;
  // Decided ahead by issuers that can, so that the caller can name the policy before its
  // transaction (audit records, messages): the id the policy gets, and the number it gets unless
  // that number is taken meanwhile (IssuePrepared then draws another: compare with the issued
  // policy's). Empty when the issuer decides inside the transaction.
  std::string id;
  std::string policy_no;
  // The caller's own audit records about this issue, which name `policy_no`: an issuer that decides
  // the number ahead appends them with its own record (one chain lock, one insert) when the policy
  // is issued under `policy_no`. When it is not (the number was taken meanwhile, or the issuer
  // decides inside the transaction), they are not appended and the caller appends corrected ones.
  std::vector<audit::PreparedAuditEntry> audit_together;
  // Whether `audit_together` records the issue itself (card activation: "card.activate" names the
  // policy, its product, plan, premium and period, so a "policy.issue" beside it would repeat it):
  // the issuer that appends them then appends no record of its own. One user action, one record.
  bool audit_together_records_issue = false;
  // The path of `request.org_id`, when the caller knows it and checks it in the same transaction
  // (a card's holder path, matched by the card's conditional update): IssuePrepared takes it
  // instead of reading it. Empty: the issuer reads it.
  std::string org_path;
};

// Issues policies inside a caller's transaction (card activation today; online sales later), so
// the policy exists exactly when the change that caused it commits.
class PolicyIssuer {
 public:
  virtual ~PolicyIssuer() = default;
  // Validates `request` (parties: names, ID numbers per type with RULES.md §5 checks, birth date
  // and sex consistent with a resident ID, phones, beneficiary shares adding up to 100; dates
  // ordered) and stores the policy with a new policy number. Returns the policy (parties masked),
  // kInvalidArgument "validation_failed" with field paths such as "insured.id_number", or
  // kAlreadyExists "policy_exists_for_card" when the card already has a policy.
  virtual Result<Policy> Issue(storage::Tx& tx, const Actor& actor, const NewPolicy& request) const = 0;

  // Issue in two steps, so the caller's transaction holds only the database work (on SQLite it
  // runs on the single writer thread and delays every other write): Prepare validates `request`
  // as Issue does (same errors) and does the CPU work (sealing personal data, rendering, the
  // audit record of `actor`) outside any transaction; IssuePrepared then stores the policy in `tx`
  // and returns what Issue returns. `actor` (and its principal) must outlive the prepared policy.
  // `prepared` is not consumed: IssuePrepared may run again if the transaction is retried. The
  // defaults keep the request and call Issue from IssuePrepared.
  virtual Result<std::unique_ptr<PreparedPolicy>> Prepare(const Actor& actor, const NewPolicy& request) const;
  virtual Result<Policy> IssuePrepared(storage::Tx& tx, const PreparedPolicy& prepared) const;

  // Returns policy `policy_id` as Issue returns it (parties masked), or nullopt when there is
  // none. No permission check: the calling service has authorised the read (a card's holder who
  // proved the card's password).
  virtual Result<std::optional<Policy>> FindIssued(storage::Tx& tx, const std::string& policy_id) const = 0;
};

}  // namespace anxin::policies
