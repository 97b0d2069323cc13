#include <string>
#include <utility>

#include "products/product_store.hpp"

namespace anxin::products {
namespace {

using storage::Row;
using storage::Value;

constexpr std::string_view kDefinitionColumns = "code, version, definition, definition_hash, loaded_at";

StoredDefinition ToDefinition(const Row& row) {
  return StoredDefinition{row.Text(0), static_cast<int>(row.Int(1)), row.Text(2), row.Text(3), row.Int(4)};
}

Result<Date> StoredDate(const std::string& text) {
  Result<Date> date = ParseDate(text);
  if (!date.ok()) return Status::Internal("products: stored date '" + text + "' is not YYYY-MM-DD");
  return date;
}

}  // namespace

Result<std::optional<std::string>> SqlProductStore::FindHash(storage::Tx& tx, std::string_view code,
                                                             int version) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row,
                         tx.QueryOne("SELECT definition_hash FROM products WHERE code = ? AND version = ?",
                                     {std::string(code), int64_t{version}}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->Text(0));
}

Status SqlProductStore::Insert(storage::Tx& tx, const Product& product, int64_t loaded_at_ms) {
  Value effective_to;
  if (product.effective_to) effective_to = FormatDate(*product.effective_to);
  ANXIN_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec("INSERT INTO products (code, version, name_zh, name_en, line_of_business, effective_from, "
              "effective_to, definition, definition_hash, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {product.code, int64_t{product.version}, product.name_zh, product.name_en,
               std::string(LineOfBusinessName(product.line_of_business)), FormatDate(product.effective_from),
               effective_to, product.definition.dump(), product.definition_hash, loaded_at_ms}));
  if (changed != 1) return Status::Internal("products: insert changed " + std::to_string(changed) + " rows");
  return Status::Ok();
}

Result<std::optional<StoredDefinition>> SqlProductStore::Find(storage::Tx& tx, std::string_view code,
                                                              int version) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row,
                         tx.QueryOne("SELECT " + std::string(kDefinitionColumns) +
                                         " FROM products WHERE code = ? AND version = ?",
                                     {std::string(code), int64_t{version}}));
  if (!row) return std::optional<StoredDefinition>();
  return std::optional<StoredDefinition>(ToDefinition(*row));
}

Result<std::optional<StoredDefinition>> SqlProductStore::FindEffective(storage::Tx& tx, std::string_view code,
                                                                       const Date& date) {
  const std::string day = FormatDate(date);
  ANXIN_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query("SELECT " + std::string(kDefinitionColumns) +
                   " FROM products WHERE code = ? AND effective_from <= ? AND (effective_to IS NULL OR "
                   "effective_to >= ?) ORDER BY version DESC LIMIT 1",
               {std::string(code), day, day}));
  if (rows.empty()) return std::optional<StoredDefinition>();
  return std::optional<StoredDefinition>(ToDefinition(rows.front()));
}

Result<std::optional<StoredDefinition>> SqlProductStore::FindEffectiveKey(storage::Tx& tx,
                                                                          std::string_view code,
                                                                          const Date& date) {
  const std::string day = FormatDate(date);
  ANXIN_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query("SELECT code, version, definition_hash, loaded_at FROM products WHERE code = ? AND "
               "effective_from <= ? AND (effective_to IS NULL OR effective_to >= ?) ORDER BY version DESC "
               "LIMIT 1",
               {std::string(code), day, day}));
  if (rows.empty()) return std::optional<StoredDefinition>();
  const Row& row = rows.front();
  return std::optional<StoredDefinition>(
      StoredDefinition{row.Text(0), static_cast<int>(row.Int(1)), std::string(), row.Text(2), row.Int(3)});
}

Result<std::vector<StoredDefinition>> SqlProductStore::ListEffective(storage::Tx& tx, const Date& date,
                                                                     std::optional<LineOfBusiness> line) {
  const std::string day = FormatDate(date);
  std::string sql =
      "SELECT " + std::string(kDefinitionColumns) +
      " FROM products WHERE effective_from <= ? AND (effective_to IS NULL OR effective_to >= ?)";
  Result<std::vector<Row>> rows = std::vector<Row>();
  if (line) {
    rows = tx.Query(sql + " AND line_of_business = ? ORDER BY code, version DESC",
                    {day, day, std::string(LineOfBusinessName(*line))});
  } else {
    rows = tx.Query(sql + " ORDER BY code, version DESC", {day, day});
  }
  if (!rows.ok()) return std::move(rows).take_status();
  // Rows come highest version first within a code: keep the first of each code.
  std::vector<StoredDefinition> out;
  for (const Row& row : *rows) {
    if (!out.empty() && out.back().code == row.Text(0)) continue;
    out.push_back(ToDefinition(row));
  }
  return out;
}

Result<std::vector<ProductVersionRecord>> SqlProductStore::ListVersions(storage::Tx& tx,
                                                                        std::string_view code) {
  ANXIN_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query("SELECT code, version, name_zh, name_en, line_of_business, effective_from, effective_to, "
               "definition_hash, loaded_at FROM products WHERE code = ? ORDER BY version",
               {std::string(code)}));
  std::vector<ProductVersionRecord> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    ProductVersionRecord record;
    record.code = row.Text(0);
    record.version = static_cast<int>(row.Int(1));
    record.name_zh = row.Text(2);
    record.name_en = row.Text(3);
    std::optional<LineOfBusiness> line = ParseLineOfBusiness(row.Text(4));
    if (!line) return Status::Internal("products: stored line of business '" + row.Text(4) + "' is unknown");
    record.line_of_business = *line;
    ANXIN_ASSIGN_OR_RETURN(record.effective_from, StoredDate(row.Text(5)));
    if (std::optional<std::string> to = row.OptText(6)) {
      ANXIN_ASSIGN_OR_RETURN(record.effective_to, StoredDate(*to));
    }
    record.definition_hash = row.Text(7);
    record.loaded_at_ms = row.Int(8);
    out.push_back(std::move(record));
  }
  return out;
}

}  // namespace anxin::products
