// HTTP for the ledger: parse, authorise, call the ledger, render. No rules here.
#include "ledger/ledger_routes.hpp"

#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/query_spec.hpp"
#include "http/route_support.hpp"
#include "ledger/ledger_service.hpp"

namespace anxin::ledger {
namespace {

using http::Access;
using http::ActorOf;
using http::JsonArray;
using http::Request;
using http::Response;
using http::Route;
using http::schema::Array;
using http::schema::Boolean;
using http::schema::DateTime;
using http::schema::Enum;
using http::schema::Integer;
using http::schema::ListOf;
using http::schema::Nullable;
using http::schema::Object;
using http::schema::String;
using nlohmann::json;

constexpr const char* kTag = "ledger";
constexpr size_t kMaxRefLength = 64;

struct EntriesQuery {
  std::optional<RefType> ref_type;
  std::optional<std::string> ref_id;
};

const http::QuerySpec<EntriesQuery>& EntriesQuerySpec() {
  static const auto* spec =
      &(*new http::QuerySpec<EntriesQuery>())
           .Enum("ref_type", &EntriesQuery::ref_type, kRefTypes,
                 {.required = true,
                  .description = "What the entries refer to: a policy, a receipt or a recovery."})
           .Text("ref_id", &EntriesQuery::ref_id,
                 {.required = true,
                  .max_len = kMaxRefLength,
                  .description = "The id of that policy, receipt or recovery."});
  return *spec;
}

json EntryJson(const Entry& entry) {
  json lines = JsonArray(entry.lines, [](const Line& line) {
    return json{{"account", line.account}, {"debit_fen", line.debit.fen}, {"credit_fen", line.credit.fen}};
  });
  return {{"id", entry.id},
          {"at", FormatTimestamp(entry.at_ms)},
          {"memo", entry.memo},
          {"ref_type", kRefTypes.Name(entry.ref_type)},
          {"ref_id", entry.ref_id},
          {"org_id", entry.org_id.empty() ? json(nullptr) : json(entry.org_id)},
          {"actor_id", entry.actor_id},
          {"lines", std::move(lines)}};
}

json TrialBalanceSchema() {
  json account = Object({{"account", String()},
                         {"name_zh", String()},
                         {"name_en", String()},
                         {"debit_fen", Integer()},
                         {"credit_fen", Integer()}},
                        {"account", "name_zh", "name_en", "debit_fen", "credit_fen"});
  return Object({{"accounts", Array(account)},
                 {"total_debit_fen", Integer()},
                 {"total_credit_fen", Integer()},
                 {"balanced", Boolean()}},
                {"accounts", "total_debit_fen", "total_credit_fen", "balanced"});
}

json EntriesSchema() {
  json line = Object({{"account", String()}, {"debit_fen", Integer()}, {"credit_fen", Integer()}},
                     {"account", "debit_fen", "credit_fen"});
  json entry = Object({{"id", String()},
                       {"at", DateTime()},
                       {"memo", String()},
                       {"ref_type", Enum(kRefTypes.Names())},
                       {"ref_id", String()},
                       {"org_id", Nullable(String())},
                       {"actor_id", String()},
                       {"lines", Array(line)}},
                      {"id", "at", "memo", "ref_type", "ref_id", "lines"});
  return ListOf(entry);
}

}  // namespace

void RegisterLedgerRoutes(http::Router& router, const LedgerService& ledger) {
  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/ledger/trial-balance",
      .access = Access::kPermission,
      .permission = kPermLedgerRead,
      .summary = "Company-wide trial balance: debits and credits per account (head office only)",
      .tag = kTag,
      .response_schema = TrialBalanceSchema(),
      .handler = [&ledger](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(TrialBalance balance, ledger.TrialBalanceFor(ActorOf(request)));
        json accounts = JsonArray(balance.accounts, [](const AccountBalance& a) {
          return json{{"account", a.account},
                      {"name_zh", a.name_zh},
                      {"name_en", a.name_en},
                      {"debit_fen", a.debit.fen},
                      {"credit_fen", a.credit.fen}};
        });
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
      .query_parameters = EntriesQuerySpec().Parameters(),
      .handler = [&ledger](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(EntriesQuery query, EntriesQuerySpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(std::vector<Entry> entries,
                               ledger.Entries(ActorOf(request), *query.ref_type, *query.ref_id));
        return http::JsonResponse(200, {{"items", JsonArray(entries, EntryJson)}});
      },
  });
}

}  // namespace anxin::ledger
