#include "disclosure/site/search_index.h"

#include <filesystem>

#include "disclosure/site/site_paths.h"
#include "disclosure/site/site_writer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::disclosure::site {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::string NewDir(const std::string& name) {
  static const ::regulation::testing::TempDir base("search_index_test");  // for the whole binary
  const std::string dir = base.Path(name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(NormalizeForSearchTest, FoldsWidthCaseAndSpace) {
  EXPECT_EQ(NormalizeForSearch(" 杭州　ＡＢＣ 食品 Co "), "杭州abc食品co");
  EXPECT_EQ(NormalizeForSearch("（有限）"), "(有限)");
}

TEST(SearchTermsTest, BigramsInOrderWithoutRepeats) {
  EXPECT_THAT(SearchTerms("明辉明辉"), ElementsAre("明辉", "辉明"));
  EXPECT_THAT(SearchTerms("明"), ElementsAre("明"));
  EXPECT_THAT(SearchTerms(""), ElementsAre());
}

TEST(ShardOfTest, IsTheFirstFourHexDigitsOfSha256) {
  EXPECT_EQ(ShardOf("abc"), "ba/78");  // SHA-256("abc") = ba7816bf...
  EXPECT_EQ(NameShardPath(ShardOf("abc")), "search/name/ba/78.json");
}

TEST(SearchIndexUpdateTest, WritesCodeAndNameShardsAndMergesOnTheNextRun) {
  const std::string dir = NewDir("index");
  SiteWriter site(dir);
  SearchIndexUpdate first;
  first.Add("91330106ma00000001", "杭州明辉食品有限公司");
  ASSERT_OK(first.Apply(&site));
  const std::string code_shard = CodeShardPath(ShardOf("91330106MA00000001"));
  EXPECT_THAT(*site.Read(code_shard), HasSubstr("\"91330106MA00000001\":\"杭州明辉食品有限公司\""));
  EXPECT_THAT(*site.Read(NameShardPath(ShardOf("明辉"))),
              HasSubstr("\"明辉\":[[\"91330106MA00000001\",\"杭州明辉食品有限公司\"]"));

  SearchIndexUpdate second;
  second.Add("91330106MA00000002", "宁波明辉贸易有限公司");
  second.Add("91330106MA00000001", "杭州明辉食品有限公司");  // already there
  ASSERT_OK(second.Apply(&site));
  const std::string shard = *site.Read(NameShardPath(ShardOf("明辉")));
  EXPECT_THAT(shard, HasSubstr("[\"91330106MA00000001\",\"杭州明辉食品有限公司\"],"
                               "[\"91330106MA00000002\",\"宁波明辉贸易有限公司\"]"));
  // The first name's code shard is untouched by an unrelated code.
  EXPECT_THAT(*site.Read(code_shard), HasSubstr("91330106MA00000001"));
}

TEST(SearchIndexUpdateTest, MarksTermsSharedByTooManyNamesCommon) {
  const std::string dir = NewDir("common");
  SiteWriter site(dir);
  SearchIndexUpdate update;
  for (size_t i = 0; i <= kMaxPostingsPerTerm; ++i) {
    update.Add(absl::StrCat("9133010600000", 10000 + i), absl::StrCat("企业", i, "有限公司"));
  }
  ASSERT_OK(update.Apply(&site));
  const std::string shard = *site.Read(NameShardPath(ShardOf("有限")));
  EXPECT_THAT(shard, HasSubstr("\"有限\":\"common\""));
  EXPECT_THAT(shard, Not(HasSubstr("\"有限\":[")));
}

}  // namespace
}  // namespace regulation::disclosure::site
