#include <map>
#include <string>
#include <utility>
#include <vector>

#include "cards/card_stock_store.hpp"
#include "cards/card_store.hpp"
#include "common/enum_values.hpp"
#include "storage/sql_filter.hpp"

namespace anxin::cards {
namespace {

using storage::Row;
using storage::Value;
using Names = std::map<std::string, std::string>;  // id -> name, from the Directory

// `params` followed by the parameters of a storage::StartsWithSql test for `prefix`.
std::vector<Value> WithPrefix(std::vector<Value> params, std::string_view prefix) {
  for (Value& param : storage::PrefixParams(prefix)) params.push_back(std::move(param));
  return params;
}

constexpr std::string_view kMovementColumns =
    "id, movement_no, kind, card_type_id, first_seq, last_seq, quantity, from_type, from_id, to_type, to_id, "
    "to_org_id, at_ms, actor_id";

Result<CardMovement> ToMovement(const Row& row) {
  CardMovement m;
  m.id = row.Text(0);
  m.movement_no = row.Text(1);
  ANXIN_ASSIGN_OR_RETURN(m.kind, ParseStored(kMovementKinds, row.Text(2), "cards: movement kind"));
  m.card_type_id = row.Text(3);
  m.first_seq = row.Int(4);
  m.last_seq = row.Int(5);
  m.quantity = row.Int(6);
  ANXIN_ASSIGN_OR_RETURN(m.from_type, ParseStored(kHolderTypes, row.Text(7), "cards: movement from_type"));
  m.from_id = row.Text(8);
  ANXIN_ASSIGN_OR_RETURN(m.to_type, ParseStored(kHolderTypes, row.Text(9), "cards: movement to_type"));
  m.to_id = row.Text(10);
  m.to_org_id = row.Text(11);
  m.at_ms = row.Int(12);
  m.actor_id = row.Text(13);
  return m;
}

std::string NameOf(HolderType type) { return std::string(kHolderTypes.Name(type)); }

// Counts the cards of the range and those failing `ok_condition`, and lists the first offenders.
Result<RangeProblems> RangeCheck(storage::Tx& tx, const std::string& card_type_id, int64_t first_seq,
                                 int64_t last_seq, const std::string& ok_condition,
                                 const std::vector<Value>& condition_params) {
  std::vector<Value> params = condition_params;
  params.emplace_back(card_type_id);
  params.emplace_back(first_seq);
  params.emplace_back(last_seq);
  ANXIN_ASSIGN_OR_RETURN(
      std::optional<Row> counts,
      tx.QueryOne("SELECT COUNT(*), COALESCE(SUM(CASE WHEN " + ok_condition +
                      " THEN 0 ELSE 1 END), 0) FROM cards WHERE card_type_id = ? AND seq >= ? AND seq <= ?",
                  params));
  RangeProblems out;
  if (counts) {
    out.existing = counts->Int(0);
    out.offending = counts->Int(1);
  }
  if (out.offending == 0) return out;
  params.emplace_back(int64_t{50});
  ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows,
                         tx.Query("SELECT serial FROM cards WHERE NOT (" + ok_condition +
                                      ") AND card_type_id = ? AND seq >= ? AND seq <= ? ORDER BY seq LIMIT ?",
                                  params));
  for (const Row& row : rows) out.serials.push_back(row.Text(0));
  return out;
}

std::string StatusList(const std::vector<CardStatus>& statuses, std::vector<Value>& params) {
  std::string sql = "(";
  for (size_t i = 0; i < statuses.size(); ++i) {
    sql += i == 0 ? "?" : ", ?";
    params.emplace_back(std::string(CardStatusName(statuses[i])));
  }
  return sql + ")";
}

}  // namespace

Result<RangeProblems> SqlCardStockStore::CheckHeld(storage::Tx& tx, const std::string& card_type_id,
                                                   int64_t first_seq, int64_t last_seq,
                                                   HolderType holder_type, const std::string& holder_id) {
  return RangeCheck(tx, card_type_id, first_seq, last_seq,
                    "status = 'in_stock' AND holder_type = ? AND holder_id = ?",
                    {NameOf(holder_type), holder_id});
}

