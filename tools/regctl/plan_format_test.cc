#include "tools/regctl/plan_format.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace regulation::regctl {
namespace {

using ::testing::HasSubstr;

TEST(ParseCodeList, SplitsAndTrims) {
  absl::StatusOr<std::vector<std::string>> codes =
      ParseCodeList("--codes", "91330106000654337W, 91330100MA2H0000X1");
  ASSERT_TRUE(codes.ok()) << codes.status();
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
  draw.set_entropy_value("drand 123: abcd");
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
  EXPECT_THAT(text, HasSubstr("CLASS  POPULATION  SELECTED  CUTOFF\n"
                              "A      1000        2         0.0012345678901234…\n"
                              "B      50          0         -\n"));
  EXPECT_THAT(text, HasSubstr("A      1     91330106000654337W  HZ-1, HZ-2\n"));
  EXPECT_THAT(text, HasSubstr("A      2     91330100MA2H0000X1  UNSTAFFED: conflicts of interest "
                              "exclude 3 of 4\n"));
  EXPECT_THAT(text, HasSubstr("2 targets: 1 staffed, 1 unstaffed\n"));
}

TEST(FormatCommitment, ClassSizesInOrderAndEntropySource) {
  v1::Commitment c;
  c.set_plan_id("P1");
  c.set_plan_digest("aa");
  (*c.mutable_class_sizes())["B"] = 20;
  (*c.mutable_class_sizes())["A"] = 10;
  (*c.mutable_class_sizes())["D"] = 0;
  c.mutable_entropy_source()->set_kind("drand-quicknet");
  c.mutable_entropy_source()->set_reference("round 9000000");
  c.set_log_index(42);
  c.set_logged(true);
  const std::string text = FormatCommitment(c);
  EXPECT_THAT(text, HasSubstr("class sizes        A 10  B 20  C -  D 0\n"));
  EXPECT_THAT(text, HasSubstr("entropy source     drand-quicknet (round 9000000)\n"));
  EXPECT_THAT(text, HasSubstr("log index          42\n"));
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

}  // namespace
}  // namespace regulation::regctl
