#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "cards/card.hpp"
#include "cards/card_admin_store.hpp"
#include "cards/card_store.hpp"
#include "common/actor.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "common/status.hpp"
#include "identity/identity_service.hpp"
#include "products/product_service.hpp"
#include "storage/database.hpp"

namespace anxin::cards {

// The most cards one batch may hold, and the digits of a card password.
inline constexpr int64_t kMaxBatchQuantity = 1'000'000;
inline constexpr int kCardPasswordDigits = 8;
inline constexpr int64_t kMaxFaceValueFen = 100'000'000;

// "day" | "month" | "year", and back.
// "next_day" | "holder_choice", and back.
std::string_view StartRuleName(StartRule rule);
std::optional<StartRule> ParseStartRule(std::string_view name);

// Returns the card password of `serial` in a batch whose (unsealed) secret is `secret`: 8 decimal
// digits taken from HMAC-SHA256(secret, serial). The digits come from the first of the four 64-bit
// words of the MAC that is below the largest multiple of 10^8 (rejection sampling, so every
// password is equally likely); should all four be rejected (probability about 10^-45) the last is
// reduced modulo 10^8 anyway. Deterministic, so a batch's passwords never need to be stored.
std::string DeriveCardPassword(std::string_view secret, std::string_view serial);
// Returns the value stored in cards.password_hash for `serial` and `password`.
std::string CardPasswordHash(const KeyRing& keys, std::string_view serial, std::string_view password);

// A request to create a card type (单证类型).
struct NewCardType {
  std::string code;  // [A-Z0-9]{2,20}
  std::string name;
  std::string serial_prefix;  // 2-4 upper-case letters
  std::string product_code;
  std::vector<std::string> plan_codes;
  std::string default_plan_code;
  TermUnit term_unit = TermUnit::kYear;
  int64_t term_value = 1;
  int64_t face_value_fen = 0;
  int64_t validity_days = 365;
  StartRule start_rule = StartRule::kNextDay;
  int64_t start_within_days = 0;
};

struct NewCardBatch {
  std::string card_type_id;
  int64_t quantity = 0;
  std::optional<Date> valid_until;  // default: today + the type's validity_days
};

// The passwords of a batch, as the one-time export hands them to the card printer.
struct BatchPasswordExport {
  std::string batch_id;
  std::string batch_no;
  std::string file_name;  // "<batch_no>-passwords.csv"
  std::string csv;        // "serial,password\n" then one line per card, in seq order
};

// Card types and batches: what the head office's document administrator does before any card
// moves. Every change is audited in its own transaction. Thread-safe.
//
// Authorisation: a principal must hold the permission named on each method and belong to the head
// office (kPermissionDenied "head_office_only" otherwise); a system actor (CLI, seeds) is allowed.
class CardAdminService {
 public:
  // Keeps references to everything; they must outlive the service.
  CardAdminService(storage::Database& db, CardStore& cards, CardAdminStore& store,
                   identity::IdentityService& identity, products::ProductService& products,
                   const KeyRing& keys, const Clock& clock, const audit::AuditLog& audit);

  // Creates a card type (card.type.manage) after checking it against the catalogue: the product
  // exists and is on sale today, the plans are the product's, the default is one of them, the term
  // is one the product offers, 1 <= face_value_fen <= 100,000,000, 1 <= validity_days <= 3660, and
  // with holder_choice 1 <= start_within_days <= 365 (0 with next_day). kInvalidArgument lists
  // every problem; kAlreadyExists "card_type_code_taken" / "serial_prefix_taken".
  Result<CardType> CreateType(const Actor& actor, const NewCardType& request);
  // Returns every card type, by code (card.read or card.type.manage).
  Result<std::vector<CardType>> ListTypes(const Actor& actor);
  // Returns one type; kNotFound "not_found".
  Result<CardType> GetType(const Actor& actor, const std::string& id);
  // Sets a type "active" or "disabled" (card.type.manage, head office). A disabled type takes no
  // new batches; its existing cards are unaffected.
  Result<CardType> SetTypeStatus(const Actor& actor, const std::string& id, CardTypeStatus status);

  // Creates a batch of `quantity` (1..1,000,000) cards of an active type (card.batch.create, head
  // office): serials continue after the type's highest sequence; each card gets an 8-digit
  // password derived from a fresh per-batch secret (only its keyed hash is stored; the secret is
  // stored sealed until the one export). The cards start in stock, held by the head office.
  // kInvalidArgument for a bad quantity or a valid_until not after today; kFailedPrecondition
  // "card_type_disabled"; kFailedPrecondition "serials_exhausted" past 9,999,999,999. All or
  // nothing: one transaction.
  Result<CardBatch> CreateBatch(const Actor& actor, const NewCardBatch& request);
  // Returns batches, newest first (card.read or card.batch.create; head office staff see all,
  // others see none: batches belong to the head office).
  Result<std::vector<CardBatch>> ListBatches(const Actor& actor, const BatchFilter& filter);
  Result<CardBatch> GetBatch(const Actor& actor, const std::string& id);
  // Exports a batch's passwords once (card.batch.export, head office): the sealed secret is taken
  // out of the database (and the export audited) in one transaction, then the CSV is computed.
  // kFailedPrecondition "batch_already_exported" the second time; kNotFound for an unknown batch.
  // The passwords are never logged.
  Result<BatchPasswordExport> ExportPasswords(const Actor& actor, const std::string& batch_id);

 private:
  Status CheckHeadOffice(const Actor& actor, const char* permission, std::string* org_id);

  // Constant after construction.
  storage::Database& db_;
  CardStore& cards_;
  CardAdminStore& store_;
  identity::IdentityService& identity_;
  products::ProductService& products_;
  const KeyRing& keys_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
};

}  // namespace anxin::cards
