#include "scoring/report_chart.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/escaping.h"

namespace regulation::scoring::report_internal {
namespace {

// Inside each chart, so that a chart copied out of the page keeps its looks.
constexpr absl::string_view kChartStyle = R"(<style>
text { font-family: "Noto Sans", "Noto Sans CJK SC", "PingFang SC", sans-serif; font-size: 11px;
       fill: #333; }
.t { font-size: 13px; text-anchor: middle; font-weight: bold; }
.xt, .xl, .yl { text-anchor: middle; } .yt { text-anchor: end; }
.m { font-size: 10px; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.g { stroke: #eee; } .f { fill: none; stroke: #999; }
</style>)";

}  // namespace

std::string Percent(double v) { return absl::StrFormat("%.1f%%", 100 * v); }

std::string JsonNumber(double v) {
  if (!std::isfinite(v)) return "null";
  return absl::StrFormat("%.6g", v);
}

Chart::Chart(absl::string_view title, absl::string_view x_label, absl::string_view y_label,
             bool numeric_x) {
  absl::StrAppend(&svg_,
                  absl::StrFormat(R"(<svg xmlns="http://www.w3.org/2000/svg" width="%d" )"
                                  R"(height="%d" viewBox="0 0 %d %d" role="img">)",
                                  kWidth, kHeight, kWidth, kHeight),
                  "<title>", HtmlEscape(title), "</title>", kChartStyle);
  absl::StrAppend(&svg_, absl::StrFormat(R"(<text x="%d" y="20" class="t">%s</text>)", kWidth / 2,
                                         HtmlEscape(title)));
  for (int i = 0; i <= 5; ++i) {
    const double v = i / 5.0;
    if (numeric_x) {
      absl::StrAppend(
          &svg_,
          absl::StrFormat(R"(<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="g"/>)", X(v),
                          Y(0), X(v), Y(1)),
          absl::StrFormat(R"(<text x="%.1f" y="%.1f" class="xt">%g</text>)", X(v), Y(0) + 16, v));
    }
    absl::StrAppend(
        &svg_,
        absl::StrFormat(R"(<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="g"/>)", X(0),
                        Y(v), X(1), Y(v)),
        absl::StrFormat(R"(<text x="%.1f" y="%.1f" class="yt">%g</text>)", X(0) - 6, Y(v) + 4,
                        v));
  }
  absl::StrAppend(
      &svg_,
      absl::StrFormat(R"(<rect x="%d" y="%d" width="%d" height="%d" class="f"/>)", kLeft, kTop,
                      kPlot, kPlot),
      absl::StrFormat(R"(<text x="%.1f" y="%d" class="xl">%s</text>)", X(0.5), kHeight - 8,
                      HtmlEscape(x_label)),
      absl::StrFormat(R"svg(<text x="14" y="%.1f" class="yl" transform="rotate(-90 14 %.1f)">)svg"
                      R"(%s</text>)",
                      Y(0.5), Y(0.5), HtmlEscape(y_label)));
}

void Chart::Line(const std::vector<CurvePoint>& points, absl::string_view colour, bool dashed) {
  if (points.empty()) return;
  std::vector<std::string> coords;
  for (const CurvePoint& p : points) coords.push_back(absl::StrFormat("%.1f,%.1f", X(p.x), Y(p.y)));
  absl::StrAppend(&svg_, absl::StrFormat(R"(<polyline points="%s" fill="none" stroke="%s" )"
                                         R"(stroke-width="%s"%s/>)",
                                         absl::StrJoin(coords, " "), colour, dashed ? "1" : "2",
                                         dashed ? R"( stroke-dasharray="4 3")" : ""));
}

void Chart::Dot(double x, double y, double radius, absl::string_view colour) {
  absl::StrAppend(&svg_, absl::StrFormat(R"(<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s" )"
                                         R"(fill-opacity="0.6"/>)",
                                         X(x), Y(y), radius, colour));
}

void Chart::Band(const std::vector<CurvePoint>& lower, const std::vector<CurvePoint>& upper,
                 absl::string_view colour) {
  if (lower.empty() || upper.empty()) return;
  std::vector<std::string> coords;
  for (const CurvePoint& p : upper) coords.push_back(absl::StrFormat("%.1f,%.1f", X(p.x), Y(p.y)));
  for (auto it = lower.rbegin(); it != lower.rend(); ++it) {
    coords.push_back(absl::StrFormat("%.1f,%.1f", X(it->x), Y(it->y)));
  }
  absl::StrAppend(&svg_, absl::StrFormat(R"(<polygon points="%s" fill="%s" fill-opacity="0.2" )"
                                         R"(stroke="none"/>)",
                                         absl::StrJoin(coords, " "), colour));
}

void Chart::ErrorBar(double x, double y, double lower, double upper, absl::string_view colour) {
  absl::StrAppend(
      &svg_,
      absl::StrFormat(R"(<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" )"
                      R"(stroke-width="2"/>)",
                      X(x), Y(lower), X(x), Y(upper), colour),
      absl::StrFormat(R"(<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/>)", X(x) - 5,
                      Y(lower), X(x) + 5, Y(lower), colour),
      absl::StrFormat(R"(<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/>)", X(x) - 5,
                      Y(upper), X(x) + 5, Y(upper), colour),
      absl::StrFormat(R"(<circle cx="%.1f" cy="%.1f" r="4" fill="%s"/>)", X(x), Y(y), colour));
}

void Chart::XLabel(double x, absl::string_view label) {
  absl::StrAppend(&svg_, absl::StrFormat(R"(<text x="%.1f" y="%.1f" class="xt">%s</text>)", X(x),
                                         Y(0) + 16, HtmlEscape(label)));
}

void Chart::Text(double x, double y, absl::string_view text) {
  absl::StrAppend(&svg_, absl::StrFormat(R"(<text x="%.1f" y="%.1f" class="m">%s</text>)", X(x),
                                         Y(y), HtmlEscape(text)));
}

void Chart::Marker(double x, absl::string_view label) {
  absl::StrAppend(&svg_,
                  absl::StrFormat(R"(<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333" )"
                                  R"(stroke-dasharray="2 2"/>)",
                                  X(x), Y(0), X(x), Y(1)),
                  absl::StrFormat(R"(<text x="%.1f" y="%.1f" class="m">%s</text>)", X(x) + 3,
                                  Y(0.955 - 0.06 * markers_++), HtmlEscape(label)));
}

