#include <string>
#include <utility>
#include <vector>

#include "cards/card_sales_store.hpp"
#include "common/enum_values.hpp"
#include "storage/sql_filter.hpp"

namespace anxin::cards {
namespace {

using storage::Row;
using storage::Value;

constexpr std::string_view kSaleColumns =
    "id, sales_no, card_type_id, org_id, org_path, seller_org_code, seller_code, business_source, quantity, "
    "amount_fen, status, created_at, created_by";

// kSaleColumns and the sale's reversal totals, as ToSale reads them.
constexpr std::string_view kSaleSelect =
    "id, sales_no, card_type_id, org_id, org_path, seller_org_code, seller_code, business_source, quantity, "
    "amount_fen, status, created_at, created_by, "
    "(SELECT COALESCE(SUM(r.quantity), 0) FROM card_recoveries r WHERE r.sales_id = card_sales.id), "
    "(SELECT COALESCE(SUM(r.amount_fen), 0) FROM card_recoveries r WHERE r.sales_id = card_sales.id), "
    "(SELECT COALESCE(SUM(r.quantity), 0) FROM card_recoveries r WHERE r.sales_id = card_sales.id "
    "AND r.paid_before = 1), "
    "(SELECT COALESCE(SUM(r.amount_fen), 0) FROM card_recoveries r WHERE r.sales_id = card_sales.id "
    "AND r.paid_before = 1)";

constexpr std::string_view kReceiptColumns =
    "id, receipt_no, kind, sales_id, recovery_id, org_id, org_path, amount_fen, status, payer_name, "
    "bank_reference_enc, issued_at, issued_by, confirmed_at, confirmed_by";

constexpr std::string_view kInvoiceColumns =
    "id, invoice_no, kind, receipt_id, original_invoice_id, org_id, org_path, buyer_name, amount_fen, "
    "issued_at, "
    "issued_by";

constexpr std::string_view kRecoveryColumns =
    "id, recovery_no, sales_id, org_id, org_path, quantity, amount_fen, disposition, reason, status, "
    "paid_before, "
    "created_at, created_by";

Value OptValue(const std::optional<std::string>& text) {
  if (!text) return Value();
  return Value(*text);
}

Value OptValue(const std::optional<int64_t>& number) {
  if (!number) return Value();
  return Value(*number);
}

Result<CardSale> ToSale(const Row& row) {
  CardSale sale;
  sale.id = row.Text(0);
  sale.sales_no = row.Text(1);
  sale.card_type_id = row.Text(2);
  sale.org_id = row.Text(3);
  sale.org_path = row.Text(4);
  sale.seller_org_code = row.Text(5);
  sale.seller_code = row.Text(6);
  ANXIN_ASSIGN_OR_RETURN(sale.business_source,
                         ParseStored(kBusinessSources, row.Text(7), "card sales: business source"));
  sale.quantity = row.Int(8);
  sale.amount = Money::Fen(row.Int(9));
  ANXIN_ASSIGN_OR_RETURN(sale.status, ParseStored(kSaleStatuses, row.Text(10), "card sales: sale status"));
  sale.created_at = row.Int(11);
  sale.created_by = row.Text(12);
  sale.reversed_quantity = row.Int(13);
  sale.reversed_amount = Money::Fen(row.Int(14));
  sale.reversed_paid_quantity = row.Int(15);
  sale.reversed_paid_amount = Money::Fen(row.Int(16));
  return sale;
}

Result<Receipt> ToReceipt(const Row& row) {
  Receipt r;
  r.id = row.Text(0);
  r.receipt_no = row.Text(1);
  ANXIN_ASSIGN_OR_RETURN(r.kind, ParseStored(kReceiptKinds, row.Text(2), "card sales: receipt kind"));
  r.sales_id = row.OptText(3);
  r.recovery_id = row.OptText(4);
  r.org_id = row.Text(5);
  r.org_path = row.Text(6);
  r.amount = Money::Fen(row.Int(7));
  ANXIN_ASSIGN_OR_RETURN(r.status, ParseStored(kReceiptStatuses, row.Text(8), "card sales: receipt status"));
  r.payer_name = row.Text(9);
  r.bank_reference_enc = row.OptText(10);
  r.issued_at = row.Int(11);
  r.issued_by = row.Text(12);
  r.confirmed_at = row.OptInt(13);
  r.confirmed_by = row.OptText(14);
  return r;
}

Result<Invoice> ToInvoice(const Row& row) {
  Invoice inv;
  inv.id = row.Text(0);
  inv.invoice_no = row.Text(1);
  ANXIN_ASSIGN_OR_RETURN(inv.kind, ParseStored(kInvoiceKinds, row.Text(2), "card sales: invoice kind"));
  inv.receipt_id = row.Text(3);
  inv.original_invoice_id = row.OptText(4);
  inv.org_id = row.Text(5);
  inv.org_path = row.Text(6);
  inv.buyer_name = row.Text(7);
  inv.amount = Money::Fen(row.Int(8));
  inv.issued_at = row.Int(9);
  inv.issued_by = row.Text(10);
  return inv;
}

Result<Recovery> ToRecovery(const Row& row) {
  Recovery r;
  r.id = row.Text(0);
  r.recovery_no = row.Text(1);
  r.sales_id = row.Text(2);
  r.org_id = row.Text(3);
  r.org_path = row.Text(4);
  r.quantity = row.Int(5);
  r.amount = Money::Fen(row.Int(6));
  ANXIN_ASSIGN_OR_RETURN(r.disposition, ParseStored(kDispositions, row.Text(7), "card sales: disposition"));
  r.reason = row.Text(8);
  ANXIN_ASSIGN_OR_RETURN(r.status,
                         ParseStored(kRecoveryStatuses, row.Text(9), "card sales: recovery status"));
  r.paid_before = row.Int(10) != 0;
  r.created_at = row.Int(11);
  r.created_by = row.Text(12);
  return r;
}

// Runs a query for at most one row and converts it.
template <typename T, typename Convert>
Result<std::optional<T>> One(storage::Tx& tx, const std::string& sql, std::initializer_list<Value> params,
                             Convert convert) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row, tx.QueryOne(sql, params));
  if (!row) return std::optional<T>();
  ANXIN_ASSIGN_OR_RETURN(T value, convert(*row));
  return std::optional<T>(std::move(value));
}

