#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "cards/card.hpp"
#include "cards/card_activation_store.hpp"
#include "cards/card_store.hpp"
#include "common/actor.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "common/enum_table.hpp"
#include "common/money.hpp"
#include "common/status.hpp"
#include "common/validation.hpp"
#include "ledger/ledger.hpp"
#include "notify/outbox.hpp"
#include "policies/policy.hpp"
#include "policies/policy_issuer.hpp"
#include "products/product.hpp"
#include "products/product_service.hpp"
#include "storage/database.hpp"

namespace anxin::cards {

struct CardActivationSettings {
  // The shared secret of the SMS gateway's inbound webhook; empty disables SMS activation
  // (kUnavailable "sms_inbound_disabled").
  std::string sms_inbound_secret;
  // How far the gateway's X-Anxin-Timestamp may be from our clock.
  int64_t sms_timestamp_tolerance_ms = 5LL * 60 * 1000;
  // Per card: this many consecutive wrong passwords lock the card for card_lock_ms.
  int64_t card_max_failures = 5;
  int64_t card_lock_ms = 30LL * 60 * 1000;
  // Per client address: more than client_max_failures failures within client_window_ms block the
  // address for client_block_ms.
  int64_t client_max_failures = 20;
  int64_t client_window_ms = 10LL * 60 * 1000;
  int64_t client_block_ms = 15LL * 60 * 1000;
  // Attempt counters of a card number that is not locked are forgotten after this long without a
  // failure (PurgeAttempts).
  int64_t attempts_idle_ms = 24LL * 60 * 60 * 1000;
};

// Who entered an activation: the holder on the web page or by SMS, or a staff member on the
// holder's behalf over the customer-service phone or at a counter (seed 000's three channels).
enum class ActivationChannel { kWeb, kSms, kPhone, kCounter };
inline constexpr EnumTable<ActivationChannel, 4> kActivationChannels{{{
    {ActivationChannel::kWeb, "web"},
    {ActivationChannel::kSms, "sms"},
    {ActivationChannel::kPhone, "phone"},
    {ActivationChannel::kCounter, "counter"},
}}};
// The channels a staff member enters an activation through.
inline constexpr EnumTable<ActivationChannel, 2> kAssistedChannels{{{
    {ActivationChannel::kPhone, "phone"},
    {ActivationChannel::kCounter, "counter"},
}}};

// The permission to activate a card on its holder's behalf.
inline constexpr std::string_view kPermCardActivateAssist = "card.activate.assist";

// What the holder types on the activation page: the number printed on the card and the password
// under its scratch-off panel.
struct CardCredentials {
  std::string serial;
  std::string password;
};

// What a valid card entitles its holder to (the "product choice" page).
struct CardOffer {
  std::string serial;  // normalised (upper-case prefix)
  CardType type;
  products::Product product;          // the version on sale today
  std::vector<products::Plan> plans;  // the plans the card allows, in the card type's order
  Money premium;                      // the face value
  StartRule start_rule = StartRule::kNextDay;
  Date earliest_start;  // the day after today
  Date latest_start;    // == earliest_start for next_day
  int64_t valid_until = 0;
};

// A person as entered on the insurance information page. For a resident ID, birth date and sex
// may be omitted (they are read from the number) and, when given, must agree with it.
struct PersonInput {
  std::string name;
  IdType id_type = IdType::kResidentId;
  std::string id_number;
  std::optional<Date> birth_date;
  std::optional<Sex> sex;
  std::string phone;  // required for the holder, optional otherwise
  // The insured's to the holder, a beneficiary's to the insured (the holder's follows from them).
  policies::Relationship relationship = policies::Relationship::kSelf;
  int share_percent = 100;  // beneficiaries
};

struct ActivationRequest {
  CardCredentials card;
  std::string plan_code;
  std::optional<Date> start_date;  // holder_choice cards only
  PersonInput holder;
  std::optional<PersonInput> insured;                   // nullopt: the holder is the insured
  std::vector<PersonInput> beneficiaries;               // empty: the legal heirs (法定)
  ActivationChannel channel = ActivationChannel::kWeb;  // recorded in the card event and audit
  // SMS activation: the card type's default plan and the earliest start the card allows
  // (plan_code and start_date are then ignored).
  bool card_defaults = false;
};

// The outcome of an activation.
struct Activation {
  std::string serial;
  policies::Policy policy;  // parties masked
  std::string product_name_zh, product_name_en;
  std::string plan_name_zh, plan_name_en;
  ActivationChannel channel = ActivationChannel::kWeb;
  std::string entered_by;  // the staff member's user id (phone, counter); "" otherwise
  std::string sms_text;    // the SMS sent to the holder
};

// What a card's holder sees of it ("my card / my policy"): the card and, once activated, its
// policy.
struct CardLookup {
  Card card;
  CardType type;
  std::optional<int64_t> activated_at;
  std::optional<Activation> activation;  // nullopt until activated (sms_text empty)
};

// An SMS the gateway received for us.
struct InboundSms {
  std::string message_id;
  std::string from;  // the sender's mobile number
  std::string text;
  std::optional<int64_t> received_at;  // Unix ms; default now
};

struct SmsOutcome {
  bool activated = false;
  std::string code;  // "activated" or the rejection reason ("invalid_card_credentials", ...)
  std::optional<std::string> policy_id;
  bool duplicate = false;  // answered from the stored outcome of the same message id
  std::string reply;       // the SMS answered to the sender ("" for a duplicate)
};

// The fields of an activation SMS: `JH <卡号> <密码> <姓名> <身份证号>`.
struct ActivationSms {
  std::string serial;
  std::string password;
  std::string name;
  std::string id_number;
};

// Parses an activation SMS: "JH" (any case), the card number, the password, the name and the
// resident ID number, separated by ASCII or full-width (U+3000) spaces. Returns nullopt when the
// text does not have that shape (the fields themselves are checked by the activation). Pure.
std::optional<ActivationSms> ParseActivationSms(std::string_view text);

// Card activation (seed 000, "notify the customer to activate"): whoever holds a card's number
// and password activates it, and a policy is issued at that moment. No login. Thread-safe.
//
// Guessing is slowed twice (RULES.md §6: credentials are never stored or logged in clear):
// card_max_failures consecutive wrong passwords lock a card for card_lock_ms, and more than
// client_max_failures failures from one client address within client_window_ms block the address
// for client_block_ms. Both answer kResourceExhausted "too_many_attempts", so a locked card and a
// blocked address cannot be told apart. A wrong number and a wrong password answer the same
// kPermissionDenied "invalid_card_credentials" after the same work.
class CardActivationService {
 public:
  // Keeps references to everything; they must outlive the service.
  CardActivationService(storage::Database& db, CardStore& cards, CardActivationStore& store,
                        products::ProductService& products, const policies::PolicyIssuer& issuer,
                        const ledger::Ledger& ledger, const notify::Outbox& outbox, const KeyRing& keys,
                        const Clock& clock, const audit::AuditLog& audit, CardActivationSettings settings);

