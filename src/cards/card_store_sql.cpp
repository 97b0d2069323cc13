#include <string>
#include <utility>
#include <vector>

#include "cards/card_store.hpp"
#include "common/crypto.hpp"
#include "common/enum_values.hpp"
#include "storage/deferred.hpp"

namespace anxin::cards {
namespace {

using storage::Row;
using storage::Value;

constexpr std::string_view kTypeColumns =
    "id, code, name, serial_prefix, product_code, plan_codes, default_plan_code, term_unit, term_value, "
    "face_value_fen, validity_days, start_rule, start_within_days, status, created_at";

Result<CardType> ToType(const Row& row) {
  CardType type;
  type.id = row.Text(0);
  type.code = row.Text(1);
  type.name = row.Text(2);
  type.serial_prefix = row.Text(3);
  type.product_code = row.Text(4);
  nlohmann::json plans = nlohmann::json::parse(row.Text(5), nullptr, /*allow_exceptions=*/false);
  if (!plans.is_array())
    return Status::Internal("cards: stored plan_codes of type " + type.id + " is not an array");
  for (const auto& plan : plans) {
    if (!plan.is_string())
      return Status::Internal("cards: stored plan code of type " + type.id + " is not text");
    type.plan_codes.push_back(plan.get<std::string>());
  }
  type.default_plan_code = row.Text(6);
  ANXIN_ASSIGN_OR_RETURN(type.term_unit, ParseStored(products::kTermUnits, row.Text(7), "cards: term unit"));
  type.term_value = row.Int(8);
  type.face_value = Money::Fen(row.Int(9));
  type.validity_days = row.Int(10);
  ANXIN_ASSIGN_OR_RETURN(type.start_rule, ParseStored(kStartRules, row.Text(11), "cards: start rule"));
  type.start_within_days = row.Int(12);
  ANXIN_ASSIGN_OR_RETURN(type.status,
                         ParseStored(kCardTypeStatuses, row.Text(13), "cards: card type status"));
  type.created_at = row.Int(14);
  return type;
}

Result<std::optional<CardType>> OneType(storage::Tx& tx, std::string_view where, const std::string& key) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row,
                         tx.QueryOne("SELECT " + std::string(kTypeColumns) + " FROM card_types WHERE " +
                                         std::string(where) + " = ?",
                                     {key}));
  if (!row) return std::optional<CardType>();
  ANXIN_ASSIGN_OR_RETURN(CardType type, ToType(*row));
  return std::optional<CardType>(std::move(type));
}

// Builds "status = ?, <changed columns> = ?, updated_at = ?" for `next` and `change`, appending the
// bound values to `params`.
std::string SetClause(CardStatus next, const CardChange& change, int64_t now_ms, std::vector<Value>& params) {
  std::string sql = "status = ?";
  params.emplace_back(std::string(CardStatusName(next)));
  auto set = [&](std::string_view column, Value value) {
    sql += ", ";
    sql += column;
    sql += " = ?";
    params.push_back(std::move(value));
  };
  if (change.clear_sales_id) {
    sql += ", sales_id = NULL";
  } else if (change.sales_id) {
    set("sales_id", *change.sales_id);
  }
  if (change.policy_id) set("policy_id", *change.policy_id);
  if (change.clear_status_before_freeze) {
    sql += ", status_before_freeze = NULL";
  } else if (change.status_before_freeze) {
    set("status_before_freeze", std::string(CardStatusName(*change.status_before_freeze)));
  }
  if (change.holder_type) set("holder_type", std::string(kHolderTypes.Name(*change.holder_type)));
  if (change.holder_id) set("holder_id", *change.holder_id);
  if (change.holder_org_id) set("holder_org_id", *change.holder_org_id);
  if (change.holder_org_path) set("holder_org_path", *change.holder_org_path);
  set("updated_at", now_ms);
  return sql;
}

}  // namespace

Result<CardStatus> StoredCardStatus(const std::string& text) {
  return ParseStored(kCardStatuses, text, "cards: card status");
}

Result<Card> CardFromRow(const storage::Row& row) {
  Card card;
  card.serial = row.Text(0);
  card.card_type_id = row.Text(1);
  card.batch_id = row.Text(2);
  card.seq = row.Int(3);
  ANXIN_ASSIGN_OR_RETURN(card.status, StoredCardStatus(row.Text(4)));
  if (std::optional<std::string> before = row.OptText(5)) {
    ANXIN_ASSIGN_OR_RETURN(card.status_before_freeze, StoredCardStatus(*before));
  }
  ANXIN_ASSIGN_OR_RETURN(card.holder_type, ParseStored(kHolderTypes, row.Text(6), "cards: holder type"));
  card.holder_id = row.Text(7);
  card.holder_org_id = row.Text(8);
  card.holder_org_path = row.Text(9);
  card.sales_id = row.OptText(10);
  card.policy_id = row.OptText(11);
  card.valid_until = row.Int(12);
  card.updated_at = row.Int(13);
  return card;
}

Result<std::optional<CardType>> SqlCardStore::FindType(storage::Tx& tx, const std::string& id) {
  return OneType(tx, "id", id);
}

