#include "cards/card_admin_service.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "cards/card_serial.hpp"
#include "common/access.hpp"

namespace anxin::cards {
namespace {

constexpr const char* kPermTypeManage = "card.type.manage";
constexpr const char* kPermBatchCreate = "card.batch.create";
constexpr const char* kPermBatchExport = "card.batch.export";
constexpr const char* kPermRead = "card.read";
constexpr size_t kBatchSecretBytes = 32;
// Cards whose passwords are derived and hashed at a time while a batch is written: bounds memory
// to about this many rows whatever the batch size.
constexpr size_t kCardChunk = 5000;
constexpr int64_t kMaxValidityDays = 3660;
constexpr int64_t kMaxStartWithinDays = 365;

bool IsTypeCode(std::string_view code) {
  return code.size() >= 2 && code.size() <= 20 && std::all_of(code.begin(), code.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
         });
}

// The last instant of `date` (Asia/Shanghai): cards of a batch valid until that day may be
// activated during all of it.
int64_t EndOfDayMs(const Date& date) { return StartOfDayMs(AddDays(date, 1)) - 1; }

std::string DateDigits(const Date& date) {
  std::string text = FormatDate(date);
  text.erase(std::remove(text.begin(), text.end(), '-'), text.end());
  return text;
}

nlohmann::json TypeSummary(const CardType& type) {
  return {{"code", type.code},
          {"serial_prefix", type.serial_prefix},
          {"product_code", type.product_code},
          {"plan_codes", type.plan_codes},
          {"default_plan_code", type.default_plan_code},
          {"term", std::to_string(type.term_value) + " " + std::string(TermUnitName(type.term_unit))},
          {"face_value_fen", type.face_value.fen},
          {"validity_days", type.validity_days},
          {"start_rule", StartRuleName(type.start_rule)},
          {"start_within_days", type.start_within_days}};
}

}  // namespace

std::string_view StartRuleName(StartRule rule) { return kStartRules.Name(rule); }

std::optional<StartRule> ParseStartRule(std::string_view name) { return kStartRules.Parse(name); }

std::string DeriveCardPassword(std::string_view secret, std::string_view serial) {
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(serial.data()), serial.size());
  crypto_auth_hmacsha256_final(&state, mac.data());
  constexpr uint64_t kModulus = 100'000'000;                       // 10^kCardPasswordDigits
  constexpr uint64_t kLimit = UINT64_MAX - UINT64_MAX % kModulus;  // a multiple of 10^8
  uint64_t word = 0;
  for (size_t i = 0; i < mac.size(); i += 8) {
    word = 0;
    for (size_t j = 0; j < 8; ++j) word = (word << 8) | mac[i + j];
    if (word < kLimit) break;
  }
  uint64_t value = word % kModulus;
  std::string digits(kCardPasswordDigits, '0');
  for (int i = kCardPasswordDigits - 1; i >= 0; --i) {
    digits[static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  sodium_memzero(mac.data(), mac.size());
  return digits;
}

std::string CardPasswordHash(const KeyRing& keys, std::string_view serial, std::string_view password) {
  std::string input;
  input.reserve(serial.size() + 1 + password.size());
  input.append(serial);
  input.push_back(':');
  input.append(password);
  std::string hash = keys.LookupHash("card_password", input);
  sodium_memzero(input.data(), input.size());
  return hash;
}

CardAdminService::CardAdminService(storage::Database& db, CardStore& cards, CardAdminStore& store,
                                   identity::IdentityService& identity, products::ProductService& products,
                                   const KeyRing& keys, const Clock& clock, const audit::AuditLog& audit)
    : db_(db),
      cards_(cards),
      store_(store),
      identity_(identity),
      products_(products),
      keys_(keys),
      clock_(clock),
      audit_(audit) {}

Status CardAdminService::CheckHeadOffice(const Actor& actor, const char* permission, std::string* org_id) {
  if (actor.principal != nullptr) {
    if (!actor.principal->Has(permission)) {
      return Status(StatusCode::kPermissionDenied, "permission_denied",
                    {"没有此操作的权限", "you do not have permission for this"});
    }
  }
  std::optional<HeadOffice> head;
  ANXIN_RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(head, store_.FindHeadOffice(tx));
    return Status::Ok();
  }));
  if (!head) {
    return Status(StatusCode::kFailedPrecondition, "no_head_office",
                  {"尚未建立总公司机构", "the head office does not exist yet"});
  }
  if (actor.principal != nullptr &&
      (actor.principal->kind != UserKind::kStaff || actor.principal->org_id != head->id)) {
    return Status(StatusCode::kPermissionDenied, "head_office_only",
                  {"只有总公司人员可以执行此操作", "only head office staff may do this"});
  }
  if (org_id != nullptr) *org_id = head->id;
  return Status::Ok();
}

