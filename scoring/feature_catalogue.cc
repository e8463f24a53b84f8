#include "scoring/feature_catalogue.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/sha256.h"
#include "scoring/portrait_state.h"

namespace regulation::scoring {
namespace {

constexpr int64_t kYear = 365 * kMicrosPerDay;
constexpr int64_t kThreeYears = 1095 * kMicrosPerDay;

constexpr Direction kUp = Direction::kIncreasesRisk;
constexpr Direction kDown = Direction::kDecreasesRisk;
constexpr Direction kAny = Direction::kNone;

// The catalogue. Append new features at the end: models trained on the old schema are
// refused (their digest differs) rather than fed shifted columns.
constexpr FeatureSpec kFeatures[] = {
    {"age_years", "years since establishment", "-", kAny},
    {"capital_log10",
     "log10(1 + registered capital in yuan); the latest reported capital if a "
     "registration change reported one",
     "-", kAny},
    {"industry_section", "GB/T 4754 section as a number: A=1 ... T=20", "-", kAny},
    {"province", "first two digits of the region code (GB/T 2260)", "-", kAny},
    {"penalties_1y", "administrative penalties", "1 year", kUp},
    {"penalties_3y", "administrative penalties", "3 years", kUp},
    {"penalty_amount_log10_3y", "log10(1 + total fines in yuan)", "3 years", kUp},
    {"serious_penalties_3y", "penalties of severity SERIOUS", "3 years", kUp},
    {"days_since_penalty", "days since the latest penalty (3650 if none)", "all time", kDown},
    {"reports_late_3y", "annual reports filed late", "3 years", kUp},
    {"reports_missing_3y", "annual reports not filed", "3 years", kUp},
    {"reports_zero_financials_3y", "annual reports filed with all-zero financials", "3 years", kUp},
    {"reports_on_time_3y", "annual reports filed on time", "3 years", kAny},
    {"abnormal_listed", "1 while on the abnormal-operation list", "now", kUp},
    {"abnormal_listings_3y", "additions to the abnormal-operation list", "3 years", kUp},
    {"dishonest_listed", "1 while on the serious illegal and dishonest list", "now", kUp},
    {"court_debtor_listed", "1 while on the courts' dishonest-debtor list", "now", kUp},
    {"complaints_1y", "complaints and reports received", "1 year", kUp},
    {"complaints_3y", "complaints and reports received", "3 years", kUp},
    {"complaints_substantiated_3y", "complaints found substantiated", "3 years", kUp},
    {"quality_samples_3y", "product-quality samplings", "3 years", kAny},
    {"quality_failures_3y", "failed product-quality samplings", "3 years", kUp},
    {"inspections_3y", "inspections", "3 years", kAny},
    {"inspection_problems_3y", "inspections that found a problem", "3 years", kUp},
    {"inspections_total", "inspections", "all time", kAny},
    {"inspection_problems_total", "inspections that found a problem", "all time", kUp},
    {"days_since_inspection", "days since the latest inspection (3650 if none)", "all time", kAny},
    {"licences_revoked_3y", "licences revoked", "3 years", kUp},
    {"licences_granted_3y", "licences granted", "3 years", kAny},
    {"registration_changes_1y", "changes of registered particulars", "1 year", kUp},
    {"registration_changes_3y", "changes of registered particulars", "3 years", kUp},
    {"events_3y", "events of any kind", "3 years", kAny},
};

// A state's signal histories by Signal, looked up once per state: the features ask for
// 25 windows of 15 signals, and a lookup walks the state's signal list.
class SignalIndex {
 public:
  explicit SignalIndex(const internal::PortraitState& state) {
    for (const internal::SignalHistory& h : state.signals()) {
      // The first history of a signal, as FindSignal; signals this build does not know
      // (a newer writer's) are not features.
      if (h.signal() >= 0 && h.signal() < kSignals && by_signal_[h.signal()] == nullptr) {
        by_signal_[h.signal()] = &h;
      }
    }
  }
  // The history of `signal`, or nullptr when it never occurred.
  const internal::SignalHistory* operator[](Signal signal) const {
    return by_signal_[static_cast<int>(signal)];
  }

