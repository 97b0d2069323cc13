#include "storage/postgres/placeholders.hpp"

#include <cctype>

namespace anxin::storage::postgres {
namespace {

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool IsIdentChar(char c) {
  return IsIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '$';
}

// Returns the index just past a quoted run that starts at `i` (at the opening `quote`). A doubled
// quote stands for itself; with `backslashes`, a backslash escapes the next character.
size_t SkipQuoted(std::string_view sql, size_t i, char quote, bool backslashes) {
  ++i;
  while (i < sql.size()) {
    if (backslashes && sql[i] == '\\') {
      i += 2;
    } else if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        i += 2;
      } else {
        return i + 1;
      }
    } else {
      ++i;
    }
  }
  return sql.size();
}

// Returns the index just past a (possibly nested) block comment starting at `i`.
size_t SkipBlockComment(std::string_view sql, size_t i) {
  int depth = 0;
  while (i < sql.size()) {
    if (sql.compare(i, 2, "/*") == 0) {
      ++depth;
      i += 2;
    } else if (sql.compare(i, 2, "*/") == 0) {
      i += 2;
      if (--depth == 0) return i;
    } else {
      ++i;
    }
  }
  return sql.size();
}

// If a dollar quote opens at `i` ($$ or $tag$), returns the length of its delimiter, else 0.
size_t DollarTagLength(std::string_view sql, size_t i) {
  size_t j = i + 1;
  if (j < sql.size() && sql[j] == '$') return 2;
  if (j >= sql.size() || !IsIdentStart(sql[j])) return 0;
  while (j < sql.size() && IsIdentChar(sql[j]) && sql[j] != '$') ++j;
  if (j < sql.size() && sql[j] == '$') return j - i + 1;
  return 0;
}

}  // namespace

RewrittenSql RewritePlaceholders(std::string_view sql) {
  RewrittenSql out;
  out.sql.reserve(sql.size() + 16);
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    const bool after_ident = i > 0 && IsIdentChar(sql[i - 1]);
    size_t end = i;
    if (c == '\'') {
      const bool escape_string =
          i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && !(i > 1 && IsIdentChar(sql[i - 2]));
      end = SkipQuoted(sql, i, '\'', escape_string);
    } else if (c == '"') {
      end = SkipQuoted(sql, i, '"', false);
    } else if (sql.compare(i, 2, "--") == 0) {
      end = sql.find('\n', i);
      if (end == std::string_view::npos) end = sql.size();
    } else if (sql.compare(i, 2, "/*") == 0) {
      end = SkipBlockComment(sql, i);
    } else if (c == '$' && !after_ident) {
      if (const size_t tag = DollarTagLength(sql, i); tag > 0) {
        const size_t close = sql.find(sql.substr(i, tag), i + tag);
        end = close == std::string_view::npos ? sql.size() : close + tag;
      }
    } else if (c == '?') {
      out.sql += '$';
      out.sql += std::to_string(++out.parameters);
      ++i;
      continue;
    }
    if (end == i) end = i + 1;
    out.sql.append(sql.substr(i, end - i));
    i = end;
  }
  return out;
}

}  // namespace anxin::storage::postgres
