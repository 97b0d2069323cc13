#pragma once

// A fixture for the audit tests: a fresh migrated database, a fake clock, the log, and helpers to
// build organisations, principals and entries.

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audit/audit_log.hpp"
#include "common/crypto.hpp"
#include "storage/testing.hpp"

namespace anxin::audit {

class AuditTestBase : public ::testing::Test {
 protected:
  static constexpr int64_t kStartMs = 1767225600000;  // 2026-01-01T08:00:00+08:00

  void SetUp() override {
    ResetDatabase();
    ASSERT_NE(db_, nullptr);
  }

  void ResetDatabase() {
    db_.reset();
    db_ = OpenDatabaseForTest();
    org_paths_.clear();
    clock_.Set(kStartMs);
  }

  static std::unique_ptr<storage::Database> OpenDatabaseForTest() {
    Result<std::unique_ptr<storage::Database>> db = storage::testing::OpenTestDatabase();
    if (!db.ok()) {
      ADD_FAILURE() << "cannot open the test database: " << db.status().ToString();
      return nullptr;
    }
    return std::move(db).value();
  }

  static AuditEntry Entry(std::string action, std::string object_type, std::string object_id,
                          std::string org_id = "") {
    AuditEntry entry;
    entry.action = std::move(action);
    entry.object_type = std::move(object_type);
    entry.object_id = std::move(object_id);
    entry.org_id = std::move(org_id);
    return entry;
  }

  Principal Staff(std::string user_id, const std::string& org_id, std::vector<std::string> roles,
                  std::set<std::string> permissions = {}) {
    Principal p;
    p.user_id = std::move(user_id);
    p.login = p.user_id;
    p.kind = UserKind::kStaff;
    p.org_id = org_id;
    p.org_path = org_id.empty() ? "" : org_paths_.at(org_id);
    p.roles = std::move(roles);
    p.permissions = std::move(permissions);
    return p;
  }

  // Inserts an organisation under `parent_id` ("" for the root) and returns its id.
  std::string AddOrg(const std::string& parent_id, const std::string& code) {
    static const char* const kLevels[] = {"head_office", "branch", "institution", "outlet"};
    std::string id = NewId();
    std::string parent_path = parent_id.empty() ? "/" : org_paths_.at(parent_id);
    std::string path = parent_path + id + "/";
    size_t depth = 0;
    for (char c : path) depth += c == '/' ? 1 : 0;
    storage::Value parent = parent_id.empty() ? storage::Value() : storage::Value(parent_id);
    Status s = RunSql(
        "INSERT INTO orgs (id, code, name, level, parent_id, path, status, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)",
        {id, code, "机构 " + code, std::string(kLevels[std::min<size_t>(depth - 2, 3)]), parent, path,
         kStartMs, kStartMs});
    EXPECT_TRUE(s.ok()) << s.ToString();
    org_paths_[id] = path;
    return id;
  }

  const std::string& PathOf(const std::string& org_id) const { return org_paths_.at(org_id); }

  // Adds a user row (kind "staff" or "customer") with id `id`.
  void AddUser(const std::string& id, const std::string& login, const std::string& display_name,
               const std::string& kind, const std::string& org_id) {
    Status s = RunSql(
        "INSERT INTO users (id, login, display_name, kind, org_id, status, password_hash, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, 'active', 'x', ?, ?)",
        {id, login, display_name, kind, org_id.empty() ? storage::Value() : storage::Value(org_id), kStartMs,
         kStartMs});
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  Status RunSql(const std::string& sql, std::vector<storage::Value> params) {
    return db_->Write([&](storage::Tx& tx) -> Status {
      Result<int64_t> n = tx.Exec(sql, params);
      return n.ok() ? Status::Ok() : n.status();
    });
  }

  Status AppendOne(const Actor& actor, const AuditEntry& entry) {
    return db_->Write([&](storage::Tx& tx) { return log_.Append(tx, actor, entry); });
  }

  // Appends `count` records {"i": n} in one transaction.
  void AppendMany(int count) {
    ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
                     for (int i = 1; i <= count; ++i) {
                       AuditEntry entry = Entry("test.event", "thing", std::to_string(i));
                       entry.summary = {{"i", i}};
                       ANXIN_RETURN_IF_ERROR(log_.Append(tx, Actor::System("test"), entry));
                     }
                     return Status::Ok();
                   })
                    .ok());
  }

  // Appends `entry` at kStartMs + `offset_ms`, by `principal` or the system.
  void AppendAt(int64_t offset_ms, const Principal* principal, const AuditEntry& entry) {
    clock_.Set(kStartMs + offset_ms);
    Actor actor = principal != nullptr ? Actor{principal, "", "", ""} : Actor::System("test");
    Status s = AppendOne(actor, entry);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::vector<AuditRecord> QueryAll(const AuditFilter& filter) {
    Result<std::vector<AuditRecord>> records = log_.Query(*db_, filter);
    EXPECT_TRUE(records.ok()) << records.status().ToString();
    return records.ok() ? *records : std::vector<AuditRecord>();
  }

  // The number of records the chain heads account for, over all chains.
  int64_t ChainedRecords() {
    int64_t records = -1;
    Status s = db_->Read([&](storage::Tx& tx) -> Status {
      ANXIN_ASSIGN_OR_RETURN(
          std::optional<storage::Row> row,
          tx.QueryOne("SELECT CAST(COALESCE(SUM(last_seq), 0) AS BIGINT) FROM audit_chains"));
      if (row) records = row->Int(0);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return records;
  }

  Result<VerifyReport> Verify(std::span<const ChainHead> checkpoints = {}) {
    return log_.Verify(*db_, checkpoints);
  }

  static std::array<uint8_t, 32> TestKey() {
    std::array<uint8_t, 32> key{};
    for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(3 * i + 11);
    return key;
  }

  FakeClock clock_{kStartMs};
  KeyRing keys_ = KeyRing::FromKey(TestKey());
  AuditLog log_{clock_, keys_};
  std::unique_ptr<storage::Database> db_;
  std::map<std::string, std::string> org_paths_;
};

}  // namespace anxin::audit
