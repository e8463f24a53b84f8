#include "tools/synth/history.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "regulation/v1/disclosure.pb.h"
#include "tools/synth/tables.h"

namespace regulation::synth {
namespace {

constexpr int64_t kDay = kSecondsPerDay;
constexpr int64_t kOneYear = 365 * kDay;  // feature windows count 365-day years
constexpr double kMeanMonthSeconds = 30.436875 * kDay;

// ---- The model (docs/synthetic-data.md lists and explains every figure) ----

// p_true: intercept and terms of the observable history. Counts saturate (a firm's
// fifth penalty says less than its first) and recent events weigh more than old ones.
constexpr double kIntercept = -3.35;
constexpr double kPenaltyMax = 1.30;          // the penalty term's ceiling, before the industry
constexpr double kPenaltyHalfScale = 1.0;     // recency-weighted penalties at 1 - 1/e of it
constexpr double kPenaltyRecencyYears = 0.75;  // a penalty's weight decays as exp(-age / this)
constexpr double kSeriousPenaltyTerm = 0.35;   // any SERIOUS penalty in 3 years
constexpr double kAbnormalListedTerm = 0.80;   // on the abnormal-operation list now
constexpr double kReportLateTerm = 0.35;       // latest annual report filed late
constexpr double kReportMissingTerm = 0.70;    // latest annual report missing
constexpr double kYoungRiskyTerm = 0.40;       // < 3 years old in catering, trade, building
constexpr double kYoungRiskyReportTerm = 0.90;  // ... and the latest report late or missing
constexpr double kComplaintMax = 0.70;          // substantiated complaints in a year, saturating
constexpr double kComplaintHalfScale = 1.5;
constexpr double kSamplingFailureTerm = 0.45;   // a failed sampling in 2 years, x the exposure
constexpr double kEarlierProblemTerm = 0.80;    // a finding, decaying over its age
constexpr double kEarlierProblemYears = 1.5;    // ... as exp(-age / this), within 3 years
constexpr double kZeroReportTerm = 0.45;        // latest report all-zero
constexpr double kTinyChurnTerm = 0.70;         // tiny capital and >= 2 changes in 2 years
constexpr double kRegistrationChangeMax = 0.45;  // changes in the last year, saturating
constexpr double kRegistrationChangeHalfScale = 2.0;
constexpr double kDishonestTerm = 0.60;
constexpr double kCourtDebtorTerm = 0.30;
constexpr double kSuspendedTerm = 0.60;
// Inspector leniency: who inspects is drawn per inspection and seen by no model. A
// violation is recorded only when the inspector finds it.
constexpr double kInspectorShare[3] = {0.60, 0.30, 0.10};     // strict, typical, lenient
constexpr double kInspectorDetects[3] = {0.97, 0.85, 0.50};  // P(records a violation)
constexpr double kMeanDetection = 0.60 * 0.97 + 0.30 * 0.85 + 0.10 * 0.50;  // 0.887
// The yearly shock: unobservable, partly reflected in the same year's event rates.
constexpr double kShockSd = 0.60;
constexpr double kShockInEvents = 0.70;

// Event rates per firm and year at risk index r = latent_propensity + 0.7 * shock.
constexpr double kPenaltiesPerYear = 0.012;           // times exp(r) and the section's exposure
constexpr double kRegistrationChangesPerYear = 0.20;  // times the firm's churn
constexpr double kCourtListingsPerYear = 0.003;       // times exp(1.1 r)
constexpr double kInspectionsPerYear = 0.055;         // times season and the targeting multiplier
constexpr double kExitsPerYear = 0.025;               // voluntary deregistration
// Scales the SERIOUS weight of every legal basis: about one penalty in eight is serious.
constexpr double kSeriousShare = 0.35;
// Inspections by month (January and February are the Spring Festival lull).
constexpr double kSeason[12] = {0.3, 0.2, 0.8, 1.1, 1.2, 1.2, 1.1, 1.1, 1.3, 1.0, 1.4, 1.3};

// Abnormal-operation listing reasons (企业经营异常名录管理暂行办法 art. 4), as bits.
enum AbnormalReason : int {
  kReportMissing = 1,
  kUnreachable = 2,
  kInformationNotPublished = 4,
  kInformationFalse = 8,
};

const char* AbnormalReasonName(int reason) {
  switch (reason) {
    case kReportMissing:
      return "annual_report_missing";
    case kUnreachable:
      return "unreachable_at_address";
    case kInformationNotPublished:
      return "information_not_published";
    default:
      return "information_false";
  }
}

const char* AbnormalRemovalName(int reason) {
  switch (reason) {
    case kReportMissing:
      return "annual_report_filed";
    case kUnreachable:
      return "address_verified";
    case kInformationNotPublished:
      return "information_published";
    default:
      return "information_corrected";
  }
}

enum DishonestReason : int { kSeriousViolation = 1, kAbnormalThreeYears = 2 };

enum PenaltySource : int { kSpontaneous = 0, kFromInspection = 1, kFromSampling = 2 };

enum class Kind {
  kReportFile,
  kReportDeadline,
  kAbnormalAdd,
  kAbnormalCure,
  kAbnormalRemove,
  kPenalty,
  kComplaint,
  kSampling,
  kRegistrationChange,
  kInspection,
  kCourtAdd,
  kCourtRemove,
  kDishonestAdd,
  kDishonestRemove,
  kLicenceGrant,
  kLicenceRevoke,
  kRevoke,
  kSuspend,
  kResume,
  kLiquidate,
  kDeregister,
  kMoveOut,
};

struct Action {
  int64_t time;
  int64_t seq;
  Kind kind;
  int arg;
  int arg2;
};

struct Later {
  bool operator()(const Action& a, const Action& b) const {
    return a.time != b.time ? a.time > b.time : a.seq > b.seq;
  }
};

enum class Clock { kOffice, kListing, kOnline };

enum class ReportStatus { kPending, kOnTime, kLate, kMissing };

struct ReportYear {
  int year = 0;
  ReportStatus status = ReportStatus::kPending;
  bool flagged_missing = false;
  bool zero = false;
};

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

// 1 - exp(-x / scale): 0 at 0, rising to 1; half-way to 1 - 1/e at x = scale.
double Saturating(double x, double scale) { return 1.0 - std::exp(-x / scale); }

// Sum over the events of the last `window` of exp(-age / decay).
double RecencyWeighted(const std::vector<int64_t>& times, int64_t now, int64_t window,
                       int64_t decay) {
  double sum = 0;
  for (int64_t t : times) {
    if (t <= now && t > now - window) {
      sum += std::exp(-static_cast<double>(now - t) / static_cast<double>(decay));
    }
  }
  return sum;
}

// exp(-age / decay) of the latest event of the last `window`; 0 when there is none.
double LatestWeight(const std::vector<int64_t>& times, int64_t now, int64_t window,
                    int64_t decay) {
  int64_t latest = -1;
  for (int64_t t : times) {
    if (t <= now && t > now - window) latest = std::max(latest, t);
  }
  if (latest < 0) return 0;
  return std::exp(-static_cast<double>(now - latest) / static_cast<double>(decay));
}

int CountSince(const std::vector<int64_t>& times, int64_t now, int64_t window) {
  int n = 0;
  for (int64_t t : times) {
    if (t <= now && t > now - window) ++n;
  }
  return n;
}

struct Probability {
  double p_true;
  double observable_logit;
};

class Simulator {
 public:
  Simulator(const SynthConfig& config, const EnterpriseProfile& profile, Rng rng)
      : config_(config),
        p_(profile),
        rng_(rng),
        window_(WindowOf(config)),
        est_start_(DayStartSeconds(profile.establishment)),
        capital_(profile.registered_capital_yuan),
        assets_(profile.total_assets_yuan),
        revenue_(profile.revenue_yuan),
        employees_(profile.employees) {}

