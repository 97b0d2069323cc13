// PolicyStore in SQL: one text for SQLite and PostgreSQL, but for the insert of a policy with its
// parties, which PostgreSQL does in one statement (one round trip). Organisations are read through
// identity's Directory.
#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/enum_values.hpp"
#include "policies/policy_store.hpp"
#include "storage/sql_filter.hpp"

namespace anxin::policies {
namespace {

using storage::Row;
using storage::Tx;
using storage::Value;

constexpr const char* kPolicyColumns =
    "p.id, p.policy_no, p.product_code, p.product_version, p.plan_code, p.status, p.premium_fen, "
    "p.start_date, p.end_date, p.issued_at, p.org_id, p.org_path, p.source, p.card_serial, p.coverages, "
    "p.holder_id_hash, p.insured_id_hash, p.created_at, p.updated_at";

constexpr const char* kPartyColumns =
    "pp.policy_id, pp.seq, pp.role, pp.name_enc, pp.name_masked, pp.id_type, pp.id_number_enc, "
    "pp.id_number_hash, pp.birth_date, pp.sex, pp.phone_enc, pp.phone_hash, pp.relationship, "
    "pp.share_percent";

Value OptValue(const std::optional<std::string>& value) {
  return value ? Value(*value) : Value(std::monostate{});
}

Result<Date> DateColumn(const Row& row, size_t i) {
  Result<Date> date = ParseDate(row.Text(i));
  if (!date.ok()) return Status::Internal("policies: bad date in column " + std::to_string(i));
  return date;
}

Result<StoredPolicy> PolicyFromRow(const Row& row) {
  StoredPolicy p;
  p.id = row.Text(0);
  p.policy_no = row.Text(1);
  p.product_code = row.Text(2);
  p.product_version = static_cast<int>(row.Int(3));
  p.plan_code = row.Text(4);
  ANXIN_ASSIGN_OR_RETURN(p.status, ParseStored(kPolicyStatuses, row.Text(5), "policies: policy status"));
  p.premium = Money::Fen(row.Int(6));
  ANXIN_ASSIGN_OR_RETURN(p.start_date, DateColumn(row, 7));
  ANXIN_ASSIGN_OR_RETURN(p.end_date, DateColumn(row, 8));
  p.issued_at = row.Int(9);
  p.org_id = row.Text(10);
  p.org_path = row.Text(11);
  ANXIN_ASSIGN_OR_RETURN(p.source, ParseStored(kPolicySources, row.Text(12), "policies: policy source"));
  p.card_serial = row.OptText(13);
  p.coverages_json = row.Text(14);
  p.holder_id_hash = row.Text(15);
  p.insured_id_hash = row.Text(16);
  p.created_at = row.Int(17);
  p.updated_at = row.Int(18);
  return p;
}

// Parses a party row; column 0 is the policy id.
Result<StoredParty> PartyFromRow(const Row& row) {
  StoredParty party;
  party.seq = static_cast<int>(row.Int(1));
  ANXIN_ASSIGN_OR_RETURN(party.role, ParseStored(kPartyRoles, row.Text(2), "policies: party role"));
  party.name_enc = row.Text(3);
  party.name_masked = row.Text(4);
  ANXIN_ASSIGN_OR_RETURN(party.id_type, ParseStored(kIdTypes, row.Text(5), "policies: party id type"));
  party.id_number_enc = row.Text(6);
  party.id_number_hash = row.Text(7);
  ANXIN_ASSIGN_OR_RETURN(party.birth_date, DateColumn(row, 8));
  ANXIN_ASSIGN_OR_RETURN(party.sex, ParseStored(kSexes, row.Text(9), "policies: party sex"));
  party.phone_enc = row.OptText(10);
  party.phone_hash = row.OptText(11);
  ANXIN_ASSIGN_OR_RETURN(party.relationship,
                         ParseStored(kRelationships, row.Text(12), "policies: party relationship"));
  party.share_percent = static_cast<int>(row.Int(13));
  return party;
}

class SqlPolicyStore final : public PolicyStore {
 public:
  explicit SqlPolicyStore(const identity::Directory& directory) : directory_(directory) {}

