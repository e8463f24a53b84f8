#include "scoring/report.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/escaping.h"
#include "google/protobuf/util/json_util.h"
#include "scoring/report_chart.h"
#include "scoring/report_sections.h"

namespace regulation::scoring {
namespace {

using report_internal::Chart;
using report_internal::JsonNumber;
using report_internal::kBaselineColour;
using report_internal::kModelColour;
using report_internal::kReferenceColour;
using report_internal::Percent;

// --- JSON ------------------------------------------------------------------------------

std::string PointsJson(const std::vector<CurvePoint>& points) {
  std::vector<std::string> parts;
  for (const CurvePoint& p : points) {
    parts.push_back(absl::StrCat("[", JsonNumber(p.x), ",", JsonNumber(p.y), "]"));
  }
  return absl::StrCat("[", absl::StrJoin(parts, ","), "]");
}

std::string CurvesJson(const EvaluationCurves& curves) {
  std::vector<std::string> bins;
  for (const CalibrationBin& b : curves.calibration) {
    bins.push_back(absl::StrCat("{\"lower\":", JsonNumber(b.lower),
                                ",\"upper\":", JsonNumber(b.upper), ",\"count\":", b.count,
                                ",\"meanPredicted\":", JsonNumber(b.mean_predicted),
                                ",\"observedRate\":", JsonNumber(b.observed_rate), "}"));
  }
  return absl::StrCat("{\"roc\":", PointsJson(curves.roc), ",\"gain\":", PointsJson(curves.gain),
                      ",\"calibration\":[", absl::StrJoin(bins, ","), "]}");
}

// --- HTML and SVG ----------------------------------------------------------------------

const std::vector<CurvePoint>& Diagonal() {
  static const auto* diagonal = new std::vector<CurvePoint>{{0, 0}, {1, 1}};
  return *diagonal;
}

std::string RocChart(const EvaluationReport& r) {
  Chart chart("ROC 曲线 / ROC curve", "false positive rate 误报率", "true positive rate 检出率");
  chart.Line(Diagonal(), kReferenceColour, true);
  chart.Line(r.baseline.roc, kBaselineColour, false);
  chart.Line(r.model.roc, kModelColour, false);
  chart.LegendBottomRight();
  chart.Legend(absl::StrFormat("model 模型 AUC %.4f", r.metrics.auc()), kModelColour);
  if (!r.baseline.roc.empty()) {
    chart.Legend(absl::StrFormat("baseline 基线 AUC %.4f", r.metrics.baseline_auc()),
                 kBaselineColour);
  }
  chart.Legend("random 随机", kReferenceColour);
  return chart.Finish();
}

// Gain at `budget` from a curve sampled at whole percents.
double GainAt(const std::vector<CurvePoint>& gain, double budget) {
  for (const CurvePoint& p : gain) {
    if (std::abs(p.x - budget) < 1e-9) return p.y;
  }
  return std::nan("");
}

std::string GainChart(const EvaluationReport& r) {
  Chart chart("累计检出 / Cumulative gain", "share of enterprises inspected 抽查比例",
              "share of problems found 发现问题占比");
  chart.Line(Diagonal(), kReferenceColour, true);
  chart.Line(r.baseline.gain, kBaselineColour, false);
  chart.Line(r.model.gain, kModelColour, false);
  chart.LegendBottomRight();
  chart.Legend("model 模型", kModelColour);
  if (!r.baseline.gain.empty()) chart.Legend("baseline 基线", kBaselineColour);
  chart.Legend("random 随机", kReferenceColour);
  chart.Marker(0.05,
               absl::StrFormat("5%%: %s found, lift %.2f", Percent(GainAt(r.model.gain, 0.05)),
                               r.metrics.lift_at_5pct()));
  chart.Marker(0.10,
               absl::StrFormat("10%%: %s found, lift %.2f", Percent(GainAt(r.model.gain, 0.10)),
                               r.metrics.lift_at_10pct()));
  return chart.Finish();
}

std::string CalibrationChart(const EvaluationReport& r) {
  Chart chart("校准 / Calibration", "mean predicted probability 平均预测概率",
              "observed rate 实际发生率");
  chart.Line(Diagonal(), kReferenceColour, true);
  auto plot = [&chart](const std::vector<CalibrationBin>& bins, absl::string_view colour) {
    int64_t total = 0;
    for (const CalibrationBin& b : bins) total += b.count;
    std::vector<CurvePoint> points;
    for (const CalibrationBin& b : bins) {
      if (b.count == 0) continue;
      points.push_back({b.mean_predicted, b.observed_rate});
      chart.Dot(b.mean_predicted, b.observed_rate,
                2.5 + 9 * std::sqrt(static_cast<double>(b.count) / static_cast<double>(total)),
                colour);
    }
    chart.Line(points, colour, false);
  };
  plot(r.baseline.calibration, kBaselineColour);
  plot(r.model.calibration, kModelColour);
  chart.Legend(absl::StrFormat("model 模型 ECE %.4f", r.metrics.calibration_error()), kModelColour);
  if (!r.baseline.calibration.empty()) chart.Legend("baseline 基线", kBaselineColour);
  chart.Legend("perfect 理想", kReferenceColour);
  return chart.Finish();
}

std::string Row(absl::string_view label, absl::string_view value) {
  return absl::StrCat("<tr><th>", HtmlEscape(label), "</th><td>", HtmlEscape(value), "</td></tr>\n");
}

std::string MetricsTable(const v1::ModelMetrics& m) {
  std::string rows;
  absl::StrAppend(&rows, Row("AUC 曲线下面积", absl::StrFormat("%.4f", m.auc())),
                  Row("Baseline AUC 基线 AUC", absl::StrFormat("%.4f", m.baseline_auc())));
  if (m.oracle_auc() > 0) {
    absl::StrAppend(&rows, Row("Oracle AUC 真实概率 AUC", absl::StrFormat("%.4f", m.oracle_auc())),
                    Row("AUC / oracle", absl::StrFormat("%.4f", m.auc_to_oracle())));
  }
  absl::StrAppend(
      &rows, Row("Precision at 5% 前5%精确率", Percent(m.precision_at_5pct())),
      Row("Recall at 5% 前5%召回率", Percent(m.recall_at_5pct())),
      Row("Lift at 5% 前5%提升度", absl::StrFormat("%.2f", m.lift_at_5pct())),
      Row("Baseline precision at 5% 基线前5%精确率", Percent(m.baseline_precision_at_5pct())),
      Row("Precision at 10% 前10%精确率", Percent(m.precision_at_10pct())),
      Row("Recall at 10% 前10%召回率", Percent(m.recall_at_10pct())),
      Row("Lift at 10% 前10%提升度", absl::StrFormat("%.2f", m.lift_at_10pct())),
      Row("Calibration error (ECE) 校准误差", absl::StrFormat("%.4f", m.calibration_error())),
      Row("Base rate 基础发生率", Percent(m.base_rate())),
      Row("Validation rows 验证样本数", absl::StrCat(m.validation_rows())));
  return absl::StrCat("<table>\n", rows, "</table>\n");
}

constexpr absl::string_view kStyle = R"(
body { font-family: "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 24px;
       color: #222; }
h1 { font-size: 20px; }
h2 { font-size: 16px; margin-top: 28px; }
table { border-collapse: collapse; margin-bottom: 16px; }
th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: left; font-size: 13px; }
td { font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
svg { border: 1px solid #ddd; background: #fff; }
p.note { font-size: 12px; color: #555; max-width: 1100px; }
)";

}  // namespace

absl::StatusOr<std::string> ReportJson(const EvaluationReport& report) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string metrics;
  const auto status =
      google::protobuf::util::MessageToJsonString(report.metrics, &metrics, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("metrics to JSON: ", status.ToString()));
  }
  return absl::StrCat("{\"title\":", JsonQuote(report.title), ",\"metrics\":", metrics,
                      ",\"curves\":{\"model\":", CurvesJson(report.model),
                      ",\"baseline\":", CurvesJson(report.baseline), "}",
                      report_internal::SectionsJson(report), "}\n");
}

std::string ReportHtml(const EvaluationReport& report) {
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
      HtmlEscape(report.title), "</title>\n<style>", kStyle, "</style>\n</head>\n<body>\n<h1>",
      "风险模型评估 / Risk model evaluation: ", HtmlEscape(report.title), "</h1>\n",
      MetricsTable(report.metrics), "<div class=\"charts\">\n", RocChart(report), "\n",
      GainChart(report), "\n", CalibrationChart(report), "\n</div>\n",
      report_internal::SectionsHtml(report),
      "<p class=\"note\">Evaluated on the held-out (latest) window. Precision, recall and lift "
      "at a budget count the problems found when the top 5% or 10% of enterprises by score "
      "are inspected; lift is precision over the base rate. Calibration bins are ten equal "
      "probability intervals; dot area grows with the rows in the bin. 验证集为最近一个时间窗口；"
      "提升度 = 精确率 / 基础发生率。</p>\n</body>\n</html>\n");
}

}  // namespace regulation::scoring
