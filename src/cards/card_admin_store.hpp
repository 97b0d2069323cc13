#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cards/card.hpp"
#include "common/status.hpp"
#include "identity/directory.hpp"
#include "storage/database.hpp"

namespace anxin::cards {

// A batch of cards created together (one print run).
struct CardBatch {
  std::string id;
  std::string batch_no;
  std::string card_type_id;
  std::string card_type_code;  // filled by reads
  std::string serial_prefix;   // filled by reads
  std::string org_id;          // the head office that created it
  int64_t quantity = 0;
  int64_t first_seq = 0;
  int64_t last_seq = 0;
  int64_t valid_until = 0;  // ms: the last instant a card of the batch may be activated
  bool exported = false;    // the passwords were exported (the secret is gone)
  std::optional<int64_t> exported_at;
  std::optional<std::string> exported_by;
  int64_t created_at = 0;
  std::string created_by;
};

// One card row to insert.
struct NewCardRow {
  std::string serial;
  int64_t seq = 0;
  std::string password_hash;
};

struct BatchFilter {
  std::optional<std::string> card_type_id;
  int limit = 100;
};

// The head office's org node.
struct HeadOffice {
  std::string id;
  std::string path;
};

// Storage of card types and batches, beyond CardStore. All methods run in the caller's transaction.
// Stateless and thread-safe.
class CardAdminStore {
 public:
  virtual ~CardAdminStore() = default;

  // Inserts `type`; returns false (nothing written) when its code or prefix is taken.
  virtual Result<bool> InsertType(storage::Tx& tx, const CardType& type, const std::string& created_by) = 0;
  virtual Result<std::vector<CardType>> ListTypes(storage::Tx& tx) = 0;
  // Sets the status of type `id`; returns false when there is no such type.
  virtual Result<bool> SetTypeStatus(storage::Tx& tx, const std::string& id, CardTypeStatus status) = 0;
  // Takes the write lock on type `id` (PostgreSQL: its row lock), so concurrent batches of one type
  // take consecutive sequence ranges. Returns false when there is no such type.
  virtual Result<bool> LockType(storage::Tx& tx, const std::string& id) = 0;
  // Returns the highest card sequence of the type (0 when it has no cards).
  virtual Result<int64_t> MaxSeq(storage::Tx& tx, const std::string& card_type_id) = 0;
  // Returns the head office node (the root of the tree), if the tree exists.
  virtual Result<std::optional<HeadOffice>> FindHeadOffice(storage::Tx& tx) = 0;

  // Inserts the batch row with the sealed secret.
  virtual Status InsertBatch(storage::Tx& tx, const CardBatch& batch, const std::string& sealed_secret) = 0;
  // Inserts cards of `batch` (in stock, held by org `holder_org_id` at `holder_org_path`), up to
  // kCardInsertRowsPerStatement rows per statement.
  virtual Status InsertCards(storage::Tx& tx, const CardBatch& batch, const std::string& holder_org_id,
                             const std::string& holder_org_path, const std::vector<NewCardRow>& rows,
                             int64_t now_ms) = 0;
  virtual Result<std::optional<CardBatch>> FindBatch(storage::Tx& tx, const std::string& id) = 0;
  // Returns batches, newest first.
  virtual Result<std::vector<CardBatch>> ListBatches(storage::Tx& tx, const BatchFilter& filter) = 0;
  // Clears the batch's secret and records the export, returning the sealed secret; nullopt when the
  // batch does not exist or was exported already.
  virtual Result<std::optional<std::string>> TakeExportSecret(storage::Tx& tx, const std::string& batch_id,
                                                              int64_t now_ms,
                                                              const std::string& exported_by) = 0;
};

inline constexpr size_t kCardInsertRowsPerStatement = 500;

class SqlCardAdminStore final : public CardAdminStore {
 public:
  // Reads the organisation tree through `directory`, which must outlive the store.
  explicit SqlCardAdminStore(const identity::Directory& directory = identity::SqlDirectory())
      : directory_(directory) {}

  Result<bool> InsertType(storage::Tx& tx, const CardType& type, const std::string& created_by) override;
  Result<std::vector<CardType>> ListTypes(storage::Tx& tx) override;
  Result<bool> SetTypeStatus(storage::Tx& tx, const std::string& id, CardTypeStatus status) override;
  Result<bool> LockType(storage::Tx& tx, const std::string& id) override;
  Result<int64_t> MaxSeq(storage::Tx& tx, const std::string& card_type_id) override;
  Result<std::optional<HeadOffice>> FindHeadOffice(storage::Tx& tx) override;
  Status InsertBatch(storage::Tx& tx, const CardBatch& batch, const std::string& sealed_secret) override;
  Status InsertCards(storage::Tx& tx, const CardBatch& batch, const std::string& holder_org_id,
                     const std::string& holder_org_path, const std::vector<NewCardRow>& rows,
                     int64_t now_ms) override;
  Result<std::optional<CardBatch>> FindBatch(storage::Tx& tx, const std::string& id) override;
  Result<std::vector<CardBatch>> ListBatches(storage::Tx& tx, const BatchFilter& filter) override;
  Result<std::optional<std::string>> TakeExportSecret(storage::Tx& tx, const std::string& batch_id,
                                                      int64_t now_ms,
                                                      const std::string& exported_by) override;

 private:
  const identity::Directory& directory_;
};

}  // namespace anxin::cards