Result<CardType> CardAdminService::CreateType(const Actor& actor, const NewCardType& request) {
  std::string head_office_id;
  ANXIN_RETURN_IF_ERROR(CheckHeadOffice(actor, kPermTypeManage, &head_office_id));

  std::vector<FieldError> errors;
  auto fail = [&errors](std::string field, std::string code, std::string zh, std::string en) {
    errors.push_back(FieldError{std::move(field), std::move(code), Text{std::move(zh), std::move(en)}});
  };
  if (!IsTypeCode(request.code)) {
    fail("code", "invalid_format", "单证类型代码应为2-20位大写字母或数字",
         "code must be 2-20 upper-case letters or digits");
  }
  if (request.name.empty()) fail("name", "required", "请填写名称", "name is required");
  if (!IsValidSerialPrefix(request.serial_prefix)) {
    fail("serial_prefix", "invalid_format", "卡号前缀应为2-4位大写字母",
         "serial_prefix must be 2-4 upper-case letters");
  }
  if (request.face_value_fen < 1 || request.face_value_fen > kMaxFaceValueFen) {
    fail("face_value_fen", "out_of_range", "面值应在1分至100万元之间", "face_value_fen must be 1..100000000");
  }
  if (request.validity_days < 1 || request.validity_days > kMaxValidityDays) {
    fail("validity_days", "out_of_range", "有效天数应在1至3660之间", "validity_days must be 1..3660");
  }
  if (request.start_rule == StartRule::kHolderChoice) {
    if (request.start_within_days < 1 || request.start_within_days > kMaxStartWithinDays) {
      fail("start_within_days", "out_of_range", "自选起保日期的天数应在1至365之间",
           "start_within_days must be 1..365 with holder_choice");
    }
  } else if (request.start_within_days != 0) {
    fail("start_within_days", "out_of_range", "次日起保时该值应为0",
         "start_within_days must be 0 with next_day");
  }
  if (request.plan_codes.empty())
    fail("plan_codes", "required", "请至少选择一个计划", "at least one plan is required");
  for (size_t i = 0; i < request.plan_codes.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (request.plan_codes[i] == request.plan_codes[j]) {
        fail("plan_codes[" + std::to_string(i) + "]", "duplicate", "计划重复", "duplicate plan");
      }
    }
  }
  if (std::find(request.plan_codes.begin(), request.plan_codes.end(), request.default_plan_code) ==
      request.plan_codes.end()) {
    fail("default_plan_code", "not_in_plan_codes", "默认计划必须是可选计划之一",
         "default_plan_code must be one of plan_codes");
  }

  // Against the catalogue: the version on sale today.
  Result<products::Product> product = products_.Get(request.product_code);
  if (!product.ok()) {
    if (product.status().code() != StatusCode::kNotFound) return std::move(product).take_status();
    fail("product_code", "not_found", "产品不存在或当前不在售", "no such product on sale today");
  } else {
    for (size_t i = 0; i < request.plan_codes.size(); ++i) {
      if (product->FindPlan(request.plan_codes[i]) == nullptr) {
        fail("plan_codes[" + std::to_string(i) + "]", "not_found", "产品没有此计划",
             "the product has no such plan");
      }
    }
    products::Term term;
    term.value = static_cast<int>(std::clamp<int64_t>(request.term_value, 0, 100000));
    term.unit = request.term_unit;
    if (request.term_value < 1 || !product->OffersTerm(term)) {
      fail("term", "not_offered", "产品不提供此保险期间", "the product does not offer this term");
    }
  }
  if (!errors.empty()) return Status::Invalid(std::move(errors));

  const int64_t now = clock_.NowMs();
  CardType type;
  type.id = NewId(now);
  type.code = request.code;
  type.name = request.name;
  type.serial_prefix = request.serial_prefix;
  type.product_code = request.product_code;
  type.plan_codes = request.plan_codes;
  type.default_plan_code = request.default_plan_code;
  type.term_unit = request.term_unit;
  type.term_value = request.term_value;
  type.face_value = Money::Fen(request.face_value_fen);
  type.validity_days = request.validity_days;
  type.start_rule = request.start_rule;
  type.start_within_days = request.start_within_days;
  type.status = CardTypeStatus::kActive;
  type.created_at = now;

  ANXIN_RETURN_IF_ERROR(db_.Write([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(std::optional<CardType> by_code, cards_.FindTypeByCode(tx, type.code));
    if (by_code) {
      return Status(StatusCode::kAlreadyExists, "card_type_code_taken",
                    {"单证类型代码已存在", "the card type code is taken"},
                    {FieldError{"code", "taken", {"单证类型代码已存在", "the card type code is taken"}}});
    }
    ANXIN_ASSIGN_OR_RETURN(std::optional<CardType> by_prefix,
                           cards_.FindTypeByPrefix(tx, type.serial_prefix));
    if (by_prefix) {
      return Status(
          StatusCode::kAlreadyExists, "serial_prefix_taken",
          {"卡号前缀已被使用", "the serial prefix is taken"},
          {FieldError{"serial_prefix", "taken", {"卡号前缀已被使用", "the serial prefix is taken"}}});
    }
    ANXIN_ASSIGN_OR_RETURN(bool inserted, store_.InsertType(tx, type, ActorId(actor)));
    if (!inserted) {
      return Status(StatusCode::kAborted, "conflict_retry", {"并发冲突，请重试", "concurrent change; retry"});
    }
    return audit_.Append(
        tx, actor,
        audit::AuditEntry{"card_type.create", "card_type", type.id, head_office_id, TypeSummary(type)});
  }));
  return type;
}

