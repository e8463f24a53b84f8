#ifndef SERVICES_INSPECTION_VISIT_RULES_RECORD_H_
#define SERVICES_INSPECTION_VISIT_RULES_RECORD_H_

// How a plan record keeps the no-repeat rule and granted recusals frozen at commit
// (scheduler/visit_rules.h), and how a plan asks for them.
//
// Thread safety: stateless functions.

#include <vector>

#include "absl/status/status.h"
#include "regulation/internal/inspection_state.pb.h"
#include "scheduler/plan_spec.h"

namespace regulation::services {

// The plan's granted recusals (record.recusals in state GRANTED), for the plan spec.
std::vector<scheduler::GrantedRecusal> GrantedRecusalsOf(const internal::PlanRecord& record);

// The spec's rule and recusals as the record keeps them, and back. ApplyVisitRules:
// DATA_LOSS for a stored scope that is not one.
internal::FrozenVisitRules VisitRulesRecord(const scheduler::PlanSpec& spec);
absl::Status ApplyVisitRules(const internal::FrozenVisitRules& rules, scheduler::PlanSpec* spec);

// The plan's scope (Plan.no_repeat_scope, a RepeatVisitScope).
scheduler::RepeatScope RepeatScopeOf(const v1::Plan& plan);

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_VISIT_RULES_RECORD_H_
