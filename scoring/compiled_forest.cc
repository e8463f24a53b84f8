#include "scoring/compiled_forest.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>
#include <utility>

#include "absl/strings/str_format.h"

namespace regulation::scoring {
namespace {

using forest_internal::DeepNode;
using forest_internal::DeepTree;
using forest_internal::kBlockRows;
using forest_internal::kMissingGoesRight;
using forest_internal::kShallowDepth;
using forest_internal::Layout;
using forest_internal::Segment;
using forest_internal::ShallowTree;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

uint32_t SplitWord(const RegressionTree& tree, int node) {
  return tree.feature[node] | (tree.default_left[node] ? 0u : kMissingGoesRight);
}

int TreeDepth(const RegressionTree& tree, int node = 0) {
  if (tree.is_leaf(node)) return 0;
  return 1 + std::max(TreeDepth(tree, tree.left[node]), TreeDepth(tree, tree.right[node]));
}

// Places `node` (of `tree`) at heap position `heap` on `level`, and its subtree below.
// A leaf above the last level is pushed down through pass-through splits; its value
// fills every last-level slot beneath it.
void FillShallow(const RegressionTree& tree, int node, uint32_t heap, int level,
                 ShallowTree* out) {
  if (level == out->depth) {
    out->leaf[heap - ((1u << out->depth) - 1)] = tree.value[node];
    return;
  }
  if (tree.is_leaf(node)) {
    FillShallow(tree, node, 2 * heap + 1, level + 1, out);
    FillShallow(tree, node, 2 * heap + 2, level + 1, out);
    return;
  }
  out->threshold[heap] = tree.value[node];
  out->split[heap] = SplitWord(tree, node);
  FillShallow(tree, tree.left[node], 2 * heap + 1, level + 1, out);
  FillShallow(tree, tree.right[node], 2 * heap + 2, level + 1, out);
}

ShallowTree CompileShallow(const RegressionTree& tree, int depth) {
  ShallowTree out;
  std::fill(std::begin(out.threshold), std::end(out.threshold), kNaN);
  std::fill(std::begin(out.split), std::end(out.split), 0u);
  std::fill(std::begin(out.leaf), std::end(out.leaf), 0.0f);
  out.depth = depth;
  FillShallow(tree, 0, 0, 0, &out);
  return out;
}

// Breadth-first, so the two children of a split are adjacent (right = left + 1).
void CompileDeep(const RegressionTree& tree, int depth, Layout* layout) {
  DeepTree out;
  out.first_node = static_cast<uint32_t>(layout->deep_nodes.size());
  out.depth = depth;
  std::vector<int> order = {0};  // original node ids, in breadth-first order
  for (size_t k = 0; k < order.size(); ++k) {
    const int node = order[k];
    if (!tree.is_leaf(node)) {
      order.push_back(tree.left[node]);
      order.push_back(tree.right[node]);
    }
  }
  int32_t next_child = 1;
  for (size_t k = 0; k < order.size(); ++k) {
    const int node = order[k];
    if (tree.is_leaf(node)) {
      layout->deep_nodes.push_back(DeepNode{kNaN, 0u, static_cast<int32_t>(k)});
      layout->deep_leaf_values.push_back(tree.value[node]);
    } else {
      layout->deep_nodes.push_back(DeepNode{tree.value[node], SplitWord(tree, node), next_child});
      layout->deep_leaf_values.push_back(0.0f);
      next_child += 2;
    }
  }
  layout->deep_trees.push_back(out);
}

// XGBoost's Sigmoid (src/common/math.h at v1.7.4), operation for operation.
inline float XgboostSigmoid(float x) {
  constexpr float kEps = 1e-16;
  x = std::min(-x, 88.7f);
  const float denom = expf(x) + 1.0f + kEps;
  return 1.0f / denom;
}

}  // namespace

CompiledForest CompiledForest::Compile(const TreeEnsemble& ensemble,
                                       const CompileOptions& options) {
  Layout layout;
  layout.num_features = ensemble.num_features;
  layout.num_trees = ensemble.trees.size();
  layout.base_margin = ensemble.base_margin;
  layout.link = ensemble.link;
  // The AVX-512 kernel's gather offsets (row * features + feature) must fit in int32.
  layout.use_avx512 = options.allow_avx512 && forest_internal::CpuHasAvx512() &&
                      ensemble.num_features <= (1 << 24);
  for (const RegressionTree& tree : ensemble.trees) {
    const int depth = TreeDepth(tree);
    const bool shallow = depth <= kShallowDepth;
    if (layout.segments.empty() || layout.segments.back().shallow != shallow) {
      Segment segment;
      segment.shallow = shallow;
      segment.first = static_cast<uint32_t>(shallow ? layout.shallow_trees.size()
                                                    : layout.deep_trees.size());
      layout.segments.push_back(segment);
    }
    ++layout.segments.back().count;
    if (shallow) {
      layout.shallow_trees.push_back(CompileShallow(tree, depth));
    } else {
      CompileDeep(tree, depth, &layout);
    }
  }
  return CompiledForest(std::move(layout));
}

absl::Status CompiledForest::PredictProbabilities(absl::Span<const float> rows_row_major,
                                                  size_t n_rows, size_t n_features,
                                                  std::vector<float>* out,
                                                  const PredictOptions& options) const {
  return Predict(true, rows_row_major, n_rows, n_features, out, options);
}

absl::Status CompiledForest::PredictMargins(absl::Span<const float> rows_row_major,
                                            size_t n_rows, size_t n_features,
                                            std::vector<float>* out,
                                            const PredictOptions& options) const {
  return Predict(false, rows_row_major, n_rows, n_features, out, options);
}

absl::Status CompiledForest::Predict(bool apply_link, absl::Span<const float> rows,
                                     size_t n_rows, size_t n_features, std::vector<float>* out,
                                     const PredictOptions& options) const {
  if (n_features != static_cast<size_t>(layout_.num_features)) {
    return absl::InvalidArgumentError(absl::StrFormat("rows have %d features; the model reads %d",
                                                      n_features, layout_.num_features));
  }
  if (rows.size() != n_rows * n_features) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%d values for %d rows x %d features", rows.size(), n_rows, n_features));
  }
  out->resize(n_rows);
  const size_t max_threads = std::max<size_t>(1, n_rows / kMinRowsPerThread);
  const size_t threads =
      std::min<size_t>(static_cast<size_t>(std::max(1, options.threads)), max_threads);
  if (threads == 1) {
    PredictRange(apply_link, rows.data(), 0, n_rows, out->data());
    return absl::OkStatus();
  }
  // Contiguous shares in whole blocks; the calling thread takes the first.
  const size_t blocks = (n_rows + kBlockRows - 1) / kBlockRows;
  std::vector<std::thread> helpers;
  helpers.reserve(threads - 1);
  for (size_t k = 1; k < threads; ++k) {
    const size_t begin = std::min(n_rows, blocks * k / threads * kBlockRows);
    const size_t end = std::min(n_rows, blocks * (k + 1) / threads * kBlockRows);
    helpers.emplace_back(
        [this, apply_link, &rows, begin, end, out] {
          PredictRange(apply_link, rows.data(), begin, end, out->data());
        });
  }
  PredictRange(apply_link, rows.data(), 0, std::min(n_rows, blocks / threads * kBlockRows),
               out->data());
  for (std::thread& helper : helpers) helper.join();
  return absl::OkStatus();
}

