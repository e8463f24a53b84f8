#include "services/telemetry/metrics_text.h"

#include <cmath>

#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::telemetry {
namespace {

using ::regulation::testing::StatusIs;

TEST(ParseMetricsText, ReadsSamplesWithLabelsEscapesAndSpecialValues) {
  const char* text =
      "# HELP x_total Things\n"
      "# TYPE x_total counter\n"
      "x_total{a=\"1\",b=\"q\\\"uote\\\\d\\nx\"} 3\n"
      "x_total{a=\"2\"} 4.5\n"
      "up 1 1700000000000\n"
      "latency_bucket{le=\"+Inf\"} 7\n"
      "broken NaN\n"
      "far +Inf\n";
  absl::StatusOr<std::vector<MetricSample>> samples = ParseMetricsText(text);
  ASSERT_OK(samples);
  ASSERT_EQ(samples->size(), 6u);
  EXPECT_EQ((*samples)[0].labels.at("b"), "q\"uote\\d\nx");
  EXPECT_EQ(SumOf(*samples, "x_total"), 7.5);
  EXPECT_EQ(SumOf(*samples, "x_total", {{"a", "2"}}), 4.5);
  EXPECT_EQ(SumOf(*samples, "x_total", {{"a", "3"}}), std::nullopt);
  EXPECT_EQ(SumOf(*samples, "up"), 1);
  EXPECT_EQ(SumOf(*samples, "latency_bucket", {{"le", "+Inf"}}), 7);
  EXPECT_TRUE(std::isnan(*SumOf(*samples, "broken")));
  EXPECT_TRUE(std::isinf(*SumOf(*samples, "far")));
}

TEST(ParseMetricsText, RefusesWhatIsNotASampleNamingTheLine) {
  for (const char* text : {"x{a=\"1\" 3\n", "x{=\"1\"} 3\n", "x notanumber\n", "{a=\"1\"} 3\n",
                           "x 1 2 3\n"}) {
    absl::StatusOr<std::vector<MetricSample>> samples = ParseMetricsText(text);
    EXPECT_THAT(samples, StatusIs(absl::StatusCode::kInvalidArgument)) << text;
    EXPECT_NE(samples.status().message().find("line 1"), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace regulation::telemetry
