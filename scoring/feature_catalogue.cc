#include "scoring/feature_catalogue.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/sha256.h"
#include "scoring/feature_formulas.h"
#include "scoring/portrait_state.h"

namespace regulation::scoring {
namespace {

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

// The features' inputs read from the protobufs (feature_formulas.h).
class ProtoInputs {
 public:
  // One signal's history; absent when it never occurred.
  class History {
   public:
    explicit History(const internal::SignalHistory* h) : h_(h) {}
    bool present() const { return h_ != nullptr; }
    int64_t count_total() const { return h_->count_total(); }
    int64_t last_micros() const { return h_->last_micros(); }
    WindowCount Count(int64_t as_of, int64_t window) const {
      return CountInWindow(h_, as_of, window);
    }

   private:
    const internal::SignalHistory* h_;
  };

  ProtoInputs(const v1::Enterprise& enterprise, const internal::PortraitState& state)
      : enterprise_(enterprise), state_(state) {
    // The state's histories by Signal, looked up once: the features ask for 25 windows
    // of 15 signals, and a lookup walks the state's signal list.
    for (const internal::SignalHistory& h : state.signals()) {
      // The first history of a signal, as FindSignal; signals this build does not know
      // (a newer writer's) are not features.
      if (h.signal() >= 0 && h.signal() < kKnownSignals &&
          by_signal_[h.signal()] == nullptr) {
        by_signal_[h.signal()] = &h;
      }
    }
  }

  absl::CivilDay established() const {
    return absl::CivilDay(enterprise_.establishment_date().year(),
                          enterprise_.establishment_date().month(),
                          enterprise_.establishment_date().day());
  }
  int64_t capital() const {
    return state_.reported_capital_yuan() > 0 ? state_.reported_capital_yuan()
                                              : enterprise_.registered_capital_yuan();
  }
  int industry_section() const { return IndustrySectionFeature(enterprise_.industry_code()); }
  int province() const { return ProvinceFeature(enterprise_.region_code()); }
  History signal(Signal signal) const { return History(by_signal_[static_cast<int>(signal)]); }
  bool listed_at(ListKind list, int64_t as_of) const { return ListedAt(state_, list, as_of); }
  int64_t list_changes_in(int64_t as_of, int64_t window) const {
    int64_t n = 0;
    for (const internal::ListHistory& list : state_.lists()) {
      for (const internal::ListChange& c : list.changes()) {
        n += c.micros() > as_of - window && c.micros() <= as_of;
      }
    }
    return n;
  }

 private:
  const v1::Enterprise& enterprise_;
  const internal::PortraitState& state_;
  const internal::SignalHistory* by_signal_[kKnownSignals] = {};
};

}  // namespace

absl::Span<const FeatureSpec> FeatureCatalogue() { return kFeatures; }

int IndustrySectionFeature(absl::string_view industry_code) {
  return industry_code.empty() ? 0 : industry_code[0] - 'A' + 1;
}

int ProvinceFeature(absl::string_view region_code) {
  return region_code.size() >= 2 ? (region_code[0] - '0') * 10 + (region_code[1] - '0') : 0;
}

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
  formulas::AppendFeatures(ProtoInputs(enterprise, state), as_of, f);
  return f;
}

void ComputeFeaturesInto(const v1::Enterprise& enterprise, const internal::PortraitState& state,
                         int64_t as_of, float* out) {
  formulas::FloatSink sink{out};
  formulas::AppendFeatures(ProtoInputs(enterprise, state), as_of, sink);
}

}  // namespace regulation::scoring
