#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace anxin::cards {

// Card serial numbers: the card type's prefix (2-4 upper-case letters), a 10-digit sequence and a
// Luhn check digit over the sequence: "TRV" + "0000000042" + "2". The check digit catches a
// mistyped digit or swapped neighbours before any database look-up.
inline constexpr int kSerialSequenceDigits = 10;
inline constexpr int64_t kMaxSerialSequence = 9'999'999'999;

// The printed form as a regular expression (any letter case; the check digit is not in it) and its
// length, for request declarations.
inline constexpr const char* kSerialPattern = "^[A-Za-z]{2,4}[0-9]{11}$";
inline constexpr size_t kMaxSerialLength = 15;

// Returns the serial for `seq` (1..kMaxSerialSequence) of `prefix`.
std::string FormatSerial(std::string_view prefix, int64_t seq);

struct ParsedSerial {
  std::string prefix;
  int64_t seq = 0;
};

// Parses and checks a serial (case-insensitive prefix). kInvalidArgument "validation_failed" at
// `field` with code "invalid_format" or "invalid_checksum".
Result<ParsedSerial> ParseSerial(std::string_view serial, std::string_view field = "serial");

// Returns true if `prefix` is 2-4 upper-case ASCII letters.
bool IsValidSerialPrefix(std::string_view prefix);

}  // namespace anxin::cards