Status ExpectOne(Result<int64_t> changed, std::string_view what) {
  if (!changed.ok()) return std::move(changed).take_status();
  if (*changed != 1) {
    return Status::Internal("card sales: " + std::string(what) + " changed " + std::to_string(*changed) +
                            " rows");
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<SalesOrg>> SqlCardSalesStore::FindOrg(storage::Tx& tx, const std::string& id) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<identity::Org> org, directory_.FindOrg(tx, id));
  if (!org) return std::optional<SalesOrg>();
  return std::optional<SalesOrg>(SalesOrg{org->id, org->code, org->name, org->level, org->path,
                                          org->status == identity::ActiveState::kActive});
}

Result<std::optional<SalesStaff>> SqlCardSalesStore::FindStaff(storage::Tx& tx, const std::string& login) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<identity::StaffMember> staff, directory_.FindStaffByLogin(tx, login));
  if (!staff) return std::optional<SalesStaff>();
  ANXIN_ASSIGN_OR_RETURN(bool seller, directory_.HasRole(tx, staff->id, {identity::kRoleSeller}));
  return std::optional<SalesStaff>(
      SalesStaff{staff->id, staff->login, staff->display_name, staff->org_id, staff->active, seller});
}

Result<bool> SqlCardSalesStore::NumberTaken(storage::Tx& tx, NumberKind kind, const std::string& number) {
  std::string sql;
  switch (kind) {
    case NumberKind::kSale:
      sql = "SELECT 1 FROM card_sales WHERE sales_no = ?";
      break;
    case NumberKind::kReceipt:
      sql = "SELECT 1 FROM receipts WHERE receipt_no = ?";
      break;
    case NumberKind::kInvoice:
      sql = "SELECT 1 FROM invoices WHERE invoice_no = ?";
      break;
    case NumberKind::kRecovery:
      sql = "SELECT 1 FROM card_recoveries WHERE recovery_no = ?";
      break;
  }
  ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row, tx.QueryOne(sql, {number}));
  return row.has_value();
}

Status SqlCardSalesStore::InsertSale(storage::Tx& tx, const CardSale& s) {
  return ExpectOne(tx.Exec("INSERT INTO card_sales (" + std::string(kSaleColumns) +
                               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           {s.id, s.sales_no, s.card_type_id, s.org_id, s.org_path, s.seller_org_code,
                            s.seller_code, std::string(BusinessSourceName(s.business_source)), s.quantity,
                            s.amount.fen, std::string(SaleStatusName(s.status)), s.created_at, s.created_by}),
                   "sale insert");
}

