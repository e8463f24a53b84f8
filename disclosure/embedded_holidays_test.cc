#include "disclosure/embedded_holidays.h"

#include "disclosure/holiday_calendar.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::disclosure {
namespace {

TEST(EmbeddedHolidays, TheCompiledInCalendarParsesAndKnowsNationalDay2026) {
  absl::StatusOr<HolidayCalendar> calendar = HolidayCalendar::Parse(EmbeddedHolidayCalendar());
  ASSERT_OK(calendar);
  EXPECT_TRUE(calendar->IsHoliday(absl::CivilDay(2026, 10, 1)));
  EXPECT_TRUE(calendar->CoversYear(2026));
}

}  // namespace
}  // namespace regulation::disclosure
