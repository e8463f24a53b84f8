// The policy vectors of docs/draw-spec.md §12.3 (scheduler/testdata/spec_bundle_<name>.json,
// which the Python reference reproduces): the C++ library still writes them byte for byte,
// and the verifier accepts each, the no-repeat ones re-checked against the earlier round.
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "scheduler/testing/draw_fixtures.h"
#include "scheduler/testing/policy_vectors.h"
#include "scheduler/verify_draw.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler {
namespace {

TEST(PolicyVectors, TheLibraryWritesTheCheckedInVectors) {
  absl::StatusOr<std::vector<testing::VectorFile>> files = testing::PolicyVectors();
  ASSERT_OK(files);
  ASSERT_EQ(files->size(), 8u);
  for (const testing::VectorFile& file : *files) {
    EXPECT_EQ(file.text, testing::ReadTestData(file.name))
        << file.name << " changed: regenerate with write_spec_vectors (docs/draw-spec.md §12)";
  }
}

TEST(PolicyVectors, EachVerifies) {
  const FrozenRoster roster = testing::SpecRoster();
  for (const char* name : {"credit_always", "credit_highest", "earlier", "no_repeat_exclude",
                           "no_repeat_join", "always_exclude", "targeted"}) {
    const std::string bundle = testing::ReadTestData(absl::StrCat("spec_bundle_", name, ".json"));
    EXPECT_OK(VerifyDraw(bundle, std::nullopt, roster)) << name;
  }
  VerifyContext context;
  context.earlier_bundles = std::vector<std::string>{testing::ReadTestData("spec_bundle_earlier.json")};
  for (const char* name : {"no_repeat_exclude", "no_repeat_join", "always_exclude"}) {
    const std::string bundle = testing::ReadTestData(absl::StrCat("spec_bundle_", name, ".json"));
    VerifySummary summary;
    EXPECT_OK(VerifyDraw(bundle, std::nullopt, std::nullopt, &summary, context)) << name;
    EXPECT_TRUE(summary.repeat_checked) << name;
  }
}

}  // namespace
}  // namespace regulation::scheduler
