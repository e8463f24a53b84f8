#ifndef SCORING_COMPILED_FOREST_H_
#define SCORING_COMPILED_FOREST_H_

// A tree model compiled into flat arrays for fast batch prediction, with outputs
// bit-identical to XGBoost 1.7.4's predict on the same rows (docs/scoring.md, "The
// compiled predictor").
//
//   REG_ASSIGN_OR_RETURN(TreeEnsemble ensemble, ReadXgboostJsonModel(json));
//   CompiledForest forest = CompiledForest::Compile(ensemble);
//   REG_RETURN_IF_ERROR(forest.PredictProbabilities(rows, n_rows, n_features, &out));
//
// Layout. Rows go through the trees 64 at a time, one tree after another, so a tree's
// nodes are read once per 64 rows and stay in the cache, and the 64 independent walks
// keep the CPU busy while each waits for its loads. A tree of depth six
// or less (what the trainer grows by default) becomes a complete tree in heap order: 63
// thresholds, 63 split words and 64 leaves, where a leaf above the last level is pushed
// down by splits every row passes to the left. A deeper tree keeps its own shape, in
// breadth-first order with the two children of a split side by side. Evaluation is
// branch-free: each step computes "go right" as (x >= threshold) | (x is NaN and the
// split's missing values go right), which is XGBoost's rule (left when x < threshold,
// missing to the default child) with a comparison instead of a jump.
//
// Kernels. On CPUs with AVX-512 the complete trees are evaluated sixteen rows per vector,
// four vectors side by side: the top six levels and the leaves are looked up in
// registers (vpermps), and only each row's feature value is gathered. Elsewhere, and
// for deeper trees, a scalar kernel walks the 64 rows. Every kernel adds the leaf values to each row's float
// margin in tree order, starting from the base margin, exactly as XGBoost does, so all
// kernels give the same bits.
//
// Thread safety: immutable after Compile; Predict* may be called from any number of
// threads at once.
//
// Status codes: INVALID_ARGUMENT when the rows' shape does not match the model.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "scoring/compiled_forest_layout.h"
#include "scoring/tree_ensemble.h"

namespace regulation::scoring {

struct CompileOptions {
  // Use the AVX-512 kernel when the CPU has it (default). Tests turn it off to check the
  // portable kernel against XGBoost on the same machine.
  bool allow_avx512 = true;
};

struct PredictOptions {
  // Threads that share the rows (default 1: the calling thread only). Each extra thread
  // is started for the call and joined before it returns; a call with fewer than
  // kMinRowsPerThread rows per thread uses fewer threads.
  int threads = 1;
};

class CompiledForest {
 public:
  // Rows below which another thread does not pay for its start.
  static constexpr size_t kMinRowsPerThread = 2048;

  // Compiles a model ReadXgboostJsonModel accepted.
  static CompiledForest Compile(const TreeEnsemble& ensemble, const CompileOptions& options = {});

  CompiledForest(CompiledForest&&) noexcept = default;
  CompiledForest& operator=(CompiledForest&&) noexcept = default;
  CompiledForest(const CompiledForest&) = delete;
  CompiledForest& operator=(const CompiledForest&) = delete;

  // What XGBoost's predict (type 0) gives for each of `n_rows` rows of `n_features`
  // floats (row-major; NaN = missing): the probability for binary:logistic, written to
  // `out` (resized to n_rows). INVALID_ARGUMENT unless n_features == num_features() and
  // rows_row_major.size() == n_rows * n_features. REQUIRES: out != nullptr.
  absl::Status PredictProbabilities(absl::Span<const float> rows_row_major, size_t n_rows,
                                    size_t n_features, std::vector<float>* out,
                                    const PredictOptions& options = {}) const;

  // The margin (XGBoost's type 1, output_margin): the sum before the link.
  absl::Status PredictMargins(absl::Span<const float> rows_row_major, size_t n_rows,
                              size_t n_features, std::vector<float>* out,
                              const PredictOptions& options = {}) const;

  int num_features() const { return layout_.num_features; }
  size_t num_trees() const { return layout_.num_trees; }
  // "avx512" or "scalar": the kernel the complete trees use.
  const char* kernel_name() const { return layout_.use_avx512 ? "avx512" : "scalar"; }

 private:
  explicit CompiledForest(forest_internal::Layout layout) : layout_(std::move(layout)) {}

  absl::Status Predict(bool apply_link, absl::Span<const float> rows, size_t n_rows,
                       size_t n_features, std::vector<float>* out,
                       const PredictOptions& options) const;
  // Outputs of rows [begin, end) into out[begin, end).
  void PredictRange(bool apply_link, const float* rows, size_t begin, size_t end,
                    float* out) const;

  // Constant after construction.
  forest_internal::Layout layout_;
};

}  // namespace regulation::scoring

#endif  // SCORING_COMPILED_FOREST_H_
