#ifndef SCHEDULER_STAFFING_FORECAST_H_
#define SCHEDULER_STAFFING_FORECAST_H_

// Before a plan is committed: can its roster staff the targets its quotas will draw?
// (docs/draw-spec.md §8.4). Only the rules that depend on neither the target nor the draw
// are applied (active, certified through the due date, of a plan department, qualified:
// PassesStaticRules), plus jurisdiction by region, so the forecast is a necessary
// condition, never a promise: conflicts, rotation and the order of the walk can still
// leave a target unstaffed.
//
// A shortfall is any of:
//   - seats: expected targets x team size exceed what the eligible inspectors can take
//     together (each at most workload_cap);
//   - departments (joint plans): a department's eligible inspectors cannot take one seat
//     on every expected target;
//   - regions: some expected targets lie in regions where fewer than team_size eligible
//     inspectors have jurisdiction (or, joint, a department has none there). Expected
//     targets in region g: the sum over classes of quota(c) x (class c in g) / (class c).
//
// Thread safety: value types and stateless functions.

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "scheduler/plan_spec.h"
#include "scheduler/risk_class.h"
#include "scheduler/roster.h"

namespace regulation::scheduler {

// Enterprises of the frozen population per region code ("" for none) and class (A-D).
using RegionClassCounts = std::map<std::string, std::array<int64_t, kRiskClassCount>>;

struct StaffingForecast {
  int64_t expected_targets = 0;
  int64_t seats_needed = 0;
  int64_t eligible_inspectors = 0;
  // eligible_inspectors x workload_cap.
  int64_t capacity = 0;
  // Expected targets in regions that cannot field a team, in thousandths (rounded).
  int64_t unstaffable_expected_millis = 0;
  // Those regions by expected targets, largest first (at most 20).
  std::vector<std::string> unstaffable_regions;
  // Joint plans: departments short of one seat per expected target, with their capacity.
  std::vector<std::pair<std::string, int64_t>> short_departments;

  bool shortfall() const {
    return seats_needed > capacity || !short_departments.empty() || unstaffable_expected_millis > 0;
  }
  // One paragraph naming the numbers, for the refusal of a commit.
  std::string Describe(const PlanSpec& plan) const;
};

// REQUIRES: `plan` valid (ValidatePlanSpec).
StaffingForecast ForecastStaffing(const PlanSpec& plan, const FrozenRoster& roster,
                                  const RegionClassCounts& population);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_STAFFING_FORECAST_H_
