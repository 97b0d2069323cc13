#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/enum_table.hpp"
#include "common/status.hpp"

namespace anxin {

enum class Sex { kMale, kFemale };

inline constexpr EnumTable<Sex, 2> kSexes{{{
    {Sex::kMale, "male"},
    {Sex::kFemale, "female"},
}}};

// What an 18-character resident ID number (GB 11643-1999) says about its holder.
struct ResidentIdInfo {
  std::string number;  // upper-case, 18 characters
  std::string region_code;
  Date birth_date;
  Sex sex = Sex::kMale;
};

// Validates a resident ID number (RULES.md §5): format, birth date (real, not after `today`, not
// before 1800: the standard's own example was born in 1880), and check character. A lower-case
// final 'x' is accepted and upper-cased. Errors are kInvalidArgument with reason
// "validation_failed" and one FieldError at `field` whose code is one of "invalid_format",
// "invalid_birth_date", "invalid_checksum".
[[nodiscard]] Result<ResidentIdInfo> ParseResidentId(std::string_view number, const Date& today,
                                                     std::string_view field = "id_number");

// Validates a Unified Social Credit Code (GB 32100-2015). Codes as above ("invalid_format",
// "invalid_checksum"). Returns the upper-cased code.
[[nodiscard]] Result<std::string> ValidateUscc(std::string_view code, std::string_view field = "uscc");

// Validates a mainland mobile number (11 digits 1[3-9]xxxxxxxxx, optional +86/86 prefix, spaces and
// dashes ignored) and returns the 11 digits. Code "invalid_format".
[[nodiscard]] Result<std::string> NormalizeMobile(std::string_view number, std::string_view field = "phone");

// A bank card number's check: 16-19 digits is required; Luhn failure is only a warning because
// some UnionPay cards do not pass it.
struct BankCardCheck {
  std::string digits;
  bool luhn_ok = false;
};
[[nodiscard]] Result<BankCardCheck> CheckBankCard(std::string_view number,
                                                  std::string_view field = "bank_card");

// Identity document types the platform accepts for real-name records.
enum class IdType {
  kResidentId,          // 居民身份证
  kHongKongMacauId,     // 港澳居民身份证
  kTaiwanId,            // 台湾居民身份证
  kHkMacauPermit,       // 回乡证
  kTaiwanPermit,        // 台胞证
  kForeignPassport,     // 外籍护照
  kForeignPermanentId,  // 外国人永久居住证
};

inline constexpr EnumTable<IdType, 7> kIdTypes{{{
    {IdType::kResidentId, "resident_id"},
    {IdType::kHongKongMacauId, "hk_macau_id"},
    {IdType::kTaiwanId, "taiwan_id"},
    {IdType::kHkMacauPermit, "hk_macau_permit"},
    {IdType::kTaiwanPermit, "taiwan_permit"},
    {IdType::kForeignPassport, "passport"},
    {IdType::kForeignPermanentId, "foreign_permanent_id"},
}}};

// The name of an identity document type (kIdTypes) and its parser (nullopt for any other text).
[[nodiscard]] std::string_view IdTypeName(IdType type);
[[nodiscard]] std::optional<IdType> ParseIdType(std::string_view name);

// Masks for display (RULES.md §6): "110105********002X", "138****5678", "6225 **** **** 7430".
// MaskIdNumber keeps the first 6 and last 4 of an 18-character number; MaskPhone the first 3 and
// last 4 of 11 digits; MaskBankCard the first 4 and last 4 digits (spaces ignored) and always shows
// two masked groups, hiding the length. Any other length keeps at most 2 characters at each end
// and masks at least half (every character of very short input).
[[nodiscard]] std::string MaskIdNumber(std::string_view number);
[[nodiscard]] std::string MaskPhone(std::string_view phone);
[[nodiscard]] std::string MaskBankCard(std::string_view digits);
// Masks a personal name for display, one '*' per masked code point: the surname is kept ("张*",
// "张**"; a common compound surname when the name is longer than it: "欧阳**"); a one-character
// name becomes "*".
[[nodiscard]] std::string MaskName(std::string_view name);

// Returns true if `text` is valid UTF-8 (no overlongs, no surrogates).
[[nodiscard]] bool IsValidUtf8(std::string_view text);
// Returns the number of code points of valid UTF-8 `text`.
[[nodiscard]] size_t Utf8Length(std::string_view text);

}  // namespace anxin
