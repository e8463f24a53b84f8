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
#include "absl/strings/string_view.h"
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

// Why a targeted plan inspects an enterprise (docs/draw-spec.md §3.3). Only the category
// is part of the plan: the reference behind it (a complaint or alert id) may identify a
// complainant, so it stays with the agency and is neither digested nor published.
enum class TargetReason { kComplaint, kAlert, kReferral, kMonitoring };

// "complaint", "alert", "referral", "monitoring".
const char* TargetReasonName(TargetReason reason);
// INVALID_ARGUMENT (message without a field name) for anything else.
absl::StatusOr<TargetReason> ParseTargetReason(absl::string_view name);

// An enterprise a targeted plan lists for inspection: not drawn, stated with its reason.
struct ListedTarget {
  std::string credit_code;
  TargetReason reason = TargetReason::kComplaint;
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
  // Empty for a random plan. A targeted plan lists its targets here (no repeats; sorted by
  // credit code in the canonical form) and draws nobody by lottery: every quota is count
  // 0 and only its teams are drawn. Part of the digest only when non-empty, so a random
  // plan's digest is what it always was.
  std::vector<ListedTarget> listed_targets;

  bool targeted() const { return !listed_targets.empty(); }
};

// OK, or INVALID_ARGUMENT naming the first bad field ("plan.items[2].department: ...").
absl::Status ValidatePlanSpec(const PlanSpec& plan);

// `plan` with departments sorted and items sorted by item_id (byte order).
PlanSpec CanonicalPlanSpec(PlanSpec plan);

// Lowercase hex SHA-256 of the plan's canonical record; INVALID_ARGUMENT as
// ValidatePlanSpec.
absl::StatusOr<std::string> PlanDigest(const PlanSpec& plan);

bool operator==(const PlanItem& a, const PlanItem& b);
bool operator==(const ListedTarget& a, const ListedTarget& b);
bool operator==(const PlanSpec& a, const PlanSpec& b);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_PLAN_SPEC_H_
