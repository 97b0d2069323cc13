// HTTP for card sales: parse, call CardSalesService, render. No rules here.
#include "cards/card_sales_routes.hpp"

#include "cards/card_json.hpp"

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/json_input.hpp"
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
using http::NonEmptyQuery;
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
          {"holder_type", card.holder_type},
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
                       {"kind", Enum({"charge", "refund"})},
                       {"sales_no", Nullable(String())},
                       {"recovery_no", Nullable(String())},
                       {"org", OrgSchema()},
                       {"amount_fen", Integer()},
                       {"status", Enum({"issued", "confirmed", "cancelled"})},
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
       {"kind", Enum({"blue", "red"})},
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
                       {"status", Enum({"completed", "registered", "refunded"})},
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
                       {"holder_type", Enum({"org", "person"})},
                       {"holder_id", String()},
                       {"holder_org_id", String()},
                       {"sales_id", Nullable(String())},
                       {"updated_at", DateTime()}},
                      {"serial", "status"});
}

json PdfSchema() { return {{"type", "string"}, {"format", "binary"}, {"description", "application/pdf"}}; }

// --- Query parameters ---------------------------------------------------------------------------

Result<SaleListQuery> ListQueryOf(const Request& request) {
  SaleListQuery query;
  std::vector<FieldError> errors;
  if (auto status = NonEmptyQuery(request, "status")) {
    query.status = ParseSaleStatus(*status);
    if (!query.status) {
      errors.push_back({"status",
                        "invalid_value",
                        {"状态须为 registered、receipted、paid 或 reversed",
                         "status must be registered, receipted, paid or reversed"}});
    }
  }
  auto code_param = [&](const char* name) {
    return http::ValueOrCollect(http::BoundedQuery(request, name, kMaxCodeInput), errors)
        .value_or(std::nullopt);
  };
  query.doc_type_code = code_param("doc_type_code");
  query.seller_code = code_param("seller_code");
  query.after = code_param("after").value_or("");
  for (auto [name, out] : {std::pair{"from", &query.from_ms}, std::pair{"to", &query.to_ms}}) {
    auto value = NonEmptyQuery(request, name);
    if (!value) continue;
    std::optional<Date> date = http::ValueOrCollect(ParseDate(*value, name), errors);
    if (!date) continue;
    // "to" is inclusive of its day.
    *out = StartOfDayMs(std::string_view(name) == "to" ? AddDays(*date, 1) : *date);
  }
  if (std::optional<int> limit =
          http::ValueOrCollect(http::LimitParam(request, kDefaultSalesPage, kMaxSalesListLimit), errors)) {
    query.limit = *limit;
  }
  if (!errors.empty()) return Status::Invalid(std::move(errors));
  return query;
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
      .request_schema = ClosedObject({{"doc_type_code", String(kMaxCodeInput)},
                                      {"seller_org_code", String(kMaxCodeInput)},
                                      {"seller_code", String(kMaxCodeInput)},
                                      {"business_source", Enum(BusinessSourceNames())},
                                      {"serials", Array(String(), static_cast<size_t>(kMaxCardsPerSale))},
                                      {"first_serial", String(kMaxSerialInput)},
                                      {"last_serial", String(kMaxSerialInput)}},
                                     {"doc_type_code", "seller_org_code", "seller_code", "business_source"}),
      .response_schema = SaleSchema(),
      .success_status = 201,
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(JsonReader in, JsonReader::Parse(request));
        SaleRequest sale;
        sale.doc_type_code = in.String("doc_type_code", {.max_len = kMaxCodeInput}).value_or("");
        sale.seller_org_code = in.String("seller_org_code", {.max_len = kMaxCodeInput}).value_or("");
        sale.seller_code = in.String("seller_code", {.max_len = kMaxCodeInput}).value_or("");
        sale.business_source = in.String("business_source", {.max_len = kMaxCodeInput}).value_or("");
        sale.serials = in.StringList("serials", {.max_len = kMaxSerialInput},
                                     static_cast<size_t>(kMaxCardsPerSale), false)
                           .value_or(std::vector<std::string>{});
        sale.first_serial = in.String("first_serial", {.max_len = kMaxSerialInput});
        sale.last_serial = in.String("last_serial", {.max_len = kMaxSerialInput});
        ANXIN_RETURN_IF_ERROR(in.Finish());
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
      .query_parameters = {"status", "doc_type_code", "seller_code", "from", "to", "after", "limit"},
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
      .response_schema = PdfSchema(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(SaleView view, service.GetSale(ActorOf(request), request.path_params["id"]));
        ANXIN_ASSIGN_OR_RETURN(std::string pdf, service.ChargeListPdf(ActorOf(request), view.sale.id));
        return PdfResponse(std::move(pdf), "charge-list-" + view.sale.sales_no);
      },
  });
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
      .request_schema =
          ClosedObject({{"sales_no", String(kMaxCodeInput)}, {"recovery_no", String(kMaxCodeInput)}}, {}),
      .response_schema = ReceiptSchema(),
      .success_status = 201,
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(JsonReader in, JsonReader::Parse(request));
        ReceiptRequest receipt;
        receipt.sales_no = in.String("sales_no", {.max_len = kMaxCodeInput});
        receipt.recovery_no = in.String("recovery_no", {.max_len = kMaxCodeInput});
        ANXIN_RETURN_IF_ERROR(in.Finish());
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
      .request_schema = ClosedObject(
          {{"amount_fen", Integer()}, {"payer_name", String(100)}, {"bank_reference", String(64)}},
          {"amount_fen"}),
      .response_schema =
          ClosedObject({{"receipt", ReceiptSchema()}, {"invoice", InvoiceSchema()}}, {"receipt", "invoice"}),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(JsonReader in, JsonReader::Parse(request));
        ConfirmRequest confirm;
        auto amount = in.Int("amount_fen", {.required = true, .min = 1, .max = INT64_C(1'000'000'000'000)});
        confirm.payer_name = in.String("payer_name", {.max_len = 100});
        confirm.bank_reference = in.String("bank_reference", {.max_len = 64});
        ANXIN_RETURN_IF_ERROR(in.Finish());
        confirm.amount_fen = *amount;
        ANXIN_ASSIGN_OR_RETURN(
            ConfirmResult result,
            service.ConfirmReceipt(ActorOf(request), request.path_params["receipt_no"], confirm));
        return http::JsonResponse(
            200, {{"receipt", ReceiptJson(result.receipt)}, {"invoice", InvoiceJson(result.invoice)}});
      },
  });

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
      .response_schema = PdfSchema(),
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
      .response_schema = PdfSchema(),
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
      .request_schema = ClosedObject({{"sales_no", String(kMaxCodeInput)},
                                      {"serials", Array(String(), static_cast<size_t>(kMaxCardsPerSale))},
                                      {"disposition", Enum(DispositionNames())},
                                      {"reason", String(200)}},
                                     {"sales_no", "serials", "disposition", "reason"}),
      .response_schema = RecoverySchema(),
      .success_status = 201,
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(JsonReader in, JsonReader::Parse(request));
        RecoveryRequest recovery;
        recovery.sales_no = in.String("sales_no", {.max_len = kMaxCodeInput}).value_or("");
        recovery.serials = in.StringList("serials", {.max_len = kMaxSerialInput},
                                         static_cast<size_t>(kMaxCardsPerSale), false)
                               .value_or(std::vector<std::string>{});
        recovery.disposition = in.String("disposition", {.max_len = kMaxCodeInput}).value_or("");
        recovery.reason = in.String("reason", {.max_len = 200}).value_or("");
        ANXIN_RETURN_IF_ERROR(in.Finish());
        ANXIN_ASSIGN_OR_RETURN(RecoveryView view, service.RegisterRecovery(ActorOf(request), recovery));
        return http::JsonResponse(201, RecoveryJson(view));
      },
  });

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
      .request_schema = ClosedObject({{"reason", String(200)}}, {"reason"}),
      .response_schema = CardSchema(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(JsonReader in, JsonReader::Parse(request));
        std::string reason = in.String("reason", {.max_len = 200}).value_or("");
        ANXIN_RETURN_IF_ERROR(in.Finish());
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
      .request_schema = ClosedObject({{"reason", String(200)}}, {}),
      .response_schema = CardSchema(),
      .handler = [&service](Request& request) -> Result<Response> {
        std::string reason;
        if (!request.body.empty()) {
          ANXIN_ASSIGN_OR_RETURN(JsonReader in, JsonReader::Parse(request));
          reason = in.String("reason", {.max_len = 200}).value_or("");
          ANXIN_RETURN_IF_ERROR(in.Finish());
        }
        ANXIN_ASSIGN_OR_RETURN(Card card,
                               service.Unfreeze(ActorOf(request), request.path_params["serial"], reason));
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