Result<std::optional<CardSale>> SqlCardSalesStore::FindSale(storage::Tx& tx, const std::string& id) {
  return One<CardSale>(tx, "SELECT " + std::string(kSaleSelect) + " FROM card_sales WHERE id = ?", {id},
                       ToSale);
}

Result<std::optional<CardSale>> SqlCardSalesStore::FindSaleByNo(storage::Tx& tx,
                                                                const std::string& sales_no) {
  return One<CardSale>(tx, "SELECT " + std::string(kSaleSelect) + " FROM card_sales WHERE sales_no = ?",
                       {sales_no}, ToSale);
}

Status SqlCardSalesStore::LockSale(storage::Tx& tx, const std::string& id) {
  return ExpectOne(tx.Exec("UPDATE card_sales SET status = status WHERE id = ?", {id}), "sale lock");
}

Status SqlCardSalesStore::UpdateSale(storage::Tx& tx, const CardSale& s) {
  return ExpectOne(tx.Exec("UPDATE card_sales SET quantity = ?, amount_fen = ?, status = ? WHERE id = ?",
                           {s.quantity, s.amount.fen, std::string(SaleStatusName(s.status)), s.id}),
                   "sale update");
}

Result<std::vector<CardSale>> SqlCardSalesStore::ListSales(storage::Tx& tx, const SaleQuery& q) {
  std::string sql = "SELECT " + std::string(kSaleSelect) + " FROM card_sales WHERE id > ?";
  std::vector<Value> params{q.after_id};
  if (!q.scope_path.empty()) {
    sql += " AND " + storage::StartsWithSql("org_path");
    for (Value& param : storage::PrefixParams(q.scope_path)) params.push_back(std::move(param));
  }
  if (q.status) {
    sql += " AND status = ?";
    params.emplace_back(std::string(SaleStatusName(*q.status)));
  }
  if (q.card_type_id) {
    sql += " AND card_type_id = ?";
    params.emplace_back(*q.card_type_id);
  }
  if (q.seller_code) {
    sql += " AND seller_code = ?";
    params.emplace_back(*q.seller_code);
  }
  if (q.from_ms) {
    sql += " AND created_at >= ?";
    params.emplace_back(*q.from_ms);
  }
  if (q.to_ms) {
    sql += " AND created_at < ?";
    params.emplace_back(*q.to_ms);
  }
  sql += " ORDER BY id LIMIT ?";
  params.emplace_back(static_cast<int64_t>(q.limit));
  ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(sql, params));
  std::vector<CardSale> sales;
  sales.reserve(rows.size());
  for (const Row& row : rows) {
    ANXIN_ASSIGN_OR_RETURN(CardSale sale, ToSale(row));
    sales.push_back(std::move(sale));
  }
  return sales;
}

Result<std::vector<std::string>> SqlCardSalesStore::SaleSerials(storage::Tx& tx,
                                                                const std::string& sales_id) {
  ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows,
                         tx.Query("SELECT serial FROM cards WHERE sales_id = ? ORDER BY serial", {sales_id}));
  std::vector<std::string> serials;
  serials.reserve(rows.size());
  for (const Row& row : rows) serials.push_back(row.Text(0));
  return serials;
}

Status SqlCardSalesStore::InsertReceipt(storage::Tx& tx, const Receipt& r) {
  return ExpectOne(
      tx.Exec("INSERT INTO receipts (" + std::string(kReceiptColumns) +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {r.id, r.receipt_no, std::string(ReceiptKindName(r.kind)), OptValue(r.sales_id),
               OptValue(r.recovery_id), r.org_id, r.org_path, r.amount.fen,
               std::string(ReceiptStatusName(r.status)), r.payer_name, OptValue(r.bank_reference_enc),
               r.issued_at, r.issued_by, OptValue(r.confirmed_at), OptValue(r.confirmed_by)}),
      "receipt insert");
}

Result<std::optional<Receipt>> SqlCardSalesStore::FindReceipt(storage::Tx& tx, const std::string& id) {
  return One<Receipt>(tx, "SELECT " + std::string(kReceiptColumns) + " FROM receipts WHERE id = ?", {id},
                      ToReceipt);
}

