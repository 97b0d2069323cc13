#include "cards/card_activation_routes.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/crypto.hpp"
#include "http/body_spec.hpp"
#include "http/json_input.hpp"
#include "http/route_support.hpp"
#include "policies/policy.hpp"
#include "policies/policy_json.hpp"
#include "products/product.hpp"
#include "products/product_json.hpp"

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
constexpr const char* kLockDescription =
    "Guessing is slowed twice: 5 consecutive wrong passwords for one card number lock that number for "
    "30 minutes (a number no card has locks exactly like a real one), and more than 20 failures from one "
    "client address within 10 minutes block the address for 15 minutes. Both answer 429 "
    "`too_many_attempts` with `Retry-After` (seconds).";

// --- rendering ---

json OfferJson(const CardOffer& offer) {
  json plans = json::array();
  for (const products::Plan& plan : offer.plans) {
    plans.push_back({{"code", plan.code},
                     {"name_zh", plan.name_zh},
                     {"name_en", plan.name_en},
                     {"coverages", JsonArray(plan.coverages, products::CoverageJson)}});
  }
  const products::Product& p = offer.product;
  json age = {{"min_age", p.insurable_age.min_years}, {"max_age", p.insurable_age.max_years}};
  if (p.insurable_age.min_days) age["min_age_days"] = *p.insurable_age.min_days;
  return {
      {"serial", offer.serial},
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
      {"term", {{"unit", products::TermUnitName(offer.type.term_unit)}, {"value", offer.type.term_value}}},
      {"start_rule",
       {{"rule", kStartRules.Name(offer.start_rule)},
        {"earliest_start", FormatDate(offer.earliest_start)},
        {"latest_start", FormatDate(offer.latest_start)}}},
      {"insurable_age", std::move(age)},
      {"valid_until", FormatTimestamp(offer.valid_until)}};
}

json ActivationJson(const Activation& a) {
  const policies::Policy& policy = a.policy;
  return {{"policy_id", policy.id},
          {"policy_no", policy.policy_no},
          {"serial", a.serial},
          {"channel", kActivationChannels.Name(a.channel)},
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
          {"parties", JsonArray(policy.parties, policies::PartyJson)},
          {"coverages", policy.coverages}};
}

// "My card / my policy": the card, and its policy rendered as the activation answer renders it
// (the same parties and coverages), plus the policy's status.
json LookupJson(const CardLookup& lookup) {
  const Card& card = lookup.card;
  json out = {
      {"card",
       {{"serial", card.serial},
        {"status", CardStatusName(card.status)},
        {"status_label_zh", CardStatusLabelZh(card.status)},
        {"card_type_code", lookup.type.code},
        {"card_type_name", lookup.type.name},
        {"valid_until", FormatTimestamp(card.valid_until)},
        {"activated_at", lookup.activated_at ? json(FormatTimestamp(*lookup.activated_at)) : json(nullptr)}}},
      {"policy", nullptr}};
  if (lookup.activation) {
    json policy = ActivationJson(*lookup.activation);
    policy["status"] = policies::PolicyStatusName(lookup.activation->policy.status);
    out["policy"] = std::move(policy);
  }
  return out;
}

// --- request bodies ---

// The serial as printed: 2-4 letters (the card type's prefix), a 10-digit sequence and a Luhn
// check digit.
const http::StringField kSerialField{.required = true,
                                     .max_len = 15,
                                     .pattern = "^[A-Za-z]{2,4}[0-9]{11}$",
                                     .description =
                                         "card number: the card type's 2-4 letter prefix, a 10-digit "
                                         "sequence and a Luhn check digit (letters in any case)",
                                     .example = "ACC00000000018"};
const http::StringField kPasswordField{
    .required = true,
    .max_len = kMaxPasswordInput,
    .trim = false,
    .description = "the 8-digit password under the card's scratch-off panel",
    .example = "12345678"};

struct CredentialsBody {
  std::string serial;
  std::string password;
};

const http::BodySpec<CredentialsBody>& CredentialsSpec() {
  static const auto* spec = &(*new http::BodySpec<CredentialsBody>("A card's number and password."))
                                 .String("serial", &CredentialsBody::serial, kSerialField)
                                 .String("password", &CredentialsBody::password, kPasswordField);
  return *spec;
}

struct PersonBody {
  std::string name;
  IdType id_type = IdType::kResidentId;
  std::string id_number;
  std::optional<std::string> birth_date;
  std::optional<Sex> sex;
  std::optional<std::string> phone;
  std::optional<policies::Relationship> relationship;
  std::optional<int> share_percent;
};

