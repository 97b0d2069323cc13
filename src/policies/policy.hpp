#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/enum_table.hpp"
#include "common/money.hpp"
#include "common/validation.hpp"

namespace anxin::policies {

enum class PartyRole { kHolder, kInsured, kBeneficiary };  // 投保人, 被保险人, 受益人

inline constexpr EnumTable<PartyRole, 3> kPartyRoles{{{
    {PartyRole::kHolder, "holder"},
    {PartyRole::kInsured, "insured"},
    {PartyRole::kBeneficiary, "beneficiary"},
}}};

// The name of a role (kPartyRoles) and its parser (nullopt for any other text).
[[nodiscard]] std::string_view PartyRoleName(PartyRole role);
[[nodiscard]] std::optional<PartyRole> ParsePartyRole(std::string_view name);

// A party's relationship: the insured's to the holder (the holder's is its inverse), a
// beneficiary's to the insured.
enum class Relationship { kSelf, kSpouse, kChild, kParent, kOther };

inline constexpr EnumTable<Relationship, 5> kRelationships{{{
    {Relationship::kSelf, "self"},
    {Relationship::kSpouse, "spouse"},
    {Relationship::kChild, "child"},
    {Relationship::kParent, "parent"},
    {Relationship::kOther, "other"},
}}};

// A party to a policy as given when issuing it. Personal data is clear here, in memory only; the
// store seals it (KeyRing::Seal) with a look-up hash, and views mask it.
struct Party {
  PartyRole role = PartyRole::kHolder;
  std::string name;
  IdType id_type = IdType::kResidentId;
  std::string id_number;
  Date birth_date;
  Sex sex = Sex::kMale;
  std::string phone;  // may be empty for beneficiaries
  Relationship relationship = Relationship::kSelf;
  int share_percent = 100;  // beneficiaries: shares add up to 100
};

enum class PolicyStatus { kInForce, kSurrendered, kCancelled, kExpired };  // later issues add more

inline constexpr EnumTable<PolicyStatus, 4> kPolicyStatuses{{{
    {PolicyStatus::kInForce, "in_force"},
    {PolicyStatus::kSurrendered, "surrendered"},
    {PolicyStatus::kCancelled, "cancelled"},
    {PolicyStatus::kExpired, "expired"},
}}};

// The name of a status (kPolicyStatuses) and its parser (nullopt for any other text).
[[nodiscard]] std::string_view PolicyStatusName(PolicyStatus status);
[[nodiscard]] std::optional<PolicyStatus> ParsePolicyStatus(std::string_view name);

// Where a policy was sold: by activating a prepaid card, online, or at a counter.
enum class PolicySource { kCard, kOnline, kCounter };

inline constexpr EnumTable<PolicySource, 3> kPolicySources{{{
    {PolicySource::kCard, "card"},
    {PolicySource::kOnline, "online"},
    {PolicySource::kCounter, "counter"},
}}};

// What to issue. The policy's premium, period and cover are decided by the caller (a card's face
// value and its type's rules); the service validates the parties and stores everything.
struct NewPolicy {
  std::string product_code;
  int product_version = 1;
  std::string plan_code;
  Money premium;
  Date start_date;     // cover from 00:00 Asia/Shanghai on this date
  Date end_date;       // to 24:00 on this date
  std::string org_id;  // the issuing organisation node (data scope)
  PolicySource source = PolicySource::kCard;
  std::string card_serial;  // with source kCard: at most one policy per card, enforced by the schema
  std::vector<Party> parties;
  nlohmann::json coverages = nlohmann::json::array();  // snapshot of the plan's coverages
};

// A party as shown: personal data masked unless revealed.
struct PartyView {
  PartyRole role = PartyRole::kHolder;
  std::string name;
  IdType id_type = IdType::kResidentId;
  std::string id_number;  // masked
  std::string birth_date;
  Sex sex = Sex::kMale;
  std::string phone;  // masked
  Relationship relationship = Relationship::kSelf;
  int share_percent = 100;
};

struct Policy {
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
  PolicySource source = PolicySource::kCard;
  std::string card_serial;
  std::vector<PartyView> parties;
  nlohmann::json coverages = nlohmann::json::array();
  // Added by the policies module: the issuing node's path (data scope) and whether `parties` hold
  // clear personal data (an audited reveal).
  std::string org_path;
  bool parties_revealed = false;
};

}  // namespace anxin::policies
