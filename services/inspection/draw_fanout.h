#ifndef SERVICES_INSPECTION_DRAW_FANOUT_H_
#define SERVICES_INSPECTION_DRAW_FANOUT_H_

// What a drawn round hands out: an assignment for every member of each staffed team
// (assignment_board.h), and each staffed target's team as its latest in the rotation
// history (inspection_history: the plan and inspectors, with the entry it replaced, one
// level deep, so that a replacement can undo it).
//
// A round kept whole stages both in the batch that stores the round. A round kept in parts
// (draw_archive.h) cannot: 150,000 targets make 300,000 assignments, hundreds of MB in one
// batch. Its batch stores the round with PlanRecord.fanout_pending set, and FanOutInParts
// then writes them slice by slice, one batch each, and tells watching inspectors after
// each; DrawDesk clears the flag once all are written, and resumes an unfinished fan-out
// (a crash) at startup. Every write is the same the second time, so resuming is safe.
//
// Thread safety: functions of the store, which is thread-safe; the draw desk serialises
// the writes of one plan.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "regulation/internal/inspection_state.pb.h"
#include "regulation/v1/inspection_service.pb.h"
#include "services/inspection/assignment_board.h"
#include "services/inspection/draw_archive.h"
#include "services/seams/population_feed.h"
#include "storage/kv_store.h"

namespace regulation::services {

using Teams = google::protobuf::RepeatedPtrField<v1::Team>;

// One assignment per inspector of each staffed team of `teams` (some or all of `draw`'s),
// quoting the enterprise's name and address and the team-mates' names and work phones as
// stored now (the enterprises read through `population`, the portrait service's).
// DATA_LOSS for a stored enterprise or inspector that does not parse; UNAVAILABLE naming
// the portrait service when it cannot be reached.
absl::StatusOr<std::vector<v1::Assignment>> AssignmentsOf(storage::KvStore* store,
                                                          PopulationFeed* population,
                                                          const internal::PlanRecord& record,
                                                          const v1::Draw& draw, const Teams& teams);

// Stages each staffed team of `teams` as its enterprise's latest, keeping what it replaces;
// an entry that is already this plan's is left as it is. DATA_LOSS for a corrupt entry.
absl::Status StageHistory(storage::KvStore* store, absl::string_view plan_id, const Teams& teams,
                          storage::WriteBatch* batch);

// Undoes StageHistory for a replaced target of this plan (restores the entry it replaced).
absl::Status StageHistoryRollback(storage::KvStore* store, absl::string_view plan_id,
                                  absl::string_view credit_code, storage::WriteBatch* batch);

// Writes the assignments and history of `draw` (kept in parts; `record` holds it), one
// slice per batch, publishing each slice's assignments on `board` once durable. Errors as
// AssignmentsOf, StageHistory, DrawArchive::ForEachSlice and KvStore::Write.
absl::Status FanOutInParts(storage::KvStore* store, PopulationFeed* population,
                           DrawArchive* archive, AssignmentBoard* board,
                           const internal::PlanRecord& record, const v1::Draw& draw);

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_DRAW_FANOUT_H_
