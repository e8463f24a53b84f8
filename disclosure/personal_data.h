#ifndef DISCLOSURE_PERSONAL_DATA_H_
#define DISCLOSURE_PERSONAL_DATA_H_

// Checks on single values that may be a natural person's identifier: resident identity
// card numbers (居民身份证号码, GB 11643-1999), mainland mobile and landline numbers,
// and bank card numbers. The redactor (redaction.h) finds candidates in free text and
// asks these functions what they are; docs/redaction-and-deadlines.md states every rule.
//
// Every function takes ASCII text that has already been normalised (full-width digits
// mapped to ASCII, separators removed); none of them allocates or fails. Anything that
// is not of the expected shape simply answers false (or kOther).
//
// Thread safety: all functions are pure and safe to call from any thread.

#include "absl/strings/string_view.h"

namespace regulation::disclosure {

// --- Resident identity card numbers ------------------------------------------------

// The ISO 7064 MOD 11-2 check character of the first 17 digits of an 18-character
// identity card number: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, and the sum
// mod 11 maps 0..10 to 1 0 X 9 8 7 6 5 4 3 2.
// REQUIRES: `first17` holds exactly 17 ASCII digits.
char IdCardCheckCharacter(absl::string_view first17);

// True when `id` looks like an 18-character identity card number, whatever its check
// character: 17 ASCII digits, then a digit or 'X'; the first two digits a province-level
// code in use (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81-83); digits 7-14 a real
// calendar date between 1900-01-01 and 2099-12-31.
bool HasIdCardShape18(absl::string_view id);

// True when `id` has the 18-character shape and its check character is correct.
bool IsValidIdCardNumber18(absl::string_view id);

// True when `id` looks like a first-generation 15-digit identity card number: 15 ASCII
// digits, a province-level code in use, and digits 7-12 a real date 19YYMMDD. These
// numbers carry no check digit.
bool HasIdCardShape15(absl::string_view id);

// True when `code` starts like a unified social credit code: a registering department
// of GB 32100-2015 (1-9, A, N, Y) and a region whose first two digits are a province-level
// code (or 10, the national level of central registrations such as 91100000...). The
// check character is not examined (IsValidCreditCode in common/credit_code.h does that).
bool HasCreditCodeStructure(absl::string_view code);

// True when characters 9-17 of the 18-character credit code `code` are a GB 11714
// organisation code with a correct check character: weights 3 7 9 10 5 8 4 2 over
// characters 9-16 (digits 0-9, letters A-Z 10-35), C17 = 11 - (sum mod 11), 10 -> 'X',
// 11 -> '0'. Legacy (all-digit) credit codes follow it; some newer codes may not.
bool HasValidOrganizationCodeCheck(absl::string_view code);

// What an 18-character run of 17 digits and a final digit or 'X' is. The precedence
// (docs/redaction-and-deadlines.md) puts privacy first:
//   kIdCard          identity card shape and a correct ISO 7064 check character, even
//                    when the run is also a valid credit code;
//   kCreditCode      otherwise, a valid unified social credit code (GB 32100-2015 check)
//                    with HasCreditCodeStructure, except an all-digit run that also
//                    passes the Luhn check (an 18-digit bank card?) and whose
//                    organisation code fails HasValidOrganizationCodeCheck;
//   kIdCardBadCheck  otherwise, identity card shape with a wrong check character (still
//                    treated as an identity card number: typos must not leak);
//   kOther           none of these (the caller may still find a bank card in it).
enum class EighteenCharacterClass { kIdCard, kCreditCode, kIdCardBadCheck, kOther };
EighteenCharacterClass ClassifyEighteenCharacters(absl::string_view run);

// --- Telephone numbers ---------------------------------------------------------------

// True for a mainland mobile number: 11 ASCII digits, "1" then 3-9.
bool IsMainlandMobileNumber(absl::string_view digits);

// The length of the long-distance area code at the start of `digits` (which begins with
// the trunk prefix 0): 3 for 010 and 020-029, 4 for 03xx-09xx; 0 when `digits` does not
// start with a plausible area code (00, 011-019, no leading 0, fewer than 3 or 4 digits).
int AreaCodeLength(absl::string_view digits);

// The same without the trunk prefix, as written after +86: 2 for 10 and 20-29, 3 for
// 3xx-9xx; 0 otherwise.
int AreaCodeLengthWithoutTrunkPrefix(absl::string_view digits);

// True for a local landline subscriber number: 7 or 8 ASCII digits, the first not 0.
bool IsLocalLandlineNumber(absl::string_view digits);

// --- Bank cards ----------------------------------------------------------------------

// True when `digits` (ASCII digits only, at least 2) passes the Luhn (ISO/IEC 7812-1)
// check.
bool PassesLuhnCheck(absl::string_view digits);

// True for a bank card number: 16 to 19 ASCII digits passing the Luhn check.
bool IsBankCardNumber(absl::string_view digits);

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_PERSONAL_DATA_H_
