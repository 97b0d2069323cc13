// HTTP for card sales: parse, call CardSalesService, render. No rules here.
#include "cards/card_sales_routes.hpp"

#include "cards/card_json.hpp"

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_spec.hpp"
#include "http/json_input.hpp"
#include "http/query_spec.hpp"
#include "http/route_support.hpp"

namespace anxin::cards {
namespace {

// How a sale reports reversals (issue 6 §5), the same before and after payment.
constexpr const char* kSaleFiguresDescription =
    "`quantity` and `amount_fen` are what is still sold: the cards registered minus every card reversed "
    "(反向处理), whether the reversal came before payment (the receipt then charges less) or after it (the "
    "cards are refunded). `original_quantity`/`original_amount_fen` are what was registered and "
    "`reversed_quantity`/`reversed_amount_fen` what was reversed; `serials` lists the cards still sold.";

using http::Access;
using http::ActorOf;
using http::JsonArray;
using http::JsonReader;
using http::NullOr;
using http::Request;
using http::Response;
using http::Route;
using http::schema::Array;
using http::schema::Boolean;
using http::schema::ClosedObject;
using http::schema::DateTime;
using http::schema::Enum;
using http::schema::Integer;
using http::schema::Nullable;
using http::schema::String;
using nlohmann::json;

constexpr const char* kTag = "card-sales";
constexpr size_t kMaxSerialInput = 32;
constexpr size_t kMaxCodeInput = 64;
constexpr int kDefaultSalesPage = 50;

json TimeOrNull(const std::optional<int64_t>& ms) { return ms ? json(FormatTimestamp(*ms)) : json(nullptr); }

json OrgJson(const SalesOrg& org) { return {{"id", org.id}, {"code", org.code}, {"name", org.name}}; }

json WarningsJson(const std::vector<Warning>& warnings, const std::string& lang) {
  return JsonArray(warnings, [&lang](const Warning& w) {
    return json{{"code", w.code}, {"message", w.message.In(lang)}};
  });
}

json SaleJson(const CardSale& sale) {
  return {{"id", sale.id},
          {"sales_no", sale.sales_no},
          {"card_type_id", sale.card_type_id},
          {"org_id", sale.org_id},
          {"seller_org_code", sale.seller_org_code},
          {"seller_code", sale.seller_code},
          {"business_source", std::string(BusinessSourceName(sale.business_source))},
          // One rule, paid or not: quantity and amount are what is still sold.
          {"quantity", sale.quantity - sale.reversed_paid_quantity},
          {"amount_fen", (sale.amount - sale.reversed_paid_amount).fen},
          {"original_quantity", sale.quantity - sale.reversed_paid_quantity + sale.reversed_quantity},
          {"original_amount_fen", (sale.amount - sale.reversed_paid_amount + sale.reversed_amount).fen},
          {"reversed_quantity", sale.reversed_quantity},
          {"reversed_amount_fen", sale.reversed_amount.fen},
          {"status", std::string(SaleStatusName(sale.status))},
          {"created_at", FormatTimestamp(sale.created_at)},
          {"created_by", sale.created_by}};
}

json SaleViewJson(const SaleView& view, const std::string& lang) {
  json out = SaleJson(view.sale);
  out["card_type"] = {{"id", view.card_type.id},
                      {"code", view.card_type.code},
                      {"name", view.card_type.name},
                      {"face_value_fen", view.card_type.face_value.fen}};
  out["org"] = OrgJson(view.org);
  out["seller_name"] = view.seller_name;
  out["serials"] = view.serials;
  out["receipt_no"] = NullOr(view.receipt_no);
  out["invoice_no"] = NullOr(view.invoice_no);
  out["warnings"] = WarningsJson(view.warnings, lang);
  return out;
}

json ItemsJson(const std::vector<LineItem>& items) {
  return JsonArray(items, [](const LineItem& item) {
    return json{{"name", item.name},
                {"quantity", item.quantity},
                {"unit_price_fen", item.unit_price.fen},
                {"amount_fen", item.amount.fen}};
  });
}

json ReceiptJson(const ReceiptView& view) {
  const Receipt& r = view.receipt;
  return {{"id", r.id},
          {"receipt_no", r.receipt_no},
          {"kind", std::string(ReceiptKindName(r.kind))},
          {"sales_no", NullOr(view.sales_no)},
          {"recovery_no", NullOr(view.recovery_no)},
          {"org", OrgJson(view.org)},
          {"amount_fen", r.amount.fen},
          {"status", std::string(ReceiptStatusName(r.status))},
          {"payer_name", r.payer_name},
          {"bank_reference", NullOr(view.bank_reference_masked)},
          {"issued_at", FormatTimestamp(r.issued_at)},
          {"issued_by", r.issued_by},
          {"confirmed_at", TimeOrNull(r.confirmed_at)},
          {"confirmed_by", NullOr(r.confirmed_by)},
          {"invoice_no", NullOr(view.invoice_no)},
          {"items", ItemsJson(view.items)}};
}

json InvoiceJson(const InvoiceView& view) {
  const Invoice& i = view.invoice;
  return {{"id", i.id},
          {"invoice_no", i.invoice_no},
          {"kind", std::string(InvoiceKindName(i.kind))},
          {"receipt_no", view.receipt_no},
          {"original_invoice_no", NullOr(view.original_invoice_no)},
          {"sales_no", NullOr(view.sales_no)},
          {"recovery_no", NullOr(view.recovery_no)},
          {"org", OrgJson(view.org)},
          {"buyer_name", i.buyer_name},
          {"amount_fen", i.amount.fen},
          {"issued_at", FormatTimestamp(i.issued_at)},
          {"issued_by", i.issued_by},
          {"items", ItemsJson(view.items)}};
}

json RecoveryJson(const RecoveryView& view) {
  const Recovery& r = view.recovery;
  return {{"id", r.id},
          {"recovery_no", r.recovery_no},
          {"sales_no", view.sales_no},
          {"org_id", r.org_id},
          {"quantity", r.quantity},
          {"amount_fen", r.amount.fen},
          {"disposition", std::string(DispositionName(r.disposition))},
          {"reason", r.reason},
          {"status", std::string(RecoveryStatusName(r.status))},
          {"paid_before", r.paid_before},
          {"serials", r.serials},
          {"receipt_no", NullOr(view.receipt_no)},
          {"invoice_no", NullOr(view.invoice_no)},
          {"created_at", FormatTimestamp(r.created_at)},
          {"created_by", r.created_by}};
}

json CardJson(const Card& card) {
  return {{"serial", card.serial},
          {"card_type_id", card.card_type_id},
          {"status", CardStatusJson(card.status)},
          {"status_before_freeze",
           card.status_before_freeze ? CardStatusJson(*card.status_before_freeze) : json(nullptr)},
          {"holder_type", kHolderTypes.Name(card.holder_type)},
          {"holder_id", card.holder_id},
          {"holder_org_id", card.holder_org_id},
          {"sales_id", NullOr(card.sales_id)},
          {"updated_at", FormatTimestamp(card.updated_at)}};
}

Response PdfResponse(std::string bytes, const std::string& name) {
  Response r;
  r.status = 200;
  r.content_type = "application/pdf";
  r.body = std::move(bytes);
  r.headers.emplace_back("Content-Disposition", "inline; filename=\"" + name + ".pdf\"");
  return r;
}

// --- JSON Schemas for the OpenAPI document ------------------------------------------------------

json OrgSchema() {
  return ClosedObject({{"id", String()}, {"code", String()}, {"name", String()}}, {"id", "code", "name"});
}
json ItemsSchema() {
  return Array(ClosedObject(
      {{"name", String()}, {"quantity", Integer()}, {"unit_price_fen", Integer()}, {"amount_fen", Integer()}},
      {"name", "quantity", "unit_price_fen", "amount_fen"}));
}

json Described(json schema, const char* description) {
  schema["description"] = description;
  return schema;
}

json SaleProperties() {
  return {
      {"id", String()},
      {"sales_no", String()},
      {"card_type_id", String()},
      {"org_id", String()},
      {"seller_org_code", String()},
      {"seller_code", String()},
      {"business_source", Enum(BusinessSourceNames())},
      {"quantity", Described(Integer(), "cards still sold: registered minus every reversal, paid or not")},
      {"amount_fen", Described(Integer(), "quantity x face value")},
      {"original_quantity", Described(Integer(), "cards registered in the sale")},
      {"original_amount_fen", Integer()},
      {"reversed_quantity", Described(Integer(), "cards reversed (反向处理), before or after payment")},
      {"reversed_amount_fen", Integer()},
      {"status", Enum(SaleStatusNames())},
      {"created_at", DateTime()},
      {"created_by", String()}};
}

json SaleSchema() {
  json properties = SaleProperties();
  properties["card_type"] =
      ClosedObject({{"id", String()}, {"code", String()}, {"name", String()}, {"face_value_fen", Integer()}},
                   {"id", "code", "name", "face_value_fen"});
  properties["org"] = OrgSchema();
  properties["seller_name"] = String();
  properties["serials"] = Array(String());
  properties["receipt_no"] = Nullable(String());
  properties["invoice_no"] = Nullable(String());
  properties["warnings"] =
      Array(ClosedObject({{"code", String()}, {"message", String()}}, {"code", "message"}));
  return ClosedObject(std::move(properties),
                      {"id", "sales_no", "quantity", "amount_fen", "status", "serials", "warnings"});
}

json SalePageSchema() {
  return ClosedObject({{"items", Array(ClosedObject(SaleProperties(), {"id", "sales_no", "status"}))},
                       {"next_after", Nullable(String())}},
                      {"items", "next_after"});
}

json ReceiptSchema() {
  return ClosedObject({{"id", String()},
                       {"receipt_no", String()},
                       {"kind", Enum(kReceiptKinds.Names())},
                       {"sales_no", Nullable(String())},
                       {"recovery_no", Nullable(String())},
                       {"org", OrgSchema()},
                       {"amount_fen", Integer()},
                       {"status", Enum(kReceiptStatuses.Names())},
                       {"payer_name", String()},
                       {"bank_reference", {{"type", {"string", "null"}}, {"description", "masked"}}},
                       {"issued_at", DateTime()},
                       {"issued_by", String()},
                       {"confirmed_at", Nullable(DateTime())},
                       {"confirmed_by", Nullable(String())},
                       {"invoice_no", Nullable(String())},
                       {"items", ItemsSchema()}},
                      {"id", "receipt_no", "kind", "amount_fen", "status"});
}

json InvoiceSchema() {
  return ClosedObject(
      {{"id", String()},
       {"invoice_no", String()},
       {"kind", Enum(kInvoiceKinds.Names())},
       {"receipt_no", String()},
       {"original_invoice_no", Nullable(String())},
       {"sales_no", Nullable(String())},
       {"recovery_no", Nullable(String())},
       {"org", OrgSchema()},
       {"buyer_name", String()},
       {"amount_fen", {{"type", "integer"}, {"description", "negative on a red-letter invoice"}}},
       {"issued_at", DateTime()},
       {"issued_by", String()},
       {"items", ItemsSchema()}},
      {"id", "invoice_no", "kind", "receipt_no", "amount_fen"});
}

json RecoverySchema() {
  return ClosedObject({{"id", String()},
                       {"recovery_no", String()},
                       {"sales_no", String()},
                       {"org_id", String()},
                       {"quantity", Integer()},
                       {"amount_fen", Integer()},
                       {"disposition", Enum(DispositionNames())},
                       {"reason", String()},
                       {"status", Enum(kRecoveryStatuses.Names())},
                       {"paid_before", Boolean()},
                       {"serials", Array(String())},
                       {"receipt_no", Nullable(String())},
                       {"invoice_no", Nullable(String())},
                       {"created_at", DateTime()},
                       {"created_by", String()}},
                      {"id", "recovery_no", "sales_no", "quantity", "amount_fen", "status", "paid_before"});
}

json CardSchema() {
  return ClosedObject({{"serial", String()},
                       {"card_type_id", String()},
                       {"status", CardStatusSchema()},
                       {"status_before_freeze", Nullable(CardStatusSchema())},
                       {"holder_type", Enum(kHolderTypes.Names())},
                       {"holder_id", String()},
                       {"holder_org_id", String()},
                       {"sales_id", Nullable(String())},
                       {"updated_at", DateTime()}},
                      {"serial", "status"});
}

// --- Query parameters ---------------------------------------------------------------------------

// The query of GET /card-sales as it arrives: dates are whole days, "to" inclusive.
struct SaleListParams {
  std::optional<SaleStatus> status;
  std::optional<std::string> doc_type_code;
  std::optional<std::string> seller_code;
  std::optional<Date> from;
  std::optional<Date> to;
  std::string after;
  int limit = kDefaultSalesPage;
};

const http::QuerySpec<SaleListParams>& SaleListQuerySpec() {
  static const auto* spec =
      &(*new http::QuerySpec<SaleListParams>())
           .Enum("status", &SaleListParams::status, SaleStatusNames(), ParseSaleStatus,
                 {.description = "Only sales in this status."})
           .Text("doc_type_code", &SaleListParams::doc_type_code,
                 {.max_len = kMaxCodeInput,
                  .description = "Only sales of this card type (its code).",
                  .example = "ACC1"})
           .Text("seller_code", &SaleListParams::seller_code,
                 {.max_len = kMaxCodeInput, .description = "Only sales by this seller (业务员代码)."})
           .Date("from", &SaleListParams::from, {.description = "Sales registered on or after this day."})
           .Date("to", &SaleListParams::to,
                 {.description = "Sales registered on or before this day (inclusive)."})
           .Cursor(&SaleListParams::after, kMaxCodeInput)
           .Limit(&SaleListParams::limit, kDefaultSalesPage, kMaxSalesListLimit);
  return *spec;
}

Result<SaleListQuery> ListQueryOf(const Request& request) {
  ANXIN_ASSIGN_OR_RETURN(SaleListParams params, SaleListQuerySpec().Read(request));
  SaleListQuery query;
  query.status = params.status;
  query.doc_type_code = std::move(params.doc_type_code);
  query.seller_code = std::move(params.seller_code);
  if (params.from) query.from_ms = StartOfDayMs(*params.from);
  if (params.to) query.to_ms = StartOfDayMs(AddDays(*params.to, 1));
  query.after = std::move(params.after);
  query.limit = params.limit;
  return query;
}

// The query of GET /receipts and GET /invoices: issue dates are whole days, "to" inclusive.
template <typename Kind, typename Status>
struct DocumentListParams {
  std::optional<Kind> kind;
  std::optional<Status> status;
  std::optional<Date> from;
  std::optional<Date> to;
  std::string after;
  int limit = kDefaultSalesPage;
};
using ReceiptListParams = DocumentListParams<ReceiptKind, ReceiptStatus>;
// Invoices have no status: the parameter is not declared.
using InvoiceListParams = DocumentListParams<InvoiceKind, ReceiptStatus>;

template <typename Params>
http::QuerySpec<Params>& DocumentDates(http::QuerySpec<Params>& spec, std::string_view what) {
  return spec.Date("from", &Params::from, {.description = std::string(what) + " on or after this day."})
      .Date("to", &Params::to, {.description = std::string(what) + " on or before this day (inclusive)."})
      .Cursor(&Params::after, kMaxCodeInput)
      .Limit(&Params::limit, kDefaultSalesPage, kMaxSalesListLimit);
}

const http::QuerySpec<ReceiptListParams>& ReceiptListQuerySpec() {
  static const auto* spec =
      &DocumentDates((*new http::QuerySpec<ReceiptListParams>())
                         .Enum("kind", &ReceiptListParams::kind, kReceiptKinds,
                               {.description = "Only charge receipts (收费) or refund receipts (退费)."})
                         .Enum("status", &ReceiptListParams::status, kReceiptStatuses,
                               {.description = "Only receipts in this status (issued: awaiting the funds)."}),
                     "Receipts issued");
  return *spec;
}

const http::QuerySpec<InvoiceListParams>& InvoiceListQuerySpec() {
  static const auto* spec =
      &DocumentDates((*new http::QuerySpec<InvoiceListParams>())
                         .Enum("kind", &InvoiceListParams::kind, kInvoiceKinds,
                               {.description = "Only blue invoices or red-letter invoices (红字发票)."}),
                     "Invoices issued");
  return *spec;
}

using RecoveryListParams = DocumentListParams<Disposition, RecoveryStatus>;

// The recoveries' "kind" is their disposition, under its own name.
const http::QuerySpec<RecoveryListParams>& RecoveryListQuerySpec() {
  static const auto* spec = &DocumentDates(
      (*new http::QuerySpec<RecoveryListParams>())
          .Enum("disposition", &RecoveryListParams::kind, kDispositions,
                {.description = "Only recoveries whose cards went back to stock (restock) or were voided."})
          .Enum("status", &RecoveryListParams::status, kRecoveryStatuses,
                {.description = "Only recoveries in this status (refunded: paid cards refunded)."}),
      "Recoveries registered");
  return *spec;
}

template <typename Params, typename KindTable, typename StatusTable>
DocumentListQuery DocumentQueryOf(Params params, const KindTable& kinds, const StatusTable& statuses) {
  DocumentListQuery query;
  if (params.kind) query.kind = std::string(kinds.Name(*params.kind));
  if (params.status) query.status = std::string(statuses.Name(*params.status));
  if (params.from) query.from_ms = StartOfDayMs(*params.from);
  if (params.to) query.to_ms = StartOfDayMs(AddDays(*params.to, 1));
  query.after = std::move(params.after);
  query.limit = params.limit;
  return query;
}

// --- Request bodies (one declaration each: validation and schema) -----------------------------

// Limits the service also checks (card_sales_service.cpp).
constexpr size_t kMaxPayerName = 100;
constexpr size_t kMaxBankReference = 64;
constexpr size_t kMinReason = 2;
constexpr size_t kMaxReason = 200;

http::StringField CodeField(std::string description, std::string example, bool required = true) {
  return {.required = required,
          .max_len = kMaxCodeInput,
          .description = std::move(description),
          .example = std::move(example)};
}

http::ListField SerialListField(std::string description, bool required) {
  return {.required = required,
          .max_items = static_cast<size_t>(kMaxCardsPerSale),
          .item = SerialField("a card"),
          .description = std::move(description)};
}

http::StringField ReasonField(bool required) {
  return {.required = required,
          .min_len = kMinReason,
          .max_len = kMaxReason,
          .description = "2-200 characters; no ID, phone or bank card numbers",
          .example = "客户报失"};
}

struct SaleBody {
  std::string doc_type_code;
  std::string seller_org_code;
  std::string seller_code;
  BusinessSource business_source = BusinessSource::kDirect;
  std::vector<std::string> serials;
  std::optional<std::string> first_serial;
  std::optional<std::string> last_serial;
};

const http::BodySpec<SaleBody>& SaleSpec() {
  static const auto* spec =
      &(*new http::BodySpec<SaleBody>("The cards sold, listed or as a first..last range, and who sold them."))
           .String("doc_type_code", &SaleBody::doc_type_code,
                   CodeField("the card type's code (单证类型代码)", "ACC1"))
           .String(
               "seller_org_code", &SaleBody::seller_org_code,
               CodeField("销售机构代码: the code of an organisation in the caller's subtree (BJ01)", "BJ01"))
           .String("seller_code", &SaleBody::seller_code,
                   CodeField("销售人员代码: the login of a staff member of that organisation (seller.bj01)",
                             "seller.bj01"))
           .Enum(
               "business_source", &SaleBody::business_source, kBusinessSources,
               {.required = true, .description = "业务来源: direct, agency, broker, bancassurance or online"})
           .StringList("serials", &SaleBody::serials,
                       SerialListField("the cards sold (or give first_serial and last_serial)", false))
           .String("first_serial", &SaleBody::first_serial, SerialField("the first card of the range", false))
           .String("last_serial", &SaleBody::last_serial, SerialField("the last card of the range", false))
           .Rule(
               "Give `serials` (1-1000 cards), or `first_serial` and `last_serial` (a range of at most 1000 "
               "cards of one type), not both.",
               [](const SaleBody& body, JsonReader& in) {
                 const bool has_list = !body.serials.empty();
                 const bool has_range = body.first_serial || body.last_serial;
                 if (has_list && has_range) {
                   in.AddError("serials", "conflicting",
                               {"卡号列表与起止卡号只能填写一种",
                                "Give either serials or first_serial/last_serial, not both"});
                 } else if (!has_list && !has_range) {
                   in.AddError("serials", "required",
                               {"请填写卡号列表或起止卡号", "Give serials or first_serial and last_serial"});
                 } else if (has_range) {
                   if (!body.first_serial) in.AddError("first_serial", "required", {"必填", "Required"});
                   if (!body.last_serial) in.AddError("last_serial", "required", {"必填", "Required"});
                 }
               },
               {{"if",
                 {{"properties", {{"serials", {{"type", "array"}, {"minItems", 1}}}}},
                  {"required", {"serials"}}}},
                {"then",
                 {{"properties",
                   {{"first_serial", {{"type", "null"}}}, {"last_serial", {{"type", "null"}}}}}}},
                {"else",
                 {{"required", {"first_serial", "last_serial"}},
                  {"properties",
                   {{"first_serial", {{"type", "string"}}}, {"last_serial", {{"type", "string"}}}}}}}});
  return *spec;
}

const http::BodySpec<ReceiptRequest>& ReceiptSpec() {
  static const auto* spec =
      &(*new http::BodySpec<ReceiptRequest>())
           .String("sales_no", &ReceiptRequest::sales_no,
                   CodeField("a charge receipt for this sale (销售单号)", "XS20261201000001", false))
           .String("recovery_no", &ReceiptRequest::recovery_no,
                   CodeField("a refund receipt for this recovery of paid cards (回收单号)",
                             "HS20261201000001", false))
           .Rule("Give exactly one of `sales_no` (charge) and `recovery_no` (refund).",
                 [](const ReceiptRequest& body, JsonReader& in) {
                   if (body.sales_no && body.recovery_no) {
                     in.AddError(
                         "recovery_no", "conflicting",
                         {"销售单号与回收单号只能填写一个", "Give either sales_no or recovery_no, not both"});
                   } else if (!body.sales_no && !body.recovery_no) {
                     in.AddError("sales_no", "required",
                                 {"请填写销售单号（收费）或回收单号（退费）",
                                  "Give sales_no (charge) or recovery_no (refund)"});
                   }
                 },
                 {{"oneOf",
                   json::array(
                       {{{"required", {"sales_no"}},
                         {"properties",
                          {{"sales_no", {{"type", "string"}}}, {"recovery_no", {{"type", "null"}}}}}},
                        {{"required", {"recovery_no"}},
                         {"properties",
                          {{"recovery_no", {{"type", "string"}}}, {"sales_no", {{"type", "null"}}}}}}})}});
  return *spec;
}

const http::BodySpec<ConfirmRequest>& ConfirmSpec() {
  static const auto* spec =
      &(*new http::BodySpec<ConfirmRequest>("The funds received (charge) or paid out (refund)."))
           .Int("amount_fen", &ConfirmRequest::amount_fen,
                {.required = true,
                 .min = 1,
                 .max = INT64_C(1'000'000'000'000),
                 .description = "must equal the receipt's amount_fen (400 amount_mismatch otherwise)",
                 .example = 9900})
           .String("payer_name", &ConfirmRequest::payer_name,
                   {.max_len = kMaxPayerName, .description = "who paid (charge) or was paid (refund)"})
           .String("bank_reference", &ConfirmRequest::bank_reference,
                   {.max_len = kMaxBankReference,
                    .description = "the bank's transaction reference; stored sealed, shown masked"});
  return *spec;
}

struct RecoveryBody {
  std::string sales_no;
  std::vector<std::string> serials;
  Disposition disposition = Disposition::kRestock;
  std::string reason;
};

const http::BodySpec<RecoveryBody>& RecoverySpec() {
  static const auto* spec =
      &(*new http::BodySpec<RecoveryBody>("Cards of one sale taken back (反向处理)."))
           .String("sales_no", &RecoveryBody::sales_no, CodeField("the sale (销售单号)", "XS20261201000001"))
           .StringList("serials", &RecoveryBody::serials, SerialListField("the cards taken back", true))
           .Enum(
               "disposition", &RecoveryBody::disposition, kDispositions,
               {.required = true, .description = "restock: back to the institution's stock; void: destroyed"})
           .String("reason", &RecoveryBody::reason, ReasonField(true));
  return *spec;
}

struct FreezeBody {
  std::string reason;
};

const http::BodySpec<FreezeBody>& FreezeSpec() {
  static const auto* spec =
      &(*new http::BodySpec<FreezeBody>()).String("reason", &FreezeBody::reason, ReasonField(true));
  return *spec;
}

const http::BodySpec<FreezeBody>& UnfreezeSpec() {
  static const auto* spec = &(*new http::BodySpec<FreezeBody>("Optional: the body may be left out."))
                                 .String("reason", &FreezeBody::reason, ReasonField(false))
                                 .MayBeEmpty();
  return *spec;
}

// --- Routes -------------------------------------------------------------------------------------

void AddSaleRoutes(http::Router& router, CardSalesService& service) {
  router.Add(Route{
      .method = "POST",
      .pattern = "/api/v1/card-sales",
      .access = Access::kPermission,
      .permission = kPermCardSale,
      .summary = "销售登记: register the sale of cards (listed, or a first..last range) by an institution's "
                 "document administrator; more than 50 cards carries a warning, more than 1000 is refused",
      .tag = kTag,
      .request_schema = SaleSpec().Schema(),
      .response_schema = SaleSchema(),
      .success_status = 201,
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(SaleBody body, SaleSpec().Read(request));
        SaleRequest sale;
        sale.doc_type_code = std::move(body.doc_type_code);
        sale.seller_org_code = std::move(body.seller_org_code);
        sale.seller_code = std::move(body.seller_code);
        sale.business_source = std::string(kBusinessSources.Name(body.business_source));
        sale.serials = std::move(body.serials);
        sale.first_serial = std::move(body.first_serial);
        sale.last_serial = std::move(body.last_serial);
        ANXIN_ASSIGN_OR_RETURN(SaleView view, service.RegisterSale(ActorOf(request), sale));
        return http::JsonResponse(201, SaleViewJson(view, request.lang));
      },
  });

  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/card-sales",
      .access = Access::kPermission,
      .permission = kPermCardRead,
      .summary = "Sales of the caller's subtree, oldest first; filters status, doc_type_code, seller_code, "
                 "from/to (YYYY-MM-DD, inclusive)",
      .description = kSaleFiguresDescription,
      .tag = kTag,
      .response_schema = SalePageSchema(),
      .query_parameters = SaleListQuerySpec().Parameters(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(SaleListQuery query, ListQueryOf(request));
        ANXIN_ASSIGN_OR_RETURN(SalePage page, service.ListSales(ActorOf(request), query));
        return http::JsonResponse(
            200, {{"items", JsonArray(page.items, SaleJson)}, {"next_after", NullOr(page.next_after)}});
      },
  });

  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/card-sales/{id}",
      .access = Access::kPermission,
      .permission = kPermCardRead,
      .summary = "One sale by id or sales number, with its cards, receipt and invoice numbers",
      .description = kSaleFiguresDescription,
      .tag = kTag,
      .response_schema = SaleSchema(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(SaleView view, service.GetSale(ActorOf(request), request.path_params["id"]));
        return http::JsonResponse(200, SaleViewJson(view, request.lang));
      },
  });

  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/card-sales/{id}/charge-list.pdf",
      .access = Access::kPermission,
      .permission = kPermCardRead,
      .summary = "收费清单: the sale's charge list as PDF",
      .tag = kTag,
      .content_types = {"application/pdf"},
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(SaleView view, service.GetSale(ActorOf(request), request.path_params["id"]));
        ANXIN_ASSIGN_OR_RETURN(std::string pdf, service.ChargeListPdf(ActorOf(request), view.sale.id));
        return PdfResponse(std::move(pdf), "charge-list-" + view.sale.sales_no);
      },
  });
}

