#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cards/card.hpp"
#include "common/status.hpp"
#include "identity/directory.hpp"
#include "storage/database.hpp"

namespace anxin::cards {

// One range movement along the tree (下发登记 / 回收登记).
struct CardMovement {
  std::string id;
  std::string movement_no;
  MovementKind kind = MovementKind::kIssue;
  std::string card_type_id;
  int64_t first_seq = 0;
  int64_t last_seq = 0;
  int64_t quantity = 0;
  HolderType from_type = HolderType::kOrg;  // for a recall the holder of the first card
  std::string from_id;
  HolderType to_type = HolderType::kOrg;
  std::string to_id;
  std::string to_org_id;
  int64_t at_ms = 0;
  std::string actor_id;
};

// Cards of a range that fail a condition: how many, and the first serials (at most 50).
struct RangeProblems {
  int64_t existing = 0;  // cards of the range that exist
  int64_t offending = 0;
  std::vector<std::string> serials;
};

// A holder a recall takes cards from: any holder inside `scope_path` other than the org node
// `keep_org_id` itself (the recalling node); if `holder_type`/`holder_id` are set, only that holder.
struct RecallSource {
  std::string scope_path;
  std::string keep_org_id;
  std::optional<HolderType> holder_type;
  std::optional<std::string> holder_id;
};

// Filter of the status details inquiry (状态明细查询). Only cards whose holder_org_path starts with
// `scope_path` are returned.
struct CardQuery {
  std::string scope_path;
  std::optional<std::string> card_type_id;
  std::optional<int64_t> first_seq, last_seq;  // with card_type_id
  std::optional<CardStatus> status;
  std::optional<std::string> holder_id;        // an org id or a user id
  std::optional<std::string> holder_org_path;  // cards held within this subtree
  std::string after_serial;                    // paging: serials greater than this
  int limit = 100;
};

// A user who may be given cards: a staff member with seller or doc_admin.
struct StockPerson {
  std::string user_id;
  std::string login;
  std::string display_name;
  std::string org_id;
  std::string org_path;
  bool active = false;
  bool authorised = false;  // holds seller or doc_admin
};

// A stock report line: a key (org id, type id or status), its label, the status and the count.
struct CountRow {
  std::string key;
  std::string label;
  std::string key2;  // second grouping (status in the org/type reports), or ""
  int64_t count = 0;
};

// One registered sale (card_sales), for the sales report.
struct SaleRow {
  std::string seller_code;
  std::string org_id;
  std::string org_name;
  int64_t at_ms = 0;
  int64_t quantity = 0;
  int64_t amount_fen = 0;
};

// In-stock cards of one batch, for the ageing report.
struct AgeingRow {
  std::string card_type_id;
  std::string card_type_code;
  int64_t created_at = 0;   // the batch's creation
  int64_t valid_until = 0;  // the batch's expiry
  int64_t count = 0;
};

// Storage for stock movements, inquiries and reports. All methods run in the caller's
// transaction. Stateless and thread-safe.
class CardStockStore {
 public:
  virtual ~CardStockStore() = default;

  // Cards of [first_seq, last_seq] of the type not in stock with holder (holder_type, holder_id).
  virtual Result<RangeProblems> CheckHeld(storage::Tx& tx, const std::string& card_type_id, int64_t first_seq,
                                          int64_t last_seq, HolderType holder_type,
                                          const std::string& holder_id) = 0;
  // Cards of the range not in stock with a holder `source` allows.
  virtual Result<RangeProblems> CheckRecallable(storage::Tx& tx, const std::string& card_type_id,
                                                int64_t first_seq, int64_t last_seq,
                                                const RecallSource& source) = 0;
  // The holder of the card with the lowest seq of the range, as (holder_type, holder_id); kInternal
  // when the stored holder type is unknown.
  virtual Result<std::optional<std::pair<HolderType, std::string>>> FirstHolder(
      storage::Tx& tx, const std::string& card_type_id, int64_t first_seq, int64_t last_seq) = 0;
  virtual Status InsertMovement(storage::Tx& tx, const CardMovement& movement) = 0;
  // Movements of the type whose range covers `seq`, oldest first.
  // kInternal when a stored kind or holder type is unknown.
  virtual Result<std::vector<CardMovement>> MovementsCovering(storage::Tx& tx,
                                                              const std::string& card_type_id,
                                                              int64_t seq) = 0;