// A person as the activation page enters one. `role` decides what is required: the holder's
// phone; the insured's relationship to the holder; a beneficiary's relationship to the insured
// and share.
enum class PersonRole { kHolder, kInsured, kBeneficiary };

http::BodySpec<PersonBody>* NewPersonSpec(PersonRole role) {
  auto* spec = new http::BodySpec<PersonBody>(
      "A person. For a resident ID, birth_date and sex may be left out (they are read from the number) "
      "and, when given, must agree with it.");
  spec->String("name", &PersonBody::name, {.required = true, .max_len = 50, .example = "张三"})
      .Enum("id_type", &PersonBody::id_type, kIdTypes, {.required = true})
      .String("id_number", &PersonBody::id_number,
              {.required = true, .max_len = 32, .example = "11010519491231002X"})
      .String("birth_date", &PersonBody::birth_date, {.max_len = 10, .format = "date"})
      .Enum("sex", &PersonBody::sex, kSexes, {})
      .String("phone", &PersonBody::phone,
              {.required = role == PersonRole::kHolder,
               .max_len = 20,
               .description = "mainland mobile number (the holder's is required: the policy is sent to it)",
               .example = "13800138000"});
  if (role != PersonRole::kHolder) {
    spec->Enum("relationship", &PersonBody::relationship, policies::kRelationships,
               {.required = true,
                .description = role == PersonRole::kInsured ? "the insured's relationship to the holder"
                                                            : "the beneficiary's relationship to the insured",
                .example = "spouse"});
  }
  if (role == PersonRole::kBeneficiary) {
    spec->Int(
        "share_percent", &PersonBody::share_percent,
        {.required = true, .min = 1, .max = 100, .description = "shares add up to 100", .example = 100});
  }
  return spec;
}

const http::BodySpec<PersonBody>& PersonSpec(PersonRole role) {
  static const auto* holder = NewPersonSpec(PersonRole::kHolder);
  static const auto* insured = NewPersonSpec(PersonRole::kInsured);
  static const auto* beneficiary = NewPersonSpec(PersonRole::kBeneficiary);
  switch (role) {
    case PersonRole::kHolder:
      return *holder;
    case PersonRole::kInsured:
      return *insured;
    case PersonRole::kBeneficiary:
      return *beneficiary;
  }
  return *holder;
}

struct ActivationBody {
  std::string serial;
  std::string password;
  std::string plan_code;
  std::optional<std::string> start_date;
  PersonBody holder;
  std::optional<PersonBody> insured;
  std::optional<bool> insured_is_holder;
  std::vector<PersonBody> beneficiaries;
  ActivationChannel channel = ActivationChannel::kWeb;
};

void AddActivationFields(http::BodySpec<ActivationBody>& spec) {
  spec.String("serial", &ActivationBody::serial, kSerialField)
      .String("password", &ActivationBody::password, kPasswordField)
      .String("plan_code", &ActivationBody::plan_code,
              {.required = true,
               .max_len = 32,
               .description = "one of the plans the card offers",
               .example = "A"})
      .String("start_date", &ActivationBody::start_date,
              {.max_len = 10,
               .format = "date",
               .description = "holder_choice cards: the first day of cover, within the card's start window"})
      .Object("holder", &ActivationBody::holder, PersonSpec(PersonRole::kHolder), {.required = true})
      .Object("insured", &ActivationBody::insured, PersonSpec(PersonRole::kInsured),
              {.description = "the insured, unless insured_is_holder"})
      .Bool("insured_is_holder", &ActivationBody::insured_is_holder,
            {.description = "true: the holder is the insured (leave insured out)"})
      .ObjectList("beneficiaries", &ActivationBody::beneficiaries, PersonSpec(PersonRole::kBeneficiary),
                  {.max_items = kMaxBeneficiaries, .description = "none: the legal heirs (法定)"})
      .Rule("Give `insured`, or set `insured_is_holder` to true and leave `insured` out.",
            [](const ActivationBody& body, JsonReader& in) {
              if (body.insured_is_holder.value_or(false)) {
                if (body.insured) {
                  in.AddError("insured", "not_allowed",
                              {"被保险人即投保人时不要填写被保险人",
                               "Leave out insured when the insured is the holder"});
                }
              } else if (!body.insured) {
                in.AddError(
                    "insured", "required",
                    {"请填写被保险人，或声明被保险人即投保人", "Give the insured, or set insured_is_holder"});
              }
            },
            {{"if",
              {{"properties", {{"insured_is_holder", {{"const", true}}}}},
               {"required", {"insured_is_holder"}}}},
             {"then", {{"properties", {{"insured", {{"type", "null"}}}}}}},
             {"else", {{"required", {"insured"}}, {"properties", {{"insured", {{"type", "object"}}}}}}}});
}

