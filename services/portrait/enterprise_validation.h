#ifndef SERVICES_PORTRAIT_ENTERPRISE_VALIDATION_H_
#define SERVICES_PORTRAIT_ENTERPRISE_VALIDATION_H_

// Validation of enterprise records as they enter through the API.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "regulation/v1/enterprise.pb.h"

namespace regulation::services {

inline constexpr int kMaxEnterpriseNameChars = 200;
inline constexpr int kMaxAddressChars = 500;

// OK when every input field of `enterprise` is valid (output-only fields are ignored);
// otherwise INVALID_ARGUMENT naming the first bad field as `<prefix>.<field>`,
// e.g. "enterprise.region_code: must be six digits (GB/T 2260), got \"3301\"".
// `today` is the current date in China: establishment dates may not be later.
absl::Status ValidateEnterprise(const v1::Enterprise& enterprise, absl::string_view prefix,
                                absl::CivilDay today);

// Copies the input fields only (clears version and times).
v1::Enterprise InputFieldsOf(const v1::Enterprise& enterprise);

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_ENTERPRISE_VALIDATION_H_
