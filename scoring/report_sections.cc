#include "scoring/report_sections.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/escaping.h"
#include "scoring/report_chart.h"

namespace regulation::scoring::report_internal {
namespace {

constexpr const char* kClassNames[4] = {"A", "B", "C", "D"};

// "0.8123 [0.8011, 0.8230]", or with `digits` decimals.
std::string WithInterval(const Interval& i, int digits = 4) {
  return absl::StrFormat("%.*f [%.*f, %.*f]", digits, i.estimate, digits, i.lower, digits,
                         i.upper);
}

std::string PercentInterval(const Interval& i) {
  return absl::StrFormat("%.1f%% [%.1f%%, %.1f%%]", 100 * i.estimate, 100 * i.lower,
                         100 * i.upper);
}

std::string IntervalJson(const Interval& i) {
  return absl::StrCat("{\"estimate\":", JsonNumber(i.estimate), ",\"lower\":", JsonNumber(i.lower),
                      ",\"upper\":", JsonNumber(i.upper), "}");
}

std::string Cell(absl::string_view text) { return absl::StrCat("<td>", HtmlEscape(text), "</td>"); }

std::string ScorerJson(const ScorerIntervals& s) {
  return absl::StrCat("{\"auc\":", IntervalJson(s.auc),
                      ",\"precisionAt5pct\":", IntervalJson(s.precision_at_5pct),
                      ",\"precisionAt10pct\":", IntervalJson(s.precision_at_10pct),
                      ",\"liftAt5pct\":", IntervalJson(s.lift_at_5pct), "}");
}

std::string IntervalsHtml(const BootstrapSummary& b) {
  std::string head = "<tr><th>figure 指标</th><th>model 模型</th>";
  if (b.has_baseline) absl::StrAppend(&head, "<th>baseline 基线</th>");
  if (b.has_oracle) absl::StrAppend(&head, "<th>oracle 真实概率</th>");
  absl::StrAppend(&head, "</tr>\n");
  std::string rows;
  auto row = [&](absl::string_view label, auto pick, bool percent) {
    absl::StrAppend(&rows, "<tr><th>", HtmlEscape(label), "</th>");
    auto show = [&](const ScorerIntervals& s) {
      const Interval& i = pick(s);
      return percent ? PercentInterval(i) : WithInterval(i);
    };
    absl::StrAppend(&rows, Cell(show(b.model)));
    if (b.has_baseline) absl::StrAppend(&rows, Cell(show(b.baseline)));
    if (b.has_oracle) absl::StrAppend(&rows, Cell(show(b.oracle)));
    absl::StrAppend(&rows, "</tr>\n");
  };
  row("AUC 曲线下面积", [](const ScorerIntervals& s) -> const Interval& { return s.auc; }, false);
  row("Precision at 5% 前5%精确率",
      [](const ScorerIntervals& s) -> const Interval& { return s.precision_at_5pct; }, true);
  row("Precision at 10% 前10%精确率",
      [](const ScorerIntervals& s) -> const Interval& { return s.precision_at_10pct; }, true);
  row("Lift at 5% 前5%提升度",
      [](const ScorerIntervals& s) -> const Interval& { return s.lift_at_5pct; }, false);
  std::string paired;
  absl::StrAppend(&paired, "<tr><th>Base rate 基础发生率</th>",
                  Cell(PercentInterval(b.base_rate)), "</tr>\n");
  if (b.has_baseline) {
    absl::StrAppend(&paired, "<tr><th>AUC, model − baseline 模型−基线</th>",
                    Cell(WithInterval(b.auc_model_minus_baseline)), "</tr>\n",
                    "<tr><th>Precision at 5%, model − baseline</th>",
                    Cell(WithInterval(b.precision_5_model_minus_baseline)), "</tr>\n");
  }
  if (b.has_oracle) {
    absl::StrAppend(&paired, "<tr><th>AUC, model / oracle 模型/真实概率</th>",
                    Cell(WithInterval(b.auc_model_over_oracle)), "</tr>\n");
  }
  absl::StrAppend(&paired, "<tr><th>Precision at 5% / base rate 精确率/基础发生率</th>",
                  Cell(WithInterval(b.precision_5_over_base_rate, 2)), "</tr>\n");
  return absl::StrCat(
      "<section id=\"intervals\">\n<h2>区间估计 / Figures with 95% intervals</h2>\n<table>\n", head,
      rows, "</table>\n<table>\n", paired, "</table>\n",
      absl::StrFormat("<p class=\"note\">Bootstrap over the %d held-out rows: %d resamples with "
                      "replacement, every scorer on the same resample (so differences are "
                      "paired); percentiles 2.5 and 97.5. 自助法 95%% 区间。</p>\n</section>\n",
                      b.rows, b.replicates));
}

std::string ClassChart(const std::vector<ClassHitRate>& classes) {
  Chart chart("各风险等级检出率 / Hit rate by class", "risk class 风险等级",
              "share with a violation 违法比例", /*numeric_x=*/false);
  for (const ClassHitRate& c : classes) {
    const double x = 0.125 + 0.25 * (c.risk_class - 1);
    chart.XLabel(x, absl::StrCat(kClassNames[c.risk_class - 1], " (", c.rows, ")"));
    if (c.rows == 0) continue;
    chart.ErrorBar(x, c.rate.estimate, c.rate.lower, c.rate.upper, kModelColour);
    chart.Text(x + 0.03, c.rate.estimate, Percent(c.rate.estimate));
  }
  chart.Legend("hit rate, 95% interval 检出率", kModelColour);
  return chart.Finish();
}

std::string ClassesHtml(const EvaluationReport& r) {
  std::string rows =
      "<tr><th>class 等级</th><th>probability 概率</th><th>rows 样本</th><th>violations "
      "违法</th><th>hit rate 检出率 [95%]</th></tr>\n";
  for (const ClassHitRate& c : r.class_hit_rates) {
    const int h = c.risk_class - 1;
    const std::string range =
        h == 0   ? absl::StrFormat("< %.3g", r.cut_points[0])
        : h == 3 ? absl::StrFormat("≥ %.3g", r.cut_points[2])
                 : absl::StrFormat("%.3g – %.3g", r.cut_points[h - 1], r.cut_points[h]);
    absl::StrAppend(&rows, "<tr><th>", kClassNames[h], "</th>", Cell(range),
                    Cell(absl::StrCat(c.rows)), Cell(absl::StrCat(c.violations)),
                    Cell(c.rows > 0 ? PercentInterval(c.rate) : "—"), "</tr>\n");
  }
  return absl::StrCat(
      "<section id=\"classes\">\n<h2>风险等级 / Hit rate by risk class</h2>\n<table>\n", rows,
      "</table>\n<div class=\"charts\">\n", ClassChart(r.class_hit_rates),
      "\n</div>\n<p class=\"note\">Held-out rows put in classes A-D by the model's probability and "
      "the cut points above; Wilson 95% intervals. These rows were inspected, and inspections "
      "were chosen partly by risk: the rates describe the inspected.</p>\n</section>\n");
}

std::string PolicyHtml(const EvaluationReport& r) {
  const PolicyComparison& p = *r.policy;
  const std::string rows = absl::StrCat(
      "<tr><th>class-quota draw 分级配额抽取</th>",
      Cell(absl::StrFormat("%.1f [%.1f, %.1f]", p.quota_per_100.estimate, p.quota_per_100.lower,
                           p.quota_per_100.upper)),
      "</tr>\n<tr><th>uniform random draw 等概率随机抽取</th>",
      Cell(absl::StrFormat("%.1f [%.1f, %.1f]", p.uniform_per_100.estimate,
                           p.uniform_per_100.lower, p.uniform_per_100.upper)),
      "</tr>\n<tr><th>difference 差</th>",
      Cell(absl::StrFormat("%+.1f [%+.1f, %+.1f]", p.difference.estimate, p.difference.lower,
                           p.difference.upper)),
      "</tr>\n");
  return absl::StrCat(
      "<section id=\"policy\">\n<h2>抽查策略比较 / Class quotas against a uniform draw</h2>\n"
      "<table>\n<tr><th>policy 策略</th><th>violations per 100 inspections 每百次检出 "
      "[95%]</th></tr>\n",
      rows, "</table>\n",
      absl::StrFormat(
          "<p class=\"note\">Quotas A %g%%, B %g%%, C %g%%, D %g%% of each class of the held-out "
          "rows: the draw's expected hit rate weighs each class's rate by its quota times its "
          "size. Stratified bootstrap (rows resampled within their class), %d replicates.</p>\n"
          "</section>\n",
          100 * r.quotas[0], 100 * r.quotas[1], 100 * r.quotas[2], 100 * r.quotas[3],
          p.replicates));
}

std::string ScheduleChart(const EvaluationReport& r) {
  const ScheduleCurve& s = *r.schedule;
  Chart chart("检查进度 / Violations reached by day", "share of the window's days 时间进度",
              "share of violations reached 已发现违法占比");
  const double span = std::max<double>(1, static_cast<double>(s.points.size() - 1));
  const double total = std::max<double>(1, static_cast<double>(s.violations));
  std::vector<CurvePoint> model, real, mean, lower, upper;
  for (const SchedulePoint& p : s.points) {
    const double x = static_cast<double>(p.day) / span;
    model.push_back({x, p.model / total});
    real.push_back({x, p.real / total});
    mean.push_back({x, p.random_mean / total});
    lower.push_back({x, p.random_lower / total});
    upper.push_back({x, p.random_upper / total});
  }
  chart.Band(lower, upper, kReferenceColour);
  chart.Line(mean, kReferenceColour, true);
  chart.Line(real, kBaselineColour, false);
  chart.Line(model, kModelColour, false);
  chart.LegendBottomRight();
  chart.Legend("score order 按评分", kModelColour);
  chart.Legend("real order 实际顺序", kBaselineColour);
  chart.Legend("random, 95% band 随机", kReferenceColour);
  return chart.Finish();
}

std::string ScheduleHtml(const EvaluationReport& r) {
  const RandomOrderSummary& rnd = r.schedule_random;
  return absl::StrCat(
      "<section id=\"schedule\">\n<h2>检查进度 / The schedule: violations reached by day</h2>\n"
      "<table>\n<tr><th>days earlier, score order 按评分提前天数</th>",
      Cell(absl::StrFormat("%.1f", r.schedule_days_earlier)),
      "</tr>\n<tr><th>days earlier, random order 随机顺序 (mean [2.5%, 97.5%])</th>",
      Cell(absl::StrFormat("%.1f [%.1f, %.1f]", rnd.mean, rnd.p025, rnd.p975)), "</tr>\n",
      "</table>\n<div class=\"charts\">\n", ScheduleChart(r),
      absl::StrFormat(
          "\n</div>\n<p class=\"note\">The held-out window's real inspection days are the "
          "capacity: the k-th highest score takes the k-th earliest slot. %d violations; the "
          "band is the 2.5-97.5 percentile of 200 random orders.</p>\n</section>\n",
          r.schedule->violations));
}

std::string TuningHtml(const TuningSummary& t) {
  std::string head = "<tr><th>candidate 候选</th><th>mean AUC 平均</th>";
  for (const std::string& w : t.fold_windows)
    absl::StrAppend(&head, "<th>fold ", HtmlEscape(w), "</th>");
  absl::StrAppend(&head, "</tr>\n");
  std::string rows;
  for (size_t i = 0; i < t.candidates.size(); ++i) {
    const TuningSummary::Candidate& c = t.candidates[i];
    absl::StrAppend(&rows, "<tr><th>", HtmlEscape(c.shape),
                    static_cast<int>(i) == t.chosen ? " ✔ chosen 选定" : "", "</th>",
                    Cell(absl::StrFormat("%.4f", c.mean_auc)));
    for (size_t k = 0; k < c.fold_auc.size(); ++k) {
      absl::StrAppend(&rows, Cell(absl::StrFormat("%.4f (%d rounds)", c.fold_auc[k],
                                                  c.fold_rounds[k])));
    }
    absl::StrAppend(&rows, "</tr>\n");
  }
  return absl::StrCat(
      "<section id=\"tuning\">\n<h2>超参数选择 / Hyper-parameters by rolling validation</h2>\n"
      "<table>\n",
      head, rows, "</table>\n",
      absl::StrFormat(
          "<p class=\"note\">Each fold trains on every window before the one named and "
          "validates on it; the held-out window is in no fold. The final model grows %d "
          "rounds (the chosen candidate's on the latest fold) on all training windows.</p>\n"
          "</section>\n",
          t.rounds));
}

std::string TuningJson(const TuningSummary& t) {
  std::vector<std::string> candidates;
  for (const TuningSummary::Candidate& c : t.candidates) {
    std::vector<std::string> aucs, rounds;
    for (double a : c.fold_auc) aucs.push_back(JsonNumber(a));
    for (int n : c.fold_rounds) rounds.push_back(absl::StrCat(n));
    candidates.push_back(absl::StrCat("{\"shape\":", JsonQuote(c.shape),
                                      ",\"meanAuc\":", JsonNumber(c.mean_auc), ",\"foldAuc\":[",
                                      absl::StrJoin(aucs, ","), "],\"foldRounds\":[",
                                      absl::StrJoin(rounds, ","), "]}"));
  }
  std::vector<std::string> windows;
  for (const std::string& w : t.fold_windows) windows.push_back(JsonQuote(w));
  return absl::StrCat("{\"chosen\":", t.chosen, ",\"rounds\":", t.rounds, ",\"foldWindows\":[",
                      absl::StrJoin(windows, ","), "],\"candidates\":[",
                      absl::StrJoin(candidates, ","), "]}");
}

}  // namespace

std::string SectionsHtml(const EvaluationReport& r) {
  std::string out;
  if (r.intervals) absl::StrAppend(&out, IntervalsHtml(*r.intervals));
  if (!r.class_hit_rates.empty() && r.cut_points.size() == 3) absl::StrAppend(&out, ClassesHtml(r));
  if (r.policy) absl::StrAppend(&out, PolicyHtml(r));
  if (r.schedule && !r.schedule->points.empty()) absl::StrAppend(&out, ScheduleHtml(r));
  if (r.tuning) absl::StrAppend(&out, TuningHtml(*r.tuning));
  return out;
}

std::string SectionsJson(const EvaluationReport& r) {
  std::string out;
  if (r.intervals) {
    const BootstrapSummary& b = *r.intervals;
    absl::StrAppend(&out, ",\"intervals\":{\"replicates\":", b.replicates, ",\"rows\":", b.rows,
                    ",\"baseRate\":", IntervalJson(b.base_rate), ",\"model\":", ScorerJson(b.model));
    if (b.has_baseline) {
      absl::StrAppend(&out, ",\"baseline\":", ScorerJson(b.baseline),
                      ",\"aucModelMinusBaseline\":", IntervalJson(b.auc_model_minus_baseline),
                      ",\"precisionAt5pctModelMinusBaseline\":",
                      IntervalJson(b.precision_5_model_minus_baseline));
    }
    if (b.has_oracle) {
      absl::StrAppend(&out, ",\"oracle\":", ScorerJson(b.oracle),
                      ",\"aucModelOverOracle\":", IntervalJson(b.auc_model_over_oracle));
    }
    absl::StrAppend(&out, ",\"precisionAt5pctOverBaseRate\":",
                    IntervalJson(b.precision_5_over_base_rate), "}");
  }
  if (!r.class_hit_rates.empty()) {
    std::vector<std::string> classes;
    for (const ClassHitRate& c : r.class_hit_rates) {
      classes.push_back(absl::StrCat("{\"class\":\"", kClassNames[c.risk_class - 1],
                                     "\",\"rows\":", c.rows, ",\"violations\":", c.violations,
                                     ",\"hitRate\":", IntervalJson(c.rate), "}"));
    }
    absl::StrAppend(&out, ",\"classes\":[", absl::StrJoin(classes, ","), "]");
  }
  if (r.policy) {
    absl::StrAppend(&out, ",\"policy\":{\"quotas\":[", absl::StrJoin(r.quotas, ","),
                    "],\"quotaPer100\":", IntervalJson(r.policy->quota_per_100),
                    ",\"uniformPer100\":", IntervalJson(r.policy->uniform_per_100),
                    ",\"difference\":", IntervalJson(r.policy->difference), "}");
  }
  if (r.schedule) {
    std::vector<std::string> points;
    for (const SchedulePoint& p : r.schedule->points) {
      points.push_back(absl::StrCat("[", p.day, ",", JsonNumber(p.model), ",", JsonNumber(p.real),
                                    ",", JsonNumber(p.random_mean), ",",
                                    JsonNumber(p.random_lower), ",", JsonNumber(p.random_upper),
                                    "]"));
    }
    absl::StrAppend(
        &out, ",\"schedule\":{\"violations\":", r.schedule->violations,
        ",\"daysEarlier\":", JsonNumber(r.schedule_days_earlier),
        ",\"randomDaysEarlier\":{\"mean\":", JsonNumber(r.schedule_random.mean),
        ",\"lower\":", JsonNumber(r.schedule_random.p025),
        ",\"upper\":", JsonNumber(r.schedule_random.p975),
        "},\"columns\":[\"day\",\"model\",\"real\",\"randomMean\",\"randomLower\",\"randomUpper\"],"
        "\"points\":[",
        absl::StrJoin(points, ","), "]}");
  }
  if (r.tuning) absl::StrAppend(&out, ",\"tuning\":", TuningJson(*r.tuning));
  return out;
}

}  // namespace regulation::scoring::report_internal