 private:
  static constexpr int kSignals = static_cast<int>(Signal::kRegistrationChange) + 1;
  const internal::SignalHistory* by_signal_[kSignals] = {};
};

double DaysSince(const SignalIndex& signals, Signal signal, int64_t as_of) {
  const internal::SignalHistory* h = signals[signal];
  if (h == nullptr) return kDaysSinceNever;
  // Never negative, even for an event a moment later than `as_of` (a batch run that
  // reads a state updated after it fixed its moment).
  return std::clamp(std::floor(static_cast<double>(as_of - h->last_micros()) /
                               static_cast<double>(kMicrosPerDay)),
                    0.0, kDaysSinceNever);
}

double Count(const SignalIndex& signals, Signal signal, int64_t as_of, int64_t window) {
  return static_cast<double>(CountInWindow(signals[signal], as_of, window).count);
}

// Events of any kind in the window: each event adds exactly one "primary" signal or
// list change, so count those.
double EventsInWindow(const internal::PortraitState& state, const SignalIndex& signals,
                      int64_t as_of, int64_t window) {
  static constexpr Signal kPrimary[] = {Signal::kPenalty,        Signal::kReportOnTime,
                                        Signal::kReportLate,     Signal::kReportMissing,
                                        Signal::kComplaint,      Signal::kQualitySample,
                                        Signal::kInspection,     Signal::kLicenceGranted,
                                        Signal::kLicenceRevoked, Signal::kRegistrationChange};
  double total = 0;
  for (Signal s : kPrimary) total += Count(signals, s, as_of, window);
  for (const internal::ListHistory& list : state.lists()) {
    for (const internal::ListChange& c : list.changes()) {
      total += c.micros() > as_of - window && c.micros() <= as_of;
    }
  }
  return total;
}

// The civil day of `as_of` in China (UTC+8). A batch run asks for the same moment for
// every enterprise, so each thread keeps its last answer.
absl::CivilDay ChinaDay(int64_t as_of) {
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

// Appends the features, in catalogue order, to `f` (anything with push_back(double)).
template <typename Sink>
void AppendFeatures(const v1::Enterprise& enterprise, const internal::PortraitState& state,
                    int64_t as_of, Sink& f) {
  const SignalIndex signals(state);
  const absl::CivilDay established(enterprise.establishment_date().year(),
                                   enterprise.establishment_date().month(),
                                   enterprise.establishment_date().day());
  const absl::CivilDay today = ChinaDay(as_of);
  f.push_back(std::max<double>(0, static_cast<double>(today - established)) / 365.25);
  const int64_t capital = state.reported_capital_yuan() > 0 ? state.reported_capital_yuan()
                                                            : enterprise.registered_capital_yuan();
  f.push_back(std::log10(1.0 + static_cast<double>(std::max<int64_t>(0, capital))));
  const std::string& industry = enterprise.industry_code();
  f.push_back(industry.empty() ? 0 : industry[0] - 'A' + 1);
  const std::string& region = enterprise.region_code();
  f.push_back(region.size() >= 2 ? (region[0] - '0') * 10 + (region[1] - '0') : 0);

  f.push_back(Count(signals, Signal::kPenalty, as_of, kYear));
  f.push_back(Count(signals, Signal::kPenalty, as_of, kThreeYears));
  f.push_back(std::log10(
      1.0 +
      static_cast<double>(CountInWindow(signals[Signal::kPenalty], as_of, kThreeYears).amount)));
  f.push_back(Count(signals, Signal::kSeriousPenalty, as_of, kThreeYears));
  f.push_back(DaysSince(signals, Signal::kPenalty, as_of));
  f.push_back(Count(signals, Signal::kReportLate, as_of, kThreeYears));
  f.push_back(Count(signals, Signal::kReportMissing, as_of, kThreeYears));
  f.push_back(Count(signals, Signal::kReportZeroFinancials, as_of, kThreeYears));
  f.push_back(Count(signals, Signal::kReportOnTime, as_of, kThreeYears));
  f.push_back(ListedAt(state, ListKind::kAbnormalOperation, as_of) ? 1 : 0);
  f.push_back(Count(signals, Signal::kAbnormalListed, as_of, kThreeYears));
  f.push_back(ListedAt(state, ListKind::kSeriousDishonesty, as_of) ? 1 : 0);
  f.push_back(ListedAt(state, ListKind::kCourtDishonestDebtor, as_of) ? 1 : 0);
  f.push_back(Count(signals, Signal::kComplaint, as_of, kYear));
  f.push_back(Count(signals, Signal::kComplaint, as_of, kThreeYears));
  f.push_back(Count(signals, Signal::kComplaintSubstantiated, as_of, kThreeYears));
  f.push_back(Count(signals, Signal::kQualitySample, as_of, kThreeYears));
  f.push_back(Count(signals, Signal::kQualityFailure, as_of, kThreeYears));
  f.push_back(Count(signals, Signal::kInspection, as_of, kThreeYears));
  f.push_back(Count(signals, Signal::kInspectionProblem, as_of, kThreeYears));
  const internal::SignalHistory* inspections = signals[Signal::kInspection];
  const internal::SignalHistory* problems = signals[Signal::kInspectionProblem];
  f.push_back(inspections == nullptr ? 0 : static_cast<double>(inspections->count_total()));
  f.push_back(problems == nullptr ? 0 : static_cast<double>(problems->count_total()));
  f.push_back(DaysSince(signals, Signal::kInspection, as_of));
  f.push_back(Count(signals, Signal::kLicenceRevoked, as_of, kThreeYears));
  f.push_back(Count(signals, Signal::kLicenceGranted, as_of, kThreeYears));
  f.push_back(Count(signals, Signal::kRegistrationChange, as_of, kYear));
  f.push_back(Count(signals, Signal::kRegistrationChange, as_of, kThreeYears));
  f.push_back(EventsInWindow(state, signals, as_of, kThreeYears));
}

// Writes each feature as a float, in order.
struct FloatSink {
  float* out;
  void push_back(double v) { *out++ = static_cast<float>(v); }
};

}  // namespace

absl::Span<const FeatureSpec> FeatureCatalogue() { return kFeatures; }

const std::string& FeatureSchemaDigest() {
  static const std::string* digest = [] {
    std::vector<absl::string_view> names;
    for (const FeatureSpec& f : kFeatures) names.push_back(f.name);
    return new std::string(Sha256Hex(absl::StrJoin(names, "\n")));
  }();
  return *digest;
}

std::vector<double> ComputeFeatures(const v1::Enterprise& enterprise,
                                    const internal::PortraitState& state, int64_t as_of) {
  std::vector<double> f;
  f.reserve(std::size(kFeatures));
  AppendFeatures(enterprise, state, as_of, f);
  return f;
}

void ComputeFeaturesInto(const v1::Enterprise& enterprise, const internal::PortraitState& state,
                         int64_t as_of, float* out) {
  FloatSink sink{out};
  AppendFeatures(enterprise, state, as_of, sink);
}

}  // namespace regulation::scoring
