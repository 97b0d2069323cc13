#pragma once

// Helpers shared by the files of CardSalesService (card_sales_service*.cpp): the institution-level
// check, checks of typed input, the all-or-nothing refusals and the paged lists. Authorisation, trimming and
// the free-text rules are the common kit's (common/access.hpp, common/text.hpp). Internal to src/cards.

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cards/card_sales_service.hpp"
#include "cards/card_sales_store.hpp"
#include "common/access.hpp"
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

// The lists of ListReceipts, ListInvoices and ListRecoveries.

// The store's query for a page of `query` in `actor`'s scope, one row more than asked for (that
// row only tells that another page follows).
inline DocumentQuery StoreQueryOf(const Actor& actor, const DocumentListQuery& query, int limit) {
  DocumentQuery q;
  q.scope = ScopeOf(actor);
  q.kind = query.kind;
  q.status = query.status;
  q.from_ms = query.from_ms;
  q.to_ms = query.to_ms;
  q.after_id = query.after;
  q.limit = limit + 1;
  return q;
}

// Views `documents` (one more than `limit` when another page follows) as a page.
template <typename View, typename Doc, typename ViewOf>
Result<DocumentPage<View>> PageOf(std::vector<Doc> documents, int limit, ViewOf view_of) {
  DocumentPage<View> page;
  if (static_cast<int>(documents.size()) > limit) {
    documents.resize(static_cast<size_t>(limit));
    page.next_after = documents.back().id;
  }
  page.items.reserve(documents.size());
  for (const Doc& doc : documents) {
    ANXIN_ASSIGN_OR_RETURN(View view, view_of(doc));
    page.items.push_back(std::move(view));
  }
  return page;
}

}  // namespace anxin::cards::internal

namespace anxin::cards {

template <typename View, typename Doc, typename Select, typename ViewOf>
Result<DocumentPage<View>> CardSalesService::ListDocuments(const Actor& actor, std::string_view permission,
                                                           const DocumentListQuery& query, Select select,
                                                           ViewOf view_of) {
  ANXIN_RETURN_IF_ERROR(RequireStaff(actor, permission));
  const int limit = std::clamp(query.limit, 1, kMaxSalesListLimit);
  return db_.ReadResult<DocumentPage<View>>([&](storage::Tx& tx) -> Result<DocumentPage<View>> {
    ANXIN_ASSIGN_OR_RETURN(std::vector<Doc> documents,
                           select(tx, internal::StoreQueryOf(actor, query, limit)));
    return internal::PageOf<View>(std::move(documents), limit,
                                  [&](const Doc& doc) { return view_of(tx, doc); });
  });
}

}  // namespace anxin::cards
