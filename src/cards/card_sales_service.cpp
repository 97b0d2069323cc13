#include "cards/card_sales_service.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cards/card_sales_documents.hpp"
#include "cards/card_serial.hpp"
#include "common/access.hpp"
#include "common/validation.hpp"
#include "documents/pdf.hpp"

namespace anxin::cards {
namespace {

using storage::Tx;

constexpr const char* kSalePrefix = "XS";
constexpr const char* kReceiptPrefix = "SF";
constexpr const char* kInvoicePrefix = "FP";
constexpr const char* kRecoveryPrefix = "HS";
constexpr int kNumberAttempts = 8;
constexpr size_t kMaxListedSerials = 20;  // in a human message; field errors list them all
constexpr size_t kMaxCodeLength = 64;
constexpr size_t kMaxPayerName = 100;
constexpr size_t kMaxBankReference = 64;
constexpr size_t kMinReason = 2;
constexpr size_t kMaxReason = 200;

// --- Authorisation ------------------------------------------------------------------------------

Status Unauthenticated() {
  return Status(StatusCode::kUnauthenticated, "unauthenticated", {"请先登录", "Please log in"});
}

Status Forbidden() {
  return Status(StatusCode::kPermissionDenied, "permission_denied",
                {"您没有执行此操作的权限", "You are not allowed to do this"});
}

// A read: a principal with `permission`, or a system actor (unrestricted).
Status CheckRead(const Actor& actor, const char* permission) {
  if (actor.principal == nullptr) return actor.system_name.empty() ? Unauthenticated() : Status::Ok();
  if (actor.principal->kind != UserKind::kStaff || !actor.principal->Has(permission)) return Forbidden();
  return Status::Ok();
}

// A change: a staff principal with `permission`.
Result<const Principal*> StaffWith(const Actor& actor, const char* permission) {
  if (actor.principal == nullptr) {
    if (actor.system_name.empty()) return Unauthenticated();
    return Status(StatusCode::kPermissionDenied, "staff_only",
                  {"该操作须由员工账号办理", "Only a staff account can do this"});
  }
  if (actor.principal->kind != UserKind::kStaff || !actor.principal->Has(permission)) return Forbidden();
  return actor.principal;
}

bool InScope(const Actor& actor, const std::string& path) {
  return actor.principal == nullptr ? !actor.system_name.empty() : actor.principal->Covers(path);
}

// Seed 000 §3: sales registration and reverse processing are done by the institution's document
// administrator.
Status RequireInstitution(Tx& tx, CardSalesStore& store, const Principal& caller, std::string_view zh_what,
                          std::string_view en_what) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<SalesOrg> org, store.FindOrg(tx, caller.org_id));
  if (org && org->level == identity::OrgLevel::kInstitution) return Status::Ok();
  const std::string level = org ? std::string(identity::OrgLevelName(org->level)) : "unknown";
  return Status(StatusCode::kPermissionDenied, "institution_level_required",
                {std::string(zh_what) + "须由机构（支公司）的单证管理员办理，您所在机构的层级为 " + level,
                 std::string(en_what) +
                     " is done by the document administrator of an institution; your "
                     "organisation is at level " +
                     level});
}

// --- Validation ---------------------------------------------------------------------------------

std::string Trim(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && (text[begin] == ' ' || text[begin] == '\t')) ++begin;
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  return std::string(text.substr(begin, end - begin));
}

std::string AsciiCase(std::string_view text, bool upper) {
  std::string out(text);
  for (char& c : out) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool HasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// RULES.md §6: free text (reasons, names) must not carry ID, phone or bank card numbers, which
// would then sit in clear in card histories and audit records. Any run of 11 or more digits
// (spaces and dashes ignored) is refused.
bool HasLongNumber(std::string_view text) {
  int run = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      if (++run >= 11) return true;
    } else if (c != ' ' && c != '-') {
      run = 0;
    }
  }
  return false;
}

void CheckCode(std::vector<FieldError>& errors, const std::string& field, const std::string& value) {
  if (Trim(value).empty()) {
    errors.push_back({field, "required", {"必填", "Required"}});
  } else if (value.size() > kMaxCodeLength || HasControl(value)) {
    errors.push_back({field, "invalid_format", {"格式不正确", "Invalid format"}});
  }
}

// Checks free text of min..max code points; `required` false allows it to be empty.
void CheckFreeText(std::vector<FieldError>& errors, const std::string& field, const std::string& value,
                   size_t min, size_t max, bool required) {
  const std::string trimmed = Trim(value);
  if (trimmed.empty()) {
    if (required) errors.push_back({field, "required", {"必填", "Required"}});
    return;
  }
  if (!IsValidUtf8(value) || HasControl(value)) {
    errors.push_back({field, "invalid_characters", {"含有无效字符", "Contains invalid characters"}});
    return;
  }
  const size_t length = Utf8Length(trimmed);
  if (length < min) {
    errors.push_back(
        {field,
         "too_short",
         {"至少 " + std::to_string(min) + " 个字", "At least " + std::to_string(min) + " characters"}});
  } else if (length > max) {
    errors.push_back(
        {field,
         "too_long",
         {"最多 " + std::to_string(max) + " 个字", "At most " + std::to_string(max) + " characters"}});
  } else if (HasLongNumber(trimmed)) {
    errors.push_back({field,
                      "contains_personal_data",
                      {"请勿填写证件号、手机号或银行卡号", "Do not enter ID, phone or bank card numbers"}});
  }
}

// Parses each serial into its canonical form, collecting errors at "<field>[i]" (duplicates too).
std::vector<std::string> ParseSerialList(std::vector<FieldError>& errors, const std::string& field,
                                         const std::vector<std::string>& input) {
  std::vector<std::string> serials;
  std::set<std::string> seen;
  for (size_t i = 0; i < input.size(); ++i) {
    const std::string path = field + "[" + std::to_string(i) + "]";
    Result<ParsedSerial> parsed = ParseSerial(Trim(input[i]), path);
    if (!parsed.ok()) {
      for (const FieldError& e : parsed.status().fields()) errors.push_back(e);
      if (parsed.status().fields().empty())
        errors.push_back({path, "invalid_format", {"卡号格式不正确", "Invalid serial"}});
      continue;
    }
    std::string serial = FormatSerial(parsed->prefix, parsed->seq);
    if (!seen.insert(serial).second) {
      errors.push_back({path, "duplicate", {"卡号重复：" + serial, "Duplicate serial " + serial}});
      continue;
    }
    serials.push_back(std::move(serial));
  }
  return serials;
}

// "A, B, C 等 N 张" for a human message.
std::string ListSerials(const std::vector<std::string>& serials, bool zh) {
  std::string out;
  for (size_t i = 0; i < serials.size() && i < kMaxListedSerials; ++i) {
    if (i > 0) out += ", ";
    out += serials[i];
  }
  if (serials.size() > kMaxListedSerials) {
    out += zh ? " 等 " + std::to_string(serials.size()) + " 张"
              : " and " + std::to_string(serials.size() - kMaxListedSerials) + " more";
  }
  return out;
}

// One offending card of an all-or-nothing operation.
struct BadCard {
  std::string serial;
  FieldError error;
};

Status CardsRefused(StatusCode code, std::string reason, std::string_view zh_what, std::string_view en_what,
                    const std::vector<BadCard>& bad) {
  std::vector<std::string> serials;
  std::vector<FieldError> fields;
  for (const BadCard& b : bad) {
    serials.push_back(b.serial);
    fields.push_back(b.error);
  }
  return Status(code, std::move(reason),
                {std::string(zh_what) + "：" + ListSerials(serials, true),
                 std::string(en_what) + ": " + ListSerials(serials, false)},
                std::move(fields));
}

Status ChangedConcurrently(const std::string& serial) {
  return Status(
      StatusCode::kAborted, "card_changed_concurrently",
      {"卡 " + serial + " 正被其他操作修改，请重试", "Card " + serial + " was changed concurrently; retry"});
}

