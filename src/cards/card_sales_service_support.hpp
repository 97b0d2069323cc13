#pragma once

// Helpers shared by the files of CardSalesService (card_sales_service*.cpp): the institution-level
// check, checks of typed input and the all-or-nothing refusals. Authorisation, trimming and the
// free-text rules are the common kit's (common/access.hpp, common/text.hpp). Internal to src/cards.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cards/card_sales_store.hpp"
#include "common/principal.hpp"
#include "common/status.hpp"
#include "storage/database.hpp"

namespace anxin::cards::internal {

// A reason typed by staff (reverse processing, report lost), in code points.
inline constexpr size_t kMinReason = 2;
inline constexpr size_t kMaxReason = 200;

// Seed 000 §3: sales registration and reverse processing are done by the institution's document
// administrator.
Status RequireInstitution(storage::Tx& tx, CardSalesStore& store, const Principal& caller,
                          std::string_view zh_what, std::string_view en_what);

// Appends to `errors` what is wrong with a code (required, at most 64 bytes, no control characters).
void CheckCode(std::vector<FieldError>& errors, const std::string& field, const std::string& value);

// Checks free text of min..max code points (common/text.hpp's CheckFreeText, personal numbers
// refused), appending its error to `errors`; `required` false allows it to be empty.
void CheckFreeText(std::vector<FieldError>& errors, const std::string& field, const std::string& value,
                   size_t min, size_t max, bool required);

// Parses each serial into its canonical form, collecting errors at "<field>[i]" (duplicates too).
std::vector<std::string> ParseSerialList(std::vector<FieldError>& errors, const std::string& field,
                                         const std::vector<std::string>& input);

// One offending card of an all-or-nothing operation.
struct BadCard {
  std::string serial;
  FieldError error;
};

// Refuses an all-or-nothing operation: `code` and `reason`, a message naming the first serials
// of `bad`, and each card's field error.
Status CardsRefused(StatusCode code, std::string reason, std::string_view zh_what, std::string_view en_what,
                    const std::vector<BadCard>& bad);

// kAborted "card_changed_concurrently": a conditional update of the card lost a race; retry.
Status ChangedConcurrently(const std::string& serial);

}  // namespace anxin::cards::internal