  // Checks `credentials` and returns what the card offers. Errors: kInvalidArgument
  // "validation_failed" (field "serial": malformed number or wrong check digit; "password":
  // required), kPermissionDenied "invalid_card_credentials" (no such card or wrong password),
  // kResourceExhausted "too_many_attempts" (card locked or address blocked), kFailedPrecondition
  // "card_not_activatable" (right password, but the card is not awaiting activation or has
  // expired; the message names its state and errors[0] is {field "card_status", code <status>}),
  // kFailedPrecondition "product_not_available" (the card's product is not on sale today).
  // `actor.client_address` identifies the client for the throttle.
  Result<CardOffer> Verify(const Actor& actor, const CardCredentials& credentials);

  // Activates the card and issues its policy in one transaction: card activated, policy issued
  // (premium = face value, product version on sale today, the plan's coverages), ledger Dr 2203 /
  // Cr 6031, card event, audit "card.activate", SMS to the holder. Errors: those of Verify, and
  // kInvalidArgument "validation_failed" with field paths ("plan_code" plan_not_allowed,
  // "start_date" required / start_date_outside_window / not_applicable, "insured.id_number"
  // invalid_checksum, "insured.birth_date" birth_date_mismatch / age_not_insurable,
  // "holder.birth_date" holder_not_adult, "beneficiaries" shares_not_100, ...). Of several
  // concurrent activations of one card exactly one succeeds; the others get "card_not_activatable".
  Result<Activation> Activate(const Actor& actor, const ActivationRequest& request);

  // Activates a card on its holder's behalf (seed 000: the customer-service phone and the counter):
  // `request.channel` phone or counter, the password read out by the holder. As Activate, and:
  // RequireStaffMember card.activate.assist (kUnauthenticated, kPermissionDenied "staff_only" /
  // "permission_denied"); failures are throttled per staff member rather than per address; the
  // card must be held in the staff member's subtree (kNotFound "not_found" otherwise; the head
  // office covers every card); the card event's actor, the policy's channel and the audit record
  // name the staff member and the channel. kInvalidArgument at "channel" (not_allowed) for web or
  // sms.
  Result<Activation> ActivateForHolder(const Actor& actor, const ActivationRequest& request);

  // Checks `credentials` as Verify does (same throttle, lock and answers for wrong numbers and
  // passwords) and returns the card in whatever state it is, with its policy once activated.
  Result<CardLookup> Lookup(const Actor& actor, const CardCredentials& credentials);

