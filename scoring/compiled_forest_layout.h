#ifndef SCORING_COMPILED_FOREST_LAYOUT_H_
#define SCORING_COMPILED_FOREST_LAYOUT_H_

// The arrays a CompiledForest evaluates, and the kernels that walk them (internal to
// compiled_forest.h; see there for the layout's rationale).
//
// A split is a float threshold and a 32-bit split word: the feature index in the low 31
// bits and kMissingGoesRight in bit 31. A row goes right at a split when
//   (x >= threshold) | (isnan(x) & missing_goes_right),
// which for a finite threshold is XGBoost's rule (left when x < threshold; a missing
// value to the default child). A pass-through split (threshold NaN, bit 31 clear) sends
// every row, missing or not, to the left.
//
// Thread safety: plain data; the kernels only read the layout.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "scoring/tree_ensemble.h"

namespace regulation::scoring::forest_internal {

inline constexpr uint32_t kMissingGoesRight = 0x80000000u;
inline constexpr uint32_t kFeatureMask = 0x7fffffffu;
// Rows that go through a tree together: enough independent walks to hide the latency of
// each step's loads (measured: 64 rows ran 1.2 to 1.6 times faster than 16).
inline constexpr int kBlockRows = 64;
// Trees at most this deep are stored complete (ShallowTree).
inline constexpr int kShallowDepth = 6;

// A tree of depth <= kShallowDepth, complete, in heap order: node i's children are
// 2i + 1 and 2i + 2, level l holds nodes 2^l - 1 .. 2^(l+1) - 2, and every leaf is on
// level `depth` (leaf j is heap node 2^depth - 1 + j). Unused entries are pass-through
// splits and zero leaves.
struct alignas(64) ShallowTree {
  float threshold[64];  // 63 used
  uint32_t split[64];   // 63 used
  float leaf[64];
  int32_t depth = 0;
};

// A split or leaf of a deeper tree, in breadth-first order with right = left + 1. A leaf
// is a pass-through split whose left child is itself, so walking `depth` steps from the
// root ends on the row's leaf whatever its level.
struct DeepNode {
  float threshold;
  uint32_t split;
  int32_t left;  // index within the tree's nodes
};

struct DeepTree {
  uint32_t first_node = 0;  // into Layout::deep_nodes and Layout::deep_leaf_values
  int32_t depth = 0;
};

// Consecutive trees of one kind, in model order.
struct Segment {
  bool shallow = true;
  uint32_t first = 0;  // into shallow_trees or deep_trees
  uint32_t count = 0;
};

struct Layout {
  int num_features = 0;
  size_t num_trees = 0;
  float base_margin = 0;
  OutputLink link = OutputLink::kIdentity;
  bool use_avx512 = false;
  std::vector<ShallowTree> shallow_trees;
  std::vector<DeepTree> deep_trees;
  std::vector<DeepNode> deep_nodes;
  std::vector<float> deep_leaf_values;  // per deep node; used at leaves
  std::vector<Segment> segments;        // covering every tree, in order
};

// Each kernel adds, for the rows at `rows` (row-major, `cols` floats each), the leaf
// value of each tree in order to that row's margins[r]. The scalar kernels take any
// 1 <= n_rows <= kBlockRows; the AVX-512 kernel exactly kBlockRows.
void AddShallowTreesScalar(const ShallowTree* trees, size_t count, const float* rows,
                           int n_rows, int cols, float* margins);
void AddDeepTreesScalar(const Layout& layout, const DeepTree* trees, size_t count,
                        const float* rows, int n_rows, int cols, float* margins);
// REQUIRES: the CPU has AVX-512F (CpuHasAvx512()).
void AddShallowTreesAvx512(const ShallowTree* trees, size_t count, const float* rows, int cols,
                           float* margins);
bool CpuHasAvx512();

}  // namespace regulation::scoring::forest_internal

#endif  // SCORING_COMPILED_FOREST_LAYOUT_H_
