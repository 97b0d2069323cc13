#include "audit/audit_log.hpp"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "audit/audit_test_support.hpp"
#include "common/crypto.hpp"

namespace anxin::audit {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

class AuditLogTest : public AuditTestBase {};

TEST_F(AuditLogTest, AppendedRecordsFormAChainThatVerifies) {
  constexpr int kTransactions = 12;
  constexpr int kPerTransaction = 100;  // 1200 records: Verify reads several pages
  for (int t = 0; t < kTransactions; ++t) {
    ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
                     for (int i = 0; i < kPerTransaction; ++i) {
                       AuditEntry entry = Entry("product.update", "product", "P" + std::to_string(i));
                       entry.summary = {{"batch", t}, {"index", i}};
                       ANXIN_RETURN_IF_ERROR(log_.Append(tx, Actor::System("test"), entry));
                     }
                     return Status::Ok();
                   })
                    .ok());
    clock_.Advance(1000);
  }

  Result<VerifyReport> report = log_.Verify(*db_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->records, kTransactions * kPerTransaction);
  EXPECT_FALSE(report->first_broken_seq.has_value());

  std::vector<AuditRecord> first = QueryAll({.limit = 3});
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].seq, 1);
  EXPECT_EQ(first[0].prev_hash, std::string(kGenesisHash));
  EXPECT_EQ(first[1].prev_hash, first[0].hash);
  EXPECT_EQ(first[2].prev_hash, first[1].hash);
  EXPECT_EQ(first[0].hash, AuditLog::ComputeHash(first[0]));
  EXPECT_EQ(first[0].hash.size(), 64u);
  EXPECT_EQ(first[0].summary, R"({"batch":0,"index":0})");
}

TEST_F(AuditLogTest, EmptyChainVerifies) {
  Result<VerifyReport> report = log_.Verify(*db_);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->records, 0);
}

TEST_F(AuditLogTest, RecordsWhoDidWhatWhereAndThroughWhichRequest) {
  std::string root = AddOrg("", "HQ");
  std::string branch = AddOrg(root, "BR1");
  Principal staff = Staff("U1", branch, {"org_admin", "auditor"});
  Actor actor{&staff, "", "req-42", "10.0.0.7"};
  AuditEntry entry = Entry("user.create", "user", "U2", branch);
  entry.summary = {{"login", "zhang.san"}};
  ASSERT_TRUE(AppendOne(actor, entry).ok());
  clock_.Advance(5);
  ASSERT_TRUE(AppendOne(Actor::System("expiry-job"), Entry("policy.expire", "policy", "PO1")).ok());
  ASSERT_TRUE(AppendOne(Actor{}, Entry("session.login_failed", "user", "")).ok());

  std::vector<AuditRecord> records = QueryAll({});
  ASSERT_EQ(records.size(), 3u);
  const AuditRecord& r = records[0];
  EXPECT_EQ(r.seq, 1);
  EXPECT_EQ(r.at_ms, kStartMs);
  EXPECT_EQ(r.actor_id, "U1");
  EXPECT_EQ(r.actor_role, "org_admin,auditor");
  EXPECT_EQ(r.actor_org_id, branch);
  EXPECT_EQ(r.action, "user.create");
  EXPECT_EQ(r.object_type, "user");
  EXPECT_EQ(r.object_id, "U2");
  EXPECT_EQ(r.org_id, branch);
  EXPECT_EQ(r.org_path, "/" + root + "/" + branch + "/");
  EXPECT_EQ(r.summary, R"({"login":"zhang.san"})");
  EXPECT_EQ(r.result, "ok");
  EXPECT_EQ(r.request_id, "req-42");
  EXPECT_EQ(r.client_address, "10.0.0.7");

  EXPECT_EQ(records[1].actor_id, "system:expiry-job");
  EXPECT_EQ(records[1].actor_role, "");
  EXPECT_EQ(records[1].org_path, "");
  EXPECT_EQ(records[1].at_ms, kStartMs + 5);
  EXPECT_EQ(records[2].actor_id, "anonymous");
}

