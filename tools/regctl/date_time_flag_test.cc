#include "tools/regctl/date_time_flag.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "gtest/gtest.h"

namespace regulation::regctl {
namespace {

absl::Time ChinaTime(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss), ChinaTimeZone());
}

const absl::Time kLongAfter = ChinaTime(2030, 1, 1);

TEST(DateTimeFlag, ADayFlagTakesOnlyADate) {
  absl::StatusOr<absl::CivilDay> day = ParseDayFlag("--from", "2026-05-01");
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(*day, absl::CivilDay(2026, 5, 1));
  EXPECT_FALSE(ParseDayFlag("--from", "2026-05-01T00:00:00+08:00").ok());
}

TEST(DateTimeFlag, AnImpossibleDateIsRefusedNotNormalised) {
  EXPECT_FALSE(ParseDayFlag("--to", "2026-02-30").ok());
  EXPECT_FALSE(ParseRangeEndFlag("--until", "2026-13-01").ok());
}

TEST(DateTimeFlag, ErrorsNameTheFlagAndTheForms) {
  absl::StatusOr<absl::Time> parsed = ParseRangeStartFlag("--since", "yesterday");
  ASSERT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("--since"), absl::string_view::npos);
  EXPECT_NE(parsed.status().message().find("RFC 3339"), absl::string_view::npos);
  EXPECT_NE(parsed.status().message().find("yesterday"), absl::string_view::npos);
  EXPECT_NE(ParseDayFlag("--to", "").status().message().find("--to: expected YYYY-MM-DD"),
            absl::string_view::npos);
}

TEST(DateTimeFlag, ARangeStartsAtTheDaysFirstInstantInChina) {
  EXPECT_EQ(*ParseRangeStartFlag("--since", "2026-05-01"), ChinaTime(2026, 5, 1));
}

TEST(DateTimeFlag, ADateThatEndsARangeIncludesTheWholeDay) {
  // [since, until): a date-only --until ends at the next day's first instant.
  EXPECT_EQ(*ParseRangeEndFlag("--until", "2026-05-01"), ChinaTime(2026, 5, 2));
}

TEST(DateTimeFlag, AnAsOfDateIsTheDaysLastNanosecond) {
  EXPECT_EQ(*ParseAsOfFlag("--as_of", "2026-05-01", kLongAfter),
            ChinaTime(2026, 5, 2) - absl::Nanoseconds(1));
}

TEST(DateTimeFlag, TodayAsOfIsNowNotTheFuture) {
  const absl::Time now = ChinaTime(2026, 5, 1, 10, 30);
  EXPECT_EQ(*ParseAsOfFlag("--as_of", "2026-05-01", now), now);
  // A later date stays in the future, for the server to refuse.
  EXPECT_GT(*ParseAsOfFlag("--as_of", "2026-05-02", now), now);
}

TEST(DateTimeFlag, AnRfc3339TimeIsTakenAsItIsByEveryFlag) {
  const absl::Time t = ChinaTime(2026, 5, 1, 8);
  EXPECT_EQ(*ParseRangeStartFlag("--since", "2026-05-01T08:00:00+08:00"), t);
  EXPECT_EQ(*ParseRangeEndFlag("--until", "2026-05-01T00:00:00Z"), t);
  EXPECT_EQ(*ParseAsOfFlag("--as_of", "2026-05-01T08:00:00+08:00", kLongAfter), t);
}

}  // namespace
}  // namespace regulation::regctl
