// SqlLedger over both backends: posting, refusing bad entries without touching the Tx, trial
// balance, concurrency, entries per reference, scoped reading and the routes.
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "identity/identity_routes.hpp"
#include "identity/identity_test_support.hpp"
#include "ledger/ledger_routes.hpp"
#include "ledger/ledger_service.hpp"
#include "ledger/ledger_store.hpp"

namespace anxin::ledger {
namespace {

using nlohmann::json;

class LedgerTest : public identity::IdentityTestBase {
 protected:
  void SetUp() override {
    IdentityTestBase::SetUp();
    BuildTree();
    AddStaff("cashier.bj", "BJ", {"cashier"});
    AddStaff("cashier.sh", "SH", {"cashier"});
  }

  // A charge receipt confirmed: Dr bank, Cr premiums received in advance.
  Entry Receipt(const std::string& ref_id, int64_t fen, const std::string& org_code = "BJ01") {
    return Entry{"卡单收费确认 " + ref_id,
                 RefType::kReceipt,
                 ref_id,
                 org_code.empty() ? "" : org_.at(org_code),
                 {{kBank, Money::Fen(fen), {}}, {kAdvancePremium, {}, Money::Fen(fen)}}};
  }

  // A card activated: the advance premium becomes income.
  Entry Activation(const std::string& ref_id, int64_t fen) {
    return Entry{"卡单激活 " + ref_id,
                 RefType::kPolicy,
                 ref_id,
                 org_.at("BJ01"),
                 {{kAdvancePremium, Money::Fen(fen), {}}, {kPremiumIncome, {}, Money::Fen(fen)}}};
  }

  Result<std::string> Post(const Entry& entry) {
    return db_->WriteResult<std::string>(
        [&](storage::Tx& tx) { return ledger_.Post(tx, Actor::System("test"), entry); });
  }

  int64_t Count(const std::string& table) { return QueryRow("SELECT COUNT(*) FROM " + table, {})->Int(0); }

  static const AccountBalance& Account(const TrialBalance& tb, const std::string& code) {
    for (const AccountBalance& a : tb.accounts) {
      if (a.account == code) return a;
    }
    throw std::logic_error("no account " + code);
  }

