#include "services/scoring/backtest.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/field_error.h"
#include "common/status_macros.h"
#include "regulation/internal/inspection_state.pb.h"
#include "scoring/feature_catalogue.h"
#include "scoring/metrics.h"
#include "scoring/schedule_metric.h"
#include "scoring/selection_estimates.h"
#include "scoring/trainer.h"
#include "services/common/proto_time.h"
#include "services/inspection/draw_archive.h"
#include "services/scoring/design_target.h"
#include "services/scoring/period_inspections.h"
#include "services/scoring/training_rows.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

constexpr double kBudgets[] = {0.05, 0.10, 0.20};
constexpr int kDefaultShuffles = 200;
constexpr int kMaxShuffles = 10000;
// Windows of the backtest's baseline: this many label windows ending before the period.
constexpr int kBaselineWindows = 8;
constexpr int kBootstrapReplicates = 1000;
constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;

absl::StatusOr<int64_t> DayField(const v1::Date& date, bool present, absl::string_view field) {
  if (!present) return InvalidField(field, "is required");
  absl::StatusOr<absl::CivilDay> day = FromProtoDate(date);
  if (!day.ok()) return ForField(field, day.status());
  return *day - absl::CivilDay(1970, 1, 1);
}

v1::Date DateOf(int64_t day) { return ToProtoDate(absl::CivilDay(1970, 1, 1) + day); }

// The figures of one ordering of the period's inspections.
v1::BacktestScorer Figures(absl::string_view name, absl::Span<const float> scores,
                           absl::Span<const float> labels, absl::Span<const int64_t> days) {
  v1::BacktestScorer out;
  out.set_name(std::string(name));
  out.set_auc(scoring::Auc(scores, labels));
  for (double budget : kBudgets) {
    const scoring::BudgetResult r = scoring::AtBudget(scores, labels, budget);
    v1::BudgetFigures* b = out.add_budgets();
    b->set_budget(budget);
    b->set_inspected(r.inspected);
    b->set_found(r.found);
    b->set_precision(r.precision);
    b->set_recall(r.recall);
    b->set_lift(r.lift);
  }
  out.set_calibration_error(scoring::ExpectedCalibrationError(scores, labels));
  out.set_mean_days_earlier(scoring::MeanDaysEarlier(days, scores, labels));
  return out;
}

bool BothClasses(const scoring::TrainingData& data) {
  bool pos = false, neg = false;
  for (float l : data.labels) (l > 0.5f ? pos : neg) = true;
  return pos && neg;
}

void SetInterval(const scoring::Interval& in, v1::EstimateInterval* out) {
  out->set_estimate(in.estimate);
  out->set_lower(in.lower);
  out->set_upper(in.upper);
}

void SetRate(int risk_class, const scoring::RateEstimate& in, v1::ClassViolationRate* out) {
  out->set_risk_class(static_cast<v1::RiskClass>(risk_class));
  SetInterval(in.rate, out->mutable_rate());
  out->set_population(in.population);
  out->set_inspected(in.inspected);
  out->set_violations(in.violations);
}

}  // namespace

absl::StatusOr<std::shared_ptr<const ActiveModel>> Backtester::Load(absl::string_view version) {
  std::shared_ptr<const ActiveModel> model;
  if (version.empty()) {
    model = registry_->Active();
    if (model == nullptr) {
      return absl::FailedPreconditionError(
          "model_version: no model is active; name a stored model or activate one");
    }
  } else {
    absl::StatusOr<internal::ModelRecord> record = registry_->GetRecord(version);
    if (absl::IsNotFound(record.status())) {
      return absl::NotFoundError(absl::StrCat("model_version: no model ", version));
    }
    if (!record.ok()) return record.status();
    REG_ASSIGN_OR_RETURN(
        scoring::Booster booster,
        scoring::Booster::LoadVerified(record->booster(), record->model().model_digest()));
    model = std::make_shared<const ActiveModel>(ActiveModel{record->model(), std::move(booster)});
  }
  if (model->model.schema_digest() != scoring::FeatureSchemaDigest()) {
    return absl::FailedPreconditionError(
        absl::StrCat("model_version: ", model->model.version(),
                     " reads another feature schema than the portraits'"));
  }
  return model;
}

