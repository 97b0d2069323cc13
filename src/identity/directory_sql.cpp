// The Directory port over identity's tables. One text per statement serves SQLite and PostgreSQL.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "identity/directory.hpp"
#include "identity/identity_sql_rows.hpp"

namespace anxin::identity {
namespace {

using sql::kOrgColumns;
using sql::OrgFromRow;
using sql::Sql;
using storage::Row;
using storage::Tx;
using storage::Value;

// Look-ups by a list of ids bind this many parameters per statement (the last batch repeats its
// first id), so each look-up has one statement text for the statement cache.
constexpr size_t kBatch = 32;

std::string Placeholders(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

// Runs `sql_prefix` + "(?, ..., ?)" over the distinct `ids` in batches, binding `leading` before
// each batch's ids, and hands every row to `on_row`.
template <typename OnRow>
Status RowsByIds(Tx& tx, std::string_view sql_prefix, const std::vector<Value>& leading,
                 const std::vector<std::string>& ids, OnRow on_row) {
  std::vector<std::string> unique = ids;
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  const std::string sql = Sql({sql_prefix, "(", Placeholders(kBatch), ")"});
  for (size_t start = 0; start < unique.size(); start += kBatch) {
    std::vector<Value> params = leading;
    params.reserve(leading.size() + kBatch);
    for (size_t i = 0; i < kBatch; ++i) {
      const size_t at = start + i < unique.size() ? start + i : start;
      params.emplace_back(unique[at]);
    }
    ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(sql, params));
    for (const Row& row : rows) ANXIN_RETURN_IF_ERROR(on_row(row));
  }
  return Status::Ok();
}

// Maps column 0 to column 1 of `sql_prefix` + "(?, ..., ?)" over `ids`.
Result<std::map<std::string, std::string>> NamesByIds(Tx& tx, std::string_view sql_prefix,
                                                      const std::vector<std::string>& ids) {
  std::map<std::string, std::string> out;
  ANXIN_RETURN_IF_ERROR(RowsByIds(tx, sql_prefix, {}, ids, [&](const Row& row) -> Status {
    out[row.Text(0)] = row.Text(1);
    return Status::Ok();
  }));
  return out;
}

Result<std::optional<Org>> OneOrg(Tx& tx, const std::string& sql, std::initializer_list<Value> params) {
  ANXIN_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(sql, params));
  if (rows.empty()) return std::optional<Org>();
  ANXIN_ASSIGN_OR_RETURN(Org org, OrgFromRow(rows[0], 0));
  return std::optional<Org>(std::move(org));
}

constexpr std::string_view kStaffSelect =
    "SELECT u.id, u.login, u.display_name, u.org_id, o.path, u.status FROM users u "
    "JOIN orgs o ON o.id = u.org_id WHERE u.kind = ? AND ";

// Reads a kStaffSelect row. kInternal for a status the table does not know.
Result<StaffMember> StaffFromRow(const Row& row) {
  StaffMember staff;
  staff.id = row.Text(0);
  staff.login = row.Text(1);
  staff.display_name = row.Text(2);
  staff.org_id = row.Text(3);
  staff.org_path = row.Text(4);
  ANXIN_ASSIGN_OR_RETURN(ActiveState status,
                         ParseStored(kActiveStates, row.Text(5), "identity: user status"));
  staff.active = status == ActiveState::kActive;
  return staff;
}

Result<std::optional<StaffMember>> OneStaff(Tx& tx, std::string_view condition, const std::string& value) {
  ANXIN_ASSIGN_OR_RETURN(
      std::optional<Row> row,
      tx.QueryOne(Sql({kStaffSelect, condition}), {std::string(UserKindName(UserKind::kStaff)), value}));
  if (!row) return std::optional<StaffMember>();
  ANXIN_ASSIGN_OR_RETURN(StaffMember staff, StaffFromRow(*row));
  return std::optional<StaffMember>(std::move(staff));
}

class SqlDirectoryImpl final : public Directory {
 public:
  Result<std::optional<Org>> FindOrg(Tx& tx, const std::string& id) const override {
    return OneOrg(tx, Sql({"SELECT ", kOrgColumns, " FROM orgs o WHERE o.id = ?"}), {id});
  }

