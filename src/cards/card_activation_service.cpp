#include "cards/card_activation_service.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "cards/card_serial.hpp"
#include "common/access.hpp"
#include "notify/sms_sender.hpp"
#include "policies/policy_period.hpp"
#include "policies/policy_validation.hpp"
#include "products/product_json.hpp"
#include "products/product_pricing.hpp"
#include "storage/deferred.hpp"

namespace anxin::cards {
namespace {

using nlohmann::json;

// Compared against when the card does not exist, so a wrong number costs what a wrong password costs.
constexpr std::string_view kAbsentHash = "0000000000000000000000000000000000000000000000000000000000000000";
constexpr size_t kMaxPasswordLength = 64;
constexpr size_t kMaxCachedTypes = 1024;
// Civil Code Art. 17-18: a person has full capacity for civil acts, as a policyholder needs, at 18.
constexpr int kAdultAge = 18;

Status InvalidCredentials() {
  return {StatusCode::kPermissionDenied,
          "invalid_card_credentials",
          {"卡号或密码错误", "The card number or password is wrong"}};
}

Status TooManyAttempts() {
  return {StatusCode::kResourceExhausted,
          "too_many_attempts",
          {"尝试次数过多，请稍后再试", "Too many attempts; please try again later"}};
}

// kFailedPrecondition "card_not_activatable" for a card in `status`, saying why in the holder's words.
Status NotActivatable(CardStatus status) {
  Text why;
  switch (status) {
    case CardStatus::kInStock:
      why = {"该卡尚未售出，不能激活", "The card has not been sold"};
      break;
    case CardStatus::kSold:
      why = {"该卡尚未确认收费，暂不能激活", "Payment for the card has not been confirmed yet"};
      break;
    case CardStatus::kAwaitingActivation:
      why = {"该卡当前不能激活", "The card cannot be activated now"};
      break;
    case CardStatus::kActivated:
      why = {"该卡已激活，不能重复激活", "The card has already been activated"};
      break;
    case CardStatus::kVoided:
      why = {"该卡已作废", "The card has been voided"};
      break;
    case CardStatus::kFrozen:
      why = {"该卡已挂失", "The card has been reported lost"};
      break;
    case CardStatus::kExpired:
      why = {"该卡已过期", "The card has expired"};
      break;
  }
  std::string label(CardStatusLabelZh(status));
  return {
      StatusCode::kFailedPrecondition,
      "card_not_activatable",
      why,
      {FieldError{
          "card_status", std::string(CardStatusName(status)), {label, std::string(CardStatusName(status))}}}};
}

Status ProductNotAvailable() {
  return {StatusCode::kFailedPrecondition,
          "product_not_available",
          {"该卡对应的产品暂停销售，请联系客服", "The card's product is not on sale; please contact us"}};
}

// The sentinel a committed SMS activation returns when another delivery of the same message got
// there first: the transaction is rolled back and the stored outcome answered.
Status DuplicateSms() {
  return {StatusCode::kAlreadyExists, "sms_duplicate", {"短信已处理", "already handled"}};
}

json CoveragesSnapshot(const products::Plan& plan) {
  json out = json::array();
  for (const products::Coverage& c : plan.coverages) out.push_back(products::CoverageJson(c));
  return out;
}

// The relationship of the holder to the insured, given the insured's to the holder.
policies::Relationship Inverse(policies::Relationship relationship) {
  if (relationship == policies::Relationship::kChild) return policies::Relationship::kParent;
  if (relationship == policies::Relationship::kParent) return policies::Relationship::kChild;
  return relationship;
}

std::string LastDigits(const std::string& serial, size_t n) {
  return serial.size() <= n ? serial : serial.substr(serial.size() - n);
}

// The audit record of an activation (no personal data).
audit::AuditEntry ActivationAudit(const std::string& serial, const std::string& org_id,
                                  const std::string& policy_id, const std::string& policy_no,
                                  const policies::NewPolicy& policy, const std::string& channel,
                                  const std::string& entered_by) {
  return {"card.activate",
          "card",
          serial,
          org_id,
          {{"policy_id", policy_id},
           {"policy_no", policy_no},
           {"product_code", policy.product_code},
           {"product_version", policy.product_version},
           {"plan_code", policy.plan_code},
           {"premium_fen", policy.premium.fen},
           {"start_date", FormatDate(policy.start_date)},
           {"end_date", FormatDate(policy.end_date)},
           {"channel", channel},
           {"entered_by", entered_by}},
          "ok"};
}

// The SMS telling the holder their card is active.
notify::OutboundMessage ActivatedSms(const Card& card, const std::string& phone, const std::string& policy_id,
                                     const std::string& policy_no, const policies::NewPolicy& policy) {
  notify::OutboundMessage message;
  message.channel = "sms";
  message.recipient = phone;
  message.template_code = "card_activated";
  message.text = "【安心保险】您的保险卡尾号" + LastDigits(card.serial, 4) + "已激活，保单号" + policy_no +
                 "，保障期间" + FormatDate(policy.start_date) + "至" + FormatDate(policy.end_date) + "。";
  message.ref_type = notify::OutboxRefType::kPolicy;
  message.ref_id = policy_id;
  message.org_path = card.holder_org_path;
  return message;
}

// Splits `text` at ASCII white space and U+3000 (full-width space).
std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) words.push_back(std::move(current));
    current.clear();
  };
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      flush();
      ++i;
    } else if (text.substr(i, 3) == "\xE3\x80\x80") {  // U+3000
      flush();
      i += 3;
    } else {
      current.push_back(c);
      ++i;
    }
  }
  flush();
  return words;
}

