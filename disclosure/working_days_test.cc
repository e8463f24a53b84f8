#include "disclosure/working_days.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace regulation::disclosure {
namespace {

using Day = absl::CivilDay;

// The 2025 National Day block, as in the shipped calendar.
HolidayCalendar NationalDay2025() {
  absl::StatusOr<HolidayCalendar> calendar = HolidayCalendar::Parse(
      "2025-09-28 workday\n"
      "2025-10-01 holiday\n2025-10-02 holiday\n2025-10-03 holiday\n2025-10-04 holiday\n"
      "2025-10-05 holiday\n2025-10-06 holiday\n2025-10-07 holiday\n2025-10-08 holiday\n"
      "2025-10-11 workday\n");
  return *calendar;
}

TEST(ResultPublicationDeadline, TwentiethWorkingDayAfterTheInspectionEnds) {
  const HolidayCalendar calendar = NationalDay2025();
  EXPECT_EQ(ResultPublicationDeadline(calendar, Day(2025, 9, 19)), Day(2025, 10, 23));
  // The end day does not count even when it is a working day.
  EXPECT_EQ(ResultPublicationDeadline(calendar, Day(2025, 11, 3), 1), Day(2025, 11, 4));
  EXPECT_EQ(ResultPublicationDeadline(calendar, Day(2025, 11, 3), kResultHandOverWorkingDays),
            Day(2025, 11, 12));
  EXPECT_EQ(kResultPublicationWorkingDays, 20);
}

TEST(WorkingDaysLate, OnTimeLateAndWeekends) {
  const HolidayCalendar calendar = NationalDay2025();
  const Day deadline(2025, 10, 23);  // Thursday.
  EXPECT_TRUE(PublishedInTime(deadline, Day(2025, 10, 23)));
  EXPECT_EQ(WorkingDaysLate(calendar, deadline, Day(2025, 10, 1)), 0);
  EXPECT_EQ(WorkingDaysLate(calendar, deadline, deadline), 0);
  EXPECT_FALSE(PublishedInTime(deadline, Day(2025, 10, 24)));
  EXPECT_EQ(WorkingDaysLate(calendar, deadline, Day(2025, 10, 24)), 1);
  EXPECT_EQ(WorkingDaysLate(calendar, deadline, Day(2025, 10, 27)), 2);
  // Friday deadline, Saturday publication: late, by at least one day.
  EXPECT_EQ(WorkingDaysLate(calendar, Day(2025, 10, 24), Day(2025, 10, 25)), 1);
}

TEST(ChinaCivilDay, UsesUtcPlusEight) {
  const absl::Time t =
      absl::FromCivil(absl::CivilSecond(2026, 11, 27, 16, 30, 0), absl::UTCTimeZone());
  EXPECT_EQ(ChinaCivilDay(t), Day(2026, 11, 28));
  EXPECT_EQ(ChinaCivilDay(t - absl::Hours(1)), Day(2026, 11, 27));
}

}  // namespace
}  // namespace regulation::disclosure
