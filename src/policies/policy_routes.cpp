// HTTP for policies: parse, authorise, call PolicyService, render. No rules here.
#include "policies/policy_routes.hpp"

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/query_spec.hpp"
#include "http/route_support.hpp"
#include "policies/policy_period.hpp"

namespace anxin::policies {
namespace {

using http::Access;
using http::ActorOf;
using http::JsonArray;
using http::NullOr;
using http::Request;
using http::Response;
using http::Route;
using http::schema::Array;
using http::schema::Boolean;
using http::schema::DateTime;
using http::schema::Enum;
using http::schema::FullDate;
using http::schema::Integer;
using http::schema::Nullable;
using http::schema::Object;
using http::schema::PageOf;
using http::schema::String;
using nlohmann::json;

constexpr const char* kTag = "policies";
constexpr size_t kMaxQueryParam = 64;
constexpr int kDefaultPageSize = 100;

json PartyJson(const PartyView& party) {
  return {
      {"role", std::string(PartyRoleName(party.role))},
      {"name", party.name},
      {"id_type", party.id_type},
      {"id_number", party.id_number},
      {"birth_date", party.birth_date},
      {"sex", party.sex},
      {"phone", party.phone.empty() ? json(nullptr) : json(party.phone)},
      {"relationship", party.relationship},
      {"share_percent", party.role == PartyRole::kBeneficiary ? json(party.share_percent) : json(nullptr)}};
}

// --- JSON Schemas for the OpenAPI document ------------------------------------------------------

json PartySchema() {
  return Object({{"role", Enum({"holder", "insured", "beneficiary"})},
                 {"name", {{"type", "string"}, {"description", "masked (张*) unless revealed"}}},
                 {"id_type", String()},
                 {"id_number", {{"type", "string"}, {"description", "masked unless revealed"}}},
                 {"birth_date", FullDate()},
                 {"sex", Enum({"male", "female"})},
                 {"phone", {{"type", {"string", "null"}}, {"description", "masked unless revealed"}}},
                 {"relationship", Enum({"self", "spouse", "child", "parent", "other"})},
                 {"share_percent", {{"type", {"integer", "null"}}, {"description", "beneficiaries only"}}}},
                {"role", "name", "id_type", "id_number", "birth_date", "sex", "relationship"});
}

json PolicySchema() {
  return Object(
      {{"id", String()},
       {"policy_no", String()},
       {"product_code", String()},
       {"product_version", Integer()},
       {"plan_code", String()},
       {"status", Enum({"in_force", "surrendered", "cancelled", "expired"})},
       {"premium_fen", Integer()},
       {"start_date", FullDate()},
       {"end_date", FullDate()},
       {"period", {{"type", "string"}, {"description", "from 00:00 on start_date to 24:00 on end_date"}}},
       {"issued_at", DateTime()},
       {"org_id", String()},
       {"source", String()},
       {"card_serial", Nullable(String())},
       {"parties", Array(PartySchema())},
       {"parties_revealed", Boolean()},
       {"coverages", {{"type", "array"}}}},
      {"id", "policy_no", "product_code", "plan_code", "status", "premium_fen", "start_date", "end_date",
       "period", "issued_at", "parties", "coverages"});
}

// --- Query parameters ---------------------------------------------------------------------------

std::vector<std::string> PolicyStatusNames() {
  std::vector<std::string> names;
  for (PolicyStatus status : {PolicyStatus::kInForce, PolicyStatus::kSurrendered, PolicyStatus::kCancelled,
                              PolicyStatus::kExpired}) {
    names.emplace_back(PolicyStatusName(status));
  }
  return names;
}

const http::QuerySpec<PolicyFilter>& PolicyListQuerySpec() {
  static const auto* spec =
      &(*new http::QuerySpec<PolicyFilter>())
           .Text("product_code", &PolicyFilter::product_code,
                 {.max_len = kMaxQueryParam,
                  .description = "Only policies of this product.",
                  .example = "ACCIDENT_ANNUAL"})
           .Enum("status", &PolicyFilter::status, PolicyStatusNames(), ParsePolicyStatus,
                 {.description = "Only policies in this status."})
           .Text("card_serial", &PolicyFilter::card_serial,
                 {.max_len = kMaxQueryParam, .description = "Only the policy issued for this card."})
           .Timestamp("issued_from", &PolicyFilter::issued_from_ms,
                      {.description = "Policies issued at or after this instant."})
           .Timestamp("issued_to", &PolicyFilter::issued_to_ms,
                      {.description = "Policies issued before this instant."})
           .Cursor(&PolicyFilter::after, kMaxQueryParam)
           .Limit(&PolicyFilter::limit, kDefaultPageSize, kMaxPolicyPageSize);
  return *spec;
}

struct PolicyRevealParams {
  http::RevealQuery reveal;
};

const http::QuerySpec<PolicyRevealParams>& PolicyRevealQuerySpec() {
  static const auto* spec =
      &(*new http::QuerySpec<PolicyRevealParams>()).Reveal(&PolicyRevealParams::reveal, {"parties"});
  return *spec;
}

Result<PartyReveal> RevealParam(const Request& request) {
  ANXIN_ASSIGN_OR_RETURN(PolicyRevealParams params, PolicyRevealQuerySpec().Read(request));
  PartyReveal reveal;
  reveal.parties = params.reveal.has("parties");
  if (reveal.parties) reveal.purpose = params.reveal.purpose;
  return reveal;
}

}  // namespace

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
              {"source", policy.source},
              {"card_serial", policy.card_serial.empty() ? json(nullptr) : json(policy.card_serial)},
              {"parties", JsonArray(policy.parties, PartyJson)},
              {"coverages", policy.coverages}};
  if (policy.parties_revealed) out["parties_revealed"] = true;
  return out;
}

