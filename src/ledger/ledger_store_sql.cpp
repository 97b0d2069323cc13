// SqlLedger: the ledger's tables in SQL, one text for SQLite and PostgreSQL (but for the post of an
// entry, one statement on PostgreSQL); org paths are read through identity's Directory.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/access.hpp"
#include "common/crypto.hpp"
#include "common/enum_values.hpp"
#include "ledger/ledger_entry.hpp"
#include "ledger/ledger_store.hpp"
#include "storage/deferred.hpp"
#include "storage/sql_filter.hpp"

namespace anxin::ledger {
namespace {

using storage::Row;
using storage::Tx;
using storage::Value;

}  // namespace

Result<std::string> SqlLedger::Post(Tx& tx, const Actor& actor, const Entry& entry) const {
  ANXIN_RETURN_IF_ERROR(CheckEntry(entry));
  std::string org_path = entry.org_path;
  if (org_path.empty() && !entry.org_id.empty()) {
    ANXIN_ASSIGN_OR_RETURN(std::optional<std::string> path, directory_.OrgPath(tx, entry.org_id));
    if (!path) return Status::Internal("ledger: entry names unknown org " + entry.org_id);
    org_path = std::move(*path);
  }
  const int64_t now = clock_.NowMs();
  const std::string id = NewId(now);
  // The entry and all its lines: two statements on SQLite, one on PostgreSQL, deferred (it inserts
  // every line or fails), so it goes in the round trip of the next statement or the COMMIT.
  static constexpr const char* kInsertEntry =
      "INSERT INTO journal_entries (id, at_ms, memo, ref_type, ref_id, org_id, org_path, actor_id) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  static constexpr const char* kInsertLines =
      "INSERT INTO journal_lines (entry_id, line_no, account_code, debit_fen, credit_fen) ";
  std::vector<Value> params = {
      id,           now,          entry.memo, std::string(kRefTypes.Name(entry.ref_type)),
      entry.ref_id, entry.org_id, org_path,   ActorId(actor)};
  if (tx.dialect() == storage::Dialect::kPostgres) {
    std::string sql = std::string("WITH e AS (") + kInsertEntry + " RETURNING id) " + kInsertLines +
                      "SELECT e.id, v.line_no, v.account_code, v.debit_fen, v.credit_fen FROM e, (VALUES ";
    for (size_t i = 0; i < entry.lines.size(); ++i) {
      const Line& line = entry.lines[i];
      sql += i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)";
      params.insert(params.end(),
                    {static_cast<int64_t>(i + 1), line.account, line.debit.fen, line.credit.fen});
    }
    sql += ") AS v (line_no, account_code, debit_fen, credit_fen)";
    ANXIN_RETURN_IF_ERROR(storage::ExecDeferred(tx, sql, params));
    return id;
  }
  ANXIN_RETURN_IF_ERROR(tx.Exec(kInsertEntry, params).status());
  std::string sql = std::string(kInsertLines) + "VALUES ";
  params.clear();
  params.reserve(entry.lines.size() * 5);
  for (size_t i = 0; i < entry.lines.size(); ++i) {
    const Line& line = entry.lines[i];
    sql += i == 0 ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)";
    params.insert(params.end(),
                  {id, static_cast<int64_t>(i + 1), line.account, line.debit.fen, line.credit.fen});
  }
  ANXIN_RETURN_IF_ERROR(tx.Exec(sql, params).status());
  return id;
}

Result<TrialBalance> SqlLedger::Balance(storage::Database& db) const {
  return db.ReadResult<TrialBalance>([&](Tx& tx) -> Result<TrialBalance> {
    ANXIN_ASSIGN_OR_RETURN(
        std::vector<Row> rows,
        tx.Query("SELECT a.code, a.name_zh, a.name_en, CAST(COALESCE(SUM(l.debit_fen), 0) AS BIGINT), "
                 "CAST(COALESCE(SUM(l.credit_fen), 0) AS BIGINT) "
                 "FROM ledger_accounts a LEFT JOIN journal_lines l ON l.account_code = a.code "
                 "GROUP BY a.code, a.name_zh, a.name_en ORDER BY a.code"));
    TrialBalance balance;
    for (const Row& row : rows) {
      AccountBalance account;
      account.account = row.Text(0);
      account.name_zh = row.Text(1);
      account.name_en = row.Text(2);
      account.debit = Money::Fen(row.Int(3));
      account.credit = Money::Fen(row.Int(4));
      balance.total_debit += account.debit;
      balance.total_credit += account.credit;
      balance.accounts.push_back(std::move(account));
    }
    balance.balanced = balance.total_debit == balance.total_credit;
    return balance;
  });
}

Result<std::vector<Entry>> Ledger::EntriesFor(storage::Database& db, RefType ref_type,
                                              const std::string& ref_id) const {
  return EntriesFor(db, ref_type, ref_id, OrgScope::All());
}

Result<std::vector<Entry>> SqlLedger::EntriesFor(storage::Database& db, RefType ref_type,
                                                 const std::string& ref_id, const OrgScope& scope) const {
  storage::SqlFilter filter;
  filter.Where("e.ref_type = ?", {std::string(kRefTypes.Name(ref_type))})
      .Where("e.ref_id = ?", {ref_id})
      .InScope("e.org_path", scope);
  const std::string sql =
      "SELECT e.id, e.at_ms, e.memo, e.ref_type, e.ref_id, e.org_id, e.org_path, e.actor_id, "
      "l.account_code, l.debit_fen, l.credit_fen "
      "FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id" +
      filter.WhereSql() + " ORDER BY e.at_ms, e.id, l.line_no";
  return db.ReadResult<std::vector<Entry>>([&](Tx& tx) -> Result<std::vector<Entry>> {
    ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(sql, filter.params()));
    std::vector<Entry> entries;
    for (const Row& row : rows) {
      if (entries.empty() || entries.back().id != row.Text(0)) {
        Entry entry;
        entry.id = row.Text(0);
        entry.at_ms = row.Int(1);
        entry.memo = row.Text(2);
        ANXIN_ASSIGN_OR_RETURN(entry.ref_type, ParseStored(kRefTypes, row.Text(3), "ledger: ref type"));
        entry.ref_id = row.Text(4);
        entry.org_id = row.Text(5);
        entry.org_path = row.Text(6);
        entry.actor_id = row.Text(7);
        entries.push_back(std::move(entry));
      }
      entries.back().lines.push_back(Line{row.Text(8), Money::Fen(row.Int(9)), Money::Fen(row.Int(10))});
    }
    return entries;
  });
}

}  // namespace anxin::ledger
