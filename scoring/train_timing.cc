// Training and prediction timings on synthetic data (not a test):
//
//   bazel run --config=opt //scoring:train_timing            # 3,000 x 10 only
//   bazel run --config=opt //scoring:train_timing -- --large # and 200,000 x 33
//
// Prints wall-clock times with 2 XGBoost threads, the rounds early stopping kept, and
// prediction vs SHAP throughput measured side by side in one process. Also checks two
// reproducibility facts quoted in docs/scoring.md: whether the thread count changes the
// model bytes, and whether seeds equal modulo 2^32 give the same model.

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "scoring/booster.h"
#include "scoring/metrics.h"
#include "scoring/synthetic_data_for_test.h"
#include "scoring/trainer.h"

namespace regulation::scoring {
namespace {

constexpr int kThreads = 2;

double Seconds(absl::Time start) { return absl::ToDoubleSeconds(absl::Now() - start); }

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "error: %s\n", status.ToString().c_str());
  return 1;
}

// Trains with `config`, prints one line, and returns the model.
absl::StatusOr<TrainedModel> TimeTraining(const char* label, const TrainingData& train,
                                          const TrainingData& valid,
                                          const v1::TrainingConfig& config, int nthread) {
  const absl::Time start = absl::Now();
  absl::StatusOr<TrainedModel> model =
      TrainGradientBoosted(train, valid, config, {}, nullptr, nthread);
  const double seconds = Seconds(start);
  if (!model.ok()) return model.status();
  std::vector<float> p;
  if (absl::Status s =
          model->booster.PredictProbabilities(valid.features, valid.rows, valid.cols, &p);
      !s.ok()) {
    return s;
  }
  std::printf("%-44s %7.2f s  rounds %3d (best %3d)  %6.1f ms/round  valid AUC %.4f\n", label,
              seconds, model->rounds_boosted, model->best_iteration,
              1000 * seconds / model->rounds_boosted, Auc(p, valid.labels));
  return model;
}

int Throughput(const Booster& booster, const TrainingData& rows) {
  std::vector<float> out;
  // Warm-up, then predictions of the whole set and SHAP of a slice, side by side.
  if (absl::Status s = booster.PredictProbabilities(rows.features, rows.rows, rows.cols, &out);
      !s.ok()) {
    return Fail(s);
  }
  absl::Time start = absl::Now();
  constexpr int kRepeats = 3;
  for (int i = 0; i < kRepeats; ++i) {
    if (absl::Status s = booster.PredictProbabilities(rows.features, rows.rows, rows.cols, &out);
        !s.ok()) {
      return Fail(s);
    }
  }
  const double predict_rate = kRepeats * rows.rows / Seconds(start);
  const size_t shap_rows = std::min<size_t>(rows.rows, 2000);
  start = absl::Now();
  if (absl::Status s = booster.Contributions(
          absl::MakeConstSpan(rows.features).subspan(0, shap_rows * rows.cols), shap_rows,
          rows.cols, &out);
      !s.ok()) {
    return Fail(s);
  }
  const double shap_rate = shap_rows / Seconds(start);
  std::printf("  %d trees: in-place predict %.0f rows/s; TreeSHAP %.0f rows/s; ratio %.0fx\n",
              booster.boosted_rounds(), predict_rate, shap_rate, predict_rate / shap_rate);
  return 0;
}

