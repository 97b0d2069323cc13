#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "cards/card_activation_store.hpp"
#include "cards/card_store.hpp"
#include "storage/deferred.hpp"

namespace anxin::cards {

using storage::Row;

Result<CardActivationStore::CredentialState> SqlCardActivationStore::FindCredentialState(
    storage::Tx& tx, const std::string& serial, const std::string& client_key) {
  // One row whether or not any of the three exists: the card's columns first (CardFromRow reads
  // them from column 0), then its password hash, the throttle and the number's attempt counters.
  static const std::string kSql =
      "SELECT " + std::string(kCardColumns) +
      ", password_hash, th.client_key, th.failures, th.window_start, th.blocked_until, "
      "at.failed_attempts, at.locked_until, at.last_failed_at "
      "FROM (SELECT 1 AS one) k LEFT JOIN card_activation_throttle th ON th.client_key = ? "
      "LEFT JOIN cards ON cards.serial = ? "
      "LEFT JOIN (SELECT failed_attempts, locked_until, last_failed_at FROM card_activation_attempts "
      "WHERE serial = ?) at ON 1 = 1";
  constexpr size_t kHash = 14;
  static_assert(std::count(kCardColumns.begin(), kCardColumns.end(), ',') + 1 == kHash);
  constexpr size_t kThrottle = kHash + 1;
  constexpr size_t kAttempts = kThrottle + 4;
  ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row, tx.QueryOne(kSql, {client_key, serial, serial}));
  CredentialState state;
  if (!row) return state;
  if (!row->IsNull(0)) {
    ANXIN_ASSIGN_OR_RETURN(Card card, CardFromRow(*row));
    state.card = std::move(card);
    state.password_hash = row->Text(kHash);
  }
  if (!row->IsNull(kThrottle)) {
    state.throttle =
        ClientThrottle{row->Int(kThrottle + 1), row->Int(kThrottle + 2), row->Int(kThrottle + 3)};
  }
  if (!row->IsNull(kAttempts)) {
    state.attempts = CardAttempts{row->Int(kAttempts), row->Int(kAttempts + 1), row->Int(kAttempts + 2)};
  }
  return state;
}

Result<std::optional<std::string>> SqlCardActivationStore::FindPasswordHash(storage::Tx& tx,
                                                                            const std::string& serial) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row,
                         tx.QueryOne("SELECT password_hash FROM cards WHERE serial = ?", {serial}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->Text(0));
}

Result<std::optional<ClientThrottle>> SqlCardActivationStore::FindThrottle(storage::Tx& tx,
                                                                           const std::string& client_key) {
  ANXIN_ASSIGN_OR_RETURN(
      std::optional<Row> row,
      tx.QueryOne(
          "SELECT failures, window_start, blocked_until FROM card_activation_throttle WHERE client_key = ?",
          {client_key}));
  if (!row) return std::optional<ClientThrottle>();
  return std::optional<ClientThrottle>(ClientThrottle{row->Int(0), row->Int(1), row->Int(2)});
}

Result<ClientThrottle> SqlCardActivationStore::LockThrottle(storage::Tx& tx, const std::string& client_key) {
  // The no-op update of an existing row takes its row lock on PostgreSQL and returns the newest
  // committed values; SQLite has one writer anyway.
  ANXIN_ASSIGN_OR_RETURN(
      std::optional<Row> row,
      tx.QueryOne("INSERT INTO card_activation_throttle (client_key, failures, window_start, blocked_until) "
                  "VALUES (?, 0, 0, 0) ON CONFLICT (client_key) DO UPDATE SET failures = "
                  "card_activation_throttle.failures RETURNING failures, window_start, blocked_until",
                  {client_key}));
  if (!row) return Status::Internal("cards: throttle upsert returned no row");
  return ClientThrottle{row->Int(0), row->Int(1), row->Int(2)};
}

Status SqlCardActivationStore::SaveThrottle(storage::Tx& tx, const std::string& client_key,
                                            const ClientThrottle& throttle) {
  ANXIN_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec("UPDATE card_activation_throttle SET failures = ?, window_start = ?, blocked_until = ? "
              "WHERE client_key = ?",
              {throttle.failures, throttle.window_start, throttle.blocked_until, client_key}));
  if (changed != 1) return Status::Internal("cards: throttle row to save is missing");
  return Status::Ok();
}

Result<CardAttempts> SqlCardActivationStore::FindAttempts(storage::Tx& tx, const std::string& serial) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row,
                         tx.QueryOne("SELECT failed_attempts, locked_until, last_failed_at FROM "
                                     "card_activation_attempts WHERE serial = ?",
                                     {serial}));
  if (!row) return CardAttempts{};
  return CardAttempts{row->Int(0), row->Int(1), row->Int(2)};
}

Result<CardAttempts> SqlCardActivationStore::LockAttempts(storage::Tx& tx, const std::string& serial) {
  // As LockThrottle: the no-op update of an existing row takes its row lock on PostgreSQL.
  ANXIN_ASSIGN_OR_RETURN(
      std::optional<Row> row,
      tx.QueryOne(
          "INSERT INTO card_activation_attempts (serial, failed_attempts, locked_until, last_failed_at) "
          "VALUES (?, 0, 0, 0) ON CONFLICT (serial) DO UPDATE SET failed_attempts = "
          "card_activation_attempts.failed_attempts RETURNING failed_attempts, locked_until, "
          "last_failed_at",
          {serial}));
  if (!row) return Status::Internal("cards: attempts upsert returned no row");
  return CardAttempts{row->Int(0), row->Int(1), row->Int(2)};
}

