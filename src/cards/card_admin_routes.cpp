#include "cards/card_admin_routes.hpp"

#include <string>
#include <utility>
#include <vector>

#include "cards/card_serial.hpp"
#include "http/json_input.hpp"
#include "http/route_support.hpp"

namespace anxin::cards {
namespace {

using http::ActorOf;
using http::JsonArray;
using http::schema::Array;
using http::schema::Boolean;
using http::schema::DateTime;
using http::schema::Enum;
using http::schema::FullDate;
using http::schema::Integer;
using http::schema::ListOf;
using http::schema::Nullable;
using http::schema::Object;
using http::schema::String;
using nlohmann::json;

constexpr int kDefaultBatchPage = 100;
constexpr int kMaxBatchPage = 500;

json TypeJson(const CardType& t) {
  return {{"id", t.id},
          {"code", t.code},
          {"name", t.name},
          {"serial_prefix", t.serial_prefix},
          {"product_code", t.product_code},
          {"plan_codes", t.plan_codes},
          {"default_plan_code", t.default_plan_code},
          {"term", {{"unit", TermUnitName(t.term_unit)}, {"value", t.term_value}}},
          {"face_value_fen", t.face_value.fen},
          {"validity_days", t.validity_days},
          {"start_rule", StartRuleName(t.start_rule)},
          {"start_within_days", t.start_within_days},
          {"status", t.status},
          {"created_at", FormatTimestamp(t.created_at)}};
}

json BatchJson(const CardBatch& b) {
  return {{"id", b.id},
          {"batch_no", b.batch_no},
          {"card_type_id", b.card_type_id},
          {"card_type_code", b.card_type_code},
          {"quantity", b.quantity},
          {"first_serial", FormatSerial(b.serial_prefix, b.first_seq)},
          {"last_serial", FormatSerial(b.serial_prefix, b.last_seq)},
          {"valid_until", FormatTimestamp(b.valid_until)},
          {"passwords_exported", b.exported},
          {"exported_at", b.exported_at ? json(FormatTimestamp(*b.exported_at)) : json(nullptr)},
          {"created_at", FormatTimestamp(b.created_at)}};
}

// --- OpenAPI schemas ---

json TermSchema() {
  return Object({{"unit", Enum({"day", "month", "year"})}, {"value", Integer()}}, {"unit", "value"});
}

json TypeSchema() {
  return Object(
      {{"id", String()},
       {"code", String()},
       {"name", String()},
       {"serial_prefix", String()},
       {"product_code", String()},
       {"plan_codes", Array(String())},
       {"default_plan_code", String()},
       {"term", TermSchema()},
       {"face_value_fen", Integer()},
       {"validity_days", Integer()},
       {"start_rule", Enum({"next_day", "holder_choice"})},
       {"start_within_days", Integer()},
       {"status", Enum({"active", "disabled"})},
       {"created_at", DateTime()}},
      {"id", "code", "name", "serial_prefix", "product_code", "plan_codes", "default_plan_code", "term",
       "face_value_fen", "validity_days", "start_rule", "start_within_days", "status", "created_at"});
}

json NewTypeSchema() {
  return Object({{"code", String()},
                 {"name", String()},
                 {"serial_prefix", String()},
                 {"product_code", String()},
                 {"plan_codes", Array(String())},
                 {"default_plan_code", String()},
                 {"term", TermSchema()},
                 {"face_value_fen", Integer()},
                 {"validity_days", Integer()},
                 {"start_rule", Enum({"next_day", "holder_choice"})},
                 {"start_within_days", Integer()}},
                {"code", "name", "serial_prefix", "product_code", "plan_codes", "default_plan_code", "term",
                 "face_value_fen", "validity_days", "start_rule"});
}

json BatchSchema() {
  return Object({{"id", String()},
                 {"batch_no", String()},
                 {"card_type_id", String()},
                 {"card_type_code", String()},
                 {"quantity", Integer()},
                 {"first_serial", String()},
                 {"last_serial", String()},
                 {"valid_until", DateTime()},
                 {"passwords_exported", Boolean()},
                 {"exported_at", Nullable(DateTime())},
                 {"created_at", DateTime()}},
                {"id", "batch_no", "card_type_id", "card_type_code", "quantity", "first_serial",
                 "last_serial", "valid_until", "passwords_exported", "exported_at", "created_at"});
}

Result<NewCardType> ReadNewType(const http::Request& request) {
  ANXIN_ASSIGN_OR_RETURN(http::JsonReader in, http::JsonReader::Parse(request));
  NewCardType t;
  auto code = in.String("code", {.required = true, .max_len = 20});
  auto name = in.String("name", {.required = true, .max_len = 100});
  auto prefix = in.String("serial_prefix", {.required = true, .max_len = 4});
  auto product = in.String("product_code", {.required = true, .max_len = 32});
  auto plans = in.StringList("plan_codes", {.required = true, .max_len = 32}, 20, true);
  auto default_plan = in.String("default_plan_code", {.required = true, .max_len = 32});
  std::optional<http::JsonReader> term = in.Object("term", true);
  std::optional<std::string> unit;
  std::optional<int64_t> value;
  if (term) {
    unit = term->Enum("unit", {"day", "month", "year"}, true);
    value = term->Int("value", {.required = true, .min = 1, .max = 100});
  }
  auto face = in.Int("face_value_fen", {.required = true, .min = 1, .max = kMaxFaceValueFen});
  auto validity = in.Int("validity_days", {.required = true, .min = 1, .max = 3660});
  auto rule = in.Enum("start_rule", {"next_day", "holder_choice"}, true);
  auto within = in.Int("start_within_days", {.required = false, .min = 0, .max = 365});
  ANXIN_RETURN_IF_ERROR(in.Finish());
  t.code = *code;
  t.name = *name;
  t.serial_prefix = *prefix;
  t.product_code = *product;
  t.plan_codes = *plans;
  t.default_plan_code = *default_plan;
  t.term_unit = ParseTermUnit(*unit).value_or(TermUnit::kYear);
  t.term_value = *value;
  t.face_value_fen = *face;
  t.validity_days = *validity;
  t.start_rule = ParseStartRule(*rule).value_or(StartRule::kNextDay);
  t.start_within_days = within.value_or(0);
  return t;
}

}  // namespace

void RegisterCardAdminRoutes(http::Router& router, CardAdminService& service) {
  router.Add(http::Route{
      .method = "POST",
      .pattern = "/api/v1/card-types",
      .permission = "card.type.manage",
      .summary = "Create a card type (单证类型) for a product, plans and term; head office only",
      .tag = "cards",
      .request_schema = NewTypeSchema(),
      .response_schema = TypeSchema(),
      .success_status = 201,
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(NewCardType t, ReadNewType(request));
        ANXIN_ASSIGN_OR_RETURN(CardType type, service.CreateType(ActorOf(request), t));
        return http::JsonResponse(201, TypeJson(type));
      },
  });

