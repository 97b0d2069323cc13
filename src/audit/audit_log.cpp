#include "audit/audit_log.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "audit/audit_store.hpp"
#include "common/log.hpp"

namespace anxin::audit {
namespace {

constexpr int kVerifyPageSize = 500;
constexpr size_t kMaxRequestFieldLength = 128;
// The org paths an AuditLog keeps in memory before it starts over (a few bytes each).
constexpr size_t kMaxCachedPaths = 10000;
// A run of at least this many digits is masked: a mobile number has 11, a resident ID 17 and a
// check character, a bank card 16-19.
constexpr int kMaskedRunDigits = 11;
constexpr int kKeptDigits = 4;

// --- Masking ------------------------------------------------------------------------------------

struct CodePoint {
  char32_t value = 0;
  size_t length = 1;
};

// Decodes the UTF-8 code point at `i`; an invalid byte decodes as itself with length 1 (it is then
// neither a digit nor a letter, and is copied as it is).
CodePoint DecodeAt(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = byte(i);
  if (b < 0x80) return {b, 1};
  size_t length = 0;
  char32_t value = 0;
  if ((b & 0xE0) == 0xC0) {
    length = 2;
    value = b & 0x1F;
  } else if ((b & 0xF0) == 0xE0) {
    length = 3;
    value = b & 0x0F;
  } else if ((b & 0xF8) == 0xF0) {
    length = 4;
    value = b & 0x07;
  } else {
    return {0xFFFD, 1};
  }
  if (i + length > s.size()) return {0xFFFD, 1};
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {0xFFFD, 1};
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  return {value, length};
}

// ASCII and full-width digits.
bool IsDigitPoint(char32_t c) { return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19); }
bool IsLetterPoint(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xFF21 && c <= 0xFF3A) ||
         (c >= 0xFF41 && c <= 0xFF5A);
}
// A letter or digit: a digit run touching one is part of a word (a policy number, a serial, an id).
bool IsWordPoint(char32_t c) { return IsDigitPoint(c) || IsLetterPoint(c); }
// What people put between digit groups: space, dash, ideographic space, full-width hyphen.
bool IsGroupSeparator(char32_t c) { return c == ' ' || c == '-' || c == 0x3000 || c == 0xFF0D; }
// The check character of a resident ID.
bool IsCheckCharacter(char32_t c) { return c == 'X' || c == 'x' || c == 0xFF38 || c == 0xFF58; }

// A cheap test that `text` cannot hold a run of kMaskedRunDigits digits: fewer ASCII digits and no
// full-width digit (U+FF10-U+FF19 are EF BC 90-99 in UTF-8).
bool CannotHoldDigitRun(std::string_view text) {
  int digits = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '\xEF' && i + 1 < text.size() && text[i + 1] == '\xBC') {
      return false;
    }
  }
  return digits < kMaskedRunDigits;
}

// Walks a JSON value and says whether any string or key would change under MaskPersonalText.
bool NeedsMasking(const nlohmann::json& value) {
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    return !CannotHoldDigitRun(text) && MaskPersonalText(text) != text;
  }
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if ((!CannotHoldDigitRun(key) && MaskPersonalText(key) != key) || NeedsMasking(item)) return true;
    }
    return false;
  }
  if (value.is_array()) return std::any_of(value.begin(), value.end(), NeedsMasking);
  return false;
}

nlohmann::json Masked(const nlohmann::json& value) {
  if (value.is_string()) return MaskPersonalText(value.get_ref<const std::string&>());
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, item] : value.items()) out[MaskPersonalText(key)] = Masked(item);
    return out;
  }
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const nlohmann::json& item : value) out.push_back(Masked(item));
    return out;
  }
  return value;
}

// --- Records ------------------------------------------------------------------------------------

