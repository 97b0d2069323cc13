#pragma once

#include <string>
#include <string_view>

namespace anxin::storage::postgres {

struct RewrittenSql {
  std::string sql;     // with $1, $2, ... in place of the `?` placeholders
  int parameters = 0;  // how many placeholders there were
};

// Rewrites the `?` placeholders of `sql` to PostgreSQL's $1..$n, leaving alone a `?` inside a
// string literal ('...', E'...'), a quoted identifier ("..."), a dollar-quoted string ($tag$...$tag$)
// or a comment (-- ... and nested /* ... */).
RewrittenSql RewritePlaceholders(std::string_view sql);

}  // namespace anxin::storage::postgres
