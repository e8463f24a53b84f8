#ifndef SCHEDULER_FIELD_CHECKS_H_
#define SCHEDULER_FIELD_CHECKS_H_

// Checks shared by the draw's inputs and files (docs/draw-spec.md §9). Each returns OK or
// INVALID_ARGUMENT whose message starts with `field`, e.g.
// "plan.due_date: must be a date YYYY-MM-DD, got \"2026-02-30\"".
//
// Thread safety: stateless functions.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace regulation::scheduler {

// 1 to `max_bytes` bytes of text that passes the common text policy
// (common/text_policy.h: UTF-8, no control, bidirectional-formatting or zero-width
// characters, not blank).
absl::Status CheckText(absl::string_view field, absl::string_view value, int max_bytes);

// A real calendar date written YYYY-MM-DD (years 1000-9999).
absl::Status CheckIsoDate(absl::string_view field, absl::string_view value);

// Exactly 64 lowercase hexadecimal characters (a SHA-256 digest as the spec writes it).
absl::Status CheckDigestHex(absl::string_view field, absl::string_view value);

// A unified social credit code with a correct check character (GB 32100-2015).
absl::Status CheckCreditCode(absl::string_view field, absl::string_view value);

// A six-digit region code (GB/T 2260) whose first two digits name a province.
absl::Status CheckRegionCode(absl::string_view field, absl::string_view value);

// The same acceptance as common's ValidateCreditCode and ValidateRegionCode, table-driven
// and without building a status: the draw checks every row of a population.
bool IsCreditCode(absl::string_view code);
bool IsRegionCode(absl::string_view code);
// The acceptance of CheckInspectorId.
bool IsInspectorId(absl::string_view id);

// An inspector id: 1-64 characters from [A-Za-z0-9._-].
absl::Status CheckInspectorId(absl::string_view field, absl::string_view value);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_FIELD_CHECKS_H_