const http::BodySpec<ActivationBody>& ActivationSpec() {
  static const auto* spec = [] {
    auto* s = new http::BodySpec<ActivationBody>(
        "The activation page: the card, the plan, the start date (holder_choice cards), the holder, the "
        "insured and the beneficiaries.");
    AddActivationFields(*s);
    return s;
  }();
  return *spec;
}

const http::BodySpec<ActivationBody>& AssistedActivationSpec() {
  static const auto* spec = [] {
    auto* s = new http::BodySpec<ActivationBody>(
        "The activation page as a staff member enters it for the holder, who reads out the card's number "
        "and password, and the channel it came through.");
    AddActivationFields(*s);
    s->Enum(
        "channel", &ActivationBody::channel, kAssistedChannels,
        {.required = true, .description = "phone: the customer-service line; counter: at a counter (柜面)"});
    return s;
  }();
  return *spec;
}

// A date the spec checked (format "date").
Date SpecDate(const std::string& text) {
  Result<Date> date = ParseDate(text);
  return date.ok() ? *date : Date{};
}

PersonInput ToPerson(const PersonBody& body) {
  PersonInput person;
  person.name = body.name;
  person.id_type = body.id_type;
  person.id_number = body.id_number;
  if (body.birth_date) person.birth_date = SpecDate(*body.birth_date);
  person.sex = body.sex;
  person.phone = body.phone.value_or("");
  if (body.relationship) person.relationship = *body.relationship;
  if (body.share_percent) person.share_percent = *body.share_percent;
  return person;
}

ActivationRequest ToRequest(const ActivationBody& body) {
  ActivationRequest out;
  out.card = {body.serial, body.password};
  out.plan_code = body.plan_code;
  if (body.start_date) out.start_date = SpecDate(*body.start_date);
  out.holder = ToPerson(body.holder);
  if (body.insured && !body.insured_is_holder.value_or(false)) out.insured = ToPerson(*body.insured);
  for (const PersonBody& b : body.beneficiaries) out.beneficiaries.push_back(ToPerson(b));
  out.channel = body.channel;
  return out;
}

struct SimulatedSmsBody {
  std::string from;
  std::string text;
};

const http::BodySpec<SimulatedSmsBody>& SimulatedSmsSpec() {
  static const auto* spec =
      &(*new http::BodySpec<SimulatedSmsBody>("An SMS as the simulated phone sends it to the platform."))
           .String("from", &SimulatedSmsBody::from,
                   {.required = true,
                    .max_len = 20,
                    .description = "the sender's mobile number",
                    .example = "13800138000"})
           .String("text", &SimulatedSmsBody::text,
                   {.required = true,
                    .max_len = 500,
                    .description = "the message, e.g. `JH <卡号> <密码> <姓名> <身份证号>`",
                    .example = "JH ACC00000000018 12345678 张三 11010519491231002X"});
  return *spec;
}

// The SMS gateway's webhook body (JSON, signed over its exact bytes).
struct InboundSmsBody {
  std::string message_id;
  std::string from;
  std::string text;
  std::optional<std::string> received_at;
};

const http::BodySpec<InboundSmsBody>& InboundSmsSpec() {
  static const auto* spec =
      &(*new http::BodySpec<InboundSmsBody>("An SMS the gateway received for the platform."))
           .String("message_id", &InboundSmsBody::message_id,
                   {.required = true,
                    .max_len = 128,
                    .description = "the gateway's id of the message: a repeat is answered as a duplicate",
                    .example = "gw-20261201-0001"})
           .String("from", &InboundSmsBody::from,
                   {.required = true,
                    .max_len = 20,
                    .description = "the sender's mobile number",
                    .example = "13800138000"})
           .String("text", &InboundSmsBody::text,
                   {.required = true,
                    .max_len = 500,
                    .description = "the message, e.g. `JH <卡号> <密码> <姓名> <身份证号>`",
                    .example = "JH ACC00000000018 12345678 张三 11010519491231002X"})
           .String("received_at", &InboundSmsBody::received_at,
                   {.max_len = 40,
                    .format = "date-time",
                    .description = "when the gateway received it (RFC 3339)"});
  return *spec;
}

