#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "common/actor.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "common/status.hpp"
#include "policies/policy.hpp"
#include "policies/policy_issuer.hpp"
#include "policies/policy_store.hpp"
#include "storage/database.hpp"

namespace anxin::policies {

// The permissions policies checks (granted in migration 0005_cards.sql and 0001_identity.sql).
inline constexpr const char* kPermPolicyRead = "policy.read";
inline constexpr const char* kPermPiiReveal = "pii.reveal";
// The most policies one List returns.
inline constexpr int kMaxPolicyPageSize = 500;

// Filters for List. Absent conditions match everything.
struct PolicyFilter {
  std::optional<std::string> product_code;
  std::optional<PolicyStatus> status;
  std::optional<std::string> card_serial;
  std::optional<int64_t> issued_from_ms;  // issued at or after
  std::optional<int64_t> issued_to_ms;    // issued before
  std::string after;                      // paging cursor: the previous page's next_after
  int limit = 100;                        // clamped to 1..kMaxPolicyPageSize
};

// One page of policies ordered by id (issue order). `next_after` is the cursor for the next page.
struct PolicyPage {
  std::vector<Policy> items;
  std::optional<std::string> next_after;
};

// Which personal data of the parties to show in clear, and why (RULES.md §6).
struct PartyReveal {
  bool parties = false;
  std::string purpose;
};

// Issues and reads policies. Parties' names, ID numbers and phones are stored sealed with keyed
// look-up hashes and shown masked; an audited reveal shows them in clear. Staff read policies
// issued in their organisation's subtree (others answer kNotFound, so their existence is not
// revealed); customers may not list or read policies yet (kPermissionDenied). System actors are
// unrestricted. Thread-safe.
class PolicyService final : public PolicyIssuer {
 public:
  // `db`, `keys`, `clock` and `audit` must outlive the service.
  PolicyService(storage::Database& db, const KeyRing& keys, const Clock& clock, const audit::AuditLog& audit);

  // PolicyIssuer. Runs only database statements and cheap crypto (no hashing of passwords, no
  // network), so it is fit for the SQLite writer thread. No permission check: the calling service
  // has authorised the business action (card activation is anonymous). Validation as
  // ValidateNewPolicy documents; kInvalidArgument at "org_id" ("not_found") for an unknown
  // organisation; kAlreadyExists "policy_exists_for_card" when the card already has a policy
  // (the insert skips a taken card serial, id or number and then finds out which, so the
  // transaction is not spent).
  // The policy number is "P" + the issue date (YYYYMMDD, Asia/Shanghai) + 10 random digits.
  // Audited as "policy.issue" (no personal data in the summary).
  Result<Policy> Issue(storage::Tx& tx, const Actor& actor, const NewPolicy& request) const override;
  // PolicyIssuer's two steps of Issue: Prepare validates and seals the parties, picks the id and a
  // policy number and prepares the audit record outside any transaction; IssuePrepared reads the
  // org path (through the Directory) unless the prepared policy brings it, inserts the policy
  // and its parties and appends the audit records (one chain lock, one insert), validating again
  // and drawing another number only if the day changed.
  Result<std::unique_ptr<PreparedPolicy>> Prepare(const Actor& actor,
                                                  const NewPolicy& request) const override;
  Result<Policy> IssuePrepared(storage::Tx& tx, const PreparedPolicy& prepared) const override;
  Result<std::optional<Policy>> FindIssued(storage::Tx& tx, const std::string& policy_id) const override;

  // Returns the policy `id` (policy.read; kNotFound outside the caller's subtree). With
  // `reveal.parties`, needs pii.reveal and a purpose of 4-200 characters (kInvalidArgument at
  // "purpose"), shows the parties' personal data in clear and writes a "pii.reveal" audit record
  // naming the purpose.
  Result<Policy> Get(const Actor& actor, const std::string& id, const PartyReveal& reveal = {}) const;
  // As Get, by policy number.
  Result<Policy> GetByNumber(const Actor& actor, const std::string& policy_no,
                             const PartyReveal& reveal = {}) const;
  // Lists the policies in the caller's subtree matching `filter` (policy.read), parties masked.
  Result<PolicyPage> List(const Actor& actor, const PolicyFilter& filter) const;

 private:
  Result<Policy> Fetch(const Actor& actor, bool by_number, const std::string& key,
                       const PartyReveal& reveal) const;
  Result<Policy> ViewOf(const StoredPolicy& stored, bool reveal) const;
  Result<StoredParty> Seal(const Party& party, int seq) const;

  // Constant after construction.
  storage::Database& db_;
  const KeyRing& keys_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  std::unique_ptr<PolicyStore> store_;
};

}  // namespace anxin::policies
