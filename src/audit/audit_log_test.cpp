#include "audit/audit_log.hpp"

#include <array>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "audit/audit_test_support.hpp"
#include "common/crypto.hpp"
#include "storage/migrations.hpp"

namespace anxin::audit {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

class AuditLogTest : public AuditTestBase {
 protected:
  // SQLite has one writer: concurrent transactions run one after the other, on chain 1, in order.
  void ExpectWritersShareChainOne() {
    std::vector<std::thread> writers;
    std::vector<Status> results(4);
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&, w] {
        results[w] = db_->Write([&](storage::Tx& tx) -> Status {
          const std::string name = "w" + std::to_string(w);
          ANXIN_RETURN_IF_ERROR(log_.Append(tx, Actor::System(name), Entry(name + ".first", "x", name)));
          return log_.Append(tx, Actor::System(name), Entry(name + ".second", "x", name));
        });
      });
    }
    for (std::thread& t : writers) t.join();
    for (const Status& s : results) ASSERT_TRUE(s.ok()) << s.ToString();
    std::vector<AuditRecord> records = QueryAll({});
    ASSERT_EQ(records.size(), 8u);
    for (size_t i = 0; i < records.size(); ++i) {
      EXPECT_EQ(records[i].chain_id, 1);
      EXPECT_EQ(records[i].chain_seq, static_cast<int64_t>(i + 1));
      // A transaction's two records are adjacent: nothing interleaves within one write.
      if (i % 2 == 1) {
        EXPECT_EQ(records[i].actor_id, records[i - 1].actor_id);
      }
    }
  }
};

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

  Result<VerifyReport> report = Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->records, kTransactions * kPerTransaction);
  EXPECT_FALSE(report->first_broken_seq.has_value());
  ASSERT_EQ(report->heads.size(), 1u);
  EXPECT_EQ(report->heads[0].chain_id, 1);
  EXPECT_EQ(report->heads[0].last_seq, kTransactions * kPerTransaction);

  std::vector<AuditRecord> first = QueryAll({.limit = 3});
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].seq, 1);
  EXPECT_EQ(first[0].chain_id, 1);
  EXPECT_EQ(first[0].chain_seq, 1);
  EXPECT_EQ(first[2].chain_seq, 3);
  EXPECT_EQ(first[0].hash_version, kHashVersion);
  EXPECT_EQ(first[0].prev_hash, std::string(kGenesisHash));
  EXPECT_EQ(first[1].prev_hash, first[0].hash);
  EXPECT_EQ(first[2].prev_hash, first[1].hash);
  EXPECT_EQ(first[0].hash, log_.ComputeHash(first[0]));
  EXPECT_EQ(first[0].hash.size(), 64u);
  EXPECT_EQ(first[0].summary, R"({"batch":0,"index":0})");
  EXPECT_EQ(report->heads[0].last_hash, QueryAll({.after_seq = 1199, .limit = 1}).at(0).hash);
}

TEST_F(AuditLogTest, EmptyChainVerifies) {
  Result<VerifyReport> report = Verify();
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

TEST_F(AuditLogTest, ClientSuppliedRequestFieldsAreStoredAsPrintableAsciiWithoutPersonalNumbers) {
  Actor actor{nullptr, "", "id\n\xff" + std::string(300, 'a'), "1.2.3.4"};
  ASSERT_TRUE(AppendOne(actor, Entry("session.login", "user", "U1")).ok());
  Actor phone{nullptr, "", "req-13812345678", "10.0.0.1"};
  ASSERT_TRUE(AppendOne(phone, Entry("session.login", "user", "U1")).ok());
  std::vector<AuditRecord> records = QueryAll({});
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].request_id, "id??" + std::string(124, 'a'));
  EXPECT_EQ(records[1].request_id, "req-*******5678");
  ASSERT_TRUE(Verify()->ok);
}

TEST_F(AuditLogTest, UnknownOrgIsAProgrammingError) {
  Status s = AppendOne(Actor::System("test"), Entry("org.update", "org", "X", "NO_SUCH_ORG"));
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_EQ(ChainedRecords(), 0);
}

TEST_F(AuditLogTest, EntryWithoutAnActionIsAProgrammingError) {
  EXPECT_EQ(AppendOne(Actor::System("test"), Entry("", "org", "X")).code(), StatusCode::kInternal);
  EXPECT_EQ(ChainedRecords(), 0);
}

// Verify's verdict when it expects a break: not ok, at `chain_seq` of chain 1, with `words` in the
// problem.
void ExpectBrokenAt(const Result<VerifyReport>& report, std::optional<int64_t> chain_seq,
                    const std::string& words) {
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->broken_chain_id, 1);
  EXPECT_EQ(report->broken_chain_seq, chain_seq);
  EXPECT_THAT(report->problem, ::testing::HasSubstr(words));
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

  Result<VerifyReport> report = Verify();
  ExpectBrokenAt(report, 7, "altered");
  EXPECT_EQ(report->first_broken_seq, 7);
  EXPECT_EQ(report->records, 6);
}

