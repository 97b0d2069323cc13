#pragma once

// One table per enum gives its wire name (JSON, OpenAPI enums, SQL columns), its parser and the
// list of its names, so that the three never drift:
//
//   enum class MovementKind { kIssue, kRecall };
//   inline constexpr EnumTable<MovementKind, 2> kMovementKinds{{{
//       {MovementKind::kIssue, "issue"},
//       {MovementKind::kRecall, "recall"},
//   }}};
//   kMovementKinds.Name(MovementKind::kIssue)   // "issue"
//   kMovementKinds.Parse("recall")              // MovementKind::kRecall
//   kMovementKinds.Names()                      // {"issue", "recall"}: for schemas and messages

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace anxin {

template <typename E>
struct EnumName {
  E value;
  std::string_view name;
};

template <typename E, size_t N>
class EnumTable {
 public:
  using Enum = E;

  constexpr explicit EnumTable(std::array<EnumName<E>, N> entries) : entries_(entries) {}

  // Returns the wire name of `value` ("" for a value missing from the table: a programming error
  // the enum table tests catch).
  [[nodiscard]] constexpr std::string_view Name(E value) const {
    for (const EnumName<E>& entry : entries_) {
      if (entry.value == value) return entry.name;
    }
    return {};
  }

  // Returns the value named `name` (exact, case-sensitive), or nullopt.
  [[nodiscard]] constexpr std::optional<E> Parse(std::string_view name) const {
    for (const EnumName<E>& entry : entries_) {
      if (entry.name == name) return entry.value;
    }
    return std::nullopt;
  }

  // Returns every name, in table order.
  [[nodiscard]] std::vector<std::string> Names() const {
    std::vector<std::string> names;
    names.reserve(N);
    for (const EnumName<E>& entry : entries_) names.emplace_back(entry.name);
    return names;
  }

  [[nodiscard]] constexpr const std::array<EnumName<E>, N>& entries() const { return entries_; }

 private:
  std::array<EnumName<E>, N> entries_;
};

}  // namespace anxin