std::string MaskReference(const std::string& reference) {
  const size_t keep = reference.size() > 4 ? 4 : 0;
  return std::string(std::max<size_t>(4, reference.size() - keep), '*') +
         reference.substr(reference.size() - keep);
}

std::string Yuan(Money amount) { return amount.ToYuanString() + " 元"; }

}  // namespace

CardSalesService::CardSalesService(storage::Database& db, CardStore& cards, CardSalesStore& store,
                                   identity::IdentityService& identity, const ledger::Ledger& ledger,
                                   const KeyRing& keys, const Clock& clock, const audit::AuditLog& audit)
    : db_(db),
      cards_(cards),
      store_(store),
      identity_(identity),
      ledger_(ledger),
      keys_(keys),
      clock_(clock),
      audit_(audit) {}

Result<std::string> CardSalesService::NextNumber(Tx& tx, NumberKind kind, std::string_view prefix) {
  const Date today = DateOf(clock_.NowMs());
  std::string date = FormatDate(today);
  date.erase(std::remove(date.begin(), date.end(), '-'), date.end());
  for (int attempt = 0; attempt < kNumberAttempts; ++attempt) {
    std::string number = std::string(prefix) + date + RandomDigits(6);
    ANXIN_ASSIGN_OR_RETURN(bool taken, store_.NumberTaken(tx, kind, number));
    if (!taken) return number;
  }
  return Status(StatusCode::kAborted, "number_unavailable",
                {"今日编号已接近用尽，请稍后重试", "No free document number right now; retry"});
}

// --- Views --------------------------------------------------------------------------------------

Result<SaleView> CardSalesService::SaleViewOf(Tx& tx, const CardSale& sale, bool with_serials) {
  SaleView view;
  view.sale = sale;
  ANXIN_ASSIGN_OR_RETURN(std::optional<CardType> type, cards_.FindType(tx, sale.card_type_id));
  if (!type) return Status::Internal("card sales: sale " + sale.id + " has no card type");
  view.card_type = std::move(*type);
  ANXIN_ASSIGN_OR_RETURN(std::optional<SalesOrg> org, store_.FindOrg(tx, sale.org_id));
  if (!org) return Status::Internal("card sales: sale " + sale.id + " has no organisation");
  view.org = std::move(*org);
  ANXIN_ASSIGN_OR_RETURN(std::optional<SalesStaff> seller, store_.FindStaff(tx, sale.seller_code));
  view.seller_name = seller ? seller->display_name : sale.seller_code;
  if (with_serials) {
    ANXIN_ASSIGN_OR_RETURN(view.serials, store_.SaleSerials(tx, sale.id));
  }
  ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> receipt,
                         store_.FindReceiptFor(tx, ReceiptKind::kCharge, sale.id));
  if (receipt) {
    view.receipt_no = receipt->receipt_no;
    ANXIN_ASSIGN_OR_RETURN(std::optional<Invoice> invoice, store_.FindInvoiceByReceipt(tx, receipt->id));
    if (invoice) view.invoice_no = invoice->invoice_no;
  }
  return view;
}

Result<ReceiptView> CardSalesService::ReceiptViewOf(Tx& tx, const Receipt& receipt) {
  ReceiptView view;
  view.receipt = receipt;
  ANXIN_ASSIGN_OR_RETURN(std::optional<SalesOrg> org, store_.FindOrg(tx, receipt.org_id));
  if (!org) return Status::Internal("card sales: receipt " + receipt.id + " has no organisation");
  view.org = std::move(*org);
  std::string sales_id;
  int64_t quantity = 0;
  if (receipt.kind == ReceiptKind::kRefund && receipt.recovery_id) {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Recovery> recovery, store_.FindRecovery(tx, *receipt.recovery_id));
    if (!recovery) return Status::Internal("card sales: refund receipt " + receipt.id + " has no recovery");
    view.recovery_no = recovery->recovery_no;
    sales_id = recovery->sales_id;
    quantity = recovery->quantity;
  } else if (receipt.sales_id) {
    sales_id = *receipt.sales_id;
  }
  ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> sale, store_.FindSale(tx, sales_id));
  if (!sale) return Status::Internal("card sales: receipt " + receipt.id + " has no sale");
  view.sales_no = sale->sales_no;
  if (receipt.kind == ReceiptKind::kCharge) quantity = sale->quantity;
  ANXIN_ASSIGN_OR_RETURN(std::optional<CardType> type, cards_.FindType(tx, sale->card_type_id));
  if (!type) return Status::Internal("card sales: sale " + sale->id + " has no card type");
  view.items.push_back({type->code + " " + type->name, quantity, type->face_value, receipt.amount});
  ANXIN_ASSIGN_OR_RETURN(std::optional<Invoice> invoice, store_.FindInvoiceByReceipt(tx, receipt.id));
  if (invoice) view.invoice_no = invoice->invoice_no;
  if (receipt.bank_reference_enc) {
    ANXIN_ASSIGN_OR_RETURN(std::string reference, keys_.Open(*receipt.bank_reference_enc));
    view.bank_reference_masked = MaskReference(reference);
  }
  return view;
}

Result<InvoiceView> CardSalesService::InvoiceViewOf(Tx& tx, const Invoice& invoice) {
  InvoiceView view;
  view.invoice = invoice;
  ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> receipt, store_.FindReceipt(tx, invoice.receipt_id));
  if (!receipt) return Status::Internal("card sales: invoice " + invoice.id + " has no receipt");
  ANXIN_ASSIGN_OR_RETURN(ReceiptView receipt_view, ReceiptViewOf(tx, *receipt));
  view.org = receipt_view.org;
  view.receipt_no = receipt->receipt_no;
  view.sales_no = receipt_view.sales_no;
  view.recovery_no = receipt_view.recovery_no;
  view.items = receipt_view.items;
  if (invoice.kind == InvoiceKind::kRed) {
    // A red-letter invoice reverses the lines it refunds: negative quantity and amount.
    for (LineItem& item : view.items) {
      item.quantity = -item.quantity;
      item.amount = -item.amount;
    }
  }
  if (invoice.original_invoice_id) {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Invoice> original,
                           store_.FindInvoice(tx, *invoice.original_invoice_id));
    if (original) view.original_invoice_no = original->invoice_no;
  }
  return view;
}

Result<RecoveryView> CardSalesService::RecoveryViewOf(Tx& tx, const Recovery& recovery) {
  RecoveryView view;
  view.recovery = recovery;
  ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> sale, store_.FindSale(tx, recovery.sales_id));
  if (!sale) return Status::Internal("card sales: recovery " + recovery.id + " has no sale");
  view.sales_no = sale->sales_no;
  ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> receipt,
                         store_.FindReceiptFor(tx, ReceiptKind::kRefund, recovery.id));
  if (receipt) {
    view.receipt_no = receipt->receipt_no;
    ANXIN_ASSIGN_OR_RETURN(std::optional<Invoice> invoice, store_.FindInvoiceByReceipt(tx, receipt->id));
    if (invoice) view.invoice_no = invoice->invoice_no;
  }
  return view;
}

Result<CardSale> CardSalesService::SaleInScope(Tx& tx, const Actor& actor, const std::string& id_or_no) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> sale, store_.FindSale(tx, id_or_no));
  if (!sale) {
    ANXIN_ASSIGN_OR_RETURN(sale, store_.FindSaleByNo(tx, id_or_no));
  }
  if (!sale || !InScope(actor, sale->org_path)) return Status::NotFound("card_sale");
  return std::move(*sale);
}

// --- Sales registration -------------------------------------------------------------------------