TEST_F(AuditLogTest, ClientSuppliedRequestFieldsAreStoredAsPrintableAscii) {
  Actor actor{nullptr, "", "id\n\xff" + std::string(300, 'a'), "1.2.3.4"};
  ASSERT_TRUE(AppendOne(actor, Entry("session.login", "user", "U1")).ok());
  std::vector<AuditRecord> records = QueryAll({});
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].request_id, "id??" + std::string(124, 'a'));
  ASSERT_TRUE(log_.Verify(*db_)->ok);
}

TEST_F(AuditLogTest, UnknownOrgIsAProgrammingError) {
  Status s = AppendOne(Actor::System("test"), Entry("org.update", "org", "X", "NO_SUCH_ORG"));
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_EQ(ChainHeadSeq(), 0);
}

TEST_F(AuditLogTest, VerifyReportsTheRecordWhoseSummaryWasAltered) {
  AppendMany(20);
  ASSERT_TRUE(db_->Write([](storage::Tx& tx) -> Status {
                   Result<int64_t> n =
                       tx.Exec("UPDATE audit_events SET summary = ? WHERE seq = 7", {R"({"i":700})"});
                   if (!n.ok()) return n.status();
                   return *n == 1 ? Status::Ok() : Status::Internal("seq 7 not found");
                 })
                  .ok());

  Result<VerifyReport> report = log_.Verify(*db_);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_broken_seq, 7);
  EXPECT_EQ(report->records, 6);
  EXPECT_THAT(report->problem, ::testing::HasSubstr("altered"));
}

TEST_F(AuditLogTest, VerifyReportsARelinkedRecord) {
  AppendMany(10);
  ASSERT_TRUE(RunSql("UPDATE audit_events SET prev_hash = ? WHERE seq = 4", {std::string(64, 'f')}).ok());
  Result<VerifyReport> report = log_.Verify(*db_);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_broken_seq, 4);
}

TEST_F(AuditLogTest, VerifyReportsADeletedRecord) {
  struct Case {
    const char* name;
    int64_t deleted_seq;
  };
  for (const Case& c : {Case{"middle", 5}, Case{"first", 1}, Case{"last", 10}}) {
    SCOPED_TRACE(c.name);
    ResetDatabase();
    AppendMany(10);
    ASSERT_TRUE(RunSql("DELETE FROM audit_events WHERE seq = ?", {c.deleted_seq}).ok());
    Result<VerifyReport> report = log_.Verify(*db_);
    ASSERT_TRUE(report.ok());
    EXPECT_FALSE(report->ok);
    EXPECT_EQ(report->first_broken_seq, c.deleted_seq);
    EXPECT_THAT(report->problem, ::testing::HasSubstr("missing"));
  }
}

TEST_F(AuditLogTest, VerifyReportsAChainHeadThatDoesNotMatch) {
  AppendMany(3);
  ASSERT_TRUE(RunSql("UPDATE audit_chain SET last_hash = ? WHERE id = 1", {std::string(64, 'a')}).ok());
  Result<VerifyReport> report = log_.Verify(*db_);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_broken_seq, 3);
}

TEST_F(AuditLogTest, VerifyReportsARecordInsertedBeyondTheHead) {
  AppendMany(3);
  ASSERT_TRUE(
      RunSql("UPDATE audit_chain SET last_seq = 2, last_hash = (SELECT hash FROM audit_events WHERE seq = 2) "
             "WHERE id = 1",
             {})
          .ok());
  Result<VerifyReport> report = log_.Verify(*db_);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_broken_seq, 3);
}