void CompiledForest::PredictRange(bool apply_link, const float* rows, size_t begin, size_t end,
                                  float* out) const {
  const int cols = layout_.num_features;
  alignas(64) float margins[kBlockRows];
  for (size_t first = begin; first < end; first += kBlockRows) {
    // A last block of fewer rows goes through the scalar kernels, which walk only the
    // rows there are (so one row costs one walk, not 64).
    const int n = static_cast<int>(std::min<size_t>(kBlockRows, end - first));
    const bool full_vectors = layout_.use_avx512 && n == kBlockRows;
    const float* block = rows + first * cols;
    std::fill(std::begin(margins), std::end(margins), layout_.base_margin);
    for (const Segment& segment : layout_.segments) {
      if (!segment.shallow) {
        forest_internal::AddDeepTreesScalar(layout_, &layout_.deep_trees[segment.first],
                                            segment.count, block, n, cols, margins);
      } else if (full_vectors) {
        forest_internal::AddShallowTreesAvx512(&layout_.shallow_trees[segment.first],
                                               segment.count, block, cols, margins);
      } else {
        forest_internal::AddShallowTreesScalar(&layout_.shallow_trees[segment.first],
                                               segment.count, block, n, cols, margins);
      }
    }
    const bool sigmoid = apply_link && layout_.link == OutputLink::kSigmoid;
    for (int r = 0; r < n; ++r) out[first + r] = sigmoid ? XgboostSigmoid(margins[r]) : margins[r];
  }
}

}  // namespace regulation::scoring
