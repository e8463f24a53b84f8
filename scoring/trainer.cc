#include "scoring/trainer.h"

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/status_macros.h"
#include "scoring/feature_catalogue.h"
#include "scoring/xgboost_status.h"
#include "xgboost/c_api.h"

namespace regulation::scoring {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;
using ProgressFn = std::function<absl::Status(int, double)>;

constexpr absl::string_view kValidationName = "validation";

// Baseline settings (TrainLinearBaseline).
constexpr int kLinearMaxRounds = 200;
constexpr int kLinearPatience = 10;

std::string Double(double v) { return absl::StrFormat("%.17g", v); }

absl::Status CheckData(const TrainingData& train, const TrainingData& validation) {
  if (absl::Status s = ValidateTrainingData(train, "train"); !s.ok()) return s;
  if (absl::Status s = ValidateTrainingData(validation, "validation"); !s.ok()) return s;
  if (train.rows == 0) return absl::InvalidArgumentError("train: no rows");
  if (validation.rows == 0) return absl::InvalidArgumentError("validation: no rows");
  if (validation.cols != train.cols) {
    return absl::InvalidArgumentError(
        absl::StrFormat("validation: %d columns, train has %d", validation.cols, train.cols));
  }
  return absl::OkStatus();
}

absl::StatusOr<DMatrix> LabelledMatrix(const TrainingData& data) {
  REG_ASSIGN_OR_RETURN(DMatrix matrix, DMatrix::FromDense(data.features, data.rows, data.cols));
  REG_RETURN_IF_ERROR(matrix.SetLabels(data.labels));
  return matrix;
}

// A booster that caches predictions for both matrices (so evaluating the validation set
// after each round only adds the newest tree), with `params` set.
absl::StatusOr<OwnedBoosterHandle> NewBooster(const DMatrix& train, const DMatrix& validation,
                                              const Params& params) {
  DMatrixHandle cache[] = {train.handle(), validation.handle()};
  BoosterHandle raw = nullptr;
  REG_RETURN_IF_ERROR(XgbCheck(XGBoosterCreate(cache, 2, &raw), "creating a booster"));
  OwnedBoosterHandle handle(raw);
  for (const auto& [name, value] : params) {
    REG_RETURN_IF_ERROR(XgbCheck(XGBoosterSetParam(handle.get(), name.c_str(), value.c_str()),
                                 absl::StrCat("setting ", name, "=", value)));
  }
  return handle;
}

// Parses XGBoosterEvalOneIter's "[round]\tvalidation-logloss:0.123456789".
absl::StatusOr<double> ParseLogloss(absl::string_view eval) {
  const std::string key = absl::StrCat(kValidationName, "-logloss:");
  const size_t at = eval.find(key);
  if (at == absl::string_view::npos) {
    return absl::InternalError(absl::StrCat("evaluation without logloss: ", eval));
  }
  absl::string_view number = eval.substr(at + key.size());
  number = number.substr(0, number.find_first_of(" \t\n"));
  double value = 0;
  if (!absl::SimpleAtod(number, &value) || !std::isfinite(value)) {
    return absl::InternalError(absl::StrCat("unreadable logloss: ", eval));
  }
  return value;
}

struct BoostResult {
  int best_iteration = 0;
  double best_logloss = std::numeric_limits<double>::infinity();
  int rounds = 0;
};

// Boosts up to `max_rounds` rounds, stopping after `patience` rounds without a strictly
// lower validation logloss.
absl::StatusOr<BoostResult> BoostWithEarlyStopping(BoosterHandle booster, const DMatrix& train,
                                                   const DMatrix& validation, int max_rounds,
                                                   int patience, const ProgressFn& progress) {
  BoostResult result;
  DMatrixHandle eval_sets[] = {validation.handle()};
  const std::string eval_name(kValidationName);
  const char* eval_names[] = {eval_name.c_str()};
  for (int round = 0; round < max_rounds; ++round) {
    REG_RETURN_IF_ERROR(
        XgbCheck(XGBoosterUpdateOneIter(booster, round, train.handle()), "boosting"));
    const char* eval = nullptr;
    REG_RETURN_IF_ERROR(XgbCheck(
        XGBoosterEvalOneIter(booster, round, eval_sets, eval_names, 1, &eval), "evaluating"));
    REG_ASSIGN_OR_RETURN(const double logloss, ParseLogloss(eval == nullptr ? "" : eval));
    result.rounds = round + 1;
    if (progress) REG_RETURN_IF_ERROR(progress(round, logloss));
    if (logloss < result.best_logloss) {
      result.best_logloss = logloss;
      result.best_iteration = round;
    } else if (round - result.best_iteration >= patience) {
      break;
    }
  }
  return result;
}

absl::StatusOr<std::string> SaveModel(BoosterHandle booster, absl::string_view format) {
  bst_ulong len = 0;
  const char* bytes = nullptr;
  const std::string config = absl::StrFormat(R"({"format": "%s"})", format);
  REG_RETURN_IF_ERROR(XgbCheck(XGBoosterSaveModelToBuffer(booster, config.c_str(), &len, &bytes),
                               "saving the model"));
  return std::string(bytes, len);
}

// Loads `ubj` as the model of the result.
absl::StatusOr<TrainedModel> Finish(std::string ubj, const BoostResult& boost) {
  REG_ASSIGN_OR_RETURN(Booster booster, Booster::Load(ubj));
  return TrainedModel{std::move(booster), boost.best_iteration, std::move(ubj), boost.rounds,
                      boost.best_logloss};
}

absl::Status CheckConstraints(absl::Span<const int> constraints, size_t cols) {
  if (constraints.empty()) return absl::OkStatus();
  if (constraints.size() != cols) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "monotone_constraints: %d entries for %d columns", constraints.size(), cols));
  }
  for (size_t i = 0; i < constraints.size(); ++i) {
    if (constraints[i] < -1 || constraints[i] > 1) {
      return absl::InvalidArgumentError(
          absl::StrFormat("monotone_constraints[%d]: %d is not -1, 0 or 1", i, constraints[i]));
    }
  }
  return absl::OkStatus();
}