// The reply to an activation SMS that failed for `reason_zh`.
std::string SmsRejectionText(const std::string& reason_zh) {
  return "【安心保险】激活失败：" + reason_zh + "。格式：JH 卡号 密码 姓名 身份证号";
}

// The Chinese reason of a failed SMS activation, for the reply.
std::string SmsReasonZh(const Status& status) {
  if (status.reason() == "validation_failed" && !status.fields().empty()) {
    const FieldError& f = status.fields().front();
    auto ends_with = [&](std::string_view suffix) {
      return f.field.size() >= suffix.size() &&
             f.field.compare(f.field.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (f.field == "serial") return "卡号格式不正确";
    if (f.field == "password") return "卡号或密码错误";
    if (f.code == "age_not_insurable") return "被保险人年龄不符合投保条件";
    if (f.code == "holder_not_adult") return "投保人须年满18周岁";
    if (ends_with("id_number") || ends_with("birth_date") || ends_with("sex")) return "身份证号码有误";
    if (ends_with("name")) return "姓名有误";
    return "投保信息有误";
  }
  return status.message().zh;
}

}  // namespace

std::optional<ActivationSms> ParseActivationSms(std::string_view text) {
  std::vector<std::string> words = SplitWords(text);
  if (words.size() != 5) return std::nullopt;
  std::string command = words[0];
  std::transform(command.begin(), command.end(), command.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (command != "JH") return std::nullopt;
  return ActivationSms{words[1], words[2], words[3], words[4]};
}

// A card whose number and password were checked, with its type.
struct CardActivationService::CheckedCard {
  std::string serial;
  std::string password_hash;  // the keyed hash the credentials produce
  Card card;
  CardType type;
  std::shared_ptr<const products::Product> product;  // on sale today, when asked for; null if none
};

// An activation validated and ready to commit: everything but the statements is done (the policy
// sealed with its id and number drawn, the audit record and the SMS built), so the transaction
// holds only database work.
struct CardActivationService::Prepared {
  CheckedCard checked;
  CardStatus next = CardStatus::kActivated;
  ActivationChannel channel = ActivationChannel::kWeb;
  std::string entered_by;  // the staff member's user id (phone, counter)
  std::string product_name_zh, product_name_en, plan_name_zh, plan_name_en;
  std::unique_ptr<policies::PreparedPolicy> policy;  // validated and sealed for the issuer
  std::string holder_phone;
  // The SMS under the policy number the issuer drew (built again inside should it draw another).
  notify::PreparedMessage message;
  std::string sms_text;
};

// The product and terms a card offers today.
struct CardActivationService::Terms {
  std::shared_ptr<const products::Product> product;  // the version on sale today
  std::vector<const products::Plan*> plans;          // into *product: the plans the card allows
  Date earliest_start;                               // the day after today
  Date latest_start;                                 // == earliest_start for next_day
};

CardActivationService::CardActivationService(storage::Database& db, CardStore& cards,
                                             CardActivationStore& store, products::ProductService& products,
                                             const policies::PolicyIssuer& issuer,
                                             const ledger::Ledger& ledger, const notify::Outbox& outbox,
                                             const KeyRing& keys, const Clock& clock,
                                             const audit::AuditLog& audit, CardActivationSettings settings)
    : db_(db),
      cards_(cards),
      store_(store),
      products_(products),
      issuer_(issuer),
      ledger_(ledger),
      outbox_(outbox),
      keys_(keys),
      clock_(clock),
      audit_(audit),
      settings_(std::move(settings)) {}

Result<CardActivationService::CheckedCard> CardActivationService::CheckPassword(
    const Actor& actor, const CardCredentials& credentials, const std::string& client, bool with_product) {
  ANXIN_ASSIGN_OR_RETURN(ParsedSerial parsed, ParseSerial(credentials.serial, "serial"));
  if (credentials.password.empty()) {
    return Status::InvalidField("password", "required", {"请输入密码", "Enter the password"});
  }
  if (credentials.password.size() > kMaxPasswordLength) {
    return Status::InvalidField("password", "too_long", {"密码过长", "The password is too long"});
  }
  CheckedCard checked;
  checked.serial = FormatSerial(parsed.prefix, parsed.seq);
  // The hashing happens here, before any transaction.
  checked.password_hash = keys_.LookupHash("card_password", checked.serial + ":" + credentials.password);
  const std::string client_key = keys_.LookupHash("client", client);
  const int64_t now = clock_.NowMs();

  // One read: one statement for the throttle, the card, its password hash and the number's
  // attempts; the card's type from the cache (what is read of a type never changes) or a statement;
  // and, when asked for and the password is right, the product on sale today (a statement, the
  // definition being cached), so a wrong password costs what a wrong number costs.
  CardActivationStore::CredentialState state;
  std::optional<CardType> type;
  const Date today = clock_.Today();
  ANXIN_RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(state, store_.FindCredentialState(tx, checked.serial, client_key));
    if (!state.card) return Status::Ok();
    type = CachedType(state.card->card_type_id);
    if (!type) {
      ANXIN_ASSIGN_OR_RETURN(type, cards_.FindType(tx, state.card->card_type_id));
      if (type) CacheType(*type);
    }
    if (!type || !with_product || !state.password_hash ||
        !ConstantTimeEquals(*state.password_hash, checked.password_hash)) {
      return Status::Ok();
    }
    Result<std::shared_ptr<const products::Product>> product =
        products_.GetSharedIn(tx, type->product_code, today);
    if (product.ok()) {
      checked.product = std::move(product).value();
    } else if (product.status().code() != StatusCode::kNotFound) {
      return std::move(product).take_status();
    }
    return Status::Ok();
  }));
  const std::optional<ClientThrottle>& throttle = state.throttle;
  std::optional<Card>& card = state.card;
  const std::optional<std::string>& stored_hash = state.password_hash;
  const CardAttempts& attempts = state.attempts;

  if (throttle && throttle->blocked_until > now) {
    return TooManyAttempts().WithRetryAfter(std::chrono::milliseconds(throttle->blocked_until - now));
  }
  const bool password_ok =
      ConstantTimeEquals(stored_hash.value_or(std::string(kAbsentHash)), checked.password_hash) && card &&
      type;
  // The lock is kept per card number, so a number no card has locks exactly like a real one.
  if (attempts.locked_until > now) {
    ANXIN_RETURN_IF_ERROR(RecordFailure(actor, client_key, std::nullopt));
    return TooManyAttempts().WithRetryAfter(std::chrono::milliseconds(attempts.locked_until - now));
  }
  if (!password_ok) {
    ANXIN_RETURN_IF_ERROR(RecordFailure(
        actor, client_key, WrongPassword{checked.serial, card ? card->holder_org_id : std::string()}));
    return InvalidCredentials();
  }
  if (attempts.failed_attempts != 0 || attempts.locked_until != 0) {
    // The right password ends a run of wrong ones.
    ANXIN_RETURN_IF_ERROR(
        db_.Write([&](storage::Tx& tx) -> Status { return store_.ClearAttempts(tx, checked.serial); }));
  }
  checked.card = std::move(*card);
  checked.type = std::move(*type);
  return checked;
}