// Keeps request metadata printable ASCII, bounded and free of personal numbers: it comes from the
// client.
std::string CleanRequestField(std::string_view text) {
  std::string out(text.substr(0, kMaxRequestFieldLength));
  for (char& c : out) {
    if (c < 0x21 || c > 0x7e) c = '?';
  }
  return CannotHoldDigitRun(out) ? out : MaskPersonalText(out);
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

void AppendField(std::string& out, int64_t number) { AppendField(out, std::to_string(number)); }

// Version 1 (records from before migration 0015): SHA-256 over every field and prev_hash.
std::string LegacyHash(const AuditRecord& r) {
  std::string canonical = "anxin.audit.v1;";
  AppendField(canonical, r.seq);
  AppendField(canonical, r.at_ms);
  for (const std::string* field :
       {&r.actor_id, &r.actor_role, &r.actor_org_id, &r.action, &r.object_type, &r.object_id, &r.org_id,
        &r.org_path, &r.summary, &r.result, &r.request_id, &r.client_address, &r.prev_hash}) {
    AppendField(canonical, *field);
  }
  return Sha256Hex(canonical);
}

// Version 2, part one: the digest of what the record says, computable before the transaction.
std::string ContentDigest(const AuditRecord& r) {
  std::string canonical = "anxin.audit.v2.content;";
  AppendField(canonical, r.at_ms);
  for (const std::string* field :
       {&r.actor_id, &r.actor_role, &r.actor_org_id, &r.action, &r.object_type, &r.object_id, &r.org_id,
        &r.summary, &r.result, &r.request_id, &r.client_address}) {
    AppendField(canonical, *field);
  }
  return Sha256Hex(canonical);
}

// Version 2, part two: the MAC over the record's place in its chain and its content digest.
std::string SealInput(const AuditRecord& r, std::string_view content_digest) {
  std::string canonical = "anxin.audit.v2;";
  AppendField(canonical, r.chain_id);
  AppendField(canonical, r.chain_seq);
  AppendField(canonical, r.seq);
  AppendField(canonical, r.org_path);
  AppendField(canonical, r.prev_hash);
  AppendField(canonical, content_digest);
  return canonical;
}

std::string Hex(const uint8_t* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0x0F];
  }
  return out;
}

KeyRing TestKeyRing() {
  std::array<uint8_t, 32> key{};
  key.fill(0xA5);
  return KeyRing::FromKey(key);
}

}  // namespace