  router.Add(http::Route{
      .method = "GET",
      .pattern = "/api/v1/card-types",
      .permission = "card.read",
      .summary = "List the card types",
      .tag = "cards",
      .response_schema = ListOf(TypeSchema()),
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(std::vector<CardType> types, service.ListTypes(ActorOf(request)));
        return http::JsonResponse(200, {{"items", JsonArray(types, TypeJson)}});
      },
  });

  router.Add(http::Route{
      .method = "GET",
      .pattern = "/api/v1/card-types/{id}",
      .permission = "card.read",
      .summary = "Get a card type",
      .tag = "cards",
      .response_schema = TypeSchema(),
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(CardType type, service.GetType(ActorOf(request), request.path_params["id"]));
        return http::JsonResponse(200, TypeJson(type));
      },
  });

  router.Add(http::Route{
      .method = "PATCH",
      .pattern = "/api/v1/card-types/{id}",
      .permission = "card.type.manage",
      .summary = "Disable or re-enable a card type (a disabled type takes no new batches); head office only",
      .tag = "cards",
      .request_schema = Object({{"status", Enum({"active", "disabled"})}}, {"status"}),
      .response_schema = TypeSchema(),
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(http::JsonReader in, http::JsonReader::Parse(request));
        auto status = in.Enum("status", {"active", "disabled"}, true);
        ANXIN_RETURN_IF_ERROR(in.Finish());
        ANXIN_ASSIGN_OR_RETURN(CardType type,
                               service.SetTypeStatus(ActorOf(request), request.path_params["id"], *status));
        return http::JsonResponse(200, TypeJson(type));
      },
  });

  router.Add(http::Route{
      .method = "POST",
      .pattern = "/api/v1/card-batches",
      .permission = "card.batch.create",
      .summary =
          "Create a batch of up to 1,000,000 cards in stock at the head office, with 8-digit passwords",
      .tag = "cards",
      .request_schema =
          Object({{"card_type_id", String()}, {"quantity", Integer()}, {"valid_until", FullDate()}},
                 {"card_type_id", "quantity"}),
      .response_schema = BatchSchema(),
      .success_status = 201,
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(http::JsonReader in, http::JsonReader::Parse(request));
        auto type_id = in.String("card_type_id", {.required = true, .max_len = 40});
        auto quantity = in.Int("quantity", {.required = true, .min = 1, .max = kMaxBatchQuantity});
        auto valid_until = in.String("valid_until", {.required = false, .max_len = 10});
        std::optional<Date> until;
        if (valid_until) {
          Result<Date> date = ParseDate(*valid_until, "valid_until");
          if (date.ok()) {
            until = *date;
          } else {
            in.AddError("valid_until", "invalid_date",
                        {"日期无效，应为 YYYY-MM-DD", "invalid date; expected YYYY-MM-DD"});
          }
        }
        ANXIN_RETURN_IF_ERROR(in.Finish());
        ANXIN_ASSIGN_OR_RETURN(
            CardBatch batch, service.CreateBatch(ActorOf(request), NewCardBatch{*type_id, *quantity, until}));
        return http::JsonResponse(201, BatchJson(batch));
      },
  });

  router.Add(http::Route{
      .method = "GET",
      .pattern = "/api/v1/card-batches",
      .permission = "card.read",
      .summary = "List card batches, newest first; head office only",
      .tag = "cards",
      .response_schema = ListOf(BatchSchema()),
      .query_parameters = {"card_type_id", "limit"},
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        BatchFilter filter;
        filter.card_type_id = request.Query("card_type_id");
        ANXIN_ASSIGN_OR_RETURN(filter.limit, http::LimitParam(request, kDefaultBatchPage, kMaxBatchPage));
        ANXIN_ASSIGN_OR_RETURN(std::vector<CardBatch> batches, service.ListBatches(ActorOf(request), filter));
        return http::JsonResponse(200, {{"items", JsonArray(batches, BatchJson)}});
      },
  });

  router.Add(http::Route{
      .method = "GET",
      .pattern = "/api/v1/card-batches/{id}",
      .permission = "card.read",
      .summary = "Get a card batch; head office only",
      .tag = "cards",
      .response_schema = BatchSchema(),
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(CardBatch batch,
                               service.GetBatch(ActorOf(request), request.path_params["id"]));
        return http::JsonResponse(200, BatchJson(batch));
      },
  });

  router.Add(http::Route{
      .method = "GET",
      .pattern = "/api/v1/card-batches/{id}/passwords.csv",
      .permission = "card.batch.export",
      .summary =
          "Export a batch's card passwords once, as CSV (serial,password) for the card printer; a second "
          "export is refused (409 batch_already_exported)",
      .tag = "cards",
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(BatchPasswordExport out,
                               service.ExportPasswords(ActorOf(request), request.path_params["id"]));
        http::Response response;
        response.status = 200;
        response.content_type = "text/csv; charset=utf-8";
        response.body = std::move(out.csv);
        response.headers.emplace_back("Content-Disposition",
                                      "attachment; filename=\"" + out.file_name + "\"");
        response.headers.emplace_back("Cache-Control", "no-store");
        return response;
      },
  });
}

}  // namespace anxin::cards