TEST_F(AuditLogTest, VerifyReportsAnAlteredChainPositionOrSeq) {
  for (const char* column : {"seq", "chain_seq"}) {
    SCOPED_TRACE(column);
    ResetDatabase();
    AppendMany(5);
    // Record 3 moves to a free position: its seal covers both.
    ASSERT_TRUE(RunSql(std::string("UPDATE audit_events SET ") + column + " = 1000 WHERE seq = 5", {}).ok());
    ASSERT_TRUE(RunSql(std::string("UPDATE audit_events SET ") + column + " = 5 WHERE seq = 3", {}).ok());
    Result<VerifyReport> report = Verify();
    ASSERT_TRUE(report.ok());
    EXPECT_FALSE(report->ok) << column;
  }
}

TEST_F(AuditLogTest, VerifyReportsARelinkedRecord) {
  AppendMany(10);
  ASSERT_TRUE(RunSql("UPDATE audit_events SET prev_hash = ? WHERE seq = 4", {std::string(64, 'f')}).ok());
  ExpectBrokenAt(Verify(), 4, "prev_hash");
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
    ExpectBrokenAt(Verify(), c.deleted_seq, "missing");
  }
}

TEST_F(AuditLogTest, VerifyReportsACopiedRecord) {
  AppendMany(5);
  ASSERT_TRUE(RunSql("INSERT INTO audit_events SELECT * FROM audit_events WHERE seq = 3", {}).code() ==
              StatusCode::kAlreadyExists);
  // A copy under a new seq, placed between records 3 and 4.
  ASSERT_TRUE(RunSql("UPDATE audit_events SET seq = seq * 10", {}).ok());
  ASSERT_TRUE(
      RunSql("INSERT INTO audit_events (seq, chain_id, chain_seq, hash_version, at_ms, actor_id, "
             "actor_role, actor_org_id, action, object_type, object_id, org_id, org_path, summary, "
             "result, request_id, client_address, prev_hash, hash) SELECT 35, chain_id, chain_seq, "
             "hash_version, at_ms, actor_id, actor_role, actor_org_id, action, object_type, object_id, "
             "org_id, org_path, summary, result, request_id, client_address, prev_hash, hash FROM "
             "audit_events WHERE seq = 30",
             {})
          .ok());
  Result<VerifyReport> report = Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->broken_chain_id, 1);
}

TEST_F(AuditLogTest, VerifyReportsAChainHeadThatDoesNotMatch) {
  AppendMany(3);
  ASSERT_TRUE(
      RunSql("UPDATE audit_chains SET last_hash = ? WHERE chain_id = 1", {std::string(64, 'a')}).ok());
  ExpectBrokenAt(Verify(), 3, "head");
}

TEST_F(AuditLogTest, VerifyReportsARecordInsertedBeyondTheHead) {
  AppendMany(3);
  ASSERT_TRUE(RunSql("UPDATE audit_chains SET last_seq = 2, last_hash = (SELECT hash FROM audit_events WHERE "
                     "seq = 2) WHERE chain_id = 1",
                     {})
                  .ok());
  Result<VerifyReport> report = Verify();
  ExpectBrokenAt(report, std::nullopt, "beyond the chain head");
  EXPECT_EQ(report->first_broken_seq, 3);
}

TEST_F(AuditLogTest, VerifyReportsRecordsOfAChainWithoutAHead) {
  AppendMany(3);
  ASSERT_TRUE(RunSql("UPDATE audit_events SET chain_id = 7, chain_seq = 1, prev_hash = ? WHERE seq = 3",
                     {std::string(kGenesisHash)})
                  .ok());
  ASSERT_TRUE(RunSql("UPDATE audit_chains SET last_seq = 2, last_hash = (SELECT hash FROM audit_events WHERE "
                     "seq = 2) WHERE chain_id = 1",
                     {})
                  .ok());
  Result<VerifyReport> report = Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->broken_chain_id, 7);
  EXPECT_EQ(report->first_broken_seq, 3);
  EXPECT_THAT(report->problem, ::testing::HasSubstr("without a head"));
}

// Cutting a chain's tail and moving its head back to the new last record: the head's MAC, which
// only the key can make, no longer matches.
TEST_F(AuditLogTest, VerifyReportsATruncatedTailByTheHeadMac) {
  AppendMany(5);
  ASSERT_TRUE(RunSql("DELETE FROM audit_events WHERE seq > 3", {}).ok());
  ASSERT_TRUE(RunSql("UPDATE audit_chains SET last_seq = 3, last_hash = (SELECT hash FROM audit_events WHERE "
                     "seq = 3) WHERE chain_id = 1",
                     {})
                  .ok());
  ExpectBrokenAt(Verify(), 3, "MAC");
}