  SqlLedger ledger_{clock_};
};

TEST_F(LedgerTest, PostsABalancedEntryAndReadsItBack) {
  std::string id = Must(Post(Receipt("R-1", 12000)));
  std::vector<Entry> entries = Must(ledger_.EntriesFor(*db_, RefType::kReceipt, "R-1"));
  ASSERT_EQ(entries.size(), 1u);
  const Entry& e = entries[0];
  EXPECT_EQ(e.id, id);
  EXPECT_EQ(e.at_ms, kStartMs);
  EXPECT_EQ(e.memo, "卡单收费确认 R-1");
  EXPECT_EQ(e.org_id, org_.at("BJ01"));
  EXPECT_EQ(e.org_path, QueryRow("SELECT path FROM orgs WHERE id = ?", {org_.at("BJ01")})->Text(0));
  EXPECT_EQ(e.actor_id, "system:test");
  ASSERT_EQ(e.lines.size(), 2u);
  EXPECT_EQ(e.lines[0].account, kBank);
  EXPECT_EQ(e.lines[0].debit, Money::Fen(12000));
  EXPECT_EQ(e.lines[0].credit, Money::Fen(0));
  EXPECT_EQ(e.lines[1].account, kAdvancePremium);
  EXPECT_EQ(e.lines[1].credit, Money::Fen(12000));
}

TEST_F(LedgerTest, RefusesBadEntriesWithoutWritingOrSpendingTheTransaction) {
  std::vector<Entry> bad;
  Entry unbalanced = Receipt("R-1", 12000);
  unbalanced.lines[1].credit = Money::Fen(11999);
  bad.push_back(unbalanced);
  Entry one_line = Receipt("R-1", 12000);
  one_line.lines.pop_back();
  bad.push_back(one_line);
  Entry unknown_account = Receipt("R-1", 12000);
  unknown_account.lines[0].account = "1001";
  bad.push_back(unknown_account);
  Entry both_sides = Receipt("R-1", 12000);
  both_sides.lines[0].credit = Money::Fen(1);
  both_sides.lines[1].credit = Money::Fen(12001);
  bad.push_back(both_sides);
  Entry negative = Receipt("R-1", -5);
  bad.push_back(negative);
  Entry unknown_org = Receipt("R-1", 12000);
  unknown_org.org_id = "01NOSUCHORG000000000";
  bad.push_back(unknown_org);

  for (const Entry& entry : bad) {
    Result<std::string> r = Post(entry);
    EXPECT_EQ(r.status().code(), StatusCode::kInternal) << r.status().ToString();
  }
  EXPECT_EQ(Count("journal_entries"), 0);
  EXPECT_EQ(Count("journal_lines"), 0);

  // The checks run before any statement, so the caller's transaction stays usable.
  Status s = db_->Write([&](storage::Tx& tx) -> Status {
    EXPECT_EQ(ledger_.Post(tx, Actor::System("test"), unbalanced).status().code(), StatusCode::kInternal);
    return ledger_.Post(tx, Actor::System("test"), Receipt("R-2", 500)).status();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Count("journal_entries"), 1);
  EXPECT_EQ(Count("journal_lines"), 2);
}

TEST_F(LedgerTest, SchemaRefusesALineWithTwoSidesOrAnUnknownAccount) {
  std::string id = Must(Post(Receipt("R-1", 100)));
  Status two_sides = db_->Write([&](storage::Tx& tx) -> Status {
    return tx
        .Exec(
            "INSERT INTO journal_lines (entry_id, line_no, account_code, debit_fen, credit_fen) "
            "VALUES (?, 3, '1002', 5, 5)",
            {id})
        .status();
  });
  EXPECT_FALSE(two_sides.ok());
  Status unknown = db_->Write([&](storage::Tx& tx) -> Status {
    return tx
        .Exec(
            "INSERT INTO journal_lines (entry_id, line_no, account_code, debit_fen, credit_fen) "
            "VALUES (?, 3, '9999', 5, 0)",
            {id})
        .status();
  });
  EXPECT_FALSE(unknown.ok());
  EXPECT_EQ(Count("journal_lines"), 2);
}

TEST_F(LedgerTest, TrialBalanceSumsEveryAccountAndBalances) {
  TrialBalance empty = Must(ledger_.Balance(*db_));
  ASSERT_EQ(empty.accounts.size(), 5u);
  EXPECT_TRUE(empty.balanced);
  EXPECT_EQ(empty.total_debit, Money::Fen(0));

  int64_t received = 0;
  int64_t earned = 0;
  for (int i = 1; i <= 40; ++i) {
    const int64_t fen = 1000 * i + 7;
    Must(Post(Receipt("R-" + std::to_string(i), fen)));
    received += fen;
    if (i % 3 == 0) {
      Must(Post(Activation("P-" + std::to_string(i), fen)));
      earned += fen;
    }
  }
  // A refund owed: Dr advance premium, Cr refunds payable.
  Must(Post(Entry{"卡单退费 RC-1",
                  RefType::kRecovery,
                  "RC-1",
                  org_.at("SH01"),
                  {{kAdvancePremium, Money::Fen(1007), {}}, {kRefundPayable, {}, Money::Fen(1007)}}}));

  TrialBalance tb = Must(ledger_.Balance(*db_));
  EXPECT_TRUE(tb.balanced);
  EXPECT_EQ(tb.total_debit, tb.total_credit);
  EXPECT_EQ(tb.total_debit, Money::Fen(received + earned + 1007));
  EXPECT_EQ(Account(tb, kBank).debit, Money::Fen(received));
  EXPECT_EQ(Account(tb, kBank).credit, Money::Fen(0));
  EXPECT_EQ(Account(tb, kBank).name_zh, "银行存款");
  EXPECT_EQ(Account(tb, kAdvancePremium).credit, Money::Fen(received));
  EXPECT_EQ(Account(tb, kAdvancePremium).debit, Money::Fen(earned + 1007));
  EXPECT_EQ(Account(tb, kPremiumIncome).credit, Money::Fen(earned));
  EXPECT_EQ(Account(tb, kRefundPayable).credit, Money::Fen(1007));
  EXPECT_EQ(Account(tb, kPremiumReceivable).debit, Money::Fen(0));
  EXPECT_EQ(Account(tb, kPremiumReceivable).name_en, "Premiums receivable");
}

TEST_F(LedgerTest, ConcurrentPostsFromSixteenThreadsStayBalanced) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 20;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Entry entry = (i % 2 == 0) ? Receipt("R-" + std::to_string(t) + "-" + std::to_string(i), 100 + t)
                                   : Activation("P-" + std::to_string(t) + "-" + std::to_string(i), 100 + t);
        if (!Post(entry).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Count("journal_entries"), kThreads * kPerThread);
  EXPECT_EQ(Count("journal_lines"), 2 * kThreads * kPerThread);
  TrialBalance tb = Must(ledger_.Balance(*db_));
  EXPECT_TRUE(tb.balanced);
  int64_t expected = 0;
  for (int t = 0; t < kThreads; ++t) expected += kPerThread * (100 + t);
  EXPECT_EQ(tb.total_debit, Money::Fen(expected));
  EXPECT_EQ(Account(tb, kBank).debit, Money::Fen(expected / 2));
}

TEST_F(LedgerTest, ReturnsTheEntriesOfOneReferenceOldestFirst) {
  Must(Post(Receipt("R-1", 100)));
  clock_.Advance(1000);
  Must(Post(Receipt("R-2", 200)));
  clock_.Advance(1000);
  Entry reversal{"冲销 R-1",
                 RefType::kReceipt,
                 "R-1",
                 org_.at("BJ01"),
                 {{kAdvancePremium, Money::Fen(100), {}}, {kBank, {}, Money::Fen(100)}}};
  Must(Post(reversal));

  std::vector<Entry> entries = Must(ledger_.EntriesFor(*db_, RefType::kReceipt, "R-1"));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].memo, "卡单收费确认 R-1");
  EXPECT_EQ(entries[1].memo, "冲销 R-1");
  EXPECT_EQ(entries[1].at_ms, kStartMs + 2000);
  EXPECT_EQ(entries[1].lines[0].account, kAdvancePremium);
  EXPECT_EQ(entries[1].lines[1].account, kBank);
  EXPECT_TRUE(Must(ledger_.EntriesFor(*db_, RefType::kReceipt, "R-3")).empty());
  EXPECT_TRUE(Must(ledger_.EntriesFor(*db_, RefType::kPolicy, "R-1")).empty());
}

