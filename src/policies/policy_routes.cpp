// HTTP for policies: parse, authorise, call PolicyService, render. No rules here.
#include "policies/policy_routes.hpp"

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/query_spec.hpp"
#include "http/route_support.hpp"
#include "policies/policy_json.hpp"

namespace anxin::policies {
namespace {

using http::Access;
using http::ActorOf;
using http::JsonArray;
using http::NullOr;
using http::Request;
using http::Response;
using http::Route;
using http::schema::PageOf;
using nlohmann::json;

constexpr const char* kTag = "policies";
constexpr size_t kMaxQueryParam = 64;
constexpr int kDefaultPageSize = 100;

// --- Query parameters ---------------------------------------------------------------------------

const http::QuerySpec<PolicyFilter>& PolicyListQuerySpec() {
  static const auto* spec =
      &(*new http::QuerySpec<PolicyFilter>())
           .Text("product_code", &PolicyFilter::product_code,
                 {.max_len = kMaxQueryParam,
                  .description = "Only policies of this product.",
                  .example = "ACCIDENT_ANNUAL"})
           .Enum("status", &PolicyFilter::status, kPolicyStatuses,
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