// The attack the keyed seal stops: edit a record, then recompute every later hash and the head, as
// the unkeyed chain allowed. Without the key (here: another key) the seals cannot be made.
TEST_F(AuditLogTest, AnEditRechainedWithoutTheKeyIsDetected) {
  AppendMany(6);
  AuditLog forger(clock_, KeyRing::FromKey(std::array<uint8_t, 32>{}));
  std::vector<AuditRecord> records = QueryAll({});
  ASSERT_EQ(records.size(), 6u);
  records[3].summary = R"({"i":400})";
  for (size_t i = 3; i < records.size(); ++i) {
    if (i > 3) records[i].prev_hash = records[i - 1].hash;
    records[i].hash = forger.ComputeHash(records[i]);
    ASSERT_TRUE(RunSql("UPDATE audit_events SET summary = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                       {records[i].summary, records[i].prev_hash, records[i].hash, records[i].seq})
                    .ok());
  }
  ASSERT_TRUE(RunSql("UPDATE audit_chains SET last_hash = ?, head_mac = ? WHERE chain_id = 1",
                     {records[5].hash, forger.SealOf(records[5]).head_tag})
                  .ok());
  ExpectBrokenAt(Verify(), 4, "altered");
}

// Downgrading records to the unkeyed hash of the records written before migration 0015 does not help.
TEST_F(AuditLogTest, UnkeyedRecordsAreAcceptedOnlyAsTheLegacyPrefix) {
  auto downgrade = [&](int64_t from_seq, bool clear_head_mac) {
    std::vector<AuditRecord> records = QueryAll({});
    for (size_t i = 0; i < records.size(); ++i) {
      AuditRecord& r = records[i];
      if (i > 0) r.prev_hash = records[i - 1].hash;
      if (r.seq >= from_seq) {
        r.hash_version = kLegacyHashVersion;
        r.hash = log_.ComputeHash(r);
      }
      ASSERT_TRUE(RunSql("UPDATE audit_events SET hash_version = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                         {r.hash_version, r.prev_hash, r.hash, r.seq})
                      .ok());
    }
    ASSERT_TRUE(RunSql("UPDATE audit_chains SET last_hash = ?, head_mac = ? WHERE chain_id = 1",
                       {records.back().hash, clear_head_mac ? std::string() : std::string("x")})
                    .ok());
  };
  AppendMany(4);
  downgrade(3, false);
  ExpectBrokenAt(Verify(), 3, "unkeyed");

  // All of them, head MAC cleared: it looks like records from before the migration, not yet sealed.
  ResetDatabase();
  AppendMany(4);
  downgrade(1, true);
  ExpectBrokenAt(Verify(), 4, "not sealed");
}

TEST_F(AuditLogTest, AppendInAFailedTransactionLeavesNoRecordAndKeepsTheHead) {
  AppendMany(2);
  Status s = db_->Write([&](storage::Tx& tx) -> Status {
    ANXIN_RETURN_IF_ERROR(log_.Append(tx, Actor::System("test"), Entry("org.create", "org", "X")));
    return Status(StatusCode::kFailedPrecondition, "org_code_taken", {"机构代码已存在", "code taken"});
  });
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(QueryAll({}).size(), 2u);
  EXPECT_EQ(ChainedRecords(), 2);

  ASSERT_TRUE(AppendOne(Actor::System("test"), Entry("org.create", "org", "Y")).ok());
  std::vector<AuditRecord> records = QueryAll({});
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2].chain_seq, 3);
  EXPECT_EQ(records[2].object_id, "Y");
  EXPECT_TRUE(Verify()->ok);
}

// A chain locked ahead (LockAhead) appends what its Append is given, once the statements in
// between have run; and should a record be appended to that chain in between, the stale head
// cannot fork the chain: the transaction fails and keeps nothing.
TEST_F(AuditLogTest, ChainLockedAheadAppendsAndAStaleOneNeverForksTheChain) {
  AppendMany(2);
  ASSERT_TRUE(
      db_->Write([&](storage::Tx& tx) -> Status {
           ANXIN_ASSIGN_OR_RETURN(ChainAhead ahead, log_.LockAhead(tx, 2));
           ANXIN_RETURN_IF_ERROR(tx.Exec("UPDATE audit_chains SET chain_id = chain_id WHERE 1 = 0").status());
           ANXIN_ASSIGN_OR_RETURN(PreparedAuditEntry one,
                                  log_.Prepare(Actor::System("test"), Entry("org.create", "org", "A")));
           const PreparedAuditEntry* entries[] = {&one};  // fewer than locked for
           return log_.Append(tx, entries, ahead);
         })
          .ok());
  ASSERT_EQ(QueryAll({}).size(), 3u);
  EXPECT_EQ(QueryAll({}).back().chain_seq, 3);

  Status s = db_->Write([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(ChainAhead ahead, log_.LockAhead(tx, 1));
    ANXIN_RETURN_IF_ERROR(log_.Append(tx, Actor::System("test"), Entry("org.create", "org", "B")));
    ANXIN_ASSIGN_OR_RETURN(PreparedAuditEntry stale,
                           log_.Prepare(Actor::System("test"), Entry("org.create", "org", "C")));
    const PreparedAuditEntry* entries[] = {&stale};
    return log_.Append(tx, entries, ahead);
  });
  // The head guard on PostgreSQL; on SQLite the stale seq is already taken.
  EXPECT_FALSE(s.ok());
  if (db_->dialect() == storage::Dialect::kPostgres) {
    EXPECT_EQ(s.code(), StatusCode::kInternal) << s.ToString();
  }
  EXPECT_EQ(QueryAll({}).size(), 3u);
  EXPECT_TRUE(Verify()->ok);
  ASSERT_TRUE(AppendOne(Actor::System("test"), Entry("org.create", "org", "D")).ok());
  EXPECT_EQ(QueryAll({}).back().chain_seq, 4);
  EXPECT_TRUE(Verify()->ok);
}

