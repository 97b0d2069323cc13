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

// "holder", "insured", "beneficiary".
[[nodiscard]] std::string_view PartyRoleName(PartyRole role);
[[nodiscard]] std::optional<PartyRole> ParsePartyRole(std::string_view name);

// A party to a policy as given when issuing it. Personal data is clear here, in memory only; the
// store seals it (KeyRing::Seal) with a look-up hash, and views mask it.
struct Party {
  PartyRole role = PartyRole::kHolder;
  std::string name;
  IdType id_type = IdType::kResidentId;
  std::string id_number;
  Date birth_date;
  Sex sex = Sex::kMale;
  std::string phone;                  // may be empty for beneficiaries
  std::string relationship = "self";  // to the insured: self, spouse, child, parent, other
  int share_percent = 100;            // beneficiaries: shares add up to 100
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

// What to issue. The policy's premium, period and cover are decided by the caller (a card's face
// value and its type's rules); the service validates the parties and stores everything.
struct NewPolicy {
  std::string product_code;
  int product_version = 1;
  std::string plan_code;
  Money premium;
  Date start_date;          // cover from 00:00 Asia/Shanghai on this date
  Date end_date;            // to 24:00 on this date
  std::string org_id;       // the issuing organisation node (data scope)
  std::string source;       // "card", later "online", "counter"
  std::string card_serial;  // with source "card": at most one policy per card, enforced by the schema
  std::vector<Party> parties;
  nlohmann::json coverages = nlohmann::json::array();  // snapshot of the plan's coverages
};

// A party as shown: personal data masked unless revealed.
struct PartyView {
  PartyRole role = PartyRole::kHolder;
  std::string name;
  std::string id_type;
  std::string id_number;  // masked
  std::string birth_date;
  std::string sex;
  std::string phone;  // masked
  std::string relationship;
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
  std::string source;
  std::string card_serial;
  std::vector<PartyView> parties;
  nlohmann::json coverages = nlohmann::json::array();
  // Added by the policies module: the issuing node's path (data scope) and whether `parties` hold
  // clear personal data (an audited reveal).
  std::string org_path;
  bool parties_revealed = false;
};

}  // namespace anxin::policies
