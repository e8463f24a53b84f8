#include "tools/regctl/as_of.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/clock.h"

namespace regulation::regctl {

absl::StatusOr<absl::Time> ParseAsOf(const std::string& text) {
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, text, &time, &error)) return time;
  absl::CivilDay day;
  if (absl::ParseCivilTime(text, &day)) {
    // The end of that day; for today, now. A later day is left as it is: the server refuses
    // a moment in the future, and so must a future date.
    const absl::Time end = absl::FromCivil(day + 1, ChinaTimeZone()) - absl::Microseconds(1);
    const absl::Time now = absl::Now();
    return day == absl::ToCivilDay(now, ChinaTimeZone()) ? std::min(end, now) : end;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--as_of: expected RFC 3339 or YYYY-MM-DD, got \"", text, "\""));
}

}  // namespace regulation::regctl
