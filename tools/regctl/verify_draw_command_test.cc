#include "tools/regctl/verify_draw_command.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scheduler/bundle_parts.h"
#include "testing/temp_dir.h"

namespace regulation::regctl {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string TestData(const std::string& name) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  return std::string(srcdir != nullptr ? srcdir : ".") + "/regulation/scheduler/testdata/" + name;
}

std::string ReadAll(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  std::string text;
  if (file == nullptr) return text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) text.append(buffer, n);
  std::fclose(file);
  return text;
}

class VerifyDrawCommandTest : public ::testing::Test {
 protected:
  int Run(const std::vector<std::string>& args, const VerifyDrawOptions& options) {
    char* buffer = nullptr;
    size_t size = 0;
    std::FILE* out = open_memstream(&buffer, &size);
    const int code = RunVerifyDrawCommand(args, options, out);
    std::fclose(out);
    output_.assign(buffer, size);
    std::free(buffer);
    return code;
  }

  // A copy of the round-0 bundle (or `name`) with `from` replaced by `to` (first occurrence).
  std::string Tampered(const std::string& from, const std::string& to,
                       const std::string& name = "spec_bundle_round0.json") {
    std::string text = ReadAll(TestData(name));
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos);
    text.replace(at, from.size(), to);
    const std::string path = temp_.Path("tampered.json");
    std::FILE* file = std::fopen(path.c_str(), "wb");
    std::fwrite(text.data(), 1, text.size(), file);
    std::fclose(file);
    return path;
  }

  ::regulation::testing::TempDir temp_;  // removed after each test
  std::string output_;
};

// The round-0 bundle written as a manifest and 1,024-byte parts in `dir`; `alter`
// changes the third part's bytes when set. Returns the manifest's path.
std::string WriteAsParts(const std::string& dir, bool alter) {
  const std::string bundle = ReadAll(TestData("spec_bundle_round0.json"));
  const scheduler::BundleManifest manifest = scheduler::ManifestOf(bundle, 1024, "parted");
  for (size_t i = 0; i < manifest.parts.size(); ++i) {
    std::string part(scheduler::PartOf(bundle, 1024, static_cast<int64_t>(i)));
    if (alter && i == 2) part[5] = part[5] == 'x' ? 'y' : 'x';
    std::FILE* file = std::fopen((dir + "/" + manifest.parts[i].file).c_str(), "wb");
    std::fwrite(part.data(), 1, part.size(), file);
    std::fclose(file);
  }
  const std::string path = dir + "/parted.json";
  const std::string json = scheduler::WriteManifestJson(manifest);
  std::FILE* file = std::fopen(path.c_str(), "wb");
  std::fwrite(json.data(), 1, json.size(), file);
  std::fclose(file);
  return path;
}

TEST_F(VerifyDrawCommandTest, ABundleInPartsIsVerifiedAsOne) {
  VerifyDrawOptions options;
  options.population_file = TestData("spec_population.csv");
  options.roster_file = TestData("spec_roster.json");
  EXPECT_EQ(Run({WriteAsParts(temp_.path(), /*alter=*/false)}, options), 0) << output_;
  EXPECT_THAT(output_, StartsWith("VALID: plan PLAN-2026-HZ-007, round 0 (draw); bundle bcc4f0d747ebf8c4"));
  EXPECT_THAT(output_, HasSubstr("checked: 13 parts of the manifest"));
  EXPECT_THAT(output_, HasSubstr("checked with the population"));
}

TEST_F(VerifyDrawCommandTest, AnAlteredPartIsInvalid) {
  EXPECT_EQ(Run({WriteAsParts(temp_.path(), /*alter=*/true)}, {}), 1) << output_;
  EXPECT_THAT(output_, StartsWith("INVALID: manifest: part 3 (parted.00003.part): SHA-256 is"));
}

TEST_F(VerifyDrawCommandTest, ValidBundleAlone) {
  EXPECT_EQ(Run({TestData("spec_bundle_round0.json")}, {}), 0) << output_;
  EXPECT_THAT(output_,
              StartsWith("VALID: plan PLAN-2026-HZ-007, round 0 (draw); bundle bcc4f0d747ebf8c4"));
  EXPECT_THAT(output_, HasSubstr("statements: 1 witness signature(s), 1 beacon pulse(s), 1 "
                                 "attested value(s)"));
  EXPECT_THAT(output_, HasSubstr("11 target tickets"));
  EXPECT_THAT(output_, HasSubstr("not checked: the selection against the population"));
  EXPECT_THAT(output_, HasSubstr("not checked: the sources' keys against the published registry"));
}