Result<CardActivationService::CheckedCard> CardActivationService::CheckCredentials(
    const Actor& actor, const CardCredentials& credentials, const std::string& client) {
  ANXIN_ASSIGN_OR_RETURN(CheckedCard checked,
                         CheckPassword(actor, credentials, client, /*with_product=*/true));
  if (checked.card.status != CardStatus::kAwaitingActivation) return NotActivatable(checked.card.status);
  if (clock_.NowMs() > checked.card.valid_until) return NotActivatable(CardStatus::kExpired);
  return checked;
}

Status CardActivationService::RecordFailure(const Actor& actor, const std::string& client_key,
                                            const std::optional<WrongPassword>& wrong_password) {
  const int64_t now = clock_.NowMs();
  return db_.Write([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(ClientThrottle throttle, store_.LockThrottle(tx, client_key));
    if (throttle.window_start == 0 || now - throttle.window_start >= settings_.client_window_ms) {
      throttle.failures = 0;
      throttle.window_start = now;
    }
    ++throttle.failures;
    if (throttle.failures > settings_.client_max_failures && throttle.blocked_until <= now) {
      throttle.blocked_until = now + settings_.client_block_ms;
      throttle.failures = 0;
      throttle.window_start = now;
      ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor,
                                          {"card.activation_client_blocked",
                                           "client",
                                           client_key.substr(0, 16),
                                           "",
                                           {{"blocked_until", FormatTimestamp(throttle.blocked_until)},
                                            {"max_failures", settings_.client_max_failures}},
                                           "ok"}));
    }
    ANXIN_RETURN_IF_ERROR(store_.SaveThrottle(tx, client_key, throttle));
    if (!wrong_password) return Status::Ok();

    const std::string& serial = wrong_password->serial;
    ANXIN_ASSIGN_OR_RETURN(CardAttempts attempts, store_.LockAttempts(tx, serial));
    // A lock that has run out ends the run it punished: counting starts again.
    const bool lock_expired = attempts.locked_until != 0 && attempts.locked_until <= now;
    attempts.failed_attempts = (lock_expired ? 0 : attempts.failed_attempts) + 1;
    if (lock_expired) attempts.locked_until = 0;
    attempts.last_failed_at = now;
    if (attempts.failed_attempts >= settings_.card_max_failures && attempts.locked_until <= now) {
      attempts.locked_until = now + settings_.card_lock_ms;
      ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor,
                                          {"card.lock",
                                           "card",
                                           serial,
                                           wrong_password->holder_org_id,
                                           {{"failed_attempts", attempts.failed_attempts},
                                            {"locked_until", FormatTimestamp(attempts.locked_until)}},
                                           "ok"}));
    }
    return store_.SaveAttempts(tx, serial, attempts);
  });
}

std::optional<CardType> CardActivationService::CachedType(const std::string& id) {
  std::lock_guard<std::mutex> lock(types_mu_);
  if (auto it = types_.find(id); it != types_.end()) return it->second;
  return std::nullopt;
}

void CardActivationService::CacheType(const CardType& type) {
  std::lock_guard<std::mutex> lock(types_mu_);
  if (types_.size() >= kMaxCachedTypes) types_.clear();
  types_.emplace(type.id, type);
}

