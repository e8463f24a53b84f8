#include "services/seams/local_inspection_feed.h"

#include <utility>

#include "common/status_macros.h"

namespace regulation::services {

absl::StatusOr<v1::Plan> LocalInspectionFeed::LoadPlan(const access::Caller& caller,
                                                       absl::string_view plan_id) {
  REG_ASSIGN_OR_RETURN(internal::PlanRecord record, plans_->Load(caller, plan_id));
  return std::move(*record.mutable_plan());
}

absl::StatusOr<v1::Assignment> LocalInspectionFeed::FindAssignment(
    absl::string_view inspector_id, absl::string_view plan_id, absl::string_view credit_code) {
  return board_->Find(inspector_id, plan_id, credit_code);
}

absl::StatusOr<std::vector<std::string>> LocalInspectionFeed::JointPlansOf(
    absl::string_view plan_id, absl::string_view credit_code) {
  return board_->JointPlansOf(plan_id, credit_code);
}

}  // namespace regulation::services
