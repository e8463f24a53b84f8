// The kernels of compiled_forest_layout.h. Each adds leaf values to the margins in tree
// order, one float addition per tree and row, so every kernel gives XGBoost's bits.

#include <immintrin.h>

// GCC 12's AVX-512 intrinsics pass _mm512_undefined_*() as the unused source operand of
// unmasked operations, which -Wmaybe-uninitialized reports once they are inlined here.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <cmath>
#include <cstdint>

#include "scoring/compiled_forest_layout.h"

namespace regulation::scoring::forest_internal {
namespace {

// 1 when a row with value `x` goes right at a split (threshold, split word).
inline uint32_t GoesRight(float x, float threshold, uint32_t split) {
  return static_cast<uint32_t>(x >= threshold) |
         (static_cast<uint32_t>(std::isnan(x)) & (split >> 31));
}

}  // namespace

void AddShallowTreesScalar(const ShallowTree* trees, size_t count, const float* rows,
                           int n_rows, int cols, float* margins) {
  for (size_t t = 0; t < count; ++t) {
    const ShallowTree& tree = trees[t];
    uint32_t node[kBlockRows] = {};
    for (int level = 0; level < tree.depth; ++level) {
      for (int r = 0; r < n_rows; ++r) {
        const uint32_t split = tree.split[node[r]];
        const float x = rows[r * cols + (split & kFeatureMask)];
        node[r] = 2 * node[r] + 1 + GoesRight(x, tree.threshold[node[r]], split);
      }
    }
    const uint32_t first_leaf = (1u << tree.depth) - 1;
    for (int r = 0; r < n_rows; ++r) margins[r] += tree.leaf[node[r] - first_leaf];
  }
}

void AddDeepTreesScalar(const Layout& layout, const DeepTree* trees, size_t count,
                        const float* rows, int n_rows, int cols, float* margins) {
  for (size_t t = 0; t < count; ++t) {
    const DeepNode* nodes = &layout.deep_nodes[trees[t].first_node];
    const float* leaf_values = &layout.deep_leaf_values[trees[t].first_node];
    uint32_t node[kBlockRows] = {};
    for (int level = 0; level < trees[t].depth; ++level) {
      for (int r = 0; r < n_rows; ++r) {
        const DeepNode& n = nodes[node[r]];
        const float x = rows[r * cols + (n.split & kFeatureMask)];
        node[r] = static_cast<uint32_t>(n.left) + GoesRight(x, n.threshold, n.split);
      }
    }
    for (int r = 0; r < n_rows; ++r) margins[r] += leaf_values[node[r]];
  }
}

bool CpuHasAvx512() { return __builtin_cpu_supports("avx512f"); }

namespace {

#define REG_AVX512 __attribute__((target("avx512f")))

// One level: each lane reads its row's feature (a gather), compares, and moves to a
// child: node = 2 * node + 1 + goes_right.
REG_AVX512 inline __m512i Step(__m512i node, const float* rows, __m512i row_offsets,
                               __m512 threshold, __m512i split) {
  const __m512i index =
      _mm512_add_epi32(row_offsets, _mm512_and_si512(split, _mm512_set1_epi32(kFeatureMask)));
  const __m512 x = _mm512_i32gather_ps(index, rows, 4);
  const __mmask16 at_or_above = _mm512_cmp_ps_mask(x, threshold, _CMP_GE_OQ);
  const __mmask16 missing = _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q);
  // Bit 31 of the split word (kMissingGoesRight) makes it negative as an int32.
  const __mmask16 missing_right = _mm512_cmplt_epi32_mask(split, _mm512_setzero_si512());
  const __mmask16 right = at_or_above | (missing & missing_right);
  const __m512i one = _mm512_set1_epi32(1);
  const __m512i left = _mm512_add_epi32(_mm512_add_epi32(node, node), one);
  return _mm512_mask_add_epi32(left, right, left, one);
}

}  // namespace

