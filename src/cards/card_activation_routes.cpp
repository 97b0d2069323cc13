#include "cards/card_activation_routes.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/json_input.hpp"
#include "http/route_support.hpp"
#include "policies/policy.hpp"
#include "products/product.hpp"

namespace anxin::cards {
namespace {

using http::ActorOf;
using http::JsonArray;
using http::JsonReader;
using http::Request;
using http::Response;
using http::schema::Array;
using http::schema::Boolean;
using http::schema::DateTime;
using http::schema::Enum;
using http::schema::FullDate;
using http::schema::Integer;
using http::schema::Nullable;
using http::schema::Object;
using http::schema::String;
using nlohmann::json;

constexpr const char* kTag = "card-activation";
constexpr size_t kMaxBeneficiaries = 10;
constexpr size_t kMaxPasswordInput = 64;

const std::vector<std::string> kIdTypes = {"resident_id",         "hk_macau_id",   "taiwan_id",
                                           "hk_macau_permit",     "taiwan_permit", "passport",
                                           "foreign_permanent_id"};
const std::vector<std::string> kRelationships = {"self", "spouse", "child", "parent", "other"};

// --- rendering ---

std::string_view StartRuleName(StartRule rule) {
  return rule == StartRule::kHolderChoice ? "holder_choice" : "next_day";
}

std::string_view CardTermUnitName(TermUnit unit) {
  switch (unit) {
    case TermUnit::kDay:
      return "day";
    case TermUnit::kMonth:
      return "month";
    case TermUnit::kYear:
      return "year";
  }
  return "year";
}

json CoverageJson(const products::Coverage& c) {
  return {{"code", c.code},
          {"name_zh", c.name_zh},
          {"name_en", c.name_en},
          {"liability_zh", c.liability_zh},
          {"liability_en", c.liability_en},
          {"sum_insured_fen", c.sum_insured ? json(c.sum_insured->fen) : json(nullptr)},
          {"deductible_fen", c.deductible.fen},
          {"copay_percent", c.copay_percent},
          {"waiting_period_days", c.waiting_period_days}};
}

json OfferJson(const CardOffer& offer) {
  json plans = json::array();
  for (const products::Plan& plan : offer.plans) {
    plans.push_back({{"code", plan.code},
                     {"name_zh", plan.name_zh},
                     {"name_en", plan.name_en},
                     {"coverages", JsonArray(plan.coverages, CoverageJson)}});
  }
  const products::Product& p = offer.product;
  json age = {{"min_age", p.insurable_age.min_years}, {"max_age", p.insurable_age.max_years}};
  if (p.insurable_age.min_days) age["min_age_days"] = *p.insurable_age.min_days;
  return {{"serial", offer.serial},
          {"card_type", {{"code", offer.type.code}, {"name", offer.type.name}}},
          {"product",
           {{"code", p.code},
            {"version", p.version},
            {"name_zh", p.name_zh},
            {"name_en", p.name_en},
            {"line_of_business", products::LineOfBusinessName(p.line_of_business)},
            {"description_zh", p.description_zh},
            {"description_en", p.description_en}}},
          {"plans", std::move(plans)},
          {"default_plan_code", offer.type.default_plan_code},
          {"premium_fen", offer.premium.fen},
          {"term", {{"unit", CardTermUnitName(offer.type.term_unit)}, {"value", offer.type.term_value}}},
          {"start_rule",
           {{"rule", StartRuleName(offer.start_rule)},
            {"earliest_start", FormatDate(offer.earliest_start)},
            {"latest_start", FormatDate(offer.latest_start)}}},
          {"insurable_age", std::move(age)},
          {"valid_until", FormatTimestamp(offer.valid_until)}};
}

std::string_view RoleName(policies::PartyRole role) {
  switch (role) {
    case policies::PartyRole::kHolder:
      return "holder";
    case policies::PartyRole::kInsured:
      return "insured";
    case policies::PartyRole::kBeneficiary:
      return "beneficiary";
  }
  return "holder";
}

json ActivationJson(const Activation& a) {
  const policies::Policy& policy = a.policy;
  json parties = json::array();
  for (const policies::PartyView& party : policy.parties) {
    parties.push_back({{"role", RoleName(party.role)},
                       {"name", party.name},  // masked by the policy service
                       {"id_type", party.id_type},
                       {"id_number", party.id_number},
                       {"birth_date", party.birth_date},
                       {"sex", party.sex},
                       {"phone", party.phone},
                       {"relationship", party.relationship},
                       {"share_percent", party.share_percent}});
  }
  return {{"policy_id", policy.id},
          {"policy_no", policy.policy_no},
          {"serial", a.serial},
          {"product",
           {{"code", policy.product_code},
            {"version", policy.product_version},
            {"name_zh", a.product_name_zh},
            {"name_en", a.product_name_en}}},
          {"plan", {{"code", policy.plan_code}, {"name_zh", a.plan_name_zh}, {"name_en", a.plan_name_en}}},
          {"premium_fen", policy.premium.fen},
          {"start_date", FormatDate(policy.start_date)},
          {"end_date", FormatDate(policy.end_date)},
          {"issued_at", FormatTimestamp(policy.issued_at)},
          {"parties", std::move(parties)},
          {"coverages", policy.coverages}};
}

// --- parsing ---

// Reads a person object. `role` decides what is required: the holder's phone; the insured's
// relationship to the holder; a beneficiary's relationship to the insured and share.
enum class PersonRole { kHolder, kInsured, kBeneficiary };

PersonInput ReadPerson(JsonReader& in, PersonRole role) {
  PersonInput person;
  auto name = in.String("name", {.required = true, .max_len = 50});
  auto id_type = in.Enum("id_type", kIdTypes, true);
  auto id_number = in.String("id_number", {.required = true, .max_len = 32});
  auto birth_date = in.String("birth_date", {.max_len = 10});
  auto sex = in.Enum("sex", {"male", "female"}, false);
  auto phone = in.String("phone", {.required = role == PersonRole::kHolder, .max_len = 20});
  std::optional<std::string> relationship;
  if (role != PersonRole::kHolder) relationship = in.Enum("relationship", kRelationships, true);
  std::optional<int64_t> share;
  if (role == PersonRole::kBeneficiary)
    share = in.Int("share_percent", {.required = true, .min = 1, .max = 100});

  if (name) person.name = *name;
  if (id_type) person.id_type = ParseIdType(*id_type).value_or(IdType::kResidentId);
  if (id_number) person.id_number = *id_number;
  if (birth_date) {
    Result<Date> date = ParseDate(*birth_date);
    if (date.ok()) {
      person.birth_date = *date;
    } else {
      in.AddError("birth_date", "invalid_date",
                  {"日期无效，应为 YYYY-MM-DD", "Invalid date; expected YYYY-MM-DD"});
    }
  }
  if (sex) person.sex = products::ParseSex(*sex);
  if (phone) person.phone = *phone;
  if (relationship) person.relationship = *relationship;
  if (share) person.share_percent = static_cast<int>(*share);
  return person;
}

Result<ActivationRequest> ReadActivation(const Request& request) {
  ANXIN_ASSIGN_OR_RETURN(JsonReader in, JsonReader::Parse(request));
  ActivationRequest out;
  auto serial = in.String("serial", {.required = true, .max_len = 32});
  auto password = in.String("password", {.required = true, .max_len = kMaxPasswordInput, .trim = false});
  auto plan_code = in.String("plan_code", {.required = true, .max_len = 32});
  auto start_date = in.String("start_date", {.max_len = 10});
  if (std::optional<JsonReader> holder = in.Object("holder", true))
    out.holder = ReadPerson(*holder, PersonRole::kHolder);
  std::optional<bool> insured_is_holder = in.Bool("insured_is_holder", false);
  std::optional<JsonReader> insured = in.Object("insured", false);
  if (insured_is_holder.value_or(false)) {
    if (insured) {
      in.AddError("insured", "not_allowed",
                  {"被保险人即投保人时不要填写被保险人", "Leave out insured when the insured is the holder"});
    }
  } else if (insured) {
    out.insured = ReadPerson(*insured, PersonRole::kInsured);
  } else if (in.json().contains("insured") == false || in.json().at("insured").is_null()) {
    in.AddError("insured", "required",
                {"请填写被保险人，或声明被保险人即投保人", "Give the insured, or set insured_is_holder"});
  }

  if (const json* list = in.Raw("beneficiaries"); list != nullptr && !list->is_null()) {
    if (!list->is_array()) {
      in.AddError("beneficiaries", "wrong_type", {"应为数组", "Must be an array"});
    } else if (list->size() > kMaxBeneficiaries) {
      in.AddError("beneficiaries", "too_many_items", {"最多 10 位受益人", "At most 10 beneficiaries"});
    } else {
      for (size_t i = 0; i < list->size(); ++i) {
        const std::string path = "beneficiaries[" + std::to_string(i) + "]";
        const json& item = (*list)[i];
        if (!item.is_object()) {
          in.AddError(path, "wrong_type", {"应为对象", "Must be an object"});
          continue;
        }
        JsonReader child(item, path);
        out.beneficiaries.push_back(ReadPerson(child, PersonRole::kBeneficiary));
        Status checked = child.Finish();
        for (const FieldError& f : checked.fields()) in.AddError(f.field, f.code, f.message);
      }
    }
  }
  ANXIN_RETURN_IF_ERROR(in.Finish());

  out.card = {*serial, *password};
  out.plan_code = *plan_code;
  if (start_date) {
    Result<Date> date = ParseDate(*start_date, "start_date");
    if (!date.ok()) return std::move(date).take_status();
    out.start_date = *date;
  }
  return out;
}

// --- OpenAPI schemas ---

json PersonSchema(PersonRole role) {
  json props = {{"name", String(50)},       {"id_type", Enum(kIdTypes)},       {"id_number", String(32)},
                {"birth_date", FullDate()}, {"sex", Enum({"male", "female"})}, {"phone", String(20)}};
  std::vector<std::string> required = {"name", "id_type", "id_number"};
  if (role == PersonRole::kHolder) required.emplace_back("phone");
  if (role != PersonRole::kHolder) {
    props["relationship"] = Enum(kRelationships);
    required.emplace_back("relationship");
  }
  if (role == PersonRole::kBeneficiary) {
    props["share_percent"] = {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}};
    required.emplace_back("share_percent");
  }
  return Object(std::move(props), required);
}

json CredentialsSchema() {
  return Object({{"serial", String(32)}, {"password", String(kMaxPasswordInput)}}, {"serial", "password"});
}

json OfferSchema() {
  json coverage = Object({{"code", String()},
                          {"name_zh", String()},
                          {"name_en", String()},
                          {"liability_zh", String()},
                          {"liability_en", String()},
                          {"sum_insured_fen", Nullable(Integer())},
                          {"deductible_fen", Integer()},
                          {"copay_percent", Integer()},
                          {"waiting_period_days", Integer()}},
                         {"code", "name_zh", "sum_insured_fen", "deductible_fen", "waiting_period_days"});
  return Object(
      {{"serial", String()},
       {"card_type", Object({{"code", String()}, {"name", String()}}, {"code", "name"})},
       {"product", Object({{"code", String()},
                           {"version", Integer()},
                           {"name_zh", String()},
                           {"name_en", String()},
                           {"line_of_business", String()},
                           {"description_zh", String()},
                           {"description_en", String()}},
                          {"code", "version", "name_zh", "line_of_business"})},
       {"plans", Array(Object({{"code", String()},
                               {"name_zh", String()},
                               {"name_en", String()},
                               {"coverages", Array(coverage)}},
                              {"code", "name_zh", "coverages"}))},
       {"default_plan_code", String()},
       {"premium_fen", Integer()},
       {"term", Object({{"unit", Enum({"day", "month", "year"})}, {"value", Integer()}}, {"unit", "value"})},
       {"start_rule", Object({{"rule", Enum({"next_day", "holder_choice"})},
                              {"earliest_start", FullDate()},
                              {"latest_start", FullDate()}},
                             {"rule", "earliest_start", "latest_start"})},
       {"insurable_age", Object({{"min_age", Integer()}, {"max_age", Integer()}, {"min_age_days", Integer()}},
                                {"min_age", "max_age"})},
       {"valid_until", DateTime()}},
      {"serial", "card_type", "product", "plans", "premium_fen", "term", "start_rule", "insurable_age",
       "valid_until"});
}

json ActivationRequestSchema() {
  json props = {{"serial", String(32)},
                {"password", String(kMaxPasswordInput)},
                {"plan_code", String(32)},
                {"start_date", FullDate()},
                {"holder", PersonSchema(PersonRole::kHolder)},
                {"insured", PersonSchema(PersonRole::kInsured)},
                {"insured_is_holder", Boolean()},
                {"beneficiaries", Array(PersonSchema(PersonRole::kBeneficiary))}};
  return Object(std::move(props), {"serial", "password", "plan_code", "holder"});
}

json ActivationSchema() {
  json party = Object({{"role", Enum({"holder", "insured", "beneficiary"})},
                       {"name", String()},
                       {"id_type", String()},
                       {"id_number", String()},
                       {"birth_date", FullDate()},
                       {"sex", String()},
                       {"phone", String()},
                       {"relationship", String()},
                       {"share_percent", Integer()}},
                      {"role", "name", "id_type", "id_number"});
  return Object(
      {{"policy_id", String()},
       {"policy_no", String()},
       {"serial", String()},
       {"product",
        Object({{"code", String()}, {"version", Integer()}, {"name_zh", String()}, {"name_en", String()}},
               {"code", "version", "name_zh"})},
       {"plan",
        Object({{"code", String()}, {"name_zh", String()}, {"name_en", String()}}, {"code", "name_zh"})},
       {"premium_fen", Integer()},
       {"start_date", FullDate()},
       {"end_date", FullDate()},
       {"issued_at", DateTime()},
       {"parties", Array(party)},
       {"coverages", Array({{"type", "object"}})}},
      {"policy_id", "policy_no", "serial", "product", "plan", "premium_fen", "start_date", "end_date",
       "parties"});
}

}  // namespace

