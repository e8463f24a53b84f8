// The model report (the single HTML page training writes) in headless Chromium: it loads
// without errors and shows every section, each chart an inline SVG the browser parsed.

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "scoring/bootstrap_metrics.h"
#include "scoring/held_out_figures.h"
#include "scoring/metrics.h"
#include "scoring/report.h"
#include "scoring/schedule_metric.h"
#include "testing/temp_dir.h"
#include "tests/site_browser_test_chromium.h"

namespace regulation {
namespace {

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

scoring::EvaluationReport Report() {
  std::vector<float> scores(2000), baseline(2000), oracle(2000), labels(2000);
  std::vector<int64_t> days(2000);
  uint32_t x = 99;
  for (int i = 0; i < 2000; ++i) {
    x = x * 1664525u + 1013904223u;
    const double u = (x >> 8) / 16777216.0;
    oracle[i] = static_cast<float>(i) / 2000.0f * 0.5f;
    scores[i] = oracle[i] + static_cast<float>(0.1 * ((x >> 3) % 100) / 100.0);
    baseline[i] = oracle[i] + static_cast<float>(0.3 * ((x >> 5) % 100) / 100.0);
    labels[i] = u < oracle[i] ? 1 : 0;
    days[i] = 20000 + (i * 31) % 91;
  }
  scoring::EvaluationReport r;
  r.title = "m-test";
  r.metrics = scoring::ComputeModelMetrics(scores, labels, baseline, oracle).value();
  r.model = scoring::ComputeCurves(scores, labels);
  r.baseline = scoring::ComputeCurves(baseline, labels);
  r.intervals = scoring::BootstrapHeldOut(labels, scores, baseline, oracle, 200, 1).value();
  r.cut_points = {0.05, 0.12, 0.25};
  r.class_hit_rates = scoring::ClassHitRates(scores, labels, r.cut_points).value();
  r.quotas = {0.01, 0.03, 0.10, 0.30};
  r.policy = scoring::CompareQuotaPolicy(scores, labels, r.cut_points, r.quotas, 200, 1).value();
  r.schedule = scoring::ScheduleCurveOf(days, scores, labels, 50, 1).value();
  r.schedule_days_earlier = scoring::MeanDaysEarlier(days, scores, labels);
  r.schedule_random = scoring::RandomOrderDaysEarlier(days, labels, 50, 1);
  scoring::TuningSummary t;
  t.candidates = {{"depth 2", 0.71, {0.70}, {40}}, {"depth 4", 0.73, {0.73}, {30}}};
  t.fold_windows = {"2025-10-01"};
  t.chosen = 1;
  t.rounds = 30;
  r.tuning = t;
  return r;
}

TEST(ModelReportBrowser, LoadsWithEverySection) {
  absl::StatusOr<std::string> chromium = testing::FindChromium();
  ASSERT_TRUE(chromium.ok()) << chromium.status();
  const ::regulation::testing::TempDir temp("model-report");
  const std::string& work = temp.path();
  const std::string page = work + "/report.html";
  std::ofstream(page) << scoring::ReportHtml(Report());

  absl::StatusOr<std::string> dom = testing::DumpDom(*chromium, "file://" + page, work);
  ASSERT_TRUE(dom.ok()) << dom.status();
  for (const char* id : {"intervals", "classes", "policy", "schedule", "tuning"}) {
    EXPECT_EQ(Count(*dom, absl::StrCat("<section id=\"", id, "\">")), 1) << id;
  }
  // ROC, gain, calibration, classes, schedule: parsed as SVG (the DOM serialises them
  // back with their namespace).
  EXPECT_EQ(Count(*dom, "<svg xmlns=\"http://www.w3.org/2000/svg\""), 5);
  EXPECT_NE(dom->find("风险模型评估"), std::string::npos);  // UTF-8 read as such
  // Nothing the parser had to repair or drop: every opening tag of the page survives.
  const std::string html = scoring::ReportHtml(Report());
  EXPECT_EQ(Count(*dom, "<polyline"), Count(html, "<polyline"));
  EXPECT_EQ(Count(*dom, "<table>"), Count(html, "<table>"));
}

}  // namespace
}  // namespace regulation
