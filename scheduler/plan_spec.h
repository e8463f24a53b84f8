#ifndef SCHEDULER_PLAN_SPEC_H_
#define SCHEDULER_PLAN_SPEC_H_

// The draw-relevant fields of an inspection plan and their digest (docs/draw-spec.md
// §3.2). The service builds a PlanSpec from a regulation.v1.Plan and its items when the
// plan is committed; the draw and the verifier see only this.
//
// Thread safety: value types and stateless functions.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scheduler/quota.h"
#include "scheduler/risk_class.h"
#include "scheduler/visit_rules.h"

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

// Which class a random plan freezes for each enterprise (docs/draw-spec.md §3.4).
enum class ClassSource { kModel, kOfficial, kStricter };
// How a random plan treats enterprises on the serious illegal and dishonest list
// (严重违法失信名单) at commit (docs/draw-spec.md §3.4).
enum class DishonestPolicy { kNone, kHighestRatio, kAlways };

// "model", "official", "stricter"; "none", "highest_ratio", "always".
const char* ClassSourceName(ClassSource source);
const char* DishonestPolicyName(DishonestPolicy policy);
// INVALID_ARGUMENT (message without a field name) for anything else.
absl::StatusOr<ClassSource> ParseClassSource(absl::string_view name);
absl::StatusOr<DishonestPolicy> ParseDishonestPolicy(absl::string_view name);

// The class the plan freezes for an enterprise whose model class is `model_class` (1-4;
// B when never scored) and whose official class in force at commit is `official_class`
// (1-4, or 0: none imported).
int FrozenClassOf(ClassSource source, int model_class, int official_class);

// The class whose quota has the plan's highest ratio (ties: the riskier class), 1-4; 0
// when no quota is a ratio.
int HighestRatioClass(const std::array<ClassQuota, kRiskClassCount>& quotas);

// A random plan's credit policy. Default (model, none, no list): not part of the digest,
// so a plan without a policy hashes as it always did.
struct CreditPolicy {
  ClassSource class_source = ClassSource::kModel;
  DishonestPolicy dishonest_policy = DishonestPolicy::kNone;
  // The frozen population's enterprises on the dishonest list at commit (not repaired),
  // no repeats (sorted in the canonical form). Empty unless dishonest_policy is not kNone.
  std::vector<std::string> dishonest;

  bool is_default() const {
    return class_source == ClassSource::kModel && dishonest_policy == DishonestPolicy::kNone &&
           dishonest.empty();
  }
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
  // A random plan's credit policy (a targeted plan's is the default).
  CreditPolicy credit;
  // No repeated visits (visit_rules.h): enterprises earlier rounds of other plans drew
  // within the window are not drawn. A random plan only. Part of the digest only when set.
  std::optional<NoRepeatRule> no_repeat;
  // Granted recusal requests: the inspector is never on that enterprise's team. Part of
  // the digest only when non-empty.
  std::vector<GrantedRecusal> recusals;

  bool targeted() const { return !listed_targets.empty(); }
  // Round 0 includes the dishonest-listed enterprises whatever their tickets.
  bool always_includes_dishonest() const {
    return credit.dishonest_policy == DishonestPolicy::kAlways && !credit.dishonest.empty();
  }
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
