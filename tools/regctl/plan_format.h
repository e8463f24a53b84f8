#ifndef TOOLS_REGCTL_PLAN_FORMAT_H_
#define TOOLS_REGCTL_PLAN_FORMAT_H_

// How `regctl plan` and `regctl draw` print plans, commitments and draws as text, and
// how they read --codes.
//
// Thread safety: stateless functions.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "regulation/v1/entropy.pb.h"
#include "regulation/v1/inspection.pb.h"
#include "regulation/v1/inspection_service.pb.h"

namespace regulation::regctl {

// "C1,C2, C3" -> {"C1", "C2", "C3"} (spaces around codes dropped). INVALID_ARGUMENT,
// naming `flag`, when the list is empty, has an empty entry or repeats a code.
absl::StatusOr<std::vector<std::string>> ParseCodeList(absl::string_view flag,
                                                       absl::string_view text);

// --source entries "ID" or "ID@RFC3339" (a beacon's pulse time) -> refs, in order.
// INVALID_ARGUMENT naming `flag` for an empty id, a bad time, or no entry.
absl::StatusOr<std::vector<v1::EntropySourceRef>> ParseSourceRefs(
    absl::string_view flag, const std::vector<std::string>& entries);

// "notary-hz, nist (pulse 2026-12-01 10:15:00 +08:00)".
std::string FormatSourceRefs(const google::protobuf::RepeatedPtrField<v1::EntropySourceRef>& refs);

// A registered source, a field per line; and sources as a table (ID, KIND, DEPARTMENT,
// ALGORITHM, STATE, NAME).
std::string FormatEntropySource(const v1::RegisteredEntropySource& source);
std::string FormatEntropySourceTable(
    const google::protobuf::RepeatedPtrField<v1::RegisteredEntropySource>& sources);

// "0.01234567890123456789..." -> "0.0123456789012345…": at most 16 fraction digits.
std::string AbbreviateTicket(absl::string_view ticket);

// One plan, a field per line ("plan", "title", "departments", "items", "population",
// "quotas", "teams", "due date", "created"; while a round awaits its entropy:
// "awaiting entropy", "commitment digest" (what the witnesses sign), "statements from").
std::string FormatPlan(const v1::Plan& plan);

// Plans as a table: ID, STATE, DEPARTMENTS, REGION, DUE, TITLE.
std::string FormatPlanTable(const google::protobuf::RepeatedPtrField<v1::Plan>& plans);

// What CommitPlan froze: plan, population and roster digests, class sizes A-D, nonce
// commitment, entropy sources, commitment digest, minimum delay, the staffing forecast,
// commit time and log index.
std::string FormatCommitment(const v1::Commitment& commitment);

// A draw round: plan, round, time, commitment digest, the statements taken, nonce, seed
// and bundle digest; a table of
// classes (POPULATION, SELECTED, CUTOFF); a table of targets (CLASS, RANK, CREDIT CODE,
// TEAM: the team's inspector ids, or "UNSTAFFED: <reason>"); a count line.
std::string FormatDraw(const v1::Draw& draw);

// A round's announcement: kind (replacement or re-staffing), round, targets, reason,
// roster digest (re-staffing), sources, commitment digest, nonce commitment.
std::string FormatAnnouncement(const v1::ReplacementAnnouncement& announcement);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_PLAN_FORMAT_H_