Result<std::vector<CardType>> CardAdminService::ListTypes(const Actor& actor) {
  if (actor.principal != nullptr && !actor.principal->Has(kPermRead) &&
      !actor.principal->Has(kPermTypeManage)) {
    return Status(StatusCode::kPermissionDenied, "permission_denied",
                  {"没有此操作的权限", "you do not have permission for this"});
  }
  return db_.ReadResult<std::vector<CardType>>([&](storage::Tx& tx) { return store_.ListTypes(tx); });
}

Result<CardType> CardAdminService::GetType(const Actor& actor, const std::string& id) {
  if (actor.principal != nullptr && !actor.principal->Has(kPermRead) &&
      !actor.principal->Has(kPermTypeManage)) {
    return Status(StatusCode::kPermissionDenied, "permission_denied",
                  {"没有此操作的权限", "you do not have permission for this"});
  }
  ANXIN_ASSIGN_OR_RETURN(
      std::optional<CardType> type,
      db_.ReadResult<std::optional<CardType>>([&](storage::Tx& tx) { return cards_.FindType(tx, id); }));
  if (!type) return Status::NotFound("card_type");
  return std::move(*type);
}

Result<CardType> CardAdminService::SetTypeStatus(const Actor& actor, const std::string& id,
                                                 CardTypeStatus status) {
  std::string head_office_id;
  ANXIN_RETURN_IF_ERROR(CheckHeadOffice(actor, kPermTypeManage, &head_office_id));
  return db_.WriteResult<CardType>([&](storage::Tx& tx) -> Result<CardType> {
    ANXIN_ASSIGN_OR_RETURN(std::optional<CardType> type, cards_.FindType(tx, id));
    if (!type) return Status::NotFound("card_type");
    if (type->status == status) return std::move(*type);
    ANXIN_ASSIGN_OR_RETURN(bool changed, store_.SetTypeStatus(tx, id, status));
    if (!changed) return Status::NotFound("card_type");
    ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor,
                                        audit::AuditEntry{"card_type.update",
                                                          "card_type",
                                                          id,
                                                          head_office_id,
                                                          {{"code", type->code},
                                                           {"status",
                                                            {{"from", kCardTypeStatuses.Name(type->status)},
                                                             {"to", kCardTypeStatuses.Name(status)}}}}}));
    type->status = status;
    return std::move(*type);
  });
}

