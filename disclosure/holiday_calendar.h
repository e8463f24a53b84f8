#ifndef DISCLOSURE_HOLIDAY_CALENDAR_H_
#define DISCLOSURE_HOLIDAY_CALENDAR_H_

// Working days under China's official holiday schedule: Monday to Friday, minus public
// holidays, plus the Saturdays and Sundays the State Council declares working days
// (调休上班). Loaded from a text file (disclosure/holidays/cn-2025-2027.txt):
//
//   # comment                     (anything after '#' is ignored; blank lines too)
//   2026-10-01 holiday            a day off, whatever its weekday
//   2026-10-10 workday            an adjusted working day; must be a Saturday or Sunday
//
// Dates are calendar days in China (UTC+8); see ChinaCivilDay in working_days.h.
// A year the file does not mention is weekends-only; CoversYear tells callers when a
// date falls outside the schedule so that they can warn.
//
//   REG_ASSIGN_OR_RETURN(HolidayCalendar calendar, HolidayCalendar::LoadFromFile(path));
//   absl::CivilDay deadline = calendar.AddWorkingDays(inspection_end, 20);
//
// Thread safety: immutable after construction; every const method may be called from
// any number of threads at once. Copyable and movable.

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace regulation::disclosure {

class HolidayCalendar {
 public:
  // No holidays and no adjusted workdays: Monday to Friday are the working days.
  HolidayCalendar() = default;

  // Parses the file format above. INVALID_ARGUMENT, naming the 1-based line, for a
  // malformed line, an impossible date (2026-02-30), an unknown kind, a date listed
  // twice, or a "workday" that is not a Saturday or Sunday.
  static absl::StatusOr<HolidayCalendar> Parse(absl::string_view contents);

  // Reads and parses `path`. NOT_FOUND when it does not exist, PERMISSION_DENIED when it
  // cannot be read for lack of permission, UNAVAILABLE for other read errors, and the
  // codes of Parse (messages prefixed with the path).
  static absl::StatusOr<HolidayCalendar> LoadFromFile(const std::string& path);

  // Listed as a holiday.
  bool IsHoliday(absl::CivilDay day) const;
  // Listed as an adjusted working day (a Saturday or Sunday).
  bool IsAdjustedWorkday(absl::CivilDay day) const;
  // Monday to Friday and not a holiday, or an adjusted working day.
  bool IsWorkingDay(absl::CivilDay day) const;

  // The date `n` working days after `start`, counting from the day after `start`
  // (`start` itself never counts, even when it is a working day):
  //   n > 0: the n-th working day after `start`;
  //   n = 0: `start` itself;
  //   n < 0: the |n|-th working day before `start`.
  // So the deadline "within 20 working days of day E" is AddWorkingDays(E, 20), the 20th
  // working day after E, always a working day. O(|n|) days are examined.
  absl::CivilDay AddWorkingDays(absl::CivilDay start, int n) const;

  // Signed: the number of working days in (from, to] when from <= to, and minus the
  // number in (to, from] when to < from. Antisymmetric and additive
  // (Between(a, b) + Between(b, c) == Between(a, c)); for n >= 0,
  // WorkingDaysBetween(d, AddWorkingDays(d, n)) == n. O(|to - from|) days are examined.
  int WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const;

  // Whether the loaded schedule lists any day of `year`.
  bool CoversYear(absl::civil_year_t year) const;
  // The years the schedule lists any day of, ascending.
  std::vector<absl::civil_year_t> CoveredYears() const;

 private:
  // Constant after construction.
  std::set<absl::CivilDay> holidays_;
  std::set<absl::CivilDay> workdays_;
  std::set<absl::civil_year_t> years_;
};

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_HOLIDAY_CALENDAR_H_
