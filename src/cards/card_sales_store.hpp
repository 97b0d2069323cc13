#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cards/card_sales.hpp"
#include "common/access.hpp"
#include "common/status.hpp"
#include "identity/directory.hpp"
#include "storage/database.hpp"

namespace anxin::cards {

// The few fields of an organisation node card sales need.
struct SalesOrg {
  std::string id;
  std::string code;
  std::string name;
  identity::OrgLevel level = identity::OrgLevel::kInstitution;
  std::string path;
  bool active = true;
};

// A staff account named as a seller.
struct SalesStaff {
  std::string user_id;
  std::string login;
  std::string display_name;
  std::string org_id;
  bool active = true;
  bool is_seller = false;  // holds the role "seller"
};

// Which sales to list. `scope_path` restricts the result to a subtree ("" = all); the restriction
// is part of the query.
struct SaleQuery {
  std::string scope_path;
  std::optional<SaleStatus> status;
  std::optional<std::string> card_type_id;
  std::optional<std::string> seller_code;
  std::optional<int64_t> from_ms;  // created_at >= from_ms
  std::optional<int64_t> to_ms;    // created_at < to_ms
  std::string after_id;            // paging: ids greater than this
  int limit = 50;
};

// A page of receipts, invoices or recoveries (kind, or a recovery's disposition, and status by
// their stored names; times those of issue, or a recovery's registration), oldest first.
struct DocumentQuery {
  OrgScope scope = OrgScope::Nothing();
  std::optional<std::string> kind;
  std::optional<std::string> status;  // receipts only
  std::optional<int64_t> from_ms;     // issued_at >= from_ms
  std::optional<int64_t> to_ms;       // issued_at < to_ms
  std::string after_id;               // paging: ids greater than this
  int limit = 50;
};

// The kinds of document numbers, each unique in its own table.
enum class NumberKind { kSale, kReceipt, kInvoice, kRecovery };

// Storage for card sales, receipts, invoices and recoveries. Every method runs in the caller's
// transaction; database errors come back as the Tx translated them. Stateless and thread-safe.
class CardSalesStore {
 public:
  virtual ~CardSalesStore() = default;

  virtual Result<std::optional<SalesOrg>> FindOrg(storage::Tx& tx, const std::string& id) = 0;
  virtual Result<std::optional<SalesStaff>> FindStaff(storage::Tx& tx, const std::string& login) = 0;
  // Returns true if a document of `kind` already has number `number`.
  virtual Result<bool> NumberTaken(storage::Tx& tx, NumberKind kind, const std::string& number) = 0;

  virtual Status InsertSale(storage::Tx& tx, const CardSale& sale) = 0;
  virtual Result<std::optional<CardSale>> FindSale(storage::Tx& tx, const std::string& id) = 0;
  virtual Result<std::optional<CardSale>> FindSaleByNo(storage::Tx& tx, const std::string& sales_no) = 0;
  // Takes the sale's row lock until the transaction ends (PostgreSQL; SQLite has one writer), so
  // that receipts, confirmations and reversals of one sale run one after the other and each reads
  // what the previous one committed.
  virtual Status LockSale(storage::Tx& tx, const std::string& id) = 0;
  // Writes the sale's quantity, amount and status.
  virtual Status UpdateSale(storage::Tx& tx, const CardSale& sale) = 0;
  virtual Result<std::vector<CardSale>> ListSales(storage::Tx& tx, const SaleQuery& query) = 0;
  // Returns the serials of the cards whose sales_id is `sales_id`, in serial order.
  virtual Result<std::vector<std::string>> SaleSerials(storage::Tx& tx, const std::string& sales_id) = 0;

  virtual Status InsertReceipt(storage::Tx& tx, const Receipt& receipt) = 0;
  virtual Result<std::optional<Receipt>> FindReceipt(storage::Tx& tx, const std::string& id) = 0;
  virtual Result<std::optional<Receipt>> FindReceiptByNo(storage::Tx& tx, const std::string& receipt_no) = 0;
  // Returns the receipt of `kind` for a sale (charge) or a recovery (refund).
  virtual Result<std::optional<Receipt>> FindReceiptFor(storage::Tx& tx, ReceiptKind kind,
                                                        const std::string& ref_id) = 0;
  // Marks the receipt confirmed only if it is still issued (a conditional update: of several
  // concurrent confirmations exactly one gets true).
  virtual Result<bool> ConfirmReceipt(storage::Tx& tx, const Receipt& confirmed) = 0;
  // Writes the amount and status of an issued receipt (a reversal before payment shrinks it).
  virtual Status UpdateIssuedReceipt(storage::Tx& tx, const Receipt& receipt) = 0;

  virtual Result<std::vector<Receipt>> ListReceipts(storage::Tx& tx, const DocumentQuery& query) = 0;