Result<int64_t> CardActivationService::PurgeAttempts() {
  const int64_t now = clock_.NowMs();
  return db_.WriteResult<int64_t>(
      [&](storage::Tx& tx) { return store_.PurgeAttempts(tx, now, now - settings_.attempts_idle_ms); });
}

std::shared_ptr<const nlohmann::json> CardActivationService::CoveragesOf(const products::Product& product,
                                                                         const products::Plan& plan) {
  std::string key = product.code;
  key += '\n';
  key += std::to_string(product.version);
  key += '\n';
  key += product.definition_hash;
  key += '\n';
  key += plan.code;
  {
    std::lock_guard<std::mutex> lock(snapshots_mu_);
    if (auto it = snapshots_.find(key); it != snapshots_.end()) return it->second;
  }
  auto snapshot = std::make_shared<const json>(CoveragesSnapshot(plan));
  std::lock_guard<std::mutex> lock(snapshots_mu_);
  return snapshots_.emplace(std::move(key), std::move(snapshot)).first->second;
}

Result<CardActivationService::Terms> CardActivationService::TermsFor(const CheckedCard& checked) {
  const Date today = clock_.Today();
  if (checked.product == nullptr) return ProductNotAvailable();
  Terms terms;
  terms.product = checked.product;
  for (const std::string& code : checked.type.plan_codes) {
    if (const products::Plan* plan = terms.product->FindPlan(code)) terms.plans.push_back(plan);
  }
  if (terms.plans.empty()) return ProductNotAvailable();
  terms.earliest_start = AddDays(today, 1);
  terms.latest_start = checked.type.start_rule == StartRule::kHolderChoice
                           ? AddDays(today, std::max<int64_t>(1, checked.type.start_within_days))
                           : terms.earliest_start;
  return terms;
}

Result<CardOffer> CardActivationService::Verify(const Actor& actor, const CardCredentials& credentials) {
  ANXIN_ASSIGN_OR_RETURN(CheckedCard checked, CheckCredentials(actor, credentials, actor.client_address));
  ANXIN_ASSIGN_OR_RETURN(Terms terms, TermsFor(checked));
  CardOffer offer;
  offer.serial = checked.serial;
  offer.type = checked.type;
  offer.product = *terms.product;
  for (const products::Plan* plan : terms.plans) offer.plans.push_back(*plan);
  offer.premium = checked.type.face_value;
  offer.start_rule = checked.type.start_rule;
  offer.earliest_start = terms.earliest_start;
  offer.latest_start = terms.latest_start;
  offer.valid_until = checked.card.valid_until;
  return offer;
}

