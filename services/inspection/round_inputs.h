#ifndef SERVICES_INSPECTION_ROUND_INPUTS_H_
#define SERVICES_INSPECTION_ROUND_INPUTS_H_

// What a plan's stored record says about its rounds, in the scheduler's terms: the inputs
// every round shares (frozen at commit), each round's commitment and roster, and the
// replacement or re-staffing section of a round >= 1 (docs/draw-spec.md §7).
//
// Thread safety: stateless functions over the caller's record.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "regulation/internal/inspection_state.pb.h"
#include "scheduler/draw.h"
#include "scheduler/roster.h"
#include "scheduler/round_commitment.h"
#include "storage/kv_store.h"

namespace regulation::services {

// The plan, its digests and the committed class sizes. DATA_LOSS for a corrupt record.
absl::StatusOr<scheduler::DrawInputs> CommittedInputs(const internal::PlanRecord& record);

// The commitment of `round` as stored (round_commitment_json). FAILED_PRECONDITION for a
// plan committed before regulation.draw.v2 (no stored commitment); DATA_LOSS when corrupt.
absl::StatusOr<scheduler::RoundCommitment> RoundCommitmentOf(const internal::PlanRecord& record,
                                                             int round);

// The roster `round` staffs from: a re-staffing round's own, otherwise the one frozen at
// commit. DATA_LOSS when corrupt.
absl::StatusOr<scheduler::FrozenRoster> RoundRosterOf(const internal::PlanRecord& record,
                                                      int round);
// Its canonical JSON (what ExportDrawInputs sends).
const std::string& RoundRosterJson(const internal::PlanRecord& record, int round);

// Checks `codes` against the plan's earlier rounds (each a target, none replaced yet) and
// fills a replacement round's section: the counts per class, every earlier target
// excluded, the workload so far, the previous bundle. INVALID_ARGUMENT naming
// "credit_codes[i]"; FAILED_PRECONDITION for a targeted plan (never replaced).
absl::StatusOr<scheduler::ReplacementRound> ReplacementOf(
    const internal::PlanRecord& record,
    const google::protobuf::RepeatedPtrField<std::string>& codes);

// The same for a re-staffing round: each code a target whose latest team is UNSTAFFED
// (FAILED_PRECONDITION otherwise, naming it), with its region code from the frozen
// population; no counts.
absl::StatusOr<scheduler::ReplacementRound> RestaffOf(
    storage::KvStore* store, const internal::PlanRecord& record,
    const google::protobuf::RepeatedPtrField<std::string>& codes);

// The announcement of the next round, or nullptr when none is pending.
const v1::ReplacementAnnouncement* PendingAnnouncement(const internal::PlanRecord& record);

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_ROUND_INPUTS_H_
