#ifndef SCORING_REPORT_CHART_H_
#define SCORING_REPORT_CHART_H_

// Internal to the report (report.cc, report_sections.cc): number formats and
// a small SVG chart with both axes from 0 to 1, which carries its own styles so that it
// can be copied out of the page.

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "scoring/metrics.h"

namespace regulation::scoring::report_internal {

// "12.3%".
std::string Percent(double v);
// A JSON number, "null" when not finite.
std::string JsonNumber(double v);

inline constexpr absl::string_view kModelColour = "#c0392b";
inline constexpr absl::string_view kBaselineColour = "#2c7fb8";
inline constexpr absl::string_view kOracleColour = "#27ae60";
inline constexpr absl::string_view kReferenceColour = "#888888";

class Chart {
 public:
  // `numeric_x` false leaves the x axis without number ticks (for categories placed
  // with XLabel).
  Chart(absl::string_view title, absl::string_view x_label, absl::string_view y_label,
        bool numeric_x = true);

  void Line(const std::vector<CurvePoint>& points, absl::string_view colour, bool dashed);
  void Dot(double x, double y, double radius, absl::string_view colour);
  // A shaded area between two curves sampled at the same x.
  void Band(const std::vector<CurvePoint>& lower, const std::vector<CurvePoint>& upper,
            absl::string_view colour);
  // A vertical interval [lower, upper] at x with a dot at y.
  void ErrorBar(double x, double y, double lower, double upper, absl::string_view colour);
  void XLabel(double x, absl::string_view label);
  void Text(double x, double y, absl::string_view text);
  void Marker(double x, absl::string_view label);
  // A legend entry; the legend is drawn by Finish, on a white box in a corner of the
  // plot (top left unless LegendBottomRight was called).
  void Legend(absl::string_view label, absl::string_view colour);
  void LegendBottomRight() { legend_bottom_right_ = true; }
  std::string Finish();

 private:
  static constexpr int kWidth = 380;
  static constexpr int kHeight = 370;
  static constexpr int kLeft = 52;
  static constexpr int kTop = 32;
  static constexpr int kPlot = 300;

  static double X(double v) { return kLeft + v * kPlot; }
  static double Y(double v) { return kTop + (1 - v) * kPlot; }

  std::string svg_;
  int markers_ = 0;
  std::vector<std::pair<std::string, std::string>> legend_;  // label, colour
  bool legend_bottom_right_ = false;
};

}  // namespace regulation::scoring::report_internal

#endif  // SCORING_REPORT_CHART_H_