Result<CardActivationService::Prepared> CardActivationService::Prepare(const Actor& actor,
                                                                       CheckedCard checked,
                                                                       const Terms& terms,
                                                                       const ActivationRequest& request) {
  const Date today = clock_.Today();
  std::vector<FieldError> errors;

  // Plan: one the card allows.
  std::string plan_code = request.card_defaults ? checked.type.default_plan_code : request.plan_code;
  const products::Plan* plan = nullptr;
  if (plan_code.empty()) {
    errors.push_back({"plan_code", "required", {"请选择保障计划", "Choose a plan"}});
  } else {
    for (const products::Plan* p : terms.plans) {
      if (p->code == plan_code) plan = p;
    }
    if (plan == nullptr) {
      errors.push_back(
          {"plan_code", "plan_not_allowed", {"该卡不能选择此保障计划", "The card does not allow this plan"}});
    }
  }

  // Start date by the card type's rule.
  Date start = terms.earliest_start;
  if (!request.card_defaults && checked.type.start_rule == StartRule::kHolderChoice) {
    if (!request.start_date) {
      errors.push_back({"start_date", "required", {"请选择保险起期", "Choose the start date"}});
    } else if (*request.start_date < terms.earliest_start || *request.start_date > terms.latest_start) {
      errors.push_back({"start_date",
                        "start_date_outside_window",
                        {"保险起期须在 " + FormatDate(terms.earliest_start) + " 至 " +
                             FormatDate(terms.latest_start) + " 之间",
                         "The start date must be from " + FormatDate(terms.earliest_start) + " to " +
                             FormatDate(terms.latest_start)}});
    } else {
      start = *request.start_date;
    }
  } else if (!request.card_defaults && request.start_date && *request.start_date != terms.earliest_start) {
    errors.push_back({"start_date",
                      "start_date_outside_window",
                      {"该卡自激活次日 " + FormatDate(terms.earliest_start) + " 起保，不能选择起期",
                       "Cover starts the day after activation (" + FormatDate(terms.earliest_start) +
                           "); the start date cannot be chosen"}});
  }

  // Parties. Birth date and sex of a resident ID holder come from the number when omitted; when
  // given, policies::ValidateNewPolicy checks they agree with it (RULES.md §5).
  auto to_party = [&](const PersonInput& in, policies::PartyRole role, const std::string& path) {
    policies::Party party;
    party.role = role;
    party.name = in.name;
    party.id_type = in.id_type;
    party.id_number = in.id_number;
    party.phone = in.phone;
    party.relationship = in.relationship;
    party.share_percent = in.share_percent;
    std::optional<Date> birth = in.birth_date;
    std::optional<Sex> sex = in.sex;
    if (in.id_type == IdType::kResidentId) {
      Result<ResidentIdInfo> id = ParseResidentId(in.id_number, today, path + ".id_number");
      if (id.ok()) {
        if (!birth) birth = id->birth_date;
        if (!sex) sex = id->sex;
      }
    } else {
      if (!birth)
        errors.push_back({path + ".birth_date", "required", {"请填写出生日期", "Enter the birth date"}});
      if (!sex) errors.push_back({path + ".sex", "required", {"请选择性别", "Choose the sex"}});
    }
    if (birth) party.birth_date = *birth;
    if (sex) party.sex = *sex;
    return std::make_pair(party, birth.has_value());
  };

  policies::NewPolicy policy;
  auto [holder, holder_birth_known] = to_party(request.holder, policies::PartyRole::kHolder, "holder");
  policies::Party insured;
  bool insured_birth_known = false;
  std::string insured_path = "insured";
  if (request.insured) {
    std::tie(insured, insured_birth_known) =
        to_party(*request.insured, policies::PartyRole::kInsured, "insured");
    holder.relationship = Inverse(insured.relationship);
  } else {
    insured = holder;
    insured.role = policies::PartyRole::kInsured;
    insured.relationship = policies::Relationship::kSelf;
    holder.relationship = policies::Relationship::kSelf;
    insured_birth_known = holder_birth_known;
    insured_path = "holder";
  }
  holder.share_percent = 100;
  insured.share_percent = 100;
  policy.parties.push_back(holder);
  policy.parties.push_back(insured);
  for (size_t i = 0; i < request.beneficiaries.size(); ++i) {
    auto [beneficiary, known] = to_party(request.beneficiaries[i], policies::PartyRole::kBeneficiary,
                                         "beneficiaries[" + std::to_string(i) + "]");
    (void)known;
    policy.parties.push_back(std::move(beneficiary));
  }

  // Ages: the insured within the product's range on the start date; the holder an adult today.
  if (insured_birth_known) {
    Status age = products::CheckInsurableAge(*terms.product, insured.birth_date, start);
    if (!age.ok()) {
      const FieldError* f = age.fields().empty() ? nullptr : &age.fields().front();
      errors.push_back({insured_path + ".birth_date", f != nullptr ? f->code : "age_not_insurable",
                        f != nullptr ? f->message : age.message()});
    }
  }
  if (holder_birth_known && AgeOn(holder.birth_date, today) < kAdultAge &&
      AgeOn(holder.birth_date, today) >= 0) {
    errors.push_back({"holder.birth_date",
                      "holder_not_adult",
                      {"投保人须年满18周岁", "The policyholder must be at least 18"}});
  }

  policy.product_code = terms.product->code;
  policy.product_version = terms.product->version;
  policy.plan_code = plan_code;
  policy.premium = checked.type.face_value;
  policy.start_date = start;
  policy.end_date = policies::PolicyEndDate(start, checked.type.term_unit,
                                            static_cast<int>(std::max<int64_t>(1, checked.type.term_value)));
  policy.org_id = checked.card.holder_org_id;
  policy.source = policies::PolicySource::kCard;
  policy.card_serial = checked.serial;
  if (plan != nullptr) policy.coverages = *CoveragesOf(*terms.product, *plan);

  Result<policies::NewPolicy> validated = policies::ValidateNewPolicy(policy, today);
  if (!validated.ok()) {
    if (validated.status().code() != StatusCode::kInvalidArgument) return std::move(validated).take_status();
    for (const FieldError& f : validated.status().fields()) {
      // When the holder is the insured the same person was checked twice: report it once.
      if (!request.insured && f.field.rfind("insured", 0) == 0) continue;
      // Checked above with the card's rules.
      if (f.field == "plan_code" || f.field == "start_date") continue;
      bool seen = std::any_of(errors.begin(), errors.end(),
                              [&](const FieldError& e) { return e.field == f.field && e.code == f.code; });
      if (!seen) errors.push_back(f);
    }
  }
  if (!errors.empty()) return Status::Invalid(std::move(errors));

  Prepared prepared;
  ANXIN_ASSIGN_OR_RETURN(prepared.next,
                         CardTransition(CardStatus::kAwaitingActivation, CardAction::kActivate));
  // Sealing the parties' personal data happens here, before the transaction.
  ANXIN_ASSIGN_OR_RETURN(prepared.policy, issuer_.Prepare(actor, validated.value()));
  // The card's holder path: Commit's conditional update matches it, so the issuer and the ledger
  // need not read it.
  prepared.policy->org_path = checked.card.holder_org_path;
  for (const policies::Party& p : prepared.policy->request.parties) {
    if (p.role == policies::PartyRole::kHolder) prepared.holder_phone = p.phone;
  }
  prepared.checked = std::move(checked);
  prepared.channel = request.channel;
  if (IsStaff(actor)) prepared.entered_by = ActorId(actor);
  prepared.product_name_zh = terms.product->name_zh;
  prepared.product_name_en = terms.product->name_en;
  prepared.plan_name_zh = plan->name_zh;
  prepared.plan_name_en = plan->name_en;
  // So are the audit record and the SMS, under the id and number the issuer drew. The record names
  // the policy's terms, so it records the issue too: the issuer appends it instead of its own
  // "policy.issue" when the policy gets the number it drew (one action, one record).
  const policies::PreparedPolicy& drawn = *prepared.policy;
  const Card& card = prepared.checked.card;
  if (!drawn.policy_no.empty()) {
    ANXIN_ASSIGN_OR_RETURN(
        audit::PreparedAuditEntry record,
        audit_.Prepare(
            actor,
            ActivationAudit(card.serial, card.holder_org_id, drawn.id, drawn.policy_no, drawn.request,
                            std::string(kActivationChannels.Name(request.channel)), prepared.entered_by)));
    prepared.policy->audit_together.push_back(std::move(record));
    prepared.policy->audit_together_records_issue = true;
  }
  notify::OutboundMessage sms =
      ActivatedSms(card, prepared.holder_phone, drawn.id, drawn.policy_no, drawn.request);
  prepared.sms_text = sms.text;
  ANXIN_ASSIGN_OR_RETURN(prepared.message, outbox_.Prepare(sms));
  return prepared;
}