TEST_F(AuditLogTest, ConcurrentAppendsGetUniqueSeqsContiguousChainsAndVerify) {
  constexpr int kThreads = 32;
  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      results[t] = db_->Write([&](storage::Tx& tx) -> Status {
        // Two appends per transaction: both go to the chain the transaction holds.
        ANXIN_RETURN_IF_ERROR(log_.Append(tx, Actor::System("worker"),
                                          Entry("policy.issue", "policy", "P" + std::to_string(t))));
        return log_.Append(tx, Actor::System("worker"),
                           Entry("card.activate", "card", "C" + std::to_string(t)));
      });
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_TRUE(results[t].ok()) << t << ": " << results[t].ToString();

  std::vector<AuditRecord> records = QueryAll({.limit = 100});
  ASSERT_EQ(records.size(), static_cast<size_t>(2 * kThreads));
  std::set<int64_t> seqs;
  std::map<int64_t, std::vector<int64_t>> positions;          // chain -> chain_seqs in seq order
  std::map<std::string, std::pair<int64_t, int64_t>> placed;  // object -> (chain, chain_seq)
  for (const AuditRecord& r : records) {
    seqs.insert(r.seq);
    positions[r.chain_id].push_back(r.chain_seq);
    placed[r.object_id] = {r.chain_id, r.chain_seq};
  }
  EXPECT_EQ(seqs.size(), records.size());
  for (const auto& [chain, chain_seqs] : positions) {
    SCOPED_TRACE("chain " + std::to_string(chain));
    for (size_t i = 0; i < chain_seqs.size(); ++i) EXPECT_EQ(chain_seqs[i], static_cast<int64_t>(i + 1));
  }
  for (int t = 0; t < kThreads; ++t) {
    const auto& issue = placed["P" + std::to_string(t)];
    const auto& activate = placed["C" + std::to_string(t)];
    EXPECT_EQ(issue.first, activate.first) << t;
    EXPECT_EQ(issue.second + 1, activate.second) << t;
  }
  if (db_->dialect() == storage::Dialect::kSqlite) {
    EXPECT_EQ(positions.size(), 1u);
  }
  Result<VerifyReport> report = Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->records, 2 * kThreads);
  EXPECT_EQ(ChainedRecords(), 2 * kThreads);
}

// PostgreSQL: an audited transaction never waits for another one's chain. Transaction B starts
// while A holds chain 1 and commits while A still runs (it would wait forever if it queued behind
// A); A's later append stays in A's chain although chain 1 is free again.
TEST_F(AuditLogTest, ConcurrentTransactionsAppendToSeparateChainsWithoutWaiting) {
  if (db_->dialect() != storage::Dialect::kPostgres) {
    ExpectWritersShareChainOne();
    Result<VerifyReport> report = Verify();
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->ok) << report->problem;
    return;
  }
  std::mutex mu;
  std::condition_variable cv;
  int stage = 0;  // 1: B holds chain 1; 2: A holds chain 2; 3: B committed
  auto wait_for = [&](int s) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(20), [&] { return stage >= s; });
  };
  auto advance = [&](int s) {
    {
      std::lock_guard lock(mu);
      stage = s;
    }
    cv.notify_all();
  };
  Status b_status;
  std::thread b([&] {
    b_status = db_->Write([&](storage::Tx& tx) -> Status {
      ANXIN_RETURN_IF_ERROR(log_.Append(tx, Actor::System("b"), Entry("b.first", "x", "B")));
      advance(1);
      if (!wait_for(2)) return Status::Internal("A never started");
      return log_.Append(tx, Actor::System("b"), Entry("b.second", "x", "B"));
    });
    advance(3);
  });
  Status a_status = db_->Write([&](storage::Tx& tx) -> Status {
    if (!wait_for(1)) return Status::Internal("B never started");
    ANXIN_RETURN_IF_ERROR(log_.Append(tx, Actor::System("a"), Entry("a.first", "x", "A")));
    advance(2);
    if (!wait_for(3)) return Status::Internal("B never committed: it waited for A");
    return log_.Append(tx, Actor::System("a"), Entry("a.second", "x", "A"));
  });
  b.join();
  ASSERT_TRUE(b_status.ok()) << b_status.ToString();
  ASSERT_TRUE(a_status.ok()) << a_status.ToString();

  std::map<std::string, AuditRecord> by_action;
  for (const AuditRecord& r : QueryAll({})) by_action[r.action] = r;
  ASSERT_EQ(by_action.size(), 4u);
  EXPECT_EQ(by_action["b.first"].chain_id, 1);
  EXPECT_EQ(by_action["b.second"].chain_id, 1);
  EXPECT_EQ(by_action["a.first"].chain_id, by_action["a.second"].chain_id);
  EXPECT_NE(by_action["a.first"].chain_id, 1);
  EXPECT_EQ(by_action["a.second"].chain_seq, 2);
  Result<VerifyReport> report = Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->heads.size(), 2u);
}