Result<SaleView> CardSalesService::RegisterSale(const Actor& actor, const SaleRequest& request) {
  ANXIN_ASSIGN_OR_RETURN(const Principal* caller, StaffWith(actor, kPermCardSale));

  // Shape of the input, before any look-up.
  std::vector<FieldError> errors;
  CheckCode(errors, "doc_type_code", request.doc_type_code);
  CheckCode(errors, "seller_org_code", request.seller_org_code);
  CheckCode(errors, "seller_code", request.seller_code);
  std::optional<BusinessSource> source = ParseBusinessSource(request.business_source);
  if (request.business_source.empty()) {
    errors.push_back({"business_source", "required", {"必填", "Required"}});
  } else if (!source) {
    errors.push_back({"business_source",
                      "invalid_value",
                      {"业务来源须为 direct、agency、broker、bancassurance 或 online 之一",
                       "business_source must be one of direct, agency, broker, bancassurance, online"}});
  }
  const bool has_list = !request.serials.empty();
  const bool has_range = request.first_serial.has_value() || request.last_serial.has_value();
  std::vector<std::string> serials;
  std::vector<std::string> serial_fields;  // the input field each serial came from
  std::string range_prefix;
  int64_t first_seq = 0;
  int64_t last_seq = 0;
  if (has_list && has_range) {
    errors.push_back(
        {"serials",
         "conflicting",
         {"卡号列表与起止卡号只能填写一种", "Give either serials or first_serial/last_serial, not both"}});
  } else if (!has_list && !has_range) {
    errors.push_back({"serials",
                      "required",
                      {"请填写卡号列表或起止卡号", "Give serials or first_serial and last_serial"}});
  } else if (has_list) {
    if (static_cast<int64_t>(request.serials.size()) > kMaxCardsPerSale) {
      errors.push_back({"serials",
                        "too_many_items",
                        {"一次销售登记最多 " + std::to_string(kMaxCardsPerSale) + " 张卡",
                         "At most " + std::to_string(kMaxCardsPerSale) + " cards per sales registration"}});
    } else {
      serials = ParseSerialList(errors, "serials", request.serials);
    }
  } else {
    std::optional<ParsedSerial> first;
    std::optional<ParsedSerial> last;
    for (auto [field, text, out] : {std::tuple{"first_serial", &request.first_serial, &first},
                                    std::tuple{"last_serial", &request.last_serial, &last}}) {
      if (!text->has_value() || Trim(**text).empty()) {
        errors.push_back({field, "required", {"必填", "Required"}});
        continue;
      }
      Result<ParsedSerial> parsed = ParseSerial(Trim(**text), field);
      if (!parsed.ok()) {
        for (const FieldError& e : parsed.status().fields()) errors.push_back(e);
        continue;
      }
      *out = *parsed;
    }
    if (first && last) {
      if (first->prefix != last->prefix) {
        errors.push_back(
            {"last_serial",
             "prefix_mismatch",
             {"起止卡号须属于同一单证类型", "first_serial and last_serial must share a prefix"}});
      } else if (last->seq < first->seq) {
        errors.push_back(
            {"last_serial", "before_first", {"止号不能小于起号", "last_serial is before first_serial"}});
      } else if (last->seq - first->seq + 1 > kMaxCardsPerSale) {
        errors.push_back({"last_serial",
                          "too_many_cards",
                          {"一次销售登记最多 " + std::to_string(kMaxCardsPerSale) + " 张卡",
                           "At most " + std::to_string(kMaxCardsPerSale) + " cards per sales registration"}});
      } else {
        range_prefix = first->prefix;
        first_seq = first->seq;
        last_seq = last->seq;
        for (int64_t seq = first_seq; seq <= last_seq; ++seq) {
          serials.push_back(FormatSerial(range_prefix, seq));
          serial_fields.emplace_back("serials");
        }
      }
    }
  }
  if (!errors.empty()) return Status::Invalid(std::move(errors));
  // ParseSerialList drops bad entries; with no errors every input became a serial, in order.
  if (has_list) {
    for (size_t i = 0; i < serials.size(); ++i) serial_fields.push_back("serials[" + std::to_string(i) + "]");
  }

  ANXIN_ASSIGN_OR_RETURN(std::optional<identity::Org> seller_org,
                         identity_.FindOrgByCode(Trim(request.seller_org_code)));
  const int64_t now = clock_.NowMs();
  const std::string actor_id = ActorId(actor);

  return db_.WriteResult<SaleView>([&](Tx& tx) -> Result<SaleView> {
    ANXIN_RETURN_IF_ERROR(RequireInstitution(tx, store_, *caller, "销售登记", "Sales registration"));
    ANXIN_ASSIGN_OR_RETURN(std::optional<SalesOrg> institution, store_.FindOrg(tx, caller->org_id));

    // References: card type, seller organisation and seller.
    std::vector<FieldError> refs;
    ANXIN_ASSIGN_OR_RETURN(std::optional<CardType> type,
                           cards_.FindTypeByCode(tx, AsciiCase(Trim(request.doc_type_code), true)));
    if (!type) {
      refs.push_back({"doc_type_code", "not_found", {"单证类型不存在", "No such card type"}});
    } else if (type->status != CardTypeStatus::kActive) {
      refs.push_back({"doc_type_code", "type_disabled", {"该单证类型已停用", "This card type is disabled"}});
    } else {
      for (size_t i = 0; i < serials.size(); ++i) {
        if (serials[i].compare(0, type->serial_prefix.size(), type->serial_prefix) != 0 ||
            serials[i].size() != type->serial_prefix.size() + kSerialSequenceDigits + 1) {
          refs.push_back({has_list ? serial_fields[i] : "first_serial",
                          "wrong_card_type",
                          {"卡号 " + serials[i] + " 不属于单证类型 " + type->code,
                           "Serial " + serials[i] + " is not of card type " + type->code}});
          if (!has_list) break;
        }
      }
    }
    if (!seller_org || !caller->Covers(seller_org->path)) {
      refs.push_back({"seller_org_code",
                      "not_found",
                      {"销售机构不存在或不在您的管辖范围内", "No such organisation in your scope"}});
    } else if (seller_org->status != identity::ActiveState::kActive) {
      refs.push_back(
          {"seller_org_code", "org_disabled", {"该销售机构已停用", "This organisation is disabled"}});
    }
    ANXIN_ASSIGN_OR_RETURN(std::optional<SalesStaff> seller,
                           store_.FindStaff(tx, AsciiCase(Trim(request.seller_code), false)));
    if (!seller || (seller_org && seller->org_id != seller_org->id)) {
      refs.push_back({"seller_code",
                      "not_found",
                      {"销售机构下没有该销售人员", "No such staff member in the seller organisation"}});
    } else if (!seller->is_seller) {
      refs.push_back(
          {"seller_code", "not_a_seller", {"该员工不是销售人员", "This staff member is not a seller"}});
    } else if (!seller->active) {
      refs.push_back(
          {"seller_code", "disabled", {"该销售人员账号已停用", "This seller's account is disabled"}});
    }
    if (!refs.empty()) return Status::Invalid(std::move(refs));

    // The cards: all in stock and held by the institution or a person of its subtree, or none sold.
    std::map<std::string, Card> found;
    if (has_list) {
      for (const std::string& serial : serials) {
        ANXIN_ASSIGN_OR_RETURN(std::optional<Card> card, cards_.Find(tx, serial));
        if (card) found.emplace(serial, std::move(*card));
      }
    } else {
      ANXIN_ASSIGN_OR_RETURN(std::vector<Card> range, cards_.FindRange(tx, type->id, first_seq, last_seq));
      for (Card& card : range) found.emplace(card.serial, std::move(card));
    }
    std::vector<BadCard> bad;
    std::vector<const Card*> sellable;
    for (size_t i = 0; i < serials.size(); ++i) {
      const std::string& serial = serials[i];
      auto it = found.find(serial);
      if (it == found.end() || !caller->Covers(it->second.holder_org_path)) {
        bad.push_back(
            {serial, {serial_fields[i], "not_found", {serial + "：卡不存在", serial + ": no such card"}}});
        continue;
      }
      const Card& card = it->second;
      if (Result<CardStatus> next = CardTransition(card.status, CardAction::kSell); !next.ok()) {
        bad.push_back({serial,
                       {serial_fields[i],
                        next.status().reason(),
                        {serial + "：当前状态为" + std::string(CardStatusLabelZh(card.status)),
                         serial + ": status is " + std::string(CardStatusName(card.status))}}});
        continue;
      }
      const bool held_by_institution =
          card.holder_type == HolderType::kOrg && card.holder_id == caller->org_id;
      if (!held_by_institution && card.holder_type != HolderType::kPerson) {
        bad.push_back(
            {serial,
             {serial_fields[i],
              "not_held_by_institution",
              {serial + "：该卡由下级机构持有，须先回收到本机构或下发给个人",
               serial + ": held by a subordinate organisation; recall it or issue it to a person first"}}});
        continue;
      }
      sellable.push_back(&card);
    }
    if (!bad.empty()) {
      return CardsRefused(StatusCode::kFailedPrecondition, "cards_not_sellable", "以下卡不能销售",
                          "These cards cannot be sold", bad);
    }

    CardSale sale;
    sale.id = NewId(now);
    ANXIN_ASSIGN_OR_RETURN(sale.sales_no, NextNumber(tx, NumberKind::kSale, kSalePrefix));
    sale.card_type_id = type->id;
    sale.org_id = institution->id;
    sale.org_path = institution->path;
    sale.seller_org_code = seller_org->code;
    sale.seller_code = seller->login;
    sale.business_source = *source;
    sale.quantity = static_cast<int64_t>(sellable.size());
    sale.amount = Money::Fen(type->face_value.fen * sale.quantity);
    sale.status = SaleStatus::kRegistered;
    sale.created_at = now;
    sale.created_by = actor_id;
    ANXIN_RETURN_IF_ERROR(store_.InsertSale(tx, sale));

    // Cards change in serial order, so concurrent operations on overlapping cards lock them in the
    // same order (PostgreSQL) rather than deadlock.
    std::sort(sellable.begin(), sellable.end(),
              [](const Card* a, const Card* b) { return a->serial < b->serial; });
    // After the sale the card belongs to the selling institution: reversal restocks it there, and
    // reporting it lost is scoped to that institution's subtree.
    CardChange change;
    change.sales_id = sale.id;
    change.holder_type = HolderType::kOrg;
    change.holder_id = institution->id;
    change.holder_org_id = institution->id;
    change.holder_org_path = institution->path;
    for (const Card* card : sellable) {
      ANXIN_ASSIGN_OR_RETURN(bool moved, cards_.Transition(tx, card->serial, CardStatus::kInStock,
                                                           CardStatus::kSold, change, now));
      if (!moved) return ChangedConcurrently(card->serial);
      ANXIN_RETURN_IF_ERROR(cards_.AppendEvent(
          tx, CardEvent{card->serial, now, CardAction::kSell, CardStatus::kInStock, CardStatus::kSold,
                        actor_id, "sale", sale.id,
                        nlohmann::json{{"sales_no", sale.sales_no},
                                       {"previous_holder_type", kHolderTypes.Name(card->holder_type)},
                                       {"previous_holder_id", card->holder_id}}}));
    }
    nlohmann::json summary = {{"sales_no", sale.sales_no},
                              {"card_type_id", type->id},
                              {"quantity", sale.quantity},
                              {"amount_fen", sale.amount.fen},
                              {"seller_org_id", seller_org->id},
                              {"seller_user_id", seller->user_id},
                              {"business_source", std::string(BusinessSourceName(sale.business_source))},
                              {"first_serial", serials.front()},
                              {"last_serial", serials.back()}};
    ANXIN_RETURN_IF_ERROR(audit_.Append(
        tx, actor, {"card_sale.register", "card_sale", sale.id, sale.org_id, std::move(summary)}));

    ANXIN_ASSIGN_OR_RETURN(SaleView view, SaleViewOf(tx, sale, /*with_serials=*/true));
    if (sale.quantity > kBulkSaleThreshold) {
      // Seed 000 §3: "try not to do bulk sales registration".
      view.warnings.push_back({"bulk_sales_discouraged",
                               {"不建议批量销售登记（本次 " + std::to_string(sale.quantity) +
                                    " 张，建议不超过 " + std::to_string(kBulkSaleThreshold) + " 张）",
                                "Bulk sales registration is discouraged (" + std::to_string(sale.quantity) +
                                    " cards; at most " + std::to_string(kBulkSaleThreshold) + " advised)"}});
    }
    return view;
  });
}