Status SqlCardActivationStore::SaveAttempts(storage::Tx& tx, const std::string& serial,
                                            const CardAttempts& attempts) {
  ANXIN_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec("UPDATE card_activation_attempts SET failed_attempts = ?, locked_until = ?, "
              "last_failed_at = ? WHERE serial = ?",
              {attempts.failed_attempts, attempts.locked_until, attempts.last_failed_at, serial}));
  if (changed != 1) return Status::Internal("cards: attempts row to save is missing");
  return Status::Ok();
}

Status SqlCardActivationStore::ClearAttempts(storage::Tx& tx, const std::string& serial) {
  return tx.Exec("DELETE FROM card_activation_attempts WHERE serial = ?", {serial}).status();
}

Result<int64_t> SqlCardActivationStore::PurgeAttempts(storage::Tx& tx, int64_t now_ms,
                                                      int64_t idle_before_ms) {
  return tx.Exec("DELETE FROM card_activation_attempts WHERE locked_until <= ? AND last_failed_at < ?",
                 {now_ms, idle_before_ms});
}

Result<storage::AheadQuery> SqlCardActivationStore::ActivateAhead(
    storage::Tx& tx, const std::string& serial, const std::string& password_hash, CardStatus from,
    CardStatus to, const std::string& holder_org_id, const std::string& holder_org_path,
    const std::optional<std::string>& policy_id, int64_t now_ms) {
  storage::Value policy;
  if (policy_id) policy = *policy_id;
  static constexpr const char* kMove =
      "UPDATE cards SET status = ?, policy_id = ?, updated_at = ? "
      "WHERE serial = ? AND status = ? AND password_hash = ? AND holder_org_id = ? AND holder_org_path = ? "
      "AND policy_id IS NULL AND valid_until >= ? AND NOT EXISTS (SELECT 1 FROM card_activation_attempts a "
      "WHERE a.serial = ? AND a.locked_until > ?) RETURNING serial";
  const std::vector<storage::Value> params = {std::string(CardStatusName(to)),
                                              policy,
                                              now_ms,
                                              serial,
                                              std::string(CardStatusName(from)),
                                              password_hash,
                                              holder_org_id,
                                              holder_org_path,
                                              now_ms,
                                              serial,
                                              now_ms};
  if (tx.dialect() == storage::Dialect::kPostgres) {
    // One statement: the move and, when it happened, the end of the number's run of failures.
    return storage::QueryAhead(tx,
                               std::string("WITH moved AS (") + kMove +
                                   "), cleared AS (DELETE FROM card_activation_attempts WHERE serial IN "
                                   "(SELECT serial FROM moved)) SELECT serial FROM moved",
                               params);
  }
  return storage::QueryAhead(tx, kMove, params);
}

Result<bool> SqlCardActivationStore::TakeActivated(storage::Tx& tx, const std::string& serial,
                                                   const storage::AheadQuery& move) {
  ANXIN_ASSIGN_OR_RETURN(std::vector<Row> moved, storage::TakeAhead(tx, move));
  if (moved.size() != 1) return false;
  if (tx.dialect() == storage::Dialect::kSqlite) ANXIN_RETURN_IF_ERROR(ClearAttempts(tx, serial));
  return true;
}

Result<bool> SqlCardActivationStore::SetPolicyId(storage::Tx& tx, const std::string& serial,
                                                 const std::string& policy_id) {
  ANXIN_ASSIGN_OR_RETURN(int64_t changed,
                         tx.Exec("UPDATE cards SET policy_id = ? WHERE serial = ? AND status = 'activated' "
                                 "AND policy_id IS NULL",
                                 {policy_id, serial}));
  return changed == 1;
}

Result<bool> SqlCardActivationStore::InsertSmsMessage(storage::Tx& tx, const SmsInboundRecord& record) {
  storage::Value policy_id;
  if (record.policy_id) policy_id = *record.policy_id;
  ANXIN_ASSIGN_OR_RETURN(int64_t inserted,
                         tx.Exec("INSERT INTO sms_inbound (message_id, from_hash, received_at, result_code, "
                                 "policy_id, processed_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING",
                                 {record.message_id, record.from_hash, record.received_at, record.result_code,
                                  policy_id, record.processed_at}));
  return inserted == 1;
}

Result<std::optional<SmsInboundRecord>> SqlCardActivationStore::FindSmsMessage(
    storage::Tx& tx, const std::string& message_id) {
  ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row,
                         tx.QueryOne("SELECT message_id, from_hash, received_at, result_code, policy_id, "
                                     "processed_at FROM sms_inbound WHERE message_id = ?",
                                     {message_id}));
  if (!row) return std::optional<SmsInboundRecord>();
  return std::optional<SmsInboundRecord>(
      SmsInboundRecord{row->Text(0), row->Text(1), row->Int(2), row->Text(3), row->OptText(4), row->Int(5)});
}

}  // namespace anxin::cards