TEST_F(AuditLogTest, CheckpointsRevealATruncatedOrDeletedChain) {
  AppendMany(5);
  // What a database administrator could keep: the head row as it was after five records.
  std::vector<storage::Value> old_head;
  ASSERT_TRUE(db_->Read([&](storage::Tx& tx) -> Status {
                   ANXIN_ASSIGN_OR_RETURN(
                       std::optional<storage::Row> row,
                       tx.QueryOne("SELECT last_seq, last_hash, head_mac FROM audit_chains "
                                   "WHERE chain_id = 1"));
                   old_head = {row->Int(0), row->Text(1), row->Text(2)};
                   return Status::Ok();
                 })
                  .ok());
  AppendMany(3);
  Result<std::vector<ChainHead>> checkpoint = log_.Checkpoint(*db_);
  ASSERT_TRUE(checkpoint.ok());
  ASSERT_EQ(checkpoint->size(), 1u);
  EXPECT_EQ((*checkpoint)[0].last_seq, 8);
  EXPECT_TRUE(Verify(*checkpoint)->ok);

  // Cut the last three records and put the old head back: the chain alone looks whole.
  ASSERT_TRUE(RunSql("DELETE FROM audit_events WHERE chain_seq > 5", {}).ok());
  ASSERT_TRUE(
      RunSql("UPDATE audit_chains SET last_seq = ?, last_hash = ?, head_mac = ? WHERE chain_id = 1", old_head)
          .ok());
  EXPECT_TRUE(Verify()->ok);
  ExpectBrokenAt(Verify(*checkpoint), 8, "truncated");

  // Delete the whole chain.
  ASSERT_TRUE(RunSql("DELETE FROM audit_events", {}).ok());
  ASSERT_TRUE(RunSql("DELETE FROM audit_chains", {}).ok());
  EXPECT_TRUE(Verify()->ok);
  ExpectBrokenAt(Verify(*checkpoint), std::nullopt, "missing");
}

TEST_F(AuditLogTest, CheckpointsRevealARewrittenChain) {
  AppendMany(4);
  Result<std::vector<ChainHead>> checkpoint = log_.Checkpoint(*db_);
  ASSERT_TRUE(checkpoint.ok());
  // Someone holding the key rewrites record 2 and re-seals the rest: only the checkpoint shows it.
  std::vector<AuditRecord> records = QueryAll({});
  records[1].summary = R"({"i":222})";
  for (size_t i = 1; i < records.size(); ++i) {
    if (i > 1) records[i].prev_hash = records[i - 1].hash;
    records[i].hash = log_.ComputeHash(records[i]);
    ASSERT_TRUE(RunSql("UPDATE audit_events SET summary = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                       {records[i].summary, records[i].prev_hash, records[i].hash, records[i].seq})
                    .ok());
  }
  ASSERT_TRUE(RunSql("UPDATE audit_chains SET last_hash = ?, head_mac = ? WHERE chain_id = 1",
                     {records[3].hash, log_.SealOf(records[3]).head_tag})
                  .ok());
  EXPECT_TRUE(Verify()->ok);
  ExpectBrokenAt(Verify(*checkpoint), 4, "rewritten");
}

// A database written before migration 0015: one unkeyed chain. After the migration its records are
// chain 1's prefix and still verify; the first record after them seals them under the key.
TEST_F(AuditLogTest, RecordsFromBeforeMigration0015StayVerifiableAndAreSealedOnce) {
  Result<std::unique_ptr<storage::Database>> opened = storage::testing::OpenTestDatabase(/*migrate=*/false);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  db_ = std::move(opened).value();
  Result<std::vector<storage::Migration>> all =
      storage::SelectMigrations(storage::EmbeddedMigrationFiles(), db_->dialect());
  ASSERT_TRUE(all.ok());
  std::vector<storage::Migration> before, rest;
  for (const storage::Migration& m : *all) (m.version < "0015" ? before : rest).push_back(m);
  ASSERT_FALSE(rest.empty());
  ASSERT_TRUE(storage::ApplyMigrations(*db_, before).ok());

  // Three records as the single-chain log wrote them.
  std::string prev(kGenesisHash);
  std::vector<std::string> legacy_hashes;
  for (int64_t seq = 1; seq <= 3; ++seq) {
    AuditRecord r;
    r.seq = seq;
    r.chain_seq = seq;
    r.hash_version = kLegacyHashVersion;
    r.at_ms = kStartMs + seq;
    r.actor_id = "system:old";
    r.action = "product.load";
    r.object_type = "product";
    r.object_id = "P" + std::to_string(seq);
    r.summary = R"({"version":1})";
    r.result = "ok";
    r.prev_hash = prev;
    r.hash = log_.ComputeHash(r);
    ASSERT_TRUE(
        RunSql("INSERT INTO audit_events (seq, at_ms, actor_id, actor_role, actor_org_id, action, "
               "object_type, object_id, org_id, org_path, summary, result, request_id, client_address, "
               "prev_hash, hash) VALUES (?, ?, ?, '', '', ?, ?, ?, '', '', ?, ?, '', '', ?, ?)",
               {r.seq, r.at_ms, r.actor_id, r.action, r.object_type, r.object_id, r.summary, r.result,
                r.prev_hash, r.hash})
            .ok());
    ASSERT_TRUE(
        RunSql("UPDATE audit_chain SET last_seq = ?, last_hash = ? WHERE id = 1", {seq, r.hash}).ok());
    prev = r.hash;
    legacy_hashes.push_back(r.hash);
  }
  ASSERT_TRUE(storage::ApplyMigrations(*db_, rest).ok());

  std::vector<AuditRecord> migrated = QueryAll({});
  ASSERT_EQ(migrated.size(), 3u);
  for (size_t i = 0; i < migrated.size(); ++i) {
    EXPECT_EQ(migrated[i].chain_id, 1);
    EXPECT_EQ(migrated[i].chain_seq, migrated[i].seq);
    EXPECT_EQ(migrated[i].hash_version, kLegacyHashVersion);
    EXPECT_EQ(migrated[i].hash, legacy_hashes[i]);
  }
  Result<VerifyReport> unsealed = Verify();
  ExpectBrokenAt(unsealed, 3, "not sealed");
  EXPECT_EQ(unsealed->records, 3);

  ASSERT_TRUE(log_.SealLegacyChain(*db_).ok());
  ASSERT_TRUE(log_.SealLegacyChain(*db_).ok());  // once is enough
  ASSERT_TRUE(AppendOne(Actor::System("test"), Entry("product.load", "product", "P4")).ok());
  std::vector<AuditRecord> records = QueryAll({});
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[3].action, "audit.legacy_sealed");
  EXPECT_EQ(records[3].seq, 4);
  EXPECT_EQ(records[3].chain_seq, 4);
  EXPECT_EQ(records[3].hash_version, kHashVersion);
  EXPECT_EQ(records[3].prev_hash, legacy_hashes.back());
  EXPECT_EQ(records[4].seq, 5);
  Result<VerifyReport> sealed = Verify();
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(sealed->ok) << sealed->problem;
  EXPECT_EQ(sealed->records, 5);

  // The legacy records are protected like the rest.
  ASSERT_TRUE(RunSql("UPDATE audit_events SET summary = ? WHERE seq = 2", {R"({"version":2})"}).ok());
  ExpectBrokenAt(Verify(), 2, "altered");
}

