#include "services/telemetry/plan_census.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "regulation/internal/inspection_state.pb.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"

namespace regulation::telemetry {
namespace {

using ::regulation::testing::StatusIs;

void PutPlan(storage::KvStore* store, const std::string& id, v1::PlanState state,
             const internal::PlanRecord& extra = {}) {
  internal::PlanRecord record = extra;
  record.mutable_plan()->set_plan_id(id);
  record.mutable_plan()->set_state(state);
  storage::WriteBatch batch;
  batch.Put(storage::ColumnFamily::kPlans, id, record.SerializeAsString());
  ASSERT_OK(store->Write(batch));
}

v1::Team* AddTeam(v1::Draw* draw, const std::string& code, bool staffed) {
  v1::Team* team = draw->add_teams();
  team->set_credit_code(code);
  team->set_staffing(staffed ? v1::STAFFING_STATUS_STAFFED : v1::STAFFING_STATUS_UNSTAFFED);
  return team;
}

TEST(CountPlans, CountsStatesAndTheUnstaffedTargetsOfDrawnPlans) {
  std::unique_ptr<storage::KvStore> store = storage::NewMemoryStore();
  PutPlan(store.get(), "P1", v1::PLAN_STATE_DRAFT);
  PutPlan(store.get(), "P2", v1::PLAN_STATE_DRAFT);
  PutPlan(store.get(), "P3", v1::PLAN_STATE_COMMITTED);

  // Drawn: round 0 leaves A and B unstaffed; B is replaced in round 1, whose target C
  // is unstaffed too.
  internal::PlanRecord drawn;
  v1::Draw* round0 = drawn.add_draws();
  AddTeam(round0, "A", false);
  AddTeam(round0, "B", false);
  AddTeam(round0, "D", true);
  drawn.add_replaced_codes("B");
  AddTeam(drawn.add_draws(), "C", false);
  PutPlan(store.get(), "P4", v1::PLAN_STATE_DRAWN, drawn);

  // Closed: its unstaffed targets are nobody's work any more.
  internal::PlanRecord closed;
  AddTeam(closed.add_draws(), "E", false);
  PutPlan(store.get(), "P5", v1::PLAN_STATE_CLOSED, closed);

  absl::StatusOr<PlanCensus> census = CountPlans(store.get());
  ASSERT_OK(census);
  EXPECT_EQ(census->draft, 2);
  EXPECT_EQ(census->committed, 1);
  EXPECT_EQ(census->drawn, 1);
  EXPECT_EQ(census->closed, 1);
  EXPECT_EQ(census->unstaffed_targets, 2);  // A and C
}

TEST(CountPlans, ACorruptPlanIsDataLoss) {
  std::unique_ptr<storage::KvStore> store = storage::NewMemoryStore();
  storage::WriteBatch batch;
  batch.Put(storage::ColumnFamily::kPlans, "P1", "\xff\xff not a plan");
  ASSERT_OK(store->Write(batch));
  EXPECT_THAT(CountPlans(store.get()), StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace regulation::telemetry