Result<CardBatch> CardAdminService::CreateBatch(const Actor& actor, const NewCardBatch& request) {
  std::string head_office_id;
  ANXIN_RETURN_IF_ERROR(CheckHeadOffice(actor, kPermBatchCreate, &head_office_id));
  if (request.quantity < 1 || request.quantity > kMaxBatchQuantity) {
    return Status::InvalidField("quantity", "out_of_range",
                                {"数量应在1至1,000,000之间", "quantity must be 1..1000000"});
  }
  ANXIN_ASSIGN_OR_RETURN(CardType type, GetType(Actor::System("card-admin"), request.card_type_id));
  if (type.status != CardTypeStatus::kActive) {
    return Status(StatusCode::kFailedPrecondition, "card_type_disabled",
                  {"该单证类型已停用", "the card type is disabled"});
  }
  const int64_t now = clock_.NowMs();
  const Date today = DateOf(now);
  const Date valid_until = request.valid_until.value_or(AddDays(today, type.validity_days));
  if (valid_until <= today) {
    return Status::InvalidField("valid_until", "not_in_future",
                                {"有效期须晚于今天", "valid_until must be after today"});
  }
  if (valid_until > AddDays(today, kMaxValidityDays)) {
    return Status::InvalidField("valid_until", "out_of_range",
                                {"有效期不能超过十年", "valid_until must be within 10 years"});
  }

  // The secret lives only sealed in the database and, unsealed, in this function.
  std::string secret(kBatchSecretBytes, '\0');
  randombytes_buf(secret.data(), secret.size());
  const std::string sealed = keys_.Seal(secret);

  CardBatch batch;
  batch.id = NewId(now);
  batch.card_type_id = type.id;
  batch.card_type_code = type.code;
  batch.serial_prefix = type.serial_prefix;
  batch.org_id = head_office_id;
  batch.quantity = request.quantity;
  batch.valid_until = EndOfDayMs(valid_until);
  batch.created_at = now;
  batch.created_by = ActorId(actor);

  // One transaction for the whole batch; passwords and hashes are computed a chunk at a time
  // inside it, so memory stays bounded by kCardChunk rows whatever the quantity. The work is
  // deterministic given the secret, so a retried transaction writes the same cards.
  Status written = db_.Write([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(bool locked, store_.LockType(tx, type.id));
    if (!locked) return Status::NotFound("card_type");
    ANXIN_ASSIGN_OR_RETURN(std::optional<HeadOffice> head, store_.FindHeadOffice(tx));
    if (!head) return Status::Internal("cards: head office vanished");
    ANXIN_ASSIGN_OR_RETURN(int64_t max_seq, store_.MaxSeq(tx, type.id));
    if (max_seq + request.quantity > kMaxSerialSequence) {
      return Status(StatusCode::kFailedPrecondition, "serials_exhausted",
                    {"该类型的卡号已用尽", "the card type has no serial numbers left"});
    }
    batch.first_seq = max_seq + 1;
    batch.last_seq = max_seq + request.quantity;
    batch.batch_no = "CB" + DateDigits(today) + "-" + type.code + "-" + std::to_string(batch.first_seq);
    ANXIN_RETURN_IF_ERROR(store_.InsertBatch(tx, batch, sealed));
    std::vector<NewCardRow> rows;
    rows.reserve(std::min<size_t>(kCardChunk, static_cast<size_t>(request.quantity)));
    for (int64_t seq = batch.first_seq; seq <= batch.last_seq; ++seq) {
      NewCardRow row;
      row.seq = seq;
      row.serial = FormatSerial(type.serial_prefix, seq);
      std::string password = DeriveCardPassword(secret, row.serial);
      row.password_hash = CardPasswordHash(keys_, row.serial, password);
      sodium_memzero(password.data(), password.size());
      rows.push_back(std::move(row));
      if (rows.size() == kCardChunk || seq == batch.last_seq) {
        ANXIN_RETURN_IF_ERROR(store_.InsertCards(tx, batch, head->id, head->path, rows, now));
        rows.clear();
      }
    }
    return audit_.Append(
        tx, actor,
        audit::AuditEntry{"card_batch.create",
                          "card_batch",
                          batch.id,
                          head_office_id,
                          {{"batch_no", batch.batch_no},
                           {"card_type", type.code},
                           {"quantity", batch.quantity},
                           {"first_serial", FormatSerial(type.serial_prefix, batch.first_seq)},
                           {"last_serial", FormatSerial(type.serial_prefix, batch.last_seq)},
                           {"valid_until", FormatDate(valid_until)}}});
  });
  sodium_memzero(secret.data(), secret.size());
  ANXIN_RETURN_IF_ERROR(written);
  return batch;
}