Result<std::optional<CardType>> SqlCardStore::FindTypeByCode(storage::Tx& tx, const std::string& code) {
  return OneType(tx, "code", code);
}

Result<std::optional<CardType>> SqlCardStore::FindTypeByPrefix(storage::Tx& tx, const std::string& prefix) {
  return OneType(tx, "serial_prefix", prefix);
}

Result<std::optional<Card>> SqlCardStore::Find(storage::Tx& tx, const std::string& serial) {
  ANXIN_ASSIGN_OR_RETURN(
      std::optional<Row> row,
      tx.QueryOne("SELECT " + std::string(kCardColumns) + " FROM cards WHERE serial = ?", {serial}));
  if (!row) return std::optional<Card>();
  ANXIN_ASSIGN_OR_RETURN(Card card, CardFromRow(*row));
  return std::optional<Card>(std::move(card));
}

Result<std::vector<Card>> SqlCardStore::FindRange(storage::Tx& tx, const std::string& card_type_id,
                                                  int64_t first_seq, int64_t last_seq) {
  ANXIN_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query("SELECT " + std::string(kCardColumns) +
                   " FROM cards WHERE card_type_id = ? AND seq >= ? AND seq <= ? ORDER BY seq",
               {card_type_id, first_seq, last_seq}));
  std::vector<Card> cards;
  cards.reserve(rows.size());
  for (const Row& row : rows) {
    ANXIN_ASSIGN_OR_RETURN(Card card, CardFromRow(row));
    cards.push_back(std::move(card));
  }
  return cards;
}

Result<bool> SqlCardStore::Transition(storage::Tx& tx, const std::string& serial, CardStatus expected,
                                      CardStatus next, const CardChange& change, int64_t now_ms) {
  std::vector<Value> params;
  std::string sql =
      "UPDATE cards SET " + SetClause(next, change, now_ms, params) + " WHERE serial = ? AND status = ?";
  params.emplace_back(serial);
  params.emplace_back(std::string(CardStatusName(expected)));
  ANXIN_ASSIGN_OR_RETURN(int64_t changed, tx.Exec(sql, params));
  return changed == 1;
}

Result<int64_t> SqlCardStore::TransitionRange(storage::Tx& tx, const std::string& card_type_id,
                                              int64_t first_seq, int64_t last_seq, CardStatus expected,
                                              CardStatus next, const CardChange& change, int64_t now_ms) {
  std::vector<Value> params;
  std::string sql = "UPDATE cards SET " + SetClause(next, change, now_ms, params) +
                    " WHERE card_type_id = ? AND seq >= ? AND seq <= ? AND status = ?";
  params.emplace_back(card_type_id);
  params.emplace_back(first_seq);
  params.emplace_back(last_seq);
  params.emplace_back(std::string(CardStatusName(expected)));
  return tx.Exec(sql, params);
}

Status SqlCardStore::AppendEvent(storage::Tx& tx, const CardEvent& event) {
  Value ref_type;
  if (event.ref_type) ref_type = std::string(kCardRefTypes.Name(*event.ref_type));
  Value ref_id;
  if (!event.ref_id.empty()) ref_id = event.ref_id;
  // Deferred (it inserts its row or fails): on PostgreSQL it goes with the next statement or the
  // COMMIT.
  return storage::ExecDeferred(
      tx,
      "INSERT INTO card_events (id, serial, at_ms, action, from_status, to_status, actor_id, ref_type, "
      "ref_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {NewId(event.at_ms), event.serial, event.at_ms, std::string(CardActionName(event.action)),
       std::string(CardStatusName(event.from)), std::string(CardStatusName(event.to)), event.actor_id,
       ref_type, ref_id, event.detail.dump()});
}

Result<std::vector<CardEvent>> SqlCardStore::Events(storage::Tx& tx, const std::string& serial) {
  ANXIN_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query("SELECT serial, at_ms, action, from_status, to_status, actor_id, ref_type, ref_id, "
               "detail FROM card_events WHERE serial = ? ORDER BY at_ms, id",
               {serial}));
  std::vector<CardEvent> events;
  events.reserve(rows.size());
  for (const Row& row : rows) {
    CardEvent event;
    event.serial = row.Text(0);
    event.at_ms = row.Int(1);
    ANXIN_ASSIGN_OR_RETURN(event.action, ParseStored(kCardActions, row.Text(2), "cards: event action"));
    ANXIN_ASSIGN_OR_RETURN(event.from, StoredCardStatus(row.Text(3)));
    ANXIN_ASSIGN_OR_RETURN(event.to, StoredCardStatus(row.Text(4)));
    event.actor_id = row.Text(5);
    if (std::optional<std::string> ref_type = row.OptText(6)) {
      ANXIN_ASSIGN_OR_RETURN(event.ref_type, ParseStored(kCardRefTypes, *ref_type, "cards: event ref type"));
    }
    event.ref_id = row.Text(7);
    event.detail = nlohmann::json::parse(row.Text(8), nullptr, /*allow_exceptions=*/false);
    if (event.detail.is_discarded()) return Status::Internal("cards: stored event detail is not JSON");
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace anxin::cards
