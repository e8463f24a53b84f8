// A plan's population read from region shards (sharded_population.h) is exactly the
// population one node holding every enterprise reads: the same rows, classes and order,
// for region prefixes inside one shard, spanning shards and spanning provinces, and for
// an enterprise whose registered region moved out of the region its code names. So a plan
// committed over shards freezes, and draws, what the single node would.

#include "services/shards/sharded_population.h"

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/enterprise.pb.h"
#include "regulation/v1/scoring.pb.h"
#include "scheduler/testing/draw_fixtures.h"
#include "services/seams/local_population.h"
#include "services/seams/testing/population_rows.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using storage::ColumnFamily;
using ::testing::HasSubstr;
using testing::ReadPopulation;

constexpr int kEnterprises = 6000;

constexpr char kMap[] = R"json({"shards": [
  {"name": "hangzhou", "address": "hz:1", "regionPrefixes": ["3301"]},
  {"name": "zhejiang", "address": "zj:1", "regionPrefixes": ["33"]},
  {"name": "guangdong", "address": "gd:1", "regionPrefixes": ["44"]}
]})json";

std::string Describe(const PopulationRow& row) {
  return absl::StrCat(row.credit_code, " ", row.region_code, " ", row.industry_code, " ",
                      row.status, " ", row.model_class, " ", row.official_class, " ",
                      row.dishonest_listed);
}

class ShardedPopulationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    map_ = std::make_unique<ShardMap>(*ShardMap::FromJson(kMap));
    std::mt19937 random(13);
    const char* regions[] = {"330106", "330102", "330203", "330782", "440103", "440305"};
    storage::WriteBatch everything;
    std::vector<storage::WriteBatch> by_shard(3);
    for (int i = 0; i < kEnterprises; ++i) {
      const std::string region = regions[random() % 6];
      v1::Enterprise e;
      e.set_credit_code(scheduler::testing::TestCreditCode(i, region));
      // Every 97th enterprise moved its registered region to Guangdong: its code (the
      // shard key) still names Zhejiang.
      e.set_region_code(i % 97 == 0 ? "440103" : region);
      e.set_industry_code(i % 5 == 0 ? "F5211" : "C1310");
      e.set_status(i % 13 == 0 ? v1::ENTERPRISE_STATUS_SUSPENDED : v1::ENTERPRISE_STATUS_OPERATING);
      const size_t shard = ShardIndex(e.credit_code());
      everything.Put(ColumnFamily::kEnterprises, e.credit_code(), e.SerializeAsString());
      by_shard[shard].Put(ColumnFamily::kEnterprises, e.credit_code(), e.SerializeAsString());
      if (random() % 10 < 8) {
        v1::RiskScore score;
        score.set_credit_code(e.credit_code());
        score.set_risk_class(static_cast<v1::RiskClass>(1 + random() % 4));
        everything.Put(ColumnFamily::kScores, e.credit_code(), score.SerializeAsString());
        by_shard[shard].Put(ColumnFamily::kScores, e.credit_code(), score.SerializeAsString());
      }
    }
    ASSERT_OK(one_node_->Write(everything));
    std::vector<PopulationShard> shards;
    for (size_t s = 0; s < 3; ++s) {
      stores_.push_back(storage::NewMemoryStore());
      ASSERT_OK(stores_.back()->Write(by_shard[s]));
      portraits_.push_back(std::make_unique<LocalPortraitPopulation>(stores_.back().get()));
      classes_.push_back(std::make_unique<LocalStoredClasses>(stores_.back().get()));
      // Listed out of the map's order: the merge must not depend on it.
      shards.insert(shards.begin(), {map_->config().shards(static_cast<int>(s)).name(),
                                     portraits_.back().get(), classes_.back().get()});
    }
    sharded_portrait_ = std::make_unique<ShardedPortraitPopulation>(map_.get(), shards);
    sharded_classes_ = std::make_unique<ShardedStoredClasses>(shards);
    sharded_ = std::make_unique<PopulationFeed>(sharded_portrait_.get(), sharded_classes_.get());
  }

  size_t ShardIndex(const std::string& code) const {
    const std::string name = (*map_->ForCreditCode(code))->name();
    for (int s = 0; s < map_->config().shards_size(); ++s) {
      if (map_->config().shards(s).name() == name) return static_cast<size_t>(s);
    }
    return 0;
  }

  std::unique_ptr<ShardMap> map_;
  std::unique_ptr<storage::KvStore> one_node_ = storage::NewMemoryStore();
  LocalPopulationFeed single_{one_node_.get()};
  std::vector<std::unique_ptr<storage::KvStore>> stores_;
  std::vector<std::unique_ptr<LocalPortraitPopulation>> portraits_;
  std::vector<std::unique_ptr<LocalStoredClasses>> classes_;
  std::unique_ptr<ShardedPortraitPopulation> sharded_portrait_;
  std::unique_ptr<ShardedStoredClasses> sharded_classes_;
  std::unique_ptr<PopulationFeed> sharded_;
};

