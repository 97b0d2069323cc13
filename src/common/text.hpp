#pragma once

// Text helpers every module shares: trimming, control characters, and the one free-text check that
// also keeps personal data (ID, phone and bank card numbers) out of records and audit summaries
// (RULES.md §6). Pure and thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace anxin {

// Returns `text` without white space at either end: ASCII white space and the ideographic space
// U+3000 and no-break space U+00A0 that Chinese input methods produce. `text` must be valid UTF-8
// for the multi-byte spaces to be recognised; other bytes are kept as they are.
[[nodiscard]] std::string_view Trim(std::string_view text);

// Returns true if valid UTF-8 `text` holds a C0 or C1 control character or DEL (tab and line
// breaks included: no single-line field needs them).
[[nodiscard]] bool HasControlCharacters(std::string_view text);

// Returns true if `text` holds a run of at least `min_digits` decimal digits, spaces and dashes
// inside the run ignored: enough to carry a mobile (11), resident ID (17 + check character) or
// bank card (16-19) number.
[[nodiscard]] bool HasPersonalNumber(std::string_view text, size_t min_digits = 11);

// Returns `text` with every digit of such runs replaced by '*' (a resident ID's final X too), so
// that it may be kept in an audit summary or a log. Other text is kept unchanged.
[[nodiscard]] std::string MaskPersonalNumbers(std::string_view text, size_t min_digits = 11);

// Rules for free text typed by a person (names, reasons, remarks, purposes).
struct FreeTextRule {
  bool required = false;
  size_t min_len = 0;    // code points, after trimming; applies when the text is not empty
  size_t max_len = 200;  // code points, after trimming
  // Refuse text holding a personal number (HasPersonalNumber) instead of storing it: for text that
  // ends up in histories and audit records in clear.
  bool refuse_personal_numbers = false;
};

// Checks `value` against `rule` and returns it trimmed, or kInvalidArgument "validation_failed"
// with one FieldError at `field` whose code is "required", "invalid_characters" (not UTF-8, or a
// control character), "too_short", "too_long" or "personal_number_not_allowed". An empty value
// that is not required is returned as "".
[[nodiscard]] Result<std::string> CheckFreeText(std::string_view field, std::string_view value,
                                                const FreeTextRule& rule);

}  // namespace anxin
