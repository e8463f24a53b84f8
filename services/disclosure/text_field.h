#ifndef SERVICES_DISCLOSURE_TEXT_FIELD_H_
#define SERVICES_DISCLOSURE_TEXT_FIELD_H_

// Free text in a disclosure request (comments, reasons, findings, legal bases).
//
// Thread safety: pure function.

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace regulation::services {

// INVALID_ARGUMENT naming `field` when it is empty but `required`, longer than
// `max_bytes`, or not valid UTF-8.
absl::Status ValidateTextField(absl::string_view field, absl::string_view text, size_t max_bytes,
                               bool required);

}  // namespace regulation::services

#endif  // SERVICES_DISCLOSURE_TEXT_FIELD_H_