Result<SaleView> CardSalesService::GetSale(const Actor& actor, const std::string& id_or_no) {
  ANXIN_RETURN_IF_ERROR(CheckRead(actor, kPermCardRead));
  return db_.ReadResult<SaleView>([&](Tx& tx) -> Result<SaleView> {
    ANXIN_ASSIGN_OR_RETURN(CardSale sale, SaleInScope(tx, actor, id_or_no));
    return SaleViewOf(tx, sale, /*with_serials=*/true);
  });
}

Result<SalePage> CardSalesService::ListSales(const Actor& actor, const SaleListQuery& query) {
  ANXIN_RETURN_IF_ERROR(CheckRead(actor, kPermCardRead));
  const int limit = std::clamp(query.limit, 1, kMaxSalesListLimit);
  return db_.ReadResult<SalePage>([&](Tx& tx) -> Result<SalePage> {
    SalePage page;
    SaleQuery q;
    q.scope_path = actor.principal != nullptr ? actor.principal->org_path : "";
    if (actor.principal != nullptr && q.scope_path.empty()) return page;
    q.status = query.status;
    q.seller_code = query.seller_code;
    q.from_ms = query.from_ms;
    q.to_ms = query.to_ms;
    q.after_id = query.after;
    q.limit = limit + 1;
    if (query.doc_type_code) {
      ANXIN_ASSIGN_OR_RETURN(std::optional<CardType> type, cards_.FindTypeByCode(tx, *query.doc_type_code));
      if (!type) return page;
      q.card_type_id = type->id;
    }
    ANXIN_ASSIGN_OR_RETURN(page.items, store_.ListSales(tx, q));
    if (static_cast<int>(page.items.size()) > limit) {
      page.items.resize(static_cast<size_t>(limit));
      page.next_after = page.items.back().id;
    }
    return page;
  });
}

Result<std::string> CardSalesService::ChargeListPdf(const Actor& actor, const std::string& id_or_no) {
  ANXIN_ASSIGN_OR_RETURN(SaleView view, GetSale(actor, id_or_no));
  // Rendering is slow: done outside any transaction.
  return documents::RenderPdf(ChargeListDocument(view, clock_.NowMs()));
}

// --- Receipts and payment -----------------------------------------------------------------------

