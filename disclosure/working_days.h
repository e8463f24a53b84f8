#ifndef DISCLOSURE_WORKING_DAYS_H_
#define DISCLOSURE_WORKING_DAYS_H_

// The disclosure deadlines, counted in working days (holiday_calendar.h):
//
//   Results are published on NECIPS within 20 working days of the inspection's end
//   (企业信息公示暂行条例 Art. 6; shared/notes/domain.md, "Disclosure").
//
// "Within N working days of day E" is read as: the day E itself is not counted (民法典
// Art. 201: a period counted in days starts on the next day), and the last timely day is
// the N-th working day after E: ResultPublicationDeadline(calendar, E) ==
// calendar.AddWorkingDays(E, 20). Publishing on that day or earlier is in time. Because
// the deadline is itself a working day, the Civil Code's rule that a period ending on a
// holiday runs to the next working day (Art. 203) never moves it.
//
// Thread safety: pure functions; safe from any thread while `calendar` is not mutated
// (HolidayCalendar is immutable).

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "disclosure/holiday_calendar.h"

namespace regulation::disclosure {

// Working days within which an inspection result must be published.
inline constexpr int kResultPublicationWorkingDays = 20;

// Working days within which another department hands its results over for publication
// (a provincial rule, Guangdong; UNCONFIRMED elsewhere).
inline constexpr int kResultHandOverWorkingDays = 7;

// The calendar day in China (UTC+8) at instant `t`: the day a deadline is counted from.
absl::CivilDay ChinaCivilDay(absl::Time t);

// The last day on which the result of an inspection that ended on `inspection_end` is
// published in time: the `working_days`-th working day after it.
// REQUIRES: working_days >= 0.
absl::CivilDay ResultPublicationDeadline(const HolidayCalendar& calendar,
                                         absl::CivilDay inspection_end,
                                         int working_days = kResultPublicationWorkingDays);

// Whether publication on `published_on` meets `deadline` (on or before it).
inline bool PublishedInTime(absl::CivilDay deadline, absl::CivilDay published_on) {
  return published_on <= deadline;
}

// How late publication on `published_on` is, in working days: 0 when in time, otherwise
// the working days in (deadline, published_on] but at least 1 (publishing on the Saturday
// after a Friday deadline is 1 day late).
int WorkingDaysLate(const HolidayCalendar& calendar, absl::CivilDay deadline,
                    absl::CivilDay published_on);

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_WORKING_DAYS_H_