void RegisterPolicyRoutes(http::Router& router, PolicyService& service) {
  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/policies",
      .access = Access::kPermission,
      .permission = kPermPolicyRead,
      .summary = "Policies issued in the caller's organisation subtree, parties masked",
      .tag = kTag,
      .response_schema = PageOf(PolicySchema()),
      .query_parameters = PolicyListQuerySpec().Parameters(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(PolicyFilter filter, PolicyListQuerySpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(PolicyPage page, service.List(ActorOf(request), filter));
        json items = JsonArray(page.items,
                               [&request](const Policy& policy) { return PolicyJson(policy, request.lang); });
        return http::JsonResponse(200,
                                  {{"items", std::move(items)}, {"next_after", NullOr(page.next_after)}});
      },
  });

  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/policies/{id}",
      .access = Access::kPermission,
      .permission = kPermPolicyRead,
      .summary = "One policy, parties masked; reveal=parties with purpose needs pii.reveal and is audited",
      .tag = kTag,
      .response_schema = PolicySchema(),
      .query_parameters = PolicyRevealQuerySpec().Parameters(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(PartyReveal reveal, RevealParam(request));
        ANXIN_ASSIGN_OR_RETURN(Policy policy,
                               service.Get(ActorOf(request), request.path_params["id"], reveal));
        return http::JsonResponse(200, PolicyJson(policy, request.lang));
      },
  });

  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/policies/by-number/{policy_no}",
      .access = Access::kPermission,
      .permission = kPermPolicyRead,
      .summary = "One policy by its number; reveal=parties with purpose as for GET /policies/{id}",
      .tag = kTag,
      .response_schema = PolicySchema(),
      .query_parameters = PolicyRevealQuerySpec().Parameters(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(PartyReveal reveal, RevealParam(request));
        ANXIN_ASSIGN_OR_RETURN(
            Policy policy, service.GetByNumber(ActorOf(request), request.path_params["policy_no"], reveal));
        return http::JsonResponse(200, PolicyJson(policy, request.lang));
      },
  });
}

}  // namespace anxin::policies