TEST(AuditCheckpointLogTest, ReadsTheLatestCheckpointOfEveryChainFromTheLog) {
  const std::string h1(64, 'a'), h2(64, 'b'), h3(64, 'c');
  std::istringstream log(
      R"({"ts":"x","level":"info","msg":"listening"})"
      "\n"
      R"({"ts":"x","level":"info","event":"audit_checkpoint","chains":[{"chain":1,"seq":5,"hash":")" +
      h1 + R"("},{"chain":2,"seq":3,"hash":")" + h2 +
      R"("}]})"
      "\n"
      "not json mentioning audit_checkpoint\n"
      R"({"ts":"y","level":"info","event":"audit_checkpoint","chains":[{"chain":1,"seq":9,"hash":")" +
      h3 +
      R"("}]})"
      "\n");
  Result<std::vector<ChainHead>> heads = ReadCheckpoints(log);
  ASSERT_TRUE(heads.ok()) << heads.status().ToString();
  ASSERT_EQ(heads->size(), 2u);
  EXPECT_EQ((*heads)[0].chain_id, 1);
  EXPECT_EQ((*heads)[0].last_seq, 9);
  EXPECT_EQ((*heads)[0].last_hash, h3);
  EXPECT_EQ((*heads)[1].chain_id, 2);
  EXPECT_EQ((*heads)[1].last_seq, 3);

  std::istringstream bad(R"({"event":"audit_checkpoint","chains":[{"chain":"1","seq":5,"hash":"x"}]})");
  Result<std::vector<ChainHead>> refused = ReadCheckpoints(bad);
  EXPECT_EQ(refused.status().reason(), "invalid_checkpoint");
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
    for (const AuditRecord& r :
         QueryAll({.scope = scope.empty() ? OrgScope::All() : OrgScope::Subtree(scope)}))
      seqs.push_back(r.seq);
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

// RULES.md §6: no clear personal data (ID numbers, phone numbers) in logs. User free text reaches
// summaries, so numbers that look personal are masked, never refused (a refusal would be a 500).
TEST(MaskPersonalTextTest, MasksStandaloneRunsOfElevenOrMoreDigitsButTheirLastFour) {
  struct Case {
    const char* name;
    std::string text;
    std::string masked;
  };
  const std::vector<Case> cases = {
      {"resident id", "11010519491231002X", "**************002X"},
      {"resident id lower-case x", "11010519491231002x", "**************002x"},
      {"resident id in Chinese text", "证件号440524188001010014已核验", "证件号**************0014已核验"},
      {"mobile", "13812345678", "*******5678"},
      {"mobile in groups", "+86 138-1234-5678", "+** ***-****-5678"},
      {"mobile prefixed 86", "8613812345678", "*********5678"},
      {"full-width mobile", "电话１３８１２３４５６７８", "电话*******５６７８"},
      {"bank card in groups", "6225 8801 2345 7430", "**** **** **** 7430"},
      {"two numbers", "13812345678 / 15900001111", "*******5678 / *******1111"},
      {"12 digits", "138123456789", "********6789"},
      {"10 digits stay", "1381234567", "1381234567"},
      {"date and time stay", "2026-01-01 08:00:00", "2026-01-01 08:00:00"},
      {"policy number stays", "P202601011234567890", "P202601011234567890"},
      {"card serial stays", "TRV00000000017", "TRV00000000017"},
      {"generated id stays", "01JAXM3Q0000000000AB", "01JAXM3Q0000000000AB"},
      {"digits glued to a letter stay", "13812345678abc", "13812345678abc"},
      {"masked resident id stays", "110105********002X", "110105********002X"},
      {"masked mobile stays", "138****5678", "138****5678"},
      {"a separator ends a run unless a digit follows", "1381234- 5678", "1381234- 5678"},
      {"empty", "", ""},
      {"invalid UTF-8 is kept as it is",
       "\xff"
       "13812345678",
       "\xff"
       "*******5678"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(MaskPersonalText(c.text), c.masked);
  }
}

TEST_F(AuditLogTest, SummariesAreStoredWithPersonalNumbersMasked) {
  struct Case {
    const char* name;
    nlohmann::json summary;
    std::string stored;
  };
  const std::vector<Case> cases = {
      {"resident id", {{"id_number", "11010519491231002X"}}, R"({"id_number":"**************002X"})"},
      {"mobile in a nested array",
       {{"changes", {{{"to", {"a", "15900001111"}}}}}},
       R"({"changes":[{"to":["a","*******1111"]}]})"},
      {"mobile as a key", {{"13812345678", true}}, R"({"*******5678":true})"},
      {"reason with both",
       {{"reason", "张三 110101199003074258 电话13800138000"}},
       R"({"reason":"张三 **************4258 电话*******8000"})"},
      {"generated id", {{"org_id", "01JAXM3Q0000000000AB"}}, R"({"org_id":"01JAXM3Q0000000000AB"})"},
      {"amount as a number", {{"amount_fen", 13812345678}}, R"({"amount_fen":13812345678})"},
      {"invalid UTF-8 is replaced",
       {{"name", std::string("\xff\xfe")}},
       "{\"name\":\"\xEF\xBF\xBD\xEF\xBF\xBD\"}"},
      {"empty", nlohmann::json::object(), "{}"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ResetDatabase();
    AuditEntry entry = Entry("user.update", "user", "U1");
    entry.summary = c.summary;
    Status s = AppendOne(Actor::System("test"), entry);
    ASSERT_TRUE(s.ok()) << s.ToString();
    std::vector<AuditRecord> records = QueryAll({});
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].summary, c.stored);
    EXPECT_TRUE(Verify()->ok);
  }
}

