// Sales registration (销售登记): the service itself, document numbers, the sale's view and its
// charge list. Receipts and invoices are in card_sales_service_receipts.cpp, reverse processing in
// card_sales_service_recovery.cpp, report lost in card_sales_service_freeze.cpp; the helpers they
// share in card_sales_service_support.hpp.

#include "cards/card_sales_service.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cards/card_sales_documents.hpp"
#include "cards/card_sales_service_support.hpp"
#include "cards/card_serial.hpp"
#include "common/access.hpp"
#include "common/text.hpp"
#include "documents/pdf.hpp"

namespace anxin::cards {
namespace {

using internal::BadCard;
using internal::CardsRefused;
using internal::ChangedConcurrently;
using internal::CheckCode;
using internal::ParseSerialList;
using internal::RequireInstitution;
using storage::Tx;

constexpr const char* kSalePrefix = "XS";
constexpr int kNumberAttempts = 8;

std::string AsciiCase(std::string_view text, bool upper) {
  std::string out(text);
  for (char& c : out) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

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

Result<CardSale> CardSalesService::SaleInScope(Tx& tx, const Actor& actor, const std::string& id_or_no) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<CardSale> sale, store_.FindSale(tx, id_or_no));
  if (!sale) {
    ANXIN_ASSIGN_OR_RETURN(sale, store_.FindSaleByNo(tx, id_or_no));
  }
  if (!sale || !InScope(actor, sale->org_path)) return Status::NotFound("card_sale");
  return std::move(*sale);
}

Result<SaleView> CardSalesService::RegisterSale(const Actor& actor, const SaleRequest& request) {
  ANXIN_ASSIGN_OR_RETURN(const Principal* caller, RequireStaffMember(actor, kPermCardSale));

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
                         identity_.FindOrgByCode(std::string(Trim(request.seller_org_code))));
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
                        actor_id, CardRefType::kSale, sale.id,
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
  ANXIN_RETURN_IF_ERROR(RequireStaff(actor, kPermCardRead));
  return db_.ReadResult<SaleView>([&](Tx& tx) -> Result<SaleView> {
    ANXIN_ASSIGN_OR_RETURN(CardSale sale, SaleInScope(tx, actor, id_or_no));
    return SaleViewOf(tx, sale, /*with_serials=*/true);
  });
}

Result<SalePage> CardSalesService::ListSales(const Actor& actor, const SaleListQuery& query) {
  ANXIN_RETURN_IF_ERROR(RequireStaff(actor, kPermCardRead));
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

}  // namespace anxin::cards
