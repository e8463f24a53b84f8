#include "services/scoring/model_trainer.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/field_error.h"
#include "common/status_macros.h"
#include "scoring/feature_catalogue.h"
#include "scoring/metrics.h"
#include "scoring/report.h"
#include "scoring/rolling_validation.h"
#include "scoring/trainer.h"
#include "services/common/proto_time.h"
#include "services/scoring/held_out_report.h"
#include "services/scoring/training_rows.h"

namespace regulation::services {
namespace {

constexpr int64_t kDayMicros = int64_t{86400} * 1000000;

v1::TrainModelProgress Stage(absl::string_view stage, int64_t done = 0, int64_t total = 0) {
  v1::TrainModelProgress p;
  p.set_stage(std::string(stage));
  p.set_done(done);
  p.set_total(total);
  return p;
}

absl::StatusOr<std::vector<int64_t>> WindowStarts(const v1::TrainingConfig& config, Clock* clock) {
  std::vector<int64_t> starts;
  if (config.window_starts_size() > 0) {
    for (int i = 0; i < config.window_starts_size(); ++i) {
      absl::StatusOr<absl::CivilDay> day = FromProtoDate(config.window_starts(i));
      if (!day.ok()) return ForField(absl::StrCat("config.window_starts[", i, "]"), day.status());
      starts.push_back(absl::ToUnixMicros(absl::FromCivil(*day, ChinaTimeZone())));
    }
    if (!std::is_sorted(starts.begin(), starts.end()) ||
        std::adjacent_find(starts.begin(), starts.end()) != starts.end()) {
      return InvalidField("config.window_starts", "must be strictly increasing");
    }
    return starts;
  }
  const absl::CivilDay today = absl::ToCivilDay(clock->Now(), ChinaTimeZone());
  for (int k = kDefaultTrainingWindows; k >= 1; --k) {
    const absl::CivilDay day = today - k * config.label_window_days();
    starts.push_back(absl::ToUnixMicros(absl::FromCivil(day, ChinaTimeZone())));
  }
  return starts;
}

// Each validation row's true probability of a finding: 1 - prod(1 - p) over the row's
// inspections (the label is "any found a problem"). Empty when a row has no oracle.
std::vector<float> OracleScores(const LabelledRows& rows, int window,
                                const absl::flat_hash_map<std::string, double>& oracle) {
  std::vector<float> scores;
  if (oracle.empty()) return scores;
  for (size_t r = 0; r < rows.data.rows; ++r) {
    if (rows.window_of[r] != window) continue;
    double none = 1;
    for (const std::string& id : rows.inspection_event_ids[r]) {
      auto it = oracle.find(id);
      if (it == oracle.end()) return {};
      none *= 1 - it->second;
    }
    scores.push_back(static_cast<float>(1 - none));
  }
  return scores;
}

// Tuning runs when the request leaves the tree shape to the trainer (max_depth,
// min_child_weight and learning_rate unset) and there are at least kTuningFolds + 1
// training windows.
constexpr int kTuningFolds = 3;

bool TuningApplies(const v1::TrainingConfig& requested, int training_windows) {
  return requested.max_depth() == 0 && requested.min_child_weight() == 0 &&
         requested.learning_rate() == 0 && training_windows >= kTuningFolds + 1;
}

bool HasBothClasses(const scoring::TrainingData& data) {
  const auto positives = std::count(data.labels.begin(), data.labels.end(), 1.0f);
  return positives > 0 && positives < static_cast<std::ptrdiff_t>(data.rows);
}

// Expanding folds over the training windows: fold f trains on windows [0, f) and
// validates on window f, for the kTuningFolds latest training windows (folds without
// both outcomes on either side are left out). The held-out window is in none of them.
std::vector<scoring::TimeFold> RollingFolds(const LabelledRows& rows, int validation_window) {
  std::vector<scoring::TimeFold> folds;
  for (int f = validation_window - kTuningFolds; f < validation_window; ++f) {
    scoring::TimeFold fold;
    fold.train = SelectWindows(rows, [f](int w) { return w < f; });
    fold.validation = SelectWindow(rows, f, /*equal=*/true);
    if (HasBothClasses(fold.train) && HasBothClasses(fold.validation)) {
      folds.push_back(std::move(fold));
    }
  }
  return folds;
}

absl::Status CheckBothClasses(const scoring::TrainingData& data, absl::string_view what) {
  if (data.rows == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        what, " window has no inspected enterprises: ingest history with inspections first"));
  }
  const double positives = std::count(data.labels.begin(), data.labels.end(), 1.0f);
  if (positives == 0 || positives == static_cast<double>(data.rows)) {
    return absl::FailedPreconditionError(
        absl::StrCat(what, " window has only one outcome; nothing to learn or evaluate"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::TrainModelProgress> TrainAndRegister(
    const TrainingRowSource& row_source, ModelRegistry* registry, Clock* clock,
    const v1::TrainModelRequest& request,
    const std::function<void(const v1::TrainModelProgress&)>& progress,
    const ModelRegistry::StageWith& register_also, const KeepGoing& keep_going) {
  const v1::TrainingConfig config = scoring::WithDefaults(request.config());
  REG_RETURN_IF_ERROR(scoring::ValidateTrainingConfig(config));
  REG_ASSIGN_OR_RETURN(std::vector<int64_t> starts, WindowStarts(config, clock));
  if (starts.size() < 2) {
    return InvalidField("config.window_starts", "needs at least two windows (train, validate)");
  }
  absl::flat_hash_map<std::string, double> oracle;
  for (const v1::OracleProbability& o : request.oracle()) oracle[o.event_id()] = o.probability();

  progress(Stage("building point-in-time rows"));
  REG_ASSIGN_OR_RETURN(
      LabelledRows rows,
      row_source(starts, config.label_window_days() * kDayMicros,
                 [&](int64_t done, int64_t total) {
                   progress(Stage("building point-in-time rows", done, total));
                 },
                 keep_going));
  const int validation_window = static_cast<int>(starts.size()) - 1;
  const scoring::TrainingData train = SelectWindow(rows, validation_window, /*equal=*/false);
  const scoring::TrainingData validation = SelectWindow(rows, validation_window, /*equal=*/true);
  const scoring::TrainingData last_train =
      SelectWindow(rows, validation_window - 1, /*equal=*/true);
  REG_RETURN_IF_ERROR(CheckBothClasses(train, "the training"));
  REG_RETURN_IF_ERROR(CheckBothClasses(validation, "the validation"));

  // Hyper-parameters: chosen by rolling validation over the training windows when the
  // caller left them to us and there are enough windows; never on the held-out window.
  std::optional<scoring::TuningResult> tuning;
  v1::TrainingConfig chosen = config;
  if (TuningApplies(request.config(), validation_window)) {
    std::vector<scoring::TimeFold> folds = RollingFolds(rows, validation_window);
    if (!folds.empty()) {
      progress(Stage(absl::StrCat("choosing hyper-parameters on ", folds.size(),
                                  " rolling folds of the training windows")));
      REG_ASSIGN_OR_RETURN(
          tuning, scoring::TuneByRollingValidation(
                      folds, scoring::DefaultTuningGrid(config),
                      scoring::CatalogueMonotoneConstraints(),
                      [&](const std::string& stage) {
                        progress(Stage(stage));
                        return StillWanted(keep_going);
                      },
                      scoring::kDefaultTrainingThreads));
      chosen = tuning->candidates[tuning->chosen].config;
    }
  }

  progress(Stage(
      absl::StrCat("training on ", train.rows, " rows, validating on ", validation.rows, " rows"),
      0, tuning ? tuning->rounds : config.max_rounds()));
  const auto round_progress = [&](int round, double logloss) {
    progress(Stage(absl::StrCat("round ", round + 1, ", validation logloss ", logloss), round + 1,
                   tuning ? tuning->rounds : config.max_rounds()));
    return StillWanted(keep_going);
  };
  // With tuning, the final fit grows the chosen number of rounds on all training windows
  // and the baseline stops on the last training window: the held-out window decides
  // nothing. Without it (hyper-parameters given, or too few windows), both early-stop on
  // the held-out window as before.
  const scoring::TrainingData& stop_on =
      tuning ? static_cast<const scoring::TrainingData&>(last_train) : validation;
  REG_ASSIGN_OR_RETURN(
      scoring::TrainedModel model,
      tuning ? scoring::TrainGradientBoostedForRounds(train, validation, chosen,
                                                      scoring::CatalogueMonotoneConstraints(),
                                                      tuning->rounds, round_progress)
             : scoring::TrainGradientBoosted(train, validation, chosen,
                                             scoring::CatalogueMonotoneConstraints(),
                                             round_progress));
  REG_RETURN_IF_ERROR(StillWanted(keep_going));
  progress(Stage("training the gblinear baseline"));
  REG_ASSIGN_OR_RETURN(scoring::TrainedModel baseline,
                       scoring::TrainLinearBaseline(train, stop_on, config.seed()));

  REG_RETURN_IF_ERROR(StillWanted(keep_going));
  progress(Stage("evaluating on the held-out window"));
  std::vector<float> scores, baseline_scores;
  REG_RETURN_IF_ERROR(model.booster.PredictProbabilities(validation.features, validation.rows,
                                                         validation.cols, &scores));
  REG_RETURN_IF_ERROR(baseline.booster.PredictProbabilities(validation.features, validation.rows,
                                                            validation.cols, &baseline_scores));
  const std::vector<float> oracle_scores = OracleScores(rows, validation_window, oracle);
  REG_ASSIGN_OR_RETURN(
      v1::ModelMetrics metrics,
      scoring::ComputeModelMetrics(scores, validation.labels, baseline_scores, oracle_scores));

  v1::Model stored;
  for (const scoring::FeatureSpec& f : scoring::FeatureCatalogue()) {
    stored.add_feature_names(std::string(f.name));
  }
  stored.set_schema_digest(scoring::FeatureSchemaDigest());
  stored.set_training_data_digest(scoring::TrainingDataDigest(rows.data));
  // The config as used: defaults filled in, and the windows actually trained on.
  *stored.mutable_config() = chosen;
  // With tuning, the rounds grown (there was no early stopping on the held-out window).
  if (tuning) stored.mutable_config()->set_max_rounds(tuning->rounds);
  stored.mutable_config()->clear_window_starts();
  for (int64_t start : starts) {
    *stored.mutable_config()->add_window_starts() =
        ToProtoDate(absl::ToCivilDay(absl::FromUnixMicros(start), ChinaTimeZone()));
  }
  *stored.mutable_metrics() = metrics;
  stored.set_best_iteration(model.best_iteration);

  scoring::EvaluationReport report;
  report.title = absl::StrCat("Risk model: held-out window from ",
                              absl::FormatCivilTime(absl::ToCivilDay(
                                  absl::FromUnixMicros(starts.back()), ChinaTimeZone())));
  report.metrics = metrics;
  report.model = scoring::ComputeCurves(scores, validation.labels);
  report.baseline = scoring::ComputeCurves(baseline_scores, validation.labels);
  REG_RETURN_IF_ERROR(AddHeldOutFigures(rows, validation_window, scores, baseline_scores,
                                        oracle_scores, registry->Policy(), &report));
  if (tuning) report.tuning = TuningSummaryOf(*tuning, starts, validation_window);
  REG_ASSIGN_OR_RETURN(const std::string report_json, scoring::ReportJson(report));
  const std::string report_html = scoring::ReportHtml(report);
  REG_RETURN_IF_ERROR(StillWanted(keep_going));
  REG_ASSIGN_OR_RETURN(v1::Model registered,
                       registry->Register(stored, model.model_bytes, report_html, report_json,
                                          register_also));

  v1::TrainModelProgress done = Stage("done", 1, 1);
  *done.mutable_model() = registered;
  done.set_report_html(report_html);
  done.set_report_json(report_json);
  return done;
}

}  // namespace regulation::services