void Chart::Legend(absl::string_view label, absl::string_view colour) {
  legend_.push_back({std::string(label), std::string(colour)});
}

std::string Chart::Finish() {
  if (!legend_.empty()) {
    constexpr int kBoxWidth = 190;
    constexpr int kLine = 16;
    const int box_height = kLine * static_cast<int>(legend_.size()) + 8;
    const int x = legend_bottom_right_ ? kLeft + kPlot - kBoxWidth - 6 : kLeft + 6;
    const int y = legend_bottom_right_ ? kTop + kPlot - box_height - 6 : kTop + 6;
    absl::StrAppend(&svg_, absl::StrFormat(R"(<rect x="%d" y="%d" width="%d" height="%d" )"
                                           R"(fill="#fff" fill-opacity="0.9" stroke="#ddd"/>)",
                                           x, y, kBoxWidth, box_height));
    for (size_t i = 0; i < legend_.size(); ++i) {
      const int row = y + 4 + kLine * static_cast<int>(i) + 12;
      absl::StrAppend(&svg_,
                      absl::StrFormat(R"(<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" )"
                                      R"(stroke-width="2"/>)",
                                      x + 6, row - 4, x + 24, row - 4, legend_[i].second),
                      absl::StrFormat(R"(<text x="%d" y="%d">%s</text>)", x + 28, row,
                                      HtmlEscape(legend_[i].first)));
    }
  }
  return absl::StrCat(svg_, "</svg>");
}

}  // namespace regulation::scoring::report_internal
