#include "ledger/ledger_entry.hpp"

#include <algorithm>

namespace anxin::ledger {

std::string_view AccountKindName(AccountKind kind) {
  switch (kind) {
    case AccountKind::kAsset:
      return "asset";
    case AccountKind::kLiability:
      return "liability";
    case AccountKind::kIncome:
      return "income";
    case AccountKind::kExpense:
      return "expense";
  }
  return "asset";
}

const std::vector<Account>& ChartOfAccounts() {
  static const std::vector<Account> kChart = {
      {kBank, "银行存款", "Bank deposits", AccountKind::kAsset},
      {kPremiumReceivable, "应收保费", "Premiums receivable", AccountKind::kAsset},
      {kAdvancePremium, "预收保费", "Premiums received in advance", AccountKind::kLiability},
      {kRefundPayable, "其他应付款-应退保费", "Other payables - premium refunds", AccountKind::kLiability},
      {kPremiumIncome, "保费收入", "Premium income", AccountKind::kIncome},
  };
  return kChart;
}

bool IsKnownAccount(std::string_view code) {
  const std::vector<Account>& chart = ChartOfAccounts();
  return std::any_of(chart.begin(), chart.end(), [&](const Account& a) { return a.code == code; });
}

Status CheckEntry(const Entry& entry) {
  constexpr size_t kMaxText = 200;
  auto text_ok = [&](const std::string& t) { return !t.empty() && t.size() <= kMaxText; };
  if (!text_ok(entry.memo) || !text_ok(entry.ref_id)) {
    return Status::Internal("ledger: entry needs a memo and a ref_id of at most 200 bytes");
  }
  const std::string ref = std::string(kRefTypes.Name(entry.ref_type)) + " " + entry.ref_id;
  if (entry.lines.size() < 2) return Status::Internal("ledger: entry has fewer than two lines");
  int64_t debit = 0;
  int64_t credit = 0;
  for (size_t i = 0; i < entry.lines.size(); ++i) {
    const Line& line = entry.lines[i];
    const std::string where = "ledger: line " + std::to_string(i + 1) + " of " + ref;
    if (!IsKnownAccount(line.account)) return Status::Internal(where + ": unknown account " + line.account);
    if (line.debit.fen < 0 || line.credit.fen < 0) return Status::Internal(where + ": negative amount");
    if ((line.debit.fen == 0) == (line.credit.fen == 0)) {
      return Status::Internal(where + ": needs exactly one of debit and credit");
    }
    if (__builtin_add_overflow(debit, line.debit.fen, &debit) ||
        __builtin_add_overflow(credit, line.credit.fen, &credit)) {
      return Status::Internal(where + ": amounts overflow");
    }
  }
  if (debit != credit) {
    return Status::Internal("ledger: entry for " + ref + " does not balance: debit " + std::to_string(debit) +
                            " credit " + std::to_string(credit));
  }
  return Status::Ok();
}

}  // namespace anxin::ledger
