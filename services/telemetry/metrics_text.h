#ifndef SERVICES_TELEMETRY_METRICS_TEXT_H_
#define SERVICES_TELEMETRY_METRICS_TEXT_H_

// Reading the Prometheus text exposition format (version 0.0.4): what `regctl status`
// reads from regulatord's metrics endpoint, and what tests read from a scrape.
// Comments (# HELP, # TYPE) are skipped; each sample line is
//   name{label="value",...} value [timestamp]
// with \\, \" and \n escapes in label values, and NaN, +Inf, -Inf as values.
//
// Thread safety: pure functions.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation::telemetry {

struct MetricSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// INVALID_ARGUMENT naming the line for a line that is not a sample.
absl::StatusOr<std::vector<MetricSample>> ParseMetricsText(absl::string_view text);

// The sum of the values of the samples named `name` whose labels include every pair in
// `labels`; nullopt when there is none.
std::optional<double> SumOf(const std::vector<MetricSample>& samples, absl::string_view name,
                            const std::map<std::string, std::string>& labels = {});

}  // namespace regulation::telemetry

#endif  // SERVICES_TELEMETRY_METRICS_TEXT_H_
