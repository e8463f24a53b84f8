// The compiled tree predictor against XGBoost 1.7.4, in one run on one machine
// (docs/scoring.md, "The compiled predictor"):
//   identity:   every probability of every row, compiled (each kernel) against XGBoost's
//               in-place predict and its DMatrix predict; the count of rows whose bits
//               differ and the largest difference must both be 0;
//   throughput: XGBoost in place (XGBoosterPredictFromDense), XGBoost through a DMatrix
//               (predict only; building the DMatrix is timed apart), and the compiled
//               predictor with its kernel and with the scalar one, with 1 and 2 threads,
//               in ScoreAll's chunks. Each is run --repeats times, interleaved; the
//               speed-ups are ratios inside each repeat, reported as median [min, max].
// The rows are the features of the score_all population (bench_population.h) with a
// share of values set missing, and the model is trained on them with the trainer's
// recipe. Wall time and this process's CPU time are both reported: on a shared machine
// wall time swings with the load, CPU time much less.
// The last line is one JSON object.
//
//   bazel run --config=opt //tools/bench:predictor -- --rows=1000000

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "scoring/booster.h"
#include "scoring/booster_compiler.h"
#include "scoring/compiled_forest.h"
#include "scoring/feature_catalogue.h"
#include "scoring/trainer.h"
#include "scoring/tree_ensemble.h"
#include "tools/bench/bench_population.h"
#include "tools/bench/bench_support.h"
#include "xgboost/c_api.h"

ABSL_FLAG(int64_t, rows, 1000000, "rows to predict");
ABSL_FLAG(double, missing, 0.05, "share of feature values set missing (NaN)");
ABSL_FLAG(int, repeats, 3, "timed repeats of each predictor");
ABSL_FLAG(int, chunk, 16384, "rows per predict call (ScoreAll's chunk)");
ABSL_FLAG(int, max_depth, 0, "tree depth to train (0: the trainer's default)");

namespace regulation::bench {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

void Check(int rc, const char* what) {
  if (rc != 0) {
    std::fprintf(stderr, "%s: %s\n", what, XGBGetLastError());
    std::abort();
  }
}

template <typename T>
T Must(absl::StatusOr<T> value, const char* what) {
  if (!value.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, value.status().ToString().c_str());
    std::abort();
  }
  return std::move(*value);
}

// XGBoost's own handle, so the benchmark can set its thread count (the project's
// Booster leaves XGBoost's default: one thread per core).
class XgboostBaseline {
 public:
  explicit XgboostBaseline(const std::string& model_bytes) {
    Check(XGBoosterCreate(nullptr, 0, &handle_), "XGBoosterCreate");
    Check(XGBoosterLoadModelFromBuffer(handle_, model_bytes.data(), model_bytes.size()),
          "loading the model");
  }
  ~XgboostBaseline() { XGBoosterFree(handle_); }

  void SetThreads(int threads) {
    Check(XGBoosterSetParam(handle_, "nthread", absl::StrCat(threads).c_str()), "nthread");
  }

  // In-place prediction from the dense rows (1.7.4 needs "cache_id").
  void InPlace(const float* rows, size_t n, size_t cols, float* out) const {
    const std::string array = absl::StrFormat(
        R"({"data": [%d, true], "shape": [%d, %d], "typestr": "<f4", "version": 3})",
        reinterpret_cast<uintptr_t>(rows), n, cols);
    const bst_ulong* shape = nullptr;
    bst_ulong dim = 0;
    const float* result = nullptr;
    Check(XGBoosterPredictFromDense(
              handle_, array.c_str(),
              R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
              R"("strict_shape": false, "cache_id": 0, "missing": NaN})",
              nullptr, &shape, &dim, &result),
          "XGBoosterPredictFromDense");
    std::memcpy(out, result, n * sizeof(float));
  }

