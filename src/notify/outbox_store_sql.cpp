#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "common/enum_values.hpp"
#include "common/validation.hpp"
#include "notify/outbox_store.hpp"
#include "storage/deferred.hpp"
#include "storage/sql_filter.hpp"

namespace anxin::notify {
namespace {

constexpr size_t kMaxTemplateCodeLength = 64;
constexpr size_t kMaxRefLength = 128;
// Messages marked sent per statement (each count is its own prepared statement).
constexpr size_t kMaxDeliveriesPerStatement = 25;

bool IsTemplateCodeChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

void CheckRef(const std::string& value, const char* field, std::vector<FieldError>& errors) {
  if (!IsValidUtf8(value)) {
    errors.push_back({field, "invalid_format", {"包含无效字符", "contains invalid characters"}});
  } else if (Utf8Length(value) > kMaxRefLength) {
    errors.push_back({field, "too_long", {"不能超过 128 个字符", "must be at most 128 characters"}});
  }
}

ClaimedMessage ClaimedFromRow(const storage::Row& row) {
  return ClaimedMessage{.id = row.Text(0),
                        .channel = row.Text(1),
                        .recipient_enc = row.Text(2),
                        .recipient_masked = row.Text(3),
                        .template_code = row.Text(4),
                        .text_enc = row.Text(5),
                        .attempts = row.Int(6)};
}

Result<MessageStatus> StatusFromColumn(const std::string& text) {
  return ParseStored(kMessageStatuses, text, "notify: message status");
}

Result<OutboxRefType> RefTypeFromColumn(const std::string& text) {
  return ParseStored(kOutboxRefTypes, text, "notify: message ref type");
}

}  // namespace

Result<PreparedMessage> SqlOutbox::Prepare(const OutboundMessage& message) const {
  std::vector<FieldError> errors;
  if (message.channel != "sms") {
    errors.push_back(
        {"channel", "unsupported", {"仅支持短信渠道（sms）", "only the sms channel is supported"}});
  }
  Result<std::string> phone = NormalizeMobile(message.recipient, "recipient");
  if (!phone.ok()) {
    const std::vector<FieldError>& fields = phone.status().fields();
    errors.insert(errors.end(), fields.begin(), fields.end());
  }
  if (message.text.empty()) {
    errors.push_back({"text", "required", {"短信内容不能为空", "the text is required"}});
  } else if (!IsValidUtf8(message.text)) {
    errors.push_back({"text", "invalid_format", {"短信内容包含无效字符", "the text is not valid UTF-8"}});
  } else if (Utf8Length(message.text) > kMaxMessageTextLength) {
    errors.push_back(
        {"text", "too_long", {"短信内容不能超过 500 个字", "the text must be at most 500 characters"}});
  }
  if (message.template_code.empty()) {
    errors.push_back({"template_code", "required", {"缺少模板代码", "the template code is required"}});
  } else if (message.template_code.size() > kMaxTemplateCodeLength ||
             !std::all_of(message.template_code.begin(), message.template_code.end(), IsTemplateCodeChar)) {
    errors.push_back({"template_code",
                      "invalid_format",
                      {"模板代码只能包含小写字母、数字、下划线、点和连字符，最多 64 个字符",
                       "the template code must be at most 64 of a-z, 0-9, '_', '.', '-'"}});
  }
  CheckRef(message.ref_id, "ref_id", errors);
  if (!errors.empty()) return Status::Invalid(std::move(errors));

  const int64_t now = clock_.NowMs();
  PreparedMessage prepared;
  prepared.id = NewId(now);
  prepared.channel = message.channel;
  prepared.recipient_enc = keys_.Seal(*phone);
  prepared.recipient_hash = keys_.LookupHash("phone", *phone);
  prepared.recipient_masked = MaskPhone(*phone);
  prepared.template_code = message.template_code;
  prepared.text_enc = keys_.Seal(message.text);
  prepared.ref_type = message.ref_type;
  prepared.ref_id = message.ref_id;
  prepared.org_path = message.org_path;
  prepared.created_at = now;
  return prepared;
}

Result<std::string> SqlOutbox::Enqueue(storage::Tx& tx, const OutboundMessage& message) const {
  ANXIN_ASSIGN_OR_RETURN(PreparedMessage prepared, Prepare(message));
  return Enqueue(tx, prepared);
}

Result<std::string> SqlOutbox::Enqueue(storage::Tx& tx, const PreparedMessage& m) const {
  // Deferred (storage::ExecDeferred): on PostgreSQL it goes with the next statement or the COMMIT.
  ANXIN_RETURN_IF_ERROR(storage::ExecDeferred(
      tx,
      "INSERT INTO outbox_messages (id, channel, recipient_enc, recipient_hash, recipient_masked, "
      "template_code, text_enc, ref_type, ref_id, org_path, status, attempts, next_attempt_at, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
      {m.id, m.channel, m.recipient_enc, m.recipient_hash, m.recipient_masked, m.template_code, m.text_enc,
       std::string(kOutboxRefTypes.Name(m.ref_type)), m.ref_id, m.org_path, m.created_at, m.created_at}));
  return m.id;
}

Result<std::vector<ClaimedMessage>> OutboxStore::ClaimDue(storage::Tx& tx, int64_t now_ms,
                                                          int64_t lease_until_ms, int limit) {
  // A claim writes only unindexed columns (claimed_until, attempts), so PostgreSQL can update the
  // row in place (migration 0020); next_attempt_at stays as it was.
  std::string sql;
  if (tx.dialect() == storage::Dialect::kPostgres) {
    // The CTE runs once (an IN subquery with LIMIT may be re-run by the planner and claim more);
    // SKIP LOCKED passes over rows another claimer holds, and FOR UPDATE re-checks the due
    // condition against the newest version of each row it locks.
    sql =
        "WITH due AS (SELECT id FROM outbox_messages WHERE status = 'pending' AND next_attempt_at <= ? "
        "AND claimed_until <= ? ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED) "
        "UPDATE outbox_messages SET claimed_until = ?, attempts = attempts + 1 FROM due "
        "WHERE outbox_messages.id = due.id RETURNING outbox_messages.id, channel, recipient_enc, "
        "recipient_masked, template_code, text_enc, attempts";
  } else {
    // SQLite has a single writer: the subquery and the update see the same rows.
    sql =
        "WITH due AS (SELECT id FROM outbox_messages WHERE status = 'pending' AND next_attempt_at <= ? "
        "AND claimed_until <= ? ORDER BY next_attempt_at, id LIMIT ?) "
        "UPDATE outbox_messages SET claimed_until = ?, attempts = attempts + 1 "
        "WHERE id IN (SELECT id FROM due) RETURNING id, channel, recipient_enc, recipient_masked, "
        "template_code, text_enc, attempts";
  }
  ANXIN_ASSIGN_OR_RETURN(std::vector<storage::Row> rows,
                         tx.Query(sql, {now_ms, now_ms, static_cast<int64_t>(limit), lease_until_ms}));
  std::vector<ClaimedMessage> claimed;
  claimed.reserve(rows.size());
  for (const storage::Row& row : rows) claimed.push_back(ClaimedFromRow(row));
  std::sort(claimed.begin(), claimed.end(),
            [](const ClaimedMessage& a, const ClaimedMessage& b) { return a.id < b.id; });
  return claimed;
}

Result<std::vector<std::string>> OutboxStore::MarkSent(storage::Tx& tx, std::span<const Delivery> deliveries,
                                                       int64_t sent_at) {
  // One statement for many messages: a busy round has dozens, and each statement is a round trip
  // on PostgreSQL. VALUES columns are column1.. on both backends.
  std::vector<std::string> recorded;
  recorded.reserve(deliveries.size());
  for (size_t first = 0; first < deliveries.size(); first += kMaxDeliveriesPerStatement) {
    const size_t count = std::min(kMaxDeliveriesPerStatement, deliveries.size() - first);
    std::string values;
    std::vector<storage::Value> params;
    params.reserve(1 + 3 * count);
    params.emplace_back(sent_at);
    for (const Delivery& d : deliveries.subspan(first, count)) {
      values += values.empty() ? "(?, ?, ?)" : ", (?, ?, ?)";
      params.emplace_back(d.id);
      params.emplace_back(d.attempts);
      params.emplace_back(d.provider_message_id);
    }
    ANXIN_ASSIGN_OR_RETURN(
        std::vector<storage::Row> rows,
        tx.Query("UPDATE outbox_messages SET status = 'sent', sent_at = ?, provider_message_id = v.column3, "
                 "last_error = NULL FROM (VALUES " +
                     values +
                     ") AS v WHERE outbox_messages.id = v.column1 AND outbox_messages.status = 'pending' "
                     "AND outbox_messages.attempts = v.column2 RETURNING outbox_messages.id",
                 params));
    for (const storage::Row& row : rows) recorded.push_back(row.Text(0));
  }
  return recorded;
}

Result<bool> OutboxStore::MarkRetry(storage::Tx& tx, const std::string& id, int64_t attempts,
                                    int64_t next_attempt_at, const std::string& error) {
  ANXIN_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec("UPDATE outbox_messages SET next_attempt_at = ?, claimed_until = 0, last_error = ? "
              "WHERE id = ? AND status = 'pending' AND attempts = ?",
              {next_attempt_at, error, id, attempts}));
  return changed == 1;
}