// Per-column mean and standard deviation over the present (non-NaN) training values; a
// constant or empty column gets scale 1.
void ColumnMoments(const TrainingData& data, std::vector<double>* mean,
                   std::vector<double>* scale) {
  const size_t cols = data.cols;
  std::vector<double> sum(cols, 0), sum_sq(cols, 0), count(cols, 0);
  for (size_t r = 0; r < data.rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      const double v = data.features[r * cols + c];
      if (std::isnan(v)) continue;
      sum[c] += v;
      count[c] += 1;
    }
  }
  mean->assign(cols, 0);
  for (size_t c = 0; c < cols; ++c) (*mean)[c] = count[c] > 0 ? sum[c] / count[c] : 0;
  for (size_t r = 0; r < data.rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      const double v = data.features[r * cols + c];
      if (std::isnan(v)) continue;
      sum_sq[c] += (v - (*mean)[c]) * (v - (*mean)[c]);
    }
  }
  scale->assign(cols, 1);
  for (size_t c = 0; c < cols; ++c) {
    const double sd = count[c] > 1 ? std::sqrt(sum_sq[c] / count[c]) : 0;
    (*scale)[c] = sd > 1e-12 ? sd : 1;
  }
}

TrainingData Standardised(const TrainingData& data, const std::vector<double>& mean,
                          const std::vector<double>& scale) {
  TrainingData out = data;
  for (size_t i = 0; i < out.features.size(); ++i) {
    const size_t c = i % data.cols;
    out.features[i] = static_cast<float>((data.features[i] - mean[c]) / scale[c]);
  }
  return out;
}

// A float as XGBoost's JSON reader wants it: always with a fraction or an exponent, since
// it reads "0" as an integer and refuses it where a number is expected.
std::string JsonNumber(double value) {
  std::string text = absl::StrFormat("%.9g", static_cast<float>(value));
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

// Rewrites the weights of a gblinear JSON model trained on standardised features so that
// it reads raw features: w_j' = w_j / s_j, bias' = bias - sum_j w_j m_j / s_j. The model
// stores "weights":[w_0, ..., w_{f-1}, bias] (one output group).
absl::StatusOr<std::string> FoldStandardisation(absl::string_view json,
                                                const std::vector<double>& mean,
                                                const std::vector<double>& scale) {
  constexpr absl::string_view kKey = R"("weights":[)";
  const size_t begin = json.find(kKey);
  if (begin == absl::string_view::npos || json.find(kKey, begin + 1) != absl::string_view::npos) {
    return absl::InternalError("linear model: expected exactly one weights array");
  }
  const size_t values_begin = begin + kKey.size();
  const size_t values_end = json.find(']', values_begin);
  if (values_end == absl::string_view::npos) {
    return absl::InternalError("linear model: unterminated weights array");
  }
  std::vector<absl::string_view> parts =
      absl::StrSplit(json.substr(values_begin, values_end - values_begin), ',');
  if (parts.size() != mean.size() + 1) {
    return absl::InternalError(
        absl::StrFormat("linear model: %d weights for %d features", parts.size(), mean.size()));
  }
  std::vector<double> weights(parts.size());
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!absl::SimpleAtod(parts[i], &weights[i])) {
      return absl::InternalError(absl::StrCat("linear model: unreadable weight ", parts[i]));
    }
  }
  double bias = weights.back();
  std::vector<std::string> folded;
  for (size_t j = 0; j < mean.size(); ++j) {
    const double w = weights[j] / scale[j];
    bias -= weights[j] * mean[j] / scale[j];
    folded.push_back(JsonNumber(w));
  }
  folded.push_back(JsonNumber(bias));
  return absl::StrCat(json.substr(0, values_begin), absl::StrJoin(folded, ","),
                      json.substr(values_end));
}

}  // namespace