  History Run() {
    if (p_.closed_before_window) {
      status_ = p_.status_before_window;
      closed_ = true;
      Finish();
      return std::move(h_);
    }
    // From 08:00 CST on the establishment day (00:00 UTC): no event's date, in China or in
    // UTC, is before the establishment date.
    const int64_t start = std::max(window_.start_seconds, est_start_ + kChinaOffsetSeconds);
    ScheduleLicences();
    bool first = true;
    for (absl::CivilMonth m(ChinaDayOf(start)); m <= absl::CivilMonth(window_.last_day); ++m) {
      if (m.year() != shock_year_) {
        shock_year_ = static_cast<int>(m.year());
        shock_ = rng_.Normal(0.0, kShockSd);
      }
      const int64_t begin = std::max(start, DayStartSeconds(absl::CivilDay(m)));
      const int64_t end = std::min(window_.end_seconds, DayStartSeconds(absl::CivilDay(m + 1)));
      if ((first || m.month() == 1) && m.month() <= 6 && Active()) {
        ScheduleAnnualReport(static_cast<int>(m.year()), begin);
      }
      first = false;
      if (Active() && end > begin) DrawMonth(m, begin, end);
      ProcessUntil(end);
    }
    Finish();
    return std::move(h_);
  }

 private:
  bool Active() const { return !closed_ && !liquidating_; }
  double Risk() const { return p_.latent_propensity + kShockInEvents * shock_; }
  double AgeYears(int64_t t) const { return static_cast<double>(t - est_start_) / (365.25 * kDay); }

  void Finish() {
    h_.final_status = status_;
    h_.final_capital_yuan = capital_;
    h_.problem_probability_at_end = PTrue(window_.end_seconds).p_true;
  }

  // ---- time ----

  int64_t TimeOfDay(Clock clock) {
    switch (clock) {
      case Clock::kOffice:  // 08:30-17:30
        return 30600 + rng_.UniformInt(int64_t{0}, int64_t{32399});
      case Clock::kListing:  // batch publication, 09:00-12:00
        return 32400 + rng_.UniformInt(int64_t{0}, int64_t{10799});
      case Clock::kOnline: {  // filings and complaints, 07:00-24:00, peaks in office hours
        static constexpr double kHourWeights[17] = {1, 3, 6, 7, 6, 3, 4, 6, 7,
                                                    6, 4, 2, 3, 4, 4, 3, 1};
        const int64_t hour = 7 + static_cast<int64_t>(rng_.Categorical(kHourWeights));
        return hour * 3600 + rng_.UniformInt(int64_t{0}, int64_t{3599});
      }
    }
    return 0;
  }

  // A moment in [from, to) on a random day, at a time of day typical of `clock`;
  // `workday` avoids weekends where it can. REQUIRES: from < to.
  int64_t TimeBetween(int64_t from, int64_t to, Clock clock, bool workday) {
    const absl::CivilDay first = ChinaDayOf(from);
    const int64_t days = (ChinaDayOf(to - 1) - first) + 1;
    for (int attempt = 0; attempt < 6; ++attempt) {
      const absl::CivilDay day = first + static_cast<int64_t>(rng_.UniformInt(days));
      if (workday && attempt < 5 && IsWeekend(day)) continue;
      const int64_t t = DayStartSeconds(day) + TimeOfDay(clock);
      if (t >= from && t < to) return t;
    }
    return from + rng_.UniformInt(int64_t{0}, std::min<int64_t>(to - from, 3600) - 1);
  }

  // A moment `lo`-`hi` days after the day of `t` (lo >= 1), at a time typical of `clock`.
  int64_t DaysAfter(int64_t t, int64_t lo, int64_t hi, Clock clock) {
    absl::CivilDay day = ChinaDayOf(t) + rng_.UniformInt(lo, hi);
    if (clock != Clock::kOnline && IsWeekend(day)) {
      day += absl::GetWeekday(day) == absl::Weekday::saturday ? 2 : 1;
    }
    return DayStartSeconds(day) + TimeOfDay(clock);
  }

