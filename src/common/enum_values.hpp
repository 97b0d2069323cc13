#pragma once

// What is read from an EnumTable beyond one name or value (common/enum_table.hpp):
//
//   inline constexpr std::array<MovementKind, 2> kAllMovementKinds = EnumValues(kMovementKinds);
//   ParseStored(kMovementKinds, row.Text(2), "cards: movement kind")  // kInternal if unknown

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/enum_table.hpp"
#include "common/status.hpp"

namespace anxin {

// Returns every value of `table`, in table order.
template <typename E, size_t N>
[[nodiscard]] constexpr std::array<E, N> EnumValues(const EnumTable<E, N>& table) {
  std::array<E, N> values{};
  for (size_t i = 0; i < N; ++i) values[i] = table.entries()[i].value;
  return values;
}

// Parses `text` read from the database. The application writes only names of the table, so an
// unknown one is kInternal ("<what> '<text>' read from the database is unknown"), never a guess.
template <typename E, size_t N>
[[nodiscard]] Result<E> ParseStored(const EnumTable<E, N>& table, std::string_view text,
                                    std::string_view what) {
  if (std::optional<E> value = table.Parse(text)) return *value;
  return Status::Internal(std::string(what) + " '" + std::string(text) +
                          "' read from the database is unknown");
}

}  // namespace anxin
