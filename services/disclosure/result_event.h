#ifndef SERVICES_DISCLOSURE_RESULT_EVENT_H_
#define SERVICES_DISCLOSURE_RESULT_EVENT_H_

// An approved inspection result, as an event of its enterprise's history: the learning
// loop's way back from "one disclosure" to the portrait (docs/features.md).
//
// The event is an inspection_outcome with the result's category, problem_found when the
// category records a violation (IsViolationCategory), the plan id, and occur_time the
// inspection's last day at 00:00 China time. Its id is "result:<result id>", one per
// result: approving it again changes nothing, a published correction supersedes it
// (EventIngestor::CommitDerived).
//
// Thread safety: plain functions.

#include <string>

#include "absl/strings/string_view.h"
#include "regulation/v1/disclosure.pb.h"
#include "regulation/v1/event.pb.h"

namespace regulation::services {

// "result:<result_id>".
std::string ResultEventId(absl::string_view result_id);

// Whether a result of `category` found a violation: problems found (corrected or not),
// information not published or false, unreachable at the registered address, serious
// refusal to cooperate, another department's rules broken. Not a violation: no problem
// found, no relevant business activity, closed or liquidating, deregistered.
bool IsViolationCategory(v1::InspectionResultCategory category);

// The event for `result` (approved or published), reported by `department` (the plan's
// first department). REQUIRES: result.inspection_end_date() is a valid date.
v1::Event ResultEvent(const v1::InspectionResult& result, absl::string_view department);

}  // namespace regulation::services

#endif  // SERVICES_DISCLOSURE_RESULT_EVENT_H_