TEST_F(VerifyDrawCommandTest, TheSourcesAgainstThePublishedRegistry) {
  VerifyDrawOptions options;
  options.sources_file = TestData("spec_registry.json");
  EXPECT_EQ(Run({TestData("spec_bundle_round0.json")}, options), 0) << output_;
  EXPECT_THAT(output_, HasSubstr("checked with the registry: each source registered"));
  // A registry that does not list the witness's key: the bundle's key is its own.
  const std::string registry = ReadAll(TestData("spec_registry.json"));
  const size_t key = registry.find("\"public_key_hex\": \"") + 19;
  std::string forged = registry;
  forged[key] = forged[key] == 'a' ? 'b' : 'a';
  const std::string path = temp_.Path("registry.json");
  std::FILE* file = std::fopen(path.c_str(), "wb");
  std::fwrite(forged.data(), 1, forged.size(), file);
  std::fclose(file);
  options.sources_file = path;
  EXPECT_EQ(Run({TestData("spec_bundle_round0.json")}, options), 1) << output_;
  EXPECT_THAT(output_,
              StartsWith("INVALID: sources: notary-xihu: the bundle's key is not the registered one"));
}

// v1's own example reused round 0's nonce in round 1; each bundle is consistent alone, and
// verify-draw given both refuses it.
TEST_F(VerifyDrawCommandTest, ARoundThatReusesThePreviousNonceIsInvalidGivenBoth) {
  VerifyDrawOptions options;
  EXPECT_EQ(Run({TestData("spec_bundle_round1_reused_nonce.json")}, options), 0) << output_;
  EXPECT_THAT(output_, HasSubstr("not checked: the chain to round 0 (--previous)"));
  options.previous_file = TestData("spec_bundle_round0.json");
  EXPECT_EQ(Run({TestData("spec_bundle_round1_reused_nonce.json")}, options), 1) << output_;
  EXPECT_THAT(output_, StartsWith("INVALID: chain: round 1 reuses round 0's nonce commitment"));
  // The genuine round 1 follows round 0.
  EXPECT_EQ(Run({TestData("spec_bundle_round1.json")}, options), 0) << output_;
  EXPECT_THAT(output_, HasSubstr("checked with the previous round"));
  // Round 0 has no previous round: a usage error.
  EXPECT_EQ(Run({TestData("spec_bundle_round0.json")}, options), 2) << output_;
}

TEST_F(VerifyDrawCommandTest, ATamperedStatementIsInvalidNamingItsSource) {
  const std::string path = Tampered("signed_at=20:2026-03-01T02:11:00Z",
                                    "signed_at=20:2026-03-01T02:09:00Z");
  EXPECT_EQ(Run({path}, {}), 1);
  EXPECT_THAT(output_, StartsWith("INVALID: statements: statement of source notary-xihu: "
                                  "signature: does not verify"));
}

TEST_F(VerifyDrawCommandTest, ValidWithBothFiles) {
  VerifyDrawOptions options;
  options.population_file = TestData("spec_population.csv");
  options.roster_file = TestData("spec_roster.json");
  EXPECT_EQ(Run({TestData("spec_bundle_round0.json")}, options), 0) << output_;
  EXPECT_THAT(output_, HasSubstr("checked with the population (40 enterprises)"));
  EXPECT_THAT(output_, HasSubstr("checked with the roster (14 inspectors)"));
  EXPECT_EQ(Run({TestData("spec_bundle_round1.json")}, options), 0) << output_;
  EXPECT_THAT(output_, StartsWith("VALID: plan PLAN-2026-HZ-007, round 1"));
}

