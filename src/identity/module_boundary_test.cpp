// Identity's tables belong to identity (issue 6 §2): no SQL outside src/identity names them;
// other modules read the tree and the staff through the Directory port. This test reads the
// source tree (ANXIN_SOURCE_DIR) and fails on any string literal outside src/identity that names
// an identity table after FROM, JOIN, INTO, UPDATE or TABLE.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "identity/identity.hpp"

namespace anxin::identity {
namespace {

namespace fs = std::filesystem;

fs::path SourceDir() {
  const char* dir = std::getenv("ANXIN_SOURCE_DIR");
  return dir != nullptr ? fs::path(dir) : fs::path();
}

// Returns the string literals of C++ source `text`, adjacent literals joined (as the compiler
// joins them), comments and character literals skipped. Raw strings are read as they are.
std::vector<std::string> StringLiterals(const std::string& text) {
  std::vector<std::string> out;
  bool join = false;  // only whitespace since the last literal
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      i = text.find('\n', i);
      if (i == std::string::npos) break;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      i = text.find("*/", i + 2);
      if (i == std::string::npos) break;
      i += 2;
      continue;
    }
    if (c == '\'') {  // a character literal (or a digit separator: skipping it is harmless)
      size_t j = i + 1;
      while (j < text.size() && text[j] != '\'' && text[j] != '\n') j += text[j] == '\\' ? 2 : 1;
      i = j + 1;
      join = false;
      continue;
    }
    if (c == 'R' && i + 1 < text.size() && text[i + 1] == '"') {
      const size_t open = text.find('(', i + 2);
      if (open == std::string::npos) break;
      const std::string close = ")" + text.substr(i + 2, open - i - 2) + "\"";
      const size_t end = text.find(close, open + 1);
      if (end == std::string::npos) break;
      out.push_back(text.substr(open + 1, end - open - 1));
      i = end + close.size();
      join = true;
      continue;
    }
    if (c == '"') {
      std::string literal;
      size_t j = i + 1;
      while (j < text.size() && text[j] != '"') {
        if (text[j] == '\\' && j + 1 < text.size()) {
          literal.push_back(text[j + 1] == 'n' ? '\n' : text[j + 1]);
          j += 2;
        } else {
          literal.push_back(text[j++]);
        }
      }
      if (join && !out.empty()) {
        out.back() += literal;
      } else {
        out.push_back(literal);
      }
      i = j + 1;
      join = true;
      continue;
    }
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') join = false;
    ++i;
  }
  return out;
}

const std::regex& IdentityTableSql() {
  static const std::regex kPattern(
      R"(\b(from|join|into|update|table)\s+(orgs|users|user_roles|roles|role_permissions|permissions|sessions|login_throttle)\b)",
      std::regex::icase | std::regex::ECMAScript);
  return kPattern;
}

// A role code quoted as an SQL string ('seller'): role codes reach SQL only as parameters.
const std::regex& QuotedRoleCode() {
  static const std::regex kPattern = [] {
    std::string alternatives;
    for (const char* code :
         {kRoleSystemAdmin, kRoleOrgAdmin, kRoleDocAdmin, kRoleSeller, kRoleCashier, kRoleUnderwriter,
          kRoleClaimsHandler, kRoleClaimsApprover, kRoleCsAgent, kRoleAuditor, kRoleCustomer}) {
      alternatives += (alternatives.empty() ? "" : "|") + std::string(code);
    }
    return std::regex("'(" + alternatives + ")'");
  }();
  return kPattern;
}

// Returns "path: literal" for every string literal of the non-test .cpp files under `top`
// directories of the source tree that `matches`, skipping files under `skip_prefix` ("" for none);
// counts the files read in `scanned`.
std::vector<std::string> Offenders(const fs::path& root, const std::regex& matches,
                                   const std::string& skip_prefix, int& scanned) {
  std::vector<std::string> offenders;
  for (const char* top : {"src", "bench", "tests"}) {
    if (!fs::is_directory(root / top)) continue;
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(root / top)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".cpp") continue;
      const std::string rel = fs::relative(entry.path(), root).generic_string();
      if (!skip_prefix.empty() && rel.rfind(skip_prefix, 0) == 0) continue;
      // Tests may look at any table to check what a module stored.
      if (rel.size() > 9 && rel.compare(rel.size() - 9, 9, "_test.cpp") == 0) continue;
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      ++scanned;
      for (const std::string& literal : StringLiterals(text.str())) {
        if (std::regex_search(literal, matches)) offenders.push_back(rel + ": " + literal.substr(0, 160));
      }
    }
  }
  return offenders;
}

std::string Listed(const std::vector<std::string>& lines) {
  std::string all;
  for (const std::string& line : lines) all += "  " + line + "\n";
  return all;
}

TEST(ModuleBoundaryTest, FindsSqlNamingIdentityTablesInLiterals) {
  const std::string source = R"src(
    // SELECT path FROM orgs in a comment is not SQL
    auto a = tx.Query("SELECT u.id FROM "
                      "users u WHERE u.login = ?");
    auto b = "JOIN cards c";
    char q = '"';
    auto c = R"x(UPDATE sessions SET revoked_at = 1)x";
  )src";
  std::vector<std::string> literals = StringLiterals(source);
  int hits = 0;
  for (const std::string& literal : literals) hits += std::regex_search(literal, IdentityTableSql()) ? 1 : 0;
  EXPECT_EQ(hits, 2);
  EXPECT_FALSE(std::regex_search(std::string("SELECT * FROM card_users"), IdentityTableSql()));
  EXPECT_FALSE(std::regex_search(std::string("login failed for users"), IdentityTableSql()));
}

TEST(ModuleBoundaryTest, NoSqlOutsideIdentityNamesIdentityTables) {
  const fs::path root = SourceDir();
  ASSERT_FALSE(root.empty()) << "ANXIN_SOURCE_DIR is not set";
  ASSERT_TRUE(fs::is_directory(root / "src" / "identity")) << root;
  int scanned = 0;
  const std::vector<std::string> offenders = Offenders(root, IdentityTableSql(), "src/identity/", scanned);
  EXPECT_GT(scanned, 50);
  EXPECT_TRUE(offenders.empty())
      << "SQL outside src/identity names identity tables; use identity::Directory:\n"
      << Listed(offenders);
}

TEST(ModuleBoundaryTest, FindsQuotedRoleCodes) {
  EXPECT_TRUE(std::regex_search(std::string("WHERE role_code = 'seller'"), QuotedRoleCode()));
  EXPECT_TRUE(std::regex_search(std::string("IN ('auditor', 'x')"), QuotedRoleCode()));
  EXPECT_FALSE(std::regex_search(std::string("WHERE role_code = ?"), QuotedRoleCode()));
  EXPECT_FALSE(std::regex_search(std::string("group_by 'sellers'"), QuotedRoleCode()));
}

TEST(ModuleBoundaryTest, NoSqlAnywhereQuotesARoleCode) {
  const fs::path root = SourceDir();
  ASSERT_FALSE(root.empty()) << "ANXIN_SOURCE_DIR is not set";
  int scanned = 0;
  const std::vector<std::string> offenders = Offenders(root, QuotedRoleCode(), "", scanned);
  EXPECT_GT(scanned, 50);
  EXPECT_TRUE(offenders.empty()) << "role codes are parameters (identity's kRole... constants), never SQL "
                                    "literals:\n"
                                 << Listed(offenders);
}

}  // namespace
}  // namespace anxin::identity
