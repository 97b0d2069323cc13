#pragma once

#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/status.hpp"
#include "common/validation.hpp"
#include "policies/policy.hpp"

namespace anxin::policies {

// Limits on what a policy may carry.
inline constexpr size_t kMaxPartyNameLength = 50;  // code points
inline constexpr size_t kMaxBeneficiaries = 10;

// Validates an identity document number of `type` and returns it normalised (upper case, without
// spaces and parentheses), or kInvalidArgument "validation_failed" with one FieldError at `field`.
// The formats accepted (RULES.md §5):
//   resident_id           GB 11643-1999 through ParseResidentId: format, real birth date not after
//                         `today`, check character ("invalid_format", "invalid_birth_date",
//                         "invalid_checksum").
//   hk_macau_id           Hong Kong: 1-2 letters, 6 digits and a check character (0-9 or A, the
//                         HKID mod-11 check, often written in parentheses: "A123456(3)");
//                         Macau: 1, 5 or 7 then 6 digits and a check digit ("1234567(8)"; Macau
//                         publishes no check rule, so only the shape is checked).
//   taiwan_id             a letter, 1 or 2, 7 digits and a check digit (the mod-10 check of the
//                         Taiwan national ID: "A123456789").
//   hk_macau_permit       回乡证: H or M and 8 digits (cards since 2013) or 10 digits (older books).
//   taiwan_permit         台胞证: 8 digits (cards since 2015) or 10 digits (older books).
//   passport              5-20 letters and digits.
//   foreign_permanent_id  3 letters and 12 digits (2004 card), or 18 characters starting with 9
//                         with the GB 11643 check character (2023 card).
// Codes: "required", "invalid_format", "invalid_checksum" (and ParseResidentId's).
[[nodiscard]] Result<std::string> NormalizeIdNumber(IdType type, std::string_view number, const Date& today,
                                                    std::string_view field);

// Validates `request` as PolicyIssuer::Issue describes and returns it normalised: names trimmed,
// ID numbers normalised, phones as 11 digits, share_percent 100 for holder and insured. On failure
// returns kInvalidArgument "validation_failed" listing every problem. Party fields are reported at
// role-based paths: "holder.name", "insured.id_number", "beneficiaries[1].share_percent" (the index
// counts beneficiaries only, in the order given). Codes:
//   product_code, plan_code, org_id: "required", "invalid_format"; product_version: "out_of_range";
//   premium_fen: "out_of_range" (negative); start_date, end_date: "invalid_date"; end_date:
//   "before_start"; card_serial: "required" (source card), "not_allowed" (other sources),
//   "invalid_format"; coverages: "invalid_format" (not an array); holder, insured: "required"
//   (none), "duplicate" (more than one); beneficiaries: "too_many", "shares_not_100";
//   <party>.name: "required", "too_long", "invalid_format"; <party>.id_number: see
//   NormalizeIdNumber; <party>.birth_date: "invalid_date" (not a real date, before 1800 or after
//   today), "birth_date_mismatch" (differs from the resident ID); <party>.sex: "sex_mismatch";
//   <party>.phone: "required" (holder), "invalid_format"; beneficiaries[i].share_percent:
//   "out_of_range" (1-100).
// Pure; thread-safe.
[[nodiscard]] Result<NewPolicy> ValidateNewPolicy(const NewPolicy& request, const Date& today);

}  // namespace anxin::policies
