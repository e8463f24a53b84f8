#ifndef TOOLS_REGCTL_DATE_TIME_FLAG_H_
#define TOOLS_REGCTL_DATE_TIME_FLAG_H_

// regctl's one parser for date and time flags. Every date is a day in China Standard
// Time (UTC+8), the time zone the records are kept in; a time is RFC 3339 with its offset
// (2026-05-01T08:00:00+08:00).
//
// A date-only value that ends something means the end of that day, so the whole day is
// included, whichever flag it is:
//   --until (audit list)        a range's exclusive end: the next day's first instant;
//   --as_of (portrait, score)   a moment: the day's last nanosecond (for today: now);
//   --to (backtest)             the period's last day, a date sent as it is.
// A date-only value that starts something (--since) means that day's first instant.
//
// Every error is INVALID_ARGUMENT and names the flag and the accepted forms.
// Thread safety: stateless functions.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace regulation::regctl {

// YYYY-MM-DD, for flags that take a day only (--established, --inspection_end, backtest
// --from and --to, results overdue --as_of).
absl::StatusOr<absl::CivilDay> ParseDayFlag(absl::string_view flag, absl::string_view text);

// Where a range starts: RFC 3339, or a date's first instant.
absl::StatusOr<absl::Time> ParseRangeStartFlag(absl::string_view flag, absl::string_view text);

// Where a range ends, exclusively: RFC 3339, or for a date the next day's first instant
// (the range includes the whole day).
absl::StatusOr<absl::Time> ParseRangeEndFlag(absl::string_view flag, absl::string_view text);

// A moment that includes everything up to it: RFC 3339, or for a date the day's last
// nanosecond; for today's date, `now` (the server refuses a moment in the future, and a
// later date is left as it is so that it is refused too).
absl::StatusOr<absl::Time> ParseAsOfFlag(absl::string_view flag, absl::string_view text,
                                         absl::Time now);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_DATE_TIME_FLAG_H_
