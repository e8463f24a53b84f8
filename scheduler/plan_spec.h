#ifndef SCHEDULER_PLAN_SPEC_H_
#define SCHEDULER_PLAN_SPEC_H_

// The draw-relevant fields of an inspection plan and their digest (docs/draw-spec.md
// §3.2). The service builds a PlanSpec from a regulation.v1.Plan and its items when the
// plan is committed; the draw and the verifier see only this.
//
// Thread safety: value types and stateless functions.

#include <array>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scheduler/quota.h"
#include "scheduler/risk_class.h"

namespace regulation::scheduler {

// One inspection item (随机抽查事项) of the plan.
struct PlanItem {
  // 1-128 bytes of text; unique within the plan.
  std::string item_id;
  // One of the plan's departments.
  std::string department;
  // The qualification an inspector of `department` needs for this item; empty: none.
  std::string required_qualification;
};

struct PlanSpec {
  // 1-128 bytes of text.
  std::string plan_id;
  // One department, or several for a joint cross-department inspection. Each 1-128 bytes
  // of text, no duplicates. Order does not matter (the canonical form sorts them).
  std::vector<std::string> departments;
  // Order does not matter (sorted by item_id in the canonical form).
  std::vector<PlanItem> items;
  // quotas[0] for class A ... quotas[3] for class D. Default: count 0 (not drawn).
  std::array<ClassQuota, kRiskClassCount> quotas;
  // Inspectors per target, 2-64 and at least the number of departments.
  int team_size = 2;
  // Most targets one inspector may receive in this plan (all rounds together), >= 1.
  int workload_cap = 1;
  // YYYY-MM-DD: an inspector's certificate must be valid through this day.
  std::string due_date;
};

// OK, or INVALID_ARGUMENT naming the first bad field ("plan.items[2].department: ...").
absl::Status ValidatePlanSpec(const PlanSpec& plan);

// `plan` with departments sorted and items sorted by item_id (byte order).
PlanSpec CanonicalPlanSpec(PlanSpec plan);

// Lowercase hex SHA-256 of the plan's canonical record; INVALID_ARGUMENT as
// ValidatePlanSpec.
absl::StatusOr<std::string> PlanDigest(const PlanSpec& plan);

bool operator==(const PlanItem& a, const PlanItem& b);
bool operator==(const PlanSpec& a, const PlanSpec& b);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_PLAN_SPEC_H_
