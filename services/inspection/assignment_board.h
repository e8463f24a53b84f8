#ifndef SERVICES_INSPECTION_ASSIGNMENT_BOARD_H_
#define SERVICES_INSPECTION_ASSIGNMENT_BOARD_H_

// Assignments: what each inspector was drawn to inspect, stored under both the
// inspector and the plan, and pushed to inspectors watching for new ones.
//
// Thread safety: safe for concurrent use. Watchers wait on their own queue; Publish
// hands each new assignment to the watchers of its inspector.

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "regulation/v1/inspection_service.pb.h"
#include "services/access/caller.h"
#include "storage/kv_store.h"

namespace regulation::services {

class AssignmentBoard {
 public:
  explicit AssignmentBoard(storage::KvStore* store) : store_(store) {}

  // Adds the assignments' records to `batch` (the caller writes it with the draw).
  static void Stage(const std::vector<v1::Assignment>& assignments, storage::WriteBatch* batch);
  // Adds the removal of the assignments' records to `batch` (a replaced target).
  static void StageWithdrawal(const std::vector<v1::Assignment>& assignments,
                              storage::WriteBatch* batch);
  // After the batch is durable: tells watching inspectors.
  void Publish(const std::vector<v1::Assignment>& assignments);

  // The caller's own assignments (an inspector), only request.plan_id's when set;
  // INVALID_ARGUMENT for bad paging or a plan id holding '/'.
  absl::StatusOr<v1::ListMyAssignmentsResponse> ListMine(
      const access::Caller& caller, const v1::ListMyAssignmentsRequest& request);
  // The assignment of `inspector_id` to inspect `credit_code` in `plan_id`; NOT_FOUND when
  // there is none (never drawn, or withdrawn by a replacement).
  absl::StatusOr<v1::Assignment> Find(absl::string_view inspector_id, absl::string_view plan_id,
                                      absl::string_view credit_code);
  // The other plans a visit of `plan_id` to `credit_code` is a joint visit with (its
  // assignments' joint_partner and joined_by, docs/draw-spec.md §7), sorted, no repeats;
  // empty for a visit of this plan alone.
  absl::StatusOr<std::vector<std::string>> JointPlansOf(absl::string_view plan_id,
                                                        absl::string_view credit_code);
  // Every assignment of a plan (access to the plan is checked by the caller).
  absl::StatusOr<v1::ListPlanAssignmentsResponse> ListForPlan(
      const v1::ListPlanAssignmentsRequest& request);

  // Streams the caller's new assignments to `emit` until `emit` returns false (OK) or
  // `keep_going()`, checked at least once a second, returns an error: that error (the
  // client went away, or its certificate was revoked or expired meanwhile).
  absl::Status Watch(const access::Caller& caller,
                     const std::function<bool(const v1::Assignment&)>& emit,
                     const std::function<absl::Status()>& keep_going);

 private:
  struct Watcher {
    std::string inspector_id;
    std::deque<v1::Assignment> pending;  // guarded by AssignmentBoard::mu_
  };

  storage::KvStore* const store_;
  absl::Mutex mu_;
  std::vector<Watcher*> watchers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_ASSIGNMENT_BOARD_H_
