#include "scheduler/bundle_parts.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "common/sha256.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scheduler/testing/draw_fixtures.h"
#include "scheduler/verify_draw.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::scheduler {
namespace {

using ::regulation::scheduler::testing::ReadTestData;
using ::regulation::scheduler::testing::SpecPopulation;
using ::regulation::scheduler::testing::SpecRoster;
using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

// Writes `bundle` as a manifest "<dir>/draw.json" and its parts beside it.
BundleManifest WriteParts(const regulation::testing::TempDir& dir, const std::string& bundle,
                          int64_t part_bytes) {
  BundleManifest m = ManifestOf(bundle, part_bytes, "draw");
  EXPECT_OK(WriteFileAtomically(dir.Path("draw.json"), WriteManifestJson(m)));
  for (size_t i = 0; i < m.parts.size(); ++i) {
    EXPECT_OK(WriteFileAtomically(dir.Path(m.parts[i].file), PartOf(bundle, part_bytes, i)));
  }
  return m;
}

TEST(BundleParts, PartsJoinToTheBundleAndItStillVerifies) {
  const std::string bundle = ReadTestData("spec_bundle_round0.json");
  regulation::testing::TempDir dir;
  const BundleManifest m = WriteParts(dir, bundle, 1024);
  ASSERT_EQ(m.parts.size(), (bundle.size() + 1023) / 1024);
  EXPECT_EQ(m.parts.front().file, "draw.00001.part");
  EXPECT_EQ(m.bundle_digest, Sha256Hex(bundle));

  ASSERT_OK_AND_ASSIGN(const std::string joined, ReadBundleFile(dir.Path("draw.json")));
  EXPECT_EQ(joined, bundle);
  EXPECT_OK(VerifyDraw(joined, SpecPopulation(), SpecRoster()));
}

TEST(BundleParts, APlainBundleFileIsReadAsItIs) {
  const std::string bundle = ReadTestData("spec_bundle_round0.json");
  regulation::testing::TempDir dir;
  ASSERT_OK(WriteFileAtomically(dir.Path("bundle.json"), bundle));
  ASSERT_OK_AND_ASSIGN(const std::string read, ReadBundleFile(dir.Path("bundle.json")));
  EXPECT_EQ(read, bundle);
}

TEST(BundleParts, TheCutDependsOnThePartSizeAlone) {
  const std::string bundle = ReadTestData("spec_bundle_round0.json");
  const BundleManifest a = ManifestOf(bundle, 2048, "a");
  const BundleManifest b = ManifestOf(bundle, 2048, "b");
  ASSERT_EQ(a.parts.size(), b.parts.size());
  for (size_t i = 0; i < a.parts.size(); ++i) EXPECT_EQ(a.parts[i].sha256, b.parts[i].sha256);
  EXPECT_EQ(a.parts.back().bytes, static_cast<int64_t>(bundle.size() % 2048));
}

TEST(BundleParts, ManifestRoundTripsAndRejectsNonCanonicalForms) {
  const BundleManifest m = ManifestOf(ReadTestData("spec_bundle_round0.json"), 4096, "d");
  const std::string json = WriteManifestJson(m);
  EXPECT_TRUE(LooksLikeManifest(json));
  ASSERT_OK_AND_ASSIGN(const BundleManifest parsed, ParseManifestJson(json));
  EXPECT_EQ(WriteManifestJson(parsed), json);

  std::string spaced = json;
  spaced.insert(1, " ");
  EXPECT_THAT(ParseManifestJson(spaced), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(BundleParts, RefusesAPathOutsideTheManifestsDirectory) {
  BundleManifest m = ManifestOf(ReadTestData("spec_bundle_round0.json"), 1 << 20, "d");
  m.parts[0].file = "../etc-passwd";
  EXPECT_THAT(ParseManifestJson(WriteManifestJson(m)),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("not a plain file name")));
  m.parts[0].file = "sub/part";
  EXPECT_THAT(ParseManifestJson(WriteManifestJson(m)),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("not a plain file name")));
}

TEST(BundleParts, RefusesSizesThatDoNotAddUp) {
  BundleManifest m = ManifestOf(ReadTestData("spec_bundle_round0.json"), 4096, "d");
  m.bundle_bytes += 1;
  EXPECT_THAT(ParseManifestJson(WriteManifestJson(m)),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("must have")));
  m = ManifestOf(ReadTestData("spec_bundle_round0.json"), 4096, "d");
  m.parts.pop_back();
  EXPECT_THAT(ParseManifestJson(WriteManifestJson(m)),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("parts")));
}

TEST(BundleParts, AnAlteredPartIsNamed) {
  const std::string bundle = ReadTestData("spec_bundle_round0.json");
  regulation::testing::TempDir dir;
  const BundleManifest m = WriteParts(dir, bundle, 1024);
  std::string part(PartOf(bundle, 1024, 2));
  part[10] = part[10] == '1' ? '2' : '1';
  ASSERT_OK(WriteFileAtomically(dir.Path(m.parts[2].file), part));
  EXPECT_THAT(ReadBundleFile(dir.Path("draw.json")),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("part 3 (draw.00003.part): SHA-256 is")));
}

TEST(BundleParts, AManifestWhoseDigestIsNotTheBundlesFails) {
  const std::string bundle = ReadTestData("spec_bundle_round0.json");
  BundleManifest m = ManifestOf(bundle, 1024, "d");
  m.bundle_digest = Sha256Hex("another bundle");
  EXPECT_THAT(JoinBundleParts(m,
                              [&](const BundlePart& p) -> absl::StatusOr<std::string> {
                                const int64_t i = &p - m.parts.data();
                                return std::string(PartOf(bundle, 1024, i));
                              }),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("the parts joined hash to")));
}

TEST(BundleParts, AMissingPartFileIsNotFound) {
  const std::string bundle = ReadTestData("spec_bundle_round0.json");
  regulation::testing::TempDir dir;
  const BundleManifest m = WriteParts(dir, bundle, 1024);
  ASSERT_OK(RemoveFileIfExists(dir.Path(m.parts[1].file)));
  EXPECT_THAT(ReadBundleFile(dir.Path("draw.json")), StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace regulation::scheduler
