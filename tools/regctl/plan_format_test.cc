#include "tools/regctl/plan_format.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::regctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ParseCodeList, SplitsAndTrims) {
  absl::StatusOr<std::vector<std::string>> codes =
      ParseCodeList("--codes", "91330106000654337W, 91330100MA2H0000X1");
  ASSERT_OK(codes);
  EXPECT_EQ(*codes, (std::vector<std::string>{"91330106000654337W", "91330100MA2H0000X1"}));
}

TEST(ParseCodeList, RejectsEmptyEntriesAndRepeats) {
  EXPECT_EQ(ParseCodeList("--codes", "").status().message(), "--codes: at least one credit code");
  EXPECT_TRUE(absl::IsInvalidArgument(ParseCodeList("--codes", "A,,B").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseCodeList("--codes", "A,").status()));
  EXPECT_EQ(ParseCodeList("--codes", "A,B,A").status().message(), "--codes: A appears twice");
}

TEST(AbbreviateTicket, KeepsSixteenDigits) {
  EXPECT_EQ(AbbreviateTicket("0.0123"), "0.0123");
  EXPECT_EQ(AbbreviateTicket("0.01234567890123456789"), "0.0123456789012345…");
}

v1::Draw SampleDraw() {
  v1::Draw draw;
  draw.set_plan_id("P20260501-0001");
  draw.set_round(0);
  draw.set_commitment_digest("c0ffee");
  v1::EntropyStatement* statement = draw.add_statements();
  statement->set_source_id("notary-hz");
  statement->mutable_witness()->set_statement("domain=31:...");
  draw.set_nonce("00ff");
  draw.set_seed("5eed");
  draw.set_bundle_digest("b0d1e5");
  v1::ClassCutoff* a = draw.add_cutoffs();
  a->set_risk_class(v1::RISK_CLASS_A);
  a->set_population(1000);
  a->set_selected(2);
  a->set_cutoff_ticket("0.00123456789012345678");
  v1::ClassCutoff* b = draw.add_cutoffs();
  b->set_risk_class(v1::RISK_CLASS_B);
  b->set_population(50);
  b->set_selected(0);
  for (const char* code : {"91330106000654337W", "91330100MA2H0000X1"}) {
    v1::DrawnTarget* t = draw.add_targets();
    t->set_credit_code(code);
    t->set_risk_class(v1::RISK_CLASS_A);
    t->set_rank(draw.targets_size());
  }
  v1::Team* staffed = draw.add_teams();
  staffed->set_credit_code("91330106000654337W");
  staffed->add_inspector_ids("HZ-1");
  staffed->add_inspector_ids("HZ-2");
  staffed->set_staffing(v1::STAFFING_STATUS_STAFFED);
  v1::Team* unstaffed = draw.add_teams();
  unstaffed->set_credit_code("91330100MA2H0000X1");
  unstaffed->set_staffing(v1::STAFFING_STATUS_UNSTAFFED);
  unstaffed->set_unstaffed_reason("conflicts of interest exclude 3 of 4");
  return draw;
}

TEST(FormatDraw, SeedClassesAndTeams) {
  const std::string text = FormatDraw(SampleDraw());
  EXPECT_THAT(text, HasSubstr("seed               5eed\n"));
  EXPECT_THAT(text, HasSubstr("commitment digest  c0ffee\n"));
  EXPECT_THAT(text, HasSubstr("statement          notary-hz: signed statement, checked\n"));
  EXPECT_THAT(text, HasSubstr("CLASS  POPULATION  SELECTED  CUTOFF\n"
                              "A      1000        2         0.0012345678901234…\n"
                              "B      50          0         -\n"));
  EXPECT_THAT(text, HasSubstr("A      1     91330106000654337W  HZ-1, HZ-2\n"));
  EXPECT_THAT(text, HasSubstr("A      2     91330100MA2H0000X1  UNSTAFFED: conflicts of interest "
                              "exclude 3 of 4\n"));
  EXPECT_THAT(text, HasSubstr("2 targets: 1 staffed, 1 unstaffed\n"));
}

TEST(FormatCommitment, ClassSizesInOrderSourcesDigestAndForecast) {
  v1::Commitment c;
  c.set_plan_id("P1");
  c.set_plan_digest("aa");
  (*c.mutable_class_sizes())["B"] = 20;
  (*c.mutable_class_sizes())["A"] = 10;
  (*c.mutable_class_sizes())["D"] = 0;
  c.add_entropy_sources()->set_source_id("notary-hz");
  v1::EntropySourceRef* beacon = c.add_entropy_sources();
  beacon->set_source_id("nist");
  beacon->mutable_pulse_time()->set_seconds(1796094000);  // 2026-12-01T03:00:00Z
  c.set_commitment_digest("d1e5");
  c.set_min_entropy_delay_seconds(600);
  c.mutable_staffing()->set_expected_targets(43);
  c.mutable_staffing()->set_seats_needed(86);
  c.mutable_staffing()->set_eligible_inspectors(12);
  c.mutable_staffing()->set_capacity(96);
  c.set_log_index(42);
  c.set_logged(true);
  const std::string text = FormatCommitment(c);
  EXPECT_THAT(text, HasSubstr("class sizes        A 10  B 20  C -  D 0\n"));
  EXPECT_THAT(text, HasSubstr(
                        "entropy sources    notary-hz, nist (pulse 2026-12-01 11:00:00 +08:00)\n"));
  EXPECT_THAT(text, HasSubstr("commitment digest  d1e5\n"));
  EXPECT_THAT(text, HasSubstr("statements from    600 s after the commit"));
  EXPECT_THAT(text, HasSubstr("staffing           expected 43 targets, 86 seats; 12 eligible "
                              "inspectors take 96\n"));
  EXPECT_THAT(text, HasSubstr("log index          42\n"));
}

