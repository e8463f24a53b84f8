#ifndef SERVICES_TELEMETRY_PLAN_CENSUS_H_
#define SERVICES_TELEMETRY_PLAN_CENSUS_H_

// Plans by state, and the drawn targets no team could be staffed for: a scan of the
// stored plans (the `plans` column family), for the periodic sampler.
//
// Thread safety: reads one snapshot of the store; safe alongside writes.

#include <cstdint>

#include "absl/status/statusor.h"
#include "storage/kv_store.h"

namespace regulation::telemetry {

struct PlanCensus {
  int64_t draft = 0;
  int64_t committed = 0;
  int64_t drawn = 0;
  int64_t closed = 0;
  // Targets of DRAWN plans whose team is UNSTAFFED, in every round, except targets
  // replaced since: work an agency still has to staff.
  int64_t unstaffed_targets = 0;
};

// DATA_LOSS when a stored plan is unreadable; storage errors as the store returns them.
absl::StatusOr<PlanCensus> CountPlans(storage::KvStore* store);

}  // namespace regulation::telemetry

#endif  // SERVICES_TELEMETRY_PLAN_CENSUS_H_