v1::TrainingConfig WithDefaults(v1::TrainingConfig config) {
  if (config.max_rounds() == 0) config.set_max_rounds(400);
  if (config.early_stopping_rounds() == 0) config.set_early_stopping_rounds(30);
  if (config.max_depth() == 0) config.set_max_depth(6);
  if (config.learning_rate() == 0) config.set_learning_rate(0.08);
  if (config.subsample() == 0) config.set_subsample(0.9);
  if (config.colsample_bytree() == 0) config.set_colsample_bytree(0.9);
  if (config.min_child_weight() == 0) config.set_min_child_weight(5);
  if (config.lambda() == 0) config.set_lambda(1);
  if (config.seed() == 0) config.set_seed(1);
  if (config.label_window_days() == 0) config.set_label_window_days(91);
  return config;
}

absl::Status ValidateTrainingConfig(const v1::TrainingConfig& c) {
  auto bad = [](absl::string_view field, absl::string_view rule) {
    return absl::InvalidArgumentError(absl::StrCat("config.", field, ": must be ", rule));
  };
  if (c.max_rounds() < 1 || c.max_rounds() > 100000) return bad("max_rounds", "1..100000");
  if (c.early_stopping_rounds() < 1) return bad("early_stopping_rounds", ">= 1");
  if (c.max_depth() < 1 || c.max_depth() > 20) return bad("max_depth", "1..20");
  if (!(c.learning_rate() > 0 && c.learning_rate() <= 1)) return bad("learning_rate", "in (0, 1]");
  if (!(c.subsample() > 0 && c.subsample() <= 1)) return bad("subsample", "in (0, 1]");
  if (!(c.colsample_bytree() > 0 && c.colsample_bytree() <= 1)) {
    return bad("colsample_bytree", "in (0, 1]");
  }
  if (!(c.min_child_weight() >= 0) || std::isinf(c.min_child_weight())) {
    return bad("min_child_weight", ">= 0");
  }
  if (!(c.lambda() >= 0) || std::isinf(c.lambda())) return bad("lambda", ">= 0");
  if (c.label_window_days() < 1 || c.label_window_days() > 3650) {
    return bad("label_window_days", "1..3650");
  }
  return absl::OkStatus();
}

std::vector<int> CatalogueMonotoneConstraints() {
  std::vector<int> constraints;
  for (const FeatureSpec& f : FeatureCatalogue()) {
    constraints.push_back(static_cast<int>(f.direction));
  }
  return constraints;
}

namespace {

// Both entry points: with `fixed_rounds` > 0 exactly that many rounds, the validation
// logloss only reported; otherwise early stopping on it.
absl::StatusOr<TrainedModel> Train(const TrainingData& train, const TrainingData& validation,
                                   const v1::TrainingConfig& config,
                                   absl::Span<const int> monotone_constraints,
                                   const ProgressFn& progress, int nthread, int fixed_rounds) {
  REG_RETURN_IF_ERROR(CheckData(train, validation));
  const v1::TrainingConfig c = WithDefaults(config);
  REG_RETURN_IF_ERROR(ValidateTrainingConfig(c));
  REG_RETURN_IF_ERROR(CheckConstraints(monotone_constraints, train.cols));
  if (nthread < 1) return absl::InvalidArgumentError("nthread: must be >= 1");

  REG_ASSIGN_OR_RETURN(DMatrix dtrain, LabelledMatrix(train));
  REG_ASSIGN_OR_RETURN(DMatrix dvalid, LabelledMatrix(validation));
  Params params = {
      {"booster", "gbtree"},
      {"objective", "binary:logistic"},
      {"tree_method", "hist"},
      {"eval_metric", "logloss"},
      {"max_depth", absl::StrCat(c.max_depth())},
      {"eta", Double(c.learning_rate())},
      {"subsample", Double(c.subsample())},
      {"colsample_bytree", Double(c.colsample_bytree())},
      {"min_child_weight", Double(c.min_child_weight())},
      {"lambda", Double(c.lambda())},
      // XGBoost's seed is a signed 64-bit integer: keep the bits.
      {"seed", absl::StrCat(static_cast<int64_t>(c.seed()))},
      {"nthread", absl::StrCat(nthread)},
      {"verbosity", "1"},
  };
  bool constrained = false;
  for (int v : monotone_constraints) constrained |= v != 0;
  if (constrained) {
    params.emplace_back("monotone_constraints",
                        absl::StrCat("(", absl::StrJoin(monotone_constraints, ","), ")"));
  }
  REG_ASSIGN_OR_RETURN(OwnedBoosterHandle booster, NewBooster(dtrain, dvalid, params));
  const int max_rounds = fixed_rounds > 0 ? fixed_rounds : c.max_rounds();
  const int patience = fixed_rounds > 0 ? fixed_rounds : c.early_stopping_rounds();
  REG_ASSIGN_OR_RETURN(BoostResult boost,
                       BoostWithEarlyStopping(booster.get(), dtrain, dvalid, max_rounds, patience,
                                              progress));
  if (fixed_rounds > 0) boost.best_iteration = fixed_rounds - 1;  // all of them, whatever
  if (boost.rounds > boost.best_iteration + 1) {
    // Keep rounds [0, best_iteration]: the trees a shorter run would have grown.
    BoosterHandle sliced = nullptr;
    REG_RETURN_IF_ERROR(
        XgbCheck(XGBoosterSlice(booster.get(), 0, boost.best_iteration + 1, 1, &sliced),
                 "cutting the model back to the best round"));
    booster.reset(sliced);
  }
  REG_ASSIGN_OR_RETURN(std::string ubj, SaveModel(booster.get(), "ubj"));
  return Finish(std::move(ubj), boost);
}

}  // namespace

