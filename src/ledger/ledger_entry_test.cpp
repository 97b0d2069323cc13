// CheckEntry: what may be posted (double entry: every entry balances).
#include "ledger/ledger_entry.hpp"

#include <functional>

#include <gtest/gtest.h>

namespace anxin::ledger {
namespace {

Entry Receipt() {
  return Entry{"卡单收费确认 SALES-1",
               RefType::kReceipt,
               "R1",
               "",
               {{kBank, Money::Yuan(100), {}}, {kAdvancePremium, {}, Money::Yuan(100)}}};
}

TEST(CheckEntryTest, AcceptsABalancedEntry) {
  EXPECT_TRUE(CheckEntry(Receipt()).ok());
  Entry split = Receipt();
  split.lines = {{kBank, Money::Yuan(100), {}},
                 {kAdvancePremium, {}, Money::Yuan(60)},
                 {kPremiumIncome, {}, Money::Yuan(40)}};
  EXPECT_TRUE(CheckEntry(split).ok());
}

TEST(CheckEntryTest, RejectsMalformedEntriesAsInternalErrors) {
  struct Case {
    const char* name;
    std::function<void(Entry&)> mutate;
  };
  const std::vector<Case> cases = {
      {"unbalanced", [](Entry& e) { e.lines[1].credit = Money::Yuan(99); }},
      {"one line", [](Entry& e) { e.lines.pop_back(); }},
      {"no lines", [](Entry& e) { e.lines.clear(); }},
      {"both sides on a line",
       [](Entry& e) {
         e.lines[0].credit = Money::Yuan(1);
         e.lines[1].credit = Money::Yuan(101);
       }},
      {"zero line",
       [](Entry& e) {
         e.lines.push_back({kPremiumIncome, {}, {}});
       }},
      {"negative debit",
       [](Entry& e) {
         e.lines = {{kBank, Money::Fen(-100), {}}, {kAdvancePremium, {}, Money::Fen(-100)}};
       }},
      {"unknown account", [](Entry& e) { e.lines[0].account = "9999"; }},
      {"overflow",
       [](Entry& e) {
         e.lines = {{kBank, Money::Fen(INT64_MAX), {}},
                    {kBank, Money::Fen(INT64_MAX), {}},
                    {kAdvancePremium, {}, Money::Fen(1)}};
       }},
      {"no memo", [](Entry& e) { e.memo.clear(); }},
      {"no reference", [](Entry& e) { e.ref_id.clear(); }},
  };
  for (const Case& c : cases) {
    Entry entry = Receipt();
    c.mutate(entry);
    Status status = CheckEntry(entry);
    EXPECT_EQ(status.code(), StatusCode::kInternal) << c.name;
    EXPECT_FALSE(status.log_detail().empty()) << c.name;
  }
}

TEST(ChartOfAccountsTest, HoldsTheFiveAccountsByCode) {
  const std::vector<Account>& chart = ChartOfAccounts();
  ASSERT_EQ(chart.size(), 5u);
  EXPECT_EQ(chart[0].code, "1002");
  EXPECT_EQ(chart[0].name_zh, "银行存款");
  EXPECT_EQ(chart[4].code, "6031");
  EXPECT_EQ(AccountKindName(chart[4].kind), "income");
  EXPECT_TRUE(IsKnownAccount(kRefundPayable));
  EXPECT_FALSE(IsKnownAccount("1001"));
}

}  // namespace
}  // namespace anxin::ledger
