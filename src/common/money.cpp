#include "common/money.hpp"

#include <cstdio>
#include <cstdlib>
#include <limits>

namespace anxin {

namespace {
// 128-bit intermediates for scaling money (a GCC/Clang extension; __extension__ keeps -Wpedantic quiet).
__extension__ typedef __int128 Int128;
}  // namespace

std::string Money::ToYuanString() const {
  // The magnitude as unsigned, so INT64_MIN formats too.
  const uint64_t magnitude = fen < 0 ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  const std::string yuan = std::to_string(magnitude / 100);
  const unsigned cents = static_cast<unsigned>(magnitude % 100);

  std::string out;
  if (fen < 0) out += '-';
  for (size_t i = 0; i < yuan.size(); ++i) {
    if (i > 0 && (yuan.size() - i) % 3 == 0) out += ',';
    out += yuan[i];
  }
  out += '.';
  out += static_cast<char>('0' + cents / 10);
  out += static_cast<char>('0' + cents % 10);
  return out;
}

Money MulDivRoundHalfUp(Money amount, int64_t numerator, int64_t denominator) {
  if (denominator <= 0) {
    std::fprintf(stderr, "MulDivRoundHalfUp: denominator %lld is not positive\n",
                 static_cast<long long>(denominator));
    std::abort();
  }
  const Int128 product = static_cast<Int128>(amount.fen) * numerator;
  Int128 quotient = product / denominator;  // truncates toward zero
  Int128 remainder = product % denominator;
  if (remainder < 0) remainder = -remainder;
  // Rounding half up (away from zero for negative amounts) happens here, at the last step.
  if (remainder * 2 >= denominator) quotient += product < 0 ? -1 : 1;
  if (quotient > std::numeric_limits<int64_t>::max() || quotient < std::numeric_limits<int64_t>::min()) {
    std::fprintf(stderr, "MulDivRoundHalfUp: result out of range\n");
    std::abort();
  }
  return Money::Fen(static_cast<int64_t>(quotient));
}

Result<Money> ParseYuan(std::string_view text) { return ParseYuan(text, "amount"); }

Result<Money> ParseYuan(std::string_view text, std::string_view field) {
  auto invalid = [&] {
    return Status::InvalidField(
        std::string(field), "invalid_format",
        Text{"金额格式有误，应为元，最多两位小数", "Expected an amount in yuan with at most two decimals"});
  };
  size_t pos = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++pos;

  // Accumulated in 128 bits; anything beyond int64 fen is out of range.
  constexpr Int128 kMaxMagnitude = static_cast<Int128>(std::numeric_limits<int64_t>::max()) + 1;
  Int128 yuan = 0;
  const size_t int_start = pos;
  bool too_large = false;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    yuan = yuan * 10 + (text[pos] - '0');
    if (yuan * 100 > kMaxMagnitude) {
      too_large = true;
      yuan = kMaxMagnitude;  // keeps the accumulator bounded while the rest is checked
    }
    ++pos;
  }
  if (pos == int_start) return invalid();

  Int128 cents = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const size_t frac_start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    const size_t digits = pos - frac_start;
    if (digits == 0 || pos != text.size()) return invalid();
    if (digits > 2) {
      return Status::InvalidField(std::string(field), "too_many_decimals",
                                  Text{"金额最多两位小数", "An amount has at most two decimals"});
    }
    cents = (text[frac_start] - '0') * 10;
    if (digits == 2) cents += text[frac_start + 1] - '0';
  }
  if (pos != text.size()) return invalid();

  const Int128 magnitude = yuan * 100 + cents;
  const Int128 limit = negative ? kMaxMagnitude : kMaxMagnitude - 1;
  if (too_large || magnitude > limit) {
    return Status::InvalidField(std::string(field), "out_of_range",
                                Text{"金额超出范围", "The amount is out of range"});
  }
  return Money::Fen(static_cast<int64_t>(negative ? -magnitude : magnitude));
}

}  // namespace anxin