TEST_F(AuditLogTest, AppendInAFailedTransactionLeavesNoRecordAndKeepsTheHead) {
  AppendMany(2);
  Status s = db_->Write([&](storage::Tx& tx) -> Status {
    ANXIN_RETURN_IF_ERROR(log_.Append(tx, Actor::System("test"), Entry("org.create", "org", "X")));
    return Status(StatusCode::kFailedPrecondition, "org_code_taken", {"机构代码已存在", "code taken"});
  });
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(QueryAll({}).size(), 2u);
  EXPECT_EQ(ChainHeadSeq(), 2);

  ASSERT_TRUE(AppendOne(Actor::System("test"), Entry("org.create", "org", "Y")).ok());
  std::vector<AuditRecord> records = QueryAll({});
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2].seq, 3);
  EXPECT_EQ(records[2].object_id, "Y");
  EXPECT_TRUE(log_.Verify(*db_)->ok);
}

TEST_F(AuditLogTest, ConcurrentAppendsGetContiguousSeqsAndAChainThatVerifies) {
  constexpr int kThreads = 32;
  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      results[t] = db_->Write([&](storage::Tx& tx) {
        return log_.Append(tx, Actor::System("worker"),
                           Entry("card.activate", "card", "C" + std::to_string(t)));
      });
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_TRUE(results[t].ok()) << t << ": " << results[t].ToString();

  std::vector<AuditRecord> records = QueryAll({.limit = 100});
  ASSERT_EQ(records.size(), static_cast<size_t>(kThreads));
  std::vector<int64_t> seqs;
  std::set<std::string> objects;
  for (const AuditRecord& r : records) {
    seqs.push_back(r.seq);
    objects.insert(r.object_id);
  }
  std::vector<int64_t> expected(kThreads);
  for (int i = 0; i < kThreads; ++i) expected[i] = i + 1;
  EXPECT_THAT(seqs, ElementsAreArray(expected));
  EXPECT_EQ(objects.size(), static_cast<size_t>(kThreads));
  Result<VerifyReport> report = log_.Verify(*db_);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(ChainHeadSeq(), kThreads);
}

