#ifndef SCORING_TREE_ENSEMBLE_H_
#define SCORING_TREE_ENSEMBLE_H_

// A tree model as XGBoost 1.7.4 holds it, read from the JSON XGBoost writes
// (XGBoosterSaveModelToBuffer with {"format": "json"}), with exactly XGBoost's floats:
// the input of the compiled predictor (compiled_forest.h).
//
//   REG_ASSIGN_OR_RETURN(TreeEnsemble ensemble, ReadXgboostJsonModel(json));
//
// XGBoost predicts a row as follows (src/predictor/cpu_predictor.cc, predict_fn.h,
// learner.cc and objective/regression_loss.h at v1.7.4), and a TreeEnsemble keeps what
// each step needs:
//   1. margin = base_margin: the model's base_score turned into a margin by the
//      objective (binary:logistic and reg:logistic: -logf(1.0f / base_score - 1.0f);
//      binary:logitraw and reg:squarederror: base_score itself), as a float;
//   2. for each tree in model order: walk from the root; at a split, a missing (NaN)
//      feature goes to the default child, otherwise the row goes left when
//      value < threshold (float comparison) and right otherwise, where the right child
//      is always the node after the left one (XGBoost reads no other); add the leaf value
//      to the margin, in float (margin += leaf);
//   3. the objective's link: binary:logistic applies XGBoost's Sigmoid,
//      1.0f / (expf(min(-margin, 88.7f)) + 1.0f + 1e-16f).
//
// What is read: gbtree boosters with one output (num_class 0 or 1, num_target 1), every
// tree in output group 0, numerical splits only, the right child of every split stored
// right after its left child (as XGBoost's tree builder allocates them), objectives
// binary:logistic, reg:logistic, binary:logitraw and reg:squarederror. Anything else is
// UNIMPLEMENTED, so a caller can keep predicting with XGBoost.
//
// Thread safety: plain values; ReadXgboostJsonModel is a pure function.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation::scoring {

// One regression tree in XGBoost's node arrays, indexed by node id; node 0 is the root.
// Nodes no path from the root reaches (XGBoost's deleted nodes) are kept as they are.
struct RegressionTree {
  // Children of a split; -1 for a leaf.
  std::vector<int32_t> left;
  std::vector<int32_t> right;
  // The feature a split reads (column index).
  std::vector<uint32_t> feature;
  // A split's threshold, or a leaf's value (XGBoost stores both in one field).
  std::vector<float> value;
  // 1 when a missing value goes to the left child.
  std::vector<uint8_t> default_left;

  int num_nodes() const { return static_cast<int>(left.size()); }
  bool is_leaf(int node) const { return left[node] < 0; }
};

// How the margin becomes the output (step 3 above).
enum class OutputLink {
  kIdentity,  // binary:logitraw, reg:squarederror
  kSigmoid,   // binary:logistic, reg:logistic
};

struct TreeEnsemble {
  // XGBoost's objective name, e.g. "binary:logistic".
  std::string objective;
  OutputLink link = OutputLink::kIdentity;
  // The base score as the model stores it (e.g. 0.5), and as a margin (step 1).
  float base_score = 0;
  float base_margin = 0;
  // Columns a row has.
  int num_features = 0;
  // In model order, which is the order their leaf values are added.
  std::vector<RegressionTree> trees;
  // Depth of the deepest leaf over all trees (0 when every tree is a single leaf).
  int max_depth = 0;
};

// Deepest tree ReadXgboostJsonModel accepts (UNIMPLEMENTED beyond).
inline constexpr int kMaxTreeDepth = 64;

// Reads `json`, a model XGBoost 1.7 saved as JSON. INVALID_ARGUMENT when it is not such
// a model or is inconsistent (arrays of different lengths, a child out of range, a node
// reached twice, a feature outside the model's columns); UNIMPLEMENTED for models outside
// the scope above, for non-finite thresholds or leaf values, and for trees deeper than
// kMaxTreeDepth.
absl::StatusOr<TreeEnsemble> ReadXgboostJsonModel(absl::string_view json);

}  // namespace regulation::scoring

#endif  // SCORING_TREE_ENSEMBLE_H_
