#include "services/telemetry/plan_census.h"

#include <memory>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "regulation/internal/inspection_state.pb.h"

namespace regulation::telemetry {

absl::StatusOr<PlanCensus> CountPlans(storage::KvStore* store) {
  PlanCensus census;
  std::unique_ptr<storage::Iterator> it = store->NewIterator(storage::ColumnFamily::kPlans);
  internal::PlanRecord record;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (!record.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError("a stored plan is corrupt");
    }
    switch (record.plan().state()) {
      case v1::PLAN_STATE_DRAFT:
        ++census.draft;
        break;
      case v1::PLAN_STATE_COMMITTED:
        ++census.committed;
        break;
      case v1::PLAN_STATE_DRAWN: {
        ++census.drawn;
        const absl::flat_hash_set<std::string> replaced(record.replaced_codes().begin(),
                                                        record.replaced_codes().end());
        for (const v1::Draw& draw : record.draws()) {
          if (draw.bundle_parts_size() > 0) {
            // A round kept in parts carries no teams here, only its count (a replaced
            // target among them is still counted: replacement rounds are small).
            census.unstaffed_targets += draw.unstaffed_count();
            continue;
          }
          for (const v1::Team& team : draw.teams()) {
            if (team.staffing() == v1::STAFFING_STATUS_UNSTAFFED &&
                !replaced.contains(team.credit_code())) {
              ++census.unstaffed_targets;
            }
          }
        }
        break;
      }
      case v1::PLAN_STATE_CLOSED:
        ++census.closed;
        break;
      default:
        break;
    }
  }
  if (!it->status().ok()) return it->status();
  return census;
}

}  // namespace regulation::telemetry
