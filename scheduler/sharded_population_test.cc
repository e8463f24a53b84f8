#include "scheduler/sharded_population.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "scheduler/draw.h"
#include "scheduler/population.h"
#include "scheduler/roster.h"
#include "scheduler/target_selection.h"
#include "scheduler/testing/draw_fixtures.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler {
namespace {

using ::regulation::scheduler::testing::ResealSpecInputs;
using ::regulation::scheduler::testing::SpecRoster;
using ::regulation::scheduler::testing::SpecRound0Inputs;
using ::regulation::scheduler::testing::TestPopulation;
using ::regulation::testing::StatusIs;

// Hangzhou, Ningbo, Wenzhou and Jiaxing districts: the three shards below split them by
// region-code prefix, as a province's deployment would split its cities.
const std::vector<std::string> kRegions = {"330106", "330203", "330108",
                                           "330302", "330402", "330212"};

// `all`'s rows whose region code starts with one of `prefixes`, frozen.
FrozenPopulation RowsUnder(const FrozenPopulation& all, const std::vector<std::string>& prefixes) {
  FrozenPopulation part;
  for (size_t i = 0; i < all.size(); ++i) {
    for (const std::string& prefix : prefixes) {
      if (absl::StartsWith(all.region_code(i), prefix)) {
        EXPECT_OK(part.Add(all.credit_code(i), all.risk_class(i), all.region_code(i)));
      }
    }
  }
  EXPECT_OK(part.Freeze());
  return part;
}

class ThreeShards : public ::testing::Test {
 protected:
  ThreeShards()
      : all_(TestPopulation(20000, kRegions)),
        hangzhou_rows_(RowsUnder(all_, {"3301"})),
        ningbo_rows_(RowsUnder(all_, {"3302"})),
        south_rows_(RowsUnder(all_, {"3303", "3304"})),
        hangzhou_("3301", &hangzhou_rows_),
        ningbo_("3302", &ningbo_rows_),
        south_("3303+3304", &south_rows_) {}

