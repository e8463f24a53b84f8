#include "disclosure/holiday_calendar.h"

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::disclosure {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

using Day = absl::CivilDay;

std::string ShippedCalendarPath() {
  return std::string(std::getenv("TEST_SRCDIR")) +
         "/regulation/disclosure/holidays/cn-2025-2027.txt";
}

class ShippedCalendar : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<HolidayCalendar> loaded = HolidayCalendar::LoadFromFile(ShippedCalendarPath());
    ASSERT_OK(loaded);
    calendar_ = *std::move(loaded);
  }
  HolidayCalendar calendar_;
};

// --- Parsing -------------------------------------------------------------------------------

TEST(HolidayCalendarParse, CommentsBlankLinesAndBothKinds) {
  absl::StatusOr<HolidayCalendar> calendar = HolidayCalendar::Parse(
      "# header\n\n2026-10-01 holiday   # 国庆\n\t2026-10-10\tworkday\r\n   \n# end");
  ASSERT_OK(calendar);
  EXPECT_TRUE(calendar->IsHoliday(Day(2026, 10, 1)));
  EXPECT_FALSE(calendar->IsWorkingDay(Day(2026, 10, 1)));
  EXPECT_TRUE(calendar->IsAdjustedWorkday(Day(2026, 10, 10)));
  EXPECT_TRUE(calendar->IsWorkingDay(Day(2026, 10, 10)));
  EXPECT_THAT(calendar->CoveredYears(), ElementsAre(2026));
}

TEST(HolidayCalendarParse, EmptyFileIsWeekendsOnly) {
  absl::StatusOr<HolidayCalendar> calendar = HolidayCalendar::Parse("# nothing\n");
  ASSERT_OK(calendar);
  EXPECT_TRUE(calendar->CoveredYears().empty());
  EXPECT_FALSE(calendar->CoversYear(2026));
}

TEST(HolidayCalendarParse, ErrorsNameTheLine) {
  struct Case {
    const char* contents;
    const char* message;
  };
  for (const Case& c : {
           Case{"2026-10-01 holiday\n2026-13-01 holiday", "line 2: \"2026-13-01\" is not a date"},
           Case{"2026-02-30 holiday", "line 1: \"2026-02-30\" is not a date"},
           Case{"26-10-01 holiday", "line 1: \"26-10-01\" is not a date"},
           Case{"2026-10-01 vacation", "line 1: unknown kind \"vacation\""},
           Case{"2026-10-01", "line 1: expected"},
           Case{"2026-10-01 holiday extra", "line 1: expected"},
           Case{"\n2026-10-01 holiday\n2026-10-01 holiday", "line 3: 2026-10-01 is listed twice"},
           Case{"2026-10-10 workday\n2026-10-10 holiday", "line 2: 2026-10-10 is listed twice"},
           Case{"2026-10-12 workday", "line 1: 2026-10-12 is a Monday; an adjusted workday"},
       }) {
    absl::StatusOr<HolidayCalendar> calendar = HolidayCalendar::Parse(c.contents);
    EXPECT_THAT(calendar, StatusIs(absl::StatusCode::kInvalidArgument)) << c.contents;
    EXPECT_THAT(std::string(calendar.status().message()), HasSubstr(c.message)) << c.contents;
  }
}

TEST(HolidayCalendarLoad, MissingFileIsNotFound) {
  absl::StatusOr<HolidayCalendar> calendar =
      HolidayCalendar::LoadFromFile("/nonexistent/holidays.txt");
  EXPECT_THAT(calendar,
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("/nonexistent/holidays.txt")));
}

// --- Weekends only -------------------------------------------------------------------------

TEST(HolidayCalendar, DefaultIsMondayToFriday) {
  const HolidayCalendar calendar;
  EXPECT_TRUE(calendar.IsWorkingDay(Day(2026, 11, 27)));   // Friday.
  EXPECT_FALSE(calendar.IsWorkingDay(Day(2026, 11, 28)));  // Saturday.
  EXPECT_FALSE(calendar.IsWorkingDay(Day(2026, 11, 29)));  // Sunday.
  EXPECT_TRUE(calendar.IsWorkingDay(Day(2026, 11, 30)));   // Monday.
}