Result<std::optional<Receipt>> SqlCardSalesStore::FindReceiptByNo(storage::Tx& tx,
                                                                  const std::string& receipt_no) {
  return One<Receipt>(tx, "SELECT " + std::string(kReceiptColumns) + " FROM receipts WHERE receipt_no = ?",
                      {receipt_no}, ToReceipt);
}

Result<std::optional<Receipt>> SqlCardSalesStore::FindReceiptFor(storage::Tx& tx, ReceiptKind kind,
                                                                 const std::string& ref_id) {
  const std::string column = kind == ReceiptKind::kCharge ? "sales_id" : "recovery_id";
  return One<Receipt>(
      tx, "SELECT " + std::string(kReceiptColumns) + " FROM receipts WHERE " + column + " = ? AND kind = ?",
      {ref_id, std::string(ReceiptKindName(kind))}, ToReceipt);
}

Result<bool> SqlCardSalesStore::ConfirmReceipt(storage::Tx& tx, const Receipt& r) {
  ANXIN_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec("UPDATE receipts SET status = ?, payer_name = ?, bank_reference_enc = ?, confirmed_at = ?, "
              "confirmed_by = ? WHERE id = ? AND status = ?",
              {std::string(ReceiptStatusName(ReceiptStatus::kConfirmed)), r.payer_name,
               OptValue(r.bank_reference_enc), OptValue(r.confirmed_at), OptValue(r.confirmed_by), r.id,
               std::string(ReceiptStatusName(ReceiptStatus::kIssued))}));
  return changed == 1;
}

Status SqlCardSalesStore::UpdateIssuedReceipt(storage::Tx& tx, const Receipt& r) {
  return ExpectOne(tx.Exec("UPDATE receipts SET amount_fen = ?, status = ? WHERE id = ? AND status = ?",
                           {r.amount.fen, std::string(ReceiptStatusName(r.status)), r.id,
                            std::string(ReceiptStatusName(ReceiptStatus::kIssued))}),
                   "issued receipt update");
}

Status SqlCardSalesStore::InsertInvoice(storage::Tx& tx, const Invoice& i) {
  return ExpectOne(tx.Exec("INSERT INTO invoices (" + std::string(kInvoiceColumns) +
                               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           {i.id, i.invoice_no, std::string(InvoiceKindName(i.kind)), i.receipt_id,
                            OptValue(i.original_invoice_id), i.org_id, i.org_path, i.buyer_name, i.amount.fen,
                            i.issued_at, i.issued_by}),
                   "invoice insert");
}

Result<std::optional<Invoice>> SqlCardSalesStore::FindInvoice(storage::Tx& tx, const std::string& id) {
  return One<Invoice>(tx, "SELECT " + std::string(kInvoiceColumns) + " FROM invoices WHERE id = ?", {id},
                      ToInvoice);
}

Result<std::optional<Invoice>> SqlCardSalesStore::FindInvoiceByNo(storage::Tx& tx,
                                                                  const std::string& invoice_no) {
  return One<Invoice>(tx, "SELECT " + std::string(kInvoiceColumns) + " FROM invoices WHERE invoice_no = ?",
                      {invoice_no}, ToInvoice);
}

Result<std::optional<Invoice>> SqlCardSalesStore::FindInvoiceByReceipt(storage::Tx& tx,
                                                                       const std::string& receipt_id) {
  return One<Invoice>(tx, "SELECT " + std::string(kInvoiceColumns) + " FROM invoices WHERE receipt_id = ?",
                      {receipt_id}, ToInvoice);
}