Result<RangeProblems> SqlCardStockStore::CheckRecallable(storage::Tx& tx, const std::string& card_type_id,
                                                         int64_t first_seq, int64_t last_seq,
                                                         const RecallSource& source) {
  std::string condition = "status = 'in_stock' AND " + storage::StartsWithSql("holder_org_path") +
                          " AND NOT (holder_type = ? AND holder_id = ?)";
  std::vector<Value> params = storage::PrefixParams(source.scope_path);
  params.emplace_back(NameOf(HolderType::kOrg));
  params.emplace_back(source.keep_org_id);
  if (source.holder_type && source.holder_id) {
    condition += " AND holder_type = ? AND holder_id = ?";
    params.emplace_back(NameOf(*source.holder_type));
    params.emplace_back(*source.holder_id);
  }
  return RangeCheck(tx, card_type_id, first_seq, last_seq, condition, params);
}

Result<std::optional<std::pair<HolderType, std::string>>> SqlCardStockStore::FirstHolder(
    storage::Tx& tx, const std::string& card_type_id, int64_t first_seq, int64_t last_seq) {
  ANXIN_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query("SELECT holder_type, holder_id FROM cards WHERE card_type_id = ? AND seq >= ? AND "
               "seq <= ? ORDER BY seq LIMIT 1",
               {card_type_id, first_seq, last_seq}));
  using Holder = std::pair<HolderType, std::string>;
  if (rows.empty()) return std::optional<Holder>();
  ANXIN_ASSIGN_OR_RETURN(HolderType type, ParseStored(kHolderTypes, rows[0].Text(0), "cards: holder type"));
  return std::optional<Holder>(Holder{type, rows[0].Text(1)});
}

Status SqlCardStockStore::InsertMovement(storage::Tx& tx, const CardMovement& m) {
  ANXIN_ASSIGN_OR_RETURN(
      int64_t changed, tx.Exec("INSERT INTO card_movements (" + std::string(kMovementColumns) +
                                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               {m.id, m.movement_no, std::string(kMovementKinds.Name(m.kind)), m.card_type_id,
                                m.first_seq, m.last_seq, m.quantity, NameOf(m.from_type), m.from_id,
                                NameOf(m.to_type), m.to_id, m.to_org_id, m.at_ms, m.actor_id}));
  if (changed != 1)
    return Status::Internal("cards: movement insert changed " + std::to_string(changed) + " rows");
  return Status::Ok();
}

Result<std::vector<CardMovement>> SqlCardStockStore::MovementsCovering(storage::Tx& tx,
                                                                       const std::string& card_type_id,
                                                                       int64_t seq) {
  ANXIN_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query("SELECT " + std::string(kMovementColumns) +
                   " FROM card_movements WHERE card_type_id = ? AND first_seq <= ? AND last_seq >= ? "
                   "ORDER BY at_ms, id",
               {card_type_id, seq, seq}));
  std::vector<CardMovement> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    ANXIN_ASSIGN_OR_RETURN(CardMovement movement, ToMovement(row));
    out.push_back(std::move(movement));
  }
  return out;
}

Result<std::optional<StockPerson>> SqlCardStockStore::FindPerson(storage::Tx& tx, const std::string& login) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<identity::StaffMember> staff, directory_.FindStaffByLogin(tx, login));
  if (!staff) return std::optional<StockPerson>();
  StockPerson p;
  p.user_id = staff->id;
  p.login = staff->login;
  p.display_name = staff->display_name;
  p.org_id = staff->org_id;
  p.org_path = staff->org_path;
  p.active = staff->active;
  ANXIN_ASSIGN_OR_RETURN(p.authorised,
                         directory_.HasRole(tx, staff->id, {identity::kRoleSeller, identity::kRoleDocAdmin}));
  return std::optional<StockPerson>(std::move(p));
}

Result<std::string> SqlCardStockStore::HolderName(storage::Tx& tx, HolderType holder_type,
                                                  const std::string& holder_id) {
  ANXIN_ASSIGN_OR_RETURN(Names names, holder_type == HolderType::kPerson
                                          ? directory_.UserDisplayNames(tx, {holder_id})
                                          : directory_.OrgNames(tx, {holder_id}));
  auto it = names.find(holder_id);
  return it == names.end() ? std::string() : it->second;
}

