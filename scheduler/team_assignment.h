#ifndef SCHEDULER_TEAM_ASSIGNMENT_H_
#define SCHEDULER_TEAM_ASSIGNMENT_H_

// Team assignment (docs/draw-spec.md §8). For each target in team order, the team seed is
// seed + ":team:" + credit_code and every roster inspector gets the ticket
// FirstFraction(inspector_id, team seed). Inspectors are walked by ascending ticket and
// accepted when eligible:
//
//   status ACTIVE; certificate valid through the plan's due date; department among the
//   plan's; holds the required qualification of every plan item of its department;
//   jurisdiction prefix (roster.h) is a prefix of the enterprise's region code; no
//   declared conflict with the enterprise; not on its last inspection team (rotation);
//   fewer than workload_cap assignments so far in this plan
//
// and, for a joint plan (several departments), only when after accepting it the seats
// left still suffice to cover the departments not yet on the team. A target that cannot
// be staffed is UNSTAFFED with a reason giving the counts of inspectors each rule
// excluded; its partial team is dropped and counts towards no workload.
//
// Only inspectors that pass the rules that do not change during the draw (status,
// certificate, department, qualification, jurisdiction, conflict, rotation) get a
// ticket: the others can never be accepted, so the teams are the same as walking the
// whole roster, for far fewer hashes.
//
// Thread safety: AssignTeams may run on any thread; with options.threads > 1 it starts
// and joins its own workers.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scheduler/plan_spec.h"
#include "scheduler/roster.h"

namespace regulation::scheduler {

enum class StaffingStatus { kStaffed, kUnstaffed };

// "STAFFED" or "UNSTAFFED".
absl::string_view StaffingStatusName(StaffingStatus status);

struct TeamTarget {
  std::string credit_code;
  // Six digits, or empty (no inspector is then in jurisdiction).
  std::string region_code;
};

struct TeamResult {
  std::string credit_code;
  // In the order accepted (ascending ticket); empty when unstaffed.
  std::vector<std::string> inspector_ids;
  StaffingStatus status = StaffingStatus::kUnstaffed;
  // Empty when staffed; e.g. "1 of 2 inspectors found; excluded: 3 not active,
  // 40 outside jurisdiction, 7 at the workload cap".
  std::string reason;
  // A plan with a JOIN no-repeat rule: the earlier round this target is visited jointly
  // with (docs/draw-spec.md §7), set by the draw after the walk (AssignTeams never sets it).
  std::optional<JointVisit> joint_visit;
};

// Assignments per inspector id so far in the plan. An ordered map: nothing that reaches
// the output depends on hash order.
using WorkloadCounts = std::map<std::string, int64_t>;

struct TeamOptions {
  // Threads computing inspector tickets, the caller included. Default 1.
  int threads = 1;
  // The caller has already checked ValidatePlanSpec(plan) and ValidateRoster(roster)
  // (RunDraw does, for the digests): skip doing it again. Default false.
  bool inputs_validated = false;
};

// True when `inspector` passes the rules that depend neither on the target nor on the
// draw (§8.1 rules 1-4): active, a certificate valid through the due date, one of the
// plan's departments, the qualifications of its department's items.
bool PassesStaticRules(const InspectorRecord& inspector, const PlanSpec& plan);

// Staffs `targets` in the order given. `workload` holds the counts before the call (from
// earlier rounds; ids not on the roster are kept as they are) and receives the counts
// after it. Errors: INVALID_ARGUMENT for an invalid plan or roster. A roster already in
// canonical order (IsCanonicalRoster) is used in place; another is copied and sorted.
// REQUIRES: workload != nullptr.
absl::StatusOr<std::vector<TeamResult>> AssignTeams(absl::string_view seed,
                                                    const std::vector<TeamTarget>& targets,
                                                    const FrozenRoster& roster,
                                                    const PlanSpec& plan, WorkloadCounts* workload,
                                                    const TeamOptions& options = {});

}  // namespace regulation::scheduler

#endif  // SCHEDULER_TEAM_ASSIGNMENT_H_