std::string MaskPersonalText(std::string_view text) {
  if (CannotHoldDigitRun(text)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  bool after_word = false;  // the previous code point is a letter or digit
  size_t i = 0;
  while (i < text.size()) {
    const CodePoint first = DecodeAt(text, i);
    if (!IsDigitPoint(first.value) || after_word) {
      out.append(text.substr(i, first.length));
      after_word = IsWordPoint(first.value);
      i += first.length;
      continue;
    }
    // A run starting at a word boundary: digits, single separators between them, and a check
    // character right after the last digit.
    struct Piece {
      size_t begin, length;
      bool digit;  // a digit or the check character (maskable), else a separator
    };
    std::vector<Piece> pieces;
    int digits = 0;
    size_t end = i;
    while (end < text.size()) {
      const CodePoint c = DecodeAt(text, end);
      if (IsDigitPoint(c.value)) {
        pieces.push_back({end, c.length, true});
        ++digits;
        end += c.length;
        continue;
      }
      if (IsGroupSeparator(c.value) && end + c.length < text.size() &&
          IsDigitPoint(DecodeAt(text, end + c.length).value)) {
        pieces.push_back({end, c.length, false});
        end += c.length;
        continue;
      }
      break;
    }
    if (end < text.size()) {
      const CodePoint check = DecodeAt(text, end);
      if (IsCheckCharacter(check.value)) {
        const size_t after = end + check.length;
        if (after >= text.size() || !IsWordPoint(DecodeAt(text, after).value)) {
          pieces.push_back({end, check.length, true});
          end = after;
        }
      }
    }
    const bool at_boundary = end >= text.size() || !IsWordPoint(DecodeAt(text, end).value);
    if (digits >= kMaskedRunDigits && at_boundary) {
      int maskable = 0;
      for (const Piece& p : pieces) maskable += p.digit ? 1 : 0;
      int seen = 0;
      for (const Piece& p : pieces) {
        if (p.digit && ++seen <= maskable - kKeptDigits) {
          out.push_back('*');
        } else {
          out.append(text.substr(p.begin, p.length));
        }
      }
    } else {
      out.append(text.substr(i, end - i));
    }
    after_word = true;
    i = end;
  }
  return out;
}

AuditLog::AuditLog(const Clock& clock, const KeyRing& keys, const identity::Directory& directory)
    : clock_(clock), keys_(keys), directory_(directory) {}

AuditLog::AuditLog(const Clock& clock)
    : clock_(clock), keys_(TestKeyRing()), directory_(identity::SqlDirectory()) {}

AuditLog::Seal AuditLog::SealOf(const AuditRecord& record, std::string_view content_digest) const {
  const std::array<uint8_t, 64> mac = keys_.AuditMac(SealInput(record, content_digest));
  return Seal{Hex(mac.data(), 32), Hex(mac.data() + 32, 32)};
}

AuditLog::Seal AuditLog::SealOf(const AuditRecord& record) const {
  return SealOf(record, ContentDigest(record));
}

std::string AuditLog::ComputeHash(const AuditRecord& record) const {
  if (record.hash_version == kLegacyHashVersion) return LegacyHash(record);
  return SealOf(record).hash;
}

Result<PreparedAuditEntry> AuditLog::Prepare(const Actor& actor, const AuditEntry& entry) const {
  if (entry.action.empty()) return Status::Internal("audit entry without an action");
  PreparedAuditEntry prepared;
  AuditRecord& record = prepared.record;
  // Free text may reach a summary: personal numbers are masked, never refused, and invalid UTF-8
  // is replaced, so no content can make the append fail.
  const nlohmann::json& summary = entry.summary;
  record.summary = NeedsMasking(summary)
                       ? Masked(summary).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                       : summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
  record.request_id = CleanRequestField(actor.request_id);
  record.client_address = CleanRequestField(actor.client_address);
  record.at_ms = clock_.NowMs();
  record.hash_version = kHashVersion;
  prepared.content_digest = ContentDigest(record);
  return prepared;
}

Status AuditLog::Append(storage::Tx& tx, const PreparedAuditEntry& prepared) const {
  const PreparedAuditEntry* one[] = {&prepared};
  return Append(tx, one);
}

Result<std::vector<std::string>> AuditLog::OrgPaths(
    storage::Tx& tx, std::span<const PreparedAuditEntry* const> entries) const {
  std::vector<std::string> paths(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string& org_id = entries[i]->record.org_id;
    if (org_id.empty()) continue;
    {
      std::lock_guard<std::mutex> lock(path_cache_->mu);
      auto it = path_cache_->paths.find(org_id);
      if (it != path_cache_->paths.end()) {
        paths[i] = it->second;
        continue;
      }
    }
    ANXIN_ASSIGN_OR_RETURN(std::optional<std::string> path, directory_.OrgPath(tx, org_id));
    if (!path) {
      return Status::Internal("audit entry " + entries[i]->record.action + " names unknown org " + org_id);
    }
    paths[i] = *path;
    std::lock_guard<std::mutex> lock(path_cache_->mu);
    if (path_cache_->paths.size() >= kMaxCachedPaths) path_cache_->paths.clear();
    path_cache_->paths.emplace(org_id, std::move(*path));
  }
  return paths;
}

Status AuditLog::Append(storage::Tx& tx, std::span<const PreparedAuditEntry* const> entries) const {
  if (entries.empty()) return Status::Ok();
  ANXIN_ASSIGN_OR_RETURN(ChainAhead ahead, LockAhead(tx, entries.size()));
  return Append(tx, entries, ahead);
}

Result<ChainAhead> AuditLog::LockAhead(storage::Tx& tx, size_t count) const {
  return store::LockChainAhead(tx, count);
}

Status AuditLog::Append(storage::Tx& tx, std::span<const PreparedAuditEntry* const> entries,
                        const ChainAhead& ahead) const {
  if (entries.size() > ahead.count) {
    return Status::Internal("audit: " + std::to_string(entries.size()) + " records for a chain locked for " +
                            std::to_string(ahead.count));
  }
  ANXIN_ASSIGN_OR_RETURN(std::vector<std::string> org_paths, OrgPaths(tx, entries));
  ANXIN_ASSIGN_OR_RETURN(store::LockedChain chain, store::TakeChain(tx, ahead));
  if (entries.empty()) return Status::Ok();
  std::vector<AuditRecord> records;
  records.reserve(entries.size());
  std::string head_tag;
  for (size_t i = 0; i < entries.size(); ++i) {
    const PreparedAuditEntry& prepared = *entries[i];
    AuditRecord& record = records.emplace_back(prepared.record);
    record.seq = chain.next_seqs[i];
    record.chain_id = chain.head.chain_id;
    record.chain_seq = chain.head.last_seq + 1 + static_cast<int64_t>(i);
    record.org_path = std::move(org_paths[i]);
    record.prev_hash = i == 0 ? chain.head.last_hash : records[i - 1].hash;
    record.hash_version = kHashVersion;
    Seal seal = SealOf(record, prepared.content_digest);
    record.hash = std::move(seal.hash);
    head_tag = std::move(seal.head_tag);
  }
  return store::AppendRecords(tx, records, head_tag);
}

Status AuditLog::Append(storage::Tx& tx, const Actor& actor, const AuditEntry& entry) const {
  ANXIN_ASSIGN_OR_RETURN(PreparedAuditEntry prepared, Prepare(actor, entry));
  return Append(tx, prepared);
}

Result<std::vector<AuditRecord>> AuditLog::Query(storage::Database& db, const AuditFilter& filter) const {
  AuditFilter bounded = filter;
  bounded.limit = std::clamp(filter.limit, 1, kMaxQueryLimit);
  bounded.after_seq = std::max<int64_t>(filter.after_seq, 0);
  return db.ReadResult<std::vector<AuditRecord>>(
      [&](storage::Tx& tx) { return store::SelectRecords(tx, bounded); });
}

Result<std::vector<AuditRecord>> AuditLog::List(storage::Database& db, const Actor& actor,
                                                AuditFilter filter) const {
  ANXIN_RETURN_IF_ERROR(RequireStaff(actor, kPermAuditRead));
  filter.scope = ScopeWithCompanyLevel(actor);
  if (filter.actor_login) {
    // The records of the staff member with this login: their id, which must agree with an
    // actor_id asked for as well. Nobody has the login, or the two disagree: no record matches.
    std::optional<identity::StaffMember> staff;
    ANXIN_RETURN_IF_ERROR(db.Read([&](storage::Tx& tx) -> Status {
      ANXIN_ASSIGN_OR_RETURN(staff, directory_.FindStaffByLogin(tx, *filter.actor_login));
      return Status::Ok();
    }));
    if (!staff || (filter.actor_id && *filter.actor_id != staff->id)) return std::vector<AuditRecord>();
    filter.actor_id = staff->id;
  }
  return Query(db, filter);
}

Result<AuditNames> AuditLog::NamesOf(storage::Database& db, std::span<const AuditRecord> records) const {
  std::vector<std::string> actors, orgs;
  for (const AuditRecord& record : records) {
    const bool person = !record.actor_id.empty() && record.actor_id != kAnonymousActorId &&
                        !std::string_view(record.actor_id).starts_with(kSystemActorPrefix);
    if (person) actors.push_back(record.actor_id);
    if (!record.org_id.empty()) orgs.push_back(record.org_id);
    if (!record.actor_org_id.empty()) orgs.push_back(record.actor_org_id);
  }
  if (actors.empty() && orgs.empty()) return AuditNames{};
  return db.ReadResult<AuditNames>([&](storage::Tx& tx) -> Result<AuditNames> {
    AuditNames names;
    ANXIN_ASSIGN_OR_RETURN(names.staff, directory_.StaffByIds(tx, actors));
    ANXIN_ASSIGN_OR_RETURN(names.orgs, directory_.OrgsByIds(tx, orgs));
    return names;
  });
}

Result<std::vector<ChainHead>> AuditLog::Checkpoint(storage::Database& db) const {
  ANXIN_ASSIGN_OR_RETURN(
      std::vector<store::StoredHead> stored,
      db.ReadResult<std::vector<store::StoredHead>>([](storage::Tx& tx) { return store::SelectHeads(tx); }));
  std::vector<ChainHead> heads;
  heads.reserve(stored.size());
  for (store::StoredHead& s : stored) heads.push_back(std::move(s.head));
  return heads;
}

void AuditLog::LogCheckpoint(const std::vector<ChainHead>& heads) {
  nlohmann::json chains = nlohmann::json::array();
  for (const ChainHead& head : heads) {
    chains.push_back({{"chain", head.chain_id}, {"seq", head.last_seq}, {"hash", head.last_hash}});
  }
  LogEvent(spdlog::level::info, "audit_checkpoint", {{"chains", std::move(chains)}});
}

Status AuditLog::SealLegacyChain(storage::Database& db) const {
  return db.Write([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(std::optional<store::StoredHead> head, store::LockChainById(tx, 1));
    // A head without a MAC that is not empty: chain 1 ends with a record from before migration 0015.
    if (!head || head->head.last_seq == 0 || !head->head_mac.empty()) return Status::Ok();
    // Chain 1, held by this transaction and the lowest chain id, is the one LockChain returns.
    return Append(tx, Actor::System("audit"),
                  {"audit.legacy_sealed",
                   "audit_chain",
                   "1",
                   "",
                   {{"legacy_records", head->head.last_seq}, {"legacy_head_hash", head->head.last_hash}}});
  });
}

Result<VerifyReport> AuditLog::Verify(storage::Database& db, std::span<const ChainHead> checkpoints) const {
  // What one snapshot says: the heads, and whatever lies beyond or outside them.
  struct Outsider {
    int64_t chain_id;
    int64_t seq;
    bool headless;
  };
  struct Snapshot {
    std::vector<store::StoredHead> heads;
    std::vector<Outsider> outsiders;
    int64_t max_seq = 0;
  };
  ANXIN_ASSIGN_OR_RETURN(Snapshot snapshot, db.ReadResult<Snapshot>([](storage::Tx& tx) -> Result<Snapshot> {
    Snapshot s;
    ANXIN_ASSIGN_OR_RETURN(s.heads, store::SelectHeads(tx));
    ANXIN_ASSIGN_OR_RETURN(std::vector<store::ChainExtent> extents, store::SelectExtents(tx));
    ANXIN_ASSIGN_OR_RETURN(s.max_seq, store::MaxSeq(tx));
    for (const store::ChainExtent& extent : extents) {
      auto head = std::find_if(s.heads.begin(), s.heads.end(), [&](const store::StoredHead& h) {
        return h.head.chain_id == extent.chain_id;
      });
      if (head == s.heads.end()) {
        s.outsiders.push_back({extent.chain_id, extent.min_seq, true});
      } else if (extent.max_chain_seq > head->head.last_seq) {
        ANXIN_ASSIGN_OR_RETURN(std::optional<int64_t> seq,
                               store::FirstSeqPast(tx, extent.chain_id, head->head.last_seq));
        s.outsiders.push_back({extent.chain_id, seq.value_or(0), false});
      }
    }
    return s;
  }));

  struct ChainState {
    store::StoredHead stored;
    int64_t next = 1;
    std::string prev_hash{kGenesisHash};
    int64_t last_version = 0;
    bool keyed_seen = false;
    std::string head_tag;  // of the record at the head, when keyed
  };
  std::map<int64_t, ChainState> chains;
  VerifyReport report;
  for (const store::StoredHead& head : snapshot.heads) {
    chains[head.head.chain_id].stored = head;
    report.heads.push_back(head.head);
  }
  // The hashes found at the positions the checkpoints name.
  std::map<std::pair<int64_t, int64_t>, std::string> at_checkpoint;
  for (const ChainHead& cp : checkpoints) at_checkpoint[{cp.chain_id, cp.last_seq}] = "";

  auto broken = [&](int64_t chain_id, std::optional<int64_t> chain_seq, std::optional<int64_t> seq,
                    std::string problem) {
    report.ok = false;
    report.broken_chain_id = chain_id;
    report.broken_chain_seq = chain_seq;
    report.first_broken_seq = seq;
    report.problem = "chain " + std::to_string(chain_id) + ": " + std::move(problem);
    return report;
  };
  auto position = [](int64_t chain_seq) { return "record " + std::to_string(chain_seq); };

  int64_t after_seq = 0;
  while (after_seq < snapshot.max_seq) {
    ANXIN_ASSIGN_OR_RETURN(std::vector<AuditRecord> page,
                           db.ReadResult<std::vector<AuditRecord>>([&](storage::Tx& tx) {
                             return store::SelectRange(tx, after_seq, snapshot.max_seq, kVerifyPageSize);
                           }));
    if (page.empty()) break;
    for (const AuditRecord& r : page) {
      after_seq = r.seq;
      auto it = chains.find(r.chain_id);
      // Appended after the snapshot (a new chain, or past its head then), or outside every chain
      // (reported below from the snapshot).
      if (it == chains.end() || r.chain_seq > it->second.stored.head.last_seq) continue;
      ChainState& chain = it->second;
      if (r.chain_seq < chain.next) {
        return broken(r.chain_id, r.chain_seq, r.seq, position(r.chain_seq) + " appears twice (inserted)");
      }
      if (r.chain_seq > chain.next) {
        return broken(r.chain_id, chain.next, r.seq,
                      position(chain.next) + " is missing (the next stored record is " +
                          std::to_string(r.chain_seq) + ")");
      }
      if (r.prev_hash != chain.prev_hash) {
        return broken(r.chain_id, r.chain_seq, r.seq,
                      "prev_hash of " + position(r.chain_seq) + " does not match the hash of record " +
                          std::to_string(r.chain_seq - 1));
      }
      if (r.hash_version == kLegacyHashVersion) {
        if (r.chain_id != 1 || chain.keyed_seen || r.chain_seq != r.seq) {
          return broken(r.chain_id, r.chain_seq, r.seq,
                        position(r.chain_seq) +
                            " is unkeyed outside the records written before migration 0015 (downgraded)");
        }
      } else if (r.hash_version == kHashVersion) {
        chain.keyed_seen = true;
      } else {
        return broken(
            r.chain_id, r.chain_seq, r.seq,
            position(r.chain_seq) + " has an unknown hash version " + std::to_string(r.hash_version));
      }
      std::string hash;
      if (r.hash_version == kHashVersion) {
        Seal seal = SealOf(r);
        hash = std::move(seal.hash);
        if (r.chain_seq == chain.stored.head.last_seq) chain.head_tag = std::move(seal.head_tag);
      } else {
        hash = LegacyHash(r);
      }
      if (!ConstantTimeEquals(hash, r.hash)) {
        return broken(r.chain_id, r.chain_seq, r.seq,
                      "the hash of " + position(r.chain_seq) + " does not match its contents (altered)");
      }
      if (auto cp = at_checkpoint.find({r.chain_id, r.chain_seq}); cp != at_checkpoint.end())
        cp->second = r.hash;
      chain.prev_hash = r.hash;
      chain.last_version = r.hash_version;
      ++chain.next;
      ++report.records;
    }
  }

  for (auto& [chain_id, chain] : chains) {
    const ChainHead& head = chain.stored.head;
    if (chain.next <= head.last_seq) {
      return broken(
          chain_id, chain.next, std::nullopt,
          position(chain.next) + " is missing (the chain head is at " + std::to_string(head.last_seq) + ")");
    }
    if (head.last_hash != chain.prev_hash) {
      return broken(chain_id, head.last_seq, std::nullopt,
                    "the chain head's hash does not match " + position(head.last_seq));
    }
  }
  if (!snapshot.outsiders.empty()) {
    const Outsider& outsider = snapshot.outsiders.front();
    return broken(outsider.chain_id, std::nullopt, outsider.seq,
                  outsider.headless ? "records of a chain without a head (inserted outside Append)"
                                    : "a record lies beyond the chain head (inserted outside Append, or the "
                                      "head was moved back)");
  }
  for (auto& [chain_id, chain] : chains) {
    const store::StoredHead& stored = chain.stored;
    if (stored.head_mac.empty()) {
      if (stored.head.last_seq == 0) continue;  // never appended to since migration 0015
      if (chain.last_version == kLegacyHashVersion) {
        return broken(chain_id, stored.head.last_seq, std::nullopt,
                      "ends with records written before migration 0015 that are not sealed yet (start anxin "
                      "once to seal them)");
      }
      return broken(chain_id, stored.head.last_seq, std::nullopt, "the chain head carries no MAC (altered)");
    }
    if (!ConstantTimeEquals(stored.head_mac, chain.head_tag)) {
      return broken(chain_id, stored.head.last_seq, std::nullopt,
                    "the chain head's MAC does not match (altered)");
    }
  }
  for (const ChainHead& cp : checkpoints) {
    auto it = chains.find(cp.chain_id);
    if (it == chains.end())
      return broken(cp.chain_id, std::nullopt, std::nullopt, "named by a checkpoint but missing (deleted)");
    if (it->second.stored.head.last_seq < cp.last_seq) {
      return broken(cp.chain_id, cp.last_seq, std::nullopt,
                    "ends at record " + std::to_string(it->second.stored.head.last_seq) +
                        ", before its checkpoint at " + std::to_string(cp.last_seq) + " (truncated)");
    }
    if (cp.last_seq > 0 && at_checkpoint[{cp.chain_id, cp.last_seq}] != cp.last_hash) {
      return broken(cp.chain_id, cp.last_seq, std::nullopt,
                    position(cp.last_seq) + " differs from its checkpoint (the chain was rewritten)");
    }
  }
  return report;
}

Result<std::vector<ChainHead>> ReadCheckpoints(std::istream& log) {
  std::map<int64_t, ChainHead> latest;
  std::string line;
  int64_t line_no = 0;
  auto invalid = [&](const std::string& why) {
    return Status(StatusCode::kInvalidArgument, "invalid_checkpoint",
                  {"第 " + std::to_string(line_no) + " 行的审计检查点无效：" + why,
                   "the audit checkpoint on line " + std::to_string(line_no) + " is invalid: " + why});
  };
  while (std::getline(log, line)) {
    ++line_no;
    if (line.find("audit_checkpoint") == std::string::npos) continue;
    const nlohmann::json event = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!event.is_object()) continue;
    const auto name = event.find("event");
    if (name == event.end() || !name->is_string() ||
        name->get_ref<const std::string&>() != "audit_checkpoint") {
      continue;
    }
    const auto chains = event.find("chains");
    if (chains == event.end() || !chains->is_array()) return invalid("no chains");
    for (const nlohmann::json& chain : *chains) {
      if (!chain.is_object() || !chain.contains("chain") || !chain["chain"].is_number_integer() ||
          !chain.contains("seq") || !chain["seq"].is_number_integer() || !chain.contains("hash") ||
          !chain["hash"].is_string() ||
          chain["hash"].get_ref<const std::string&>().size() != kGenesisHash.size()) {
        return invalid("a chain needs an integer chain and seq and a 64-digit hash");
      }
      ChainHead head{chain["chain"].get<int64_t>(), chain["seq"].get<int64_t>(),
                     chain["hash"].get<std::string>()};
      auto [it, inserted] = latest.emplace(head.chain_id, head);
      if (!inserted && head.last_seq > it->second.last_seq) it->second = std::move(head);
    }
  }
  std::vector<ChainHead> out;
  out.reserve(latest.size());
  for (auto& [chain_id, head] : latest) out.push_back(std::move(head));
  return out;
}

}  // namespace anxin::audit
