#include "cards/card_admin_routes.hpp"

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

const http::QuerySpec<BatchFilter>& BatchQuerySpec() {
  static const auto* spec =
      &(*new http::QuerySpec<BatchFilter>())
           .Text("card_type_id", &BatchFilter::card_type_id,
                 {.max_len = 64, .description = "Only batches of this card type (its id)."})
           .Limit(&BatchFilter::limit, kDefaultBatchPage, kMaxBatchPage);
  return *spec;
}

json TypeJson(const CardType& t) {
  return {{"id", t.id},
          {"code", t.code},
          {"name", t.name},
          {"serial_prefix", t.serial_prefix},
          {"product_code", t.product_code},
          {"plan_codes", t.plan_codes},
          {"default_plan_code", t.default_plan_code},
          {"term", {{"unit", products::kTermUnits.Name(t.term_unit)}, {"value", t.term_value}}},
          {"face_value_fen", t.face_value.fen},
          {"validity_days", t.validity_days},
          {"start_rule", kStartRules.Name(t.start_rule)},
          {"start_within_days", t.start_within_days},
          {"status", kCardTypeStatuses.Name(t.status)},
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
  return Object({{"unit", Enum(products::kTermUnits.Names())}, {"value", Integer()}}, {"unit", "value"});
}

json TypeSchema() {
  return Object(
      {{"id", String()},
       {"code", String()},
       {"name", String()},
       {"serial_prefix",
        {{"type", "string"}, {"description", "the 2-4 letters every serial of the type starts with"}}},
       {"product_code", String()},
       {"plan_codes", Array(String())},
       {"default_plan_code", String()},
       {"term", TermSchema()},
       {"face_value_fen", Integer()},
       {"validity_days", Integer()},
       {"start_rule", Enum(kStartRules.Names())},
       {"start_within_days", Integer()},
       {"status", Enum(kCardTypeStatuses.Names())},
       {"created_at", DateTime()}},
      {"id", "code", "name", "serial_prefix", "product_code", "plan_codes", "default_plan_code", "term",
       "face_value_fen", "validity_days", "start_rule", "start_within_days", "status", "created_at"});
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

// --- Request bodies (one declaration each: validation and schema) -----------------------------

constexpr int64_t kMaxTermValue = 100;
constexpr int64_t kMaxValidityDays = 3660;
constexpr int64_t kMaxStartWithinDays = 365;
constexpr size_t kMaxPlans = 20;

struct TermBody {
  TermUnit unit = TermUnit::kYear;
  int64_t value = 1;
};

const http::BodySpec<TermBody>& TermSpec() {
  static const auto* spec =
      &(*new http::BodySpec<TermBody>(
            "The term of the policy a card of the type issues; the product must offer it."))
           .Enum("unit", &TermBody::unit, products::kTermUnits, {.required = true, .example = "year"})
           .Int("value", &TermBody::value, {.required = true, .min = 1, .max = kMaxTermValue, .example = 1});
  return *spec;
}

struct NewTypeBody {
  std::string code;
  std::string name;
  std::string serial_prefix;
  std::string product_code;
  std::vector<std::string> plan_codes;
  std::string default_plan_code;
  TermBody term;
  int64_t face_value_fen = 0;
  int64_t validity_days = 365;
  StartRule start_rule = StartRule::kNextDay;
  int64_t start_within_days = 0;
};

NewCardType ToNewType(NewTypeBody body) {
  return NewCardType{.code = std::move(body.code),
                     .name = std::move(body.name),
                     .serial_prefix = std::move(body.serial_prefix),
                     .product_code = std::move(body.product_code),
                     .plan_codes = std::move(body.plan_codes),
                     .default_plan_code = std::move(body.default_plan_code),
                     .term_unit = body.term.unit,
                     .term_value = body.term.value,
                     .face_value_fen = body.face_value_fen,
                     .validity_days = body.validity_days,
                     .start_rule = body.start_rule,
                     .start_within_days = body.start_within_days};
}

const http::BodySpec<NewTypeBody>& NewTypeSpec() {
  static const auto* spec = [] {
    auto* s = new http::BodySpec<NewTypeBody>(
        "A card type (单证类型): the product and plans its cards offer, the term, the face value, how long "
        "unsold cards stay valid and when cover starts.");
    s->String("code", &NewTypeBody::code,
              {.required = true,
               .max_len = 20,
               .pattern = "^[A-Z0-9]{2,20}$",
               .description = "2-20 upper-case letters or digits; unique",
               .example = "ACC2"})
        .String("name", &NewTypeBody::name, {.required = true, .max_len = 100, .example = "意外险卡"})
        .String("serial_prefix", &NewTypeBody::serial_prefix,
                {.required = true,
                 .max_len = 4,
                 .pattern = "^[A-Z]{2,4}$",
                 .description = "2-4 upper-case letters, unique: every serial of the type is this prefix, a "
                                "10-digit sequence and a Luhn check digit (ACC00000000018)",
                 .example = "ACX"})
        .String("product_code", &NewTypeBody::product_code,
                {.required = true, .max_len = 32, .description = "a product on sale today", .example = "ACC"})
        .StringList("plan_codes", &NewTypeBody::plan_codes,
                    {.required = true,
                     .max_items = kMaxPlans,
                     .item = {.max_len = 32, .example = "A"},
                     .description = "the product's plans a holder may choose from, without repeats"})
        .String("default_plan_code", &NewTypeBody::default_plan_code,
                {.required = true,
                 .max_len = 32,
                 .description = "one of plan_codes: the plan of an SMS activation",
                 .example = "A"})
        .Object("term", &NewTypeBody::term, TermSpec(), {.required = true})
        .Int("face_value_fen", &NewTypeBody::face_value_fen,
             {.required = true,
              .min = 1,
              .max = kMaxFaceValueFen,
              .description = "the price printed on the card, in fen",
              .example = 9900})
        .Int("validity_days", &NewTypeBody::validity_days,
             {.required = true,
              .min = 1,
              .max = kMaxValidityDays,
              .description = "days a new batch's cards stay activatable (a batch may set its own date)",
              .example = 365})
        .Enum("start_rule", &NewTypeBody::start_rule, kStartRules,
              {.required = true,
               .description =
                   "next_day: cover starts the day after activation; holder_choice: the holder picks "
                   "a day within start_within_days"})
        .Int("start_within_days", &NewTypeBody::start_within_days,
             {.min = 0,
              .max = kMaxStartWithinDays,
              .description = "holder_choice: 1-365; next_day: 0 or absent"})
        .Rule(
            "With holder_choice, start_within_days is 1-365; with next_day it is 0 or absent.",
            [](const NewTypeBody& t, http::JsonReader& in) {
              if (t.start_rule == StartRule::kHolderChoice && t.start_within_days < 1) {
                in.AddError("start_within_days", "out_of_range",
                            {"自选起保日期的天数应在1至365之间",
                             "start_within_days must be 1..365 with holder_choice"});
              } else if (t.start_rule == StartRule::kNextDay && t.start_within_days != 0) {
                in.AddError("start_within_days", "out_of_range",
                            {"次日起保时该值应为0", "start_within_days must be 0 with next_day"});
              }
            },
            {{"if",
              {{"properties", {{"start_rule", {{"const", "holder_choice"}}}}}, {"required", {"start_rule"}}}},
             {"then",
              {{"required", {"start_within_days"}},
               {"properties", {{"start_within_days", {{"type", "integer"}, {"minimum", 1}}}}}}},
             {"else", {{"properties", {{"start_within_days", {{"enum", {0, nullptr}}}}}}}}});
    return s;
  }();
  return *spec;
}

struct TypeStatusBody {
  CardTypeStatus status = CardTypeStatus::kActive;
};

const http::BodySpec<TypeStatusBody>& TypeStatusSpec() {
  static const auto* spec = &(*new http::BodySpec<TypeStatusBody>())
                                 .Enum("status", &TypeStatusBody::status, kCardTypeStatuses,
                                       {.required = true, .description = "disabled: no new batches"});
  return *spec;
}

struct NewBatchBody {
  std::string card_type_id;
  int64_t quantity = 0;
  std::optional<std::string> valid_until;
};

const http::BodySpec<NewBatchBody>& NewBatchSpec() {
  static const auto* spec =
      &(*new http::BodySpec<NewBatchBody>("A batch of cards of one active card type."))
           .String("card_type_id", &NewBatchBody::card_type_id, {.required = true, .max_len = 40})
           .Int("quantity", &NewBatchBody::quantity,
                {.required = true, .min = 1, .max = kMaxBatchQuantity, .example = 100})
           .String("valid_until", &NewBatchBody::valid_until,
                   {.max_len = 10,
                    .format = "date",
                    .description = "the last day the cards may be activated: after today, within 10 years "
                                   "(default: today + the type's validity_days)"});
  return *spec;
}

}  // namespace

void RegisterCardAdminRoutes(http::Router& router, CardAdminService& service) {
  router.Add(http::Route{
      .method = "POST",
      .pattern = "/api/v1/card-types",
      .permission = "card.type.manage",
      .summary = "Create a card type (单证类型) for a product, plans and term; head office only",
      .tag = "cards",
      .request_schema = NewTypeSpec().Schema(),
      .response_schema = TypeSchema(),
      .success_status = 201,
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(NewTypeBody body, NewTypeSpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(CardType type,
                               service.CreateType(ActorOf(request), ToNewType(std::move(body))));
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
      .request_schema = TypeStatusSpec().Schema(),
      .response_schema = TypeSchema(),
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(TypeStatusBody body, TypeStatusSpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(
            CardType type, service.SetTypeStatus(ActorOf(request), request.path_params["id"], body.status));
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
      .request_schema = NewBatchSpec().Schema(),
      .response_schema = BatchSchema(),
      .success_status = 201,
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(NewBatchBody body, NewBatchSpec().Read(request));
        std::optional<Date> until;
        if (body.valid_until) {
          Result<Date> date = ParseDate(*body.valid_until);  // the spec checked its format
          if (date.ok()) until = *date;
        }
        ANXIN_ASSIGN_OR_RETURN(
            CardBatch batch,
            service.CreateBatch(ActorOf(request), NewCardBatch{body.card_type_id, body.quantity, until}));
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
      .query_parameters = BatchQuerySpec().Parameters(),
      .handler = [&service](http::Request& request) -> Result<http::Response> {
        ANXIN_ASSIGN_OR_RETURN(BatchFilter filter, BatchQuerySpec().Read(request));
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
      .content_types = {"text/csv"},
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
