#include "cards/card_admin_routes.hpp"

#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "cards/card_serial.hpp"
#include "http/json_input.hpp"

namespace anxin::cards {
namespace {

using nlohmann::json;

Actor ActorOf(const http::Request& request) {
  Actor actor;
  actor.principal = request.principal ? &*request.principal : nullptr;
  actor.request_id = request.request_id;
  actor.client_address = request.client_address;
  return actor;
}

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

json Str() { return {{"type", "string"}}; }
json Int() { return {{"type", "integer"}}; }
json Enum(std::vector<std::string> values) { return {{"type", "string"}, {"enum", std::move(values)}}; }
json ArrayOf(json items) { return {{"type", "array"}, {"items", std::move(items)}}; }
json Obj(json properties, std::vector<std::string> required) {
  return {{"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(required)}};
}
json TermSchema() {
  return Obj({{"unit", Enum({"day", "month", "year"})}, {"value", Int()}}, {"unit", "value"});
}

json TypeSchema() {
  return Obj(
      {{"id", Str()},
       {"code", Str()},
       {"name", Str()},
       {"serial_prefix", Str()},
       {"product_code", Str()},
       {"plan_codes", ArrayOf(Str())},
       {"default_plan_code", Str()},
       {"term", TermSchema()},
       {"face_value_fen", Int()},
       {"validity_days", Int()},
       {"start_rule", Enum({"next_day", "holder_choice"})},
       {"start_within_days", Int()},
       {"status", Enum({"active", "disabled"})},
       {"created_at", {{"type", "string"}, {"format", "date-time"}}}},
      {"id", "code", "name", "serial_prefix", "product_code", "plan_codes", "default_plan_code", "term",
       "face_value_fen", "validity_days", "start_rule", "start_within_days", "status", "created_at"});
}

json NewTypeSchema() {
  return Obj({{"code", Str()},
              {"name", Str()},
              {"serial_prefix", Str()},
              {"product_code", Str()},
              {"plan_codes", ArrayOf(Str())},
              {"default_plan_code", Str()},
              {"term", TermSchema()},
              {"face_value_fen", Int()},
              {"validity_days", Int()},
              {"start_rule", Enum({"next_day", "holder_choice"})},
              {"start_within_days", Int()}},
             {"code", "name", "serial_prefix", "product_code", "plan_codes", "default_plan_code", "term",
              "face_value_fen", "validity_days", "start_rule"});
}

json BatchSchema() {
  return Obj({{"id", Str()},
              {"batch_no", Str()},
              {"card_type_id", Str()},
              {"card_type_code", Str()},
              {"quantity", Int()},
              {"first_serial", Str()},
              {"last_serial", Str()},
              {"valid_until", {{"type", "string"}, {"format", "date-time"}}},
              {"passwords_exported", {{"type", "boolean"}}},
              {"exported_at", {{"type", json::array({"string", "null"})}, {"format", "date-time"}}},
              {"created_at", {{"type", "string"}, {"format", "date-time"}}}},
             {"id", "batch_no", "card_type_id", "card_type_code", "quantity", "first_serial", "last_serial",
              "valid_until", "passwords_exported", "exported_at", "created_at"});
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

std::optional<int> ParseLimit(const http::Request& request, std::vector<FieldError>& errors) {
  std::optional<std::string> text = request.Query("limit");
  if (!text) return std::nullopt;
  int v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < 1 || v > 500) {
    errors.push_back(
        {"limit", "out_of_range", {"limit 应为1至500的整数", "limit must be an integer 1..500"}});
    return std::nullopt;
  }
  return v;
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
      .response_schema = Obj({{"items", ArrayOf(TypeSchema())}}, {"items"}),
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(std::vector<CardType> types, service.ListTypes(ActorOf(request)));
        json items = json::array();
        for (const CardType& t : types) items.push_back(TypeJson(t));
        return http::JsonResponse(200, {{"items", std::move(items)}});
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
      .request_schema = Obj({{"status", Enum({"active", "disabled"})}}, {"status"}),
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
      .request_schema = Obj({{"card_type_id", Str()},
                             {"quantity", Int()},
                             {"valid_until", {{"type", "string"}, {"format", "date"}}}},
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
      .response_schema = Obj({{"items", ArrayOf(BatchSchema())}}, {"items"}),
      .query_parameters = {"card_type_id", "limit"},
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        std::vector<FieldError> errors;
        BatchFilter filter;
        filter.card_type_id = request.Query("card_type_id");
        filter.limit = ParseLimit(request, errors).value_or(100);
        if (!errors.empty()) return Status::Invalid(std::move(errors));
        ANXIN_ASSIGN_OR_RETURN(std::vector<CardBatch> batches, service.ListBatches(ActorOf(request), filter));
        json items = json::array();
        for (const CardBatch& b : batches) items.push_back(BatchJson(b));
        return http::JsonResponse(200, {{"items", std::move(items)}});
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