  // A moment about `days` days after `t` (at least the next day).
  int64_t AboutDaysAfter(int64_t t, double days, Clock clock) {
    const int64_t whole = 1 + static_cast<int64_t>(std::min(days, 36500.0));
    return DaysAfter(t, whole, whole, clock);
  }

  void Push(int64_t time, Kind kind, int arg = 0, int arg2 = 0) {
    heap_.push(Action{time, seq_++, kind, arg, arg2});
  }

  void ClearSchedule() { heap_ = decltype(heap_)(); }

  void ProcessUntil(int64_t end) {
    while (!heap_.empty() && heap_.top().time < end) {
      const Action a = heap_.top();
      heap_.pop();
      Handle(a);
    }
  }

  // ---- events ----

  v1::Event* NewEvent(int64_t t, const char* department) {
    if (next_event_ > kMaxEventsPerEnterprise) {
      scratch_.Clear();
      return &scratch_;
    }
    v1::Event& e = h_.events.emplace_back();
    e.set_event_id(EventId(config_.seed, p_.index, next_event_++));
    e.set_source_department(department);
    e.set_credit_code(p_.credit_code);
    e.mutable_occur_time()->set_seconds(t);
    return &e;
  }

  // ---- probability of a problem ----

  ReportYear* LatestResolvedReport() {
    ReportYear* latest = nullptr;
    for (ReportYear& r : reports_) {
      if (r.status != ReportStatus::kPending && (latest == nullptr || r.year > latest->year)) {
        latest = &r;
      }
    }
    return latest;
  }

  Probability PTrue(int64_t t) {
    const double age = AgeYears(t);
    const bool young = age < 3.0;
    const bool risky = young && p_.section->risky_when_young;
    const ReportYear* report = LatestResolvedReport();
    const bool late = report != nullptr && report->status == ReportStatus::kLate;
    const bool missing = report != nullptr && report->status == ReportStatus::kMissing;
    const bool zero = report != nullptr && report->zero;
    const bool tiny = capital_ < kTinyCapitalYuan;

    double x = kIntercept + p_.observable_propensity;
    x += age < 1 ? 0.50 : age < 3 ? 0.30 : age < 5 ? 0.15 : age < 15 ? 0.0 : -0.20;
    x += kYoungRiskyTerm * risky;
    // Industry: a penalty says more where hazards are higher (the section's exposure,
    // catering 1.8 ... services 0.4), and so does a failed sampling.
    const double industry = 0.6 + 0.4 * p_.section->penalty_exposure;
    const double penalties = RecencyWeighted(
        penalties_, t, 3 * kOneYear, static_cast<int64_t>(kPenaltyRecencyYears * kOneYear));
    x += kPenaltyMax * industry * Saturating(penalties, kPenaltyHalfScale);
    x += kSeriousPenaltyTerm * (CountSince(serious_penalties_, t, 3 * kOneYear) > 0);
    x += kAbnormalListedTerm * abnormal_listed_;
    x += late ? kReportLateTerm : missing ? kReportMissingTerm : 0.0;
    x += kYoungRiskyReportTerm * (risky && (late || missing));
    x += kComplaintMax * Saturating(CountSince(substantiated_, t, kOneYear), kComplaintHalfScale);
    x += kSamplingFailureTerm * industry * (CountSince(failed_samplings_, t, 2 * kOneYear) > 0);
    x += kEarlierProblemTerm * LatestWeight(problems_, t, 3 * kOneYear,
                                            static_cast<int64_t>(kEarlierProblemYears * kOneYear));
    x += kZeroReportTerm * zero;
    x += kTinyChurnTerm * (tiny && CountSince(registration_changes_, t, 2 * kOneYear) >= 2);
    x += kRegistrationChangeMax * Saturating(CountSince(registration_changes_, t, kOneYear),
                                             kRegistrationChangeHalfScale);
    x += kDishonestTerm * dishonest_;
    x += kCourtDebtorTerm * court_;
    x += kSuspendedTerm * (status_ == v1::ENTERPRISE_STATUS_SUSPENDED);
    const double hidden = p_.latent_propensity - p_.observable_propensity + shock_;
    // The probability that an inspection records a problem: a violation, found by an
    // inspector drawn at random (kMeanDetection on average).
    return Probability{kMeanDetection * Sigmoid(x + hidden), x};
  }

  // How much more likely than average regulators are to draw the firm, from what they
  // can see (SAMR's risk classes: more for listed, penalised, complained-about firms).
  double TargetMultiplier(int64_t t) {
    const ReportYear* report = LatestResolvedReport();
    double m = 1.0;
    m += 2.0 * abnormal_listed_;
    m += 1.0 * (CountSince(penalties_, t, kOneYear) > 0);
    m += 0.6 * (CountSince(substantiated_, t, kOneYear) > 0);
    m += 1.5 * dishonest_;
    m += 0.5 * (report != nullptr && report->status == ReportStatus::kMissing);
    m += 0.5 * (report != nullptr && report->zero);
    m += 0.5 * (CountSince(problems_, t, 3 * kOneYear) > 0);
    return m == 1.0 ? 0.8 : m;  // class A: a reduced ratio
  }

  // ---- scheduling ----

  void ScheduleLicences() {
    if (!p_.holds_licence) return;
    const absl::CivilDay granted = p_.establishment + rng_.UniformInt(int64_t{10}, int64_t{60});
    for (int k = 0; k < 40; ++k) {
      // Licences run five years; renewal is granted shortly before expiry.
      const absl::CivilDay day =
          k == 0 ? granted : granted + 1826 * k - rng_.UniformInt(int64_t{10}, int64_t{40});
      const int64_t t = DayStartSeconds(day) + TimeOfDay(Clock::kOffice);
      if (t >= window_.end_seconds) break;
      // Grants before the window are not events: a revocation needs a grant in the
      // window, so that no revocation appears without a grant before it.
      if (t < window_.start_seconds) continue;
      Push(t, Kind::kLicenceGrant);
    }
  }