  // Forgets the attempt counters idle for settings.attempts_idle_ms (and not locked). Returns how
  // many were deleted.
  Result<int64_t> PurgeAttempts();

  // Returns OK if SMS activation is enabled and `signature_hex` signs `timestamp` + "." + `body`
  // with the gateway secret within the tolerance; kUnavailable "sms_inbound_disabled" (no secret),
  // kUnauthenticated "invalid_signature" / "stale_timestamp" otherwise.
  [[nodiscard]] Status AuthenticateSms(std::string_view timestamp, std::string_view signature_hex,
                                       std::string_view body) const;

  // Handles an activation SMS (already authenticated): activates with the card type's default
  // plan, holder = insured = the sender, start as early as the card allows, legal heirs. Every
  // outcome is stored by message id and answered to the sender through the outbox; a message id
  // seen before returns the stored outcome (duplicate = true) and does nothing. Business failures
  // are outcomes (activated = false), not errors. Errors: kInvalidArgument "validation_failed" for
  // an unusable `from` or message id; database errors (the gateway should retry).
  Result<SmsOutcome> HandleSms(const Actor& actor, const InboundSms& sms);

  [[nodiscard]] bool SmsEnabled() const { return !settings_.sms_inbound_secret.empty(); }

 private:
  struct CheckedCard;
  struct Prepared;
  struct Terms;

  // Runs the credential checks of Verify, Activate and Lookup: the throttle, the lock and the
  // password, for a card in any state; `client` names the caller for the throttle (the client
  // address, "sms:<phone>" or "staff:<user id>"). With `with_product`, reads the product the card's
  // type offers today in the same read (CheckedCard::product).
  Result<CheckedCard> CheckPassword(const Actor& actor, const CardCredentials& credentials,
                                    const std::string& client, bool with_product);
  // As CheckPassword, and the card must be awaiting activation and not expired.
  Result<CheckedCard> CheckCredentials(const Actor& actor, const CardCredentials& credentials,
                                       const std::string& client);
  // A wrong password for `serial` (which may not exist).
  struct WrongPassword {
    std::string serial;
    std::string holder_org_id;  // "" when there is no such card
  };
  // Records one failed attempt in its own Write: for the client, and per card number for a wrong
  // password (the same statements whether or not a card has the number).
  Status RecordFailure(const Actor& actor, const std::string& client_key,
                       const std::optional<WrongPassword>& wrong_password);
  // Verify's checks, the terms, the validation and the commit of one activation.
  Result<Activation> ActivateChecked(const Actor& actor, CheckedCard checked,
                                     const ActivationRequest& request);
  // The cached card type `id`, if any; caching one.
  std::optional<CardType> CachedType(const std::string& id);
  void CacheType(const CardType& type);
  // The product (read with the credentials; shared with the product cache, not copied) and start
  // window the card offers today.
  Result<Terms> TermsFor(const CheckedCard& checked);
  // The coverages snapshot of `plan`, built once per product version and plan (versions are
  // immutable).
  std::shared_ptr<const nlohmann::json> CoveragesOf(const products::Product& product,
                                                    const products::Plan& plan);
  // Validates `request` against the card and its product and builds everything the transaction
  // writes (the sealed policy, the audit record of `actor`, the SMS), before any transaction.
  Result<Prepared> Prepare(const Actor& actor, CheckedCard checked, const Terms& terms,
                           const ActivationRequest& request);
  // The transaction body of an activation.
  Result<Activation> Commit(storage::Tx& tx, const Actor& actor, const Prepared& prepared);
  // Why the conditional update did not activate card `serial`: the error Activate answers.
  Status WhyNotActivated(storage::Tx& tx, const std::string& serial, const std::string& password_hash,
                         int64_t now);
  // Stores a rejected SMS and enqueues the reply; kAlreadyExists "sms_duplicate" when the message
  // id is already stored.
  Status RecordSmsRejection(const Actor& actor, const SmsInboundRecord& record, const std::string& phone,
                            const std::string& reason_zh);

  // Constant after construction.
  storage::Database& db_;
  CardStore& cards_;
  CardActivationStore& store_;
  products::ProductService& products_;
  const policies::PolicyIssuer& issuer_;
  const ledger::Ledger& ledger_;
  const notify::Outbox& outbox_;
  const KeyRing& keys_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  const CardActivationSettings settings_;

  // Card types by id. What activation reads of a type (product, plans, term, face value, start
  // rule, names) never changes once it is created; only its status does, which activation ignores.
  std::mutex types_mu_;
  std::map<std::string, CardType> types_;  // guarded by types_mu_

  // Coverages snapshots by product code, version, definition hash and plan code.
  std::mutex snapshots_mu_;
  std::map<std::string, std::shared_ptr<const nlohmann::json>> snapshots_;  // guarded by snapshots_mu_
};

}  // namespace anxin::cards