void RegisterCardActivationRoutes(http::Router& router, CardActivationService& service) {
  router.Add(http::Route{
      .method = "POST",
      .pattern = "/api/v1/card-activations/verify",
      .access = http::Access::kPublic,
      .summary =
          "Card login verification: check a card's number and password and return the product, "
          "plans, face value and start rule it offers (no login; a wrong number and a wrong password "
          "answer the same 403 invalid_card_credentials; 429 too_many_attempts after repeated failures)",
      .tag = kTag,
      .request_schema = CredentialsSchema(),
      .response_schema = OfferSchema(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(JsonReader in, JsonReader::Parse(request));
        auto serial = in.String("serial", {.required = true, .max_len = 32});
        auto password =
            in.String("password", {.required = true, .max_len = kMaxPasswordInput, .trim = false});
        ANXIN_RETURN_IF_ERROR(in.Finish());
        ANXIN_ASSIGN_OR_RETURN(CardOffer offer, service.Verify(ActorOf(request), {*serial, *password}));
        return http::JsonResponse(200, OfferJson(offer));
      },
  });

  router.Add(http::Route{
      .method = "POST",
      .pattern = "/api/v1/card-activations",
      .access = http::Access::kPublic,
      .summary = "Activate a card: with its number and password, the chosen plan, start date (holder_choice "
                 "cards) and the holder, insured and beneficiaries, issue the policy (no login; send an "
                 "Idempotency-Key to retry safely; 409 card_not_activatable when not awaiting activation)",
      .tag = kTag,
      .request_schema = ActivationRequestSchema(),
      .response_schema = ActivationSchema(),
      .success_status = 201,
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(ActivationRequest activation, ReadActivation(request));
        ANXIN_ASSIGN_OR_RETURN(Activation done, service.Activate(ActorOf(request), activation));
        return http::JsonResponse(201, ActivationJson(done));
      },
  });

  router.Add(http::Route{
      .method = "POST",
      .pattern = "/api/v1/sms/inbound",
      .access = http::Access::kPublic,
      .summary =
          "SMS gateway webhook: activate a card by SMS `JH <卡号> <密码> <姓名> <身份证号>` (JH = 激活, any "
          "case; fields separated by spaces, full-width spaces accepted; the sender is holder and "
          "insured, default plan, earliest start). Signed: X-Anxin-Timestamp (Unix seconds, within 5 "
          "minutes) and X-Anxin-Signature = hex HMAC-SHA256(secret, timestamp + \".\" + body); 401 "
          "otherwise. Idempotent by message_id. Business outcomes answer 200 and are replied to the "
          "sender by SMS",
      .tag = kTag,
      .request_schema = Object({{"message_id", String(128)},
                                {"from", String(20)},
                                {"text", String(500)},
                                {"received_at", DateTime()}},
                               {"message_id", "from", "text"}),
      .response_schema = Object({{"status", Enum({"accepted"})},
                                 {"result", Enum({"activated", "rejected"})},
                                 {"code", String()},
                                 {"duplicate", Boolean()}},
                                {"status", "result", "code", "duplicate"}),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_RETURN_IF_ERROR(service.AuthenticateSms(request.Header("x-anxin-timestamp"),
                                                      request.Header("x-anxin-signature"), request.body));
        ANXIN_ASSIGN_OR_RETURN(JsonReader in, JsonReader::Parse(request));
        auto message_id = in.String("message_id", {.required = true, .max_len = 128});
        auto from = in.String("from", {.required = true, .max_len = 20});
        auto text = in.String("text", {.required = true, .max_len = 500});
        auto received_at = in.String("received_at", {.max_len = 40});
        std::optional<int64_t> received_ms;
        if (received_at) {
          Result<int64_t> ms = ParseTimestamp(*received_at);
          if (ms.ok()) {
            received_ms = *ms;
          } else {
            in.AddError("received_at", "invalid_format",
                        {"时间格式无效（RFC 3339）", "Invalid RFC 3339 timestamp"});
          }
        }
        ANXIN_RETURN_IF_ERROR(in.Finish());
        ANXIN_ASSIGN_OR_RETURN(SmsOutcome outcome,
                               service.HandleSms(ActorOf(request), {*message_id, *from, *text, received_ms}));
        return http::JsonResponse(200, {{"status", "accepted"},
                                        {"result", outcome.activated ? "activated" : "rejected"},
                                        {"code", outcome.code},
                                        {"duplicate", outcome.duplicate}});
      },
  });
}

}  // namespace anxin::cards