  Result<std::optional<Org>> FindOrgByCode(Tx& tx, const std::string& code) const override {
    return OneOrg(tx, Sql({"SELECT ", kOrgColumns, " FROM orgs o WHERE o.code = ?"}), {code});
  }

  Result<std::optional<Org>> HeadOffice(Tx& tx) const override {
    return OneOrg(
        tx, Sql({"SELECT ", kOrgColumns, " FROM orgs o WHERE o.level = ? ORDER BY o.created_at LIMIT 1"}),
        {std::string(OrgLevelName(OrgLevel::kHeadOffice))});
  }

  Result<std::optional<std::string>> OrgPath(Tx& tx, const std::string& id) const override {
    ANXIN_ASSIGN_OR_RETURN(std::optional<Row> row, tx.QueryOne("SELECT path FROM orgs WHERE id = ?", {id}));
    if (!row) return std::optional<std::string>();
    return std::optional<std::string>(row->Text(0));
  }

  Result<std::map<std::string, std::string>> OrgNames(Tx& tx,
                                                      const std::vector<std::string>& ids) const override {
    return NamesByIds(tx, "SELECT id, name FROM orgs WHERE id IN ", ids);
  }

  Result<std::map<std::string, Org>> OrgsByIds(Tx& tx, const std::vector<std::string>& ids) const override {
    std::map<std::string, Org> out;
    ANXIN_RETURN_IF_ERROR(RowsByIds(tx, Sql({"SELECT ", kOrgColumns, " FROM orgs o WHERE o.id IN "}), {}, ids,
                                    [&](const Row& row) -> Status {
                                      ANXIN_ASSIGN_OR_RETURN(Org org, OrgFromRow(row, 0));
                                      std::string id = org.id;
                                      out.emplace(std::move(id), std::move(org));
                                      return Status::Ok();
                                    }));
    return out;
  }

  Result<std::optional<StaffMember>> FindStaff(Tx& tx, const std::string& id) const override {
    return OneStaff(tx, "u.id = ?", id);
  }

  Result<std::optional<StaffMember>> FindStaffByLogin(Tx& tx, const std::string& login) const override {
    return OneStaff(tx, "u.login = ?", login);
  }

  Result<bool> HasRole(Tx& tx, const std::string& user_id,
                       const std::vector<std::string>& role_codes) const override {
    for (const std::string& role : role_codes) {
      ANXIN_ASSIGN_OR_RETURN(
          std::optional<Row> row,
          tx.QueryOne("SELECT 1 FROM user_roles WHERE user_id = ? AND role_code = ?", {user_id, role}));
      if (row) return true;
    }
    return false;
  }

  Result<std::map<std::string, std::string>> UserDisplayNames(
      Tx& tx, const std::vector<std::string>& ids) const override {
    return NamesByIds(tx, "SELECT id, display_name FROM users WHERE id IN ", ids);
  }

  Result<std::map<std::string, StaffMember>> StaffByIds(Tx& tx,
                                                        const std::vector<std::string>& ids) const override {
    std::map<std::string, StaffMember> out;
    ANXIN_RETURN_IF_ERROR(RowsByIds(tx, Sql({kStaffSelect, "u.id IN "}),
                                    {std::string(UserKindName(UserKind::kStaff))}, ids,
                                    [&](const Row& row) -> Status {
                                      ANXIN_ASSIGN_OR_RETURN(StaffMember staff, StaffFromRow(row));
                                      std::string id = staff.id;
                                      out.emplace(std::move(id), std::move(staff));
                                      return Status::Ok();
                                    }));
    return out;
  }
};

}  // namespace

const Directory& SqlDirectory() {
  static const SqlDirectoryImpl directory;
  return directory;
}

}  // namespace anxin::identity
