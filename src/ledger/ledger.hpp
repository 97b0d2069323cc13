#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/actor.hpp"
#include "common/enum_table.hpp"
#include "common/money.hpp"
#include "common/status.hpp"
#include "storage/database.hpp"

namespace anxin {
class OrgScope;  // common/access.hpp
}  // namespace anxin

namespace anxin::ledger {

// The chart of accounts the platform posts to (codes after the PRC insurance chart of accounts).
inline constexpr const char* kBank = "1002";               // 银行存款
inline constexpr const char* kPremiumReceivable = "1122";  // 应收保费
inline constexpr const char* kAdvancePremium = "2203";     // 预收保费
inline constexpr const char* kPremiumIncome = "6031";      // 保费收入
inline constexpr const char* kRefundPayable = "2241";      // 其他应付款（应退保费）

struct Line {
  std::string account;
  Money debit;
  Money credit;
};

// What an entry refers to: the object whose money it moves.
enum class RefType { kPolicy, kReceipt, kRecovery };
inline constexpr EnumTable<RefType, 3> kRefTypes{{{
    {RefType::kPolicy, "policy"},
    {RefType::kReceipt, "receipt"},
    {RefType::kRecovery, "recovery"},
}}};

struct Entry {
  std::string memo;  // "卡单收费确认 SALES-…"
  RefType ref_type = RefType::kPolicy;
  std::string ref_id;
  std::string org_id;
  std::vector<Line> lines;
  // Added by the ledger module; filled when reading (EntriesFor), ignored by Post.
  std::string id;
  int64_t at_ms = 0;
  std::string actor_id;  // user id, "system:<name>" or "anonymous"
  // The path of `org_id` ("" for company-level entries). Filled when reading; Post takes it when
  // the caller gives it (a path checked in the same transaction, such as the one a conditional
  // update just matched), else reads it.
  std::string org_path;
};

struct AccountBalance {
  std::string account;
  std::string name_zh;
  Money debit;
  Money credit;
  std::string name_en;  // added by the ledger module
};

struct TrialBalance {
  std::vector<AccountBalance> accounts;
  Money total_debit;
  Money total_credit;
  bool balanced = true;
};

// A double-entry ledger. Entries are posted inside the caller's transaction, so money moves
// exactly when the business change commits. Thread-safe.
class Ledger {
 public:
  virtual ~Ledger() = default;
  // Posts `entry` in `tx`. Returns its id, or kInternal if it does not balance (debits ≠ credits),
  // has fewer than two lines, negative amounts or an unknown account: these are programming errors.
  virtual Result<std::string> Post(storage::Tx& tx, const Actor& actor, const Entry& entry) const = 0;
  // Sums every account. `balanced` is true when total debits equal total credits.
  virtual Result<TrialBalance> Balance(storage::Database& db) const = 0;
  // Returns the entries posted for a reference whose organisation lies in `scope`, oldest first.
  // Company-level entries (no organisation) belong to OrgScope::All() only.
  virtual Result<std::vector<Entry>> EntriesFor(storage::Database& db, RefType ref_type,
                                                const std::string& ref_id, const OrgScope& scope) const = 0;
  // Every entry posted for a reference, oldest first (for the platform itself and tests).
  [[nodiscard]] Result<std::vector<Entry>> EntriesFor(storage::Database& db, RefType ref_type,
                                                      const std::string& ref_id) const;
};

}  // namespace anxin::ledger