Result<std::map<std::string, identity::StaffMember>> SqlCardStockStore::StaffByIds(
    storage::Tx& tx, const std::vector<std::string>& user_ids) {
  return directory_.StaffByIds(tx, user_ids);
}

Result<std::vector<Card>> SqlCardStockStore::ListCards(storage::Tx& tx, const CardQuery& query) {
  std::string sql = "SELECT " + std::string(kCardColumns) + " FROM cards WHERE " +
                    storage::StartsWithSql("holder_org_path");
  std::vector<Value> params = storage::PrefixParams(query.scope_path);
  if (query.card_type_id) {
    sql += " AND card_type_id = ?";
    params.emplace_back(*query.card_type_id);
  }
  if (query.first_seq) {
    sql += " AND seq >= ?";
    params.emplace_back(*query.first_seq);
  }
  if (query.last_seq) {
    sql += " AND seq <= ?";
    params.emplace_back(*query.last_seq);
  }
  if (query.status) {
    sql += " AND status = ?";
    params.emplace_back(std::string(CardStatusName(*query.status)));
  }
  if (query.holder_id) {
    sql += " AND (holder_id = ? OR holder_org_id = ?)";
    params.emplace_back(*query.holder_id);
    params.emplace_back(*query.holder_id);
  }
  if (query.holder_org_path) {
    sql += " AND " + storage::StartsWithSql("holder_org_path");
    for (Value& param : storage::PrefixParams(*query.holder_org_path)) params.push_back(std::move(param));
  }
  if (!query.after_serial.empty()) {
    sql += " AND serial > ?";
    params.emplace_back(query.after_serial);
  }
  sql += " ORDER BY serial LIMIT ?";
  params.emplace_back(int64_t{query.limit});
  ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(sql, params));
  std::vector<Card> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    ANXIN_ASSIGN_OR_RETURN(Card card, CardFromRow(row));
    out.push_back(std::move(card));
  }
  return out;
}

Result<std::vector<CountRow>> SqlCardStockStore::StockCounts(storage::Tx& tx, const std::string& scope_path,
                                                             const std::string& group_by) {
  const std::string in_scope = storage::StartsWithSql("c.holder_org_path");
  std::string sql;
  if (group_by == "org") {
    // Labelled with the organisations' names below, through the Directory. A card's
    // holder_org_path is its holder organisation's path, so the order is the tree's.
    sql =
        "SELECT c.holder_org_id, '', c.status, COUNT(*) FROM cards c "
        "WHERE " +
        in_scope +
        " GROUP BY c.holder_org_id, c.holder_org_path, c.status "
        "ORDER BY c.holder_org_path, c.status";
  } else if (group_by == "type") {
    sql =
        "SELECT c.card_type_id, t.code, c.status, COUNT(*) FROM cards c JOIN card_types t ON t.id = "
        "c.card_type_id "
        "WHERE " +
        in_scope +
        " GROUP BY c.card_type_id, t.code, c.status ORDER BY "
        "t.code, "
        "c.status";
  } else {
    sql = "SELECT c.status, c.status, '', COUNT(*) FROM cards c WHERE " + in_scope +
          " GROUP BY c.status ORDER BY c.status";
  }
  ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(sql, storage::PrefixParams(scope_path)));
  std::vector<CountRow> out;
  out.reserve(rows.size());
  for (const Row& row : rows) out.push_back(CountRow{row.Text(0), row.Text(1), row.Text(2), row.Int(3)});
  if (group_by == "org") {
    std::vector<std::string> ids;
    ids.reserve(out.size());
    for (const CountRow& r : out) ids.push_back(r.key);
    ANXIN_ASSIGN_OR_RETURN(Names names, directory_.OrgNames(tx, ids));
    for (CountRow& r : out) r.label = names[r.key];
  }
  return out;
}

