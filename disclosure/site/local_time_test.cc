#include "disclosure/site/local_time.h"

#include "gtest/gtest.h"

namespace regulation::disclosure::site {
namespace {

TEST(LocalTime, ShowsShanghaiTimeAndKeepsUtcMachineReadable) {
  const LocalTime t = ToLocalTime("2026-03-01T08:00:00.000000Z");
  EXPECT_EQ(t.text, "2026-03-01 16:00:00 CST (UTC+8)");
  EXPECT_EQ(t.datetime, "2026-03-01T08:00:00Z");
}

TEST(LocalTime, CrossesMidnightMonthAndYear) {
  EXPECT_EQ(ToLocalTime("2026-12-31T16:30:05Z").text, "2027-01-01 00:30:05 CST (UTC+8)");
  EXPECT_EQ(ToLocalTime("2028-02-28T20:00:00Z").text, "2028-02-29 04:00:00 CST (UTC+8)");
}

TEST(LocalTime, LeavesTextItDoesNotUnderstandAsItIs) {
  for (const char* bad : {"", "2026-03-01", "2026-03-01T08:00:00+08:00", "2026-13-01T08:00:00Z",
                          "2026-02-30T08:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01T08:00:60Z",
                          "2026-03-01T08:00:00.Z", "2026-03-01T08:00:00,5Z", "yyyy-03-01T08:00:00Z"}) {
    const LocalTime t = ToLocalTime(bad);
    EXPECT_EQ(t.text, bad);
    EXPECT_EQ(t.datetime, "") << bad;
  }
}

TEST(LocalTime, TimeHtmlEscapesAndMarksUp) {
  EXPECT_EQ(TimeHtml("2026-03-01T08:00:00Z"),
            "<time datetime=\"2026-03-01T08:00:00Z\">2026-03-01 16:00:00 CST (UTC+8)</time>");
  EXPECT_EQ(TimeHtml("<b>"), "&lt;b&gt;");
  EXPECT_EQ(TimeHtml(""), "");
}

}  // namespace
}  // namespace regulation::disclosure::site
