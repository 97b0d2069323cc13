#include "policies/policy_json.hpp"

#include <string>

#include "common/clock.hpp"
#include "http/route_support.hpp"
#include "policies/policy_period.hpp"
#include "products/product_json.hpp"

namespace anxin::policies {

using http::JsonArray;
using http::schema::Array;
using http::schema::Boolean;
using http::schema::DateTime;
using http::schema::Enum;
using http::schema::FullDate;
using http::schema::Integer;
using http::schema::Nullable;
using http::schema::Object;
using http::schema::String;
using nlohmann::json;

json PolicyStatusSchema() { return Enum(kPolicyStatuses.Names()); }

json PartyJson(const PartyView& party) {
  return {
      {"role", std::string(PartyRoleName(party.role))},
      {"name", party.name},
      {"id_type", kIdTypes.Name(party.id_type)},
      {"id_number", party.id_number},
      {"birth_date", party.birth_date},
      {"sex", kSexes.Name(party.sex)},
      {"phone", party.phone.empty() ? json(nullptr) : json(party.phone)},
      {"relationship", kRelationships.Name(party.relationship)},
      {"share_percent", party.role == PartyRole::kBeneficiary ? json(party.share_percent) : json(nullptr)}};
}

json PartySchema() {
  return Object({{"role", Enum(kPartyRoles.Names())},
                 {"name", {{"type", "string"}, {"description", "masked (张*) unless revealed"}}},
                 {"id_type", Enum(kIdTypes.Names())},
                 {"id_number", {{"type", "string"}, {"description", "masked unless revealed"}}},
                 {"birth_date", FullDate()},
                 {"sex", Enum(kSexes.Names())},
                 {"phone", {{"type", {"string", "null"}}, {"description", "masked unless revealed"}}},
                 {"relationship", Enum(kRelationships.Names())},
                 {"share_percent", {{"type", {"integer", "null"}}, {"description", "beneficiaries only"}}}},
                {"role", "name", "id_type", "id_number", "birth_date", "sex", "phone", "relationship",
                 "share_percent"});
}

json PolicySchema() {
  return Object(
      {{"id", String()},
       {"policy_no", String()},
       {"product_code", String()},
       {"product_version", Integer()},
       {"plan_code", String()},
       {"status", PolicyStatusSchema()},
       {"premium_fen", Integer()},
       {"start_date", FullDate()},
       {"end_date", FullDate()},
       {"period", {{"type", "string"}, {"description", "from 00:00 on start_date to 24:00 on end_date"}}},
       {"issued_at", DateTime()},
       {"org_id", String()},
       {"source", Enum(kPolicySources.Names())},
       {"card_serial", Nullable(String())},
       {"parties", Array(PartySchema())},
       {"parties_revealed", Boolean()},
       {"coverages", Array(products::CoverageSchema())}},
      {"id", "policy_no", "product_code", "plan_code", "status", "premium_fen", "start_date", "end_date",
       "period", "issued_at", "parties", "coverages"});
}

json PolicyJson(const Policy& policy, std::string_view lang) {
  json out = {{"id", policy.id},
              {"policy_no", policy.policy_no},
              {"product_code", policy.product_code},
              {"product_version", policy.product_version},
              {"plan_code", policy.plan_code},
              {"status", std::string(PolicyStatusName(policy.status))},
              {"premium_fen", policy.premium.fen},
              {"start_date", FormatDate(policy.start_date)},
              {"end_date", FormatDate(policy.end_date)},
              {"period", PeriodText(policy.start_date, policy.end_date).In(lang)},
              {"issued_at", FormatTimestamp(policy.issued_at)},
              {"org_id", policy.org_id},
              {"source", kPolicySources.Name(policy.source)},
              {"card_serial", policy.card_serial.empty() ? json(nullptr) : json(policy.card_serial)},
              {"parties", JsonArray(policy.parties, PartyJson)},
              {"coverages", policy.coverages}};
  if (policy.parties_revealed) out["parties_revealed"] = true;
  return out;
}

}  // namespace anxin::policies
