// Identity document formats accepted on policies (RULES.md §5).
#include "policies/policy_validation.hpp"

#include <gtest/gtest.h>

#include "policies/policy_test_ids.hpp"

namespace anxin::policies {
namespace {

constexpr Date kToday{2026, 1, 1};

struct IdCase {
  IdType type;
  std::string number;
  std::string normalized;  // empty: invalid
  std::string code;        // the FieldError code when invalid
};

class NormalizeIdNumberTest : public ::testing::TestWithParam<IdCase> {};

TEST_P(NormalizeIdNumberTest, AcceptsOrRejectsWithTheRightCode) {
  const IdCase& c = GetParam();
  Result<std::string> result = NormalizeIdNumber(c.type, c.number, kToday, "insured.id_number");
  if (c.normalized.empty()) {
    ASSERT_FALSE(result.ok()) << c.number;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    ASSERT_EQ(result.status().fields().size(), 1u);
    EXPECT_EQ(result.status().fields()[0].field, "insured.id_number");
    EXPECT_EQ(result.status().fields()[0].code, c.code) << c.number;
  } else {
    ASSERT_TRUE(result.ok()) << c.number << ": " << result.status().ToString();
    EXPECT_EQ(*result, c.normalized);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Formats, NormalizeIdNumberTest,
    ::testing::Values(
        // Resident ID (GB 11643-1999), RULES.md §5 examples.
        IdCase{IdType::kResidentId, "11010519491231002X", "11010519491231002X", ""},
        IdCase{IdType::kResidentId, " 11010519491231002x ", "11010519491231002X", ""},
        IdCase{IdType::kResidentId, "110105194912310021", "", "invalid_checksum"},
        IdCase{IdType::kResidentId, "11010519491231002", "", "invalid_format"},
        IdCase{IdType::kResidentId, testing::MakeResidentId("110105", "20260102", "001"), "",
               "invalid_birth_date"},
        IdCase{IdType::kResidentId, "", "", "required"},
        // Hong Kong (mod-11 check) and Macau identity cards.
        IdCase{IdType::kHongKongMacauId, "A123456(3)", "A1234563", ""},
        IdCase{IdType::kHongKongMacauId, "a1234563", "A1234563", ""},
        IdCase{IdType::kHongKongMacauId, "A123456(4)", "", "invalid_checksum"},
        IdCase{IdType::kHongKongMacauId, "1234567(8)", "12345678", ""},
        IdCase{IdType::kHongKongMacauId, "2234567(8)", "", "invalid_format"},
        IdCase{IdType::kHongKongMacauId, "A12345(3)", "", "invalid_format"},
        // Taiwan identity card (mod-10 check).
        IdCase{IdType::kTaiwanId, "A123456789", "A123456789", ""},
        IdCase{IdType::kTaiwanId, "A123456788", "", "invalid_checksum"},
        IdCase{IdType::kTaiwanId, "A323456789", "", "invalid_format"},
        IdCase{IdType::kTaiwanId, "123456789", "", "invalid_format"},
        // Mainland travel permits.
        IdCase{IdType::kHkMacauPermit, "H12345678", "H12345678", ""},
        IdCase{IdType::kHkMacauPermit, "M1234567890", "M1234567890", ""},
        IdCase{IdType::kHkMacauPermit, "X12345678", "", "invalid_format"},
        IdCase{IdType::kHkMacauPermit, "H1234567", "", "invalid_format"},
        IdCase{IdType::kTaiwanPermit, "12345678", "12345678", ""},
        IdCase{IdType::kTaiwanPermit, "1234567890", "1234567890", ""},
        IdCase{IdType::kTaiwanPermit, "1234567", "", "invalid_format"},
        // Passports: 5-20 letters and digits.
        IdCase{IdType::kForeignPassport, "e1234567", "E1234567", ""},
        IdCase{IdType::kForeignPassport, "AB12", "", "invalid_format"},
        IdCase{IdType::kForeignPassport, "A1234567890123456789X", "", "invalid_format"},
        IdCase{IdType::kForeignPassport, "AB_1234", "", "invalid_format"},
        // Foreign permanent resident ID: 2004 (3 letters + 12 digits) and 2023 (GB 11643 check).
        IdCase{IdType::kForeignPermanentId, "USA110090019901", "USA110090019901", ""},
        IdCase{IdType::kForeignPermanentId, testing::MakeResidentId("931840", "19900101", "001"),
               testing::MakeResidentId("931840", "19900101", "001"), ""},
        IdCase{IdType::kForeignPermanentId, "931840199001010010", "", "invalid_checksum"},
        IdCase{IdType::kForeignPermanentId, "US1100900199012", "", "invalid_format"}));

TEST(MakeResidentIdTest, ReproducesTheRulesExamples) {
  EXPECT_EQ(testing::MakeResidentId("110105", "19491231", "002"), "11010519491231002X");
  EXPECT_EQ(testing::MakeResidentId("440524", "18800101", "001"), "440524188001010014");
  EXPECT_EQ(testing::MakeResidentId("513101", "19820113", "001"), "513101198201130014");
}

}  // namespace
}  // namespace anxin::policies