  Result<bool> Insert(Tx& tx, const StoredPolicy& p) override {
    static constexpr const char* kInsertPolicy =
        "INSERT INTO policies (id, policy_no, product_code, product_version, plan_code, status, premium_fen, "
        "start_date, end_date, issued_at, org_id, org_path, source, card_serial, coverages, holder_id_hash, "
        "insured_id_hash, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING "
        "id";
    static constexpr const char* kInsertParties =
        "INSERT INTO policy_parties (policy_id, seq, role, name_enc, name_masked, id_type, id_number_enc, "
        "id_number_hash, birth_date, sex, phone_enc, phone_hash, relationship, share_percent) ";
    std::vector<Value> params = {p.id,
                                 p.policy_no,
                                 p.product_code,
                                 static_cast<int64_t>(p.product_version),
                                 p.plan_code,
                                 std::string(PolicyStatusName(p.status)),
                                 p.premium.fen,
                                 FormatDate(p.start_date),
                                 FormatDate(p.end_date),
                                 p.issued_at,
                                 p.org_id,
                                 p.org_path,
                                 std::string(kPolicySources.Name(p.source)),
                                 OptValue(p.card_serial),
                                 p.coverages_json,
                                 p.holder_id_hash,
                                 p.insured_id_hash,
                                 p.created_at,
                                 p.updated_at};
    const size_t policy_params = params.size();
    // The parties' rows, without their policy id (which the statement adds).
    std::string rows;
    for (size_t i = 0; i < p.parties.size(); ++i) {
      const StoredParty& party = p.parties[i];
      rows +=
          i == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
      params.insert(
          params.end(),
          {static_cast<int64_t>(party.seq), std::string(PartyRoleName(party.role)), party.name_enc,
           party.name_masked, std::string(kIdTypes.Name(party.id_type)), party.id_number_enc,
           party.id_number_hash, FormatDate(party.birth_date), std::string(kSexes.Name(party.sex)),
           OptValue(party.phone_enc), OptValue(party.phone_hash),
           std::string(kRelationships.Name(party.relationship)), static_cast<int64_t>(party.share_percent)});
    }
    if (tx.dialect() == storage::Dialect::kPostgres && !p.parties.empty()) {
      // One round trip: the policy, then its parties from the row it inserted (none if skipped).
      ANXIN_ASSIGN_OR_RETURN(
          std::vector<Row> inserted,
          tx.Query(
              std::string("WITH p AS (") + kInsertPolicy + "), pp AS (" + kInsertParties +
                  "SELECT p.id, v.* FROM p, (VALUES " + rows +
                  ") AS v (seq, role, name_enc, name_masked, id_type, id_number_enc, id_number_hash, "
                  "birth_date, sex, phone_enc, phone_hash, relationship, share_percent)) SELECT id FROM p",
              params));
      return !inserted.empty();
    }
    ANXIN_ASSIGN_OR_RETURN(std::vector<Row> inserted,
                           tx.Query(kInsertPolicy, std::span<const Value>(params.data(), policy_params)));
    if (inserted.empty()) return false;
    if (p.parties.empty()) return true;
    std::vector<Value> party_params;
    party_params.reserve(p.parties.size() * 14);
    std::string values;
    for (size_t i = 0; i < p.parties.size(); ++i) {
      values += i == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                       : ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
      party_params.emplace_back(p.id);
      auto first = params.begin() + static_cast<std::ptrdiff_t>(policy_params + i * 13);
      party_params.insert(party_params.end(), first, first + 13);
    }
    ANXIN_RETURN_IF_ERROR(tx.Exec(std::string(kInsertParties) + "VALUES " + values, party_params).status());
    return true;
  }

  Result<bool> PolicyNoExists(Tx& tx, const std::string& policy_no) override {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row,
                           tx.QueryOne("SELECT 1 FROM policies WHERE policy_no = ?", {policy_no}));
    return row.has_value();
  }

  Result<std::optional<std::string>> FindIdByCardSerial(Tx& tx, const std::string& card_serial) override {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row,
                           tx.QueryOne("SELECT id FROM policies WHERE card_serial = ?", {card_serial}));
    if (!row) return std::optional<std::string>();
    return std::optional<std::string>(row->Text(0));
  }

  Result<std::optional<std::string>> FindOrgPath(Tx& tx, const std::string& org_id) override {
    return directory_.OrgPath(tx, org_id);
  }

