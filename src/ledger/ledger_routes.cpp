// HTTP for the ledger: parse, authorise, call the ledger, render. No rules here.
#include "ledger/ledger_routes.hpp"

#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "ledger/ledger_access.hpp"

namespace anxin::ledger {
namespace {

using http::Access;
using http::Request;
using http::Response;
using http::Route;
using nlohmann::json;

constexpr const char* kTag = "ledger";
constexpr size_t kMaxRefLength = 64;

Actor ActorOf(const Request& request) {
  Actor actor;
  actor.principal = request.principal ? &*request.principal : nullptr;
  actor.request_id = request.request_id;
  actor.client_address = request.client_address;
  return actor;
}

Result<std::string> RequiredParam(const Request& request, std::string_view name) {
  auto value = request.Query(name);
  if (!value || value->empty()) {
    return Status::InvalidField(std::string(name), "required",
                                Text{"缺少查询参数", "The query parameter is required"});
  }
  if (value->size() > kMaxRefLength) {
    return Status::InvalidField(std::string(name), "too_long",
                                Text{"查询参数过长", "The query parameter is too long"});
  }
  return *value;
}

json EntryJson(const Entry& entry) {
  json lines = json::array();
  for (const Line& line : entry.lines) {
    lines.push_back(
        {{"account", line.account}, {"debit_fen", line.debit.fen}, {"credit_fen", line.credit.fen}});
  }
  return {{"id", entry.id},
          {"at", FormatTimestamp(entry.at_ms)},
          {"memo", entry.memo},
          {"ref_type", entry.ref_type},
          {"ref_id", entry.ref_id},
          {"org_id", entry.org_id.empty() ? json(nullptr) : json(entry.org_id)},
          {"actor_id", entry.actor_id},
          {"lines", std::move(lines)}};
}

json Int() { return {{"type", "integer"}}; }
json Str() { return {{"type", "string"}}; }

json TrialBalanceSchema() {
  json account = {{"type", "object"},
                  {"properties",
                   {{"account", Str()},
                    {"name_zh", Str()},
                    {"name_en", Str()},
                    {"debit_fen", Int()},
                    {"credit_fen", Int()}}},
                  {"required", {"account", "name_zh", "name_en", "debit_fen", "credit_fen"}}};
  return {{"type", "object"},
          {"properties",
           {{"accounts", {{"type", "array"}, {"items", account}}},
            {"total_debit_fen", Int()},
            {"total_credit_fen", Int()},
            {"balanced", {{"type", "boolean"}}}}},
          {"required", {"accounts", "total_debit_fen", "total_credit_fen", "balanced"}}};
}

json EntriesSchema() {
  json line = {{"type", "object"},
               {"properties", {{"account", Str()}, {"debit_fen", Int()}, {"credit_fen", Int()}}},
               {"required", {"account", "debit_fen", "credit_fen"}}};
  json entry = {{"type", "object"},
                {"properties",
                 {{"id", Str()},
                  {"at", {{"type", "string"}, {"format", "date-time"}}},
                  {"memo", Str()},
                  {"ref_type", Str()},
                  {"ref_id", Str()},
                  {"org_id", {{"type", {"string", "null"}}}},
                  {"actor_id", Str()},
                  {"lines", {{"type", "array"}, {"items", line}}}}},
                {"required", {"id", "at", "memo", "ref_type", "ref_id", "lines"}}};
  return {{"type", "object"},
          {"properties", {{"items", {{"type", "array"}, {"items", entry}}}}},
          {"required", {"items"}}};
}

}  // namespace

void RegisterLedgerRoutes(http::Router& router, storage::Database& db, const Ledger& ledger) {
  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/ledger/trial-balance",
      .access = Access::kPermission,
      .permission = kPermLedgerRead,
      .summary = "Company-wide trial balance: debits and credits per account (head office only)",
      .tag = kTag,
      .response_schema = TrialBalanceSchema(),
      .handler = [&db, &ledger](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(TrialBalance balance, ReadTrialBalance(ledger, db, ActorOf(request)));
        json accounts = json::array();
        for (const AccountBalance& a : balance.accounts) {
          accounts.push_back({{"account", a.account},
                              {"name_zh", a.name_zh},
                              {"name_en", a.name_en},
                              {"debit_fen", a.debit.fen},
                              {"credit_fen", a.credit.fen}});
        }
        return http::JsonResponse(200, {{"accounts", std::move(accounts)},
                                        {"total_debit_fen", balance.total_debit.fen},
                                        {"total_credit_fen", balance.total_credit.fen},
                                        {"balanced", balance.balanced}});
      },
  });

  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/ledger/entries",
      .access = Access::kPermission,
      .permission = kPermLedgerRead,
      .summary =
          "Journal entries posted for a reference (ref_type and ref_id), oldest first, in the caller's scope",
      .tag = kTag,
      .response_schema = EntriesSchema(),
      .query_parameters = {"ref_type", "ref_id"},
      .handler = [&db, &ledger](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(std::string ref_type, RequiredParam(request, "ref_type"));
        ANXIN_ASSIGN_OR_RETURN(std::string ref_id, RequiredParam(request, "ref_id"));
        ANXIN_ASSIGN_OR_RETURN(std::vector<Entry> entries,
                               ReadEntries(ledger, db, ActorOf(request), ref_type, ref_id));
        json items = json::array();
        for (const Entry& entry : entries) items.push_back(EntryJson(entry));
        return http::JsonResponse(200, {{"items", std::move(items)}});
      },
  });
}

}  // namespace anxin::ledger
