#include "audit/audit_log.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>

#include "audit/audit_store.hpp"
#include "common/crypto.hpp"

namespace anxin::audit {
namespace {

constexpr int kVerifyPageSize = 500;
constexpr size_t kMaxRequestFieldLength = 128;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool AllDigits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit); }

// RULES.md §5: a resident ID is 17 digits and a check character (digit or X); a mobile number is
// 1[3-9] and nine digits, optionally prefixed by 86.
bool LooksLikeResidentId(std::string_view t) {
  return t.size() == 18 && AllDigits(t.substr(0, 17)) && (IsDigit(t[17]) || t[17] == 'X' || t[17] == 'x');
}
bool LooksLikeMobile(std::string_view t) {
  if (t.size() == 13 && t.substr(0, 2) == "86") t.remove_prefix(2);
  return t.size() == 11 && AllDigits(t) && t[0] == '1' && t[1] >= '3' && t[1] <= '9';
}
bool LooksLikePersonalToken(std::string_view t) { return LooksLikeResidentId(t) || LooksLikeMobile(t); }

// Returns true if `text` holds, as a separate alphanumeric token or once spaces, dashes and '+' are
// dropped, something shaped like a resident ID or mobile number. A cheap guard against programming
// errors, not a data-loss-prevention scanner: ids from NewId() mix letters and digits and never
// match.
bool LooksPersonal(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    if (!IsAsciiAlnum(text[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && IsAsciiAlnum(text[j])) ++j;
    if (LooksLikePersonalToken(text.substr(i, j - i))) return true;
    i = j;
  }
  std::string compact;
  for (char c : text) {
    if (c != ' ' && c != '-' && c != '+') compact.push_back(c);
  }
  return compact.size() != text.size() && LooksLikePersonalToken(compact);
}

// Returns the JSON path of the first string (value or key) in `value` that looks like personal
// data, or nullopt.
std::optional<std::string> FindPersonalData(const nlohmann::json& value, const std::string& path) {
  if (value.is_string()) {
    if (LooksPersonal(value.get_ref<const std::string&>())) return path;
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      std::string item_path = path + "." + key;
      if (LooksPersonal(key)) return item_path;
      if (auto found = FindPersonalData(item, item_path)) return found;
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      if (auto found = FindPersonalData(value[i], path + "[" + std::to_string(i) + "]")) return found;
    }
  }
  return std::nullopt;
}

// Keeps request metadata printable ASCII and bounded: it comes from the client.
std::string Sanitize(std::string_view text) {
  std::string out(text.substr(0, kMaxRequestFieldLength));
  for (char& c : out) {
    if (c < 0x21 || c > 0x7e) c = '?';
  }
  return out;
}

std::string JoinRoles(const std::vector<std::string>& roles) {
  std::string out;
  for (const std::string& role : roles) {
    if (!out.empty()) out += ',';
    out += role;
  }
  return out;
}

void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

VerifyReport Broken(int64_t records, int64_t seq, std::string problem) {
  VerifyReport report;
  report.ok = false;
  report.records = records;
  report.first_broken_seq = seq;
  report.problem = std::move(problem);
  return report;
}

}  // namespace

std::string AuditLog::ComputeHash(const AuditRecord& r) {
  std::string canonical = "anxin.audit.v1;";
  AppendField(canonical, std::to_string(r.seq));
  AppendField(canonical, std::to_string(r.at_ms));
  for (const std::string* field :
       {&r.actor_id, &r.actor_role, &r.actor_org_id, &r.action, &r.object_type, &r.object_id, &r.org_id,
        &r.org_path, &r.summary, &r.result, &r.request_id, &r.client_address, &r.prev_hash}) {
    AppendField(canonical, *field);
  }
  return Sha256Hex(canonical);
}

