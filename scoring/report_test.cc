#include "scoring/report.h"

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "absl/strings/str_cat.h"
#include "scoring/metrics.h"
#include "testing/status_matchers.h"

namespace regulation::scoring {
namespace {

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

EvaluationReport Example() {
  // 1,000 rows whose score and outcome are related; a weaker baseline.
  std::vector<float> scores(1000), baseline(1000), labels(1000);
  uint32_t x = 12345;
  for (int i = 0; i < 1000; ++i) {
    x = x * 1664525u + 1013904223u;
    const double u = (x >> 8) / 16777216.0;
    scores[i] = static_cast<float>(i) / 1000.0f * 0.6f;
    baseline[i] = static_cast<float>(0.3 + 0.2 * u);
    labels[i] = u < scores[i] ? 1 : 0;
  }
  EvaluationReport r;
  r.title = "m-20261127-0003 <test>";
  r.metrics = *ComputeModelMetrics(scores, labels, baseline, {});
  r.model = ComputeCurves(scores, labels);
  r.baseline = ComputeCurves(baseline, labels);
  return r;
}

void WriteOutput(const std::string& name, const std::string& content) {
  const char* dir = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  if (dir == nullptr) return;
  std::ofstream(std::string(dir) + "/" + name) << content;
}

TEST(ReportHtml, HasThreeChartsAndTheFigures) {
  const EvaluationReport r = Example();
  const std::string html = ReportHtml(r);
  WriteOutput("report.html", html);
  EXPECT_EQ(Count(html, "<svg"), 3);
  EXPECT_EQ(Count(html, "</svg>"), 3);
  char auc[32];
  snprintf(auc, sizeof auc, "%.4f", r.metrics.auc());
  EXPECT_GE(Count(html, auc), 1) << auc;
  EXPECT_NE(html.find("5%: "), std::string::npos);
  EXPECT_NE(html.find("10%: "), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("m-20261127-0003 &lt;test&gt;"), std::string::npos);  // escaped
  EXPECT_EQ(html.find("<test>"), std::string::npos);
  EXPECT_EQ(html.find("nan"), std::string::npos);
}

TEST(ReportJson, ParsesBackWithTheSameMetrics) {
  const EvaluationReport r = Example();
  absl::StatusOr<std::string> json = ReportJson(r);
  ASSERT_OK(json);
  WriteOutput("report.json", *json);

  google::protobuf::Struct parsed;
  ASSERT_OK(google::protobuf::util::JsonStringToMessage(*json, &parsed)) << *json;
  EXPECT_EQ(parsed.fields().at("title").string_value(), r.title);
  const auto& model = parsed.fields().at("curves").struct_value().fields().at("model");
  EXPECT_EQ(static_cast<size_t>(model.struct_value().fields().at("roc").list_value().values_size()),
            r.model.roc.size());
  EXPECT_EQ(model.struct_value().fields().at("gain").list_value().values_size(), 101);
  EXPECT_EQ(model.struct_value().fields().at("calibration").list_value().values_size(), 10);

  // The metrics object is canonical proto3 JSON of v1::ModelMetrics.
  std::string metrics_json;
  ASSERT_OK(
      google::protobuf::util::MessageToJsonString(parsed.fields().at("metrics"), &metrics_json));
  v1::ModelMetrics metrics;
  ASSERT_OK(google::protobuf::util::JsonStringToMessage(metrics_json, &metrics)) << metrics_json;
  google::protobuf::util::MessageDifferencer differencer;
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_float_comparison(google::protobuf::util::DefaultFieldComparator::APPROXIMATE);
  differencer.set_field_comparator(&comparator);
  EXPECT_TRUE(differencer.Compare(metrics, r.metrics))
      << metrics.DebugString() << " vs " << r.metrics.DebugString();
}

// The example with every optional section, computed from its own rows.
EvaluationReport WithSections() {
  std::vector<float> scores(1000), baseline(1000), labels(1000);
  std::vector<int64_t> days(1000);
  uint32_t x = 777;
  for (int i = 0; i < 1000; ++i) {
    x = x * 1664525u + 1013904223u;
    const double u = (x >> 8) / 16777216.0;
    scores[i] = static_cast<float>(i) / 1000.0f * 0.6f;
    baseline[i] = static_cast<float>(0.3 + 0.2 * u);
    labels[i] = u < scores[i] ? 1 : 0;
    days[i] = 20000 + (i * 37) % 91;
  }
  EvaluationReport r = Example();
  r.intervals = BootstrapHeldOut(labels, scores, baseline, scores, 200, 1).value();
  r.cut_points = {0.05, 0.12, 0.25};
  r.class_hit_rates = ClassHitRates(scores, labels, r.cut_points).value();
  r.quotas = {0.01, 0.03, 0.10, 0.30};
  r.policy = CompareQuotaPolicy(scores, labels, r.cut_points, r.quotas, 200, 1).value();
  r.schedule = ScheduleCurveOf(days, scores, labels, 50, 1).value();
  r.schedule_days_earlier = MeanDaysEarlier(days, scores, labels);
  r.schedule_random = RandomOrderDaysEarlier(days, labels, 50, 1);
  TuningSummary t;
  t.candidates = {{"depth 2", 0.71, {0.70, 0.72}, {40, 55}}, {"depth <4>", 0.73, {0.72, 0.74}, {30, 35}}};
  t.fold_windows = {"2025-07-01", "2025-10-01"};
  t.chosen = 1;
  t.rounds = 35;
  r.tuning = t;
  return r;
}

TEST(ReportHtml, ShowsEverySectionWithItsIntervals) {
  const EvaluationReport r = WithSections();
  const std::string html = ReportHtml(r);
  WriteOutput("report_sections.html", html);
  for (const char* id : {"intervals", "classes", "policy", "schedule", "tuning"}) {
    EXPECT_EQ(Count(html, absl::StrCat("<section id=\"", id, "\">")), 1) << id;
  }
  // ROC, gain, calibration, classes, schedule.
  EXPECT_EQ(Count(html, "<svg"), 5);
  EXPECT_EQ(Count(html, "</svg>"), 5);
  char auc[64];
  snprintf(auc, sizeof auc, "%.4f [%.4f, %.4f]", r.intervals->model.auc.estimate,
           r.intervals->model.auc.lower, r.intervals->model.auc.upper);
  EXPECT_GE(Count(html, auc), 1) << auc;  // the oracle here is the model itself
  char policy[64];
  snprintf(policy, sizeof policy, "%.1f [%.1f, %.1f]", r.policy->quota_per_100.estimate,
           r.policy->quota_per_100.lower, r.policy->quota_per_100.upper);
  EXPECT_EQ(Count(html, policy), 1) << policy;
  EXPECT_NE(html.find("depth &lt;4&gt; ✔ chosen"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("nan"), std::string::npos);
  // Without the sections, none of them.
  const std::string plain = ReportHtml(Example());
  EXPECT_EQ(plain.find("<section"), std::string::npos);
}

TEST(ReportJson, CarriesTheSections) {
  const EvaluationReport r = WithSections();
  const std::string json = ReportJson(r).value();
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok()) << json;
  const auto& f = parsed.fields();
  const auto& auc = f.at("intervals").struct_value().fields().at("model").struct_value().fields().at(
      "auc");
  EXPECT_NEAR(auc.struct_value().fields().at("lower").number_value(),
              r.intervals->model.auc.lower, 1e-5);
  EXPECT_EQ(f.at("classes").list_value().values_size(), 4);
  EXPECT_NEAR(f.at("policy").struct_value().fields().at("difference").struct_value().fields().at(
                  "estimate").number_value(),
              r.policy->difference.estimate, 1e-4);
  EXPECT_EQ(static_cast<size_t>(f.at("schedule").struct_value().fields().at("points")
                                    .list_value().values_size()),
            r.schedule->points.size());
  EXPECT_EQ(f.at("tuning").struct_value().fields().at("chosen").number_value(), 1);
}

}  // namespace
}  // namespace regulation::scoring