// The block's rows are four vectors of sixteen; the four walk each tree side by side, so
// the latency of one vector's gathers hides behind the work of the other three.
REG_AVX512 void AddShallowTreesAvx512(const ShallowTree* trees, size_t count, const float* rows,
                                      int cols, float* margins) {
  constexpr int kVectors = kBlockRows / 16;
  static_assert(kVectors * 16 == kBlockRows, "a block is whole vectors of 16 rows");
  const __m512i lanes = _mm512_mullo_epi32(
      _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
      _mm512_set1_epi32(cols));
  __m512i row_offsets[kVectors];
  __m512 margin[kVectors];
  for (int v = 0; v < kVectors; ++v) {
    row_offsets[v] = _mm512_add_epi32(lanes, _mm512_set1_epi32(v * 16 * cols));
    margin[v] = _mm512_loadu_ps(margins + 16 * v);
  }
  for (size_t t = 0; t < count; ++t) {
    const ShallowTree& tree = trees[t];
    const int depth = tree.depth;
    __m512i node[kVectors];
    for (int v = 0; v < kVectors; ++v) node[v] = _mm512_setzero_si512();
    // Levels 0-3 (nodes 0-14): one register of thresholds and one of split words,
    // indexed by the node.
    {
      const __m512 threshold = _mm512_load_ps(tree.threshold);
      const __m512i split = _mm512_load_si512(tree.split);
      const int top = depth < 4 ? depth : 4;
      for (int level = 0; level < top; ++level) {
        for (int v = 0; v < kVectors; ++v) {
          node[v] = Step(node[v], rows, row_offsets[v], _mm512_permutexvar_ps(node[v], threshold),
                         _mm512_permutexvar_epi32(node[v], split));
        }
      }
    }
    // Level 4 (nodes 15-30): one register each, indexed by node - 15.
    if (depth > 4) {
      const __m512 threshold = _mm512_loadu_ps(tree.threshold + 15);
      const __m512i split = _mm512_loadu_si512(tree.split + 15);
      for (int v = 0; v < kVectors; ++v) {
        const __m512i j = _mm512_sub_epi32(node[v], _mm512_set1_epi32(15));
        node[v] = Step(node[v], rows, row_offsets[v], _mm512_permutexvar_ps(j, threshold),
                       _mm512_permutexvar_epi32(j, split));
      }
    }
    // Level 5 (nodes 31-62): two registers each, indexed by node - 31.
    if (depth > 5) {
      const __m512 threshold_low = _mm512_loadu_ps(tree.threshold + 31);
      const __m512 threshold_high = _mm512_loadu_ps(tree.threshold + 47);
      const __m512i split_low = _mm512_loadu_si512(tree.split + 31);
      const __m512i split_high = _mm512_loadu_si512(tree.split + 47);
      for (int v = 0; v < kVectors; ++v) {
        const __m512i j = _mm512_sub_epi32(node[v], _mm512_set1_epi32(31));
        node[v] = Step(node[v], rows, row_offsets[v],
                       _mm512_permutex2var_ps(threshold_low, j, threshold_high),
                       _mm512_permutex2var_epi32(split_low, j, split_high));
      }
    }
    // The leaves: 64 entries in four registers, indexed by node - (2^depth - 1).
    const __m512 leaf0 = _mm512_load_ps(tree.leaf);
    const __m512 leaf1 = _mm512_load_ps(tree.leaf + 16);
    const __m512 leaf2 = _mm512_load_ps(tree.leaf + 32);
    const __m512 leaf3 = _mm512_load_ps(tree.leaf + 48);
    const __m512i first_leaf = _mm512_set1_epi32((1 << depth) - 1);
    for (int v = 0; v < kVectors; ++v) {
      const __m512i j = _mm512_sub_epi32(node[v], first_leaf);
      const __m512 low = _mm512_permutex2var_ps(leaf0, j, leaf1);
      const __m512 high = _mm512_permutex2var_ps(leaf2, j, leaf3);
      const __mmask16 upper = _mm512_test_epi32_mask(j, _mm512_set1_epi32(32));
      margin[v] = _mm512_add_ps(margin[v], _mm512_mask_blend_ps(upper, low, high));
    }
  }
  for (int v = 0; v < kVectors; ++v) _mm512_storeu_ps(margins + 16 * v, margin[v]);
}

#undef REG_AVX512

}  // namespace regulation::scoring::forest_internal
