#pragma once

// Builds valid identity numbers for tests (never real people's).

#include <string>
#include <string_view>

namespace anxin::policies::testing {

// Returns the 18-character resident ID for `region` (6 digits), `birth` ("YYYYMMDD") and `seq`
// (3 digits: odd for men, even for women) with its GB 11643-1999 check character (RULES.md §5).
inline std::string MakeResidentId(std::string_view region, std::string_view birth, std::string_view seq) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kChecks[] = "10X98765432";
  std::string body = std::string(region) + std::string(birth) + std::string(seq);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
  return body + kChecks[sum % 11];
}

}  // namespace anxin::policies::testing