Result<ReceiptView> CardSalesService::IssueReceipt(const Actor& actor, const ReceiptRequest& request) {
  ANXIN_ASSIGN_OR_RETURN(const Principal* caller, StaffWith(actor, kPermCardPayment));
  const bool by_sale = request.sales_no && !Trim(*request.sales_no).empty();
  const bool by_recovery = request.recovery_no && !Trim(*request.recovery_no).empty();
  if (by_sale && by_recovery) {
    return Status::InvalidField(
        "recovery_no", "conflicting",
        {"销售单号与回收单号只能填写一个", "Give either sales_no or recovery_no, not both"});
  }
  if (!by_sale && !by_recovery) {
    return Status::InvalidField(
        "sales_no", "required",
        {"请填写销售单号（收费）或回收单号（退费）", "Give sales_no (charge) or recovery_no (refund)"});
  }
  const std::string number = Trim(by_sale ? *request.sales_no : *request.recovery_no);
  const int64_t now = clock_.NowMs();
  const std::string actor_id = ActorId(actor);

  return db_.WriteResult<ReceiptView>([&](Tx& tx) -> Result<ReceiptView> {
    Receipt receipt;
    receipt.id = NewId(now);
    receipt.status = ReceiptStatus::kIssued;
    receipt.issued_at = now;
    receipt.issued_by = actor_id;
    std::string sales_no;
    std::string recovery_no;
    if (by_sale) {
      ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> found, store_.FindSaleByNo(tx, number));
      if (!found || !caller->Covers(found->org_path)) return Status::NotFound("card_sale");
      ANXIN_RETURN_IF_ERROR(store_.LockSale(tx, found->id));
      ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> sale, store_.FindSale(tx, found->id));
      if (!sale) return Status::NotFound("card_sale");
      ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> existing,
                             store_.FindReceiptFor(tx, ReceiptKind::kCharge, sale->id));
      if (existing) {
        return Status(StatusCode::kFailedPrecondition, "receipt_already_issued",
                      {"该销售单已开具收费收据 " + existing->receipt_no,
                       "A charge receipt was already issued for this sale: " + existing->receipt_no});
      }
      if (sale->status != SaleStatus::kRegistered) {
        return Status(
            StatusCode::kFailedPrecondition, "sale_not_registered",
            {"该销售单当前状态不能开具收费收据", "This sale cannot be charged in its current status (" +
                                                     std::string(SaleStatusName(sale->status)) + ")"});
      }
      ANXIN_ASSIGN_OR_RETURN(std::optional<SalesStaff> seller, store_.FindStaff(tx, sale->seller_code));
      receipt.kind = ReceiptKind::kCharge;
      receipt.sales_id = sale->id;
      receipt.org_id = sale->org_id;
      receipt.org_path = sale->org_path;
      receipt.amount = sale->amount;
      receipt.payer_name = seller ? seller->display_name : sale->seller_code;
      ANXIN_ASSIGN_OR_RETURN(receipt.receipt_no, NextNumber(tx, NumberKind::kReceipt, kReceiptPrefix));
      ANXIN_RETURN_IF_ERROR(store_.InsertReceipt(tx, receipt));
      sale->status = SaleStatus::kReceipted;
      ANXIN_RETURN_IF_ERROR(store_.UpdateSale(tx, *sale));
      if (receipt.amount.fen > 0) {
        ANXIN_RETURN_IF_ERROR(
            ledger_
                .Post(tx, actor,
                      {"保险卡收费收据 " + receipt.receipt_no + "（销售单 " + sale->sales_no + "）应收保费",
                       "receipt",
                       receipt.id,
                       sale->org_id,
                       {{ledger::kPremiumReceivable, receipt.amount, Money{}},
                        {ledger::kAdvancePremium, Money{}, receipt.amount}}})
                .status());
      }
      sales_no = sale->sales_no;
    } else {
      ANXIN_ASSIGN_OR_RETURN(std::optional<Recovery> found, store_.FindRecoveryByNo(tx, number));
      if (!found || !caller->Covers(found->org_path)) return Status::NotFound("card_recovery");
      ANXIN_RETURN_IF_ERROR(store_.LockSale(tx, found->sales_id));
      ANXIN_ASSIGN_OR_RETURN(std::optional<Recovery> recovery, store_.FindRecovery(tx, found->id));
      if (!recovery) return Status::NotFound("card_recovery");
      ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> existing,
                             store_.FindReceiptFor(tx, ReceiptKind::kRefund, recovery->id));
      if (existing) {
        return Status(StatusCode::kFailedPrecondition, "receipt_already_issued",
                      {"该回收单已开具退费收据 " + existing->receipt_no,
                       "A refund receipt was already issued for this recovery: " + existing->receipt_no});
      }
      if (!recovery->paid_before || recovery->status != RecoveryStatus::kRegistered) {
        return Status(
            StatusCode::kFailedPrecondition, "no_refund_due",
            {"该回收单的卡未收费，无需退费", "The cards of this recovery were not paid: no refund is due"});
      }
      ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> sale, store_.FindSale(tx, recovery->sales_id));
      if (!sale) return Status::Internal("card sales: recovery " + recovery->id + " has no sale");
      ANXIN_ASSIGN_OR_RETURN(std::optional<SalesStaff> seller, store_.FindStaff(tx, sale->seller_code));
      receipt.kind = ReceiptKind::kRefund;
      receipt.recovery_id = recovery->id;
      receipt.org_id = recovery->org_id;
      receipt.org_path = recovery->org_path;
      receipt.amount = recovery->amount;
      receipt.payer_name = seller ? seller->display_name : sale->seller_code;
      ANXIN_ASSIGN_OR_RETURN(receipt.receipt_no, NextNumber(tx, NumberKind::kReceipt, kReceiptPrefix));
      ANXIN_RETURN_IF_ERROR(store_.InsertReceipt(tx, receipt));
      sales_no = sale->sales_no;
      recovery_no = recovery->recovery_no;
    }
    nlohmann::json summary = {{"receipt_no", receipt.receipt_no},
                              {"kind", std::string(ReceiptKindName(receipt.kind))},
                              {"sales_no", sales_no},
                              {"amount_fen", receipt.amount.fen}};
    if (!recovery_no.empty()) summary["recovery_no"] = recovery_no;
    ANXIN_RETURN_IF_ERROR(audit_.Append(
        tx, actor, {"receipt.issue", "receipt", receipt.id, receipt.org_id, std::move(summary)}));
    return ReceiptViewOf(tx, receipt);
  });
}

Result<ConfirmResult> CardSalesService::ConfirmReceipt(const Actor& actor, const std::string& receipt_no,
                                                       const ConfirmRequest& request) {
  ANXIN_ASSIGN_OR_RETURN(const Principal* caller, StaffWith(actor, kPermCardPayment));
  std::vector<FieldError> errors;
  if (request.amount_fen <= 0) {
    errors.push_back({"amount_fen", "out_of_range", {"金额须大于 0", "The amount must be positive"}});
  }
  if (request.payer_name) CheckFreeText(errors, "payer_name", *request.payer_name, 1, kMaxPayerName, true);
  if (request.bank_reference) {
    const std::string reference = Trim(*request.bank_reference);
    if (reference.empty()) {
      errors.push_back({"bank_reference", "required", {"不能为空", "Must not be empty"}});
    } else if (reference.size() > kMaxBankReference || HasControl(reference) || !IsValidUtf8(reference)) {
      errors.push_back({"bank_reference", "invalid_format", {"格式不正确", "Invalid format"}});
    }
  }
  if (!errors.empty()) return Status::Invalid(std::move(errors));
  // RULES.md §6: a bank reference may carry account digits; it is stored sealed only.
  std::optional<std::string> sealed_reference;
  if (request.bank_reference) sealed_reference = keys_.Seal(Trim(*request.bank_reference));
  const int64_t now = clock_.NowMs();
  const std::string actor_id = ActorId(actor);

  return db_.WriteResult<ConfirmResult>([&](Tx& tx) -> Result<ConfirmResult> {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> found, store_.FindReceiptByNo(tx, receipt_no));
    if (!found || !caller->Covers(found->org_path)) return Status::NotFound("receipt");
    std::string sales_id;
    if (found->kind == ReceiptKind::kCharge && found->sales_id) {
      sales_id = *found->sales_id;
    } else if (found->recovery_id) {
      ANXIN_ASSIGN_OR_RETURN(std::optional<Recovery> recovery, store_.FindRecovery(tx, *found->recovery_id));
      if (!recovery) return Status::Internal("card sales: receipt " + found->id + " has no recovery");
      sales_id = recovery->sales_id;
    }
    ANXIN_RETURN_IF_ERROR(store_.LockSale(tx, sales_id));
    ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> receipt, store_.FindReceipt(tx, found->id));
    if (!receipt) return Status::NotFound("receipt");
    if (receipt->status != ReceiptStatus::kIssued) {
      return Status(
          StatusCode::kFailedPrecondition, "receipt_not_issued",
          {"该收据已确认或已作废（当前状态：" + std::string(ReceiptStatusName(receipt->status)) + "）",
           "This receipt is already " + std::string(ReceiptStatusName(receipt->status))});
    }
    if (request.amount_fen != receipt->amount.fen) {
      return Status::InvalidField(
          "amount_fen", "amount_mismatch",
          {"金额与收据金额 " + Yuan(receipt->amount) + " 不符",
           "The amount differs from the receipt's " + receipt->amount.ToYuanString() + " yuan"});
    }
    if (request.payer_name) receipt->payer_name = Trim(*request.payer_name);
    receipt->bank_reference_enc = sealed_reference;
    receipt->status = ReceiptStatus::kConfirmed;
    receipt->confirmed_at = now;
    receipt->confirmed_by = actor_id;
    if (receipt->kind == ReceiptKind::kCharge)
      return ConfirmCharge(tx, actor, std::move(*receipt), request, now);
    return ConfirmRefund(tx, actor, std::move(*receipt), request, now);
  });
}