absl::StatusOr<v1::RiskScore> Backtester::ScoreAsOf(const access::Caller& caller,
                                                    const v1::ScoreAsOfRequest& request) {
  if (!request.has_as_of()) return InvalidField("as_of", "is required");
  REG_ASSIGN_OR_RETURN(v1::Portrait portrait,
                       portraits_->PortraitAsOf(caller, request.credit_code(), request.as_of()));
  REG_ASSIGN_OR_RETURN(std::shared_ptr<const ActiveModel> model, Load(request.model_version()));
  std::vector<float> row;
  for (const v1::FeatureValue& f : portrait.features())
    row.push_back(static_cast<float>(f.value()));
  std::vector<float> probability;
  REG_RETURN_IF_ERROR(model->booster.PredictProbabilities(row, 1, row.size(), &probability));
  v1::RiskScore score;
  score.set_credit_code(request.credit_code());
  score.set_probability(probability[0]);
  score.set_risk_class(ClassOf(probability[0], registry_->CutPoints()));
  score.set_model_version(model->model.version());
  score.set_portrait_version(portrait.version());
  *score.mutable_score_time() = portrait.as_of();
  return score;
}

absl::StatusOr<v1::BacktestReport> Backtester::Backtest(const v1::BacktestRequest& request) {
  if (store_ == nullptr) {
    return absl::FailedPreconditionError(
        "a backtest reads the period's plans, draws and inspection history, which this "
        "scoring service does not hold (it runs apart from portrait and inspection): run "
        "it against regulatord, the all-in-one server");
  }
  REG_ASSIGN_OR_RETURN(int64_t from, DayField(request.from(), request.has_from(), "from"));
  REG_ASSIGN_OR_RETURN(int64_t to, DayField(request.to(), request.has_to(), "to"));
  if (from > to) return InvalidField("to", "is before from");
  if (to > DayOf(absl::ToUnixMicros(clock_->Now()))) return InvalidField("to", "is in the future");
  const int shuffles = request.shuffles() == 0 ? kDefaultShuffles : request.shuffles();
  if (shuffles < 10 || shuffles > kMaxShuffles) {
    return InvalidField("shuffles", absl::StrCat("must be 10-", kMaxShuffles));
  }
  const uint64_t seed = request.seed() == 0 ? 1 : request.seed();
  REG_ASSIGN_OR_RETURN(std::shared_ptr<const ActiveModel> model, Load(request.model_version()));

  // The model must not have learned from the period: its last label window ends before it.
  const v1::TrainingConfig& config = model->model.config();
  if (config.window_starts_size() == 0 || config.label_window_days() <= 0) {
    return absl::FailedPreconditionError(absl::StrCat("model_version: ", model->model.version(),
                                                      " does not record its training windows"));
  }
  REG_ASSIGN_OR_RETURN(absl::CivilDay last_start,
                       FromProtoDate(config.window_starts(config.window_starts_size() - 1)));
  const int64_t labels_end = (last_start - absl::CivilDay(1970, 1, 1)) + config.label_window_days();
  if (labels_end >= from) {
    return absl::FailedPreconditionError(absl::StrCat(
        "from: model ", model->model.version(), " learned from inspections up to ",
        absl::FormatCivilTime(absl::CivilDay(1970, 1, 1) + labels_end),
        "; backtest it on a later period, or train a model on windows that end before ",
        absl::FormatCivilTime(absl::CivilDay(1970, 1, 1) + from)));
  }

  REG_ASSIGN_OR_RETURN(std::vector<PeriodInspection> inspections,
                       CollectPeriodInspections(store_, from, to));
  if (inspections.empty()) {
    return absl::FailedPreconditionError("from: the period holds no inspection");
  }
  const size_t n = inspections.size();
  const size_t cols = scoring::FeatureCatalogue().size();
  std::vector<float> features, labels;
  std::vector<int64_t> days;
  features.reserve(n * cols);
  for (const PeriodInspection& i : inspections) {
    features.insert(features.end(), i.features.begin(), i.features.end());
    labels.push_back(i.violation ? 1.0f : 0.0f);
    days.push_back(i.day);
  }

  v1::BacktestReport report;
  report.set_model_version(model->model.version());
  *report.mutable_from() = DateOf(from);
  *report.mutable_to() = DateOf(to);
  report.set_inspections(static_cast<int64_t>(n));
  report.set_violations(static_cast<int64_t>(std::count(labels.begin(), labels.end(), 1.0f)));
  report.set_base_rate(scoring::BaseRate(labels));
  std::vector<int64_t> distinct_days = days;
  std::sort(distinct_days.begin(), distinct_days.end());
  report.set_inspection_days(std::unique(distinct_days.begin(), distinct_days.end()) -
                             distinct_days.begin());

  std::vector<float> scores;
  REG_RETURN_IF_ERROR(model->booster.PredictProbabilities(features, n, cols, &scores));
  *report.mutable_model() = Figures("model", scores, labels, days);

  const scoring::RandomOrderSummary random =
      scoring::RandomOrderDaysEarlier(days, labels, shuffles, seed);
  report.set_shuffles(shuffles);
  report.set_random_mean_days_earlier(random.mean);
  report.set_random_sd_days_earlier(random.sd);
  report.set_random_p025_days_earlier(random.p025);
  report.set_random_p975_days_earlier(random.p975);

  // The baseline, trained here on windows whose labels end strictly before the period.
  const int64_t window = int64_t{config.label_window_days()} * kMicrosPerDay;
  std::vector<int64_t> starts;
  for (int k = kBaselineWindows; k >= 1; --k)
    starts.push_back(DayStartMicros(from) - 1 - k * window);
  REG_ASSIGN_OR_RETURN(LabelledRows rows, BuildTrainingRows(store_, starts, window, nullptr));
  const scoring::TrainingData train = SelectWindow(rows, kBaselineWindows - 1, /*equal=*/false);
  const scoring::TrainingData validation = SelectWindow(rows, kBaselineWindows - 1, /*equal=*/true);
  if (BothClasses(train) && BothClasses(validation)) {
    REG_ASSIGN_OR_RETURN(scoring::TrainedModel baseline,
                         scoring::TrainLinearBaseline(train, validation, config.seed()));
    std::vector<float> baseline_scores;
    REG_RETURN_IF_ERROR(baseline.booster.PredictProbabilities(features, n, cols, &baseline_scores));
    *report.mutable_baseline() = Figures("baseline", baseline_scores, labels, days);
    report.set_baseline_note(
        absl::StrCat("gblinear on ", train.rows + validation.rows, " rows labelled before ",
                     absl::FormatCivilTime(absl::CivilDay(1970, 1, 1) + from)));
  } else {
    report.set_baseline_note(absl::StrCat(
        "no baseline: the ", kBaselineWindows, " label windows before the period hold ",
        train.rows + validation.rows, " rows, without both outcomes in training and validation"));
  }

  // The oracle, on the inspections the generator's truth covers (this system's own
  // results, for one, are not the generator's).
  if (request.oracle_size() > 0) {
    absl::flat_hash_map<std::string, double> truth;
    for (const v1::OracleProbability& o : request.oracle()) truth[o.event_id()] = o.probability();
    std::vector<float> oracle, covered_labels;
    std::vector<int64_t> covered_days;
    for (size_t r = 0; r < n; ++r) {
      auto it = truth.find(inspections[r].event_id);
      if (it == truth.end()) continue;
      oracle.push_back(static_cast<float>(it->second));
      covered_labels.push_back(labels[r]);
      covered_days.push_back(days[r]);
    }
    if (!oracle.empty()) {
      *report.mutable_oracle() = Figures("oracle", oracle, covered_labels, covered_days);
    }
    if (oracle.size() < n) {
      report.set_oracle_note(absl::StrCat("the oracle covers ", oracle.size(), " of ", n,
                                          " inspections; its figures are on those"));
    }
  }

  // Selection-corrected figures from the period's round-0 random-draw inspections.
  std::vector<scoring::DesignStratum> strata;
  std::vector<scoring::DesignUnit> units;
  std::map<std::pair<std::string, int>, int> stratum_of;
  std::map<std::string, std::optional<internal::PlanRecord>> plans;
  int64_t other = 0;
  for (size_t r = 0; r < n; ++r) {
    const PeriodInspection& i = inspections[r];
    const v1::DrawnTarget* target = nullptr;
    const v1::Draw* draw = nullptr;
    if (!i.plan_id.empty()) {
      auto [it, inserted] = plans.try_emplace(i.plan_id);
      if (inserted) {
        absl::StatusOr<std::string> bytes = store_->Get(ColumnFamily::kPlans, i.plan_id);
        if (bytes.ok()) {
          internal::PlanRecord record;
          if (!record.ParseFromString(*bytes)) {
            return absl::DataLossError(absl::StrCat("plan ", i.plan_id, " is corrupt"));
          }
          // A large round keeps its targets in slices beside the plan (draw_archive.h).
          for (v1::Draw& d : *record.mutable_draws()) {
            if (d.round() != 0 || !KeptInParts(d)) continue;
            REG_ASSIGN_OR_RETURN(d, DrawArchive(store_, {}).WithTargets(d));
          }
          it->second = std::move(record);
        } else if (!absl::IsNotFound(bytes.status())) {
          return bytes.status();
        }
      }
      if (it->second.has_value()) {
        const DesignTarget design = DesignTargetOf(*it->second, i.credit_code);
        target = design.target;
        draw = design.draw;
      }
    }
    if (target == nullptr) {
      ++other;
      continue;
    }
    const int risk_class = target->risk_class();
    auto [it, inserted] = stratum_of.try_emplace({i.plan_id, risk_class}, strata.size());
    if (inserted) {
      const v1::ClassCutoff& cutoff = draw->cutoffs(risk_class - 1);
      strata.push_back({absl::StrCat(i.plan_id, "/", risk_class), risk_class, cutoff.population(),
                        cutoff.selected()});
    }
    units.push_back({it->second, i.violation, scores[r]});
  }
  if (!units.empty()) {
    v1::DesignEstimates* design = report.mutable_design();
    design->set_random_inspections(static_cast<int64_t>(units.size()));
    design->set_other_inspections(other);
    REG_ASSIGN_OR_RETURN(scoring::ClassRates rates, scoring::EstimateRatesByClass(strata, units));
    for (const auto& [k, rate] : rates.by_class) SetRate(k, rate, design->add_by_class());
    SetRate(0, rates.overall, design->mutable_overall());
    REG_ASSIGN_OR_RETURN(double auc, scoring::WeightedAuc(strata, units));
    design->set_weighted_auc(auc);
    REG_ASSIGN_OR_RETURN(double p5, scoring::WeightedPrecisionAt(strata, units, 0.05));
    REG_ASSIGN_OR_RETURN(double p10, scoring::WeightedPrecisionAt(strata, units, 0.10));
    design->set_weighted_precision_at_5pct(p5);
    design->set_weighted_precision_at_10pct(p10);
    REG_ASSIGN_OR_RETURN(scoring::PolicyComparison policy,
                         scoring::ComparePolicies(strata, units, kBootstrapReplicates, seed));
    SetInterval(policy.quota_per_100, design->mutable_quota_per_100());
    SetInterval(policy.uniform_per_100, design->mutable_uniform_per_100());
    SetInterval(policy.difference, design->mutable_quota_minus_uniform());
  }
  return report;
}

}  // namespace regulation::services
