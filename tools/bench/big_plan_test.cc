// A plan of 300,000 enterprises drawing 5% (about 15,000 targets) through the draw desk
// over RocksDB, kept in parts, and verified by `regctl verify-draw` from the manifest, its
// parts and the exported population and roster: the reduced size of the 150,000-of-
// 3,000,000 benchmark (tools/bench/big_plan_bench.cc, docs/draw-spec.md §13).

#include "tools/bench/big_plan.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"
#include "tools/regctl/verify_draw_command.h"

namespace regulation::bench {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(BigPlan, FifteenThousandTargetsDrawnInPartsVerifyWithVerifyDraw) {
  regulation::testing::TempDir dir("big-plan");
  BigPlanOptions options;
  options.enterprises = 300000;
  options.dir = dir.Path("run");
  ASSERT_OK_AND_ASSIGN(const BigPlanResult result, RunBigPlan(options));

  EXPECT_EQ(result.population, 300000);
  EXPECT_GT(result.targets, 14900);
  EXPECT_LT(result.targets, 15100);
  EXPECT_EQ(result.unstaffed, 0) << "the roster is sized for the seats";
  EXPECT_EQ(result.assignments, 2 * result.targets);
  EXPECT_GT(result.bundle_parts, 2) << "a round this large is kept and published in parts";

  char* buffer = nullptr;
  size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  regctl::VerifyDrawOptions verify;
  verify.population_file = result.population_path;
  verify.roster_file = result.roster_path;
  const int code = regctl::RunVerifyDrawCommand({result.manifest_path}, verify, out);
  std::fclose(out);
  const std::string printed(buffer, size);
  std::free(buffer);
  EXPECT_EQ(code, 0) << printed;
  EXPECT_THAT(printed, StartsWith("VALID: plan "));
  EXPECT_THAT(printed, HasSubstr(absl::StrCat("checked: ", result.bundle_parts,
                                              " parts of the manifest")));
  EXPECT_THAT(printed, HasSubstr("checked with the population (300000 enterprises)"));
  EXPECT_THAT(printed, HasSubstr("the selection re-run"));
  EXPECT_THAT(printed, HasSubstr(absl::StrCat("checked with the roster (", result.inspectors,
                                              " inspectors): its digest; the teams re-run")));
  EXPECT_THAT(printed, HasSubstr(absl::StrCat(result.targets, " target tickets")));
}

}  // namespace
}  // namespace regulation::bench
