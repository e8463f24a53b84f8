// The digests and the seed (docs/draw-spec.md §3-5): the spec's vectors and the
// properties that make the seed bind every committed input.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/sha256.h"
#include "gtest/gtest.h"
#include "scheduler/draw.h"
#include "scheduler/plan_spec.h"
#include "scheduler/population.h"
#include "scheduler/roster.h"
#include "scheduler/round_commitment.h"
#include "scheduler/seed.h"
#include "scheduler/statement_check.h"
#include "scheduler/testing/draw_fixtures.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler {
namespace {

using ::regulation::scheduler::testing::SpecPlan;
using ::regulation::scheduler::testing::SpecPopulation;
using ::regulation::scheduler::testing::SpecRoster;
using ::regulation::scheduler::testing::TestCreditCode;
using ::regulation::testing::StatusIs;

constexpr char kNonce[] = "5f1c0e8a9b7d3c2e4f60718293a4b5c6d7e8f90112233445566778899aabbccd";

// Round 0 of the spec (§12.2): its commitment digest, nonce and checked values.
SeedInputs SpecSeedInputs() {
  const DrawInputs draw = testing::SpecRound0Inputs();
  const CommitmentScope scope = ScopeOf(draw);
  SeedInputs inputs;
  inputs.commitment_digest = draw.commitment.digest;
  inputs.nonce_hex = kNonce;
  inputs.entropy = CheckStatements(scope, draw.commitment, draw.statements)->values;
  return inputs;
}

TEST(Digests, MatchTheSpecVectors) {
  EXPECT_EQ(*PlanDigest(SpecPlan()),
            "7d37935788b04f3f38793b9da509949f5902dd5d82105522d5ecc7d195262147");
  const PopulationDigests population = SpecPopulation().Digests();
  EXPECT_EQ(population.overall, "fe09a3108e91b8524fb1b4c7744e5c7aa2f2edc2c8b91481d5a29d9cc4c84ec0");
  EXPECT_EQ(population.classes[0],
            "6162b696ac76546d1d6b0c078c59f9af967b181f36ae73bd21e7b94b42a7b354");
  EXPECT_EQ(population.classes[1],
            "aaf553fe6c644e522d7568d485822ac1a43b41dd92038f7364d7885311086766");
  EXPECT_EQ(population.classes[2],
            "1031573bec071c9062f8270f5c8c718c5dfa4d36b8d3db42e9858bb980b2a3fe");
  EXPECT_EQ(population.classes[3],
            "57199893b28ce246ab863c444b385938ef032a57efa31984a4b66e1a7d7e352d");
  EXPECT_EQ(population.class_sizes, (std::array<int64_t, 4>{19, 12, 6, 3}));
  EXPECT_EQ(*RosterDigest(SpecRoster()),
            "4b2fa5e7b629650e52654e8244813a3e2732e5492547880eaa6cd31cd725b28d");
  EXPECT_EQ(*NonceCommitment(kNonce),
            "ae7e565b8cfdb713a642d5c95c901addf6506f513f5846c13e197eb134ce3a5f");
}

TEST(DeriveSeed, MatchesTheSpecVectors) {
  const SeedInputs inputs = SpecSeedInputs();
  EXPECT_EQ(inputs.commitment_digest,
            "11f5be2fae7f88d13b94b092175e4284cb96296cf14852fb3c254551775ffb3f");
  ASSERT_EQ(inputs.entropy.size(), 3u);
  EXPECT_EQ(inputs.entropy[0].source_id, "notary-xihu");
  EXPECT_EQ(inputs.entropy[0].value, Sha256Hex("regulation.draw.v2 spec witness value, round 0"));
  EXPECT_EQ(inputs.entropy[1].source_id, "test-beacon");
  EXPECT_EQ(inputs.entropy[1].value.size(), 128u);  // the pulse's outputValue
  EXPECT_EQ(inputs.entropy[2].value, "07 12 19 23 31 + 05");
  EXPECT_EQ(*DeriveSeed(inputs),
            "43bc990d20cc67f6313e78a28b9cb10f6d119d3d67687547e84a0b11f932306c");
}

TEST(DeriveSeed, HashesTheDocumentedRecord) {
  const std::string bytes = *SeedRecordBytes(SpecSeedInputs());
  EXPECT_EQ(bytes.substr(0, 29), "domain=18:regulation.draw.v2\n");
  EXPECT_NE(bytes.find("\ncommitment_digest=64:11f5be2f"), std::string::npos);
  EXPECT_NE(bytes.find("\nnonce=64:5f1c0e8a"), std::string::npos);
  EXPECT_NE(bytes.find("\nentropy_values=1:3\nentropy.source_id=11:notary-xihu\n"),
            std::string::npos);
  EXPECT_EQ(bytes.substr(bytes.size() - 11), "\nround=1:0\n");
}

TEST(DeriveSeed, EveryInputChangesTheSeed) {
  const std::string base = *DeriveSeed(SpecSeedInputs());
  for (int field = 0; field < 6; ++field) {
    SeedInputs inputs = SpecSeedInputs();
    switch (field) {
      case 0:
        inputs.commitment_digest = std::string(64, 'c');
        break;
      case 1:
        inputs.nonce_hex[0] = '6';
        break;
      case 2:
        inputs.entropy[0].value[0] = inputs.entropy[0].value[0] == 'a' ? 'b' : 'a';
        break;
      case 3:
        inputs.entropy[2].value += "0";
        break;
      case 4:  // the same values in another order
        std::swap(inputs.entropy[0], inputs.entropy[2]);
        break;
      case 5:
        inputs.round = 2;
        break;
    }
    const absl::StatusOr<std::string> seed = DeriveSeed(inputs);
    ASSERT_OK(seed);
    EXPECT_NE(*seed, base) << "field " << field;
  }
}

TEST(DeriveSeed, RejectsMalformedInputs) {
  SeedInputs inputs = SpecSeedInputs();
  inputs.nonce_hex = "ABCD";
  EXPECT_THAT(DeriveSeed(inputs), StatusIs(absl::StatusCode::kInvalidArgument));
  inputs = SpecSeedInputs();
  inputs.entropy[1].value.clear();
  EXPECT_THAT(DeriveSeed(inputs), StatusIs(absl::StatusCode::kInvalidArgument));
  inputs = SpecSeedInputs();
  inputs.entropy.clear();
  EXPECT_THAT(DeriveSeed(inputs), StatusIs(absl::StatusCode::kInvalidArgument));
  inputs = SpecSeedInputs();
  inputs.commitment_digest = "xyz";
  EXPECT_THAT(DeriveSeed(inputs), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PopulationDigests, DoNotDependOnInputOrder) {
  FrozenPopulation forward;
  FrozenPopulation backward;
  for (int i = 0; i < 50; ++i) ASSERT_OK(forward.Add(TestCreditCode(i), 1 + i % 4, "330106"));
  for (int i = 49; i >= 0; --i) ASSERT_OK(backward.Add(TestCreditCode(i), 1 + i % 4, "330106"));
  ASSERT_OK(forward.Freeze());
  ASSERT_OK(backward.Freeze());
  EXPECT_EQ(forward.Digests().overall, backward.Digests().overall);
  EXPECT_EQ(forward.Digests().classes, backward.Digests().classes);
}

TEST(PopulationDigests, CoverClassAndRegion) {
  auto digest = [](int risk_class, const std::string& region) {
    FrozenPopulation p;
    EXPECT_OK(p.Add(TestCreditCode(1), 1, "330106"));
    EXPECT_OK(p.Add(TestCreditCode(2), risk_class, region));
    EXPECT_OK(p.Freeze());
    return p.Digests();
  };
  const PopulationDigests base = digest(2, "330106");
  EXPECT_NE(base.overall, digest(3, "330106").overall);
  EXPECT_NE(base.overall, digest(2, "330108").overall);
  EXPECT_NE(base.overall, digest(2, "").overall);
  // Class A's rows are unchanged, so is its digest.
  EXPECT_EQ(base.classes[0], digest(3, "330106").classes[0]);
  EXPECT_NE(base.classes[1], digest(3, "330106").classes[1]);
}

TEST(PopulationDigests, EmptyClassHasTheDomainOnlyDigest) {
  FrozenPopulation empty;
  ASSERT_OK(empty.Freeze());
  // sha256("regulation.population.class.v1\nD\n")
  EXPECT_EQ(empty.Digests().classes[3],
            "b0e20d811907efb5452623beda7d9437ed75c2983e33116c9e7b1a3eef2a21ad");
  EXPECT_EQ(empty.Digests().class_sizes, (std::array<int64_t, 4>{0, 0, 0, 0}));
}

TEST(PopulationDigester, RequiresAscendingOrder) {
  PopulationDigester digester;
  EXPECT_OK(digester.Add(TestCreditCode(2), 1, ""));
  EXPECT_THAT(digester.Add(TestCreditCode(1), 1, ""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(digester.Add(TestCreditCode(2), 1, ""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_OK(digester.Add(TestCreditCode(3), 4, "330106"));
  EXPECT_EQ(digester.Finish().class_sizes, (std::array<int64_t, 4>{1, 0, 0, 1}));
}

TEST(PopulationDigester, AgreesWithFrozenPopulation) {
  const FrozenPopulation population = SpecPopulation();
  PopulationDigester digester;
  for (size_t i = 0; i < population.size(); ++i) {
    ASSERT_OK(digester.Add(population.credit_code(i), population.risk_class(i),
                           population.region_code(i)));
  }
  EXPECT_EQ(digester.Finish().overall, population.Digests().overall);
}

TEST(FrozenPopulation, RejectsDuplicatesAndMalformedRows) {
  FrozenPopulation p;
  EXPECT_OK(p.Add(TestCreditCode(1), 1, ""));
  EXPECT_OK(p.Add(TestCreditCode(1), 2, ""));
  EXPECT_THAT(p.Freeze(), StatusIs(absl::StatusCode::kInvalidArgument));
  FrozenPopulation q;
  EXPECT_FALSE(q.Add("91350100M000100Y44", 1, "").ok());
  EXPECT_FALSE(q.Add(TestCreditCode(1), 5, "").ok());
  EXPECT_FALSE(q.Add(TestCreditCode(1), 1, "3301").ok());
}

TEST(PlanDigest, IgnoresOrderButNotContent) {
  PlanSpec plan = SpecPlan();
  const std::string base = *PlanDigest(plan);
  std::swap(plan.departments[0], plan.departments[1]);
  std::swap(plan.items[0], plan.items[2]);
  EXPECT_EQ(*PlanDigest(plan), base);
  plan.workload_cap = 4;
  EXPECT_NE(*PlanDigest(plan), base);
  plan = SpecPlan();
  plan.quotas[2] = ClassQuota::RatioPpm(3);
  EXPECT_NE(*PlanDigest(plan), base);
}

TEST(PlanDigest, RejectsInvalidPlans) {
  PlanSpec plan = SpecPlan();
  plan.team_size = 1;
  EXPECT_THAT(PlanDigest(plan), StatusIs(absl::StatusCode::kInvalidArgument));
  plan = SpecPlan();
  plan.items[0].department = "税务局";
  EXPECT_EQ(PlanDigest(plan).status().message(),
            "plan.items[0].department: \"税务局\" is not one of the plan's departments");
  plan = SpecPlan();
  plan.departments = {"A", "B", "C", "D"};
  plan.items.clear();
  EXPECT_FALSE(PlanDigest(plan).ok());  // team of 3 cannot cover 4 departments
}

TEST(RosterDigest, IgnoresOrderAndRepeats) {
  FrozenRoster roster = SpecRoster();
  const std::string base = *RosterDigest(roster);
  std::reverse(roster.inspectors.begin(), roster.inspectors.end());
  std::reverse(roster.conflicts.begin(), roster.conflicts.end());
  roster.last_inspections.push_back(roster.last_inspections.front());
  ASSERT_FALSE(roster.inspectors[0].qualifications.empty());
  roster.inspectors[0].qualifications.push_back(roster.inspectors[0].qualifications[0]);
  EXPECT_EQ(*RosterDigest(roster), base);
}

TEST(RosterDigest, CoversEveryFieldTheRulesRead) {
  const std::string base = *RosterDigest(SpecRoster());
  for (int field = 0; field < 8; ++field) {
    FrozenRoster roster = SpecRoster();
    InspectorRecord& inspector = roster.inspectors[0];
    switch (field) {
      case 0:
        inspector.department = "其他";
        break;
      case 1:
        inspector.region_code = "330200";
        break;
      case 2:
        inspector.certificate_valid_until = "2030-01-01";
        break;
      case 3:
        inspector.qualifications.push_back("新资格");
        break;
      case 4:
        inspector.status = InspectorStatus::kRetired;
        break;
      case 5:
        inspector.inspector_id = "NEW-ID";
        break;
      case 6:
        roster.conflicts.pop_back();
        break;
      case 7:
        roster.last_inspections.pop_back();
        break;
    }
    const absl::StatusOr<std::string> digest = RosterDigest(roster);
    ASSERT_OK(digest);
    EXPECT_NE(*digest, base) << "field " << field;
  }
}

TEST(JurisdictionPrefix, DropsTrailingZeroPairs) {
  EXPECT_EQ(JurisdictionPrefix("330100"), "3301");
  EXPECT_EQ(JurisdictionPrefix("330000"), "33");
  EXPECT_EQ(JurisdictionPrefix("330106"), "330106");
  EXPECT_EQ(JurisdictionPrefix("331000"), "3310");
  EXPECT_EQ(JurisdictionPrefix("330010"), "330010");
}

}  // namespace
}  // namespace regulation::scheduler