TEST_F(LedgerTest, TrialBalanceIsForTheHeadOfficeAndEntriesAreScoped) {
  Must(Post(Receipt("R-1", 100, "SH01")));
  Must(Post(Receipt("R-1", 200, "BJ01")));
  Must(Post(Receipt("R-1", 300, "")));  // company level

  EXPECT_TRUE(LedgerService(*db_, ledger_).TrialBalanceFor(As("auditor")).ok());
  EXPECT_TRUE(LedgerService(*db_, ledger_).TrialBalanceFor(Actor::System("test")).ok());
  Result<TrialBalance> branch = LedgerService(*db_, ledger_).TrialBalanceFor(As("cashier.bj"));
  EXPECT_EQ(branch.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(branch.status().reason(), "head_office_only");
  EXPECT_EQ(LedgerService(*db_, ledger_).TrialBalanceFor(As("seller.bj01")).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(LedgerService(*db_, ledger_).TrialBalanceFor(Anonymous()).status().code(),
            StatusCode::kUnauthenticated);

  std::vector<Entry> bj =
      Must(LedgerService(*db_, ledger_).Entries(As("cashier.bj"), RefType::kReceipt, "R-1"));
  ASSERT_EQ(bj.size(), 1u);
  EXPECT_EQ(bj[0].lines[0].debit, Money::Fen(200));
  std::vector<Entry> sh =
      Must(LedgerService(*db_, ledger_).Entries(As("cashier.sh"), RefType::kReceipt, "R-1"));
  ASSERT_EQ(sh.size(), 1u);
  EXPECT_EQ(sh[0].lines[0].debit, Money::Fen(100));
  EXPECT_EQ(Must(LedgerService(*db_, ledger_).Entries(As("auditor"), RefType::kReceipt, "R-1")).size(), 3u);
  EXPECT_EQ(LedgerService(*db_, ledger_).Entries(As("seller.bj01"), RefType::kReceipt, "R-1").status().code(),
            StatusCode::kPermissionDenied);
}

class LedgerRoutesTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    RegisterIdentity(router_);
    service_ = std::make_unique<LedgerService>(*db_, ledger_);
    RegisterLedgerRoutes(router_, *service_);
  }

  http::Response Get(const std::string& path, const std::string& login,
                     std::map<std::string, std::string> query = {}) {
    http::Request request;
    request.method = "GET";
    request.path = path;
    request.query = std::move(query);
    request.request_id = "req-ledger";
    if (!login.empty()) request.headers["authorization"] = "Bearer " + TokenOf(login);
    return router_.Handle(request);
  }

  std::unique_ptr<LedgerService> service_;
  http::Router router_;
};