Result<std::vector<CardBatch>> CardAdminService::ListBatches(const Actor& actor, const BatchFilter& filter) {
  ANXIN_RETURN_IF_ERROR(CheckHeadOffice(actor, kPermRead, nullptr));
  BatchFilter clamped = filter;
  clamped.limit = std::clamp(filter.limit, 1, 500);
  return db_.ReadResult<std::vector<CardBatch>>(
      [&](storage::Tx& tx) { return store_.ListBatches(tx, clamped); });
}

Result<CardBatch> CardAdminService::GetBatch(const Actor& actor, const std::string& id) {
  ANXIN_RETURN_IF_ERROR(CheckHeadOffice(actor, kPermRead, nullptr));
  ANXIN_ASSIGN_OR_RETURN(
      std::optional<CardBatch> batch,
      db_.ReadResult<std::optional<CardBatch>>([&](storage::Tx& tx) { return store_.FindBatch(tx, id); }));
  if (!batch) return Status::NotFound("card_batch");
  return std::move(*batch);
}

Result<BatchPasswordExport> CardAdminService::ExportPasswords(const Actor& actor,
                                                              const std::string& batch_id) {
  std::string head_office_id;
  ANXIN_RETURN_IF_ERROR(CheckHeadOffice(actor, kPermBatchExport, &head_office_id));
  const int64_t now = clock_.NowMs();
  std::optional<CardBatch> batch;
  std::string sealed;
  ANXIN_RETURN_IF_ERROR(db_.Write([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(batch, store_.FindBatch(tx, batch_id));
    if (!batch) return Status::NotFound("card_batch");
    ANXIN_ASSIGN_OR_RETURN(std::optional<std::string> taken,
                           store_.TakeExportSecret(tx, batch_id, now, ActorId(actor)));
    if (!taken) {
      return Status(StatusCode::kFailedPrecondition, "batch_already_exported",
                    {"该批次的密码已导出过，不能再次导出", "the batch's passwords were exported already"});
    }
    sealed = std::move(*taken);
    return audit_.Append(tx, actor,
                         audit::AuditEntry{"card_batch.export",
                                           "card_batch",
                                           batch_id,
                                           head_office_id,
                                           {{"batch_no", batch->batch_no}, {"quantity", batch->quantity}}});
  }));
  ANXIN_ASSIGN_OR_RETURN(std::string secret, keys_.Open(sealed));

  BatchPasswordExport out;
  out.batch_id = batch->id;
  out.batch_no = batch->batch_no;
  out.file_name = batch->batch_no + "-passwords.csv";
  const size_t line_size =
      batch->serial_prefix.size() + kSerialSequenceDigits + 1 + 1 + kCardPasswordDigits + 1;
  out.csv.reserve(16 + static_cast<size_t>(batch->quantity) * line_size);
  out.csv = "serial,password\n";
  for (int64_t seq = batch->first_seq; seq <= batch->last_seq; ++seq) {
    const std::string serial = FormatSerial(batch->serial_prefix, seq);
    out.csv += serial;
    out.csv += ',';
    out.csv += DeriveCardPassword(secret, serial);
    out.csv += '\n';
  }
  sodium_memzero(secret.data(), secret.size());
  return out;
}

}  // namespace anxin::cards
