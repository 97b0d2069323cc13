#pragma once

#include "common/access.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/money.hpp"
#include "common/status.hpp"
#include "common/validation.hpp"
#include "identity/directory.hpp"
#include "policies/policy.hpp"
#include "storage/database.hpp"

namespace anxin::policies {

// A party as stored: personal data sealed (KeyRing::Seal) with keyed look-up hashes
// (KeyRing::LookupHash) and the masked name in clear for lists (RULES.md §6).
struct StoredParty {
  int seq = 0;
  PartyRole role = PartyRole::kHolder;
  std::string name_enc;
  std::string name_masked;
  IdType id_type = IdType::kResidentId;
  std::string id_number_enc;
  std::string id_number_hash;
  Date birth_date;
  Sex sex = Sex::kMale;
  std::optional<std::string> phone_enc;
  std::optional<std::string> phone_hash;
  Relationship relationship = Relationship::kSelf;
  int share_percent = 100;
};

// A policy row with its parties.
struct StoredPolicy {
  std::string id;
  std::string policy_no;
  std::string product_code;
  int product_version = 1;
  std::string plan_code;
  PolicyStatus status = PolicyStatus::kInForce;
  Money premium;
  Date start_date;
  Date end_date;
  int64_t issued_at = 0;
  std::string org_id;
  std::string org_path;
  PolicySource source = PolicySource::kCard;
  std::optional<std::string> card_serial;
  std::string coverages_json;
  std::string holder_id_hash;
  std::string insured_id_hash;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::vector<StoredParty> parties;  // by seq
};

// A listing query; every condition is optional except the scope.
struct PolicyQuery {
  OrgScope scope = OrgScope::Nothing();  // only policies of organisations in the scope
  std::optional<std::string> product_code;
  std::optional<PolicyStatus> status;
  std::optional<std::string> card_serial;
  std::optional<int64_t> issued_from_ms;  // issued_at >= this
  std::optional<int64_t> issued_to_ms;    // issued_at < this
  std::string after_id;                   // ids greater than this
  int limit = 100;
};

// What PolicyService needs from storage. Every call runs in the caller's transaction; database
// errors come back as the Tx reports them (see storage::Tx).
class PolicyStore {
 public:
  virtual ~PolicyStore() = default;
  // Inserts the policy and then its parties (one statement on PostgreSQL, two on SQLite), unless its
  // id, number or card serial is taken. Returns false when nothing was inserted (the Tx is not
  // spent: the caller finds out why).
  virtual Result<bool> Insert(storage::Tx& tx, const StoredPolicy& policy) = 0;
  virtual Result<bool> PolicyNoExists(storage::Tx& tx, const std::string& policy_no) = 0;
  // Returns the id of the policy issued for `card_serial`, if any.
  virtual Result<std::optional<std::string>> FindIdByCardSerial(storage::Tx& tx,
                                                                const std::string& card_serial) = 0;
  // Returns the materialised path of organisation `org_id`, if it exists.
  virtual Result<std::optional<std::string>> FindOrgPath(storage::Tx& tx, const std::string& org_id) = 0;
  virtual Result<std::optional<StoredPolicy>> Find(storage::Tx& tx, const std::string& id) = 0;
  virtual Result<std::optional<StoredPolicy>> FindByNumber(storage::Tx& tx, const std::string& policy_no) = 0;
  // Returns at most `query.limit` policies ordered by id, with their parties.
  virtual Result<std::vector<StoredPolicy>> List(storage::Tx& tx, const PolicyQuery& query) = 0;
};

// Returns the SQL implementation (one text for SQLite and PostgreSQL), reading organisations
// through `directory` (which must outlive it). Stateless; thread-safe.
std::unique_ptr<PolicyStore> NewSqlPolicyStore(
    const identity::Directory& directory = identity::SqlDirectory());

}  // namespace anxin::policies
