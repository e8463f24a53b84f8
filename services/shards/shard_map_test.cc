#include "services/shards/shard_map.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/credit_code.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A valid credit code registered in `region`.
std::string CodeIn(const std::string& region, int serial = 1) {
  const std::string first17 = absl::StrCat("91", region, absl::StrFormat("MA%07d", serial));
  return first17 + CreditCodeCheckCharacter(first17);
}

// Zhejiang split: Hangzhou alone, its Xihu district on its own, the rest of Zhejiang, and a
// national default for everything else.
constexpr char kProvince[] = R"json({"shards": [
  {"name": "hangzhou", "address": "hz.shards.local:50051", "regionPrefixes": ["3301"]},
  {"name": "xihu", "address": "xh.shards.local:50051", "regionPrefixes": ["330106"]},
  {"name": "zhejiang", "address": "10.0.0.3:50051", "regionPrefixes": ["33"]},
  {"name": "national", "address": "[fd00::1]:50051", "regionPrefixes": ["", "32"]}
]})json";

std::vector<std::string> Names(const std::vector<const internal::ShardConfig*>& shards) {
  std::vector<std::string> names;
  for (const internal::ShardConfig* s : shards) names.push_back(s->name());
  return names;
}

TEST(ShardMap, AnEnterpriseGoesToTheLongestPrefixOfItsRegion) {
  absl::StatusOr<ShardMap> map = ShardMap::FromJson(kProvince);
  ASSERT_TRUE(map.ok()) << map.status();
  EXPECT_EQ((*map->ForCreditCode(CodeIn("330106")))->name(), "xihu");
  EXPECT_EQ((*map->ForCreditCode(CodeIn("330108")))->name(), "hangzhou");
  EXPECT_EQ((*map->ForCreditCode(CodeIn("330211")))->name(), "zhejiang");
  EXPECT_EQ((*map->ForCreditCode(CodeIn("320102")))->name(), "national");
  EXPECT_EQ((*map->ForCreditCode(CodeIn("110105")))->name(), "national");
}

