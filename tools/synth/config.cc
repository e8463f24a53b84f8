#include "tools/synth/config.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace regulation::synth {

absl::Status ValidateConfig(const SynthConfig& config) {
  if (config.enterprises < 1 || config.enterprises > kMaxEnterprises) {
    return absl::InvalidArgumentError(
        absl::StrCat("enterprises: must be 1 to ", kMaxEnterprises, ", got ", config.enterprises));
  }
  if (config.years < 1 || config.years > kMaxYears) {
    return absl::InvalidArgumentError(
        absl::StrCat("years: must be 1 to ", kMaxYears, ", got ", config.years));
  }
  if (config.end_date < absl::CivilDay(2000, 1, 1) ||
      config.end_date > absl::CivilDay(2099, 12, 31)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "end_date: must be 2000-01-01 to 2099-12-31, got ", FormatDate(config.end_date)));
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text) {
  int year = 0, month = 0, day = 0;
  char tail = 0;
  const std::string s(text);
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3 ||
      s[4] != '-' || s[7] != '-') {
    return absl::InvalidArgumentError(absl::StrCat("expected YYYY-MM-DD, got \"", text, "\""));
  }
  const absl::CivilDay parsed(year, month, day);
  if (parsed.year() != year || parsed.month() != month || parsed.day() != day) {
    return absl::InvalidArgumentError(absl::StrCat("no such date: \"", text, "\""));
  }
  return parsed;
}

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

int64_t ChinaSecondsToUnix(absl::CivilSecond local) {
  return (local - absl::CivilSecond(1970, 1, 1, 0, 0, 0)) - kChinaOffsetSeconds;
}

int64_t DayStartSeconds(absl::CivilDay day) { return ChinaSecondsToUnix(absl::CivilSecond(day)); }

absl::CivilDay ChinaDayOf(int64_t seconds) {
  const int64_t local = seconds + kChinaOffsetSeconds;
  int64_t days = local / kSecondsPerDay;
  if (local % kSecondsPerDay < 0) --days;
  return absl::CivilDay(1970, 1, 1) + days;
}

Window WindowOf(const SynthConfig& config) {
  const absl::CivilDay end = config.end_date;
  // Same month and day `years` earlier (29 February normalises to 1 March), plus a day.
  const absl::CivilDay first =
      absl::CivilDay(end.year() - config.years, end.month(), end.day()) + 1;
  Window w;
  w.first_day = first;
  w.last_day = end;
  w.start_seconds = DayStartSeconds(first);
  w.end_seconds = DayStartSeconds(end + 1);
  return w;
}

}  // namespace regulation::synth
