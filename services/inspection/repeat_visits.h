#ifndef SERVICES_INSPECTION_REPEAT_VISITS_H_
#define SERVICES_INSPECTION_REPEAT_VISITS_H_

// What CommitPlan freezes for "no repeated visits" (进一次门、查多项事, docs/draw-spec.md §7)
// and for granted recusals, and how the plan record keeps them.
//
// The earlier rounds a plan's rule considers are defined by published data only: every
// drawn round of another plan (its DRAW record is in the log, or queued for it, by the
// time of the commit) whose commitment time lies within window_days before this commit,
// and, unless the scope is ALL, whose plan shares a department with this one. Anyone
// holding those bundles re-checks the excluded set (regctl verify-draw --earlier).
//
// Thread safety: stateless functions; the store and archive are safe for concurrent use.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "regulation/internal/inspection_state.pb.h"
#include "scheduler/plan_spec.h"
#include "services/inspection/draw_archive.h"
#include "storage/kv_store.h"

namespace regulation::services {

// A drawn round of some plan, with what the rule reads of it.
struct DrawnRound {
  scheduler::EarlierRound round;  // digest, plan id, round, committed_at
  std::vector<std::string> departments;
  std::vector<std::string> targets;
};

// The rule of plan `spec` (its id and departments) committed at `committed_at` (as the
// commitment writes it, to the microsecond), over `drawn` (any order; rounds of the plan
// itself and rounds outside the window or scope are left out). Pure.
scheduler::NoRepeatRule NoRepeatRuleOf(int window_days, scheduler::RepeatScope scope,
                                       const scheduler::PlanSpec& spec, absl::Time committed_at,
                                       const std::vector<DrawnRound>& drawn);

// Every drawn round of every plan but `plan_id` committed in [since, until), with its
// targets (rounds kept in parts are read from `archive`). DATA_LOSS for a corrupt record.
absl::StatusOr<std::vector<DrawnRound>> DrawnRoundsBetween(storage::KvStore* store,
                                                           DrawArchive* archive,
                                                           absl::string_view plan_id,
                                                           absl::Time since, absl::Time until);

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_REPEAT_VISITS_H_