TEST(ParseSourceRefs, IdsAndPulseTimes) {
  absl::StatusOr<std::vector<v1::EntropySourceRef>> refs =
      ParseSourceRefs("--source", {"notary-hz", "nist@2026-12-01T03:00:00Z"});
  ASSERT_OK(refs);
  ASSERT_EQ(refs->size(), 2u);
  EXPECT_EQ((*refs)[0].source_id(), "notary-hz");
  EXPECT_FALSE((*refs)[0].has_pulse_time());
  EXPECT_EQ((*refs)[1].source_id(), "nist");
  EXPECT_EQ((*refs)[1].pulse_time().seconds(), 1796094000);
  EXPECT_TRUE(absl::IsInvalidArgument(ParseSourceRefs("--source", {}).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseSourceRefs("--source", {"@2026"}).status()));
  EXPECT_THAT(ParseSourceRefs("--source", {"nist@tomorrow"}).status().message(),
              HasSubstr("not an RFC 3339 time"));
}

TEST(FormatPlan, ShowsTheCommitmentDigestAWitnessSigns) {
  v1::Plan plan;
  plan.set_plan_id("P1");
  v1::PendingEntropy* p = plan.mutable_awaiting_entropy();
  p->set_round(1);
  p->set_commitment_digest("abcdef");
  p->add_entropy_sources()->set_source_id("notary-hz");
  p->mutable_earliest_statement_time()->set_seconds(1796094000);
  const std::string text = FormatPlan(plan);
  EXPECT_THAT(text, HasSubstr("awaiting entropy   round 1 from notary-hz\n"));
  EXPECT_THAT(text, HasSubstr("commitment digest  abcdef\n"));
  EXPECT_THAT(text, HasSubstr("statements from    2026-12-01 11:00:00 +08:00\n"));
}

TEST(FormatCommitment, AQueuedCommitmentHasNoLogIndexYet) {
  v1::Commitment c;
  c.set_plan_id("P1");
  const std::string text = FormatCommitment(c);
  EXPECT_THAT(text, HasSubstr("log index          queued (not in the log yet)\n"));
}

TEST(FormatPlan, QuotasAndDefaults) {
  v1::Plan p;
  p.set_plan_id("P1");
  p.set_state(v1::PLAN_STATE_DRAFT);
  p.add_departments("samr");
  p.mutable_population()->set_region_prefix("3301");
  v1::ClassQuota* a = p.add_quotas();
  a->set_risk_class(v1::RISK_CLASS_A);
  a->set_ratio(0.05);
  v1::ClassQuota* d = p.add_quotas();
  d->set_risk_class(v1::RISK_CLASS_D);
  d->set_count(12);
  const std::string text = FormatPlan(p);
  EXPECT_THAT(text, HasSubstr("plan               P1  DRAFT  (version 0)\n"));
  EXPECT_THAT(text, HasSubstr("quotas             A ratio 0.05; D count 12\n"));
  EXPECT_THAT(text, HasSubstr("region 3301, industries (all), statuses OPERATING (default)"));
  google::protobuf::RepeatedPtrField<v1::Plan> plans;
  *plans.Add() = p;
  EXPECT_EQ(FormatPlanTable(plans),
            "ID  STATE  DEPARTMENTS  REGION  DUE  TITLE\n"
            "P1  DRAFT  samr         3301    -    \n");
}

TEST(FormatPlan, ATargetedPlanShowsItsTargetsWithReasonsAndReferences) {
  v1::Plan p;
  p.set_plan_id("P2");
  p.set_kind(v1::PLAN_KIND_TARGETED);
  p.add_departments("samr");
  v1::TargetedEnterprise* t = p.add_targets();
  t->set_credit_code("91350100M000100Y43");
  t->set_reason(v1::TARGET_REASON_COMPLAINT);
  t->set_reference("TS-2026-000417");
  const std::string text = FormatPlan(p);
  EXPECT_THAT(text, HasSubstr("kind               TARGETED"));
  EXPECT_THAT(text, HasSubstr("targets            91350100M000100Y43 COMPLAINT TS-2026-000417\n"));
  // A random plan says nothing of kinds or targets.
  EXPECT_THAT(FormatPlan(v1::Plan()), Not(HasSubstr("kind")));
}

}  // namespace
}  // namespace regulation::regctl