Status CardActivationService::WhyNotActivated(storage::Tx& tx, const std::string& serial,
                                              const std::string& password_hash, int64_t now) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<Card> card, cards_.Find(tx, serial));
  ANXIN_ASSIGN_OR_RETURN(std::optional<std::string> stored_hash, store_.FindPasswordHash(tx, serial));
  if (!card || !stored_hash || !ConstantTimeEquals(*stored_hash, password_hash)) return InvalidCredentials();
  ANXIN_ASSIGN_OR_RETURN(CardAttempts attempts, store_.FindAttempts(tx, serial));
  if (attempts.locked_until > now) {
    return TooManyAttempts().WithRetryAfter(std::chrono::milliseconds(attempts.locked_until - now));
  }
  if (!CardTransition(card->status, CardAction::kActivate).ok()) return NotActivatable(card->status);
  if (now > card->valid_until) return NotActivatable(CardStatus::kExpired);
  // Awaiting activation, yet moved to another holder or linked to a policy since it was checked:
  // taken by another activation or another change.
  return NotActivatable(card->policy_id ? CardStatus::kActivated : CardStatus::kAwaitingActivation);
}

Result<Activation> CardActivationService::Commit(storage::Tx& tx, const Actor& actor,
                                                 const Prepared& prepared) {
  const int64_t now = clock_.NowMs();
  const std::string& serial = prepared.checked.serial;
  const Card& card = prepared.checked.card;
  const policies::PreparedPolicy& prepared_policy = *prepared.policy;
  // One conditional update decides, with the card checked again (it may have changed since its
  // credentials were): of concurrent activations exactly one moves it. It also ends the number's
  // run of wrong passwords. On PostgreSQL it goes in one round trip with the issuer's insert; if
  // the card did not move, the error returned undoes that insert with the rest.
  std::optional<std::string> policy_id;
  if (!prepared_policy.id.empty()) policy_id = prepared_policy.id;
  ANXIN_ASSIGN_OR_RETURN(
      storage::AheadQuery move,
      store_.ActivateAhead(tx, serial, prepared.checked.password_hash, CardStatus::kAwaitingActivation,
                           prepared.next, card.holder_org_id, card.holder_org_path, policy_id, now));
  // The issuer appends our audit record, which records the issue, when the policy gets the number
  // drawn ahead.
  Result<policies::Policy> issued = issuer_.IssuePrepared(tx, prepared_policy);
  // A policy for the card already (another activation won) says less than why the card did not move.
  if (!issued.ok() && issued.status().reason() != "policy_exists_for_card")
    return std::move(issued).take_status();
  ANXIN_ASSIGN_OR_RETURN(bool won, store_.TakeActivated(tx, serial, move));
  if (!won) return WhyNotActivated(tx, serial, prepared.checked.password_hash, now);
  if (!issued.ok()) return NotActivatable(CardStatus::kActivated);
  policies::Policy policy = std::move(issued).value();
  if (policy_id && policy.id != *policy_id) {
    return Status::Internal("cards: the issuer issued policy " + policy.id + " instead of " + *policy_id);
  }
  if (!policy_id) {
    ANXIN_ASSIGN_OR_RETURN(bool linked, store_.SetPolicyId(tx, serial, policy.id));
    if (!linked)
      return Status::Internal("cards: activated card " + serial + " could not be linked to its policy");
  }

  const std::string& org_id = card.holder_org_id;
  CardEvent event;
  event.serial = serial;
  event.at_ms = now;
  event.action = CardAction::kActivate;
  event.from = CardStatus::kAwaitingActivation;
  event.to = prepared.next;
  event.actor_id = ActorId(actor);
  event.ref_type = CardRefType::kPolicy;
  event.ref_id = policy.id;
  const std::string channel(kActivationChannels.Name(prepared.channel));
  event.detail = {{"channel", channel}, {"policy_no", policy.policy_no}};
  if (!prepared.entered_by.empty()) event.detail["entered_by"] = prepared.entered_by;
  ANXIN_RETURN_IF_ERROR(cards_.AppendEvent(tx, event));

  // The advance premium received when payment was confirmed becomes written premium now.
  ledger::Entry entry;
  entry.memo = "卡单激活出单 " + policy.policy_no;
  entry.ref_type = ledger::RefType::kPolicy;
  entry.ref_id = policy.id;
  entry.org_id = org_id;
  entry.org_path = card.holder_org_path;  // matched by the conditional update above
  entry.lines = {{ledger::kAdvancePremium, policy.premium, Money{}},
                 {ledger::kPremiumIncome, Money{}, policy.premium}};
  ANXIN_RETURN_IF_ERROR(ledger_.Post(tx, actor, entry).status());

  Activation out;
  // Built ahead under the drawn number; built here only if the issuer had to draw another.
  if (policy.policy_no == prepared_policy.policy_no) {
    ANXIN_RETURN_IF_ERROR(outbox_.Enqueue(tx, prepared.message).status());
    out.sms_text = prepared.sms_text;
  } else {
    ANXIN_RETURN_IF_ERROR(
        audit_.Append(tx, actor,
                      ActivationAudit(serial, org_id, policy.id, policy.policy_no, prepared_policy.request,
                                      channel, prepared.entered_by)));
    notify::OutboundMessage message =
        ActivatedSms(card, prepared.holder_phone, policy.id, policy.policy_no, prepared_policy.request);
    ANXIN_RETURN_IF_ERROR(outbox_.Enqueue(tx, message).status());
    out.sms_text = message.text;
  }

  out.channel = prepared.channel;
  out.entered_by = prepared.entered_by;
  out.serial = serial;
  out.policy = std::move(policy);
  out.product_name_zh = prepared.product_name_zh;
  out.product_name_en = prepared.product_name_en;
  out.plan_name_zh = prepared.plan_name_zh;
  out.plan_name_en = prepared.plan_name_en;
  return out;
}

