#include "scoring/tree_ensemble.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "scoring/xgboost_json_for_test.h"
#include "testing/status_matchers.h"

namespace regulation::scoring {
namespace {

using ::regulation::testing::StatusIs;

// Root on feature 2 at 0.25 (missing goes right); its left child a leaf, its right child
// a split on feature 0 at -1.5 (missing goes left).
TestTree TwoLevelTree() {
  return {Split(2, 0.25f, 1, 2, false), Leaf(-0.5f), Split(0, -1.5f, 3, 4, true), Leaf(0.125f),
          Leaf(0.75f)};
}

TEST(ReadXgboostJsonModel, ReadsTreesExactly) {
  absl::StatusOr<TreeEnsemble> e =
      ReadXgboostJsonModel(XgboostJsonModel({TwoLevelTree(), {Leaf(0.0625f)}}, 3));
  ASSERT_OK(e);
  EXPECT_EQ(e->objective, "binary:logistic");
  EXPECT_EQ(e->link, OutputLink::kSigmoid);
  EXPECT_EQ(e->num_features, 3);
  EXPECT_EQ(e->base_score, 0.5f);
  EXPECT_EQ(e->base_margin, -logf(1.0f / 0.5f - 1.0f));
  EXPECT_EQ(e->max_depth, 2);
  ASSERT_EQ(e->trees.size(), 2u);
  const RegressionTree& t = e->trees[0];
  EXPECT_EQ(t.left, (std::vector<int32_t>{1, -1, 3, -1, -1}));
  EXPECT_EQ(t.right, (std::vector<int32_t>{2, -1, 4, -1, -1}));
  EXPECT_EQ(t.feature[0], 2u);
  EXPECT_EQ(t.feature[2], 0u);
  EXPECT_EQ(t.value, (std::vector<float>{0.25f, -0.5f, -1.5f, 0.125f, 0.75f}));
  EXPECT_EQ(t.default_left[0], 0);
  EXPECT_EQ(t.default_left[2], 1);
  EXPECT_TRUE(e->trees[1].is_leaf(0));
}

TEST(ReadXgboostJsonModel, ReadsFloatsStraightToFloat) {
  // 16777217 is halfway between the floats 16777216 and 16777218; strtof rounds it to
  // even (16777216). The shortest forms XGBoost writes round-trip by construction.
  absl::StatusOr<TreeEnsemble> e = ReadXgboostJsonModel(
      XgboostJsonModel({{Split(0, 1.99081700e-3f, 1, 2, true), Leaf(16777216.0f), Leaf(-0.3f)}}, 1));
  ASSERT_OK(e);
  EXPECT_EQ(e->trees[0].value[0], 1.99081700e-3f);
  EXPECT_EQ(e->trees[0].value[2], -0.3f);
}

TEST(ReadXgboostJsonModel, TurnsTheBaseScoreIntoAMarginAsTheObjectiveDoes) {
  absl::StatusOr<TreeEnsemble> logistic =
      ReadXgboostJsonModel(XgboostJsonModel({{Leaf(0)}}, 1, "binary:logistic", "2.5E-1"));
  ASSERT_OK(logistic);
  EXPECT_EQ(logistic->base_margin, -logf(1.0f / 0.25f - 1.0f));
  // binary:logitraw takes its base score as a margin already.
  absl::StatusOr<TreeEnsemble> raw =
      ReadXgboostJsonModel(XgboostJsonModel({{Leaf(0)}}, 1, "binary:logitraw", "2.5E-1"));
  ASSERT_OK(raw);
  EXPECT_EQ(raw->link, OutputLink::kIdentity);
  EXPECT_EQ(raw->base_margin, 0.25f);
  absl::StatusOr<TreeEnsemble> squared =
      ReadXgboostJsonModel(XgboostJsonModel({{Leaf(0)}}, 1, "reg:squarederror", "3E0"));
  ASSERT_OK(squared);
  EXPECT_EQ(squared->base_margin, 3.0f);
  EXPECT_EQ(squared->link, OutputLink::kIdentity);
}

TEST(ReadXgboostJsonModel, ModelsOutsideItsScopeAreUnimplemented) {
  const std::string model = XgboostJsonModel({TwoLevelTree()}, 3);
  const std::pair<std::string, std::string> edits[] = {
      {R"("name":"gbtree")", R"("name":"dart")"},
      {R"("name":"binary:logistic")", R"("name":"multi:softprob")"},
      {R"("num_class":"0")", R"("num_class":"3")"},
      {R"("num_target":"1")", R"("num_target":"2")"},
      {R"("tree_info":[0])", R"("tree_info":[1])"},
      {R"("split_type":[0,0,0,0,0])", R"("split_type":[1,0,0,0,0])"},
      {R"("feature_types":[])", R"("feature_types":["q","q","c"])"},
      {R"("split_conditions":[0.25,)", R"("split_conditions":[NaN,)"},
      // Children apart: XGBoost would read node 4 as the right child of node 2.
      {R"("left_children":[1,-1,3,-1,-1])", R"("left_children":[1,-1,4,-1,-1])"},
  };
  for (const auto& [from, to] : edits) {
    const std::string edited = absl::StrReplaceAll(model, {{from, to}});
    ASSERT_NE(edited, model) << from;
    EXPECT_THAT(ReadXgboostJsonModel(edited), StatusIs(absl::StatusCode::kUnimplemented)) << to;
  }
}

TEST(ReadXgboostJsonModel, RefusesInconsistentModels) {
  const std::string model = XgboostJsonModel({TwoLevelTree()}, 3);
  const std::vector<std::vector<std::pair<std::string, std::string>>> edits = {
      {{R"("left_children":[1,-1,3,-1,-1])", R"("left_children":[1,-1,3,-1])"}},  // length
      {{R"("left_children":[1,-1,3,-1,-1])", R"("left_children":[1,-1,9,-1,-1])"}},  // range
      // A cycle: node 2's children are the root and node 1.
      {{R"("left_children":[1,-1,3,-1,-1])", R"("left_children":[1,-1,0,-1,-1])"},
       {R"("right_children":[2,-1,4,-1,-1])", R"("right_children":[2,-1,1,-1,-1])"}},
      {{R"("split_indices":[2,0,0,0,0])", R"("split_indices":[3,0,0,0,0])"}},  // no column 3
      {{R"("split_conditions":[0.25,)", R"("split_conditions":["x",)"}},
      {{R"("base_score":"5E-1")", R"("base_score":"1.5")"}},
      {{R"("learner":)", R"("student":)"}},
  };
  for (const auto& edit : edits) {
    const std::string edited = absl::StrReplaceAll(model, edit);
    ASSERT_NE(edited, model) << edit.front().first;
    EXPECT_THAT(ReadXgboostJsonModel(edited), StatusIs(absl::StatusCode::kInvalidArgument))
        << edit.front().second;
  }
  EXPECT_THAT(ReadXgboostJsonModel("not json"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ReadXgboostJsonModel, RefusesTreesDeeperThanTheLimit) {
  TestTree chain;
  for (int level = 0; level <= kMaxTreeDepth; ++level) {
    const int n = static_cast<int>(chain.size());
    chain.push_back(Split(0, static_cast<float>(level), n + 1, n + 2, true));
    chain.push_back(Leaf(1));
  }
  chain.push_back(Leaf(2));
  EXPECT_THAT(ReadXgboostJsonModel(XgboostJsonModel({chain}, 1)),
              StatusIs(absl::StatusCode::kUnimplemented));
  chain.resize(2 * kMaxTreeDepth - 1);  // 64 splits, the last without its children
  chain.push_back(Leaf(1));
  chain.push_back(Leaf(2));
  absl::StatusOr<TreeEnsemble> at_limit = ReadXgboostJsonModel(XgboostJsonModel({chain}, 1));
  ASSERT_OK(at_limit);
  EXPECT_EQ(at_limit->max_depth, kMaxTreeDepth);
}

}  // namespace
}  // namespace regulation::scoring