absl::StatusOr<TrainedModel> TrainGradientBoosted(
    const TrainingData& train, const TrainingData& validation, const v1::TrainingConfig& config,
    absl::Span<const int> monotone_constraints,
    std::function<absl::Status(int round, double validation_logloss)> progress, int nthread) {
  return Train(train, validation, config, monotone_constraints, progress, nthread, 0);
}

absl::StatusOr<TrainedModel> TrainGradientBoostedForRounds(
    const TrainingData& train, const TrainingData& monitor, const v1::TrainingConfig& config,
    absl::Span<const int> monotone_constraints, int rounds,
    std::function<absl::Status(int round, double monitor_logloss)> progress, int nthread) {
  if (rounds < 1 || rounds > 100000) {
    return absl::InvalidArgumentError("rounds: must be in 1..100000");
  }
  return Train(train, monitor, config, monotone_constraints, progress, nthread, rounds);
}

absl::StatusOr<TrainedModel> TrainLinearBaseline(const TrainingData& train,
                                                 const TrainingData& validation, uint64_t seed) {
  REG_RETURN_IF_ERROR(CheckData(train, validation));
  std::vector<double> mean, scale;
  ColumnMoments(train, &mean, &scale);
  REG_ASSIGN_OR_RETURN(DMatrix dtrain, LabelledMatrix(Standardised(train, mean, scale)));
  REG_ASSIGN_OR_RETURN(DMatrix dvalid, LabelledMatrix(Standardised(validation, mean, scale)));
  const Params params = {
      {"booster", "gblinear"},
      {"objective", "binary:logistic"},
      {"eval_metric", "logloss"},
      {"updater", "coord_descent"},
      {"feature_selector", "cyclic"},
      {"eta", "0.5"},
      {"lambda", "0.0001"},
      {"alpha", "0"},
      {"seed", absl::StrCat(static_cast<int64_t>(seed))},
      {"nthread", "1"},
      {"verbosity", "1"},
  };
  REG_ASSIGN_OR_RETURN(OwnedBoosterHandle probe, NewBooster(dtrain, dvalid, params));
  REG_ASSIGN_OR_RETURN(BoostResult boost,
                       BoostWithEarlyStopping(probe.get(), dtrain, dvalid, kLinearMaxRounds,
                                              kLinearPatience, nullptr));
  probe.reset();
  // Refit for exactly best_iteration + 1 rounds (a linear model is one weight vector,
  // updated in place: it cannot be cut back like trees).
  REG_ASSIGN_OR_RETURN(OwnedBoosterHandle booster, NewBooster(dtrain, dvalid, params));
  REG_ASSIGN_OR_RETURN(BoostResult refit,
                       BoostWithEarlyStopping(booster.get(), dtrain, dvalid,
                                              boost.best_iteration + 1, kLinearMaxRounds, nullptr));
  boost.best_logloss = refit.best_logloss;
  REG_ASSIGN_OR_RETURN(std::string json, SaveModel(booster.get(), "json"));
  REG_ASSIGN_OR_RETURN(std::string folded, FoldStandardisation(json, mean, scale));
  REG_ASSIGN_OR_RETURN(Booster raw_reader, Booster::Load(folded));
  REG_ASSIGN_OR_RETURN(std::string ubj, raw_reader.Save());
  return Finish(std::move(ubj), boost);
}

}  // namespace regulation::scoring
