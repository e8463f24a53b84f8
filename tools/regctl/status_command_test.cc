#include "tools/regctl/status_command.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "services/telemetry/metrics_text.h"
#include "testing/status_matchers.h"

namespace regulation::regctl {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1800000000);

std::vector<telemetry::MetricSample> Parse(const std::string& text) {
  absl::StatusOr<std::vector<telemetry::MetricSample>> samples = telemetry::ParseMetricsText(text);
  EXPECT_OK(samples);
  return samples.ok() ? *samples : std::vector<telemetry::MetricSample>{};
}

// A scrape of a healthy server, as regulatord writes it.
std::string Healthy() {
  return absl::StrCat(
      "grpc_server_handled_total{grpc_service=\"regulation.v1.PortraitService\","
      "grpc_method=\"IngestEvent\",grpc_type=\"unary\",grpc_code=\"OK\"} 40\n"
      "grpc_server_handled_total{grpc_service=\"regulation.v1.PortraitService\","
      "grpc_method=\"IngestEvent\",grpc_type=\"unary\",grpc_code=\"INVALID_ARGUMENT\"} 2\n"
      "regulation_ingest_events_total{outcome=\"applied\"} 40\n"
      "regulation_results_unpublished{state=\"submitted\"} 3\n"
      "regulation_results_past_deadline 0\n"
      "regulation_results_due_soon 1\n"
      "regulation_publication_queue_records 0\n"
      "regulation_publication_queue_oldest_age_seconds 0\n"
      "regulation_log_tree_size 12\n"
      "regulation_log_last_checkpoint_timestamp_seconds ", 1800000000 - 300, "\n",
      "regulation_log_fenced 0\n"
      "regulation_model_active_info{version=\"m-20261206-001\"} 1\n"
      "regulation_model_score_psi{reference=\"first_scoring\"} 0.02\n"
      "regulation_model_score_psi{reference=\"validation\"} 0.3\n"
      "regulation_rocksdb_block_cache_hits_total 90\n"
      "regulation_rocksdb_block_cache_misses_total 10\n"
      "regulation_data_dir_free_bytes 50000000000\n"
      "regulation_data_dir_capacity_bytes 100000000000\n"
      "regulation_audit_records_total{outcome=\"failed\"} 0\n"
      "regulation_audit_head_sequence 44\n"
      "regulation_certificate_expiry_timestamp_seconds{certificate=\"server\"} ",
      1800000000 + 400 * 86400, "\n",
      "regulation_state_sample_timestamp_seconds ", 1800000000 - 10, "\n");
}

TEST(EvaluateMetrics, AHealthyServerHasNoProblemsAndShowsItsFigures) {
  const StatusReport report = EvaluateMetrics(Parse(Healthy()), kNow);
  EXPECT_TRUE(report.problems.empty()) << absl::StrJoin(report.problems, "\n");
  const std::string all = absl::StrJoin(report.lines, "\n");
  EXPECT_NE(all.find("42 since start; not OK: INVALID_ARGUMENT 2"), std::string::npos) << all;
  EXPECT_NE(all.find("awaiting approval 3"), std::string::npos) << all;
  EXPECT_NE(all.find("12 entries; last checkpoint 5 min ago"), std::string::npos) << all;
  EXPECT_NE(all.find("m-20261206-001; drift PSI 0.020 since deployed, 0.300 against validation"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("block cache hits 90.0%"), std::string::npos) << all;
  EXPECT_NE(all.find("(50%)"), std::string::npos) << all;
  EXPECT_NE(all.find("server expires in 400 d"), std::string::npos) << all;
}

// `text` with the line of each series in `changes` replaced (or added when absent).
std::string With(const std::string& text, const std::map<std::string, std::string>& changes) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n', absl::SkipEmpty());
  std::map<std::string, std::string> left = changes;
  for (std::string& line : lines) {
    const std::string series = line.substr(0, line.rfind(' '));
    auto it = left.find(series);
    if (it == left.end()) continue;
    line = absl::StrCat(series, " ", it->second);
    left.erase(it);
  }
  for (const auto& [series, value] : left) lines.push_back(absl::StrCat(series, " ", value));
  return absl::StrJoin(lines, "\n");
}

TEST(EvaluateMetrics, EachAlertConditionIsAProblem) {
  const std::string bad =
      With(Healthy(), {{"regulation_results_past_deadline", "2"},
                       {"regulation_publication_queue_records", "5"},
                       {"regulation_publication_queue_oldest_age_seconds", "3600"},
                       {"regulation_log_fenced", "1"},
                       {"regulation_model_score_psi{reference=\"first_scoring\"}", "0.4"},
                       {"regulation_data_dir_free_bytes", "1000"},
                       {"regulation_audit_records_total{outcome=\"failed\"}", "1"},
                       {"regulation_rocksdb_write_stopped", "1"},
                       {"regulation_certificate_expiry_timestamp_seconds{certificate=\"ca\"}",
                        absl::StrCat(1800000000 + 5 * 86400)}});
  const StatusReport report = EvaluateMetrics(Parse(bad), kNow);
  const std::string all = absl::StrJoin(report.problems, "\n");
  for (const char* expected :
       {"2 results are past their publication deadline", "publication queue has not moved for 60 min",
        "refuses to sign", "drifted", "nearly full", "could not be written", "stopped writes",
        "ca certificate expires in 5 d"}) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected << " in:\n" << all;
  }
  EXPECT_EQ(report.problems.size(), 8u) << all;
}

TEST(EvaluateMetrics, StaleStateGaugesAndServerFaultsAreProblems) {
  const std::string text = absl::StrCat(
      "grpc_server_handled_total{grpc_code=\"INTERNAL\"} 3\n"
      "regulation_state_sample_timestamp_seconds ", 1800000000 - 3600, "\n");
  const StatusReport report = EvaluateMetrics(Parse(text), kNow);
  const std::string all = absl::StrJoin(report.problems, "\n");
  EXPECT_NE(all.find("3 calls failed inside the server"), std::string::npos) << all;
  EXPECT_NE(all.find("stale"), std::string::npos) << all;
}

}  // namespace
}  // namespace regulation::regctl
