#include "scoring/report.h"

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
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

}  // namespace
}  // namespace regulation::scoring