  void ScheduleAnnualReport(int year, int64_t from) {
    const int report_year = year - 1;
    if (report_year < p_.establishment.year()) return;
    const int64_t deadline_end = DayStartSeconds(absl::CivilDay(year, 7, 1));
    if (from >= deadline_end) return;
    reports_.push_back(ReportYear{report_year});
    const bool suspended = status_ == v1::ENTERPRISE_STATUS_SUSPENDED;
    const double u = p_.latent_propensity;
    const double on_time = Sigmoid(2.4 + p_.diligence - 0.8 * u - 0.4 * shock_ - 1.5 * p_.shell -
                                   1.5 * suspended - 0.4 * (AgeYears(from) < 2));
    if (rng_.Bernoulli(on_time)) {
      // Filings pile up towards the 30 June deadline.
      const double span = static_cast<double>(deadline_end - from);
      const int64_t guess = from + static_cast<int64_t>(span * std::sqrt(rng_.Uniform()));
      const absl::CivilDay day = ChinaDayOf(guess);
      int64_t t = DayStartSeconds(day) + TimeOfDay(Clock::kOnline);
      if (t < from || t >= deadline_end) t = TimeBetween(from, deadline_end, Clock::kOnline, false);
      Push(t, Kind::kReportFile, report_year, /*late=*/0);
      return;
    }
    Push(deadline_end + 9 * 3600 + rng_.UniformInt(int64_t{0}, int64_t{3599}),
         Kind::kReportDeadline, report_year);
    const double files_late = Sigmoid(0.8 + 0.5 * p_.diligence - 0.8 * u - 1.5 * p_.shell);
    if (rng_.Bernoulli(files_late)) {
      Push(AboutDaysAfter(deadline_end, rng_.Exponential(75.0), Clock::kOnline), Kind::kReportFile,
           report_year, /*late=*/1);
    }
  }

  void DrawMonth(absl::CivilMonth m, int64_t begin, int64_t end) {
    const double f = static_cast<double>(end - begin) / kMeanMonthSeconds;  // months covered
    const double r = Risk();
    const double age = AgeYears(begin);
    const bool suspended = status_ == v1::ENTERPRISE_STATUS_SUSPENDED;
    const DivisionInfo& division = *p_.division;

    const double penalties = kPenaltiesPerYear / 12 * f * p_.section->penalty_exposure *
                             std::exp(r) * (1 + 0.5 * abnormal_listed_) * (suspended ? 0.3 : 1);
    for (int i = rng_.Poisson(penalties); i > 0; --i) {
      Push(TimeBetween(begin, end, Clock::kOffice, true), Kind::kPenalty, kSpontaneous);
    }
    const double complaints =
        division.complaints_per_year / 12 * f * std::exp(0.6 * r) * (suspended ? 0.2 : 1);
    for (int i = rng_.Poisson(complaints); i > 0; --i) {
      Push(TimeBetween(begin, end, Clock::kOnline, false), Kind::kComplaint);
    }
    const double changes = kRegistrationChangesPerYear / 12 * f * p_.churn * (age < 1 ? 1.5 : 1) *
                           (suspended ? 0.3 : 1);
    for (int i = rng_.Poisson(changes); i > 0; --i) {
      Push(TimeBetween(begin, end, Clock::kOffice, true), Kind::kRegistrationChange);
    }
    const double court =
        kCourtListingsPerYear / 12 * f * std::exp(1.1 * r) * (1 + abnormal_listed_);
    if (!court_ && rng_.Bernoulli(1 - std::exp(-court))) {
      Push(TimeBetween(begin, end, Clock::kOffice, true), Kind::kCourtAdd);
    }
    if (division.samplings_per_year > 0 && !suspended &&
        rng_.Bernoulli(division.samplings_per_year / 12 * f)) {
      Push(TimeBetween(begin, end, Clock::kOffice, true), Kind::kSampling);
    }
    const double inspection =
        kInspectionsPerYear / 12 * f * kSeason[m.month() - 1] * TargetMultiplier(begin);
    if (rng_.Bernoulli(inspection)) {
      Push(TimeBetween(begin, end, Clock::kOffice, true), Kind::kInspection);
    }
    if (abnormal_listed_ && !dishonest_ && begin - abnormal_since_ >= 3 * kOneYear) {
      Push(TimeBetween(begin, end, Clock::kListing, true), Kind::kDishonestAdd,
           kAbnormalThreeYears);
    }
    // Exits and status changes.
    if (rng_.Bernoulli(kExitsPerYear / 12 * f * (age < 2 ? 1.6 : 1) * (p_.shell ? 0.3 : 1))) {
      Push(TimeBetween(begin, end, Clock::kOffice, true), Kind::kLiquidate);
    }
    if (abnormal_listed_ && begin - abnormal_since_ >= 180 * kDay &&
        rng_.Bernoulli((p_.shell ? 0.05 : 0.01) * f)) {
      Push(TimeBetween(begin, end, Clock::kOffice, true), Kind::kRevoke);
    }
    if (!suspended && rng_.Bernoulli(0.0012 * f * (p_.shell ? 3 : 1))) {
      Push(TimeBetween(begin, end, Clock::kOffice, true), Kind::kSuspend);
    }
    if (suspended && rng_.Bernoulli(0.03 * f)) {
      Push(TimeBetween(begin, end, Clock::kOffice, true), Kind::kResume);
    }
    if (rng_.Bernoulli(0.0002 * f)) {
      Push(TimeBetween(begin, end, Clock::kOffice, true), Kind::kMoveOut);
    }
  }