Result<Activation> CardActivationService::Activate(const Actor& actor, const ActivationRequest& request) {
  if (request.channel != ActivationChannel::kWeb) {
    return Status::InvalidField("channel", "not_allowed",
                                {"此入口只用于网页激活", "This entry is for activation on the web page"});
  }
  ANXIN_ASSIGN_OR_RETURN(CheckedCard checked, CheckCredentials(actor, request.card, actor.client_address));
  return ActivateChecked(actor, std::move(checked), request);
}

Result<Activation> CardActivationService::ActivateChecked(const Actor& actor, CheckedCard checked,
                                                          const ActivationRequest& request) {
  ANXIN_ASSIGN_OR_RETURN(Terms terms, TermsFor(checked));
  ANXIN_ASSIGN_OR_RETURN(Prepared prepared, Prepare(actor, std::move(checked), terms, request));
  return db_.WriteResult<Activation>([&](storage::Tx& tx) { return Commit(tx, actor, prepared); });
}

Result<Activation> CardActivationService::ActivateForHolder(const Actor& actor,
                                                            const ActivationRequest& request) {
  ANXIN_ASSIGN_OR_RETURN(const Principal* staff, RequireStaffMember(actor, kPermCardActivateAssist));
  if (request.channel != ActivationChannel::kPhone && request.channel != ActivationChannel::kCounter) {
    return Status::InvalidField(
        "channel", "not_allowed",
        {"代客户激活的渠道应为客服电话或柜面", "The channel must be phone or counter"});
  }
  // A staff member's mistakes are counted against them, not against the address of their office
  // (a call centre's agents share one).
  ANXIN_ASSIGN_OR_RETURN(CheckedCard checked,
                         CheckCredentials(actor, request.card, "staff:" + staff->user_id));
  if (!InScope(actor, checked.card.holder_org_path)) return Status::NotFound("card");
  return ActivateChecked(actor, std::move(checked), request);
}

Result<CardLookup> CardActivationService::Lookup(const Actor& actor, const CardCredentials& credentials) {
  ANXIN_ASSIGN_OR_RETURN(CheckedCard checked,
                         CheckPassword(actor, credentials, actor.client_address, /*with_product=*/false));
  CardLookup out;
  out.card = std::move(checked.card);
  out.type = std::move(checked.type);
  if (!out.card.policy_id) return out;
  std::optional<policies::Policy> policy;
  std::vector<CardEvent> events;
  ANXIN_RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(policy, issuer_.FindIssued(tx, *out.card.policy_id));
    ANXIN_ASSIGN_OR_RETURN(events, cards_.Events(tx, out.card.serial));
    return Status::Ok();
  }));
  if (!policy)
    return Status::Internal("cards: policy " + *out.card.policy_id + " of card " + out.card.serial +
                            " is missing");
  Activation activation;
  activation.serial = out.card.serial;
  for (const CardEvent& event : events) {
    if (event.action != CardAction::kActivate) continue;
    out.activated_at = event.at_ms;
    if (event.detail.is_object()) {
      activation.channel =
          kActivationChannels.Parse(event.detail.value("channel", "web")).value_or(ActivationChannel::kWeb);
      activation.entered_by = event.detail.value("entered_by", "");
    }
  }
  // The names of the product version and plan the policy was issued under (versions are immutable).
  Result<std::shared_ptr<const products::Product>> product =
      products_.GetShared(policy->product_code, policy->product_version);
  if (product.ok()) {
    activation.product_name_zh = (*product)->name_zh;
    activation.product_name_en = (*product)->name_en;
    if (const products::Plan* plan = (*product)->FindPlan(policy->plan_code)) {
      activation.plan_name_zh = plan->name_zh;
      activation.plan_name_en = plan->name_en;
    }
  } else if (product.status().code() != StatusCode::kNotFound) {
    return std::move(product).take_status();
  }
  activation.policy = std::move(*policy);
  out.activation = std::move(activation);
  return out;
}