TEST(ShardMap, ABadCreditCodeIsRefusedBeforeRouting) {
  absl::StatusOr<ShardMap> map = ShardMap::FromJson(kProvince);
  ASSERT_TRUE(map.ok());
  std::string wrong_check = CodeIn("330106");
  wrong_check.back() = wrong_check.back() == '0' ? '1' : '0';
  EXPECT_THAT(map->ForCreditCode(wrong_check),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("credit_code")));
  EXPECT_THAT(map->ForCreditCode("33010"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ShardMap, ARegionNoShardHoldsIsNotFoundNamingIt) {
  absl::StatusOr<ShardMap> map =
      ShardMap::FromJson(R"({"shards": [{"name": "zj", "address": "a:1", "regionPrefixes": ["33"]}]})");
  ASSERT_TRUE(map.ok()) << map.status();
  EXPECT_THAT(map->ForCreditCode(CodeIn("320102")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("region 320102")));
  EXPECT_TRUE(map->ForRegionPrefix("32").empty());
}

TEST(ShardMap, AListOverAPrefixAsksEveryShardThatCanHoldOneOfItsRegions) {
  absl::StatusOr<ShardMap> map = ShardMap::FromJson(kProvince);
  ASSERT_TRUE(map.ok());
  EXPECT_THAT(Names(map->ForRegionPrefix("")),
              ElementsAre("hangzhou", "xihu", "zhejiang", "national"));
  EXPECT_THAT(Names(map->ForRegionPrefix("33")), ElementsAre("hangzhou", "xihu", "zhejiang"));
  EXPECT_THAT(Names(map->ForRegionPrefix("3301")), ElementsAre("hangzhou", "xihu"));
  EXPECT_THAT(Names(map->ForRegionPrefix("330106")), ElementsAre("xihu"));
  EXPECT_THAT(Names(map->ForRegionPrefix("3302")), ElementsAre("zhejiang"));
  EXPECT_THAT(Names(map->ForRegionPrefix("11")), ElementsAre("national"));
}

// The property lists and batch jobs rely on: whatever the map, every region under a prefix
// routes to one of the shards ForRegionPrefix names.
TEST(ShardMap, EveryRegionUnderAPrefixRoutesToAShardThePrefixAsks) {
  std::mt19937 random(20261206);
  const std::vector<std::string> provinces = {"11", "32", "33", "44"};
  auto region = [&] {
    return absl::StrFormat("%s%02d%02d", provinces[random() % provinces.size()],
                           static_cast<int>(random() % 3), static_cast<int>(random() % 3));
  };
  for (int trial = 0; trial < 200; ++trial) {
    internal::ShardMapConfig config;
    std::set<std::string> used;
    const int shards = 1 + random() % 5;
    for (int i = 0; i < shards; ++i) {
      internal::ShardConfig* shard = config.add_shards();
      shard->set_name(absl::StrCat("s", i));
      shard->set_address(absl::StrCat("s", i, ":50051"));
      for (int k = 0; k < 3; ++k) {
        const std::string prefix = region().substr(0, random() % 7);
        if (used.insert(prefix).second) shard->add_region_prefixes(prefix);
      }
      if (shard->region_prefixes().empty()) config.mutable_shards()->RemoveLast();
    }
    if (config.shards().empty()) continue;
    absl::StatusOr<ShardMap> map = ShardMap::Create(config);
    ASSERT_TRUE(map.ok()) << map.status();
    for (int q = 0; q < 50; ++q) {
      const std::string r = region();
      absl::StatusOr<const internal::ShardConfig*> owner = map->ForRegion(r);
      if (!owner.ok()) continue;
      for (size_t length = 0; length <= r.size(); ++length) {
        std::vector<std::string> asked = Names(map->ForRegionPrefix(r.substr(0, length)));
        EXPECT_THAT(asked, ::testing::Contains((*owner)->name()))
            << "region " << r << " prefix " << r.substr(0, length);
      }
    }
  }
}

TEST(ShardMap, ConfigurationErrorsNameTheField) {
  auto error = [](absl::string_view json) { return ShardMap::FromJson(json).status(); };
  EXPECT_THAT(error(R"({"shards": []})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("shards: at least one")));
  EXPECT_THAT(error(R"({"shards": [{"name": "A", "address": "a:1", "regionPrefixes": ["33"]}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("shards[0].name")));
  EXPECT_THAT(error(R"({"shards": [{"name": "a", "address": "a:1", "regionPrefixes": ["33"]},
                                   {"name": "a", "address": "b:1", "regionPrefixes": ["32"]}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("shards[1].name: \"a\" names two shards")));
  EXPECT_THAT(error(R"({"shards": [{"name": "a", "address": "a", "regionPrefixes": ["33"]}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("shards[0].address")));
  EXPECT_THAT(error(R"({"shards": [{"name": "a", "address": "a:0", "regionPrefixes": ["33"]}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("shards[0].address")));
  EXPECT_THAT(error(R"({"shards": [{"name": "a", "address": "a:1"}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("shards[0].region_prefixes")));
  EXPECT_THAT(error(R"({"shards": [{"name": "a", "address": "a:1", "regionPrefixes": ["99"]}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("shards[0].region_prefixes[0]")));
  EXPECT_THAT(error(R"({"shards": [{"name": "a", "address": "a:1", "regionPrefixes": ["33"]},
                                   {"name": "b", "address": "b:1", "regionPrefixes": ["32", "33"]}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("shards[1].region_prefixes[1]: \"33\" is held by shard a")));
  EXPECT_THAT(error(R"({"shards": [{"name": "a", "adress": "a:1"}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("shard map")));
}

TEST(ShardMap, AShardErrorNamesTheShardAndKeepsTheCode) {
  absl::StatusOr<ShardMap> map = ShardMap::FromJson(kProvince);
  ASSERT_TRUE(map.ok());
  const absl::Status status =
      ShardError(map->config().shards(0), absl::UnavailableError("connection refused"));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable,
                               "shard hangzhou (hz.shards.local:50051): connection refused"));
}

}  // namespace
}  // namespace regulation::services