int Run(bool large) {
  // --- 3,000 x 10 --------------------------------------------------------------------
  const TrainingData train = MakeSyntheticData(3000, 10, 1, Relation::kInteraction);
  const TrainingData valid = MakeSyntheticData(1000, 10, 2, Relation::kInteraction);
  std::printf("3,000 x 10 (validation 1,000), %d threads, default config\n", kThreads);
  absl::StatusOr<TrainedModel> small;
  for (int i = 0; i < 3; ++i) {
    small = TimeTraining("  gbtree, early stopping", train, valid, v1::TrainingConfig(), kThreads);
    if (!small.ok()) return Fail(small.status());
  }
  absl::Time start = absl::Now();
  absl::StatusOr<TrainedModel> linear = TrainLinearBaseline(train, valid, 1);
  if (!linear.ok()) return Fail(linear.status());
  std::printf("  gblinear baseline (probe + refit)            %7.2f s  rounds %3d (best %3d)\n",
              Seconds(start), linear->rounds_boosted, linear->best_iteration);

  // Reproducibility facts.
  absl::StatusOr<TrainedModel> one_thread =
      TimeTraining("  gbtree, 1 thread", train, valid, v1::TrainingConfig(), 1);
  if (!one_thread.ok()) return Fail(one_thread.status());
  std::printf("  model bytes with 1 thread %s those with 2 threads\n",
              one_thread->model_bytes == small->model_bytes ? "EQUAL" : "DIFFER FROM");
  v1::TrainingConfig seed_a, seed_b;
  seed_a.set_max_rounds(30);
  seed_b.set_max_rounds(30);
  seed_a.set_seed(5);
  seed_b.set_seed(5 + (uint64_t{1} << 32));
  absl::StatusOr<TrainedModel> a =
      TrainGradientBoosted(train, valid, seed_a, {}, nullptr, kThreads);
  absl::StatusOr<TrainedModel> b =
      TrainGradientBoosted(train, valid, seed_b, {}, nullptr, kThreads);
  if (!a.ok() || !b.ok()) return Fail(a.ok() ? b.status() : a.status());
  std::printf("  seeds 5 and 5 + 2^32: model bytes %s\n",
              a->model_bytes == b->model_bytes ? "EQUAL" : "DIFFER");
  if (int rc = Throughput(small->booster, valid); rc != 0) return rc;
  if (!large) return 0;

  // --- 200,000 x 33 ------------------------------------------------------------------
  start = absl::Now();
  const TrainingData big_train = MakeSyntheticData(200000, 33, 3, Relation::kInteraction);
  const TrainingData big_valid = MakeSyntheticData(50000, 33, 4, Relation::kInteraction);
  std::printf("\n200,000 x 33 (validation 50,000), %d threads; data generated in %.2f s\n",
              kThreads, Seconds(start));
  absl::StatusOr<TrainedModel> big =
      TimeTraining("  gbtree, default config, early stopping", big_train, big_valid,
                   v1::TrainingConfig(), kThreads);
  if (!big.ok()) return Fail(big.status());
  v1::TrainingConfig fixed;
  fixed.set_max_rounds(200);
  fixed.set_early_stopping_rounds(100000);
  fixed.set_subsample(1);
  fixed.set_colsample_bytree(1);
  absl::StatusOr<TrainedModel> fixed_model =
      TimeTraining("  gbtree, 200 rounds, no sampling", big_train, big_valid, fixed, kThreads);
  if (!fixed_model.ok()) return Fail(fixed_model.status());
  absl::StatusOr<TrainedModel> fixed_one =
      TimeTraining("  gbtree, 200 rounds, no sampling, 1 thread", big_train, big_valid, fixed, 1);
  if (!fixed_one.ok()) return Fail(fixed_one.status());
  v1::TrainingConfig short_config;  // default sampling (subsample 0.9, colsample 0.9)
  short_config.set_max_rounds(40);
  absl::StatusOr<TrainedModel> short_two = TimeTraining(
      "  gbtree, 40 rounds, default sampling", big_train, big_valid, short_config, kThreads);
  absl::StatusOr<TrainedModel> short_one = TimeTraining(
      "  gbtree, 40 rounds, default sampling, 1 thr", big_train, big_valid, short_config, 1);
  if (!short_two.ok() || !short_one.ok()) {
    return Fail(short_two.ok() ? short_one.status() : short_two.status());
  }
  std::printf("  model bytes with 1 thread %s those with 2 threads\n",
              short_one->model_bytes == short_two->model_bytes ? "EQUAL" : "DIFFER FROM");
  start = absl::Now();
  absl::StatusOr<TrainedModel> big_linear = TrainLinearBaseline(big_train, big_valid, 1);
  if (!big_linear.ok()) return Fail(big_linear.status());
  std::printf("  gblinear baseline (probe + refit)            %7.2f s  rounds %3d (best %3d)\n",
              Seconds(start), big_linear->rounds_boosted, big_linear->best_iteration);
  return Throughput(fixed_model->booster, big_valid);
}

}  // namespace
}  // namespace regulation::scoring

int main(int argc, char** argv) {
  const bool large = argc > 1 && std::strcmp(argv[1], "--large") == 0;
  return regulation::scoring::Run(large);
}