// --- OpenAPI schemas ---

json Described(json schema, const char* description) {
  schema["description"] = description;
  return schema;
}

json OfferSchema() {
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
                               {"coverages", Array(products::CoverageSchema())}},
                              {"code", "name_zh", "coverages"}))},
       {"default_plan_code", String()},
       {"premium_fen", Integer()},
       {"term",
        Object({{"unit", Enum(products::kTermUnits.Names())}, {"value", Integer()}}, {"unit", "value"})},
       {"start_rule", Object({{"rule", Enum(kStartRules.Names())},
                              {"earliest_start", FullDate()},
                              {"latest_start", FullDate()}},
                             {"rule", "earliest_start", "latest_start"})},
       {"insurable_age", Object({{"min_age", Integer()}, {"max_age", Integer()}, {"min_age_days", Integer()}},
                                {"min_age", "max_age"})},
       {"valid_until", DateTime()}},
      {"serial", "card_type", "product", "plans", "premium_fen", "term", "start_rule", "insurable_age",
       "valid_until"});
}

// The activation answer; `with_status` adds the policy's status (the look-up).
json ActivationSchema(bool with_status = false) {
  json properties = {
      {"policy_id", String()},
      {"policy_no", String()},
      {"serial", String()},
      {"channel", Described(Enum(kActivationChannels.Names()),
                            "who entered the activation: the holder (web, sms) or staff (phone, counter)")},
      {"product",
       Object({{"code", String()}, {"version", Integer()}, {"name_zh", String()}, {"name_en", String()}},
              {"code", "version", "name_zh"})},
      {"plan",
       Object({{"code", String()}, {"name_zh", String()}, {"name_en", String()}}, {"code", "name_zh"})},
      {"premium_fen", Integer()},
      {"start_date", FullDate()},
      {"end_date", FullDate()},
      {"issued_at", DateTime()},
      {"parties", Array(policies::PartySchema())},
      {"coverages", Array(products::CoverageSchema())}};
  std::vector<std::string> required = {"policy_id",   "policy_no",  "serial",   "channel", "product",  "plan",
                                       "premium_fen", "start_date", "end_date", "parties", "coverages"};
  if (with_status) {
    properties["status"] = policies::PolicyStatusSchema();
    required.emplace_back("status");
  }
  return Object(std::move(properties), required);
}