// Issues the invoice of a confirmed receipt: blue for a charge; red-letter (negative, pointing at
// `original`) for a refund, when `original` is set.
Result<Invoice> CardSalesService::InsertInvoice(Tx& tx, const Receipt& receipt, const Invoice* original,
                                                int64_t now, const std::string& actor_id) {
  Invoice invoice;
  invoice.id = NewId(now);
  ANXIN_ASSIGN_OR_RETURN(invoice.invoice_no, NextNumber(tx, NumberKind::kInvoice, kInvoicePrefix));
  invoice.kind = original == nullptr ? InvoiceKind::kBlue : InvoiceKind::kRed;
  invoice.receipt_id = receipt.id;
  if (original != nullptr) invoice.original_invoice_id = original->id;
  invoice.org_id = receipt.org_id;
  invoice.org_path = receipt.org_path;
  invoice.buyer_name = original == nullptr ? receipt.payer_name : original->buyer_name;
  invoice.amount = original == nullptr ? receipt.amount : -receipt.amount;
  invoice.issued_at = now;
  invoice.issued_by = actor_id;
  ANXIN_RETURN_IF_ERROR(store_.InsertInvoice(tx, invoice));
  return invoice;
}

Result<ConfirmResult> CardSalesService::ConfirmCharge(Tx& tx, const Actor& actor, Receipt receipt,
                                                      const ConfirmRequest& /*request*/, int64_t now) {
  const std::string actor_id = ActorId(actor);
  ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> sale, store_.FindSale(tx, *receipt.sales_id));
  if (!sale) return Status::Internal("card sales: receipt " + receipt.id + " has no sale");
  if (sale->status != SaleStatus::kReceipted) {
    return Status(StatusCode::kFailedPrecondition, "sale_not_receipted",
                  {"该销售单当前状态不能确认收费", "This sale cannot be confirmed in its status (" +
                                                       std::string(SaleStatusName(sale->status)) + ")"});
  }
  ANXIN_ASSIGN_OR_RETURN(std::vector<std::string> serials, store_.SaleSerials(tx, sale->id));
  // All or nothing: a card reported lost in the meantime stops the confirmation.
  std::vector<BadCard> bad;
  for (const std::string& serial : serials) {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Card> card, cards_.Find(tx, serial));
    if (!card) return Status::Internal("card sales: card " + serial + " vanished");
    if (Result<CardStatus> next = CardTransition(card->status, CardAction::kConfirmPayment); !next.ok()) {
      bad.push_back({serial,
                     {"serials",
                      next.status().reason(),
                      {serial + "：当前状态为" + std::string(CardStatusLabelZh(card->status)),
                       serial + ": status is " + std::string(CardStatusName(card->status))}}});
    }
  }
  if (!bad.empty()) {
    return CardsRefused(StatusCode::kFailedPrecondition, "cards_not_confirmable",
                        "以下卡当前不能确认收费（挂失的卡请先解挂）",
                        "These cards cannot have payment confirmed (unfreeze lost cards first)", bad);
  }
  ANXIN_ASSIGN_OR_RETURN(bool claimed, store_.ConfirmReceipt(tx, receipt));
  if (!claimed) {
    return Status(StatusCode::kFailedPrecondition, "receipt_not_issued",
                  {"该收据已确认", "This receipt is already confirmed"});
  }
  for (const std::string& serial : serials) {
    ANXIN_ASSIGN_OR_RETURN(bool moved, cards_.Transition(tx, serial, CardStatus::kSold,
                                                         CardStatus::kAwaitingActivation, CardChange{}, now));
    if (!moved) return ChangedConcurrently(serial);
    ANXIN_RETURN_IF_ERROR(cards_.AppendEvent(
        tx, CardEvent{serial, now, CardAction::kConfirmPayment, CardStatus::kSold,
                      CardStatus::kAwaitingActivation, actor_id, "receipt", receipt.id,
                      nlohmann::json{{"receipt_no", receipt.receipt_no}, {"sales_no", sale->sales_no}}}));
  }
  sale->status = SaleStatus::kPaid;
  ANXIN_RETURN_IF_ERROR(store_.UpdateSale(tx, *sale));

  ANXIN_ASSIGN_OR_RETURN(Invoice invoice, InsertInvoice(tx, receipt, nullptr, now, actor_id));

  // Seed 000 §4: on confirmation, the funds received write off the premium receivable booked
  // against the advance premium (预收保费核销).
  if (receipt.amount.fen > 0) {
    ANXIN_RETURN_IF_ERROR(
        ledger_
            .Post(tx, actor,
                  {"保险卡收费确认 " + receipt.receipt_no + "（销售单 " + sale->sales_no + "）预收保费核销",
                   "receipt",
                   receipt.id,
                   receipt.org_id,
                   {{ledger::kBank, receipt.amount, Money{}},
                    {ledger::kPremiumReceivable, Money{}, receipt.amount}}})
            .status());
  }
  ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor,
                                      {"receipt.confirm",
                                       "receipt",
                                       receipt.id,
                                       receipt.org_id,
                                       {{"receipt_no", receipt.receipt_no},
                                        {"kind", ReceiptKindName(ReceiptKind::kCharge)},
                                        {"sales_no", sale->sales_no},
                                        {"amount_fen", receipt.amount.fen},
                                        {"cards", static_cast<int64_t>(serials.size())},
                                        {"bank_reference", receipt.bank_reference_enc.has_value()}}}));
  ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor,
                                      {"invoice.issue",
                                       "invoice",
                                       invoice.id,
                                       invoice.org_id,
                                       {{"invoice_no", invoice.invoice_no},
                                        {"kind", InvoiceKindName(InvoiceKind::kBlue)},
                                        {"receipt_no", receipt.receipt_no},
                                        {"amount_fen", invoice.amount.fen}}}));
  ConfirmResult result;
  ANXIN_ASSIGN_OR_RETURN(result.receipt, ReceiptViewOf(tx, receipt));
  ANXIN_ASSIGN_OR_RETURN(result.invoice, InvoiceViewOf(tx, invoice));
  return result;
}

