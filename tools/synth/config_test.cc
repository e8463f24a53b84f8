#include "tools/synth/config.h"

#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::synth {
namespace {

using ::regulation::testing::StatusIs;

TEST(ConfigTest, ParsesDates) {
  absl::StatusOr<absl::CivilDay> day = ParseDate("2026-06-30");
  ASSERT_OK(day);
  EXPECT_EQ(*day, absl::CivilDay(2026, 6, 30));
  EXPECT_EQ(FormatDate(*day), "2026-06-30");
  for (const char* bad : {"", "2026-6-30", "2026-02-30", "2026-13-01", "2026/06/30", "2026-06-30x",
                          "abcd-ef-gh", " 2026-06-3"}) {
    EXPECT_THAT(ParseDate(bad), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(ConfigTest, ValidatesRanges) {
  SynthConfig c;
  c.enterprises = 10;
  EXPECT_OK(ValidateConfig(c));
  c.enterprises = 0;
  EXPECT_THAT(ValidateConfig(c), StatusIs(absl::StatusCode::kInvalidArgument));
  c.enterprises = kMaxEnterprises + 1;
  EXPECT_THAT(ValidateConfig(c), StatusIs(absl::StatusCode::kInvalidArgument));
  c.enterprises = 10;
  c.years = 0;
  EXPECT_THAT(ValidateConfig(c), StatusIs(absl::StatusCode::kInvalidArgument));
  c.years = 21;
  EXPECT_THAT(ValidateConfig(c), StatusIs(absl::StatusCode::kInvalidArgument));
  c.years = 3;
  c.end_date = absl::CivilDay(1999, 12, 31);
  EXPECT_THAT(ValidateConfig(c), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ConfigTest, WindowIsTheYearsOfDaysEndingAtTheEndDate) {
  SynthConfig c;
  c.enterprises = 1;
  c.years = 3;
  c.end_date = absl::CivilDay(2026, 6, 30);
  const Window w = WindowOf(c);
  EXPECT_EQ(w.first_day, absl::CivilDay(2023, 7, 1));
  EXPECT_EQ(w.last_day, absl::CivilDay(2026, 6, 30));
  // 2023-07-01 00:00 CST is 2023-06-30 16:00 UTC.
  EXPECT_EQ(w.start_seconds, 1688140800);
  // 2026-07-01 00:00 CST is 2026-06-30 16:00 UTC.
  EXPECT_EQ(w.end_seconds, 1782835200);
}

TEST(ConfigTest, ChinaDayOfUsesUtcPlusEight) {
  const int64_t midnight = DayStartSeconds(absl::CivilDay(2024, 1, 1));
  EXPECT_EQ(ChinaDayOf(midnight), absl::CivilDay(2024, 1, 1));
  EXPECT_EQ(ChinaDayOf(midnight - 1), absl::CivilDay(2023, 12, 31));
  EXPECT_EQ(ChinaSecondsToUnix(absl::CivilSecond(1970, 1, 1, 8, 0, 0)), 0);
}

}  // namespace
}  // namespace regulation::synth