  virtual Status InsertInvoice(storage::Tx& tx, const Invoice& invoice) = 0;
  virtual Result<std::optional<Invoice>> FindInvoice(storage::Tx& tx, const std::string& id) = 0;
  virtual Result<std::optional<Invoice>> FindInvoiceByNo(storage::Tx& tx, const std::string& invoice_no) = 0;
  virtual Result<std::optional<Invoice>> FindInvoiceByReceipt(storage::Tx& tx,
                                                              const std::string& receipt_id) = 0;
  // `query.status` does not apply to invoices.
  virtual Result<std::vector<Invoice>> ListInvoices(storage::Tx& tx, const DocumentQuery& query) = 0;

  // Inserts the recovery and its serials.
  virtual Status InsertRecovery(storage::Tx& tx, const Recovery& recovery) = 0;
  // Return the recovery with its serials.
  virtual Result<std::optional<Recovery>> FindRecovery(storage::Tx& tx, const std::string& id) = 0;
  virtual Result<std::optional<Recovery>> FindRecoveryByNo(storage::Tx& tx,
                                                           const std::string& recovery_no) = 0;
  // With their serials.
  virtual Result<std::vector<Recovery>> ListRecoveries(storage::Tx& tx, const DocumentQuery& query) = 0;
  // Marks a registered recovery refunded; false if it was not registered.
  virtual Result<bool> MarkRecoveryRefunded(storage::Tx& tx, const std::string& id) = 0;
};

// CardSalesStore over SQL, the same statements on SQLite and PostgreSQL.
class SqlCardSalesStore final : public CardSalesStore {
 public:
  // Reads organisations and staff through `directory`, which must outlive the store.
  explicit SqlCardSalesStore(const identity::Directory& directory = identity::SqlDirectory())
      : directory_(directory) {}

  Result<std::optional<SalesOrg>> FindOrg(storage::Tx& tx, const std::string& id) override;
  Result<std::optional<SalesStaff>> FindStaff(storage::Tx& tx, const std::string& login) override;
  Result<bool> NumberTaken(storage::Tx& tx, NumberKind kind, const std::string& number) override;
  Status InsertSale(storage::Tx& tx, const CardSale& sale) override;
  Result<std::optional<CardSale>> FindSale(storage::Tx& tx, const std::string& id) override;
  Result<std::optional<CardSale>> FindSaleByNo(storage::Tx& tx, const std::string& sales_no) override;
  Status LockSale(storage::Tx& tx, const std::string& id) override;
  Status UpdateSale(storage::Tx& tx, const CardSale& sale) override;
  Result<std::vector<CardSale>> ListSales(storage::Tx& tx, const SaleQuery& query) override;
  Result<std::vector<std::string>> SaleSerials(storage::Tx& tx, const std::string& sales_id) override;
  Status InsertReceipt(storage::Tx& tx, const Receipt& receipt) override;
  Result<std::optional<Receipt>> FindReceipt(storage::Tx& tx, const std::string& id) override;
  Result<std::optional<Receipt>> FindReceiptByNo(storage::Tx& tx, const std::string& receipt_no) override;
  Result<std::optional<Receipt>> FindReceiptFor(storage::Tx& tx, ReceiptKind kind,
                                                const std::string& ref_id) override;
  Result<bool> ConfirmReceipt(storage::Tx& tx, const Receipt& confirmed) override;
  Status UpdateIssuedReceipt(storage::Tx& tx, const Receipt& receipt) override;
  Result<std::vector<Receipt>> ListReceipts(storage::Tx& tx, const DocumentQuery& query) override;
  Status InsertInvoice(storage::Tx& tx, const Invoice& invoice) override;
  Result<std::optional<Invoice>> FindInvoice(storage::Tx& tx, const std::string& id) override;
  Result<std::optional<Invoice>> FindInvoiceByNo(storage::Tx& tx, const std::string& invoice_no) override;
  Result<std::optional<Invoice>> FindInvoiceByReceipt(storage::Tx& tx,
                                                      const std::string& receipt_id) override;
  Result<std::vector<Invoice>> ListInvoices(storage::Tx& tx, const DocumentQuery& query) override;
  Status InsertRecovery(storage::Tx& tx, const Recovery& recovery) override;
  Result<std::optional<Recovery>> FindRecovery(storage::Tx& tx, const std::string& id) override;
  Result<std::optional<Recovery>> FindRecoveryByNo(storage::Tx& tx, const std::string& recovery_no) override;
  Result<std::vector<Recovery>> ListRecoveries(storage::Tx& tx, const DocumentQuery& query) override;
  Result<bool> MarkRecoveryRefunded(storage::Tx& tx, const std::string& id) override;

 private:
  const identity::Directory& directory_;
};

}  // namespace anxin::cards