  Result<std::optional<StoredPolicy>> Find(Tx& tx, const std::string& id) override {
    return FindOne(tx, "p.id = ?", id);
  }

  Result<std::optional<StoredPolicy>> FindByNumber(Tx& tx, const std::string& policy_no) override {
    return FindOne(tx, "p.policy_no = ?", policy_no);
  }

  Result<std::vector<StoredPolicy>> List(Tx& tx, const PolicyQuery& query) override {
    // The page of policies, then the parties of exactly those policies: the same conditions,
    // bounded by the page's last id, in one more query.
    std::vector<Value> params;
    const std::string where = Where(query, params);
    std::vector<Value> page_params = params;
    page_params.emplace_back(static_cast<int64_t>(query.limit));
    ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows,
                           tx.Query(std::string("SELECT ") + kPolicyColumns + " FROM policies p WHERE " +
                                        where + " ORDER BY p.id LIMIT ?",
                                    page_params));
    std::vector<StoredPolicy> policies;
    policies.reserve(rows.size());
    for (const Row& row : rows) {
      ANXIN_ASSIGN_OR_RETURN(StoredPolicy policy, PolicyFromRow(row));
      policies.push_back(std::move(policy));
    }
    if (policies.empty()) return policies;
    params.emplace_back(policies.back().id);
    ANXIN_ASSIGN_OR_RETURN(
        std::vector<Row> party_rows,
        tx.Query(std::string("SELECT ") + kPartyColumns +
                     " FROM policy_parties pp JOIN policies p ON p.id = pp.policy_id WHERE " + where +
                     " AND p.id <= ? ORDER BY pp.policy_id, pp.seq",
                 params));
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < policies.size(); ++i) index.emplace(policies[i].id, i);
    for (const Row& row : party_rows) {
      auto it = index.find(row.Text(0));
      if (it == index.end()) return Status::Internal("policies: party of unexpected policy " + row.Text(0));
      ANXIN_ASSIGN_OR_RETURN(StoredParty party, PartyFromRow(row));
      policies[it->second].parties.push_back(std::move(party));
    }
    return policies;
  }

 private:
  static std::string Where(const PolicyQuery& query, std::vector<Value>& params) {
    storage::SqlFilter filter;
    filter.Where("p.id > ?", {query.after_id})
        .InScope("p.org_path", query.scope)
        .Equals("p.product_code", query.product_code)
        .Equals("p.card_serial", query.card_serial);
    if (query.status) filter.Where("p.status = ?", {std::string(PolicyStatusName(*query.status))});
    if (query.issued_from_ms) filter.Where("p.issued_at >= ?", {*query.issued_from_ms});
    if (query.issued_to_ms) filter.Where("p.issued_at < ?", {*query.issued_to_ms});
    params = filter.params();
    return filter.WhereSql().substr(std::string_view(" WHERE ").size());
  }

  Result<std::optional<StoredPolicy>> FindOne(Tx& tx, const char* condition, const std::string& key) {
    ANXIN_ASSIGN_OR_RETURN(
        std::optional<Row> row,
        tx.QueryOne(std::string("SELECT ") + kPolicyColumns + " FROM policies p WHERE " + condition, {key}));
    if (!row) return std::optional<StoredPolicy>();
    ANXIN_ASSIGN_OR_RETURN(StoredPolicy policy, PolicyFromRow(*row));
    ANXIN_ASSIGN_OR_RETURN(std::vector<Row> parties,
                           tx.Query(std::string("SELECT ") + kPartyColumns +
                                        " FROM policy_parties pp WHERE pp.policy_id = ? ORDER BY pp.seq",
                                    {policy.id}));
    for (const Row& party_row : parties) {
      ANXIN_ASSIGN_OR_RETURN(StoredParty party, PartyFromRow(party_row));
      policy.parties.push_back(std::move(party));
    }
    return std::optional<StoredPolicy>(std::move(policy));
  }

 private:
  const identity::Directory& directory_;
};

}  // namespace

std::unique_ptr<PolicyStore> NewSqlPolicyStore(const identity::Directory& directory) {
  return std::make_unique<SqlPolicyStore>(directory);
}

}  // namespace anxin::policies
