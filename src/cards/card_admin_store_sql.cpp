#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cards/card_admin_service.hpp"
#include "cards/card_admin_store.hpp"

namespace anxin::cards {
namespace {

using storage::Row;
using storage::Value;

constexpr std::string_view kBatchColumns =
    "b.id, b.batch_no, b.card_type_id, t.code, t.serial_prefix, b.org_id, b.quantity, b.first_seq, "
    "b.last_seq, "
    "b.valid_until, b.exported_at, b.exported_by, b.created_at, b.created_by";

CardBatch ToBatch(const Row& row) {
  CardBatch b;
  b.id = row.Text(0);
  b.batch_no = row.Text(1);
  b.card_type_id = row.Text(2);
  b.card_type_code = row.Text(3);
  b.serial_prefix = row.Text(4);
  b.org_id = row.Text(5);
  b.quantity = row.Int(6);
  b.first_seq = row.Int(7);
  b.last_seq = row.Int(8);
  b.valid_until = row.Int(9);
  b.exported_at = row.OptInt(10);
  b.exported_by = row.OptText(11);
  b.exported = b.exported_at.has_value();
  b.created_at = row.Int(12);
  b.created_by = row.Text(13);
  return b;
}

// The SQL text of an INSERT of `rows` cards (memoised per row count by the caller's cache of
// prepared statements: only the full chunk size and one remainder size ever occur per batch).
std::string CardInsertSql(size_t rows) {
  static constexpr std::string_view kHead =
      "INSERT INTO cards (serial, card_type_id, batch_id, seq, password_hash, status, holder_type, "
      "holder_id, "
      "holder_org_id, holder_org_path, valid_until, updated_at) VALUES ";
  static constexpr std::string_view kRow = "(?, ?, ?, ?, ?, 'in_stock', 'org', ?, ?, ?, ?, ?)";
  std::string sql(kHead);
  sql.reserve(kHead.size() + rows * (kRow.size() + 2));
  for (size_t i = 0; i < rows; ++i) {
    if (i > 0) sql += ", ";
    sql += kRow;
  }
  return sql;
}

}  // namespace

Result<bool> SqlCardAdminStore::InsertType(storage::Tx& tx, const CardType& type,
                                           const std::string& created_by) {
  nlohmann::json plans = type.plan_codes;
  ANXIN_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec("INSERT INTO card_types (id, code, name, serial_prefix, product_code, plan_codes, "
              "default_plan_code, "
              "term_unit, term_value, face_value_fen, validity_days, start_rule, start_within_days, status, "
              "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
              "DO NOTHING",
              {type.id, type.code, type.name, type.serial_prefix, type.product_code, plans.dump(),
               type.default_plan_code, std::string(TermUnitName(type.term_unit)), type.term_value,
               type.face_value.fen, type.validity_days, std::string(StartRuleName(type.start_rule)),
               type.start_within_days, std::string(kCardTypeStatuses.Name(type.status)), type.created_at,
               created_by}));
  return changed == 1;
}

Result<std::vector<CardType>> SqlCardAdminStore::ListTypes(storage::Tx& tx) {
  ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query("SELECT id FROM card_types ORDER BY code"));
  SqlCardStore cards;
  std::vector<CardType> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    ANXIN_ASSIGN_OR_RETURN(std::optional<CardType> type, cards.FindType(tx, row.Text(0)));
    if (type) out.push_back(std::move(*type));
  }
  return out;
}

Result<bool> SqlCardAdminStore::SetTypeStatus(storage::Tx& tx, const std::string& id, CardTypeStatus status) {
  ANXIN_ASSIGN_OR_RETURN(int64_t changed, tx.Exec("UPDATE card_types SET status = ? WHERE id = ?",
                                                  {std::string(kCardTypeStatuses.Name(status)), id}));
  return changed == 1;
}

Result<bool> SqlCardAdminStore::LockType(storage::Tx& tx, const std::string& id) {
  ANXIN_ASSIGN_OR_RETURN(int64_t changed,
                         tx.Exec("UPDATE card_types SET status = status WHERE id = ?", {id}));
  return changed == 1;
}

Result<int64_t> SqlCardAdminStore::MaxSeq(storage::Tx& tx, const std::string& card_type_id) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row,
                         tx.QueryOne("SELECT MAX(seq) FROM cards WHERE card_type_id = ?", {card_type_id}));
  if (!row) return int64_t{0};
  return row->Int(0);
}

Result<std::optional<HeadOffice>> SqlCardAdminStore::FindHeadOffice(storage::Tx& tx) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<identity::Org> head, directory_.HeadOffice(tx));
  if (!head) return std::optional<HeadOffice>();
  return std::optional<HeadOffice>(HeadOffice{head->id, head->path});
}