  // Prediction through a DMatrix built from the rows; the build and the prediction are
  // added to `build_s` and `predict_s` (wall seconds). A fresh DMatrix each time: XGBoost
  // caches the predictions of a DMatrix it has seen.
  void ThroughDMatrix(const float* rows, size_t n, size_t cols, float* out, double* build_s,
                      double* predict_s) const {
    const absl::Time t0 = absl::Now();
    DMatrixHandle matrix = nullptr;
    Check(XGDMatrixCreateFromMat_omp(rows, n, cols, kNaN, &matrix, 0), "building a DMatrix");
    const absl::Time t1 = absl::Now();
    const bst_ulong* shape = nullptr;
    bst_ulong dim = 0;
    const float* result = nullptr;
    Check(XGBoosterPredictFromDMatrix(
              handle_, matrix,
              R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
              R"("strict_shape": false})",
              &shape, &dim, &result),
          "XGBoosterPredictFromDMatrix");
    std::memcpy(out, result, n * sizeof(float));
    const absl::Time t2 = absl::Now();
    XGDMatrixFree(matrix);
    *build_s += absl::ToDoubleSeconds(t1 - t0);
    *predict_s += absl::ToDoubleSeconds(t2 - t1);
  }

 private:
  BoosterHandle handle_ = nullptr;
};

struct Timing {
  double wall_s = 0;
  double cpu_s = 0;
};

// Runs `predict(first_row, rows, out)` over every chunk; wall and CPU seconds.
template <typename Fn>
Timing Timed(size_t n, size_t chunk, Fn predict) {
  const absl::Time t0 = absl::Now();
  const double c0 = ProcessCpuSeconds();
  for (size_t first = 0; first < n; first += chunk) predict(first, std::min(chunk, n - first));
  return Timing{absl::ToDoubleSeconds(absl::Now() - t0), ProcessCpuSeconds() - c0};
}

struct Comparison {
  size_t differing = 0;
  double max_abs = 0;
};

Comparison Compare(const std::vector<float>& a, const std::vector<float>& b) {
  Comparison c;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0) {
      ++c.differing;
      c.max_abs = std::max(c.max_abs, std::fabs(static_cast<double>(a[i]) - b[i]));
    }
  }
  return c;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string Spread(const std::vector<double>& v) {
  return absl::StrFormat("%.2f [%.2f, %.2f]", Median(v), *std::min_element(v.begin(), v.end()),
                         *std::max_element(v.begin(), v.end()));
}

std::string JsonSpread(const std::vector<double>& v) {
  return absl::StrFormat("[%.2f, %.2f, %.2f]", Median(v), *std::min_element(v.begin(), v.end()),
                         *std::max_element(v.begin(), v.end()));
}