TEST_F(AuditLogTest, QueryFiltersByTimeActorActionAndObject) {
  Principal alice = Staff("ALICE", "", {"seller"});
  Principal bob = Staff("BOB", "", {"seller"});
  // seq: at_ms offset, actor, action, object
  AppendAt(0, &alice, Entry("card.sell", "card", "C1"));          // 1
  AppendAt(1000, &bob, Entry("card.sell", "card", "C2"));         // 2
  AppendAt(2000, &alice, Entry("card.recall", "card", "C1"));     // 3
  AppendAt(3000, &alice, Entry("policy.issue", "policy", "C1"));  // 4
  AppendAt(4000, &bob, Entry("card.recall", "card", "C2"));       // 5

  struct Case {
    const char* name;
    AuditFilter filter;
    std::vector<int64_t> seqs;
  };
  const std::vector<Case> cases = {
      {"no filter", {}, {1, 2, 3, 4, 5}},
      {"from inclusive", {.from_ms = kStartMs + 2000}, {3, 4, 5}},
      {"to exclusive", {.to_ms = kStartMs + 2000}, {1, 2}},
      {"time window", {.from_ms = kStartMs + 1000, .to_ms = kStartMs + 3001}, {2, 3, 4}},
      {"actor", {.actor_id = "ALICE"}, {1, 3, 4}},
      {"action", {.action = "card.recall"}, {3, 5}},
      {"object type", {.object_type = "card"}, {1, 2, 3, 5}},
      {"object", {.object_type = "card", .object_id = "C1"}, {1, 3}},
      {"object id alone", {.object_id = "C1"}, {1, 3, 4}},
      {"actor and action", {.actor_id = "BOB", .action = "card.sell"}, {2}},
      {"nothing matches", {.actor_id = "CAROL"}, {}},
      {"after seq", {.after_seq = 3}, {4, 5}},
      {"limit", {.limit = 2}, {1, 2}},
      {"after seq and limit", {.after_seq = 1, .limit = 2}, {2, 3}},
      {"limit below 1 is 1", {.limit = 0}, {1}},
      {"negative after seq is 0", {.after_seq = -5}, {1, 2, 3, 4, 5}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<int64_t> seqs;
    for (const AuditRecord& r : QueryAll(c.filter)) seqs.push_back(r.seq);
    EXPECT_THAT(seqs, ElementsAreArray(c.seqs));
  }
}

TEST_F(AuditLogTest, QueryReturnsAtMost500Records) {
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
                   for (int i = 0; i < 520; ++i) {
                     ANXIN_RETURN_IF_ERROR(log_.Append(tx, Actor::System("t"), Entry("x.y", "x", "")));
                   }
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_EQ(QueryAll({.limit = 1000}).size(), 500u);
  EXPECT_EQ(QueryAll({.after_seq = 500, .limit = 1000}).size(), 20u);
}

TEST_F(AuditLogTest, QueryScopeIsAnOrgPathPrefix) {
  std::string root = AddOrg("", "HQ");
  std::string b1 = AddOrg(root, "B1");
  std::string b10 = AddOrg(root, "B10");
  std::string b1_inst = AddOrg(b1, "B1I");
  std::string b2 = AddOrg(root, "B2");
  AppendAt(0, nullptr, Entry("org.create", "org", "root", root));    // 1
  AppendAt(0, nullptr, Entry("org.create", "org", "b1", b1));        // 2
  AppendAt(0, nullptr, Entry("org.create", "org", "b10", b10));      // 3
  AppendAt(0, nullptr, Entry("org.create", "org", "b1i", b1_inst));  // 4
  AppendAt(0, nullptr, Entry("org.create", "org", "b2", b2));        // 5
  AppendAt(0, nullptr, Entry("session.login", "user", "U1"));        // 6: no org

  auto seqs_in = [&](const std::string& scope) {
    std::vector<int64_t> seqs;
    for (const AuditRecord& r : QueryAll({.scope_org_path = scope})) seqs.push_back(r.seq);
    return seqs;
  };
  EXPECT_THAT(seqs_in(""), ElementsAre(1, 2, 3, 4, 5, 6));
  EXPECT_THAT(seqs_in("/" + root + "/"), ElementsAre(1, 2, 3, 4, 5));
  EXPECT_THAT(seqs_in("/" + root + "/" + b1 + "/"), ElementsAre(2, 4));
  EXPECT_THAT(seqs_in("/" + root + "/" + b1 + "/" + b1_inst + "/"), ElementsAre(4));
  EXPECT_THAT(seqs_in("/" + root + "/" + b2 + "/"), ElementsAre(5));
  // Case matters: SQLite's LIKE would ignore it.
  std::string lower = "/" + root + "/" + b1 + "/";
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_THAT(seqs_in(lower), ElementsAre());
}

// RULES.md §6: no clear personal data (ID numbers, phone numbers) in logs; the summary guard
// turns such a summary into a programming error.
TEST_F(AuditLogTest, SummaryGuardRejectsResidentIdsAndMobileNumbers) {
  struct Case {
    const char* name;
    nlohmann::json summary;
    bool rejected;
  };
  const std::vector<Case> cases = {
      {"resident id", {{"id_number", "11010519491231002X"}}, true},
      {"resident id lower-case x", {{"id_number", "11010519491231002x"}}, true},
      {"resident id in text", {{"note", "证件号440524188001010014已核验"}}, true},
      {"mobile", {{"phone", "13812345678"}}, true},
      {"mobile with +86", {{"phone", "+86 138-1234-5678"}}, true},
      {"mobile prefixed 86", {{"phone", "8613812345678"}}, true},
      {"mobile in a nested array", {{"changes", {{{"to", {"a", "15900001111"}}}}}}, true},
      {"mobile as a key", {{"13812345678", true}}, true},
      {"masked resident id", {{"id_number", "110105********002X"}}, false},
      {"masked mobile", {{"phone", "138****5678"}}, false},
      {"generated id", {{"user_id", NewId()}, {"org_id", "01JAXM3Q0000000000AB"}}, false},
      {"12-digit number", {{"ref", "138123456789"}}, false},
      {"10-digit number", {{"ref", "1381234567"}}, false},
      {"landline-like 11 digits", {{"ref", "10012345678"}}, false},
      {"amount as a number", {{"amount_fen", 13812345678}}, false},
      {"empty", nlohmann::json::object(), false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ResetDatabase();
    AuditEntry entry = Entry("user.update", "user", "U1");
    entry.summary = c.summary;
    Status s = AppendOne(Actor::System("test"), entry);
    if (c.rejected) {
      EXPECT_EQ(s.code(), StatusCode::kInternal);
      EXPECT_EQ(ChainHeadSeq(), 0);
    } else {
      EXPECT_TRUE(s.ok()) << s.ToString();
      EXPECT_EQ(ChainHeadSeq(), 1);
    }
  }
}

TEST_F(AuditLogTest, UnserialisableSummaryIsAProgrammingError) {
  AuditEntry entry = Entry("user.update", "user", "U1");
  entry.summary = {{"name", std::string("\xff\xfe")}};
  EXPECT_EQ(AppendOne(Actor::System("test"), entry).code(), StatusCode::kInternal);
  EXPECT_EQ(ChainHeadSeq(), 0);
}

TEST_F(AuditLogTest, HashCoversEveryField) {
  AuditRecord base;
  base.seq = 3;
  base.at_ms = 1000;
  base.actor_id = "U1";
  base.action = "a.b";
  base.summary = "{}";
  base.prev_hash = std::string(kGenesisHash);
  const std::string h = AuditLog::ComputeHash(base);
  std::vector<std::pair<const char*, AuditRecord>> variants;
  auto vary = [&](const char* name, auto change) {
    AuditRecord r = base;
    change(r);
    variants.emplace_back(name, r);
  };
  vary("seq", [](AuditRecord& r) { r.seq = 4; });
  vary("at_ms", [](AuditRecord& r) { r.at_ms = 1001; });
  vary("actor_id", [](AuditRecord& r) { r.actor_id = "U2"; });
  vary("actor_role", [](AuditRecord& r) { r.actor_role = "x"; });
  vary("actor_org_id", [](AuditRecord& r) { r.actor_org_id = "x"; });
  vary("action", [](AuditRecord& r) { r.action = "a.c"; });
  vary("object_type", [](AuditRecord& r) { r.object_type = "x"; });
  vary("object_id", [](AuditRecord& r) { r.object_id = "x"; });
  vary("org_id", [](AuditRecord& r) { r.org_id = "x"; });
  vary("org_path", [](AuditRecord& r) { r.org_path = "/x/"; });
  vary("summary", [](AuditRecord& r) { r.summary = "{\"a\":1}"; });
  vary("result", [](AuditRecord& r) { r.result = "denied"; });
  vary("request_id", [](AuditRecord& r) { r.request_id = "x"; });
  vary("client_address", [](AuditRecord& r) { r.client_address = "x"; });
  vary("prev_hash", [](AuditRecord& r) { r.prev_hash = std::string(64, '1'); });
  // Field boundaries are unambiguous: moving a character between neighbours changes the hash.
  vary("boundary", [](AuditRecord& r) {
    r.actor_id = "U";
    r.actor_role = "1";
  });
  vary("hash is ignored", [](AuditRecord& r) { r.hash = "anything"; });
  for (const auto& [name, record] : variants) {
    SCOPED_TRACE(name);
    if (std::string(name) == "hash is ignored") {
      EXPECT_EQ(AuditLog::ComputeHash(record), h);
    } else {
      EXPECT_NE(AuditLog::ComputeHash(record), h);
    }
  }
}

}  // namespace
}  // namespace anxin::audit
