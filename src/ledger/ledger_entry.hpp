#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "ledger/ledger.hpp"

namespace anxin::ledger {

enum class AccountKind { kAsset, kLiability, kIncome, kExpense };

// "asset", "liability", "income", "expense".
[[nodiscard]] std::string_view AccountKindName(AccountKind kind);

// One account of the chart (the rows migration 0007_ledger.sql seeds into ledger_accounts).
struct Account {
  std::string code;
  std::string name_zh;
  std::string name_en;
  AccountKind kind = AccountKind::kAsset;
};

// Returns the chart of accounts, ordered by code. Constant; thread-safe.
[[nodiscard]] const std::vector<Account>& ChartOfAccounts();
// Returns true if `code` is in the chart.
[[nodiscard]] bool IsKnownAccount(std::string_view code);

// Checks that `entry` may be posted: a memo, ref_type and ref_id (each at most 200 bytes), at least
// two lines, every line on a known account with exactly one side positive and the other zero, and
// total debits equal to total credits. Returns OK or kInternal "internal_error" with the problem
// in its log detail: an entry is built by code, so a bad one is a programming error. Pure.
[[nodiscard]] Status CheckEntry(const Entry& entry);

}  // namespace anxin::ledger
