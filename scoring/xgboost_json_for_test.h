#ifndef SCORING_XGBOOST_JSON_FOR_TEST_H_
#define SCORING_XGBOOST_JSON_FOR_TEST_H_

// Hand-written tree models in XGBoost 1.7's JSON schema, which XGBoost itself loads
// (Booster::Load): for tests that need trees the trainer would not grow (a tree that is
// one leaf, leaves at several depths, node ids in any order, other objectives).
//
// Thread safety: pure functions.

#include <string>
#include <vector>

namespace regulation::scoring {

// A node: a split when `left` >= 0 (then `right` too), otherwise a leaf of `value`.
struct TestNode {
  int left = -1;
  int right = -1;
  int feature = 0;
  float value = 0;  // threshold of a split, value of a leaf
  bool default_left = true;
};
using TestTree = std::vector<TestNode>;  // node 0 is the root

inline TestNode Split(int feature, float threshold, int left, int right, bool default_left) {
  return TestNode{left, right, feature, threshold, default_left};
}
inline TestNode Leaf(float value) { return TestNode{-1, -1, 0, value, false}; }

// The JSON of a gbtree model with these trees. Floats are printed with 9 significant
// digits, which read back to the same float.
std::string XgboostJsonModel(const std::vector<TestTree>& trees, int num_features,
                             const std::string& objective = "binary:logistic",
                             const std::string& base_score = "5E-1");

}  // namespace regulation::scoring

#endif  // SCORING_XGBOOST_JSON_FOR_TEST_H_