TEST_F(VerifyDrawCommandTest, JointVisitsAreReCheckedAndATamperedMarkIsInvalid) {
  // draw-spec §12.3: the spec plan with a JOIN rule over an earlier plan's round.
  VerifyDrawOptions options;
  options.earlier_files = {TestData("spec_bundle_earlier.json")};
  EXPECT_EQ(Run({TestData("spec_bundle_no_repeat_join.json")}, options), 0) << output_;
  EXPECT_THAT(output_, HasSubstr("joined enterprise(s)"));
  EXPECT_THAT(output_, HasSubstr("joint visit(s), each marked with the earlier round"));
  const std::string path = Tampered(",\"joint_visit\":{\"plan_id\":\"PLAN-2026-HZ-001\",", ",\"joint_visit\":{\"plan_id\":\"PLAN-2026-HZ-002\",",
                                    "spec_bundle_no_repeat_join.json");
  EXPECT_EQ(Run({path}, {}), 1) << output_;
  EXPECT_THAT(output_, StartsWith("INVALID: "));
  EXPECT_THAT(output_, HasSubstr("joint visit with PLAN-2026-HZ-002"));
}

TEST_F(VerifyDrawCommandTest, TamperedSeedIsInvalid) {
  const std::string path = Tampered("\"seed\":\"43bc", "\"seed\":\"43bd");
  EXPECT_EQ(Run({path}, {}), 1);
  EXPECT_THAT(output_, StartsWith("INVALID: seed does not match its inputs"));
}

TEST_F(VerifyDrawCommandTest, OwnTicketOfASelectedEnterprise) {
  VerifyDrawOptions options;
  options.population_file = TestData("spec_population.csv");
  options.credit_code = "9133021200089190AE";
  EXPECT_EQ(Run({TestData("spec_bundle_round0.json")}, options), 0) << output_;
  EXPECT_THAT(output_, HasSubstr("enterprise 9133021200089190AE: ticket 0.0061"));
  EXPECT_THAT(output_, HasSubstr("listed at rank 1 (consistent)"));
}

TEST_F(VerifyDrawCommandTest, OwnTicketOfAnEnterpriseNotSelected) {
  // 91330108000109227K is class A, not drawn: its ticket 0.1497... is above class A's
  // cutoff but below class D's.
  VerifyDrawOptions options;
  options.credit_code = "91330108000109227K";
  options.risk_class = "A";
  EXPECT_EQ(Run({TestData("spec_bundle_round0.json")}, options), 0) << output_;
  EXPECT_THAT(output_, HasSubstr("above the class A cutoff"));
  EXPECT_THAT(output_, HasSubstr("not selected; the bundle: not listed (consistent)"));
  // The class is part of the check: had it been class D, it should have been drawn.
  options.risk_class = "D";
  EXPECT_EQ(Run({TestData("spec_bundle_round0.json")}, options), 1) << output_;
  EXPECT_THAT(output_, StartsWith("INVALID: enterprise 91330108000109227K: "));
  EXPECT_THAT(output_, HasSubstr("(INCONSISTENT)"));
}

// With the population file, an enterprise not in it could not have been drawn, whatever its
// ticket; and its class is the file's, not a contradicting --risk_class.
TEST_F(VerifyDrawCommandTest, OwnTicketWithThePopulationFile) {
  VerifyDrawOptions options;
  options.population_file = TestData("spec_population.csv");
  options.credit_code = "91110115MA9HXMU77G";
  EXPECT_EQ(Run({TestData("spec_bundle_round0.json")}, options), 0) << output_;
  EXPECT_THAT(output_, StartsWith("VALID: "));
  EXPECT_THAT(output_, HasSubstr("enterprise 91110115MA9HXMU77G: not in the frozen population, "
                                 "so it could not be drawn (not selected)"));
  options.credit_code = "9133021200084218NY";  // class C in the file
  options.risk_class = "A";
  EXPECT_EQ(Run({TestData("spec_bundle_round0.json")}, options), 2) << output_;
}

TEST_F(VerifyDrawCommandTest, BadArgumentsAreUsageErrors) {
  EXPECT_EQ(Run({}, {}), 2);
  VerifyDrawOptions options;
  options.risk_class = "E";
  options.credit_code = "9133021200084218NY";
  EXPECT_EQ(Run({TestData("spec_bundle_round0.json")}, options), 2);
  options = VerifyDrawOptions();
  options.population_file = TestData("missing.csv");
  EXPECT_EQ(Run({TestData("spec_bundle_round0.json")}, options), 2);
  EXPECT_EQ(Run({TestData("missing.json")}, {}), 2);
  options = VerifyDrawOptions();
  options.credit_code = "not-a-code";
  EXPECT_EQ(Run({TestData("spec_bundle_round0.json")}, options), 2);
}

}  // namespace
}  // namespace regulation::regctl