TEST_F(AuditLogTest, PreparedEntriesAppendLikeEntries) {
  Result<PreparedAuditEntry> prepared =
      log_.Prepare(Actor::System("test"), Entry("card.activate", "card", "C1"));
  ASSERT_TRUE(prepared.ok());
  clock_.Advance(50);  // the record keeps the time it was prepared at
  // A retried transaction appends the same prepared entry again: each attempt is a whole record.
  Status failed = db_->Write([&](storage::Tx& tx) -> Status {
    ANXIN_RETURN_IF_ERROR(log_.Append(tx, *prepared));
    return Status(StatusCode::kAborted, "retry", {"重试", "retry"});
  });
  EXPECT_EQ(failed.code(), StatusCode::kAborted);
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) { return log_.Append(tx, *prepared); }).ok());
  std::vector<AuditRecord> records = QueryAll({});
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].at_ms, kStartMs);
  EXPECT_EQ(records[0].actor_id, "system:test");
  EXPECT_TRUE(Verify()->ok);
}

TEST_F(AuditLogTest, SeveralEntriesAppendAsConsecutiveRecordsOfOneChain) {
  const std::string root = AddOrg("", "HQ");
  const std::string branch = AddOrg(root, "BR");
  AppendMany(2);
  Result<PreparedAuditEntry> a =
      log_.Prepare(Actor::System("test"), Entry("policy.issue", "policy", "P1", branch));
  Result<PreparedAuditEntry> b =
      log_.Prepare(Actor::System("test"), Entry("card.activate", "card", "C1", root));
  Result<PreparedAuditEntry> c = log_.Prepare(Actor::System("test"), Entry("session.login", "user", "U1"));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  const PreparedAuditEntry* entries[] = {&*a, &*b, &*c};
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) { return log_.Append(tx, entries); }).ok());
  std::vector<AuditRecord> records = QueryAll({});
  ASSERT_EQ(records.size(), 5u);
  for (size_t i = 2; i < 5; ++i) {
    EXPECT_EQ(records[i].chain_id, records[1].chain_id);
    EXPECT_EQ(records[i].chain_seq, static_cast<int64_t>(i + 1));
    EXPECT_GT(records[i].seq, records[i - 1].seq);
    EXPECT_EQ(records[i].prev_hash, records[i - 1].hash);
  }
  EXPECT_EQ(records[2].org_path, PathOf(branch));
  EXPECT_EQ(records[3].org_path, PathOf(root));
  EXPECT_EQ(records[4].org_path, "");
  EXPECT_EQ(ChainedRecords(), 5);
  EXPECT_TRUE(Verify()->ok);

  // One unknown org refuses them all.
  Result<PreparedAuditEntry> bad = log_.Prepare(Actor::System("test"), Entry("x.y", "x", "1", "NO_SUCH_ORG"));
  const PreparedAuditEntry* with_bad[] = {&*a, &*bad};
  EXPECT_EQ(db_->Write([&](storage::Tx& tx) { return log_.Append(tx, with_bad); }).code(),
            StatusCode::kInternal);
  EXPECT_EQ(QueryAll({}).size(), 5u);
}

// identity's Directory with the org paths of a map, counting the look-ups.
class MapDirectory final : public identity::Directory {
 public:
  std::map<std::string, std::string> paths;
  mutable int path_lookups = 0;

