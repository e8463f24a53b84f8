#ifndef SCHEDULER_VISIT_RULES_JSON_H_
#define SCHEDULER_VISIT_RULES_JSON_H_

// The bundle plan's "no_repeat" and "recusals" members (docs/draw-spec.md §9.2), written
// canonically and read strictly (DATA_LOSS "plan.no_repeat...: <what>"); the values are
// validated with the plan (ValidatePlanSpec).
//
// Thread safety: stateless functions.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "scheduler/json.h"
#include "scheduler/visit_rules.h"

namespace regulation::scheduler {

// {"window_days":..,"scope":..,"considered":[...],"excluded":[...]}
void WriteNoRepeatJson(std::string* out, const NoRepeatRule& rule);
// [{"request_id":..,"credit_code":..,"inspector_id":..}, ...]
void WriteRecusalsJson(std::string* out, const std::vector<GrantedRecusal>& recusals);

absl::Status ReadNoRepeatJson(const JsonValue& v, NoRepeatRule* rule);
// An empty list is refused: the member is absent when there are no recusals.
absl::Status ReadRecusalsJson(const JsonValue& v, std::vector<GrantedRecusal>* recusals);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_VISIT_RULES_JSON_H_
