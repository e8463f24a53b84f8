#ifndef SCORING_FEATURE_FORMULAS_H_
#define SCORING_FEATURE_FORMULAS_H_

// The feature formulas, written once over any *inputs*: the enterprise record and
// portrait state as protobufs (feature_catalogue.cc) or a stored feature row
// (feature_row.cc). One template for both is what makes the row's features bit-identical
// to ComputeFeaturesInto: the same operations on the same values in the same order.
// Private to the feature_catalogue library.
//
// Inputs provide:
//   absl::CivilDay established() const;
//   int64_t capital() const;            // effective capital, before clamping at zero
//   int industry_section() const;       // the feature's value
//   int province() const;               // the feature's value
//   H signal(Signal) const;             // H: present(), count_total(), last_micros(),
//                                       //    WindowCount Count(as_of, window)
//   bool listed_at(ListKind, int64_t as_of) const;
//   int64_t list_changes_in(int64_t as_of, int64_t window) const;  // every list's

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "scoring/feature_catalogue.h"
#include "scoring/portrait_state.h"

namespace regulation::scoring::formulas {

inline constexpr int64_t kYear = 365 * kMicrosPerDay;
inline constexpr int64_t kThreeYears = 1095 * kMicrosPerDay;

// The civil day of `as_of` in China (UTC+8). A batch run asks for the same moment for
// every enterprise, so each thread keeps its last answer.
inline absl::CivilDay ChinaDay(int64_t as_of) {
  // Built once: FixedTimeZone names and looks up its zone on every call.
  static const absl::TimeZone* const kChina = new absl::TimeZone(absl::FixedTimeZone(8 * 3600));
  thread_local int64_t last_as_of = std::numeric_limits<int64_t>::min();
  thread_local absl::CivilDay last_day;
  if (as_of != last_as_of) {
    last_day = absl::ToCivilDay(absl::FromUnixMicros(as_of), *kChina);
    last_as_of = as_of;
  }
  return last_day;
}

template <typename History>
double DaysSince(const History& h, int64_t as_of) {
  if (!h.present()) return kDaysSinceNever;
  // Never negative, even for an event a moment later than `as_of` (a batch run that
  // reads a state updated after it fixed its moment).
  return std::clamp(std::floor(static_cast<double>(as_of - h.last_micros()) /
                               static_cast<double>(kMicrosPerDay)),
                    0.0, kDaysSinceNever);
}

template <typename Inputs>
double Count(const Inputs& in, Signal signal, int64_t as_of, int64_t window) {
  return static_cast<double>(in.signal(signal).Count(as_of, window).count);
}

// Events of any kind in the window: each event adds exactly one "primary" signal or
// list change, so count those.
template <typename Inputs>
double EventsInWindow(const Inputs& in, int64_t as_of, int64_t window) {
  static constexpr Signal kPrimary[] = {Signal::kPenalty,        Signal::kReportOnTime,
                                        Signal::kReportLate,     Signal::kReportMissing,
                                        Signal::kComplaint,      Signal::kQualitySample,
                                        Signal::kInspection,     Signal::kLicenceGranted,
                                        Signal::kLicenceRevoked, Signal::kRegistrationChange};
  double total = 0;
  for (Signal s : kPrimary) total += Count(in, s, as_of, window);
  // Whole numbers far below 2^53: the sum is exact in any grouping.
  total += static_cast<double>(in.list_changes_in(as_of, window));
  return total;
}

// Appends the features, in catalogue order, to `f` (anything with push_back(double)).
template <typename Inputs, typename Sink>
void AppendFeatures(const Inputs& in, int64_t as_of, Sink& f) {
  const absl::CivilDay today = ChinaDay(as_of);
  f.push_back(std::max<double>(0, static_cast<double>(today - in.established())) / 365.25);
  f.push_back(std::log10(1.0 + static_cast<double>(std::max<int64_t>(0, in.capital()))));
  f.push_back(in.industry_section());
  f.push_back(in.province());

  f.push_back(Count(in, Signal::kPenalty, as_of, kYear));
  f.push_back(Count(in, Signal::kPenalty, as_of, kThreeYears));
  f.push_back(std::log10(
      1.0 + static_cast<double>(in.signal(Signal::kPenalty).Count(as_of, kThreeYears).amount)));
  f.push_back(Count(in, Signal::kSeriousPenalty, as_of, kThreeYears));
  f.push_back(DaysSince(in.signal(Signal::kPenalty), as_of));
  f.push_back(Count(in, Signal::kReportLate, as_of, kThreeYears));
  f.push_back(Count(in, Signal::kReportMissing, as_of, kThreeYears));
  f.push_back(Count(in, Signal::kReportZeroFinancials, as_of, kThreeYears));
  f.push_back(Count(in, Signal::kReportOnTime, as_of, kThreeYears));
  f.push_back(in.listed_at(ListKind::kAbnormalOperation, as_of) ? 1 : 0);
  f.push_back(Count(in, Signal::kAbnormalListed, as_of, kThreeYears));
  f.push_back(in.listed_at(ListKind::kSeriousDishonesty, as_of) ? 1 : 0);
  f.push_back(in.listed_at(ListKind::kCourtDishonestDebtor, as_of) ? 1 : 0);
  f.push_back(Count(in, Signal::kComplaint, as_of, kYear));
  f.push_back(Count(in, Signal::kComplaint, as_of, kThreeYears));
  f.push_back(Count(in, Signal::kComplaintSubstantiated, as_of, kThreeYears));
  f.push_back(Count(in, Signal::kQualitySample, as_of, kThreeYears));
  f.push_back(Count(in, Signal::kQualityFailure, as_of, kThreeYears));
  f.push_back(Count(in, Signal::kInspection, as_of, kThreeYears));
  f.push_back(Count(in, Signal::kInspectionProblem, as_of, kThreeYears));
  const auto inspections = in.signal(Signal::kInspection);
  const auto problems = in.signal(Signal::kInspectionProblem);
  f.push_back(!inspections.present() ? 0 : static_cast<double>(inspections.count_total()));
  f.push_back(!problems.present() ? 0 : static_cast<double>(problems.count_total()));
  f.push_back(DaysSince(inspections, as_of));
  f.push_back(Count(in, Signal::kLicenceRevoked, as_of, kThreeYears));
  f.push_back(Count(in, Signal::kLicenceGranted, as_of, kThreeYears));
  f.push_back(Count(in, Signal::kRegistrationChange, as_of, kYear));
  f.push_back(Count(in, Signal::kRegistrationChange, as_of, kThreeYears));
  f.push_back(EventsInWindow(in, as_of, kThreeYears));
}

// Writes each feature as a float, in order.
struct FloatSink {
  float* out;
  void push_back(double v) { *out++ = static_cast<float>(v); }
};

}  // namespace regulation::scoring::formulas

#endif  // SCORING_FEATURE_FORMULAS_H_