// GET of a page of receipts or invoices (`list`), each item rendered by `render` (as its single
// GET renders it).
template <typename Params, typename KindTable, typename StatusTable, typename List, typename Render>
Route DocumentListRoute(std::string pattern, std::string_view permission, std::string summary,
                        json item_schema, const http::QuerySpec<Params>& spec, const KindTable& kinds,
                        const StatusTable& statuses, List list, Render render) {
  return Route{
      .method = "GET",
      .pattern = std::move(pattern),
      .access = Access::kPermission,
      .permission = std::string(permission),
      .summary = std::move(summary),
      .tag = kTag,
      .response_schema =
          ClosedObject({{"items", Array(std::move(item_schema))}, {"next_after", Nullable(String())}},
                       {"items", "next_after"}),
      .query_parameters = spec.Parameters(),
      .handler = [&spec, &kinds, &statuses, list, render](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(Params params, spec.Read(request));
        ANXIN_ASSIGN_OR_RETURN(auto page,
                               list(ActorOf(request), DocumentQueryOf(std::move(params), kinds, statuses)));
        return http::JsonResponse(
            200, {{"items", JsonArray(page.items, render)}, {"next_after", NullOr(page.next_after)}});
      },
  };
}

void AddPaymentRoutes(http::Router& router, CardSalesService& service) {
  router.Add(Route{
      .method = "POST",
      .pattern = "/api/v1/receipts",
      .access = Access::kPermission,
      .permission = kPermCardPayment,
      .summary =
          "收付费处理: issue a charge receipt for a sale ({sales_no}) or a refund receipt for a recovery "
          "of paid cards ({recovery_no})",
      .tag = kTag,
      .request_schema = ReceiptSpec().Schema(),
      .response_schema = ReceiptSchema(),
      .success_status = 201,
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(ReceiptRequest receipt, ReceiptSpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(ReceiptView view, service.IssueReceipt(ActorOf(request), receipt));
        return http::JsonResponse(201, ReceiptJson(view));
      },
  });

  router.Add(Route{
      .method = "POST",
      .pattern = "/api/v1/receipts/{receipt_no}/confirm",
      .access = Access::kPermission,
      .permission = kPermCardPayment,
      .summary = "Confirm the funds of a receipt (amount_fen must equal it): a charge makes the cards await "
                 "activation and issues the invoice; a refund issues the red-letter invoice",
      .tag = kTag,
      .request_schema = ConfirmSpec().Schema(),
      .response_schema =
          ClosedObject({{"receipt", ReceiptSchema()}, {"invoice", InvoiceSchema()}}, {"receipt", "invoice"}),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(ConfirmRequest confirm, ConfirmSpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(
            ConfirmResult result,
            service.ConfirmReceipt(ActorOf(request), request.path_params["receipt_no"], confirm));
        return http::JsonResponse(
            200, {{"receipt", ReceiptJson(result.receipt)}, {"invoice", InvoiceJson(result.invoice)}});
      },
  });

  router.Add(DocumentListRoute(
      "/api/v1/receipts", kPermInvoiceRead,
      "Receipts of the caller's subtree, oldest first; filters kind, status, from/to (issue days, "
      "YYYY-MM-DD, "
      "inclusive)",
      ReceiptSchema(), ReceiptListQuerySpec(), kReceiptKinds, kReceiptStatuses,
      [&service](const Actor& actor, const DocumentListQuery& query) {
        return service.ListReceipts(actor, query);
      },
      ReceiptJson));
  router.Add(DocumentListRoute(
      "/api/v1/invoices", kPermInvoiceRead,
      "Invoices of the caller's subtree, oldest first; filters kind, from/to (issue days, YYYY-MM-DD, "
      "inclusive)",
      InvoiceSchema(), InvoiceListQuerySpec(), kInvoiceKinds, kReceiptStatuses,
      [&service](const Actor& actor, const DocumentListQuery& query) {
        return service.ListInvoices(actor, query);
      },
      InvoiceJson));

  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/receipts/{receipt_no}",
      .access = Access::kPermission,
      .permission = kPermInvoiceRead,
      .summary = "One receipt",
      .tag = kTag,
      .response_schema = ReceiptSchema(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(ReceiptView view,
                               service.GetReceipt(ActorOf(request), request.path_params["receipt_no"]));
        return http::JsonResponse(200, ReceiptJson(view));
      },
  });

  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/receipts/{receipt_no}/pdf",
      .access = Access::kPermission,
      .permission = kPermInvoiceRead,
      .summary = "A receipt as PDF",
      .tag = kTag,
      .content_types = {"application/pdf"},
      .handler = [&service](Request& request) -> Result<Response> {
        const std::string& no = request.path_params["receipt_no"];
        ANXIN_ASSIGN_OR_RETURN(std::string pdf, service.ReceiptPdf(ActorOf(request), no));
        return PdfResponse(std::move(pdf), "receipt-" + no);
      },
  });

  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/invoices/{invoice_no}",
      .access = Access::kPermission,
      .permission = kPermInvoiceRead,
      .summary = "One invoice (blue, or red-letter with a negative amount and the invoice it reverses)",
      .tag = kTag,
      .response_schema = InvoiceSchema(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(InvoiceView view,
                               service.GetInvoice(ActorOf(request), request.path_params["invoice_no"]));
        return http::JsonResponse(200, InvoiceJson(view));
      },
  });

  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/invoices/{invoice_no}/pdf",
      .access = Access::kPermission,
      .permission = kPermInvoiceRead,
      .summary = "An invoice as PDF (红字发票 printed in red)",
      .tag = kTag,
      .content_types = {"application/pdf"},
      .handler = [&service](Request& request) -> Result<Response> {
        const std::string& no = request.path_params["invoice_no"];
        ANXIN_ASSIGN_OR_RETURN(std::string pdf, service.InvoicePdf(ActorOf(request), no));
        return PdfResponse(std::move(pdf), "invoice-" + no);
      },
  });
}