TEST_F(ShardedPopulationTest, ShardsReadAsOneAreTheSingleNodesPopulation) {
  // One shard's city, a province over two shards, two provinces (a joint plan), everything.
  for (const std::string prefix : {"3301", "33", "44", ""}) {
    for (int batch_size : {1, 97, 4096}) {
      PopulationQuery query;
      query.region_prefix = prefix;
      query.batch_size = batch_size;
      ASSERT_OK_AND_ASSIGN(std::vector<PopulationRow> here, ReadPopulation(single_.feed(), query));
      ASSERT_OK_AND_ASSIGN(std::vector<PopulationRow> there, ReadPopulation(sharded_.get(), query));
      ASSERT_EQ(there.size(), here.size()) << prefix << " " << batch_size;
      ASSERT_GT(here.size(), 500u) << prefix;
      for (size_t i = 0; i < here.size(); ++i) {
        ASSERT_EQ(Describe(there[i]), Describe(here[i])) << prefix << " row " << i;
      }
    }
  }
  // The moved enterprises are in Guangdong's population although Zhejiang's shards hold
  // them.
  PopulationQuery guangdong;
  guangdong.region_prefix = "44";
  ASSERT_OK_AND_ASSIGN(std::vector<PopulationRow> rows, ReadPopulation(sharded_.get(), guangdong));
  int moved = 0;
  for (const PopulationRow& row : rows) moved += row.credit_code.substr(2, 2) == "33";
  EXPECT_GT(moved, 10);
}

TEST_F(ShardedPopulationTest, LookupsGoToEachCodesShard) {
  std::vector<std::string> codes;
  for (int i = 0; i < kEnterprises; i += 7) {
    codes.push_back(scheduler::testing::TestCreditCode(i, i % 2 ? "330106" : "440305"));
  }
  codes.push_back(scheduler::testing::TestCreditCode(1, "110105"));  // no shard holds Beijing
  ASSERT_OK_AND_ASSIGN(auto here, single_.feed()->GetEnterprises(codes));
  ASSERT_OK_AND_ASSIGN(auto there, sharded_->GetEnterprises(codes));
  ASSERT_EQ(there.size(), codes.size());
  int found = 0;
  for (size_t i = 0; i + 1 < codes.size(); ++i) {
    ASSERT_EQ(there[i].ok(), here[i].ok()) << codes[i];
    if (here[i].ok()) {
      ++found;
      EXPECT_EQ(there[i]->SerializeAsString(), here[i]->SerializeAsString());
    }
  }
  EXPECT_GT(found, 50);
  EXPECT_THAT(there.back().status(), StatusIs(absl::StatusCode::kNotFound, HasSubstr("110105")));
}

TEST_F(ShardedPopulationTest, AnEnterpriseHeldByTwoShardsIsRefusedNamingBoth) {
  // A copy of one Hangzhou enterprise left in Zhejiang's shard (a move half done).
  PopulationQuery hangzhou;
  hangzhou.region_prefix = "3301";
  ASSERT_OK_AND_ASSIGN(std::vector<PopulationRow> rows, ReadPopulation(single_.feed(), hangzhou));
  ASSERT_FALSE(rows.empty());
  const std::string code = rows.front().credit_code;
  ASSERT_EQ(ShardIndex(code), 0u);
  v1::Enterprise e;
  e.set_credit_code(code);
  e.set_region_code("330106");
  e.set_status(v1::ENTERPRISE_STATUS_OPERATING);
  storage::WriteBatch copy;
  copy.Put(ColumnFamily::kEnterprises, code, e.SerializeAsString());
  ASSERT_OK(stores_[1]->Write(copy));
  PopulationQuery query;
  EXPECT_THAT(ReadPopulation(sharded_.get(), query),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr(absl::StrCat("enterprise ", code, " is held by shards"))));
}

TEST_F(ShardedPopulationTest, AStopInTheMiddleStopsEveryShardsReader) {
  PopulationQuery query;
  query.batch_size = 10;
  int batches = 0;
  const absl::Status stopped = sharded_->ForEachBatch(query, [&](absl::Span<const PopulationRow>) {
    return ++batches == 3 ? absl::CancelledError("enough") : absl::OkStatus();
  });
  EXPECT_THAT(stopped, StatusIs(absl::StatusCode::kCancelled, HasSubstr("enough")));
  EXPECT_EQ(batches, 3);
  query.batch_size = 0;
  EXPECT_THAT(ReadPopulation(sharded_.get(), query),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("batch_size")));
}

}  // namespace
}  // namespace regulation::services