  // ---- actions ----

  void Handle(const Action& a) {
    switch (a.kind) {
      case Kind::kReportFile:
        return FileReport(a.time, a.arg, a.arg2 != 0);
      case Kind::kReportDeadline:
        return ReportDeadline(a.time, a.arg);
      case Kind::kAbnormalAdd:
        return AbnormalAdd(a.time, a.arg);
      case Kind::kAbnormalCure:
        return AbnormalCure(a.time, a.arg);
      case Kind::kAbnormalRemove:
        return AbnormalRemove(a.time, a.arg);
      case Kind::kPenalty:
        return Penalty(a.time, a.arg);
      case Kind::kComplaint:
        return Complaint(a.time);
      case Kind::kSampling:
        return Sampling(a.time);
      case Kind::kRegistrationChange:
        return RegistrationChange(a.time, nullptr);
      case Kind::kInspection:
        return Inspection(a.time);
      case Kind::kCourtAdd:
        return CourtAdd(a.time);
      case Kind::kCourtRemove:
        return CourtRemove(a.time);
      case Kind::kDishonestAdd:
        return DishonestAdd(a.time, a.arg);
      case Kind::kDishonestRemove:
        return DishonestRemove(a.time);
      case Kind::kLicenceGrant:
        return LicenceGrant(a.time);
      case Kind::kLicenceRevoke:
        return LicenceRevoke(a.time);
      case Kind::kRevoke:
        return Revoke(a.time);
      case Kind::kSuspend:
        if (Active() && status_ == v1::ENTERPRISE_STATUS_OPERATING) {
          status_ = v1::ENTERPRISE_STATUS_SUSPENDED;
        }
        return;
      case Kind::kResume:
        if (Active() && status_ == v1::ENTERPRISE_STATUS_SUSPENDED) {
          status_ = v1::ENTERPRISE_STATUS_OPERATING;
        }
        return;
      case Kind::kLiquidate:
        if (!Active()) return;
        liquidating_ = true;
        status_ = v1::ENTERPRISE_STATUS_LIQUIDATING;
        ClearSchedule();
        Push(DaysAfter(a.time, 30, 150, Clock::kOffice), Kind::kDeregister);
        return;
      case Kind::kDeregister:
        Close(v1::ENTERPRISE_STATUS_DEREGISTERED);
        return;
      case Kind::kMoveOut:
        if (Active()) Close(v1::ENTERPRISE_STATUS_MOVED_OUT);
        return;
    }
  }

  void Close(v1::EnterpriseStatus status) {
    status_ = status;
    closed_ = true;
    liquidating_ = false;
    ClearSchedule();
  }

  ReportYear* FindReport(int year) {
    for (ReportYear& r : reports_) {
      if (r.year == year) return &r;
    }
    return nullptr;
  }

  bool AnyReportOutstanding() const {
    for (const ReportYear& r : reports_) {
      if (r.status == ReportStatus::kMissing) return true;
    }
    return false;
  }

  void FileReport(int64_t t, int year, bool late) {
    ReportYear* r = FindReport(year);
    if (!Active() || r == nullptr ||
        (r->status != ReportStatus::kPending && r->status != ReportStatus::kMissing)) {
      return;
    }
    const bool suspended = status_ == v1::ENTERPRISE_STATUS_SUSPENDED;
    r->status = late ? ReportStatus::kLate : ReportStatus::kOnTime;
    const double growth = rng_.Normal(0.04, 0.25);
    assets_ *= std::exp(growth);
    revenue_ *= std::exp(growth + rng_.Normal(0.0, 0.15));
    r->zero = rng_.Bernoulli(Sigmoid(-3.2 + 2.8 * p_.shell + 0.5 * p_.latent_propensity +
                                     1.0 * suspended + 0.9 * (AgeYears(t) < 1.5)));
    v1::Event* e = NewEvent(t, "samr");
    v1::AnnualReport* report = e->mutable_annual_report();
    report->set_report_year(year);
    report->set_filing(late ? v1::ANNUAL_REPORT_FILING_LATE : v1::ANNUAL_REPORT_FILING_ON_TIME);
    if (r->zero) {
      report->set_employees(rng_.Bernoulli(0.5) ? 0 : 1);
    } else {
      const double revenue = revenue_ * (suspended ? 0.2 : 1.0);
      const double margin = rng_.Normal(0.04, 0.08) - 0.02 * Risk();
      const double profit = revenue * margin;
      const double tax = revenue * rng_.Uniform(0.005, 0.03) * (profit < 0 ? 0.4 : 1.0);
      report->set_total_assets_yuan(std::llround(assets_));
      report->set_revenue_yuan(std::llround(revenue));
      report->set_profit_yuan(std::llround(profit));
      report->set_tax_paid_yuan(std::llround(tax));
      report->set_employees(
          static_cast<int32_t>(std::max(0L, std::lround(employees_ * rng_.LogNormal(1.0, 0.15)))));
    }
    if (late && r->flagged_missing && !AnyReportOutstanding() &&
        (abnormal_mask_ & kReportMissing)) {
      Push(DaysAfter(t, 1, 20, Clock::kListing), Kind::kAbnormalCure, kReportMissing);
    }
  }

  void ReportDeadline(int64_t t, int year) {
    ReportYear* r = FindReport(year);
    if (!Active() || r == nullptr || r->status != ReportStatus::kPending) return;
    r->status = ReportStatus::kMissing;
    r->flagged_missing = true;
    v1::Event* e = NewEvent(t, "samr");
    e->mutable_annual_report()->set_report_year(year);
    e->mutable_annual_report()->set_filing(v1::ANNUAL_REPORT_FILING_MISSING);
    Push(DaysAfter(t, 1, 25, Clock::kListing), Kind::kAbnormalAdd, kReportMissing);
  }

