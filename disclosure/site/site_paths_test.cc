#include "disclosure/site/site_paths.h"

#include "gtest/gtest.h"

namespace regulation::disclosure::site {
namespace {

TEST(SafePathComponentTest, KeepsPlainBytesAndEscapesTheRest) {
  EXPECT_EQ(SafePathComponent("91330106MA00000001"), "91330106MA00000001");
  EXPECT_EQ(SafePathComponent("PLAN-2026_HZ.007"), "PLAN-2026_HZ.007");
  EXPECT_EQ(SafePathComponent("../etc"), "~2E.~2Fetc");
  EXPECT_EQ(SafePathComponent(".hidden"), "~2Ehidden");
  EXPECT_EQ(SafePathComponent("a b/c~"), "a~20b~2Fc~7E");
  EXPECT_EQ(SafePathComponent("计划"), "~E8~AE~A1~E5~88~92");
  EXPECT_EQ(SafePathComponent(""), "~");
}

TEST(SitePathsTest, NamesEveryKindOfPage) {
  EXPECT_EQ(RecordPagePath(5), "record/0/5.html");
  EXPECT_EQ(RecordBodyPath(1234567), "record/1234/1234567.json");
  EXPECT_EQ(RecordSaltPath(1234567), "record/1234/1234567.salt");
  EXPECT_EQ(EnterprisePagePath("91330106MA00000001"), "enterprise/91330106MA00000001.html");
  EXPECT_EQ(PlanDataPath("P/1"), "plan/P~2F1.json");
  EXPECT_EQ(BundlePath("PLAN-A", 2), "draws/PLAN-A/2.json");
  EXPECT_EQ(NameShardPath("0a/f1"), "search/name/0a/f1.json");
  EXPECT_EQ(DownloadCsvPath(3), "downloads/results-000003.csv");
}

TEST(SitePathsTest, RootPrefixClimbsOneLevelPerFolder) {
  EXPECT_EQ(RootPrefix("index.html"), "");
  EXPECT_EQ(RootPrefix("enterprise/x.html"), "../");
  EXPECT_EQ(RootPrefix("record/1/1000.html"), "../../");
}

}  // namespace
}  // namespace regulation::disclosure::site