Result<ConfirmResult> CardSalesService::ConfirmRefund(Tx& tx, const Actor& actor, Receipt receipt,
                                                      const ConfirmRequest& /*request*/, int64_t now) {
  const std::string actor_id = ActorId(actor);
  ANXIN_ASSIGN_OR_RETURN(std::optional<Recovery> recovery, store_.FindRecovery(tx, *receipt.recovery_id));
  if (!recovery) return Status::Internal("card sales: refund receipt " + receipt.id + " has no recovery");
  ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> charge,
                         store_.FindReceiptFor(tx, ReceiptKind::kCharge, recovery->sales_id));
  std::optional<Invoice> original;
  if (charge) {
    ANXIN_ASSIGN_OR_RETURN(original, store_.FindInvoiceByReceipt(tx, charge->id));
  }
  if (!original)
    return Status::Internal("card sales: paid sale " + recovery->sales_id + " has no blue invoice");
  ANXIN_ASSIGN_OR_RETURN(bool claimed, store_.ConfirmReceipt(tx, receipt));
  if (!claimed) {
    return Status(StatusCode::kFailedPrecondition, "receipt_not_issued",
                  {"该收据已确认", "This receipt is already confirmed"});
  }
  ANXIN_ASSIGN_OR_RETURN(bool refunded, store_.MarkRecoveryRefunded(tx, recovery->id));
  if (!refunded) {
    return Status(StatusCode::kFailedPrecondition, "no_refund_due",
                  {"该回收单已退费", "This recovery was already refunded"});
  }

  // Seed 000, other circumstances 2: confirm the refund and print the red-letter invoice.
  ANXIN_ASSIGN_OR_RETURN(Invoice invoice, InsertInvoice(tx, receipt, &*original, now, actor_id));

  if (receipt.amount.fen > 0) {
    ANXIN_RETURN_IF_ERROR(
        ledger_
            .Post(tx, actor,
                  {"保险卡退费确认 " + receipt.receipt_no + "（回收单 " + recovery->recovery_no + "）",
                   "receipt",
                   receipt.id,
                   receipt.org_id,
                   {{ledger::kAdvancePremium, receipt.amount, Money{}},
                    {ledger::kBank, Money{}, receipt.amount}}})
            .status());
  }
  ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor,
                                      {"receipt.confirm",
                                       "receipt",
                                       receipt.id,
                                       receipt.org_id,
                                       {{"receipt_no", receipt.receipt_no},
                                        {"kind", ReceiptKindName(ReceiptKind::kRefund)},
                                        {"recovery_no", recovery->recovery_no},
                                        {"amount_fen", receipt.amount.fen},
                                        {"bank_reference", receipt.bank_reference_enc.has_value()}}}));
  ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor,
                                      {"invoice.issue",
                                       "invoice",
                                       invoice.id,
                                       invoice.org_id,
                                       {{"invoice_no", invoice.invoice_no},
                                        {"kind", InvoiceKindName(InvoiceKind::kRed)},
                                        {"receipt_no", receipt.receipt_no},
                                        {"original_invoice_no", original->invoice_no},
                                        {"amount_fen", invoice.amount.fen}}}));
  ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor,
                                      {"card_recovery.refund",
                                       "card_recovery",
                                       recovery->id,
                                       recovery->org_id,
                                       {{"recovery_no", recovery->recovery_no},
                                        {"receipt_no", receipt.receipt_no},
                                        {"amount_fen", receipt.amount.fen}}}));
  ConfirmResult result;
  ANXIN_ASSIGN_OR_RETURN(result.receipt, ReceiptViewOf(tx, receipt));
  ANXIN_ASSIGN_OR_RETURN(result.invoice, InvoiceViewOf(tx, invoice));
  return result;
}

Result<ReceiptView> CardSalesService::GetReceipt(const Actor& actor, const std::string& receipt_no) {
  ANXIN_RETURN_IF_ERROR(CheckRead(actor, kPermInvoiceRead));
  return db_.ReadResult<ReceiptView>([&](Tx& tx) -> Result<ReceiptView> {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> receipt, store_.FindReceiptByNo(tx, receipt_no));
    if (!receipt || !InScope(actor, receipt->org_path)) return Status::NotFound("receipt");
    return ReceiptViewOf(tx, *receipt);
  });
}

Result<std::string> CardSalesService::ReceiptPdf(const Actor& actor, const std::string& receipt_no) {
  ANXIN_ASSIGN_OR_RETURN(ReceiptView view, GetReceipt(actor, receipt_no));
  return documents::RenderPdf(ReceiptDocument(view));
}

Result<InvoiceView> CardSalesService::GetInvoice(const Actor& actor, const std::string& invoice_no) {
  ANXIN_RETURN_IF_ERROR(CheckRead(actor, kPermInvoiceRead));
  return db_.ReadResult<InvoiceView>([&](Tx& tx) -> Result<InvoiceView> {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Invoice> invoice, store_.FindInvoiceByNo(tx, invoice_no));
    if (!invoice || !InScope(actor, invoice->org_path)) return Status::NotFound("invoice");
    return InvoiceViewOf(tx, *invoice);
  });
}

Result<std::string> CardSalesService::InvoicePdf(const Actor& actor, const std::string& invoice_no) {
  ANXIN_ASSIGN_OR_RETURN(InvoiceView view, GetInvoice(actor, invoice_no));
  return documents::RenderPdf(InvoiceDocument(view));
}

// --- Reverse processing -------------------------------------------------------------------------

Result<RecoveryView> CardSalesService::RegisterRecovery(const Actor& actor, const RecoveryRequest& request) {
  ANXIN_ASSIGN_OR_RETURN(const Principal* caller, StaffWith(actor, kPermCardSale));
  std::vector<FieldError> errors;
  CheckCode(errors, "sales_no", request.sales_no);
  std::vector<std::string> serials;
  if (request.serials.empty()) {
    errors.push_back({"serials", "required", {"请填写要回收的卡号", "List the serials to take back"}});
  } else if (static_cast<int64_t>(request.serials.size()) > kMaxCardsPerSale) {
    errors.push_back({"serials",
                      "too_many_items",
                      {"一次最多 " + std::to_string(kMaxCardsPerSale) + " 张卡",
                       "At most " + std::to_string(kMaxCardsPerSale) + " cards at once"}});
  } else {
    serials = ParseSerialList(errors, "serials", request.serials);
  }
  std::optional<Disposition> disposition = ParseDisposition(request.disposition);
  if (request.disposition.empty()) {
    errors.push_back({"disposition", "required", {"必填", "Required"}});
  } else if (!disposition) {
    errors.push_back(
        {"disposition",
         "invalid_value",
         {"处理方式须为 restock（退回库存）或 void（作废）", "disposition must be restock or void"}});
  }
  CheckFreeText(errors, "reason", request.reason, kMinReason, kMaxReason, true);
  if (!errors.empty()) return Status::Invalid(std::move(errors));
  const std::string sales_no = Trim(request.sales_no);
  const std::string reason = Trim(request.reason);
  const CardAction action =
      *disposition == Disposition::kRestock ? CardAction::kReverseRestock : CardAction::kReverseVoid;
  const int64_t now = clock_.NowMs();
  const std::string actor_id = ActorId(actor);

  return db_.WriteResult<RecoveryView>([&](Tx& tx) -> Result<RecoveryView> {
    ANXIN_RETURN_IF_ERROR(RequireInstitution(tx, store_, *caller, "反向处理", "Reverse processing"));
    ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> found, store_.FindSaleByNo(tx, sales_no));
    if (!found || !caller->Covers(found->org_path)) return Status::NotFound("card_sale");
    ANXIN_RETURN_IF_ERROR(store_.LockSale(tx, found->id));
    ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> sale, store_.FindSale(tx, found->id));
    if (!sale) return Status::NotFound("card_sale");
    ANXIN_ASSIGN_OR_RETURN(std::optional<CardType> type, cards_.FindType(tx, sale->card_type_id));
    if (!type) return Status::Internal("card sales: sale " + sale->id + " has no card type");

    std::vector<BadCard> not_in_sale;
    std::vector<BadCard> not_reversible;
    std::vector<Card> cards;
    for (size_t i = 0; i < serials.size(); ++i) {
      const std::string field = "serials[" + std::to_string(i) + "]";
      ANXIN_ASSIGN_OR_RETURN(std::optional<Card> card, cards_.Find(tx, serials[i]));
      if (!card || card->sales_id != sale->id) {
        not_in_sale.push_back({serials[i],
                               {field,
                                "card_not_in_sale",
                                {serials[i] + "：不属于销售单 " + sale->sales_no,
                                 serials[i] + ": not part of sale " + sale->sales_no}}});
        continue;
      }
      if (Result<CardStatus> next = CardTransition(card->status, action); !next.ok()) {
        not_reversible.push_back({serials[i], {field, next.status().reason(), next.status().message()}});
        continue;
      }
      cards.push_back(std::move(*card));
    }
    if (!not_in_sale.empty()) {
      return CardsRefused(StatusCode::kFailedPrecondition, "card_not_in_sale", "以下卡不属于该销售单",
                          "These cards are not part of the sale", not_in_sale);
    }
    if (!not_reversible.empty()) {
      // An activated card is no longer a card matter: its policy is surrendered instead.
      return CardsRefused(StatusCode::kFailedPrecondition, "card_not_reversible",
                          "以下卡不能反向处理（已激活的卡请办理退保）",
                          "These cards cannot be reversed (surrender the policy of an activated card)",
                          not_reversible);
    }

    std::sort(cards.begin(), cards.end(), [](const Card& a, const Card& b) { return a.serial < b.serial; });
    const bool paid = sale->status == SaleStatus::kPaid;
    Recovery recovery;
    recovery.id = NewId(now);
    ANXIN_ASSIGN_OR_RETURN(recovery.recovery_no, NextNumber(tx, NumberKind::kRecovery, kRecoveryPrefix));
    recovery.sales_id = sale->id;
    recovery.org_id = sale->org_id;
    recovery.org_path = sale->org_path;
    recovery.quantity = static_cast<int64_t>(cards.size());
    recovery.amount = Money::Fen(type->face_value.fen * recovery.quantity);
    recovery.disposition = *disposition;
    recovery.reason = reason;
    recovery.status = paid ? RecoveryStatus::kRegistered : RecoveryStatus::kCompleted;
    recovery.paid_before = paid;
    recovery.created_at = now;
    recovery.created_by = actor_id;
    recovery.serials = serials;
    std::sort(recovery.serials.begin(), recovery.serials.end());
    ANXIN_RETURN_IF_ERROR(store_.InsertRecovery(tx, recovery));

    CardChange change;
    change.clear_sales_id = true;
    if (action == CardAction::kReverseRestock) {
      change.holder_type = HolderType::kOrg;
      change.holder_id = sale->org_id;
      change.holder_org_id = sale->org_id;
      change.holder_org_path = sale->org_path;
    }
    for (const Card& card : cards) {
      const CardStatus next = *CardTransition(card.status, action);
      ANXIN_ASSIGN_OR_RETURN(bool moved, cards_.Transition(tx, card.serial, card.status, next, change, now));
      if (!moved) return ChangedConcurrently(card.serial);
      ANXIN_RETURN_IF_ERROR(cards_.AppendEvent(
          tx, CardEvent{card.serial, now, action, card.status, next, actor_id, "recovery", recovery.id,
                        nlohmann::json{{"recovery_no", recovery.recovery_no},
                                       {"sales_no", sale->sales_no},
                                       {"reason", reason}}}));
    }

    if (!paid) {
      // Not yet paid: the sale (and its charge receipt, if issued) simply charge less.
      const bool was_receipted = sale->status == SaleStatus::kReceipted;
      sale->quantity -= recovery.quantity;
      sale->amount -= recovery.amount;
      if (sale->quantity <= 0) sale->status = SaleStatus::kReversed;
      ANXIN_RETURN_IF_ERROR(store_.UpdateSale(tx, *sale));
      if (was_receipted) {
        ANXIN_ASSIGN_OR_RETURN(std::optional<Receipt> receipt,
                               store_.FindReceiptFor(tx, ReceiptKind::kCharge, sale->id));
        if (!receipt || receipt->status != ReceiptStatus::kIssued) {
          return Status::Internal("card sales: receipted sale " + sale->id + " has no issued receipt");
        }
        receipt->amount -= recovery.amount;
        if (sale->status == SaleStatus::kReversed) receipt->status = ReceiptStatus::kCancelled;
        ANXIN_RETURN_IF_ERROR(store_.UpdateIssuedReceipt(tx, *receipt));
        if (recovery.amount.fen > 0) {
          ANXIN_RETURN_IF_ERROR(ledger_
                                    .Post(tx, actor,
                                          {"保险卡反向处理 " + recovery.recovery_no + "（收据 " +
                                               receipt->receipt_no + "）冲减应收保费",
                                           "recovery",
                                           recovery.id,
                                           sale->org_id,
                                           {{ledger::kAdvancePremium, recovery.amount, Money{}},
                                            {ledger::kPremiumReceivable, Money{}, recovery.amount}}})
                                    .status());
        }
      }
    }
    ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor,
                                        {"card_recovery.register",
                                         "card_recovery",
                                         recovery.id,
                                         recovery.org_id,
                                         {{"recovery_no", recovery.recovery_no},
                                          {"sales_no", sale->sales_no},
                                          {"quantity", recovery.quantity},
                                          {"amount_fen", recovery.amount.fen},
                                          {"disposition", std::string(DispositionName(recovery.disposition))},
                                          {"paid_before", recovery.paid_before},
                                          {"sale_status", std::string(SaleStatusName(sale->status))}}}));
    return RecoveryViewOf(tx, recovery);
  });
}