Result<std::vector<SaleRow>> SqlCardStockStore::Sales(storage::Tx& tx, const std::string& scope_path,
                                                      int64_t from_ms, int64_t to_ms) {
  ANXIN_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query("SELECT s.seller_code, s.org_id, s.created_at, s.quantity, s.amount_fen FROM card_sales s "
               "WHERE s.created_at >= ? AND s.created_at < ? AND s.status <> 'reversed' AND " +
                   storage::StartsWithSql("s.org_path") + " ORDER BY s.created_at, s.id",
               WithPrefix({from_ms, to_ms}, scope_path)));
  std::vector<SaleRow> out;
  out.reserve(rows.size());
  std::vector<std::string> org_ids;
  org_ids.reserve(rows.size());
  for (const Row& row : rows) {
    out.push_back(SaleRow{row.Text(0), row.Text(1), "", row.Int(2), row.Int(3), row.Int(4)});
    org_ids.push_back(out.back().org_id);
  }
  ANXIN_ASSIGN_OR_RETURN(Names names, directory_.OrgNames(tx, org_ids));
  for (SaleRow& r : out) r.org_name = names[r.org_id];
  return out;
}

Result<std::vector<std::pair<std::string, int64_t>>> SqlCardStockStore::Activations(
    storage::Tx& tx, const std::string& scope_path, int64_t from_ms, int64_t to_ms) {
  ANXIN_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query("SELECT COALESCE(s.seller_code, ''), e.at_ms FROM card_events e JOIN cards c ON c.serial = "
               "e.serial "
               "LEFT JOIN card_sales s ON s.id = c.sales_id WHERE e.action = 'activate' AND e.at_ms >= ? AND "
               "e.at_ms < ? AND " +
                   storage::StartsWithSql("COALESCE(s.org_path, c.holder_org_path)") + " ORDER BY e.at_ms",
               WithPrefix({from_ms, to_ms}, scope_path)));
  std::vector<std::pair<std::string, int64_t>> out;
  out.reserve(rows.size());
  for (const Row& row : rows) out.emplace_back(row.Text(0), row.Int(1));
  return out;
}

Result<std::vector<AgeingRow>> SqlCardStockStore::InStockByBatch(storage::Tx& tx,
                                                                 const std::string& scope_path) {
  ANXIN_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query("SELECT c.card_type_id, t.code, b.created_at, b.valid_until, COUNT(*) FROM cards c JOIN "
               "card_batches b "
               "ON b.id = c.batch_id JOIN card_types t ON t.id = c.card_type_id WHERE c.status = 'in_stock' "
               "AND " +
                   storage::StartsWithSql("c.holder_org_path") +
                   " GROUP BY c.card_type_id, t.code, b.id, b.created_at, b.valid_until ORDER BY t.code, "
                   "b.created_at",
               storage::PrefixParams(scope_path)));
  std::vector<AgeingRow> out;
  out.reserve(rows.size());
  for (const Row& row : rows)
    out.push_back(AgeingRow{row.Text(0), row.Text(1), row.Int(2), row.Int(3), row.Int(4)});
  return out;
}

Result<int64_t> SqlCardStockStore::ExpireDue(storage::Tx& tx, int64_t now_ms,
                                             const std::vector<CardStatus>& statuses,
                                             const std::string& run_id, const std::string& actor_id) {
  if (statuses.empty()) return int64_t{0};
  std::vector<Value> event_params = {run_id + ":", now_ms, actor_id, now_ms};
  const std::string event_list = StatusList(statuses, event_params);
  ANXIN_ASSIGN_OR_RETURN(int64_t events, tx.Exec("INSERT INTO card_events (id, serial, at_ms, action, "
                                                 "from_status, to_status, actor_id, ref_type, ref_id, "
                                                 "detail) SELECT CAST(? AS TEXT) || serial, serial, ?, "
                                                 "'expire', status, 'expired', ?, NULL, NULL, '{}' "
                                                 "FROM cards WHERE valid_until < ? AND status IN " +
                                                     event_list,
                                                 event_params));
  std::vector<Value> update_params = {now_ms, now_ms};
  const std::string update_list = StatusList(statuses, update_params);
  ANXIN_ASSIGN_OR_RETURN(
      int64_t expired,
      tx.Exec("UPDATE cards SET status = 'expired', status_before_freeze = NULL, updated_at = ? "
              "WHERE valid_until < ? AND status IN " +
                  update_list,
              update_params));
  if (events != expired) {
    return Status::Internal("cards: expiry wrote " + std::to_string(events) + " events for " +
                            std::to_string(expired) + " cards");
  }
  return expired;
}

}  // namespace anxin::cards
