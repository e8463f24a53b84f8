#ifndef COMMON_INDUSTRY_CODE_H_
#define COMMON_INDUSTRY_CODE_H_

// Industry codes (GB/T 4754-2017): a section letter A-T, optionally followed by a
// division (two digits), group (three) or class (four) whose first two digits belong
// to that section, e.g. "C", "C13", "C1311".

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace regulation {

// OK for a well-formed code; otherwise INVALID_ARGUMENT saying why (no field name).
absl::Status ValidateIndustryCode(absl::string_view code);

// OK for a prefix of a well-formed code ("" matches every industry).
absl::Status ValidateIndustryPrefix(absl::string_view prefix);

}  // namespace regulation

#endif  // COMMON_INDUSTRY_CODE_H_