  void AbnormalAdd(int64_t t, int reason) {
    if (!Active() || (abnormal_mask_ & reason)) return;
    if (reason == kReportMissing && !AnyReportOutstanding()) return;
    abnormal_mask_ |= reason;
    if (!abnormal_listed_) {
      abnormal_listed_ = true;
      abnormal_since_ = t;
      v1::Event* e = NewEvent(t, "samr");
      e->mutable_abnormal_operation()->set_action(v1::LIST_ACTION_ADDED);
      e->mutable_abnormal_operation()->set_reason(AbnormalReasonName(reason));
    }
    double cure_days = 0;
    switch (reason) {
      case kUnreachable:
        cure_days = rng_.Exponential(p_.shell ? 900.0 : 240.0);
        break;
      case kInformationNotPublished:
        cure_days = rng_.Exponential(90.0);
        break;
      case kInformationFalse:
        cure_days = rng_.Exponential(150.0);
        break;
      default:
        return;  // cured by filing the missing reports
    }
    Push(AboutDaysAfter(t, cure_days, Clock::kOffice), Kind::kAbnormalCure, reason);
  }

  void AbnormalCure(int64_t t, int reason) {
    if (!Active() || !(abnormal_mask_ & reason)) return;
    abnormal_mask_ &= ~reason;
    if (reason == kUnreachable && rng_.Bernoulli(0.6)) RegistrationChange(t, "address");
    if (abnormal_mask_ == 0) {
      Push(DaysAfter(t, 1, 15, Clock::kListing), Kind::kAbnormalRemove, reason);
    }
  }

  void AbnormalRemove(int64_t t, int reason) {
    if (!Active() || !abnormal_listed_ || abnormal_mask_ != 0) return;
    abnormal_listed_ = false;
    v1::Event* e = NewEvent(t, "samr");
    e->mutable_abnormal_operation()->set_action(v1::LIST_ACTION_REMOVED);
    e->mutable_abnormal_operation()->set_reason(AbnormalRemovalName(reason));
    if (dishonest_ && dishonest_reason_ == kAbnormalThreeYears) {
      Push(DaysAfter(t, 30, 120, Clock::kListing), Kind::kDishonestRemove);
    }
  }

  std::string DecisionNumber(int64_t t, const char* department) {
    const char* kind = absl::string_view(department) == "tax"       ? "税稽罚"
                       : absl::string_view(department) == "housing" ? "建罚"
                                                                    : "市监处罚";
    return absl::StrCat(p_.region->short_name, kind, "〔", ChinaDayOf(t).year(), "〕",
                        rng_.UniformInt(int64_t{1}, int64_t{3000}), "号");
  }

  void Penalty(int64_t t, int source) {
    if (!Active()) return;
    const absl::Span<const LegalBasis> bases = LegalBases();
    std::vector<double> weights(bases.size(), 0.0);
    double total = 0;
    for (size_t i = 0; i < bases.size(); ++i) {
      const LegalBasis& b = bases[i];
      if ((p_.division->legal_groups & b.group) == 0) continue;
      if (source == kFromInspection && b.group == kGroupTax) continue;
      if (source == kFromSampling && b.group != kGroupFood && b.group != kGroupProduct) continue;
      weights[i] = b.weight * (b.group == kGroupTax && p_.shell ? 2.0 : 1.0);
      total += weights[i];
    }
    if (total == 0) {
      for (size_t i = 0; i < bases.size(); ++i) {
        if (bases[i].group == kGroupRegistration) weights[i] = 1;
      }
    }
    const LegalBasis& basis = bases[rng_.Categorical(weights)];
    const double r = Risk();
    // Most penalties are minor or general; SERIOUS ones grow more likely with risk.
    const double severity_weights[3] = {
        basis.severity_weights[0] * std::exp(-0.3 * r), basis.severity_weights[1],
        kSeriousShare * basis.severity_weights[2] * std::exp(0.3 * r)};
    const int severity = static_cast<int>(rng_.Categorical(severity_weights));
    static constexpr double kSeverityFactor[3] = {0.3, 1.0, 3.0};
    int64_t amount = 100 * std::llround(basis.median_amount_yuan * kSeverityFactor[severity] *
                                        rng_.LogNormal(1.0, 0.7) / 100);
    if (severity == 0 && rng_.Bernoulli(0.25)) amount = 0;  // a warning
    v1::Event* e = NewEvent(t, basis.department);
    v1::AdministrativePenalty* penalty = e->mutable_administrative_penalty();
    penalty->set_amount_yuan(amount);
    penalty->set_severity(static_cast<v1::PenaltySeverity>(severity + 1));
    penalty->set_legal_basis(basis.text);
    penalty->set_decision_number(DecisionNumber(t, basis.department));
    penalties_.push_back(t);
    if (severity != 2) return;
    serious_penalties_.push_back(t);
    if ((basis.group == kGroupFood || basis.group == kGroupProduct) && licence_active_ &&
        rng_.Bernoulli(0.3)) {
      Push(DaysAfter(t, 5, 30, Clock::kOffice), Kind::kLicenceRevoke);
    }
    if (amount >= 100000 && rng_.Bernoulli(0.35)) {
      Push(DaysAfter(t, 10, 60, Clock::kListing), Kind::kDishonestAdd, kSeriousViolation);
    }
  }

  void Complaint(int64_t t) {
    if (!Active()) return;
    const bool substantiated = rng_.Bernoulli(Sigmoid(-1.6 + 0.9 * Risk()));
    v1::Event* e = NewEvent(t, "12315");
    e->mutable_complaint()->set_channel("12315");
    e->mutable_complaint()->set_substantiated(substantiated);
    if (!substantiated) return;
    substantiated_.push_back(t);
    if (rng_.Bernoulli(0.08)) Push(DaysAfter(t, 20, 90, Clock::kOffice), Kind::kPenalty);
  }