Result<bool> OutboxStore::MarkFailed(storage::Tx& tx, const std::string& id, int64_t attempts,
                                     const std::string& error) {
  ANXIN_ASSIGN_OR_RETURN(int64_t changed,
                         tx.Exec("UPDATE outbox_messages SET status = 'failed', last_error = ? "
                                 "WHERE id = ? AND status = 'pending' AND attempts = ?",
                                 {error, id, attempts}));
  return changed == 1;
}

Result<bool> OutboxStore::Release(storage::Tx& tx, const std::string& id, int64_t attempts) {
  ANXIN_ASSIGN_OR_RETURN(int64_t changed,
                         tx.Exec("UPDATE outbox_messages SET claimed_until = 0, attempts = attempts - 1 "
                                 "WHERE id = ? AND status = 'pending' AND attempts = ?",
                                 {id, attempts}));
  return changed == 1;
}

Result<std::vector<OutboxEntry>> OutboxStore::List(storage::Tx& tx, const OutboxFilter& filter) {
  std::optional<std::string> status;
  if (filter.status) status = std::string(MessageStatusName(*filter.status));
  std::optional<std::string> ref_type;
  if (filter.ref_type) ref_type = std::string(kOutboxRefTypes.Name(*filter.ref_type));
  storage::SqlFilter where;
  where.InScope("org_path", filter.scope)
      .Equals("status", status)
      .Equals("ref_type", ref_type)
      .Equals("ref_id", filter.ref_id)
      .Bind(static_cast<int64_t>(filter.limit));
  const std::string sql =
      "SELECT id, channel, recipient_masked, template_code, ref_type, ref_id, status, attempts, "
      "next_attempt_at, created_at, sent_at, last_error, provider_message_id FROM outbox_messages" +
      where.WhereSql() + " ORDER BY id DESC LIMIT ?";  // ids begin with created_at: newest first
  ANXIN_ASSIGN_OR_RETURN(std::vector<storage::Row> rows, tx.Query(sql, where.params()));
  std::vector<OutboxEntry> entries;
  entries.reserve(rows.size());
  for (const storage::Row& row : rows) {
    ANXIN_ASSIGN_OR_RETURN(MessageStatus status, StatusFromColumn(row.Text(6)));
    ANXIN_ASSIGN_OR_RETURN(OutboxRefType ref_type, RefTypeFromColumn(row.Text(4)));
    entries.push_back(OutboxEntry{.id = row.Text(0),
                                  .channel = row.Text(1),
                                  .recipient_masked = row.Text(2),
                                  .template_code = row.Text(3),
                                  .ref_type = ref_type,
                                  .ref_id = row.Text(5),
                                  .status = status,
                                  .attempts = row.Int(7),
                                  .next_attempt_at = row.Int(8),
                                  .created_at = row.Int(9),
                                  .sent_at = row.OptInt(10),
                                  .last_error = row.OptText(11),
                                  .provider_message_id = row.OptText(12)});
  }
  return entries;
}

