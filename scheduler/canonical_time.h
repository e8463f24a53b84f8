#ifndef SCHEDULER_CANONICAL_TIME_H_
#define SCHEDULER_CANONICAL_TIME_H_

// The one way the draw writes a moment (docs/draw-spec.md §1): RFC 3339 in UTC with
// exactly six fractional digits, "2026-12-01T02:00:00.000000Z". Fixed width, so two such
// strings compare in time order byte by byte.
//
// Thread safety: stateless functions.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace regulation::scheduler {

// `t` truncated to the microsecond. REQUIRES: a year 1000-9999.
std::string CanonicalTime(absl::Time t);

// The moment `text` writes; INVALID_ARGUMENT "<field>: ..." unless it is exactly the
// canonical form of a real moment.
absl::StatusOr<absl::Time> ParseCanonicalTime(absl::string_view field, absl::string_view text);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_CANONICAL_TIME_H_