int Run() {
  const size_t n = static_cast<size_t>(absl::GetFlag(FLAGS_rows));
  const size_t chunk = static_cast<size_t>(absl::GetFlag(FLAGS_chunk));
  const int repeats = absl::GetFlag(FLAGS_repeats);
  const size_t cols = scoring::FeatureCatalogue().size();

  // 1. Rows: the score_all population's features, some values missing.
  absl::Time t = absl::Now();
  std::vector<float> matrix(n * cols);
  {
    const int64_t now = absl::ToUnixMicros(absl::Now());
    SplitMix64 rng(42), holes(43);
    const uint64_t missing_per_million =
        static_cast<uint64_t>(absl::GetFlag(FLAGS_missing) * 1e6);
    for (size_t i = 0; i < n; ++i) {
      const v1::Enterprise e = BenchEnterprise(static_cast<int64_t>(i), rng);
      const internal::PortraitState s = BenchPortraitState(e.credit_code(), now, rng);
      scoring::ComputeFeaturesInto(e, s, now, &matrix[i * cols]);
      for (size_t c = 0; c < cols; ++c) {
        if (holes.Below(1000000) < missing_per_million) matrix[i * cols + c] = kNaN;
      }
    }
  }
  std::fprintf(stderr, "rows: %zu x %zu features, %.1f%% missing, built in %.1f s\n", n, cols,
               100 * absl::GetFlag(FLAGS_missing), absl::ToDoubleSeconds(absl::Now() - t));

  // 2. The model, trained as TrainModel does (defaults, monotone constraints, early
  //    stopping).
  t = absl::Now();
  v1::TrainingConfig config;
  config.set_max_depth(absl::GetFlag(FLAGS_max_depth));
  const scoring::TrainedModel model =
      Must(TrainBenchModel(matrix, static_cast<int64_t>(n), cols, config), "training");
  const scoring::TreeEnsemble ensemble = Must(
      scoring::ReadXgboostJsonModel(Must(model.booster.SaveJson(), "saving JSON")), "reading");
  std::fprintf(stderr, "model: %zu trees (best of %d rounds), max depth %d, trained in %.1f s\n",
               ensemble.trees.size(), model.rounds_boosted, ensemble.max_depth,
               absl::ToDoubleSeconds(absl::Now() - t));

  // 3. Compiling, with the check against XGBoost (what activation does).
  t = absl::Now();
  const scoring::CompiledForest forest = Must(scoring::CompileBooster(model.booster), "compiling");
  const double compile_ms = absl::ToDoubleMilliseconds(absl::Now() - t);
  scoring::CompileOptions scalar_only;
  scalar_only.allow_avx512 = false;
  const scoring::CompiledForest scalar =
      Must(scoring::CompileBooster(model.booster, scalar_only), "compiling (scalar)");
  std::fprintf(stderr, "compiled: %.0f ms (JSON, layout and the %zu-row check), kernel %s\n",
               compile_ms, scoring::kCheckRows, forest.kernel_name());

  // 4. Identity: every row.
  XgboostBaseline xgb(model.model_bytes);
  std::vector<float> reference(n), dmatrix(n), compiled(n), compiled_scalar(n), part;
  double ignored_build = 0, ignored_predict = 0;
  Timed(n, chunk, [&](size_t first, size_t k) {
    xgb.InPlace(&matrix[first * cols], k, cols, &reference[first]);
    xgb.ThroughDMatrix(&matrix[first * cols], k, cols, &dmatrix[first], &ignored_build,
                       &ignored_predict);
    for (auto [f, out] : {std::pair{&forest, &compiled}, std::pair{&scalar, &compiled_scalar}}) {
      if (!f->PredictProbabilities(absl::MakeConstSpan(&matrix[first * cols], k * cols), k, cols,
                                   &part)
               .ok()) {
        std::abort();
      }
      std::copy(part.begin(), part.end(), out->begin() + first);
    }
  });
  const Comparison vs_inplace = Compare(compiled, reference);
  const Comparison scalar_vs_inplace = Compare(compiled_scalar, reference);
  const Comparison vs_dmatrix = Compare(compiled, dmatrix);
  const bool identical =
      vs_inplace.differing == 0 && scalar_vs_inplace.differing == 0 && vs_dmatrix.differing == 0;
  std::fprintf(stderr,
               "identity over %zu rows: compiled (%s) vs XGBoost in place: %zu differ (max %g); "
               "scalar kernel: %zu differ (max %g); vs XGBoost's DMatrix path: %zu differ\n",
               n, forest.kernel_name(), vs_inplace.differing, vs_inplace.max_abs,
               scalar_vs_inplace.differing, scalar_vs_inplace.max_abs, vs_dmatrix.differing);

  // 5. Throughput, 1 and 2 threads; predictors interleaved within each repeat.
  std::string json = absl::StrFormat(
      R"({"rows": %d, "features": %d, "trees": %d, "max_depth": %d, "kernel": "%s", )"
      R"("identical": %s, "differing_rows": %d, "max_abs_diff": %g, "compile_ms": %.0f)",
      n, cols, ensemble.trees.size(), ensemble.max_depth, forest.kernel_name(),
      identical ? "true" : "false",
      vs_inplace.differing + scalar_vs_inplace.differing + vs_dmatrix.differing,
      std::max({vs_inplace.max_abs, scalar_vs_inplace.max_abs, vs_dmatrix.max_abs}), compile_ms);
  std::vector<float> out(n);
  for (const int threads : {1, 2}) {
    xgb.SetThreads(threads);
    scoring::PredictOptions options;
    options.threads = threads;
    std::vector<double> inplace_s, dmatrix_s, build_s, compiled_s, scalar_s, inplace_cpu,
        compiled_cpu, speedup_inplace, speedup_dmatrix, speedup_cpu, speedup_scalar;
    for (int r = 0; r < repeats; ++r) {
      const Timing in_place = Timed(n, chunk, [&](size_t first, size_t k) {
        xgb.InPlace(&matrix[first * cols], k, cols, &out[first]);
      });
      double build = 0, predict = 0;
      Timed(n, chunk, [&](size_t first, size_t k) {
        xgb.ThroughDMatrix(&matrix[first * cols], k, cols, &out[first], &build, &predict);
      });
      auto run_compiled = [&](const scoring::CompiledForest& f) {
        return Timed(n, chunk, [&](size_t first, size_t k) {
          if (!f.PredictProbabilities(absl::MakeConstSpan(&matrix[first * cols], k * cols), k,
                                      cols, &part, options)
                   .ok()) {
            std::abort();
          }
        });
      };
      const Timing fast = run_compiled(forest);
      const Timing slow = run_compiled(scalar);
      inplace_s.push_back(in_place.wall_s);
      inplace_cpu.push_back(in_place.cpu_s);
      dmatrix_s.push_back(predict);
      build_s.push_back(build);
      compiled_s.push_back(fast.wall_s);
      compiled_cpu.push_back(fast.cpu_s);
      scalar_s.push_back(slow.wall_s);
      speedup_inplace.push_back(in_place.wall_s / fast.wall_s);
      speedup_dmatrix.push_back(predict / fast.wall_s);
      speedup_cpu.push_back(in_place.cpu_s / fast.cpu_s);
      speedup_scalar.push_back(in_place.wall_s / slow.wall_s);
      std::fprintf(stderr,
                   "%d thread(s), repeat %d: XGBoost in place %.3f s (cpu %.3f), DMatrix "
                   "predict %.3f s (+%.3f s building it), compiled %.3f s (cpu %.3f), "
                   "scalar kernel %.3f s\n",
                   threads, r + 1, in_place.wall_s, in_place.cpu_s, predict, build, fast.wall_s,
                   fast.cpu_s, slow.wall_s);
    }
    auto rate = [&](const std::vector<double>& s) { return static_cast<double>(n) / Median(s); };
    std::fprintf(stderr,
                 "%d thread(s), medians: XGBoost in place %.0f rows/s, DMatrix %.0f rows/s, "
                 "compiled %.0f rows/s, scalar kernel %.0f rows/s\n"
                 "  speed-up over in place %s (CPU time %s), over DMatrix %s; scalar kernel "
                 "over in place %s\n",
                 threads, rate(inplace_s), rate(dmatrix_s), rate(compiled_s), rate(scalar_s),
                 Spread(speedup_inplace).c_str(), Spread(speedup_cpu).c_str(),
                 Spread(speedup_dmatrix).c_str(), Spread(speedup_scalar).c_str());
    absl::StrAppend(
        &json,
        absl::StrFormat(
            R"(, "t%d": {"inplace_rows_s": %.0f, "dmatrix_rows_s": %.0f, "dmatrix_build_s": %.2f, )"
            R"("compiled_rows_s": %.0f, "scalar_rows_s": %.0f, "speedup_inplace": %s, )"
            R"("speedup_inplace_cpu": %s, "speedup_dmatrix": %s, "speedup_scalar_inplace": %s})",
            threads, rate(inplace_s), rate(dmatrix_s), Median(build_s), rate(compiled_s),
            rate(scalar_s), JsonSpread(speedup_inplace), JsonSpread(speedup_cpu),
            JsonSpread(speedup_dmatrix), JsonSpread(speedup_scalar)));
  }
  std::printf("%s}\n", json.c_str());
  return identical ? 0 : 1;
}

}  // namespace
}  // namespace regulation::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return regulation::bench::Run();
}
