#include "services/scoring/design_target.h"

namespace regulation::services {

DesignTarget DesignTargetOf(const internal::PlanRecord& plan, absl::string_view credit_code) {
  DesignTarget found;
  // Checked by kind, not only by probability: a targeted plan is outside the design
  // whatever its stored targets say.
  if (plan.plan().kind() == v1::PLAN_KIND_TARGETED) return found;
  for (const v1::Draw& d : plan.draws()) {
    if (d.round() != 0) continue;
    for (const v1::DrawnTarget& t : d.targets()) {
      if (t.credit_code() == credit_code && t.inclusion_probability() > 0) {
        found.target = &t;
        found.draw = &d;
      }
    }
  }
  return found;
}

}  // namespace regulation::services