Status CardActivationService::AuthenticateSms(std::string_view timestamp, std::string_view signature_hex,
                                              std::string_view body) const {
  if (!SmsEnabled()) {
    return {StatusCode::kUnavailable,
            "sms_inbound_disabled",
            {"短信激活未开通", "SMS activation is not enabled"}};
  }
  return notify::VerifyWebhookSignature(settings_.sms_inbound_secret, timestamp, body, signature_hex,
                                        clock_.NowMs(), settings_.sms_timestamp_tolerance_ms);
}

Status CardActivationService::RecordSmsRejection(const Actor& actor, const SmsInboundRecord& record,
                                                 const std::string& phone, const std::string& reason_zh) {
  return db_.Write([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(bool inserted, store_.InsertSmsMessage(tx, record));
    if (!inserted) return DuplicateSms();
    notify::OutboundMessage message;
    message.channel = "sms";
    message.recipient = phone;
    message.template_code = "card_activation_failed";
    message.text = SmsRejectionText(reason_zh);
    message.ref_type = notify::OutboxRefType::kSms;
    message.ref_id = record.message_id;
    ANXIN_RETURN_IF_ERROR(outbox_.Enqueue(tx, message).status());
    return audit_.Append(
        tx, actor,
        {"card.activate_sms", "sms", record.message_id, "", {{"code", record.result_code}}, "rejected"});
  });
}

Result<SmsOutcome> CardActivationService::HandleSms(const Actor& actor, const InboundSms& sms) {
  ANXIN_ASSIGN_OR_RETURN(std::string phone, NormalizeMobile(sms.from, "from"));
  const int64_t now = clock_.NowMs();
  SmsInboundRecord record;
  record.message_id = sms.message_id;
  record.from_hash = keys_.LookupHash("phone", phone);
  record.received_at = sms.received_at.value_or(now);
  record.processed_at = now;

  // The outcome stored for this message id, if it was handled before.
  auto stored = [&]() -> Result<std::optional<SmsOutcome>> {
    std::optional<SmsInboundRecord> found;
    ANXIN_RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
      ANXIN_ASSIGN_OR_RETURN(found, store_.FindSmsMessage(tx, sms.message_id));
      return Status::Ok();
    }));
    if (!found) return std::optional<SmsOutcome>();
    return std::optional<SmsOutcome>(
        SmsOutcome{found->result_code == "activated", found->result_code, found->policy_id, true});
  };
  // Another delivery of the same message committed first: answer its outcome.
  auto lost_race = [&]() -> Result<SmsOutcome> {
    ANXIN_ASSIGN_OR_RETURN(std::optional<SmsOutcome> first, stored());
    if (!first) return Status::Internal("cards: sms message " + sms.message_id + " vanished");
    return *first;
  };
  {
    ANXIN_ASSIGN_OR_RETURN(std::optional<SmsOutcome> first, stored());
    if (first) return *first;
  }

  auto reject = [&](std::string code, const std::string& reason_zh) -> Result<SmsOutcome> {
    record.result_code = std::move(code);
    Status s = RecordSmsRejection(actor, record, phone, reason_zh);
    if (s.reason() == "sms_duplicate") return lost_race();
    ANXIN_RETURN_IF_ERROR(s);
    return SmsOutcome{false, record.result_code, std::nullopt, false, SmsRejectionText(reason_zh)};
  };

  std::optional<ActivationSms> parsed = ParseActivationSms(sms.text);
  if (!parsed) return reject("malformed_text", "短信格式不正确");

  ActivationRequest request;
  request.card = {parsed->serial, parsed->password};
  request.holder.name = parsed->name;
  request.holder.id_type = IdType::kResidentId;
  request.holder.id_number = parsed->id_number;
  request.holder.phone = phone;
  request.channel = ActivationChannel::kSms;
  request.card_defaults = true;

  // Guessing by SMS is throttled per sender, not per gateway address.
  auto attempt = [&]() -> Result<Activation> {
    ANXIN_ASSIGN_OR_RETURN(CheckedCard checked, CheckCredentials(actor, request.card, "sms:" + phone));
    ANXIN_ASSIGN_OR_RETURN(Terms terms, TermsFor(checked));
    ANXIN_ASSIGN_OR_RETURN(Prepared prepared, Prepare(actor, std::move(checked), terms, request));
    record.result_code = "activated";
    return db_.WriteResult<Activation>([&](storage::Tx& tx) -> Result<Activation> {
      ANXIN_ASSIGN_OR_RETURN(Activation done, Commit(tx, actor, prepared));
      SmsInboundRecord row = record;
      row.policy_id = done.policy.id;
      ANXIN_ASSIGN_OR_RETURN(bool inserted, store_.InsertSmsMessage(tx, row));
      if (!inserted) return DuplicateSms();
      return done;
    });
  };
  Result<Activation> activation = attempt();
  if (activation.ok())
    return SmsOutcome{true, "activated", activation->policy.id, false, activation->sms_text};
  const Status& failure = activation.status();
  switch (failure.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kPermissionDenied:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kResourceExhausted:
      return reject(failure.reason(), SmsReasonZh(failure));
    case StatusCode::kAlreadyExists:
      if (failure.reason() == "sms_duplicate") return lost_race();
      return std::move(activation).take_status();
    default:
      return std::move(activation).take_status();
  }
}

}  // namespace anxin::cards