  void Sampling(int64_t t) {
    if (!Active()) return;
    const DivisionInfo& d = *p_.division;
    size_t products = 0;
    while (products < 4 && d.products[products] != nullptr) ++products;
    if (products == 0) return;
    const bool failed = rng_.Bernoulli(Sigmoid(-2.7 + 0.9 * Risk()));
    v1::Event* e = NewEvent(t, "samr");
    e->mutable_quality_sampling()->set_passed(!failed);
    e->mutable_quality_sampling()->set_product(d.products[rng_.UniformInt(products)]);
    if (!failed) return;
    failed_samplings_.push_back(t);
    if (rng_.Bernoulli(0.5)) {
      Push(DaysAfter(t, 20, 90, Clock::kOffice), Kind::kPenalty, kFromSampling);
    }
  }

  void RegistrationChange(int64_t t, const char* item) {
    if (!Active()) return;
    static constexpr const char* kItems[5] = {"name", "address", "legal_representative", "capital",
                                              "scope"};
    static constexpr double kItemWeights[5] = {0.05, 0.28, 0.25, 0.14, 0.28};
    if (item == nullptr) item = kItems[rng_.Categorical(kItemWeights)];
    v1::Event* e = NewEvent(t, "samr");
    e->mutable_registration_change()->set_item(item);
    if (absl::string_view(item) == "capital") {
      const bool tiny = capital_ < kTinyCapitalYuan;
      const double factor = (p_.shell || tiny) && rng_.Bernoulli(0.4)
                                ? rng_.Uniform(0.1, 0.6)
                                : std::max(1.2, rng_.LogNormal(3.0, 0.6));
      capital_ = RoundCapital(static_cast<double>(capital_) * factor, &rng_);
      e->mutable_registration_change()->set_new_capital_yuan(capital_);
    }
    registration_changes_.push_back(t);
  }

  void Inspection(int64_t t) {
    if (!Active()) return;
    const Probability p = PTrue(t);
    const bool violation = rng_.Bernoulli(p.p_true / kMeanDetection);
    const int inspector = static_cast<int>(rng_.Categorical(kInspectorShare));
    const bool problem = violation && rng_.Bernoulli(kInspectorDetects[inspector]);
    int category = v1::NO_PROBLEM_FOUND;
    if (problem) {
      static constexpr int kCategories[6] = {
          v1::PROBLEM_FOUND_FOLLOW_UP_PENDING, v1::REQUIRED_INFORMATION_NOT_PUBLISHED,
          v1::PUBLISHED_INFORMATION_FALSE,     v1::UNREACHABLE_AT_REGISTERED_ADDRESS,
          v1::PROBLEM_CORRECTED_ON_ORDER,      v1::SERIOUS_REFUSAL_TO_COOPERATE};
      const ReportYear* report = LatestResolvedReport();
      const bool missing = report != nullptr && report->status == ReportStatus::kMissing;
      const bool suspended = status_ == v1::ENTERPRISE_STATUS_SUSPENDED;
      const double weights[6] = {0.25, 0.18 * (missing ? 2 : 1),
                                 0.08, 0.14 * (p_.shell ? 5 : 1) * (suspended ? 3 : 1),
                                 0.32, 0.03};
      category = kCategories[rng_.Categorical(weights)];
    }
    v1::Event* e = NewEvent(t, "samr");
    e->mutable_inspection_outcome()->set_problem_found(problem);
    e->mutable_inspection_outcome()->set_result_category(category);
    h_.inspections.push_back(
        InspectionRecord{e->event_id(), t, p.p_true, p.observable_logit, problem, category});
    if (!problem) return;
    problems_.push_back(t);
    switch (category) {
      case v1::PROBLEM_FOUND_FOLLOW_UP_PENDING:
        if (rng_.Bernoulli(0.55)) {
          Push(DaysAfter(t, 15, 90, Clock::kOffice), Kind::kPenalty, kFromInspection);
        }
        break;
      case v1::REQUIRED_INFORMATION_NOT_PUBLISHED:
        if (rng_.Bernoulli(0.7)) {
          Push(DaysAfter(t, 5, 30, Clock::kListing), Kind::kAbnormalAdd, kInformationNotPublished);
        }
        break;
      case v1::PUBLISHED_INFORMATION_FALSE:
        if (rng_.Bernoulli(0.8)) {
          Push(DaysAfter(t, 5, 30, Clock::kListing), Kind::kAbnormalAdd, kInformationFalse);
        }
        if (rng_.Bernoulli(0.3)) {
          Push(DaysAfter(t, 15, 90, Clock::kOffice), Kind::kPenalty, kFromInspection);
        }
        break;
      case v1::UNREACHABLE_AT_REGISTERED_ADDRESS:
        Push(DaysAfter(t, 5, 30, Clock::kListing), Kind::kAbnormalAdd, kUnreachable);
        break;
      case v1::PROBLEM_CORRECTED_ON_ORDER:
        if (rng_.Bernoulli(0.2)) {
          Push(DaysAfter(t, 15, 90, Clock::kOffice), Kind::kPenalty, kFromInspection);
        }
        break;
      default:  // serious refusal to cooperate
        if (rng_.Bernoulli(0.7)) {
          Push(DaysAfter(t, 10, 60, Clock::kOffice), Kind::kPenalty, kFromInspection);
        }
        break;
    }
  }

  void CourtAdd(int64_t t) {
    if (!Active() || court_) return;
    court_ = true;
    // A case number as courts write it, e.g. （2024）浙0106执1234号.
    court_case_ = absl::StrCat("（", ChinaDayOf(t).year(), "）", p_.region->court_province,
                               p_.region_code.substr(2), "执",
                               rng_.UniformInt(int64_t{1}, int64_t{9999}), "号");
    v1::Event* e = NewEvent(t, "court");
    e->mutable_court_dishonest_debtor()->set_action(v1::LIST_ACTION_ADDED);
    e->mutable_court_dishonest_debtor()->set_case_number(court_case_);
    if (rng_.Bernoulli(0.55)) {
      Push(AboutDaysAfter(t, rng_.Exponential(300.0), Clock::kOffice), Kind::kCourtRemove);
    }
  }

