#ifndef SERVICES_SEAMS_INSPECTION_FEED_H_
#define SERVICES_SEAMS_INSPECTION_FEED_H_

// What disclosure reads of inspection: the seam between the two services.
//
// The result desk checks a submission against the plan and the assignment board and
// names the plan's departments and joint visits in the public record; withdrawals and
// objections check that the caller may see the plan. None of them reads inspection's
// records itself: they ask an InspectionFeed. In regulatord (one process) the feed reads
// the plan book and the board directly (LocalInspectionFeed, local_inspection_feed.h);
// when disclosured runs apart from inspection it is a gRPC client of
// regulation.internal.v1.InspectionFeedService (GrpcInspectionFeed,
// inspection_feed_client.h). Every call only reads.
//
// Thread safety: implementations are safe for concurrent use.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regulation/v1/inspection.pb.h"
#include "services/access/caller.h"

namespace regulation::services {

class InspectionFeed {
 public:
  virtual ~InspectionFeed() = default;

  // The plan as `caller` may see it (PlanBook::Load's plan): INVALID_ARGUMENT for an
  // empty id, NOT_FOUND "plan_id: no plan ...", PERMISSION_DENIED for a plan the caller
  // may not see; UNAVAILABLE or DEADLINE_EXCEEDED naming the inspection service when a
  // peer cannot be reached in time.
  virtual absl::StatusOr<v1::Plan> LoadPlan(const access::Caller& caller,
                                            absl::string_view plan_id) = 0;

  // The assignment of `inspector_id` to inspect `credit_code` in `plan_id`
  // (AssignmentBoard::Find): NOT_FOUND when there is none. Peer statuses as LoadPlan.
  virtual absl::StatusOr<v1::Assignment> FindAssignment(absl::string_view inspector_id,
                                                        absl::string_view plan_id,
                                                        absl::string_view credit_code) = 0;

  // The other plans a visit of `plan_id` to `credit_code` is a joint visit with, sorted,
  // no repeats (AssignmentBoard::JointPlansOf). Peer statuses as LoadPlan.
  virtual absl::StatusOr<std::vector<std::string>> JointPlansOf(absl::string_view plan_id,
                                                                absl::string_view credit_code) = 0;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_INSPECTION_FEED_H_
