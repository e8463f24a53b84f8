#ifndef COMMON_FIELD_ERROR_H_
#define COMMON_FIELD_ERROR_H_

// Errors that name the offending field: "enterprise.credit_code: check character is
// 'Y', expected '3'". Every INVALID_ARGUMENT the API returns is built here, so the
// format is the same everywhere.

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace regulation {

// INVALID_ARGUMENT "<field>: <reason>".
inline absl::Status InvalidField(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

// Prefixes a validator's status with the field it checked; OK stays OK and the code
// is kept.
inline absl::Status ForField(absl::string_view field, const absl::Status& status) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(field, ": ", status.message()));
}

}  // namespace regulation

#endif  // COMMON_FIELD_ERROR_H_