Status SqlCardAdminStore::InsertBatch(storage::Tx& tx, const CardBatch& batch,
                                      const std::string& sealed_secret) {
  ANXIN_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec("INSERT INTO card_batches (id, batch_no, card_type_id, org_id, quantity, first_seq, last_seq, "
              "valid_until, export_secret, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {batch.id, batch.batch_no, batch.card_type_id, batch.org_id, batch.quantity, batch.first_seq,
               batch.last_seq, batch.valid_until, sealed_secret, batch.created_at, batch.created_by}));
  if (changed != 1)
    return Status::Internal("cards: batch insert changed " + std::to_string(changed) + " rows");
  return Status::Ok();
}

Status SqlCardAdminStore::InsertCards(storage::Tx& tx, const CardBatch& batch,
                                      const std::string& holder_org_id, const std::string& holder_org_path,
                                      const std::vector<NewCardRow>& rows, int64_t now_ms) {
  std::vector<Value> params;
  std::string full_sql;  // the statement for a full chunk, built once per call
  for (size_t start = 0; start < rows.size(); start += kCardInsertRowsPerStatement) {
    const size_t n = std::min(kCardInsertRowsPerStatement, rows.size() - start);
    params.clear();
    params.reserve(n * 10);
    for (size_t i = start; i < start + n; ++i) {
      const NewCardRow& row = rows[i];
      params.emplace_back(row.serial);
      params.emplace_back(batch.card_type_id);
      params.emplace_back(batch.id);
      params.emplace_back(row.seq);
      params.emplace_back(row.password_hash);
      params.emplace_back(holder_org_id);
      params.emplace_back(holder_org_id);
      params.emplace_back(holder_org_path);
      params.emplace_back(batch.valid_until);
      params.emplace_back(now_ms);
    }
    std::string partial_sql;
    const std::string* sql = &full_sql;
    if (n == kCardInsertRowsPerStatement) {
      if (full_sql.empty()) full_sql = CardInsertSql(n);
    } else {
      partial_sql = CardInsertSql(n);
      sql = &partial_sql;
    }
    ANXIN_ASSIGN_OR_RETURN(int64_t changed, tx.Exec(*sql, params));
    if (changed != static_cast<int64_t>(n)) {
      return Status::Internal("cards: card insert changed " + std::to_string(changed) + " rows");
    }
  }
  return Status::Ok();
}

Result<std::optional<CardBatch>> SqlCardAdminStore::FindBatch(storage::Tx& tx, const std::string& id) {
  ANXIN_ASSIGN_OR_RETURN(
      std::optional<Row> row,
      tx.QueryOne("SELECT " + std::string(kBatchColumns) +
                      " FROM card_batches b JOIN card_types t ON t.id = b.card_type_id WHERE b.id = ?",
                  {id}));
  if (!row) return std::optional<CardBatch>();
  return std::optional<CardBatch>(ToBatch(*row));
}

Result<std::vector<CardBatch>> SqlCardAdminStore::ListBatches(storage::Tx& tx, const BatchFilter& filter) {
  std::string sql = "SELECT " + std::string(kBatchColumns) +
                    " FROM card_batches b JOIN card_types t ON t.id = b.card_type_id";
  std::vector<Value> params;
  if (filter.card_type_id) {
    sql += " WHERE b.card_type_id = ?";
    params.emplace_back(*filter.card_type_id);
  }
  sql += " ORDER BY b.created_at DESC, b.id DESC LIMIT ?";
  params.emplace_back(int64_t{filter.limit});
  ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(sql, params));
  std::vector<CardBatch> out;
  out.reserve(rows.size());
  for (const Row& row : rows) out.push_back(ToBatch(row));
  return out;
}

Result<std::optional<std::string>> SqlCardAdminStore::TakeExportSecret(storage::Tx& tx,
                                                                       const std::string& batch_id,
                                                                       int64_t now_ms,
                                                                       const std::string& exported_by) {
  // The old value is read and cleared in one statement; the RETURNING of an UPDATE yields the new
  // row, so the secret is read first under the same conditions and the UPDATE must then change it.
  ANXIN_ASSIGN_OR_RETURN(
      std::optional<Row> row,
      tx.QueryOne("SELECT export_secret FROM card_batches WHERE id = ? AND export_secret IS NOT NULL",
                  {batch_id}));
  if (!row) return std::optional<std::string>();
  ANXIN_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec("UPDATE card_batches SET export_secret = NULL, exported_at = ?, exported_by = ? "
              "WHERE id = ? AND export_secret IS NOT NULL",
              {now_ms, exported_by, batch_id}));
  if (changed != 1) return std::optional<std::string>();
  return std::optional<std::string>(row->Text(0));
}

}  // namespace anxin::cards
