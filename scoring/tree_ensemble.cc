#include "scoring/tree_ensemble.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "scoring/json_document.h"

namespace regulation::scoring {
namespace {

absl::Status Invalid(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("XGBoost JSON model: ", what));
}

absl::Status Unsupported(absl::string_view what) {
  return absl::UnimplementedError(absl::StrCat("XGBoost JSON model: ", what));
}

absl::StatusOr<const JsonValue*> Member(const JsonValue& object, absl::string_view key,
                                        absl::string_view where) {
  const JsonValue* value = object.Find(key);
  if (value == nullptr) return Invalid(absl::StrCat(where, " has no \"", key, "\""));
  return value;
}

// A float exactly as XGBoost wrote it: XGBoost prints floats in their shortest round-trip
// form, so reading the text straight to float (never through a double) gives its float.
absl::StatusOr<float> ReadFloat(absl::string_view text, absl::string_view where) {
  const std::string copy(text);
  char* end = nullptr;
  const float value = std::strtof(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size()) {
    return Invalid(absl::StrCat(where, ": \"", text, "\" is not a number"));
  }
  return value;
}

// Numbers written as JSON numbers or, as XGBoost writes its parameters, as strings.
absl::StatusOr<int64_t> ReadInteger(const JsonValue& value, absl::string_view where) {
  int64_t out = 0;
  if ((!value.is_number() && !value.is_string()) || !absl::SimpleAtoi(value.text(), &out)) {
    return Invalid(absl::StrCat(where, " is not an integer"));
  }
  return out;
}

absl::StatusOr<const std::vector<JsonValue>*> ArrayOf(const JsonValue& tree, absl::string_view key,
                                                       size_t expected, absl::string_view where) {
  REG_ASSIGN_OR_RETURN(const JsonValue* array, Member(tree, key, where));
  if (!array->is_array()) return Invalid(absl::StrCat(where, ".", key, " is not an array"));
  if (expected != std::numeric_limits<size_t>::max() && array->elements().size() != expected) {
    return Invalid(absl::StrFormat("%s.%s has %d entries for %d nodes", where, key,
                                   array->elements().size(), expected));
  }
  return &array->elements();
}

// Walks the tree from its root: every child must be a node, no node may be reached twice
// (so there is no cycle), every split must read a column of the model, and the values on
// the paths must be finite. Returns the depth of the deepest leaf.
absl::StatusOr<int> CheckTree(const RegressionTree& tree, int num_features,
                              absl::string_view where) {
  const int n = tree.num_nodes();
  std::vector<uint8_t> seen(n, 0);
  std::vector<std::pair<int, int>> stack = {{0, 0}};  // (node, depth)
  int max_depth = 0;
  while (!stack.empty()) {
    const auto [node, depth] = stack.back();
    stack.pop_back();
    if (seen[node]) return Invalid(absl::StrFormat("%s: node %d is reached twice", where, node));
    seen[node] = 1;
    if (!std::isfinite(tree.value[node])) {
      return Unsupported(absl::StrFormat("%s: node %d holds a non-finite value", where, node));
    }
    if (tree.is_leaf(node)) {
      if (tree.right[node] >= 0) {
        return Invalid(absl::StrFormat("%s: leaf %d has a right child", where, node));
      }
      max_depth = std::max(max_depth, depth);
      continue;
    }
    if (depth + 1 > kMaxTreeDepth) {
      return Unsupported(absl::StrFormat("%s is deeper than %d", where, kMaxTreeDepth));
    }
    if (tree.feature[node] >= static_cast<uint32_t>(num_features)) {
      return Invalid(absl::StrFormat("%s: node %d reads feature %d of %d", where, node,
                                     tree.feature[node], num_features));
    }
    // XGBoost 1.7.4's predictor never reads the right child: it takes left + 1
    // (predict_fn.h), which is what its tree builder allocates. A tree stored otherwise
    // would be walked differently by XGBoost's predict and by its own structure.
    if (tree.right[node] != tree.left[node] + 1) {
      return Unsupported(absl::StrFormat("%s: the children of node %d are not side by side",
                                         where, node));
    }
    for (int child : {tree.left[node], tree.right[node]}) {
      if (child < 0 || child >= n) {
        return Invalid(absl::StrFormat("%s: node %d has child %d of %d nodes", where, node, child, n));
      }
      stack.emplace_back(child, depth + 1);
    }
  }
  return max_depth;
}

absl::StatusOr<RegressionTree> ReadTree(const JsonValue& tree,
                                        absl::string_view where) {
  if (!tree.is_object()) return Invalid(absl::StrCat(where, " is not an object"));
  REG_ASSIGN_OR_RETURN(const JsonValue* param, Member(tree, "tree_param", where));
  REG_ASSIGN_OR_RETURN(const JsonValue* num_nodes_json, Member(*param, "num_nodes", where));
  REG_ASSIGN_OR_RETURN(const int64_t num_nodes, ReadInteger(*num_nodes_json, "num_nodes"));
  if (num_nodes < 1 || num_nodes > std::numeric_limits<int32_t>::max()) {
    return Invalid(absl::StrFormat("%s has %d nodes", where, num_nodes));
  }
  if (const JsonValue* leaf_vector = param->Find("size_leaf_vector"); leaf_vector != nullptr) {
    REG_ASSIGN_OR_RETURN(const int64_t size, ReadInteger(*leaf_vector, "size_leaf_vector"));
    if (size != 0) return Unsupported(absl::StrCat(where, " has vector leaves"));
  }
  const size_t n = static_cast<size_t>(num_nodes);
  REG_ASSIGN_OR_RETURN(const auto* split_type, ArrayOf(tree, "split_type", n, where));
  for (const JsonValue& type : *split_type) {
    if (type.text() != "0") return Unsupported(absl::StrCat(where, " has categorical splits"));
  }
  if (const JsonValue* categories = tree.Find("categories");
      categories != nullptr && !categories->elements().empty()) {
    return Unsupported(absl::StrCat(where, " has categorical splits"));
  }
  REG_ASSIGN_OR_RETURN(const auto* lefts, ArrayOf(tree, "left_children", n, where));
  REG_ASSIGN_OR_RETURN(const auto* rights, ArrayOf(tree, "right_children", n, where));
  REG_ASSIGN_OR_RETURN(const auto* features, ArrayOf(tree, "split_indices", n, where));
  REG_ASSIGN_OR_RETURN(const auto* values, ArrayOf(tree, "split_conditions", n, where));
  REG_ASSIGN_OR_RETURN(const auto* defaults, ArrayOf(tree, "default_left", n, where));

  RegressionTree out;
  out.left.resize(n);
  out.right.resize(n);
  out.feature.resize(n);
  out.value.resize(n);
  out.default_left.resize(n);
  for (size_t i = 0; i < n; ++i) {
    REG_ASSIGN_OR_RETURN(const int64_t left, ReadInteger((*lefts)[i], "left_children"));
    REG_ASSIGN_OR_RETURN(const int64_t right, ReadInteger((*rights)[i], "right_children"));
    REG_ASSIGN_OR_RETURN(const int64_t feature, ReadInteger((*features)[i], "split_indices"));
    const JsonValue& value = (*values)[i];
    if (!value.is_number()) return Invalid(absl::StrCat(where, ".split_conditions: not numbers"));
    REG_ASSIGN_OR_RETURN(out.value[i], ReadFloat(value.text(), "split_conditions"));
    const JsonValue& default_left = (*defaults)[i];
    int64_t flag = 0;
    if (default_left.kind() == JsonValue::Kind::kBool) {
      flag = default_left.boolean() ? 1 : 0;
    } else {
      REG_ASSIGN_OR_RETURN(flag, ReadInteger(default_left, "default_left"));
    }
    if (left < -1 || left >= num_nodes || right < -1 || right >= num_nodes || feature < 0 ||
        feature > std::numeric_limits<int32_t>::max() || (flag != 0 && flag != 1)) {
      return Invalid(absl::StrFormat("%s: node %d is out of range", where, i));
    }
    out.left[i] = static_cast<int32_t>(left);
    out.right[i] = static_cast<int32_t>(right);
    out.feature[i] = static_cast<uint32_t>(feature);
    out.default_left[i] = static_cast<uint8_t>(flag);
  }
  return out;
}

// Step 1 of the header: the objective's ProbToMargin and PredTransform (XGBoost 1.7.4,
// src/objective/regression_loss.h).
absl::Status ReadObjective(const JsonValue& learner, float base_score, TreeEnsemble* out) {
  REG_ASSIGN_OR_RETURN(const JsonValue* objective, Member(learner, "objective", "learner"));
  REG_ASSIGN_OR_RETURN(const JsonValue* name, Member(*objective, "name", "learner.objective"));
  out->objective = name->text();
  out->base_score = base_score;
  if (out->objective == "binary:logistic" || out->objective == "reg:logistic") {
    if (!(base_score > 0.0f && base_score < 1.0f)) {
      return Invalid(absl::StrCat("base_score ", base_score, " is not in (0, 1)"));
    }
    out->base_margin = -logf(1.0f / base_score - 1.0f);
    out->link = OutputLink::kSigmoid;
    return absl::OkStatus();
  }
  // LogisticRaw overrides ProbToMargin: its base score is already a margin.
  if (out->objective == "binary:logitraw" || out->objective == "reg:squarederror") {
    out->base_margin = base_score;
    out->link = OutputLink::kIdentity;
    return absl::OkStatus();
  }
  return Unsupported(absl::StrCat("objective ", out->objective));
}

}  // namespace