  void CourtRemove(int64_t t) {
    if (!Active() || !court_) return;
    court_ = false;
    v1::Event* e = NewEvent(t, "court");
    e->mutable_court_dishonest_debtor()->set_action(v1::LIST_ACTION_REMOVED);
    e->mutable_court_dishonest_debtor()->set_case_number(court_case_);
  }

  void DishonestAdd(int64_t t, int reason) {
    if (!Active() || dishonest_) return;
    if (reason == kAbnormalThreeYears && !abnormal_listed_) return;
    dishonest_ = true;
    dishonest_reason_ = reason;
    v1::Event* e = NewEvent(t, "samr");
    e->mutable_serious_dishonesty()->set_action(v1::LIST_ACTION_ADDED);
    e->mutable_serious_dishonesty()->set_authority("samr");
    e->mutable_serious_dishonesty()->set_reason(
        reason == kSeriousViolation ? "serious_violation" : "abnormal_list_three_years");
    if (reason == kSeriousViolation && rng_.Bernoulli(0.5)) {
      Push(AboutDaysAfter(t, 365 + rng_.Exponential(400.0), Clock::kListing),
           Kind::kDishonestRemove);
    }
  }

  void DishonestRemove(int64_t t) {
    if (!Active() || !dishonest_) return;
    dishonest_ = false;
    v1::Event* e = NewEvent(t, "samr");
    e->mutable_serious_dishonesty()->set_action(v1::LIST_ACTION_REMOVED);
    e->mutable_serious_dishonesty()->set_repair_basis("credit_repair");
  }

  void LicenceGrant(int64_t t) {
    if (!Active() || licence_revoked_) return;
    licence_active_ = true;
    v1::Event* e = NewEvent(t, p_.division->licence_department);
    e->mutable_licence_change()->set_action(v1::LICENCE_ACTION_GRANTED);
    e->mutable_licence_change()->set_licence_kind(p_.division->licence_kind);
  }

  void LicenceRevoke(int64_t t) {
    if (!Active() || !licence_active_) return;
    licence_active_ = false;
    licence_revoked_ = true;
    v1::Event* e = NewEvent(t, p_.division->licence_department);
    e->mutable_licence_change()->set_action(v1::LICENCE_ACTION_REVOKED);
    e->mutable_licence_change()->set_licence_kind(p_.division->licence_kind);
  }

  // Revocation of the business licence (吊销营业执照), itself an administrative penalty.
  void Revoke(int64_t t) {
    if (!Active()) return;
    v1::Event* e = NewEvent(t, "samr");
    v1::AdministrativePenalty* penalty = e->mutable_administrative_penalty();
    penalty->set_amount_yuan(0);
    penalty->set_severity(v1::PENALTY_SEVERITY_SERIOUS);
    penalty->set_legal_basis(ChinaDayOf(t) < absl::CivilDay(2024, 7, 1) ? kRevocationBasisBefore2024
                                                                        : kRevocationBasisFrom2024);
    penalty->set_decision_number(DecisionNumber(t, "samr"));
    penalties_.push_back(t);
    serious_penalties_.push_back(t);
    Close(v1::ENTERPRISE_STATUS_REVOKED);
  }

  const SynthConfig& config_;
  const EnterpriseProfile& p_;
  Rng rng_;
  const Window window_;
  const int64_t est_start_;
  History h_;
  v1::Event scratch_;
  int next_event_ = 1;

  std::priority_queue<Action, std::vector<Action>, Later> heap_;
  int64_t seq_ = 0;

  v1::EnterpriseStatus status_ = v1::ENTERPRISE_STATUS_OPERATING;
  bool closed_ = false;
  bool liquidating_ = false;
  int64_t capital_;
  double assets_;
  double revenue_;
  int employees_;
  double shock_ = 0;
  int shock_year_ = 0;

  std::vector<int64_t> penalties_;
  std::vector<int64_t> serious_penalties_;
  std::vector<int64_t> substantiated_;
  std::vector<int64_t> failed_samplings_;
  std::vector<int64_t> problems_;
  std::vector<int64_t> registration_changes_;
  std::vector<ReportYear> reports_;
  int abnormal_mask_ = 0;
  bool abnormal_listed_ = false;
  int64_t abnormal_since_ = 0;
  bool dishonest_ = false;
  int dishonest_reason_ = 0;
  bool court_ = false;
  std::string court_case_;
  bool licence_active_ = false;
  bool licence_revoked_ = false;
};

}  // namespace

std::string EventId(uint64_t seed, int64_t index, int n) {
  return absl::StrFormat("syn-%d-%08d-%04d", seed, index, n);
}

History SimulateHistory(const SynthConfig& config, const EnterpriseProfile& profile,
                        StreamFactory* streams) {
  return Simulator(config, profile, streams->Stream(profile.index, "history")).Run();
}

v1::Enterprise EnterpriseRecord(const EnterpriseProfile& profile, const History& history) {
  v1::Enterprise e;
  e.set_credit_code(profile.credit_code);
  e.set_name(profile.name);
  e.set_region_code(profile.region_code);
  e.set_industry_code(profile.industry_code);
  e.set_registered_capital_yuan(history.final_capital_yuan);
  e.mutable_establishment_date()->set_year(static_cast<int>(profile.establishment.year()));
  e.mutable_establishment_date()->set_month(profile.establishment.month());
  e.mutable_establishment_date()->set_day(profile.establishment.day());
  e.set_status(history.final_status);
  e.set_address(profile.address);
  return e;
}

}  // namespace regulation::synth
