// The design-based estimates use a random plan's round-0 targets and never a targeted
// plan's (backtest.cc takes every design unit from DesignTargetOf).

#include "services/scoring/design_target.h"

#include "gtest/gtest.h"
#include "services/inspection/testing/inspection_fixture.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using testing::Agency;

class DesignTargetTest : public testing::InspectionFixture {
 protected:
  v1::Plan CreateTargetedPlan() {
    v1::CreatePlanRequest r;
    v1::Plan* p = r.mutable_plan();
    p->set_title("投诉举报定向检查");
    p->set_kind(v1::PLAN_KIND_TARGETED);
    p->add_departments("samr");
    p->add_item_ids("food-1");
    p->mutable_population()->set_region_prefix("3301");
    for (int i : {1, 2, 3}) {
      v1::TargetedEnterprise* t = p->add_targets();
      t->set_credit_code(codes_[i]);
      t->set_reason(v1::TARGET_REASON_COMPLAINT);
      t->set_reference(absl::StrCat("TS-", i));
    }
    p->set_team_size(2);
    p->set_workload_cap(8);
    *p->mutable_due_date() = ToProtoDate(absl::CivilDay(2027, 3, 31));
    absl::StatusOr<v1::Plan> plan = plans_.Create(Agency(), r);
    EXPECT_OK(plan);
    return *plan;
  }
};

TEST_F(DesignTargetTest, RandomRoundZeroTargetsEnterTheDesign) {
  const v1::Plan plan = CreatePlan();
  ASSERT_OK(Commit(plan));
  absl::StatusOr<v1::Draw> draw = Draw(plan);
  ASSERT_OK(draw);
  const internal::PlanRecord record = Record(plan);
  for (const v1::DrawnTarget& t : draw->targets()) {
    const DesignTarget design = DesignTargetOf(record, t.credit_code());
    ASSERT_NE(design.target, nullptr) << t.credit_code();
    EXPECT_EQ(design.target->inclusion_probability(), t.inclusion_probability());
    EXPECT_EQ(design.draw->round(), 0);
  }
  EXPECT_EQ(DesignTargetOf(record, "91330106MA2XXXXXX1").target, nullptr);
}

TEST_F(DesignTargetTest, TargetedInspectionsNeverEnterTheDesign) {
  const v1::Plan plan = CreateTargetedPlan();
  ASSERT_OK(Commit(plan));
  absl::StatusOr<v1::Draw> draw = Draw(plan);
  ASSERT_OK(draw);
  ASSERT_EQ(draw->targets_size(), 3);
  internal::PlanRecord record = Record(plan);
  for (const v1::DrawnTarget& t : draw->targets()) {
    EXPECT_EQ(t.inclusion_probability(), 0);
    EXPECT_EQ(DesignTargetOf(record, t.credit_code()).target, nullptr) << t.credit_code();
  }
  // Even a stored probability would not bring them in: the plan's kind keeps them out.
  for (v1::Draw& d : *record.mutable_draws()) {
    for (v1::DrawnTarget& t : *d.mutable_targets()) {
      t.set_inclusion_probability(1);
      t.set_risk_class(v1::RISK_CLASS_B);
    }
  }
  for (const v1::DrawnTarget& t : record.draws(0).targets()) {
    EXPECT_EQ(DesignTargetOf(record, t.credit_code()).target, nullptr) << t.credit_code();
  }
}

}  // namespace
}  // namespace regulation::services
