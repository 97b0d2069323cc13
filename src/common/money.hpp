#pragma once

#include <compare>
#include <cstdint>
#include <string>

#include "common/status.hpp"

namespace anxin {

// An amount of renminbi in integer fen (1 yuan = 100 fen). Never floating point. API fields that
// carry money end in `_fen`.
struct Money {
  int64_t fen = 0;

  static constexpr Money Fen(int64_t fen) { return Money{fen}; }
  static constexpr Money Yuan(int64_t yuan) { return Money{yuan * 100}; }

  friend constexpr Money operator+(Money a, Money b) { return Money{a.fen + b.fen}; }
  friend constexpr Money operator-(Money a, Money b) { return Money{a.fen - b.fen}; }
  friend constexpr Money operator-(Money a) { return Money{-a.fen}; }
  Money& operator+=(Money o) {
    fen += o.fen;
    return *this;
  }
  Money& operator-=(Money o) {
    fen -= o.fen;
    return *this;
  }
  friend constexpr bool operator==(Money, Money) = default;
  friend constexpr auto operator<=>(Money, Money) = default;

  // Formats as yuan with two decimals and thousands separators: "1,200.00", "-0.50".
  [[nodiscard]] std::string ToYuanString() const;
};

// Returns round_half_up(amount * numerator / denominator) in fen. The one place money is scaled by
// a ratio (pro rata days, percentages): the product is computed in 128 bits, and rounding happens
// here, at the last step. `denominator` must be positive. Negative amounts round half away from 0.
// A zero denominator or a result outside int64 is a programming error and aborts.
[[nodiscard]] Money MulDivRoundHalfUp(Money amount, int64_t numerator, int64_t denominator);

// Parses a yuan amount with at most two decimals ("12", "12.5", "-1200.00") into fen: digits, an
// optional leading '-', an optional '.' followed by one or two digits; no spaces, '+' or thousands
// separators. Otherwise returns kInvalidArgument "validation_failed" with one FieldError at `field`
// ("amount" for the one-argument form) whose code is "invalid_format", "too_many_decimals" or
// "out_of_range".
[[nodiscard]] Result<Money> ParseYuan(std::string_view text);
[[nodiscard]] Result<Money> ParseYuan(std::string_view text, std::string_view field);

}  // namespace anxin