Status AuditLog::Append(storage::Tx& tx, const Actor& actor, const AuditEntry& entry) const {
  if (entry.action.empty()) return Status::Internal("audit entry without an action");
  if (auto path = FindPersonalData(entry.summary, "summary")) {
    return Status::Internal("audit entry " + entry.action + " carries personal data at " + *path);
  }
  AuditRecord record;
  try {
    record.summary = entry.summary.dump();
  } catch (const nlohmann::json::exception& e) {
    return Status::Internal("audit entry " + entry.action + " has an unserialisable summary: " + e.what());
  }
  if (!entry.org_id.empty()) {
    ANXIN_ASSIGN_OR_RETURN(std::optional<std::string> org_path, store::FindOrgPath(tx, entry.org_id));
    if (!org_path)
      return Status::Internal("audit entry " + entry.action + " names unknown org " + entry.org_id);
    record.org_path = std::move(*org_path);
  }
  if (actor.principal != nullptr) {
    record.actor_id = actor.principal->user_id;
    record.actor_role = JoinRoles(actor.principal->roles);
    record.actor_org_id = actor.principal->org_id;
  } else if (!actor.system_name.empty()) {
    record.actor_id = "system:" + actor.system_name;
  } else {
    record.actor_id = "anonymous";
  }
  record.action = entry.action;
  record.object_type = entry.object_type;
  record.object_id = entry.object_id;
  record.org_id = entry.org_id;
  record.result = entry.result;
  record.request_id = Sanitize(actor.request_id);
  record.client_address = Sanitize(actor.client_address);

  ANXIN_ASSIGN_OR_RETURN(store::ChainHead head, store::LockChainHead(tx));
  record.seq = head.last_seq + 1;
  record.at_ms = clock_.NowMs();
  record.prev_hash = std::move(head.last_hash);
  record.hash = ComputeHash(record);
  ANXIN_RETURN_IF_ERROR(store::InsertRecord(tx, record));
  return store::AdvanceChainHead(tx, record.seq, record.hash);
}

Result<std::vector<AuditRecord>> AuditLog::Query(storage::Database& db, const AuditFilter& filter) const {
  AuditFilter bounded = filter;
  bounded.limit = std::clamp(filter.limit, 1, kMaxQueryLimit);
  bounded.after_seq = std::max<int64_t>(filter.after_seq, 0);
  return db.ReadResult<std::vector<AuditRecord>>(
      [&](storage::Tx& tx) { return store::SelectRecords(tx, bounded); });
}

Result<VerifyReport> AuditLog::Verify(storage::Database& db) const {
  ANXIN_ASSIGN_OR_RETURN(store::ChainState state, db.ReadResult<store::ChainState>([](storage::Tx& tx) {
    return store::ReadChainState(tx);
  }));
  const int64_t head_seq = state.head.last_seq;
  int64_t records = 0;
  int64_t expected_seq = 1;
  std::string prev_hash(kGenesisHash);
  while (expected_seq <= head_seq) {
    ANXIN_ASSIGN_OR_RETURN(std::vector<AuditRecord> page,
                           db.ReadResult<std::vector<AuditRecord>>([&](storage::Tx& tx) {
                             return store::SelectRange(tx, expected_seq - 1, head_seq, kVerifyPageSize);
                           }));
    if (page.empty()) break;
    for (const AuditRecord& record : page) {
      if (record.seq != expected_seq) {
        return Broken(records, expected_seq,
                      "record " + std::to_string(expected_seq) + " is missing (the next stored record is " +
                          std::to_string(record.seq) + ")");
      }
      if (record.prev_hash != prev_hash) {
        return Broken(records, record.seq,
                      "prev_hash does not match the hash of record " + std::to_string(record.seq - 1));
      }
      if (ComputeHash(record) != record.hash) {
        return Broken(records, record.seq, "hash does not match the record's contents (altered)");
      }
      prev_hash = record.hash;
      ++records;
      ++expected_seq;
    }
  }
  if (expected_seq <= head_seq) {
    return Broken(records, expected_seq,
                  "record " + std::to_string(expected_seq) + " is missing (the chain head is at " +
                      std::to_string(head_seq) + ")");
  }
  if (state.head.last_hash != prev_hash) {
    return Broken(records, head_seq,
                  "the chain head's hash does not match record " + std::to_string(head_seq));
  }
  if (state.max_seq && *state.max_seq > head_seq) {
    return Broken(
        records, head_seq + 1,
        "record " + std::to_string(head_seq + 1) + " lies beyond the chain head (inserted outside Append)");
  }
  VerifyReport report;
  report.records = records;
  return report;
}

}  // namespace anxin::audit
