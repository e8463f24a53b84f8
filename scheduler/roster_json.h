#ifndef SCHEDULER_ROSTER_JSON_H_
#define SCHEDULER_ROSTER_JSON_H_

// The roster file an auditor verifies teams with (`regctl verify-draw --roster`),
// docs/draw-spec.md §10.2: one JSON object
//
//   {"inspectors":[{"inspector_id":"HZ-M-01","department":"市场监管局",
//                   "region_code":"330100","certificate_valid_until":"2027-12-31",
//                   "qualifications":["食品安全"],"status":"ACTIVE"}, ...],
//    "conflicts":[{"inspector_id":"HZ-M-01","credit_code":"9133..."}, ...],
//    "last_inspections":[{"credit_code":"9133...","inspector_id":"HZ-F-01"}, ...]}
//
// Any whitespace and member order; every member shown is required (lists may be empty),
// no others are allowed. WriteRosterJson writes the canonical form: CanonicalRoster's
// order, members as shown, no whitespace.
//
// Thread safety: stateless functions.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "scheduler/roster.h"

namespace regulation::scheduler {

// A valid roster; INVALID_ARGUMENT "roster file: <where>: <what>" otherwise.
absl::StatusOr<FrozenRoster> ParseRosterJson(absl::string_view text);

// As ParseRosterJson, reading `path` (NOT_FOUND when it cannot be opened).
absl::StatusOr<FrozenRoster> ReadRosterJsonFile(const std::string& path);

// The canonical file. REQUIRES: ValidateRoster(roster).ok().
std::string WriteRosterJson(const FrozenRoster& roster);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_ROSTER_JSON_H_