absl::StatusOr<TreeEnsemble> ReadXgboostJsonModel(absl::string_view json) {
  REG_ASSIGN_OR_RETURN(const JsonValue document, ParseJson(json));
  if (!document.is_object()) return Invalid("not an object");
  REG_ASSIGN_OR_RETURN(const JsonValue* learner, Member(document, "learner", "the model"));

  REG_ASSIGN_OR_RETURN(const JsonValue* booster,
                       Member(*learner, "gradient_booster", "learner"));
  REG_ASSIGN_OR_RETURN(const JsonValue* booster_name,
                       Member(*booster, "name", "learner.gradient_booster"));
  if (booster_name->text() != "gbtree") {
    return Unsupported(absl::StrCat("booster ", booster_name->text()));
  }
  if (const JsonValue* types = learner->Find("feature_types"); types != nullptr) {
    for (const JsonValue& type : types->elements()) {
      if (type.text() == "c") return Unsupported("categorical features");
    }
  }

  REG_ASSIGN_OR_RETURN(const JsonValue* param, Member(*learner, "learner_model_param", "learner"));
  REG_ASSIGN_OR_RETURN(const JsonValue* num_feature, Member(*param, "num_feature", "parameters"));
  REG_ASSIGN_OR_RETURN(const int64_t features, ReadInteger(*num_feature, "num_feature"));
  if (features < 1 || features > std::numeric_limits<int32_t>::max()) {
    return Invalid(absl::StrCat("num_feature is ", features));
  }
  for (absl::string_view key : {"num_class", "num_target"}) {
    if (const JsonValue* value = param->Find(key); value != nullptr) {
      REG_ASSIGN_OR_RETURN(const int64_t count, ReadInteger(*value, key));
      if (count > 1) return Unsupported(absl::StrCat(key, " is ", count));
    }
  }
  REG_ASSIGN_OR_RETURN(const JsonValue* base_score_json, Member(*param, "base_score", "parameters"));
  REG_ASSIGN_OR_RETURN(const float base_score, ReadFloat(base_score_json->text(), "base_score"));

  TreeEnsemble ensemble;
  ensemble.num_features = static_cast<int>(features);
  REG_RETURN_IF_ERROR(ReadObjective(*learner, base_score, &ensemble));

  REG_ASSIGN_OR_RETURN(const JsonValue* model, Member(*booster, "model", "gradient_booster"));
  REG_ASSIGN_OR_RETURN(const auto* trees,
                       ArrayOf(*model, "trees", std::numeric_limits<size_t>::max(), "model"));
  REG_ASSIGN_OR_RETURN(const auto* tree_info, ArrayOf(*model, "tree_info", trees->size(), "model"));
  for (const JsonValue& group : *tree_info) {
    if (group.text() != "0") return Unsupported("trees of more than one output group");
  }
  ensemble.trees.reserve(trees->size());
  for (size_t t = 0; t < trees->size(); ++t) {
    const std::string where = absl::StrCat("tree ", t);
    REG_ASSIGN_OR_RETURN(RegressionTree tree, ReadTree((*trees)[t], where));
    REG_ASSIGN_OR_RETURN(const int depth, CheckTree(tree, ensemble.num_features, where));
    ensemble.max_depth = std::max(ensemble.max_depth, depth);
    ensemble.trees.push_back(std::move(tree));
  }
  return ensemble;
}

}  // namespace regulation::scoring
