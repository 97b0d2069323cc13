// HTTP for policies: parse, authorise, call PolicyService, render. No rules here.
#include "policies/policy_routes.hpp"

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
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

Result<std::optional<std::string>> TextParam(const Request& request, std::string_view name) {
  return http::BoundedQuery(request, name, kMaxQueryParam);
}

Result<std::optional<int64_t>> TimeParam(const Request& request, std::string_view name) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<std::string> text, TextParam(request, name));
  if (!text) return std::optional<int64_t>();
  ANXIN_ASSIGN_OR_RETURN(int64_t ms, ParseTimestamp(*text, name));
  return std::optional<int64_t>(ms);
}

Result<PartyReveal> RevealParam(const Request& request) {
  PartyReveal reveal;
  auto fields = request.Query("reveal");
  if (!fields || fields->empty()) return reveal;
  if (*fields != "parties") {
    return Status::InvalidField("reveal", "invalid_value",
                                Text{"reveal 只能是 parties", "reveal may only be parties"});
  }
  reveal.parties = true;
  reveal.purpose = request.Query("purpose").value_or("");
  if (reveal.purpose.size() > 1000) {
    return Status::InvalidField("purpose", "invalid_length",
                                Text{"用途须为4-200个字符", "The purpose needs 4-200 characters"});
  }
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
      .query_parameters = {"product_code", "status", "card_serial", "issued_from", "issued_to", "after",
                           "limit"},
      .handler = [&service](Request& request) -> Result<Response> {
        PolicyFilter filter;
        ANXIN_ASSIGN_OR_RETURN(filter.product_code, TextParam(request, "product_code"));
        ANXIN_ASSIGN_OR_RETURN(filter.card_serial, TextParam(request, "card_serial"));
        ANXIN_ASSIGN_OR_RETURN(std::optional<std::string> status, TextParam(request, "status"));
        if (status) {
          filter.status = ParsePolicyStatus(*status);
          if (!filter.status) {
            return Status::InvalidField("status", "invalid_value",
                                        Text{"status 只能是 in_force、surrendered、cancelled、expired",
                                             "status must be in_force, surrendered, cancelled or expired"});
          }
        }
        ANXIN_ASSIGN_OR_RETURN(filter.issued_from_ms, TimeParam(request, "issued_from"));
        ANXIN_ASSIGN_OR_RETURN(filter.issued_to_ms, TimeParam(request, "issued_to"));
        ANXIN_ASSIGN_OR_RETURN(std::optional<std::string> after, TextParam(request, "after"));
        filter.after = after.value_or("");
        ANXIN_ASSIGN_OR_RETURN(filter.limit, http::LimitParam(request, kDefaultPageSize, kMaxPolicyPageSize));
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
      .query_parameters = {"reveal", "purpose"},
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
      .query_parameters = {"reveal", "purpose"},
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(PartyReveal reveal, RevealParam(request));
        ANXIN_ASSIGN_OR_RETURN(
            Policy policy, service.GetByNumber(ActorOf(request), request.path_params["policy_no"], reveal));
        return http::JsonResponse(200, PolicyJson(policy, request.lang));
      },
  });
}

}  // namespace anxin::policies
