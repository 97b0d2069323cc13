#include "common/validation.hpp"

#include <gtest/gtest.h>

namespace anxin {
namespace {

const Date kToday{2026, 11, 21};

std::string FieldCode(const Status& status) {
  if (status.fields().size() != 1) return "<" + std::to_string(status.fields().size()) + " fields>";
  return status.fields()[0].code;
}

// RULES.md §5: GB 11643-1999 valid examples.
TEST(ResidentIdTest, AcceptsRulesExamples) {
  struct Case {
    std::string_view number;
    std::string_view region;
    Date birth;
    Sex sex;
  };
  const Case cases[] = {
      {"11010519491231002X", "110105", {1949, 12, 31}, Sex::kFemale},
      {"440524188001010014", "440524", {1880, 1, 1}, Sex::kMale},
      {"513101198201130014", "513101", {1982, 1, 13}, Sex::kMale},
  };
  for (const Case& c : cases) {
    Result<ResidentIdInfo> info = ParseResidentId(c.number, kToday);
    ASSERT_TRUE(info.ok()) << c.number << ": " << info.status().ToString();
    EXPECT_EQ(info->number, c.number);
    EXPECT_EQ(info->region_code, c.region);
    EXPECT_EQ(info->birth_date, c.birth);
    EXPECT_EQ(info->sex, c.sex) << c.number;
  }
}

TEST(ResidentIdTest, AcceptsLowerCaseXAndUpperCasesIt) {
  Result<ResidentIdInfo> info = ParseResidentId("11010519491231002x", kToday);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->number, "11010519491231002X");
}

TEST(ResidentIdTest, SexFollowsParityOfSeventeenthDigit) {
  // RULES.md §5: sequence odd = male, even = female.
  EXPECT_EQ(ParseResidentId("110105199001010010", kToday)->sex, Sex::kMale);
  EXPECT_EQ(ParseResidentId("110105199001010029", kToday)->sex, Sex::kFemale);
}

TEST(ResidentIdTest, RejectsBadNumbersWithSpecificCodes) {
  struct Case {
    std::string_view number;
    std::string_view code;
    std::string_view why;
  };
  const Case cases[] = {
      {"", "invalid_format", "empty"},
      {"110105491231002", "invalid_format", "old 15-digit number"},
      {"11010519491231002", "invalid_format", "17 characters"},
      {"11010519491231002X0", "invalid_format", "19 characters"},
      {"1101051949123100XX", "invalid_format", "X before the last position"},
      {"11010519491231002Y", "invalid_format", "check character not a digit or X"},
      {"11010519491231 02X", "invalid_format", "space"},
      {"１1010519491231002X", "invalid_format", "full-width digit"},
      {"110105202302290014", "invalid_birth_date", "Feb 29 in a common year (check digit right)"},
      {"110105199013010018", "invalid_birth_date", "month 13 (check digit right)"},
      {"11010520261122001X", "invalid_birth_date", "born tomorrow (check digit right)"},
      {"11010520300101001X", "invalid_birth_date", "born in 2030 (check digit right)"},
      {"110105179912310015", "invalid_birth_date", "born before 1800"},
      {"110105194912310020", "invalid_checksum", "wrong check digit"},
      {"440524188001010015", "invalid_checksum", "wrong check digit"},
      {"513101198201130013", "invalid_checksum", "wrong check digit"},
      {"513101198201130041", "invalid_checksum", "transposed digits"},
  };
  for (const Case& c : cases) {
    Result<ResidentIdInfo> info = ParseResidentId(c.number, kToday, "holder.id_number");
    ASSERT_FALSE(info.ok()) << c.why;
    EXPECT_EQ(info.status().code(), StatusCode::kInvalidArgument) << c.why;
    EXPECT_EQ(info.status().reason(), "validation_failed");
    EXPECT_EQ(FieldCode(info.status()), c.code) << c.why;
    EXPECT_EQ(info.status().fields()[0].field, "holder.id_number");
    EXPECT_FALSE(info.status().fields()[0].message.zh.empty());
    EXPECT_FALSE(info.status().fields()[0].message.en.empty());
  }
}

TEST(ResidentIdTest, BirthDateMayBeTodayAndFeb29InLeapYear) {
  EXPECT_TRUE(ParseResidentId("110105202611210014", kToday).ok());
  Result<ResidentIdInfo> leap = ParseResidentId("110105202402290011", kToday);
  ASSERT_TRUE(leap.ok());
  EXPECT_EQ(leap->birth_date, (Date{2024, 2, 29}));
  EXPECT_EQ(ParseResidentId("110105189912310015", kToday)->birth_date.year, 1899);
}

// RULES.md §5: GB 32100-2015.
TEST(UsccTest, AcceptsRulesExamplesAndLowerCase) {
  for (std::string_view code : {"91310110666007217T", "91310115591693856A"}) {
    Result<std::string> valid = ValidateUscc(code);
    ASSERT_TRUE(valid.ok()) << code;
    EXPECT_EQ(*valid, code);
  }
  Result<std::string> lower = ValidateUscc("91310110666007217t");
  ASSERT_TRUE(lower.ok());
  EXPECT_EQ(*lower, "91310110666007217T");
  // A weighted sum that is a multiple of 31 gives check value 31, written 0.
  EXPECT_TRUE(ValidateUscc("9131011066600721K0").ok());
}

TEST(UsccTest, RejectsBadCodesWithSpecificCodes) {
  struct Case {
    std::string_view code;
    std::string_view error;
  };
  const Case cases[] = {
      {"", "invalid_format"},
      {"91310110666007217", "invalid_format"},
      {"91310110666007217TT", "invalid_format"},
      {"9131011066600721IT", "invalid_format"},  // I is not in the alphabet
      {"9131011066600721OT", "invalid_format"},  // O
      {"9131011066600721ZT", "invalid_format"},  // Z
      {"9131011066600721ST", "invalid_format"},  // S
      {"9131011066600721VT", "invalid_format"},  // V
      {"91310110666007217I", "invalid_format"},
      {"9131011066600721-T", "invalid_format"},
      {"91310110666007217A", "invalid_checksum"},
      {"91310115591693856B", "invalid_checksum"},
      {"91310110666007271T", "invalid_checksum"},
  };
  for (const Case& c : cases) {
    Result<std::string> result = ValidateUscc(c.code, "company.uscc");
    ASSERT_FALSE(result.ok()) << c.code;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(FieldCode(result.status()), c.error) << c.code;
    EXPECT_EQ(result.status().fields()[0].field, "company.uscc");
  }
}

// RULES.md §5: 1[3-9]\d{9} with optional +86 / 86.
TEST(MobileTest, NormalizesAcceptedForms) {
  struct Case {
    std::string_view input;
    std::string_view want;
  };
  const Case cases[] = {
      {"13812345678", "13812345678"},    {"+8613812345678", "13812345678"},
      {"8613812345678", "13812345678"},  {"+86 138 1234 5678", "13812345678"},
      {"138-1234-5678", "13812345678"},  {"19912345678", "19912345678"},
      {"86-13812345678", "13812345678"},
  };
  for (const Case& c : cases) {
    Result<std::string> mobile = NormalizeMobile(c.input);
    ASSERT_TRUE(mobile.ok()) << c.input;
    EXPECT_EQ(*mobile, c.want);
  }
}

TEST(MobileTest, RejectsInvalidNumbers) {
  for (std::string_view input :
       {"", "1381234567", "138123456789", "+86138123456789", "12812345678", "03812345678", "23812345678",
        "1381234567a", "+8513812345678", "(138)12345678", "+86", "8613812345678 9", "13812345678\n"}) {
    Result<std::string> mobile = NormalizeMobile(input, "contact.phone");
    ASSERT_FALSE(mobile.ok()) << input;
    EXPECT_EQ(mobile.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(FieldCode(mobile.status()), "invalid_format") << input;
    EXPECT_EQ(mobile.status().fields()[0].field, "contact.phone");
  }
}

// RULES.md §5: 16-19 digits required; Luhn failure is a warning only.
TEST(BankCardTest, FlagsLuhnFailureWithoutRejecting) {
  struct Case {
    std::string_view input;
    std::string_view digits;
    bool luhn_ok;
  };
  const Case cases[] = {
      {"6225881414207430", "6225881414207430", true},
      {"6225 8814 1420 7430", "6225881414207430", true},
      {"6225881414207431", "6225881414207431", false},
      {"6225881414207430129", "6225881414207430129", true},
      {"6225881414207430128", "6225881414207430128", false},
  };
  for (const Case& c : cases) {
    Result<BankCardCheck> check = CheckBankCard(c.input);
    ASSERT_TRUE(check.ok()) << c.input;
    EXPECT_EQ(check->digits, c.digits);
    EXPECT_EQ(check->luhn_ok, c.luhn_ok) << c.input;
  }
}

TEST(BankCardTest, RejectsWrongLengthOrCharacters) {
  for (std::string_view input : {"", "622588141420743", "62258814142074301234", "6225-8814-1420-7430",
                                 "622588141420743a", "６225881414207430"}) {
    Result<BankCardCheck> check = CheckBankCard(input, "payout.account");
    ASSERT_FALSE(check.ok()) << input;
    EXPECT_EQ(check.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(FieldCode(check.status()), "invalid_format") << input;
    EXPECT_EQ(check.status().fields()[0].field, "payout.account");
  }
}

TEST(IdTypeTest, NamesRoundTrip) {
  const std::pair<IdType, std::string_view> cases[] = {
      {IdType::kResidentId, "resident_id"},
      {IdType::kHongKongMacauId, "hk_macau_id"},
      {IdType::kTaiwanId, "taiwan_id"},
      {IdType::kHkMacauPermit, "hk_macau_permit"},
      {IdType::kTaiwanPermit, "taiwan_permit"},
      {IdType::kForeignPassport, "passport"},
      {IdType::kForeignPermanentId, "foreign_permanent_id"},
  };
  for (const auto& [type, name] : cases) {
    EXPECT_EQ(IdTypeName(type), name);
    EXPECT_EQ(ParseIdType(name), type);
  }
  EXPECT_EQ(ParseIdType("Resident_ID"), std::nullopt);
  EXPECT_EQ(ParseIdType(""), std::nullopt);
}

// RULES.md §6: show sensitive identifiers masked by default.
TEST(MaskTest, MasksIdentifiersAsRulesShow) {
  EXPECT_EQ(MaskIdNumber("11010519491231002X"), "110105********002X");
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskPhone("+86 138-1234-5678"), "138****5678");
  EXPECT_EQ(MaskBankCard("6225881414207430"), "6225 **** **** 7430");
  EXPECT_EQ(MaskBankCard("6225 8814 1420 7430"), "6225 **** **** 7430");
  EXPECT_EQ(MaskBankCard("6225881414207430129"), "6225 **** **** 0129");
}

TEST(MaskTest, MasksUnexpectedLengthsKeepingAtMostTwoAtEachEnd) {
  struct Case {
    std::string_view input;
    std::string_view want;
  };
  const Case cases[] = {
      {"", ""},
      {"A", "*"},
      {"AB", "**"},
      {"ABC", "***"},
      {"ABCD", "A**D"},
      {"ABCDE", "A***E"},
      {"ABCDEF", "A****F"},
      {"ABCDEFG", "A*****G"},
      {"ABCDEFGH", "AB****GH"},
      {"E12345678", "E1*****78"},  // a passport number
      {"110105491231002", "11***********02"},
  };
  for (const Case& c : cases) EXPECT_EQ(MaskIdNumber(c.input), c.want) << c.input;
  EXPECT_EQ(MaskPhone("02112345678"), "02*******78");  // a landline: generic mask
  EXPECT_EQ(MaskBankCard("123456789"), "12*****89");
}

TEST(MaskTest, MasksNamesPerCodePoint) {
  struct Case {
    std::string_view name;
    std::string_view want;
  };
  const Case cases[] = {
      {"", ""},
      {"张", "*"},
      {"张三", "张*"},
      {"张三丰", "张**"},
      {"欧阳娜娜", "欧阳**"},
      {"欧阳锋", "欧阳*"},
      {"欧阳", "欧*"},
      {"司马相如", "司马**"},
      {"John", "J***"},
      {"阿卜杜·热合曼", "阿******"},
  };
  for (const Case& c : cases) EXPECT_EQ(MaskName(c.name), c.want) << c.name;
}

TEST(Utf8Test, ValidatesStrictly) {
  struct Case {
    std::string text;
    bool valid;
    std::string_view why;
  };
  const Case cases[] = {
      {"", true, "empty"},
      {"hello", true, "ASCII"},
      {"安心保险", true, "CJK"},
      {"\xF0\x9F\x98\x80", true, "emoji U+1F600"},
      {"\xF4\x8F\xBF\xBF", true, "U+10FFFF"},
      {"\xEF\xBF\xBF", true, "U+FFFF"},
      {"\xC2\x80", true, "U+0080"},
      {std::string("a\0b", 3), true, "NUL is a code point"},
      {"\xC0\xAF", false, "overlong slash"},
      {"\xC1\xBF", false, "overlong 2-byte"},
      {"\xE0\x80\xAF", false, "overlong 3-byte"},
      {"\xF0\x80\x80\xAF", false, "overlong 4-byte"},
      {"\xED\xA0\x80", false, "surrogate U+D800"},
      {"\xED\xBF\xBF", false, "surrogate U+DFFF"},
      {"\xF4\x90\x80\x80", false, "U+110000"},
      {"\xF5\x80\x80\x80", false, "lead byte F5"},
      {"\xFF", false, "byte FF"},
      {"\x80", false, "stray continuation"},
      {"\xE5\xAE", false, "truncated 3-byte"},
      {"\xE5\xAEx", false, "bad continuation"},
      {"ok\xF0\x9F\x98", false, "truncated at end"},
  };
  for (const Case& c : cases) EXPECT_EQ(IsValidUtf8(c.text), c.valid) << c.why;
}

TEST(Utf8Test, CountsCodePoints) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("安心"), 2u);
  EXPECT_EQ(Utf8Length("a安\xF0\x9F\x98\x80"), 3u);
}

}  // namespace
}  // namespace anxin
