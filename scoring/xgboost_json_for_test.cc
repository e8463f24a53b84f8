#include "scoring/xgboost_json_for_test.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace regulation::scoring {
namespace {

// XGBoost reads "1" as an integer and refuses it where a float is expected.
std::string Float(float value) {
  std::string text = absl::StrFormat("%.9g", value);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

std::string Floats(const TestTree& tree, const std::function<float(const TestNode&)>& field) {
  std::vector<std::string> out;
  for (const TestNode& node : tree) out.push_back(Float(field(node)));
  return absl::StrCat("[", absl::StrJoin(out, ","), "]");
}

std::string Ints(const std::vector<int>& values) {
  return absl::StrCat("[", absl::StrJoin(values, ","), "]");
}

std::string TreeJson(const TestTree& tree, int id, int num_features) {
  const int n = static_cast<int>(tree.size());
  std::vector<int> left, right, parent(n, 2147483647), feature, default_left, zeros(n, 0);
  for (int i = 0; i < n; ++i) {
    left.push_back(tree[i].left);
    right.push_back(tree[i].right);
    feature.push_back(tree[i].left >= 0 ? tree[i].feature : 0);
    default_left.push_back(tree[i].default_left ? 1 : 0);
    if (tree[i].left >= 0) parent[tree[i].left] = parent[tree[i].right] = i;
  }
  return absl::StrCat(
      R"({"base_weights":)", Floats(tree, [](const TestNode& n) { return n.value; }),
      R"(,"categories":[],"categories_nodes":[],"categories_segments":[],"categories_sizes":[],)",
      R"("default_left":)", Ints(default_left), R"(,"id":)", id,
      R"(,"left_children":)", Ints(left),
      R"(,"loss_changes":)", Floats(tree, [](const TestNode&) { return 0.0f; }),
      R"(,"parents":)", Ints(parent), R"(,"right_children":)", Ints(right),
      R"(,"split_conditions":)", Floats(tree, [](const TestNode& n) { return n.value; }),
      R"(,"split_indices":)", Ints(feature), R"(,"split_type":)", Ints(zeros),
      R"(,"sum_hessian":)", Floats(tree, [](const TestNode&) { return 1.0f; }),
      R"(,"tree_param":{"num_deleted":"0","num_feature":")", num_features,
      R"(","num_nodes":")", n, R"(","size_leaf_vector":"0"}})");
}

}  // namespace

std::string XgboostJsonModel(const std::vector<TestTree>& trees, int num_features,
                             const std::string& objective, const std::string& base_score) {
  std::vector<std::string> tree_json;
  std::vector<int> tree_info;
  for (size_t t = 0; t < trees.size(); ++t) {
    tree_json.push_back(TreeJson(trees[t], static_cast<int>(t), num_features));
    tree_info.push_back(0);
  }
  return absl::StrCat(
      R"({"learner":{"attributes":{},"feature_names":[],"feature_types":[],)",
      R"("gradient_booster":{"model":{"gbtree_model_param":{"num_parallel_tree":"1","num_trees":")",
      trees.size(), R"(","size_leaf_vector":"0"},"tree_info":)", Ints(tree_info),
      R"(,"trees":[)", absl::StrJoin(tree_json, ","), R"(]},"name":"gbtree"},)",
      R"("learner_model_param":{"base_score":")", base_score,
      R"(","boost_from_average":"1","num_class":"0","num_feature":")", num_features,
      R"(","num_target":"1"},"objective":{"name":")", objective,
      R"(","reg_loss_param":{"scale_pos_weight":"1"}}},"version":[1,7,4]})");
}

}  // namespace regulation::scoring
