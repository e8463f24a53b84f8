#include "disclosure/working_days.h"

#include <algorithm>

#include "common/clock.h"

namespace regulation::disclosure {

absl::CivilDay ChinaCivilDay(absl::Time t) { return absl::ToCivilDay(t, ChinaTimeZone()); }

absl::CivilDay ResultPublicationDeadline(const HolidayCalendar& calendar,
                                         absl::CivilDay inspection_end, int working_days) {
  return calendar.AddWorkingDays(inspection_end, working_days);
}

int WorkingDaysLate(const HolidayCalendar& calendar, absl::CivilDay deadline,
                    absl::CivilDay published_on) {
  if (PublishedInTime(deadline, published_on)) return 0;
  return std::max(1, calendar.WorkingDaysBetween(deadline, published_on));
}

}  // namespace regulation::disclosure