  const FrozenPopulation all_;
  const FrozenPopulation hangzhou_rows_, ningbo_rows_, south_rows_;
  FrozenPopulationShard hangzhou_, ningbo_, south_;
};

TEST_F(ThreeShards, PartitionTheWholePopulation) {
  EXPECT_EQ(hangzhou_rows_.size() + ningbo_rows_.size() + south_rows_.size(), all_.size());
  EXPECT_GT(hangzhou_rows_.size(), 0u);
  EXPECT_GT(ningbo_rows_.size(), 0u);
  EXPECT_GT(south_rows_.size(), 0u);
}

// What a commit records does not depend on the split: the merged stream is the one
// ascending stream the digests are defined over.
TEST_F(ThreeShards, DigestsAreTheSingleNodeDigests) {
  ShardedPopulation sharded({&south_, &hangzhou_, &ningbo_});
  absl::StatusOr<PopulationDigests> digests = sharded.Digests();
  ASSERT_OK(digests);
  const PopulationDigests expected = all_.Digests();
  EXPECT_EQ(digests->overall, expected.overall);
  EXPECT_EQ(digests->classes, expected.classes);
  EXPECT_EQ(digests->class_sizes, expected.class_sizes);
}

// The property issue 13 asks for: a three-shard draw is byte for byte the one-node draw.
TEST_F(ThreeShards, DrawIsByteForByteTheSingleNodeDraw) {
  DrawInputs inputs = SpecRound0Inputs();
  inputs.population = all_.Digests();
  ResealSpecInputs(&inputs);
  FrozenPopulationSource one_node(&all_);
  absl::StatusOr<DrawResult> expected = RunDraw(inputs, one_node, SpecRoster(), DrawOptions());
  ASSERT_OK(expected);
  ASSERT_GT(expected->bundle.targets.size(), 100u);

  ShardedPopulation sharded({&ningbo_, &south_, &hangzhou_});
  for (int threads : {1, 2, 4}) {
    DrawOptions options;
    options.threads = threads;
    absl::StatusOr<DrawResult> drawn = RunDraw(inputs, sharded, SpecRoster(), options);
    ASSERT_OK(drawn);
    EXPECT_EQ(drawn->bundle_json, expected->bundle_json) << threads << " threads";
    EXPECT_EQ(drawn->bundle_digest, expected->bundle_digest);
    EXPECT_EQ(drawn->target_classes, expected->target_classes);
  }
}

// Exactness of the merge wherever the counts fall: nothing, one a class, more than a shard
// holds, more than the population holds; with and without exclusions.
TEST_F(ThreeShards, SelectionEqualsOneNodeForAnyCountsAndExclusions) {
  const std::string seed = "a3f0c1d2e3f405162738495a6b7c8d9eaf0b1c2d3e4f5061728394a5b6c7d8e9";
  absl::flat_hash_set<std::string> every_seventh;
  for (size_t i = 0; i < all_.size(); i += 7) every_seventh.insert(std::string(all_.credit_code(i)));
  const absl::flat_hash_set<std::string>& excluded = every_seventh;
  ShardedPopulation sharded({&hangzhou_, &ningbo_, &south_});
  for (const std::array<int64_t, kRiskClassCount>& counts :
       std::vector<std::array<int64_t, kRiskClassCount>>{
           {0, 0, 0, 0}, {1, 1, 1, 1}, {300, 150, 40, 12}, {5000, 4000, 4000, 4000}}) {
    const absl::flat_hash_set<std::string> none;
    for (const absl::flat_hash_set<std::string>* exclusions_of_round : {&excluded, &none}) {
      const absl::flat_hash_set<std::string>& exclusions = *exclusions_of_round;
      FrozenPopulationSource one_node(&all_);
      absl::StatusOr<TargetSelection> expected = SelectTargets(one_node, seed, counts, exclusions);
      absl::StatusOr<TargetSelection> merged = SelectTargets(sharded, seed, counts, exclusions);
      ASSERT_OK(expected);
      ASSERT_OK(merged);
      ASSERT_EQ(merged->targets.size(), expected->targets.size());
      for (size_t i = 0; i < expected->targets.size(); ++i) {
        EXPECT_EQ(merged->targets[i].credit_code, expected->targets[i].credit_code) << i;
        EXPECT_EQ(merged->targets[i].risk_class, expected->targets[i].risk_class) << i;
        EXPECT_EQ(merged->targets[i].region_code, expected->targets[i].region_code) << i;
      }
      for (int c = 0; c < kRiskClassCount; ++c) {
        EXPECT_EQ(merged->classes[c].class_size, expected->classes[c].class_size);
        EXPECT_EQ(merged->classes[c].population, expected->classes[c].population);
        EXPECT_EQ(merged->classes[c].selected, expected->classes[c].selected);
        EXPECT_EQ(merged->classes[c].cutoff, expected->classes[c].cutoff);
      }
    }
  }
}

TEST_F(ThreeShards, AnEnterpriseInTwoShardsIsRefusedNamingBoth) {
  FrozenPopulation overlapping = RowsUnder(all_, {"3302", "330302"});
  FrozenPopulationShard bad("3302+330302", &overlapping);
  ShardedPopulation sharded({&hangzhou_, &bad, &south_});
  absl::StatusOr<PopulationDigests> digests = sharded.Digests();
  EXPECT_THAT(digests.status(), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_TRUE(absl::StrContains(digests.status().message(), "in shard 3302+330302 and in shard "
                                                            "3303+3304"))
      << digests.status();
}

// A shard that cannot be reached fails the draw with UNAVAILABLE naming it; nothing is
// drawn from the others alone.
class DownShard : public PopulationShard {
 public:
  const std::string& name() const override { return name_; }
  std::unique_ptr<PopulationCursor> Rows() override { return nullptr; }
  absl::StatusOr<TargetSelection> Select(absl::string_view, const std::array<int64_t, 4>&,
                                         const absl::flat_hash_set<std::string>&,
                                         const SelectionOptions&) override {
    return absl::UnavailableError("connection refused (127.0.0.1:50071)");
  }

 private:
  const std::string name_ = "3302";
};

TEST_F(ThreeShards, AShardDownFailsTheDrawWithUnavailableNamingIt) {
  DrawInputs inputs = SpecRound0Inputs();
  inputs.population = all_.Digests();
  ResealSpecInputs(&inputs);
  DownShard down;
  ShardedPopulation sharded({&hangzhou_, &down, &south_});
  absl::StatusOr<DrawResult> drawn = RunDraw(inputs, sharded, SpecRoster(), DrawOptions());
  EXPECT_THAT(drawn.status(), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_TRUE(absl::StrContains(drawn.status().message(), "shard 3302: connection refused"))
      << drawn.status();
}

}  // namespace
}  // namespace regulation::scheduler