json LookupSchema() {
  json card = Object({{"serial", String()},
                      {"status", Enum(kCardStatuses.Names())},
                      {"status_label_zh", String()},
                      {"card_type_code", String()},
                      {"card_type_name", String()},
                      {"valid_until", DateTime()},
                      {"activated_at", Nullable(DateTime())}},
                     {"serial", "status", "card_type_code", "card_type_name", "valid_until", "activated_at"});
  return Object({{"card", card}, {"policy", Nullable(ActivationSchema(true))}}, {"card", "policy"});
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
      .description = kLockDescription,
      .tag = kTag,
      .request_schema = CredentialsSpec().Schema(),
      .response_schema = OfferSchema(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(CredentialsBody body, CredentialsSpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(CardOffer offer,
                               service.Verify(ActorOf(request), {body.serial, body.password}));
        return http::JsonResponse(200, OfferJson(offer));
      },
  });

  router.Add(http::Route{
      .method = "POST",
      .pattern = "/api/v1/card-activations/lookup",
      .access = http::Access::kPublic,
      .summary = "My card / my policy: with a card's number and password, show the card in any state and, "
                 "once activated, its policy (parties masked, coverages as in the activation answer)",
      .description = std::string("POST because the password is in the body. `policy` is null until the card "
                                 "is activated. ") +
                     kLockDescription,
      .tag = kTag,
      .request_schema = CredentialsSpec().Schema(),
      .response_schema = LookupSchema(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(CredentialsBody body, CredentialsSpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(CardLookup lookup,
                               service.Lookup(ActorOf(request), {body.serial, body.password}));
        return http::JsonResponse(200, LookupJson(lookup));
      },
  });

  router.Add(http::Route{
      .method = "POST",
      .pattern = "/api/v1/card-activations",
      .access = http::Access::kPublic,
      .summary = "Activate a card: with its number and password, the chosen plan, start date (holder_choice "
                 "cards) and the holder, insured and beneficiaries, issue the policy (no login; send an "
                 "Idempotency-Key to retry safely; 409 card_not_activatable when not awaiting activation)",
      .description = kLockDescription,
      .tag = kTag,
      .request_schema = ActivationSpec().Schema(),
      .response_schema = ActivationSchema(),
      .success_status = 201,
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(ActivationBody body, ActivationSpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(Activation done, service.Activate(ActorOf(request), ToRequest(body)));
        return http::JsonResponse(201, ActivationJson(done));
      },
  });

  router.Add(http::Route{
      .method = "POST",
      .pattern = "/api/v1/staff/card-activations",
      .access = http::Access::kPermission,
      .permission = std::string(kPermCardActivateAssist),
      .summary = "Activate a card on its holder's behalf (seed 000: customer-service phone, counter): the "
                 "activation body plus the channel; the holder reads out the card's number and password",
      .description =
          "Answers as `POST /api/v1/card-activations`. The card must be held in the caller's subtree "
          "(404 `not_found` otherwise; the head office covers every card). Wrong passwords count against "
          "the card number and against the staff member (not their office's address). The card's "
          "history, the policy's `channel` and the audit record name the channel and the staff member. "
          "Demo roles: cs_agent (`cs.hq`, head office), org_admin, system_admin.",
      .tag = kTag,
      .request_schema = AssistedActivationSpec().Schema(),
      .response_schema = ActivationSchema(),
      .success_status = 201,
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(ActivationBody body, AssistedActivationSpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(Activation done, service.ActivateForHolder(ActorOf(request), ToRequest(body)));
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
      .request_schema = InboundSmsSpec().Schema(),
      .response_schema = Object({{"status", Enum({"accepted"})},
                                 {"result", Enum({"activated", "rejected"})},
                                 {"code", String()},
                                 {"duplicate", Boolean()}},
                                {"status", "result", "code", "duplicate"}),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_RETURN_IF_ERROR(service.AuthenticateSms(request.Header("x-anxin-timestamp"),
                                                      request.Header("x-anxin-signature"), request.body));
        ANXIN_ASSIGN_OR_RETURN(InboundSmsBody body, InboundSmsSpec().Read(request));
        std::optional<int64_t> received_ms;
        if (body.received_at) {
          Result<int64_t> ms = ParseTimestamp(*body.received_at);  // the spec checked its format
          if (ms.ok()) received_ms = *ms;
        }
        ANXIN_ASSIGN_OR_RETURN(
            SmsOutcome outcome,
            service.HandleSms(ActorOf(request), {body.message_id, body.from, body.text, received_ms}));
        return http::JsonResponse(200, {{"status", "accepted"},
                                        {"result", outcome.activated ? "activated" : "rejected"},
                                        {"code", outcome.code},
                                        {"duplicate", outcome.duplicate}});
      },
  });
}

void RegisterSmsSimulatorInboundRoute(http::Router& router, CardActivationService& service,
                                      const notify::SmsSimulator& simulator) {
  router.Add(http::Route{
      .method = "POST",
      .pattern = "/api/v1/sms/simulator/inbound",
      .access = http::Access::kPermission,
      .permission = std::string(notify::kPermSmsSimulate),
      .summary = "SMS gateway simulator: send an SMS to the platform from a simulated phone and get the "
                 "platform's reply",
      .description = "The text is handled exactly as a signed inbound SMS on `POST /api/v1/sms/inbound` "
                     "(activation `JH <卡号> <密码> <姓名> <身份证号>`, throttled per sender); no gateway "
                     "secret is needed. `reply` is the SMS the platform answers with (also listed by "
                     "`GET /api/v1/sms/simulator/messages`). Only while no real SMS gateway is configured; "
                     "otherwise 404 `sms_simulator_off`. Demo roles: system_admin, org_admin.",
      .tag = "notify",
      .request_schema = SimulatedSmsSpec().Schema(),
      .response_schema = Object({{"reply", String()},
                                 {"result", Enum({"activated", "rejected"})},
                                 {"code", Described(String(), "activated, or the reason it was rejected")}},
                                {"reply", "result", "code"}),
      .handler = [&service, &simulator](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(SimulatedSmsBody body, SimulatedSmsSpec().Read(request));
        ANXIN_RETURN_IF_ERROR(simulator.CheckOn());
        ANXIN_ASSIGN_OR_RETURN(
            SmsOutcome outcome,
            service.HandleSms(ActorOf(request), {"sim-" + NewId(), body.from, body.text, {}}));
        return http::JsonResponse(200, {{"reply", outcome.reply},
                                        {"result", outcome.activated ? "activated" : "rejected"},
                                        {"code", outcome.code}});
      },
  });
}

}  // namespace anxin::cards
