#include "cards/card_stock_service.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cards/card_serial.hpp"
#include "common/access.hpp"

namespace anxin::cards {
namespace {

using nlohmann::json;

constexpr const char* kPermMove = "card.stock.move";
constexpr const char* kPermRead = "card.read";
constexpr const char* kPermReport = "card.report";

Status Denied() {
  return Status(StatusCode::kPermissionDenied, "permission_denied",
                {"没有此操作的权限", "you do not have permission for this"});
}

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// "ACC00000000011, ACC00000000028 … (共 120 张)" for an error message.
std::string SerialList(const RangeProblems& problems, int64_t missing) {
  std::string out;
  for (const std::string& serial : problems.serials) {
    if (!out.empty()) out += ", ";
    out += serial;
  }
  if (static_cast<int64_t>(problems.serials.size()) < problems.offending) out += ", …";
  if (missing > 0) {
    if (!out.empty()) out += "; ";
    out += std::to_string(missing) + " missing";
  }
  return out;
}

std::string DayOf(int64_t ms) { return FormatDate(DateOf(ms)); }

// The age buckets of the ageing report, in days since the batch was created.
std::string AgeBucket(int64_t days) {
  if (days <= 30) return "0-30";
  if (days <= 90) return "31-90";
  if (days <= 180) return "91-180";
  if (days <= 365) return "181-365";
  return ">365";
}

int BucketOrder(const std::string& bucket) {
  static const std::vector<std::string> kOrder = {"0-30", "31-90", "91-180", "181-365", ">365"};
  return static_cast<int>(std::find(kOrder.begin(), kOrder.end(), bucket) - kOrder.begin());
}

// Quotes a CSV field when it holds a comma, quote or line break (RFC 4180).
std::string CsvField(const json& value) {
  std::string text;
  if (value.is_string()) {
    text = value.get<std::string>();
  } else if (value.is_null()) {
    text = "";
  } else {
    text = value.dump();
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string ReportCsv(const Report& report) {
  std::string out;
  for (size_t i = 0; i < report.columns.size(); ++i) {
    if (i > 0) out += ',';
    out += report.columns[i];
  }
  out += '\n';
  for (const json& row : report.rows) {
    for (size_t i = 0; i < report.columns.size(); ++i) {
      if (i > 0) out += ',';
      auto it = row.find(report.columns[i]);
      if (it != row.end()) out += CsvField(*it);
    }
    out += '\n';
  }
  return out;
}

CardStockService::CardStockService(storage::Database& db, CardStore& cards, CardStockStore& store,
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

Result<std::string> CardStockService::ScopeOf(const Actor& actor, const char* permission) {
  if (actor.principal == nullptr) return std::string("/");  // system: the whole tree
  const Principal& p = *actor.principal;
  if (!p.Has(permission) || p.kind != UserKind::kStaff || p.org_path.empty()) return Denied();
  return p.org_path;
}

Result<CardType> CardStockService::TypeByCode(storage::Tx& tx, const std::string& code, const char* field) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<CardType> type, cards_.FindTypeByCode(tx, code));
  if (!type) {
    return Status::InvalidField(field, "not_found", {"单证类型不存在", "no such card type"});
  }
  return std::move(*type);
}

Result<Card> CardStockService::CardInScope(storage::Tx& tx, const Actor& actor, const std::string& serial) {
  ANXIN_ASSIGN_OR_RETURN(std::string scope, ScopeOf(actor, kPermRead));
  Result<ParsedSerial> parsed = ParseSerial(serial);
  if (!parsed.ok()) return Status::NotFound("card");
  const std::string canonical = FormatSerial(parsed->prefix, parsed->seq);
  ANXIN_ASSIGN_OR_RETURN(std::optional<Card> card, cards_.Find(tx, canonical));
  // Outside the caller's subtree a card answers as unknown, so its existence is not revealed.
  if (!card || !StartsWith(card->holder_org_path, scope)) return Status::NotFound("card");
  return std::move(*card);
}

Result<MovementView> CardStockService::Move(const Actor& actor, const MovementRequest& request) {
  if (actor.principal == nullptr) {
    return Status(StatusCode::kPermissionDenied, "staff_only",
                  {"只有机构人员可以下发或回收单证", "only staff of an organisation can move cards"});
  }
  ANXIN_ASSIGN_OR_RETURN(std::string scope, ScopeOf(actor, kPermMove));
  const Principal& caller = *actor.principal;
  const bool issue = request.kind == MovementKind::kIssue;

  // Shape of the request.
  std::vector<FieldError> errors;
  if (request.doc_type_code.empty()) {
    errors.push_back({"doc_type_code", "required", {"请填写单证类型代码", "doc_type_code is required"}});
  }
  const bool has_recipient = request.recipient_type.has_value() || !request.recipient_code.empty();
  if (issue || has_recipient) {
    if (!request.recipient_type) {
      errors.push_back({"recipient_type", "required", {"请选择接收方类型", "recipient_type is required"}});
    }
    if (request.recipient_code.empty()) {
      errors.push_back({"recipient_code", "required", {"请填写接收方代码", "recipient_code is required"}});
    }
  }
  Result<ParsedSerial> first = ParseSerial(request.first_serial, "first_serial");
  Result<ParsedSerial> last = ParseSerial(request.last_serial, "last_serial");
  for (const Result<ParsedSerial>* r : {&first, &last}) {
    if (!r->ok()) {
      for (const FieldError& e : r->status().fields()) errors.push_back(e);
    }
  }
  if (first.ok() && last.ok()) {
    if (first->prefix != last->prefix) {
      errors.push_back({"last_serial",
                        "prefix_mismatch",
                        {"起止卡号的前缀不一致", "first and last serial differ in prefix"}});
    } else if (first->seq > last->seq) {
      errors.push_back(
          {"last_serial", "before_first", {"止号不能小于起号", "last_serial is before first_serial"}});
    } else if (last->seq - first->seq + 1 > kMaxMovementQuantity) {
      errors.push_back({"last_serial",
                        "range_too_large",
                        {"一次最多下发或回收100,000张卡", "at most 100,000 cards per movement"}});
    }
  }
  if (!errors.empty()) return Status::Invalid(std::move(errors));

  // The recipient (issue) or the named holder (recall), resolved before the transaction: org
  // paths never change, and the person's roles are read again below.
  HolderType other_type = HolderType::kOrg;
  std::string other_id;
  std::string other_org_id;
  std::string other_org_path;
  if (issue || has_recipient) {
    other_type = *request.recipient_type;
    if (other_type == HolderType::kOrg) {
      ANXIN_ASSIGN_OR_RETURN(std::optional<identity::Org> org,
                             identity_.FindOrgByCode(request.recipient_code));
      if (!org || !StartsWith(org->path, scope)) {
        return Status::InvalidField("recipient_code", "not_found",
                                    {"本机构及下级机构中没有此机构", "no such organisation in your subtree"});
      }
      if (org->id == caller.org_id) {
        return Status::InvalidField(
            "recipient_code", "not_in_subtree",
            {"不能下发或回收给本机构自身，请选择下级机构", "choose an organisation below your own"});
      }
      if (org->status != identity::ActiveState::kActive) {
        return Status::InvalidField("recipient_code", "org_disabled",
                                    {"该机构已停用", "the organisation is disabled"});
      }
      other_id = org->id;
      other_org_id = org->id;
      other_org_path = org->path;
    } else {
      ANXIN_ASSIGN_OR_RETURN(std::optional<StockPerson> person,
                             db_.ReadResult<std::optional<StockPerson>>([&](storage::Tx& tx) {
                               return store_.FindPerson(tx, Lower(request.recipient_code));
                             }));
      if (!person || !person->active || !StartsWith(person->org_path, scope)) {
        return Status::InvalidField("recipient_code", "not_found",
                                    {"本机构及下级机构中没有此人员", "no such staff member in your subtree"});
      }
      if (!person->authorised) {
        return Status::InvalidField("recipient_code", "not_authorised",
                                    {"该人员未获单证系统授权（须为销售人员或单证管理员）",
                                     "the person is not authorised for cards (seller or doc_admin)"});
      }
      other_id = person->user_id;
      other_org_id = person->org_id;
      other_org_path = person->org_path;
    }
  }

  const int64_t now = clock_.NowMs();
  MovementView view;
  view.first_serial = FormatSerial(first->prefix, first->seq);
  view.last_serial = FormatSerial(last->prefix, last->seq);
  const CardAction action = MovementAction(request.kind);
  ANXIN_RETURN_IF_ERROR(db_.Write([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(CardType type, TypeByCode(tx, request.doc_type_code, "doc_type_code"));
    if (type.serial_prefix != first->prefix) {
      return Status::InvalidField("first_serial", "prefix_mismatch",
                                  {"卡号与单证类型不符", "the serials are not of this card type"});
    }
    const int64_t quantity = last->seq - first->seq + 1;
    // Every card of the range must be in stock (the one state from which the state machine lets
    // stock move) and with the right holder.
    ANXIN_ASSIGN_OR_RETURN(CardStatus next, CardTransition(CardStatus::kInStock, action));
    RangeProblems problems;
    if (issue) {
      ANXIN_ASSIGN_OR_RETURN(
          problems, store_.CheckHeld(tx, type.id, first->seq, last->seq, HolderType::kOrg, caller.org_id));
    } else {
      RecallSource source{scope, caller.org_id, std::nullopt, std::nullopt};
      if (has_recipient) {
        source.holder_type = other_type;
        source.holder_id = other_id;
      }
      ANXIN_ASSIGN_OR_RETURN(problems, store_.CheckRecallable(tx, type.id, first->seq, last->seq, source));
    }
    const int64_t missing = quantity - problems.existing;
    if (problems.offending > 0 || missing > 0) {
      const std::string list = SerialList(problems, missing);
      const std::string count = std::to_string(problems.offending + missing);
      if (issue) {
        return Status(
            StatusCode::kFailedPrecondition, "cards_not_held",
            {"以下卡不在本机构库存中，未做任何下发（共 " + count + " 张）：" + list,
             "these cards are not in your organisation's stock; nothing was moved (" + count + "): " + list});
      }
      return Status(StatusCode::kFailedPrecondition, "cards_not_recallable",
                    {"以下卡不是下级持有的库存卡，未做任何回收（共 " + count + " 张）：" + list,
                     "these cards are not stock held below you; nothing was moved (" + count + "): " + list});
    }

    CardMovement& m = view.movement;
    m.id = NewId(now);
    m.movement_no = (issue ? "MI" : "MR") + DayOf(now).substr(0, 4) + DayOf(now).substr(5, 2) +
                    DayOf(now).substr(8, 2) + "-" + m.id.substr(10);
    m.kind = request.kind;
    m.card_type_id = type.id;
    m.first_seq = first->seq;
    m.last_seq = last->seq;
    m.quantity = quantity;
    m.at_ms = now;
    m.actor_id = caller.user_id;
    CardChange change;
    if (issue) {
      m.from_type = HolderType::kOrg;
      m.from_id = caller.org_id;
      m.to_type = other_type;
      m.to_id = other_id;
      m.to_org_id = other_org_id;
    } else {
      ANXIN_ASSIGN_OR_RETURN(auto holder, store_.FirstHolder(tx, type.id, first->seq, last->seq));
      if (!holder) return Status::Internal("cards: recalled range has no cards");
      m.from_type = holder->first;
      m.from_id = holder->second;
      m.to_type = HolderType::kOrg;
      m.to_id = caller.org_id;
      m.to_org_id = caller.org_id;
    }
    change.holder_type = m.to_type;
    change.holder_id = m.to_id;
    change.holder_org_id = m.to_org_id;
    change.holder_org_path = issue ? other_org_path : caller.org_path;
    ANXIN_ASSIGN_OR_RETURN(int64_t moved, cards_.TransitionRange(tx, type.id, first->seq, last->seq,
                                                                 CardStatus::kInStock, next, change, now));
    if (moved != quantity) {
      return Status(StatusCode::kAborted, "conflict_retry",
                    {"卡状态已变化，请重试", "the cards changed; retry"});
    }
    ANXIN_RETURN_IF_ERROR(store_.InsertMovement(tx, m));
    view.card_type_code = type.code;
    return audit_.Append(
        tx, actor,
        audit::AuditEntry{issue ? "card.issue" : "card.recall",
                          "card_movement",
                          m.id,
                          caller.org_id,
                          {{"movement_no", m.movement_no},
                           {"card_type", type.code},
                           {"first_serial", view.first_serial},
                           {"last_serial", view.last_serial},
                           {"quantity", quantity},
                           {"from", {{"type", kHolderTypes.Name(m.from_type)}, {"id", m.from_id}}},
                           {"to", {{"type", kHolderTypes.Name(m.to_type)}, {"id", m.to_id}}}}});
  }));
  return view;
}

Result<CardPage> CardStockService::ListCards(const Actor& actor, const CardInquiry& inquiry) {
  ANXIN_ASSIGN_OR_RETURN(std::string scope, ScopeOf(actor, kPermRead));
  CardQuery query;
  query.scope_path = scope;
  query.status = inquiry.status;
  query.limit = std::clamp(inquiry.limit, 1, 500) + 1;  // one more tells whether a next page exists
  query.after_serial = inquiry.after;
  std::vector<FieldError> errors;
  std::optional<ParsedSerial> from;
  std::optional<ParsedSerial> to;
  if (inquiry.serial_from) {
    Result<ParsedSerial> r = ParseSerial(*inquiry.serial_from, "serial_from");
    if (r.ok()) {
      from = *r;
    } else {
      for (const FieldError& e : r.status().fields()) errors.push_back(e);
    }
  }
  if (inquiry.serial_to) {
    Result<ParsedSerial> r = ParseSerial(*inquiry.serial_to, "serial_to");
    if (r.ok()) {
      to = *r;
    } else {
      for (const FieldError& e : r.status().fields()) errors.push_back(e);
    }
  }
  if (from && to && from->prefix != to->prefix) {
    errors.push_back({"serial_to",
                      "prefix_mismatch",
                      {"起止卡号的前缀不一致", "serial_from and serial_to differ in prefix"}});
  }
  if (!errors.empty()) return Status::Invalid(std::move(errors));
  // A holder is an org code (cards held at that node, by it or its people) or a person's login.
  bool holder_is_person = false;
  if (inquiry.holder) {
    ANXIN_ASSIGN_OR_RETURN(std::optional<identity::Org> org, identity_.FindOrgByCode(*inquiry.holder));
    if (org) {
      query.holder_id = org->id;
    } else {
      holder_is_person = true;
    }
  }

  Result<CardPage> page = db_.ReadResult<CardPage>([&](storage::Tx& tx) -> Result<CardPage> {
    std::map<std::string, CardType> types;
    if (inquiry.card_type_code) {
      ANXIN_ASSIGN_OR_RETURN(CardType type, TypeByCode(tx, *inquiry.card_type_code, "card_type"));
      query.card_type_id = type.id;
      types[type.id] = type;
    }
    for (const std::optional<ParsedSerial>* bound : {&from, &to}) {
      if (!*bound) continue;
      ANXIN_ASSIGN_OR_RETURN(std::optional<CardType> type, cards_.FindTypeByPrefix(tx, (*bound)->prefix));
      if (!type || (query.card_type_id && *query.card_type_id != type->id)) return CardPage{};
      query.card_type_id = type->id;
      types[type->id] = *type;
    }
    if (from) query.first_seq = from->seq;
    if (to) query.last_seq = to->seq;
    if (holder_is_person) {
      ANXIN_ASSIGN_OR_RETURN(std::optional<StockPerson> person,
                             store_.FindPerson(tx, Lower(*inquiry.holder)));
      if (person) {
        query.holder_id = person->user_id;
      } else {
        return Status::InvalidField("holder", "not_found", {"没有此持有人", "no such holder"});
      }
    }
    ANXIN_ASSIGN_OR_RETURN(std::vector<Card> cards, store_.ListCards(tx, query));
    CardPage out;
    if (static_cast<int>(cards.size()) == query.limit) {
      cards.pop_back();
      out.next_after = cards.back().serial;
    }
    std::map<std::pair<HolderType, std::string>, std::string> names;
    for (Card& card : cards) {
      CardView v;
      if (!types.count(card.card_type_id)) {
        ANXIN_ASSIGN_OR_RETURN(std::optional<CardType> type, cards_.FindType(tx, card.card_type_id));
        if (type) types[card.card_type_id] = *type;
      }
      v.card_type_code = types[card.card_type_id].code;
      v.card_type_name = types[card.card_type_id].name;
      auto key = std::make_pair(card.holder_type, card.holder_id);
      if (!names.count(key)) {
        ANXIN_ASSIGN_OR_RETURN(names[key], store_.HolderName(tx, card.holder_type, card.holder_id));
      }
      v.holder = HolderView{card.holder_type, card.holder_id, names[key], card.holder_org_id};
      v.card = std::move(card);
      out.items.push_back(std::move(v));
    }
    return out;
  });
  return page;
}

Result<CardView> CardStockService::GetCard(const Actor& actor, const std::string& serial) {
  return db_.ReadResult<CardView>([&](storage::Tx& tx) -> Result<CardView> {
    ANXIN_ASSIGN_OR_RETURN(Card card, CardInScope(tx, actor, serial));
    ANXIN_ASSIGN_OR_RETURN(std::optional<CardType> type, cards_.FindType(tx, card.card_type_id));
    if (!type) return Status::Internal("cards: card " + card.serial + " has no type");
    ANXIN_ASSIGN_OR_RETURN(std::string name, store_.HolderName(tx, card.holder_type, card.holder_id));
    CardView v;
    v.card_type_code = type->code;
    v.card_type_name = type->name;
    v.holder = HolderView{card.holder_type, card.holder_id, name, card.holder_org_id};
    // The numbers of the batch, and of the sale and policy as their card events recorded them.
    SqlCardAdminStore batches;
    ANXIN_ASSIGN_OR_RETURN(std::optional<CardBatch> batch, batches.FindBatch(tx, card.batch_id));
    if (batch) v.batch_no = batch->batch_no;
    ANXIN_ASSIGN_OR_RETURN(std::vector<CardEvent> events, cards_.Events(tx, card.serial));
    for (const CardEvent& ev : events) {
      if (!ev.detail.is_object() || ev.ref_id.empty()) continue;
      if (card.sales_id && ev.ref_id == *card.sales_id) v.sales_no = ev.detail.value("sales_no", v.sales_no);
      if (card.policy_id && ev.ref_id == *card.policy_id)
        v.policy_no = ev.detail.value("policy_no", v.policy_no);
    }
    v.card = std::move(card);
    return v;
  });
}

Result<std::vector<HistoryEntry>> CardStockService::History(const Actor& actor, const std::string& serial) {
  return db_.ReadResult<std::vector<HistoryEntry>>([&](storage::Tx& tx) -> Result<std::vector<HistoryEntry>> {
    ANXIN_ASSIGN_OR_RETURN(Card card, CardInScope(tx, actor, serial));
    std::vector<HistoryEntry> out;
    SqlCardAdminStore batches;
    ANXIN_ASSIGN_OR_RETURN(std::optional<CardBatch> batch, batches.FindBatch(tx, card.batch_id));
    if (batch) {
      HistoryEntry e;
      e.at_ms = batch->created_at;
      e.kind = HistoryKind::kBatchCreated;
      e.to = CardStatus::kInStock;
      e.actor_id = batch->created_by;
      e.ref_type = CardRefType::kBatch;
      e.ref_id = batch->id;
      e.detail = {{"batch_no", batch->batch_no}};
      out.push_back(std::move(e));
    }
    ANXIN_ASSIGN_OR_RETURN(std::vector<CardMovement> movements,
                           store_.MovementsCovering(tx, card.card_type_id, card.seq));
    for (const CardMovement& m : movements) {
      HistoryEntry e;
      e.at_ms = m.at_ms;
      e.kind = HistoryKind::kMovement;
      e.action = MovementAction(m.kind);
      e.from = CardStatus::kInStock;
      e.to = CardStatus::kInStock;
      e.actor_id = m.actor_id;
      e.ref_type = CardRefType::kMovement;
      e.ref_id = m.id;
      e.detail = {{"movement_no", m.movement_no},
                  {"from", {{"type", kHolderTypes.Name(m.from_type)}, {"id", m.from_id}}},
                  {"to", {{"type", kHolderTypes.Name(m.to_type)}, {"id", m.to_id}, {"org_id", m.to_org_id}}}};
      out.push_back(std::move(e));
    }
    ANXIN_ASSIGN_OR_RETURN(std::vector<CardEvent> events, cards_.Events(tx, card.serial));
    for (const CardEvent& ev : events) {
      HistoryEntry e;
      e.at_ms = ev.at_ms;
      e.kind = HistoryKind::kEvent;
      e.action = ev.action;
      e.from = ev.from;
      e.to = ev.to;
      e.actor_id = ev.actor_id;
      e.ref_type = ev.ref_type;
      e.ref_id = ev.ref_id;
      e.detail = ev.detail;
      out.push_back(std::move(e));
    }
    // Stable: entries of the same millisecond keep batch, movement, event order.
    std::stable_sort(out.begin(), out.end(),
                     [](const HistoryEntry& a, const HistoryEntry& b) { return a.at_ms < b.at_ms; });
    std::vector<std::string> actors;
    for (const HistoryEntry& e : out) actors.push_back(e.actor_id);
    ANXIN_ASSIGN_OR_RETURN(auto staff, store_.StaffByIds(tx, actors));
    for (HistoryEntry& e : out) {
      auto it = staff.find(e.actor_id);
      if (it == staff.end()) continue;
      e.actor_login = it->second.login;
      e.actor_name = it->second.display_name;
    }
    return out;
  });
}

Result<Report> CardStockService::StockReport(const Actor& actor, const std::string& group_by) {
  ANXIN_ASSIGN_OR_RETURN(std::string scope, ScopeOf(actor, kPermReport));
  if (group_by != "org" && group_by != "type" && group_by != "status") {
    return Status::InvalidField("group_by", "invalid_value",
                                {"分组方式应为 org、type 或 status", "group_by must be org, type or status"});
  }
  ANXIN_ASSIGN_OR_RETURN(std::vector<CountRow> rows,
                         db_.ReadResult<std::vector<CountRow>>(
                             [&](storage::Tx& tx) { return store_.StockCounts(tx, scope, group_by); }));
  Report report;
  report.name = "card_stock_by_" + group_by;
  if (group_by == "org") {
    report.columns = {"org_id", "org_name", "status", "status_label", "count"};
  } else if (group_by == "type") {
    report.columns = {"card_type_id", "card_type_code", "status", "status_label", "count"};
  } else {
    report.columns = {"status", "status_label", "count"};
  }
  for (const CountRow& row : rows) {
    const std::string& status_name = group_by == "status" ? row.key : row.key2;
    std::optional<CardStatus> status = ParseCardStatus(status_name);
    const std::string label = status ? std::string(CardStatusLabelZh(*status)) : status_name;
    if (group_by == "org") {
      report.rows.push_back({{"org_id", row.key},
                             {"org_name", row.label},
                             {"status", status_name},
                             {"status_label", label},
                             {"count", row.count}});
    } else if (group_by == "type") {
      report.rows.push_back({{"card_type_id", row.key},
                             {"card_type_code", row.label},
                             {"status", status_name},
                             {"status_label", label},
                             {"count", row.count}});
    } else {
      report.rows.push_back({{"status", status_name}, {"status_label", label}, {"count", row.count}});
    }
  }
  return report;
}

Result<Report> CardStockService::SalesReport(const Actor& actor, const Date& from, const Date& to,
                                             const std::string& group_by) {
  ANXIN_ASSIGN_OR_RETURN(std::string scope, ScopeOf(actor, kPermReport));
  if (group_by != "seller" && group_by != "org") {
    return Status::InvalidField("group_by", "invalid_value",
                                {"分组方式应为 seller 或 org", "group_by must be seller or org"});
  }
  if (to < from)
    return Status::InvalidField("to", "before_from", {"结束日期不能早于开始日期", "to is before from"});
  ANXIN_ASSIGN_OR_RETURN(std::vector<SaleRow> sales,
                         db_.ReadResult<std::vector<SaleRow>>([&](storage::Tx& tx) {
                           return store_.Sales(tx, scope, StartOfDayMs(from), StartOfDayMs(AddDays(to, 1)));
                         }));
  struct Totals {
    std::string name;
    int64_t sales = 0, cards = 0, amount = 0;
  };
  std::map<std::pair<std::string, std::string>, Totals> totals;  // (day, key)
  for (const SaleRow& s : sales) {
    const std::string key = group_by == "seller" ? s.seller_code : s.org_id;
    Totals& t = totals[{DayOf(s.at_ms), key}];
    t.name = s.org_name;
    ++t.sales;
    t.cards += s.quantity;
    t.amount += s.amount_fen;
  }
  Report report;
  report.name = "card_sales_by_" + group_by;
  if (group_by == "seller") {
    report.columns = {"day", "seller_code", "sales", "cards", "amount_fen"};
  } else {
    report.columns = {"day", "org_id", "org_name", "sales", "cards", "amount_fen"};
  }
  for (const auto& [key, t] : totals) {
    json row = {{"day", key.first}, {"sales", t.sales}, {"cards", t.cards}, {"amount_fen", t.amount}};
    if (group_by == "seller") {
      row["seller_code"] = key.second;
    } else {
      row["org_id"] = key.second;
      row["org_name"] = t.name;
    }
    report.rows.push_back(std::move(row));
  }
  return report;
}

Result<Report> CardStockService::ActivationReport(const Actor& actor, const Date& from, const Date& to) {
  ANXIN_ASSIGN_OR_RETURN(std::string scope, ScopeOf(actor, kPermReport));
  if (to < from)
    return Status::InvalidField("to", "before_from", {"结束日期不能早于开始日期", "to is before from"});
  using Rows = std::vector<std::pair<std::string, int64_t>>;
  ANXIN_ASSIGN_OR_RETURN(Rows rows, db_.ReadResult<Rows>([&](storage::Tx& tx) {
    return store_.Activations(tx, scope, StartOfDayMs(from), StartOfDayMs(AddDays(to, 1)));
  }));
  std::map<std::pair<std::string, std::string>, int64_t> counts;
  for (const auto& [seller, at] : rows) ++counts[{DayOf(at), seller}];
  Report report;
  report.name = "card_activations";
  report.columns = {"day", "seller_code", "activations"};
  for (const auto& [key, n] : counts) {
    report.rows.push_back({{"day", key.first}, {"seller_code", key.second}, {"activations", n}});
  }
  return report;
}

Result<Report> CardStockService::AgeingReport(const Actor& actor) {
  ANXIN_ASSIGN_OR_RETURN(std::string scope, ScopeOf(actor, kPermReport));
  ANXIN_ASSIGN_OR_RETURN(std::vector<AgeingRow> rows,
                         db_.ReadResult<std::vector<AgeingRow>>(
                             [&](storage::Tx& tx) { return store_.InStockByBatch(tx, scope); }));
  const int64_t now = clock_.NowMs();
  const int64_t today = DaysFromCivil(DateOf(now));
  struct Bucket {
    int64_t count = 0;
    int64_t min_days_to_expiry = INT64_MAX;
  };
  std::map<std::tuple<std::string, int, std::string>, Bucket> buckets;  // (type code, order, bucket)
  for (const AgeingRow& row : rows) {
    const int64_t age_days = today - DaysFromCivil(DateOf(row.created_at));
    const std::string bucket = AgeBucket(age_days);
    const int64_t to_expiry = DaysFromCivil(DateOf(row.valid_until)) - today;
    Bucket& b = buckets[{row.card_type_code, BucketOrder(bucket), bucket}];
    b.count += row.count;
    b.min_days_to_expiry = std::min(b.min_days_to_expiry, to_expiry);
  }
  Report report;
  report.name = "card_ageing";
  report.columns = {"card_type_code", "age_bucket", "count", "min_days_to_expiry"};
  for (const auto& [key, b] : buckets) {
    report.rows.push_back({{"card_type_code", std::get<0>(key)},
                           {"age_bucket", std::get<2>(key)},
                           {"count", b.count},
                           {"min_days_to_expiry", b.min_days_to_expiry}});
  }
  return report;
}

Result<int64_t> CardStockService::ExpireDue(int64_t now_ms, const Actor& actor) {
  // The statuses the state machine lets expire.
  std::vector<CardStatus> expirable;
  for (CardStatus s : kAllCardStatuses) {
    if (CardTransition(s, CardAction::kExpire).ok()) expirable.push_back(s);
  }
  const std::string run_id = NewId(now_ms);
  return db_.WriteResult<int64_t>([&](storage::Tx& tx) -> Result<int64_t> {
    ANXIN_ASSIGN_OR_RETURN(int64_t expired, store_.ExpireDue(tx, now_ms, expirable, run_id, ActorId(actor)));
    ANXIN_RETURN_IF_ERROR(
        audit_.Append(tx, actor,
                      audit::AuditEntry{"card.expire",
                                        "card_expiry_run",
                                        run_id,
                                        "",
                                        {{"expired", expired}, {"as_of", FormatTimestamp(now_ms)}}}));
    return expired;
  });
}

}  // namespace anxin::cards