Result<RecoveryView> CardSalesService::GetRecovery(const Actor& actor, const std::string& id_or_no) {
  ANXIN_RETURN_IF_ERROR(CheckRead(actor, kPermCardRead));
  return db_.ReadResult<RecoveryView>([&](Tx& tx) -> Result<RecoveryView> {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Recovery> recovery, store_.FindRecovery(tx, id_or_no));
    if (!recovery) {
      ANXIN_ASSIGN_OR_RETURN(recovery, store_.FindRecoveryByNo(tx, id_or_no));
    }
    if (!recovery || !InScope(actor, recovery->org_path)) return Status::NotFound("card_recovery");
    return RecoveryViewOf(tx, *recovery);
  });
}

// --- Report lost ---------------------------------------------------------------------------------

Result<Card> CardSalesService::Freeze(const Actor& actor, const std::string& serial,
                                      const std::string& reason) {
  return ChangeFreeze(actor, serial, reason, CardAction::kFreeze);
}

Result<Card> CardSalesService::Unfreeze(const Actor& actor, const std::string& serial,
                                        const std::string& reason) {
  return ChangeFreeze(actor, serial, reason, CardAction::kUnfreeze);
}

Result<Card> CardSalesService::ChangeFreeze(const Actor& actor, const std::string& serial_text,
                                            const std::string& reason_text, CardAction action) {
  ANXIN_ASSIGN_OR_RETURN(const Principal* caller, StaffWith(actor, kPermCardFreeze));
  std::vector<FieldError> errors;
  Result<ParsedSerial> parsed = ParseSerial(Trim(serial_text), "serial");
  if (!parsed.ok()) {
    for (const FieldError& e : parsed.status().fields()) errors.push_back(e);
    if (parsed.status().fields().empty())
      errors.push_back({"serial", "invalid_format", {"卡号格式不正确", "Invalid serial"}});
  }
  CheckFreeText(errors, "reason", reason_text, kMinReason, kMaxReason, action == CardAction::kFreeze);
  if (!errors.empty()) return Status::Invalid(std::move(errors));
  const std::string serial = FormatSerial(parsed->prefix, parsed->seq);
  const std::string reason = Trim(reason_text);
  const int64_t now = clock_.NowMs();
  const std::string actor_id = ActorId(actor);

  return db_.WriteResult<Card>([&](Tx& tx) -> Result<Card> {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Card> card, cards_.Find(tx, serial));
    if (!card || !caller->Covers(card->holder_org_path)) return Status::NotFound("card");
    ANXIN_ASSIGN_OR_RETURN(CardStatus next, CardTransition(card->status, action, card->status_before_freeze));
    CardChange change;
    if (action == CardAction::kFreeze) {
      change.status_before_freeze = card->status;
    } else {
      change.clear_status_before_freeze = true;
    }
    ANXIN_ASSIGN_OR_RETURN(bool moved, cards_.Transition(tx, serial, card->status, next, change, now));
    if (!moved) return ChangedConcurrently(serial);
    nlohmann::json detail = nlohmann::json::object();
    if (!reason.empty()) detail["reason"] = reason;
    ANXIN_RETURN_IF_ERROR(
        cards_.AppendEvent(tx, CardEvent{serial, now, action, card->status, next, actor_id, "", "", detail}));
    ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor,
                                        {action == CardAction::kFreeze ? "card.freeze" : "card.unfreeze",
                                         "card",
                                         serial,
                                         card->holder_org_id,
                                         {{"serial", serial},
                                          {"from", std::string(CardStatusName(card->status))},
                                          {"to", std::string(CardStatusName(next))}}}));
    ANXIN_ASSIGN_OR_RETURN(std::optional<Card> updated, cards_.Find(tx, serial));
    if (!updated) return Status::Internal("card sales: card " + serial + " vanished");
    return std::move(*updated);
  });
}

}  // namespace anxin::cards
