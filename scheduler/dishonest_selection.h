#ifndef SCHEDULER_DISHONEST_SELECTION_H_
#define SCHEDULER_DISHONEST_SELECTION_H_

// Round 0 of a random plan whose credit policy always includes the enterprises on the
// serious illegal and dishonest list (docs/draw-spec.md §3.4, §7): those enterprises,
// frozen in class D and committed by code in the plan, are targets whatever their
// tickets; class D's lottery runs over the other class-D enterprises, with its quota taken
// of them; the other classes draw as usual. The draw and the verifier both call this, so
// they cannot disagree.
//
// Thread safety: a stateless function; `population` is streamed twice, on the calling
// thread.

#include <array>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scheduler/plan_spec.h"
#include "scheduler/population.h"
#include "scheduler/target_selection.h"

namespace regulation::scheduler {

// REQUIRES: plan.always_includes_dishonest(); `class_sizes` are the frozen population's.
// The selection has every target (the listed ones included) in team order; classes[3]
// counts the other class-D enterprises only. FAILED_PRECONDITION naming
// plan.credit.dishonest when a listed enterprise is not in the population or not frozen in
// class D; otherwise as SelectTargets.
absl::StatusOr<TargetSelection> SelectWithDishonest(
    PopulationSource& population, absl::string_view seed, const PlanSpec& plan,
    const std::array<int64_t, kRiskClassCount>& class_sizes, const SelectionOptions& options);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_DISHONEST_SELECTION_H_
