#include "cards/card_stock_routes.hpp"

#include "cards/card_json.hpp"

#include <string>
#include <utility>
#include <vector>

#include "cards/card_serial.hpp"
#include "http/body_spec.hpp"
#include "http/json_input.hpp"
#include "http/query_spec.hpp"
#include "http/route_support.hpp"

namespace anxin::cards {
namespace {

using http::ActorOf;
using http::JsonArray;
using http::NullOr;
using http::schema::Array;
using http::schema::DateTime;
using http::schema::Enum;
using http::schema::Integer;
using http::schema::Nullable;
using http::schema::Object;
using http::schema::PageOf;
using http::schema::String;
using nlohmann::json;

constexpr int kDefaultCardPage = 100;
constexpr int kMaxCardPage = 500;

json CardJson(const CardView& v) {
  const Card& c = v.card;
  return {{"serial", c.serial},
          {"card_type", {{"id", c.card_type_id}, {"code", v.card_type_code}, {"name", v.card_type_name}}},
          {"batch_id", c.batch_id},
          {"status", CardStatusJson(c.status)},
          {"status_before_freeze",
           c.status_before_freeze ? CardStatusJson(*c.status_before_freeze) : json(nullptr)},
          {"holder",
           {{"type", kHolderTypes.Name(v.holder.type)},
            {"id", v.holder.id},
            {"name", v.holder.name},
            {"org_id", v.holder.org_id}}},
          {"sales_id", NullOr(c.sales_id)},
          {"policy_id", NullOr(c.policy_id)},
          {"valid_until", FormatTimestamp(c.valid_until)},
          {"updated_at", FormatTimestamp(c.updated_at)}};
}

// One card as GET /api/v1/cards/{serial} shows it: CardJson and the numbers of its batch, sale and
// policy, which a reader knows them by.
json CardDetailJson(const CardView& v) {
  json out = CardJson(v);
  out["batch_no"] = v.batch_no;
  out["sales_no"] = v.sales_no.empty() ? json(nullptr) : json(v.sales_no);
  out["policy_no"] = v.policy_no.empty() ? json(nullptr) : json(v.policy_no);
  return out;
}

json MovementJson(const MovementView& v) {
  const CardMovement& m = v.movement;
  return {{"id", m.id},
          {"movement_no", m.movement_no},
          {"kind", kMovementKinds.Name(m.kind)},
          {"doc_type_code", v.card_type_code},
          {"first_serial", v.first_serial},
          {"last_serial", v.last_serial},
          {"quantity", m.quantity},
          {"from", {{"type", kHolderTypes.Name(m.from_type)}, {"id", m.from_id}}},
          {"to", {{"type", kHolderTypes.Name(m.to_type)}, {"id", m.to_id}, {"org_id", m.to_org_id}}},
          {"at", FormatTimestamp(m.at_ms)}};
}

// The key of a history entry's detail that holds the number of the document it refers to.
constexpr EnumTable<CardRefType, 6> kRefNumberKeys{{{
    {CardRefType::kBatch, "batch_no"},
    {CardRefType::kMovement, "movement_no"},
    {CardRefType::kSale, "sales_no"},
    {CardRefType::kReceipt, "receipt_no"},
    {CardRefType::kRecovery, "recovery_no"},
    {CardRefType::kPolicy, "policy_no"},
}}};

// The names a history line's action may have: kBatchCreatedAction, then every CardAction's.
std::vector<std::string> HistoryActionNames() {
  std::vector<std::string> names = {std::string(kBatchCreatedAction)};
  for (std::string& name : kCardActions.Names()) names.push_back(std::move(name));
  return names;
}

json HistoryJson(const HistoryEntry& e) {
  json ref_no = nullptr;
  if (e.ref_type && e.detail.is_object()) {
    auto it = e.detail.find(kRefNumberKeys.Name(*e.ref_type));
    if (it != e.detail.end() && it->is_string()) ref_no = *it;
  }
  return {{"at", FormatTimestamp(e.at_ms)},
          {"kind", kHistoryKinds.Name(e.kind)},
          {"action", e.action ? CardActionName(*e.action) : kBatchCreatedAction},
          {"from_status", e.from ? json(CardStatusName(*e.from)) : json(nullptr)},
          {"to_status", e.to ? json(CardStatusName(*e.to)) : json(nullptr)},
          {"actor_id", e.actor_id},
          {"actor_login", e.actor_login.empty() ? json(nullptr) : json(e.actor_login)},
          {"actor_name", e.actor_name.empty() ? json(nullptr) : json(e.actor_name)},
          {"ref_type", e.ref_type ? json(kCardRefTypes.Name(*e.ref_type)) : json(nullptr)},
          {"ref_id", e.ref_id.empty() ? json(nullptr) : json(e.ref_id)},
          {"ref_no", std::move(ref_no)},
          {"detail", e.detail}};
}

// --- OpenAPI schemas ---

json CardSchema() {
  return Object(
      {{"serial", String()},
       {"card_type",
        Object({{"id", String()}, {"code", String()}, {"name", String()}}, {"id", "code", "name"})},
       {"batch_id", String()},
       {"status", CardStatusSchema()},
       {"status_before_freeze", {{"oneOf", json::array({CardStatusSchema(), {{"type", "null"}}})}}},
       {"holder", Object({{"type", Enum(kHolderTypes.Names())},
                          {"id", String()},
                          {"name", String()},
                          {"org_id", String()}},
                         {"type", "id", "name", "org_id"})},
       {"sales_id", Nullable(String())},
       {"policy_id", Nullable(String())},
       {"valid_until", DateTime()},
       {"updated_at", DateTime()}},
      {"serial", "card_type", "batch_id", "status", "holder", "sales_id", "policy_id", "valid_until"});
}

json CardDetailSchema() {
  json schema = CardSchema();
  schema["properties"]["batch_no"] = String();
  schema["properties"]["sales_no"] = Nullable(String());
  schema["properties"]["policy_no"] = Nullable(String());
  for (const char* field : {"batch_no", "sales_no", "policy_no"}) schema["required"].push_back(field);
  return schema;
}

json MovementSchema() {
  json party = Object({{"type", Enum(kHolderTypes.Names())}, {"id", String()}}, {"type", "id"});
  return Object({{"id", String()},
                 {"movement_no", String()},
                 {"kind", Enum(kMovementKinds.Names())},
                 {"doc_type_code", String()},
                 {"first_serial", String()},
                 {"last_serial", String()},
                 {"quantity", Integer()},
                 {"from", party},
                 {"to", party},
                 {"at", DateTime()}},
                {"id", "movement_no", "kind", "doc_type_code", "first_serial", "last_serial", "quantity",
                 "from", "to", "at"});
}

json ReportSchema() {
  return Object({{"report", String()}, {"columns", Array(String())}, {"rows", Array({{"type", "object"}})}},
                {"report", "columns", "rows"});
}

// --- Query parameters ----------------------------------------------------------------------------

enum class ReportFormat { kJson, kCsv };
constexpr EnumTable<ReportFormat, 2> kReportFormats{{{
    {ReportFormat::kJson, "json"},
    {ReportFormat::kCsv, "csv"},
}}};

// How the stock report groups its counts, and the sales report its days.
enum class StockGrouping { kStatus, kOrg, kType };
constexpr EnumTable<StockGrouping, 3> kStockGroupings{{{
    {StockGrouping::kStatus, "status"},
    {StockGrouping::kOrg, "org"},
    {StockGrouping::kType, "type"},
}}};
enum class SalesGrouping { kSeller, kOrg };
constexpr EnumTable<SalesGrouping, 2> kSalesGroupings{{{
    {SalesGrouping::kSeller, "seller"},
    {SalesGrouping::kOrg, "org"},
}}};

std::vector<std::string> StatusNamesForQuery() {
  std::vector<std::string> names;
  for (CardStatus status : kAllCardStatuses) names.emplace_back(CardStatusName(status));
  return names;
}

// A serial in a query: the printed form (the service checks the check digit).
http::QueryTextField SerialParam(std::string description) {
  return {.max_len = kMaxSerialLength,
          .pattern = kSerialPattern,
          .description = std::move(description) +
                         ": the card type's 2-4 letter prefix, a 10-digit sequence and a Luhn check digit "
                         "(letters in any case)",
          .example = "ACC00000000018"};
}

constexpr size_t kMaxCodeParam = 64;

struct CardListParams {
  std::optional<std::string> serial_from, serial_to, card_type, holder;
  std::optional<CardStatus> status;
  int limit = kDefaultCardPage;
  std::string after;
};

const http::QuerySpec<CardListParams>& CardListQuerySpec() {
  static const auto* spec =
      &(*new http::QuerySpec<CardListParams>())
           .Text("serial_from", &CardListParams::serial_from, SerialParam("The first card of a range"))
           .Text("serial_to", &CardListParams::serial_to,
                 SerialParam("The last card of a range (the same prefix as serial_from)"))
           .Text("card_type", &CardListParams::card_type,
                 {.max_len = kMaxCodeParam,
                  .description = "Only cards of this card type (its code).",
                  .example = "ACC1"})
           .Enum("status", &CardListParams::status, StatusNamesForQuery(), ParseCardStatus,
                 {.description = "Only cards in this status."})
           .Text("holder", &CardListParams::holder,
                 {.max_len = kMaxCodeParam,
                  .description = "Only cards held by this organisation (its code: at that node, by it or its "
                                 "people) or this person (their login)."})
           .Limit(&CardListParams::limit, kDefaultCardPage, kMaxCardPage)
           .Cursor(&CardListParams::after, kMaxSerialLength);
  return *spec;
}

// The answer's form, which every report takes.
struct FormatParams {
  ReportFormat format = ReportFormat::kJson;
};

constexpr const char* kFormatDescription = "json (default) or csv (an attachment).";

const http::QuerySpec<FormatParams>& FormatQuerySpec() {
  static const auto* spec = &(*new http::QuerySpec<FormatParams>())
                                 .Enum("format", &FormatParams::format, kReportFormats,
                                       {.description = kFormatDescription, .default_name = "json"});
  return *spec;
}

struct StockReportParams {
  StockGrouping group_by = StockGrouping::kStatus;
  ReportFormat format = ReportFormat::kJson;
};

const http::QuerySpec<StockReportParams>& StockReportQuerySpec() {
  static const auto* spec =
      &(*new http::QuerySpec<StockReportParams>())
           .Enum(
               "group_by", &StockReportParams::group_by, kStockGroupings,
               {.description = "Counts per status, per holder organisation and status, or per card type and "
                               "status.",
                .default_name = "status"})
           .Enum("format", &StockReportParams::format, kReportFormats,
                 {.description = kFormatDescription, .default_name = "json"});
  return *spec;
}

// The reporting period of the sales and activation reports: whole days, both inclusive.
template <typename P>
http::QuerySpec<P>& Period(http::QuerySpec<P>& spec) {
  return spec.Date("from", &P::from, {.required = true, .description = "The first day, inclusive."})
      .Date("to", &P::to,
            {.required = true, .description = "The last day, inclusive; at most 400 days after from."});
}

struct SalesReportParams {
  Date from;
  Date to;
  SalesGrouping group_by = SalesGrouping::kSeller;
  ReportFormat format = ReportFormat::kJson;
};

const http::QuerySpec<SalesReportParams>& SalesReportQuerySpec() {
  static const auto* spec = &Period(*new http::QuerySpec<SalesReportParams>())
                                 .Enum("group_by", &SalesReportParams::group_by, kSalesGroupings,
                                       {.description = "Per day and seller, or per day and organisation.",
                                        .default_name = "seller"})
                                 .Enum("format", &SalesReportParams::format, kReportFormats,
                                       {.description = kFormatDescription, .default_name = "json"});
  return *spec;
}

struct ActivationReportParams {
  Date from;
  Date to;
  ReportFormat format = ReportFormat::kJson;
};

const http::QuerySpec<ActivationReportParams>& ActivationReportQuerySpec() {
  static const auto* spec = &Period(*new http::QuerySpec<ActivationReportParams>())
                                 .Enum("format", &ActivationReportParams::format, kReportFormats,
                                       {.description = kFormatDescription, .default_name = "json"});
  return *spec;
}

// Renders a report as JSON or as a CSV attachment.
http::Response RenderReport(ReportFormat format, const Report& report) {
  if (format == ReportFormat::kCsv) {
    http::Response response;
    response.status = 200;
    response.content_type = "text/csv; charset=utf-8";
    response.body = ReportCsv(report);
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + report.name + ".csv\"");
    return response;
  }
  return http::JsonResponse(200,
                            {{"report", report.name}, {"columns", report.columns}, {"rows", report.rows}});
}

// Reports span at most about a year and a month, so one request cannot scan unbounded history.
constexpr int64_t kMaxReportDays = 400;

// Refuses a period longer than kMaxReportDays.
Status CheckPeriod(const Date& from, const Date& to) {
  if (DaysFromCivil(to) - DaysFromCivil(from) > kMaxReportDays) {
    return Status::InvalidField("to", "range_too_large",
                                {"查询区间不能超过400天", "at most 400 days per report"});
  }
  return Status::Ok();
}

// --- Request bodies ------------------------------------------------------------------------------

struct MovementBody {
  MovementKind kind = MovementKind::kIssue;
  std::string doc_type_code;
  std::optional<HolderType> recipient_type;
  std::optional<std::string> recipient_code;
  std::string first_serial;
  std::string last_serial;
};

// The recipient rule in JSON Schema: an issue names recipient_type and recipient_code.
json IssueNamesRecipient() {
  json condition = {{"properties", {{"kind", {{"const", "issue"}}}}}, {"required", {"kind"}}};
  json then = {
      {"required", {"recipient_type", "recipient_code"}},
      {"properties", {{"recipient_type", {{"type", "string"}}}, {"recipient_code", {{"type", "string"}}}}}};
  return {{"if", std::move(condition)}, {"then", std::move(then)}};
}

const http::BodySpec<MovementBody>& MovementSpec() {
  static const auto* spec =
      &(*new http::BodySpec<MovementBody>(
            "A serial range of in-stock cards of one type, moved down the tree (issue) or back up (recall)."))
           .Enum("kind", &MovementBody::kind, kMovementKinds,
                 {.required = true,
                  .description = "issue (下发): to a node below; recall (回收): back to the caller's node"})
           .String("doc_type_code", &MovementBody::doc_type_code,
                   {.required = true,
                    .max_len = 20,
                    .description = "the card type's code (单证类型代码)",
                    .example = "ACC1"})
           .Enum("recipient_type", &MovementBody::recipient_type, kHolderTypes,
                 {.description =
                      "issue (required): who receives the cards; recall (optional): the only holder to "
                      "take them from"})
           .String(
               "recipient_code", &MovementBody::recipient_code,
               {.max_len = 64,
                .description = "with recipient_type org: an organisation code (BJ01); with person: a staff "
                               "member's login",
                .example = "BJ01"})
           .String("first_serial", &MovementBody::first_serial, SerialField("the first card of the range"))
           .String("last_serial", &MovementBody::last_serial, SerialField("the last card of the range"))
           .Rule(
               "An issue names its recipient (recipient_type and recipient_code).",
               [](const MovementBody& body, http::JsonReader& in) {
                 if (body.kind != MovementKind::kIssue) return;
                 if (!body.recipient_type)
                   in.AddError("recipient_type", "required",
                               {"请选择接收方类型", "recipient_type is required"});
                 if (!body.recipient_code)
                   in.AddError("recipient_code", "required",
                               {"请填写接收方代码", "recipient_code is required"});
               },
               IssueNamesRecipient());
  return *spec;
}

}  // namespace

