#ifndef SERVICES_SCORING_DESIGN_TARGET_H_
#define SERVICES_SCORING_DESIGN_TARGET_H_

// Which inspections the selection-corrected (design-based) estimates may use
// (docs/scoring.md): only those a random plan drew in its round 0, with the inclusion
// probability that round drew them with. Replacement rounds, targeted plans (their targets
// were chosen for a reason, so nobody knows the chance they had) and inspections from
// elsewhere all count as "other".
//
// Thread safety: a stateless function over the caller's record.

#include "absl/strings/string_view.h"
#include "regulation/internal/inspection_state.pb.h"
#include "regulation/v1/inspection.pb.h"

namespace regulation::services {

struct DesignTarget {
  const v1::DrawnTarget* target = nullptr;
  // The round-0 draw holding `target`.
  const v1::Draw* draw = nullptr;
};

// The round-0 target of `plan` for `credit_code` with a known inclusion probability, or
// {nullptr, nullptr}. The pointers point into `plan`. Round-0 targets kept in parts must
// have been read back into `plan` first (draw_archive.h).
DesignTarget DesignTargetOf(const internal::PlanRecord& plan, absl::string_view credit_code);

}  // namespace regulation::services

#endif  // SERVICES_SCORING_DESIGN_TARGET_H_