namespace {

// Where a kind of document keeps what a DocumentQuery filters on.
struct DocumentTable {
  std::string_view table;
  std::string_view columns;      // read by the converter
  std::string_view kind_column;  // DocumentQuery::kind
  std::string_view time_column;  // from_ms, to_ms
};

// The documents of `from` that `q` selects, by id, each read by `convert`.
template <typename T, typename Convert>
Result<std::vector<T>> ListDocuments(storage::Tx& tx, const DocumentTable& from, const DocumentQuery& q,
                                     Convert convert) {
  const std::string time(from.time_column);
  storage::SqlFilter where;
  where.Where("id > ?", {q.after_id}).InScope("org_path", q.scope).Equals(from.kind_column, q.kind);
  where.Equals("status", q.status);
  if (q.from_ms) where.Where(time + " >= ?", {*q.from_ms});
  if (q.to_ms) where.Where(time + " < ?", {*q.to_ms});
  where.Bind(static_cast<int64_t>(q.limit));
  const std::string sql = "SELECT " + std::string(from.columns) + " FROM " + std::string(from.table) +
                          where.WhereSql() + " ORDER BY id LIMIT ?";
  ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(sql, where.params()));
  std::vector<T> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    ANXIN_ASSIGN_OR_RETURN(T item, convert(row));
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

Result<std::vector<Receipt>> SqlCardSalesStore::ListReceipts(storage::Tx& tx, const DocumentQuery& query) {
  return ListDocuments<Receipt>(tx, {"receipts", kReceiptColumns, "kind", "issued_at"}, query, ToReceipt);
}

Result<std::vector<Invoice>> SqlCardSalesStore::ListInvoices(storage::Tx& tx, const DocumentQuery& query) {
  DocumentQuery q = query;
  q.status.reset();  // invoices have none
  return ListDocuments<Invoice>(tx, {"invoices", kInvoiceColumns, "kind", "issued_at"}, q, ToInvoice);
}

Status SqlCardSalesStore::InsertRecovery(storage::Tx& tx, const Recovery& r) {
  ANXIN_RETURN_IF_ERROR(ExpectOne(
      tx.Exec(
          "INSERT INTO card_recoveries (" + std::string(kRecoveryColumns) +
              ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {r.id, r.recovery_no, r.sales_id, r.org_id, r.org_path, r.quantity, r.amount.fen,
           std::string(DispositionName(r.disposition)), r.reason, std::string(RecoveryStatusName(r.status)),
           static_cast<int64_t>(r.paid_before ? 1 : 0), r.created_at, r.created_by}),
      "recovery insert"));
  for (const std::string& serial : r.serials) {
    ANXIN_RETURN_IF_ERROR(ExpectOne(
        tx.Exec("INSERT INTO card_recovery_cards (recovery_id, serial) VALUES (?, ?)", {r.id, serial}),
        "recovery card insert"));
  }
  return Status::Ok();
}

namespace {

Result<std::optional<Recovery>> WithSerials(storage::Tx& tx, Result<std::optional<Recovery>> found) {
  if (!found.ok() || !found->has_value()) return found;
  Recovery& recovery = **found;
  ANXIN_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query("SELECT serial FROM card_recovery_cards WHERE recovery_id = ? ORDER BY serial",
               {recovery.id}));
  for (const Row& row : rows) recovery.serials.push_back(row.Text(0));
  return found;
}

}  // namespace

Result<std::optional<Recovery>> SqlCardSalesStore::FindRecovery(storage::Tx& tx, const std::string& id) {
  return WithSerials(
      tx, One<Recovery>(tx, "SELECT " + std::string(kRecoveryColumns) + " FROM card_recoveries WHERE id = ?",
                        {id}, ToRecovery));
}

Result<std::optional<Recovery>> SqlCardSalesStore::FindRecoveryByNo(storage::Tx& tx,
                                                                    const std::string& recovery_no) {
  return WithSerials(
      tx, One<Recovery>(
              tx, "SELECT " + std::string(kRecoveryColumns) + " FROM card_recoveries WHERE recovery_no = ?",
              {recovery_no}, ToRecovery));
}

Result<std::vector<Recovery>> SqlCardSalesStore::ListRecoveries(storage::Tx& tx, const DocumentQuery& query) {
  ANXIN_ASSIGN_OR_RETURN(
      std::vector<Recovery> recoveries,
      ListDocuments<Recovery>(tx, {"card_recoveries", kRecoveryColumns, "disposition", "created_at"}, query,
                              ToRecovery));
  for (Recovery& recovery : recoveries) {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Recovery> with, WithSerials(tx, std::optional<Recovery>(recovery)));
    recovery = std::move(*with);
  }
  return recoveries;
}

Result<bool> SqlCardSalesStore::MarkRecoveryRefunded(storage::Tx& tx, const std::string& id) {
  ANXIN_ASSIGN_OR_RETURN(int64_t changed,
                         tx.Exec("UPDATE card_recoveries SET status = ? WHERE id = ? AND status = ?",
                                 {std::string(RecoveryStatusName(RecoveryStatus::kRefunded)), id,
                                  std::string(RecoveryStatusName(RecoveryStatus::kRegistered))}));
  return changed == 1;
}

}  // namespace anxin::cards
