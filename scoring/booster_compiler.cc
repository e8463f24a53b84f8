#include "scoring/booster_compiler.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "scoring/tree_ensemble.h"

namespace regulation::scoring {
namespace {

// Candidate values per feature: each threshold and its float neighbours, and values
// every split must route the same way as XGBoost (missing, infinite, signed zeros).
std::vector<std::vector<float>> ProbeValues(const TreeEnsemble& ensemble) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  std::vector<std::vector<float>> values(ensemble.num_features,
                                         {std::numeric_limits<float>::quiet_NaN(), -kInf, kInf,
                                          0.0f, -0.0f});
  for (const RegressionTree& tree : ensemble.trees) {
    for (int node = 0; node < tree.num_nodes(); ++node) {
      if (tree.is_leaf(node) || tree.feature[node] >= values.size()) continue;
      const float t = tree.value[node];
      std::vector<float>& v = values[tree.feature[node]];
      v.insert(v.end(), {t, std::nextafter(t, -kInf), std::nextafter(t, kInf)});
    }
  }
  return values;
}

// SplitMix64: a fixed stream, so the check is the same on every run.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::vector<float> ProbeRows(const TreeEnsemble& ensemble) {
  const std::vector<std::vector<float>> values = ProbeValues(ensemble);
  const size_t cols = static_cast<size_t>(ensemble.num_features);
  std::vector<float> rows(kCheckRows * cols);
  uint64_t state = 2026;
  for (size_t r = 0; r < kCheckRows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      state = Mix(state);
      rows[r * cols + c] = values[c][state % values[c].size()];
    }
  }
  return rows;
}

}  // namespace

absl::StatusOr<CompiledForest> CompileBooster(const Booster& booster,
                                              const CompileOptions& options) {
  if (booster.booster_type() != "gbtree") {
    return absl::UnimplementedError(absl::StrCat("booster ", booster.booster_type()));
  }
  REG_ASSIGN_OR_RETURN(const std::string json, booster.SaveJson());
  REG_ASSIGN_OR_RETURN(const TreeEnsemble ensemble, ReadXgboostJsonModel(json));
  if (ensemble.num_features != booster.num_features()) {
    return absl::InternalError(absl::StrFormat("the JSON model reads %d features, XGBoost %d",
                                               ensemble.num_features, booster.num_features()));
  }
  CompiledForest forest = CompiledForest::Compile(ensemble, options);

  const std::vector<float> rows = ProbeRows(ensemble);
  const size_t cols = static_cast<size_t>(ensemble.num_features);
  std::vector<float> expected, actual;
  REG_RETURN_IF_ERROR(booster.PredictProbabilities(rows, kCheckRows, cols, &expected));
  REG_RETURN_IF_ERROR(forest.PredictProbabilities(rows, kCheckRows, cols, &actual));
  for (size_t r = 0; r < kCheckRows; ++r) {
    if (std::memcmp(&expected[r], &actual[r], sizeof(float)) != 0) {
      return absl::InternalError(
          absl::StrFormat("the compiled model predicts %.9g for probe row %d, XGBoost %.9g",
                          actual[r], r, expected[r]));
    }
  }
  return forest;
}

}  // namespace regulation::scoring
