#ifndef SERVICES_INSPECTION_ROSTER_H_
#define SERVICES_INSPECTION_ROSTER_H_

// The directories a draw reads: the inspector roster (执法检查人员名录库), declared
// conflicts of interest (回避), and the random-inspection item list (随机抽查事项清单).
//
// Who may change what: admins keep the roster; an inspector declares only its own
// conflicts (admins any); an agency keeps its own department's items (admins any).
// Refusals are PERMISSION_DENIED naming the field.
//
// Thread safety: safe for concurrent use; each write is one atomic, fsync'ed batch. Writes
// read the stored entry, then replace it: they are serialised, so that two concurrent
// writes to one entry cannot both compute the same next version or both pass the item's
// department check (one process serves a data directory: RocksDB's lock ensures it).

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "regulation/v1/inspection_service.pb.h"
#include "services/access/caller.h"
#include "storage/kv_store.h"

namespace regulation::services {

class Roster {
 public:
  // Everything must outlive the roster.
  Roster(storage::KvStore* store, Clock* clock) : store_(store), clock_(clock) {}

  // INVALID_ARGUMENT naming the field. The stored version increments on change.
  absl::StatusOr<v1::Inspector> UpsertInspector(const access::Caller& caller,
                                                const v1::UpsertInspectorRequest& request);
  // NOT_FOUND for an unknown id.
  absl::StatusOr<v1::Inspector> GetInspector(absl::string_view inspector_id);
  absl::StatusOr<v1::ListInspectorsResponse> ListInspectors(
      const v1::ListInspectorsRequest& request);

  // INVALID_ARGUMENT naming the field; NOT_FOUND for an unknown inspector;
  // PERMISSION_DENIED when an inspector declares for someone else.
  absl::StatusOr<v1::Conflict> DeclareConflict(const access::Caller& caller,
                                               const v1::DeclareConflictRequest& request);
  // By inspector or by enterprise. An inspector sees only its own.
  absl::StatusOr<v1::ListConflictsResponse> ListConflicts(const access::Caller& caller,
                                                          const v1::ListConflictsRequest& request);

  // INVALID_ARGUMENT naming the field; PERMISSION_DENIED for another department's item.
  absl::StatusOr<v1::InspectionItem> UpsertItem(const access::Caller& caller,
                                                const v1::UpsertInspectionItemRequest& request);
  // NOT_FOUND for an unknown id.
  absl::StatusOr<v1::InspectionItem> GetItem(absl::string_view item_id);
  absl::StatusOr<v1::ListInspectionItemsResponse> ListItems(
      const v1::ListInspectionItemsRequest& request);

 private:
  storage::KvStore* const store_;
  Clock* const clock_;
  // Held across the read and the write of every change (see above).
  absl::Mutex write_mu_;
};

// 1-64 characters from [A-Za-z0-9._-]; INVALID_ARGUMENT naming `field` otherwise.
absl::Status ValidateId(absl::string_view field, absl::string_view id);

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_ROSTER_H_