void AddRecoveryRoutes(http::Router& router, CardSalesService& service) {
  router.Add(Route{
      .method = "POST",
      .pattern = "/api/v1/card-recoveries",
      .access = Access::kPermission,
      .permission = kPermCardSale,
      .summary = "反向处理: take back sold or paid cards of a sale (restock or void); paid cards then need a "
                 "refund receipt",
      .tag = kTag,
      .request_schema = RecoverySpec().Schema(),
      .response_schema = RecoverySchema(),
      .success_status = 201,
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(RecoveryBody body, RecoverySpec().Read(request));
        RecoveryRequest recovery{std::move(body.sales_no), std::move(body.serials),
                                 std::string(kDispositions.Name(body.disposition)), std::move(body.reason)};
        ANXIN_ASSIGN_OR_RETURN(RecoveryView view, service.RegisterRecovery(ActorOf(request), recovery));
        return http::JsonResponse(201, RecoveryJson(view));
      },
  });

  router.Add(DocumentListRoute(
      "/api/v1/card-recoveries", kPermCardRead,
      "Recoveries (反向处理) of the caller's subtree, oldest first, with their cards; filters disposition, "
      "status, from/to (registration days, YYYY-MM-DD, inclusive)",
      RecoverySchema(), RecoveryListQuerySpec(), kDispositions, kRecoveryStatuses,
      [&service](const Actor& actor, const DocumentListQuery& query) {
        return service.ListRecoveries(actor, query);
      },
      RecoveryJson));

  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/card-recoveries/{id}",
      .access = Access::kPermission,
      .permission = kPermCardRead,
      .summary = "One recovery by id or recovery number",
      .tag = kTag,
      .response_schema = RecoverySchema(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(RecoveryView view,
                               service.GetRecovery(ActorOf(request), request.path_params["id"]));
        return http::JsonResponse(200, RecoveryJson(view));
      },
  });
}

