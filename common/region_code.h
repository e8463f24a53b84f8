#ifndef COMMON_REGION_CODE_H_
#define COMMON_REGION_CODE_H_

// Administrative region codes (GB/T 2260): six digits, the first two a province-level
// division (11 Beijing ... 65 Xinjiang, 71 Taiwan, 81 Hong Kong, 82 Macao).
// A region prefix (0-6 digits) selects a jurisdiction: "33" Zhejiang, "3301" Hangzhou.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace regulation {

// OK for a six-digit code whose first two digits are a province-level division;
// otherwise INVALID_ARGUMENT saying why (no field name; callers prefix it).
absl::Status ValidateRegionCode(absl::string_view code);

// OK for 0-6 digits whose first two (when present) are a province-level division.
absl::Status ValidateRegionPrefix(absl::string_view prefix);

// True when the two digits are a GB/T 2260 province-level division code.
bool IsProvinceCode(absl::string_view two_digits);

}  // namespace regulation

#endif  // COMMON_REGION_CODE_H_