TEST(HolidayCalendar, AcrossAWeekend) {
  const HolidayCalendar calendar;
  EXPECT_EQ(calendar.AddWorkingDays(Day(2026, 11, 27), 1), Day(2026, 11, 30));
  EXPECT_EQ(calendar.AddWorkingDays(Day(2026, 11, 28), 1), Day(2026, 11, 30));  // From Saturday.
  EXPECT_EQ(calendar.AddWorkingDays(Day(2026, 11, 27), 5), Day(2026, 12, 4));
  EXPECT_EQ(calendar.AddWorkingDays(Day(2026, 11, 30), -1), Day(2026, 11, 27));
  EXPECT_EQ(calendar.AddWorkingDays(Day(2026, 11, 29), -1), Day(2026, 11, 27));  // From Sunday.
  EXPECT_EQ(calendar.WorkingDaysBetween(Day(2026, 11, 27), Day(2026, 11, 30)), 1);
  EXPECT_EQ(calendar.WorkingDaysBetween(Day(2026, 11, 30), Day(2026, 11, 27)), -1);
  EXPECT_EQ(calendar.WorkingDaysBetween(Day(2026, 11, 27), Day(2026, 11, 29)), 0);
}

TEST(HolidayCalendar, ZeroIsTheStartItself) {
  const HolidayCalendar calendar;
  EXPECT_EQ(calendar.AddWorkingDays(Day(2026, 11, 27), 0), Day(2026, 11, 27));
  EXPECT_EQ(calendar.AddWorkingDays(Day(2026, 11, 28), 0), Day(2026, 11, 28));
  EXPECT_EQ(calendar.WorkingDaysBetween(Day(2026, 11, 28), Day(2026, 11, 28)), 0);
}

// --- The shipped 2025-2027 schedule ------------------------------------------------------------

TEST_F(ShippedCalendar, CoversThreeYears) {
  EXPECT_THAT(calendar_.CoveredYears(), ElementsAre(2025, 2026, 2027));
  EXPECT_FALSE(calendar_.CoversYear(2028));
}

TEST_F(ShippedCalendar, SpotChecksAgainstTheStateCouncilNotices) {
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2025, 1, 1)));
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2025, 1, 26)));   // Sunday, 调休上班.
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2025, 1, 28)));  // 除夕.
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2025, 2, 4)));
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2025, 2, 5)));
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2025, 2, 8)));  // Saturday, 调休上班.
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2025, 6, 2)));
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2025, 10, 8)));
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2025, 10, 11)));  // Saturday, 调休上班.
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2026, 1, 4)));    // Sunday, 调休上班.
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2026, 2, 14)));
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2026, 2, 23)));
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2026, 2, 28)));
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2026, 4, 6)));
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2026, 5, 9)));
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2026, 6, 19)));
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2026, 9, 25)));
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2026, 9, 20)));
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2026, 10, 7)));
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2026, 10, 8)));
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2026, 10, 10)));
  // 2027 (statutory days only, UNCONFIRMED): 除夕 and 中秋.
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2027, 2, 5)));
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2027, 9, 15)));
}

TEST_F(ShippedCalendar, ConfirmedYearsHave248WorkingDays) {
  // 365 days - 104 weekend days - 13 statutory holidays (the 2024 revision), with every
  // weekend holiday compensated and every bridge day paid back by an adjusted workday.
  EXPECT_EQ(calendar_.WorkingDaysBetween(Day(2024, 12, 31), Day(2025, 12, 31)), 248);
  EXPECT_EQ(calendar_.WorkingDaysBetween(Day(2025, 12, 31), Day(2026, 12, 31)), 248);
}

TEST_F(ShippedCalendar, AcrossAHolidayWeekWithAdjustedWorkdays) {
  // 2025 National Day and Mid-Autumn: 10-01..10-08 off, Sunday 09-28 and Saturday 10-11 on.
  EXPECT_EQ(calendar_.AddWorkingDays(Day(2025, 9, 26), 1), Day(2025, 9, 28));  // Sunday.
  EXPECT_EQ(calendar_.AddWorkingDays(Day(2025, 9, 30), 1), Day(2025, 10, 9));
  EXPECT_EQ(calendar_.AddWorkingDays(Day(2025, 9, 30), 3), Day(2025, 10, 11));  // Saturday.
  EXPECT_EQ(calendar_.AddWorkingDays(Day(2025, 9, 30), 4), Day(2025, 10, 13));
  EXPECT_EQ(calendar_.WorkingDaysBetween(Day(2025, 9, 30), Day(2025, 10, 9)), 1);
  // 2026 Spring Festival: 02-15..02-23 off, Saturdays 02-14 and 02-28 on.
  EXPECT_EQ(calendar_.AddWorkingDays(Day(2026, 2, 13), 1), Day(2026, 2, 14));
  EXPECT_EQ(calendar_.AddWorkingDays(Day(2026, 2, 13), 2), Day(2026, 2, 24));
  EXPECT_EQ(calendar_.WorkingDaysBetween(Day(2026, 2, 13), Day(2026, 2, 24)), 2);
}