void RegisterCardStockRoutes(http::Router& router, CardStockService& service) {
  router.Add(http::Route{
      .method = "POST",
      .pattern = "/api/v1/card-movements",
      .permission = "card.stock.move",
      .summary = "Issue (下发登记) or recall (回收登记) a serial range of cards along the organisation tree",
      .tag = "cards",
      .request_schema = MovementSpec().Schema(),
      .response_schema = MovementSchema(),
      .success_status = 201,
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(MovementBody body, MovementSpec().Read(request));
        MovementRequest m;
        m.kind = body.kind;
        m.doc_type_code = body.doc_type_code;
        m.recipient_type = body.recipient_type;
        m.recipient_code = body.recipient_code.value_or("");
        m.first_serial = body.first_serial;
        m.last_serial = body.last_serial;
        ANXIN_ASSIGN_OR_RETURN(MovementView view, service.Move(ActorOf(request), m));
        return http::JsonResponse(201, MovementJson(view));
      },
  });

  router.Add(http::Route{
      .method = "GET",
      .pattern = "/api/v1/cards",
      .permission = "card.read",
      .summary = "Status details inquiry (状态明细查询): cards in your subtree by serial range, type, holder "
                 "and status",
      .tag = "cards",
      .response_schema = PageOf(CardSchema()),
      .query_parameters = CardListQuerySpec().Parameters(),
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(CardListParams params, CardListQuerySpec().Read(request));
        CardInquiry inquiry;
        inquiry.serial_from = std::move(params.serial_from);
        inquiry.serial_to = std::move(params.serial_to);
        inquiry.card_type_code = std::move(params.card_type);
        inquiry.status = params.status;
        inquiry.holder = std::move(params.holder);
        inquiry.after = std::move(params.after);
        inquiry.limit = params.limit;
        ANXIN_ASSIGN_OR_RETURN(CardPage page, service.ListCards(ActorOf(request), inquiry));
        return http::JsonResponse(
            200, {{"items", JsonArray(page.items, CardJson)}, {"next_after", NullOr(page.next_after)}});
      },
  });

  router.Add(http::Route{
      .method = "GET",
      .pattern = "/api/v1/cards/{serial}",
      .permission = "card.read",
      .summary = "Get a card: type, status, holder, its batch, sale and policy by id and number (no password "
                 "data)",
      .tag = "cards",
      .response_schema = CardDetailSchema(),
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(CardView view,
                               service.GetCard(ActorOf(request), request.path_params["serial"]));
        return http::JsonResponse(200, CardDetailJson(view));
      },
  });

  router.Add(http::Route{
      .method = "GET",
      .pattern = "/api/v1/cards/{serial}/history",
      .permission = "card.read",
      .summary =
          "A card's full history: batch creation, movements covering it and every card event, in time order",
      .tag = "cards",
      .response_schema = Object(
          {{"serial", String()},
           {"items",
            Array(Object({{"at", DateTime()},
                          {"kind", Enum(kHistoryKinds.Names())},
                          {"action", Enum(HistoryActionNames())},
                          {"from_status", Nullable(Enum(kCardStatuses.Names()))},
                          {"to_status", Nullable(Enum(kCardStatuses.Names()))},
                          {"actor_id", String()},
                          {"actor_login", Nullable(String())},
                          {"actor_name", Nullable(String())},
                          {"ref_type", Nullable(Enum(kCardRefTypes.Names()))},
                          {"ref_id", Nullable(String())},
                          {"ref_no", Nullable(String())},
                          {"detail", {{"type", "object"}}}},
                         {"at", "kind", "action", "actor_id", "actor_login", "actor_name", "ref_no"}))}},
          {"serial", "items"}),
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(std::vector<HistoryEntry> history,
                               service.History(ActorOf(request), request.path_params["serial"]));
        json items = JsonArray(history, HistoryJson);
        Result<ParsedSerial> parsed = ParseSerial(request.path_params["serial"]);
        const std::string serial =
            parsed.ok() ? FormatSerial(parsed->prefix, parsed->seq) : request.path_params["serial"];
        return http::JsonResponse(200, {{"serial", serial}, {"items", std::move(items)}});
      },
  });

  router.Add(http::Route{
      .method = "GET",
      .pattern = "/api/v1/card-reports/stock",
      .permission = "card.report",
      .summary = "Card counts in your subtree by holder org, card type or status (format=json|csv)",
      .tag = "cards",
      .response_schema = ReportSchema(),
      .content_types = {"application/json", "text/csv"},
      .query_parameters = StockReportQuerySpec().Parameters(),
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(StockReportParams params, StockReportQuerySpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(
            Report report,
            service.StockReport(ActorOf(request), std::string(kStockGroupings.Name(params.group_by))));
        return RenderReport(params.format, report);
      },
  });

  router.Add(http::Route{
      .method = "GET",
      .pattern = "/api/v1/card-reports/sales",
      .permission = "card.report",
      .summary = "Card sales per day by seller or org: sales, cards and amount (format=json|csv)",
      .tag = "cards",
      .response_schema = ReportSchema(),
      .content_types = {"application/json", "text/csv"},
      .query_parameters = SalesReportQuerySpec().Parameters(),
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(SalesReportParams params, SalesReportQuerySpec().Read(request));
        ANXIN_RETURN_IF_ERROR(CheckPeriod(params.from, params.to));
        ANXIN_ASSIGN_OR_RETURN(Report report,
                               service.SalesReport(ActorOf(request), params.from, params.to,
                                                   std::string(kSalesGroupings.Name(params.group_by))));
        return RenderReport(params.format, report);
      },
  });

  router.Add(http::Route{
      .method = "GET",
      .pattern = "/api/v1/card-reports/activations",
      .permission = "card.report",
      .summary = "Cards activated per day and seller (format=json|csv)",
      .tag = "cards",
      .response_schema = ReportSchema(),
      .content_types = {"application/json", "text/csv"},
      .query_parameters = ActivationReportQuerySpec().Parameters(),
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(ActivationReportParams params, ActivationReportQuerySpec().Read(request));
        ANXIN_RETURN_IF_ERROR(CheckPeriod(params.from, params.to));
        ANXIN_ASSIGN_OR_RETURN(Report report,
                               service.ActivationReport(ActorOf(request), params.from, params.to));
        return RenderReport(params.format, report);
      },
  });

  router.Add(http::Route{
      .method = "GET",
      .pattern = "/api/v1/card-reports/ageing",
      .permission = "card.report",
      .summary =
          "In-stock cards by type and age since batch creation (0-30 … >365 days) with days until expiry",
      .tag = "cards",
      .response_schema = ReportSchema(),
      .content_types = {"application/json", "text/csv"},
      .query_parameters = FormatQuerySpec().Parameters(),
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(FormatParams params, FormatQuerySpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(Report report, service.AgeingReport(ActorOf(request)));
        return RenderReport(params.format, report);
      },
  });
}

}  // namespace anxin::cards