Result<std::vector<SentText>> OutboxStore::ListTexts(storage::Tx& tx, const OrgScope& scope, int limit) {
  storage::SqlFilter filter;
  filter.InScope("org_path", scope);
  filter.Bind(static_cast<int64_t>(limit));
  ANXIN_ASSIGN_OR_RETURN(
      std::vector<storage::Row> rows,
      tx.Query("SELECT id, recipient_masked, template_code, text_enc, status, created_at, sent_at, ref_type, "
               "ref_id FROM outbox_messages" +
                   filter.WhereSql() + " ORDER BY id DESC LIMIT ?",
               filter.params()));
  std::vector<SentText> out;
  out.reserve(rows.size());
  for (const storage::Row& row : rows) {
    ANXIN_ASSIGN_OR_RETURN(MessageStatus status, StatusFromColumn(row.Text(4)));
    ANXIN_ASSIGN_OR_RETURN(OutboxRefType ref_type, RefTypeFromColumn(row.Text(7)));
    out.push_back(SentText{.id = row.Text(0),
                           .recipient_masked = row.Text(1),
                           .template_code = row.Text(2),
                           .text_enc = row.Text(3),
                           .status = status,
                           .created_at = row.Int(5),
                           .sent_at = row.OptInt(6),
                           .ref_type = ref_type,
                           .ref_id = row.Text(8)});
  }
  return out;
}

}  // namespace anxin::notify
