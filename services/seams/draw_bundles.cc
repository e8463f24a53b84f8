#include "services/seams/draw_bundles.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "regulation/internal/inspection_state.pb.h"
#include "services/inspection/draw_archive.h"

namespace regulation::services {

absl::StatusOr<v1::Draw> LocalDrawBundles::DrawnRound(absl::string_view plan_id, int round) {
  REG_ASSIGN_OR_RETURN(std::string bytes, store_->Get(storage::ColumnFamily::kPlans, plan_id));
  internal::PlanRecord plan;
  if (!plan.ParseFromString(bytes)) {
    return absl::DataLossError(absl::StrCat("the stored plan ", plan_id, " is corrupt"));
  }
  if (round < 0 || round >= plan.draws_size()) {
    return absl::DataLossError(absl::StrCat("the log names draw round ", round, " of plan ",
                                            plan_id, ", which is not stored"));
  }
  return plan.draws(round);
}

absl::StatusOr<std::string> LocalDrawBundles::BundlePart(absl::string_view plan_id, int round,
                                                         int64_t part) {
  REG_ASSIGN_OR_RETURN(const v1::Draw draw, DrawnRound(plan_id, round));
  return DrawArchive(store_, {}).BundlePart(draw, part);
}

}  // namespace regulation::services