TEST_F(LedgerRoutesTest, RendersTheTrialBalanceAndEntries) {
  Must(Post(Receipt("R-1", 12000)));
  Must(Post(Activation("P-1", 12000)));

  http::Response tb = Get("/api/v1/ledger/trial-balance", "auditor");
  ASSERT_EQ(tb.status, 200) << tb.body;
  json body = json::parse(tb.body);
  EXPECT_EQ(body["balanced"], true);
  EXPECT_EQ(body["total_debit_fen"], 24000);
  EXPECT_EQ(body["total_credit_fen"], 24000);
  ASSERT_EQ(body["accounts"].size(), 5u);
  EXPECT_EQ(body["accounts"][0], json({{"account", "1002"},
                                       {"name_zh", "银行存款"},
                                       {"name_en", "Bank deposits"},
                                       {"debit_fen", 12000},
                                       {"credit_fen", 0}}));
  EXPECT_EQ(Get("/api/v1/ledger/trial-balance", "cashier.bj").status, 403);
  EXPECT_EQ(Get("/api/v1/ledger/trial-balance", "seller.bj01").status, 403);
  EXPECT_EQ(Get("/api/v1/ledger/trial-balance", "").status, 401);

  http::Response entries =
      Get("/api/v1/ledger/entries", "cashier.bj", {{"ref_type", "receipt"}, {"ref_id", "R-1"}});
  ASSERT_EQ(entries.status, 200) << entries.body;
  json items = json::parse(entries.body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["memo"], "卡单收费确认 R-1");
  EXPECT_EQ(items[0]["at"], "2026-01-01T08:00:00.000+08:00");
  EXPECT_EQ(items[0]["lines"][0], json({{"account", "1002"}, {"debit_fen", 12000}, {"credit_fen", 0}}));
  EXPECT_TRUE(
      json::parse(Get("/api/v1/ledger/entries", "cashier.sh", {{"ref_type", "receipt"}, {"ref_id", "R-1"}})
                      .body)["items"]
          .empty());

  http::Response missing = Get("/api/v1/ledger/entries", "cashier.bj", {{"ref_type", "receipt"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(json::parse(missing.body)["errors"][0]["field"], "ref_id");
  // ref_type is one of the documented kinds.
  http::Response unknown =
      Get("/api/v1/ledger/entries", "cashier.bj", {{"ref_type", "receipts"}, {"ref_id", "R-1"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(json::parse(unknown.body)["errors"][0]["field"], "ref_type");
}

}  // namespace
}  // namespace anxin::ledger
