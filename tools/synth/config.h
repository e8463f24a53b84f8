#ifndef TOOLS_SYNTH_CONFIG_H_
#define TOOLS_SYNTH_CONFIG_H_

// The parameters of a synthetic population and the time frame they imply.
//
// Everything the generator writes is a pure function of a SynthConfig: the number of
// enterprises, the years of history, the seed and the end date. Times are counted in
// China Standard Time (UTC+8, no daylight saving since 1991) for dates, and stored as
// Unix seconds (UTC).
//
// Thread safety: plain values; the functions are pure.

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace regulation::synth {

inline constexpr int64_t kSecondsPerDay = 86400;
// China Standard Time is UTC+8.
inline constexpr int64_t kChinaOffsetSeconds = 8 * 3600;
// Organisation codes are made from the index in 8 characters: at most 10^8 enterprises.
inline constexpr int64_t kMaxEnterprises = 100000000;
inline constexpr int kMaxYears = 20;
// Establishment dates start here.
inline constexpr absl::CivilDay kEarliestEstablishment{1995, 1, 1};

struct SynthConfig {
  int64_t enterprises = 0;
  // Years of event history, ending at end_date.
  int years = 3;
  uint64_t seed = 0;
  // Last day of the history (China Standard Time); no event happens after it.
  absl::CivilDay end_date{2026, 6, 30};
};

// OK, or INVALID_ARGUMENT naming the field: enterprises in [1, 10^8], years in [1, 20],
// end_date in [2000-01-01, 2099-12-31].
absl::Status ValidateConfig(const SynthConfig& config);

// "YYYY-MM-DD" as a calendar day; INVALID_ARGUMENT for anything else, including dates
// that do not exist (2026-02-30).
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text);

// "YYYY-MM-DD".
std::string FormatDate(absl::CivilDay day);

// The history window: the `years` years of days ending at end_date, e.g. 2023-07-01 to
// 2026-06-30 for 3 years ending 2026-06-30.
struct Window {
  absl::CivilDay first_day;
  absl::CivilDay last_day;
  int64_t start_seconds;  // first_day 00:00 China Standard Time, as Unix seconds
  int64_t end_seconds;    // the day after last_day, 00:00 CST: the exclusive end
};
Window WindowOf(const SynthConfig& config);

// Unix seconds of 00:00 CST of `day`.
int64_t DayStartSeconds(absl::CivilDay day);
// Unix seconds of a moment given in CST.
int64_t ChinaSecondsToUnix(absl::CivilSecond local);
// The CST calendar day that contains Unix second `seconds`.
absl::CivilDay ChinaDayOf(int64_t seconds);

}  // namespace regulation::synth

#endif  // TOOLS_SYNTH_CONFIG_H_
