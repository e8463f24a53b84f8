#ifndef TOOLS_REGCTL_STATUS_COMMAND_H_
#define TOOLS_REGCTL_STATUS_COMMAND_H_

// `regctl status [--metrics=URL]`: one screen that says whether the system is healthy,
// read from regulatord's metrics endpoint (default http://localhost:9464/metrics):
// calls and errors, ingestion, results and their deadlines, the publication queue and
// the disclosure log, plans, the model and its drift, storage, the audit trail and the
// certificates. The figures the alert rules watch (deploy/prometheus/) are checked here
// against the same thresholds at this moment, and each one that is off is listed as a
// problem. What needs a rate over time (error ratios, p99 latency, stalled ingestion,
// write stalls, disk filling) or a duration (results due soon for an hour) is left to
// Prometheus; status shows counts since the server started.
//
// Exit codes: 0 healthy, 1 at least one problem, 2 usage, 3 the endpoint did not answer.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/telemetry/metrics_text.h"

namespace regulation::regctl {

struct StatusOptions {
  std::string metrics_url = "http://localhost:9464/metrics";
  absl::Duration timeout = absl::Seconds(10);
};

struct StatusReport {
  // "label  figures", one per area, in display order.
  std::vector<std::string> lines;
  // What is wrong, in words; empty when healthy.
  std::vector<std::string> problems;
};

// The report for one scrape taken at `now`. Pure; figures the scrape lacks are shown
// as "-" (a server without a model, a store without statistics).
StatusReport EvaluateMetrics(const std::vector<telemetry::MetricSample>& samples, absl::Time now);

int RunStatusCommand(const std::vector<std::string>& args, const StatusOptions& options,
                     std::FILE* out);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_STATUS_COMMAND_H_