void AddFreezeRoutes(http::Router& router, CardSalesService& service) {
  router.Add(Route{
      .method = "POST",
      .pattern = "/api/v1/cards/{serial}/freeze",
      .access = Access::kPermission,
      .permission = kPermCardFreeze,
      .summary = "挂失: report a card lost (in stock, sold or awaiting activation)",
      .tag = kTag,
      .request_schema = FreezeSpec().Schema(),
      .response_schema = CardSchema(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(FreezeBody body, FreezeSpec().Read(request));
        const std::string& reason = body.reason;
        ANXIN_ASSIGN_OR_RETURN(Card card,
                               service.Freeze(ActorOf(request), request.path_params["serial"], reason));
        return http::JsonResponse(200, CardJson(card));
      },
  });

  router.Add(Route{
      .method = "POST",
      .pattern = "/api/v1/cards/{serial}/unfreeze",
      .access = Access::kPermission,
      .permission = kPermCardFreeze,
      .summary = "解挂: lift a loss report; the card returns to the status it was frozen from",
      .tag = kTag,
      .request_schema = UnfreezeSpec().Schema(),
      .request_body_required = UnfreezeSpec().body_required(),
      .response_schema = CardSchema(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(FreezeBody body, UnfreezeSpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(
            Card card, service.Unfreeze(ActorOf(request), request.path_params["serial"], body.reason));
        return http::JsonResponse(200, CardJson(card));
      },
  });
}

}  // namespace

void RegisterCardSalesRoutes(http::Router& router, CardSalesService& service) {
  AddSaleRoutes(router, service);
  AddPaymentRoutes(router, service);
  AddRecoveryRoutes(router, service);
  AddFreezeRoutes(router, service);
}

}  // namespace anxin::cards