  Result<std::optional<identity::Org>> FindOrg(storage::Tx&, const std::string&) const override {
    return std::optional<identity::Org>();
  }
  Result<std::optional<identity::Org>> FindOrgByCode(storage::Tx&, const std::string&) const override {
    return std::optional<identity::Org>();
  }
  Result<std::optional<identity::Org>> HeadOffice(storage::Tx&) const override {
    return std::optional<identity::Org>();
  }
  Result<std::optional<std::string>> OrgPath(storage::Tx&, const std::string& id) const override {
    ++path_lookups;
    auto it = paths.find(id);
    if (it == paths.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  Result<std::map<std::string, std::string>> OrgNames(storage::Tx&,
                                                      const std::vector<std::string>&) const override {
    return std::map<std::string, std::string>();
  }
  Result<std::map<std::string, identity::Org>> OrgsByIds(storage::Tx&,
                                                         const std::vector<std::string>&) const override {
    return std::map<std::string, identity::Org>();
  }
  Result<std::optional<identity::StaffMember>> FindStaff(storage::Tx&, const std::string&) const override {
    return std::optional<identity::StaffMember>();
  }
  Result<std::optional<identity::StaffMember>> FindStaffByLogin(storage::Tx&,
                                                                const std::string&) const override {
    return std::optional<identity::StaffMember>();
  }
  Result<bool> HasRole(storage::Tx&, const std::string&, const std::vector<std::string>&) const override {
    return false;
  }
  Result<std::map<std::string, std::string>> UserDisplayNames(
      storage::Tx&, const std::vector<std::string>&) const override {
    return std::map<std::string, std::string>();
  }
  Result<std::map<std::string, identity::StaffMember>> StaffByIds(
      storage::Tx&, const std::vector<std::string>&) const override {
    return std::map<std::string, identity::StaffMember>();
  }
};

TEST_F(AuditLogTest, OrgPathsComeThroughTheDirectoryOncePerOrganisation) {
  // No organisation exists in the database: every path is the Directory's.
  MapDirectory directory;
  directory.paths = {{"BJ", "/HQ/BJ/"}, {"SH", "/HQ/SH/"}};
  AuditLog log(clock_, keys_, directory);
  auto append = [&](const std::string& org_id) {
    return db_->Write([&](storage::Tx& tx) {
      return log.Append(tx, Actor::System("test"), Entry("x.y", "x", "1", org_id));
    });
  };
  ASSERT_TRUE(append("BJ").ok());
  ASSERT_TRUE(append("BJ").ok());
  ASSERT_TRUE(append("SH").ok());
  ASSERT_TRUE(append("").ok());
  EXPECT_EQ(directory.path_lookups, 2);
  std::vector<AuditRecord> records = QueryAll({});
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].org_path, "/HQ/BJ/");
  EXPECT_EQ(records[1].org_path, "/HQ/BJ/");
  EXPECT_EQ(records[2].org_path, "/HQ/SH/");
  EXPECT_EQ(records[3].org_path, "");
  // The path is inside the seal, as before: the chain verifies.
  EXPECT_TRUE(Verify()->ok);

  // An org the Directory does not know is refused each time (nothing is cached for it).
  EXPECT_EQ(append("GZ").code(), StatusCode::kInternal);
  EXPECT_EQ(append("GZ").code(), StatusCode::kInternal);
  EXPECT_EQ(directory.path_lookups, 4);
  EXPECT_EQ(QueryAll({}).size(), 4u);
}

TEST_F(AuditLogTest, HashCoversEveryFieldAndThePlaceInTheChain) {
  AuditRecord base;
  base.seq = 3;
  base.chain_id = 2;
  base.chain_seq = 3;
  base.at_ms = 1000;
  base.actor_id = "U1";
  base.action = "a.b";
  base.summary = "{}";
  base.prev_hash = std::string(kGenesisHash);
  const std::string h = log_.ComputeHash(base);
  std::vector<std::pair<const char*, AuditRecord>> variants;
  auto vary = [&](const char* name, auto change) {
    AuditRecord r = base;
    change(r);
    variants.emplace_back(name, r);
  };
  vary("seq", [](AuditRecord& r) { r.seq = 4; });
  vary("chain_id", [](AuditRecord& r) { r.chain_id = 3; });
  vary("chain_seq", [](AuditRecord& r) { r.chain_seq = 4; });
  vary("hash_version", [](AuditRecord& r) { r.hash_version = kLegacyHashVersion; });
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
      EXPECT_EQ(log_.ComputeHash(record), h);
    } else {
      EXPECT_NE(log_.ComputeHash(record), h);
    }
  }
  // Keyed: another key seals differently; the unkeyed legacy hash is plain SHA-256.
  EXPECT_NE(AuditLog(clock_, KeyRing::FromKey(std::array<uint8_t, 32>{})).ComputeHash(base), h);
  AuditRecord legacy = base;
  legacy.hash_version = kLegacyHashVersion;
  EXPECT_EQ(AuditLog(clock_, KeyRing::FromKey(std::array<uint8_t, 32>{})).ComputeHash(legacy),
            log_.ComputeHash(legacy));
  // The head tag comes from the same seal and is neither the hash nor derivable from it.
  const AuditLog::Seal seal = log_.SealOf(base);
  EXPECT_EQ(seal.hash, h);
  EXPECT_EQ(seal.head_tag.size(), 64u);
  EXPECT_NE(seal.head_tag, h);
  AuditRecord next = base;
  next.chain_seq = 4;
  EXPECT_NE(log_.SealOf(next).head_tag, seal.head_tag);
}

}  // namespace
}  // namespace anxin::audit