TEST_F(ShippedCalendar, NegativeRanges) {
  EXPECT_EQ(calendar_.AddWorkingDays(Day(2025, 10, 9), -1), Day(2025, 9, 30));
  EXPECT_EQ(calendar_.AddWorkingDays(Day(2025, 10, 13), -1), Day(2025, 10, 11));
  EXPECT_EQ(calendar_.AddWorkingDays(Day(2025, 10, 13), -4), Day(2025, 9, 30));
  EXPECT_EQ(calendar_.WorkingDaysBetween(Day(2025, 10, 9), Day(2025, 9, 30)), -1);
  EXPECT_EQ(calendar_.WorkingDaysBetween(Day(2025, 10, 13), Day(2025, 9, 30)), -4);
}

TEST_F(ShippedCalendar, StartOnAHoliday) {
  // The start day never counts, working or not: one working day after 10-01 is 10-09.
  EXPECT_EQ(calendar_.AddWorkingDays(Day(2025, 10, 1), 1), Day(2025, 10, 9));
  EXPECT_EQ(calendar_.AddWorkingDays(Day(2025, 10, 4), 0), Day(2025, 10, 4));
  EXPECT_EQ(calendar_.AddWorkingDays(Day(2025, 10, 4), -1), Day(2025, 9, 30));
  EXPECT_EQ(calendar_.WorkingDaysBetween(Day(2025, 10, 1), Day(2025, 10, 8)), 0);
}

TEST_F(ShippedCalendar, TwentyWorkingDayDeadlineAcrossNationalDay) {
  // Inspection ended Friday 2025-09-19. Working days after it: 09-22..09-26 (5), Sunday
  // 09-28 (6), 09-29, 09-30 (8), [10-01..10-08 off], 10-09, 10-10 (10), Saturday 10-11
  // (11), 10-13..10-17 (16), 10-20..10-23 (20).
  EXPECT_EQ(calendar_.AddWorkingDays(Day(2025, 9, 19), 20), Day(2025, 10, 23));
  // 2026: ended Friday 09-18; Sunday 09-20 works, 09-25 (Mid-Autumn) and 10-01..10-07 are
  // off, Saturday 10-10 works.
  EXPECT_EQ(calendar_.AddWorkingDays(Day(2026, 9, 18), 20), Day(2026, 10, 22));
  // Without the holiday schedule the same deadline would fall six days earlier.
  EXPECT_EQ(HolidayCalendar().AddWorkingDays(Day(2026, 9, 18), 20), Day(2026, 10, 16));
}

// The arithmetic count agrees with counting IsWorkingDay day by day, over spans from a day
// to decades, inside and outside the calendar's years.
TEST_F(ShippedCalendar, BetweenAgreesWithCountingDayByDay) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> offset(-3 * 365, 6 * 365);
  std::uniform_int_distribution<int> span(-800, 800);
  for (int i = 0; i < 3000; ++i) {
    const Day from = Day(2025, 1, 1) + offset(rng);
    const Day to = from + (i % 10 == 0 ? span(rng) * 20 : span(rng));
    int expected = 0;
    for (Day d = std::min(from, to) + 1; d <= std::max(from, to); ++d) {
      expected += calendar_.IsWorkingDay(d) ? 1 : 0;
    }
    if (to < from) expected = -expected;
    EXPECT_EQ(calendar_.WorkingDaysBetween(from, to), expected) << from << " .. " << to;
  }
}

TEST_F(ShippedCalendar, AddAndBetweenAgreeEverywhere) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> offset(0, 3 * 365);
  std::uniform_int_distribution<int> count(0, 60);
  for (int i = 0; i < 2000; ++i) {
    const Day start = Day(2025, 1, 1) + offset(rng);
    const int n = count(rng);
    const Day forward = calendar_.AddWorkingDays(start, n);
    EXPECT_EQ(calendar_.WorkingDaysBetween(start, forward), n) << start << " + " << n;
    if (n > 0) {
      EXPECT_TRUE(calendar_.IsWorkingDay(forward));
    }
    const Day backward = calendar_.AddWorkingDays(start, -n);
    if (n > 0) {
      EXPECT_TRUE(calendar_.IsWorkingDay(backward));
    }
    if (calendar_.IsWorkingDay(start)) {
      EXPECT_EQ(calendar_.WorkingDaysBetween(start, backward), -n) << start << " - " << n;
    }
    const Day other = Day(2025, 1, 1) + offset(rng);
    EXPECT_EQ(calendar_.WorkingDaysBetween(start, other),
              -calendar_.WorkingDaysBetween(other, start));
    EXPECT_EQ(
        calendar_.WorkingDaysBetween(start, other) + calendar_.WorkingDaysBetween(other, forward),
        calendar_.WorkingDaysBetween(start, forward));
  }
}

}  // namespace
}  // namespace regulation::disclosure
