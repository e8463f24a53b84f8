#ifndef SERVICES_INSPECTION_JOINT_VISITS_H_
#define SERVICES_INSPECTION_JOINT_VISITS_H_

// Joint visits on the inspectors' lists (进一次门、查多项事, docs/draw-spec.md §7, docs/api.md
// "Joint visits"). A plan whose no-repeat mode is JOIN marks each target an earlier round of
// another plan drew (v1::Team.joint_visit, from the bundle). When the round's assignments
// are handed out, each such assignment names the earlier plan's team on that target
// (Assignment.joint_partner: its inspectors, their assignment ids and the earlier plan's due
// date, the joint visit's), and each of the earlier plan's assignments on it names this
// plan's team (Assignment.joined_by), so both teams know whom to visit with.
//
// Thread safety: stateless; reads the store.

#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "regulation/internal/inspection_state.pb.h"
#include "regulation/v1/inspection_service.pb.h"
#include "services/inspection/assignment_board.h"
#include "services/inspection/draw_archive.h"
#include "storage/kv_store.h"

namespace regulation::services {

// Sets joint_partner on the `assignments` (this round's, made from `teams`) whose team is a
// joint visit, and returns the earlier plans' assignments on those targets with this round's
// team added to joined_by (once: a retried hand-out adds nothing twice). The caller stages
// both in the round's batch and publishes them. An earlier round that is gone or whose
// bundle digest differs from the mark is DATA_LOSS (the mark is a frozen, published fact);
// an earlier team that was not staffed has no assignments: the partner lists no inspectors.
absl::StatusOr<std::vector<v1::Assignment>> LinkJointVisits(
    storage::KvStore* store, DrawArchive* archive, AssignmentBoard* board,
    const internal::PlanRecord& record, const v1::Draw& draw,
    const google::protobuf::RepeatedPtrField<v1::Team>& teams,
    std::vector<v1::Assignment>* assignments);

// The other side of the joint visits that withdrawing `withdrawn` (assignments of one plan
// on its replaced targets: inspector, plan and code are read, the rest is looked up) ends:
// a later plan's assignment that named the withdrawn team as its joint_partner loses it
// (that team now visits alone, by its own plan's due date), and an earlier plan's
// assignment loses the joined_by entries naming the withdrawn plan. Returns those
// assignments, updated, each once; the caller stages them with the withdrawal and
// publishes them. Assignments already gone are skipped; the board's read errors as they are.
absl::StatusOr<std::vector<v1::Assignment>> UnlinkJointVisits(
    AssignmentBoard* board, const std::vector<v1::Assignment>& withdrawn);

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_JOINT_VISITS_H_