  virtual Result<std::optional<StockPerson>> FindPerson(storage::Tx& tx, const std::string& login) = 0;
  // Returns the display name of an org (by id) or user (by id): for rendering holders.
  virtual Result<std::string> HolderName(storage::Tx& tx, HolderType holder_type,
                                         const std::string& holder_id) = 0;
  // Returns the staff members of `user_ids`, by id (customers and unknown ids left out): for
  // rendering who did what.
  virtual Result<std::map<std::string, identity::StaffMember>> StaffByIds(
      storage::Tx& tx, const std::vector<std::string>& user_ids) = 0;

  virtual Result<std::vector<Card>> ListCards(storage::Tx& tx, const CardQuery& query) = 0;

  // Counts cards within `scope_path` by ("org": holder org id + status, "type": type id + status,
  // "status": status).
  virtual Result<std::vector<CountRow>> StockCounts(storage::Tx& tx, const std::string& scope_path,
                                                    const std::string& group_by) = 0;
  // Sales registered in [from_ms, to_ms) within `scope_path` (card_sales.org_path), except reversed
  // ones, oldest first.
  virtual Result<std::vector<SaleRow>> Sales(storage::Tx& tx, const std::string& scope_path, int64_t from_ms,
                                             int64_t to_ms) = 0;
  // Activations (card_events action 'activate') in [from_ms, to_ms) of cards held within
  // `scope_path`: rows of (seller_code or "", at_ms), for the service to bucket by day.
  virtual Result<std::vector<std::pair<std::string, int64_t>>> Activations(storage::Tx& tx,
                                                                           const std::string& scope_path,
                                                                           int64_t from_ms,
                                                                           int64_t to_ms) = 0;
  // In-stock cards within `scope_path` by type and batch.
  virtual Result<std::vector<AgeingRow>> InStockByBatch(storage::Tx& tx, const std::string& scope_path) = 0;

  // Expires every card in one of `statuses` whose valid_until < now_ms: appends one card_events row
  // per card (action "expire", actor `actor_id`, ids `run_id`:serial) and sets status "expired"
  // (clearing status_before_freeze). Returns the number expired.
  virtual Result<int64_t> ExpireDue(storage::Tx& tx, int64_t now_ms, const std::vector<CardStatus>& statuses,
                                    const std::string& run_id, const std::string& actor_id) = 0;
};

class SqlCardStockStore final : public CardStockStore {
 public:
  // Reads organisations and staff through `directory`, which must outlive the store.
  explicit SqlCardStockStore(const identity::Directory& directory = identity::SqlDirectory())
      : directory_(directory) {}

  Result<RangeProblems> CheckHeld(storage::Tx& tx, const std::string& card_type_id, int64_t first_seq,
                                  int64_t last_seq, HolderType holder_type,
                                  const std::string& holder_id) override;
  Result<RangeProblems> CheckRecallable(storage::Tx& tx, const std::string& card_type_id, int64_t first_seq,
                                        int64_t last_seq, const RecallSource& source) override;
  Result<std::optional<std::pair<HolderType, std::string>>> FirstHolder(storage::Tx& tx,
                                                                        const std::string& card_type_id,
                                                                        int64_t first_seq,
                                                                        int64_t last_seq) override;
  Status InsertMovement(storage::Tx& tx, const CardMovement& movement) override;
  Result<std::vector<CardMovement>> MovementsCovering(storage::Tx& tx, const std::string& card_type_id,
                                                      int64_t seq) override;
  Result<std::optional<StockPerson>> FindPerson(storage::Tx& tx, const std::string& login) override;
  Result<std::string> HolderName(storage::Tx& tx, HolderType holder_type,
                                 const std::string& holder_id) override;
  Result<std::map<std::string, identity::StaffMember>> StaffByIds(
      storage::Tx& tx, const std::vector<std::string>& user_ids) override;
  Result<std::vector<Card>> ListCards(storage::Tx& tx, const CardQuery& query) override;
  Result<std::vector<CountRow>> StockCounts(storage::Tx& tx, const std::string& scope_path,
                                            const std::string& group_by) override;
  Result<std::vector<SaleRow>> Sales(storage::Tx& tx, const std::string& scope_path, int64_t from_ms,
                                     int64_t to_ms) override;
  Result<std::vector<std::pair<std::string, int64_t>>> Activations(storage::Tx& tx,
                                                                   const std::string& scope_path,
                                                                   int64_t from_ms, int64_t to_ms) override;
  Result<std::vector<AgeingRow>> InStockByBatch(storage::Tx& tx, const std::string& scope_path) override;
  Result<int64_t> ExpireDue(storage::Tx& tx, int64_t now_ms, const std::vector<CardStatus>& statuses,
                            const std::string& run_id, const std::string& actor_id) override;

 private:
  const identity::Directory& directory_;
};

}  // namespace anxin::cards
