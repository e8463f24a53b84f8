#ifndef COMMON_CREDIT_CODE_H_
#define COMMON_CREDIT_CODE_H_

// The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters
//   1     registering department        2     entity type
//   3-8   region of registration (GB/T 2260, six digits)
//   9-17  organisation code (GB 11714)  18    check character
// over an alphabet of 31 characters, 0-9 A-H J-N P Q R T U W X Y (no I, O, S, V, Z),
// valued 0-30 in that order. The check character C18 = 31 - (sum C_i * 3^(i-1) mod 31)
// mod 31, over i = 1..17.
//
// The organisation code's own check digit (position 17) is not enforced: codes issued
// to some kinds of entity do not follow GB 11714, and the GB 32100 check already
// catches every single-character error.

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace regulation {

inline constexpr int kCreditCodeLength = 18;

// OK when `code` is a well-formed credit code with a correct check character;
// otherwise INVALID_ARGUMENT whose message says what is wrong (without a field name;
// callers prefix it), e.g. "check character is 'Y', expected '3'".
absl::Status ValidateCreditCode(absl::string_view code);

inline bool IsValidCreditCode(absl::string_view code) { return ValidateCreditCode(code).ok(); }

// The check character for the first 17 characters of a code.
// REQUIRES: `first17` has 17 characters, all from the alphabet.
char CreditCodeCheckCharacter(absl::string_view first17);

// Value 0-30 of an alphabet character, or -1 for anything else (lowercase included).
int CreditCodeCharValue(char c);

// The alphabet character with value `value`. REQUIRES: 0 <= value < 31.
char CreditCodeCharFromValue(int value);

}  // namespace regulation

#endif  // COMMON_CREDIT_CODE_H_
