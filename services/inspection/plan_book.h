#ifndef SERVICES_INSPECTION_PLAN_BOOK_H_
#define SERVICES_INSPECTION_PLAN_BOOK_H_

// Inspection plans and their lifecycle: DRAFT -> COMMITTED -> DRAWN -> CLOSED.
// (Commit and draw live in draw_desk.h; this keeps the plans themselves.)
//
// A plan names its department (or several, for a joint inspection), items, eligible
// population, per-class quotas, team size (never fewer than two: Administrative Penalty
// Law Art. 42), workload cap and due date. An agency creates plans for its own
// department and within its jurisdiction, and sees only those; auditors and admins see
// all.
//
// Thread safety: safe for concurrent use; plan changes are serialised by a mutex.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "regulation/internal/inspection_state.pb.h"
#include "regulation/v1/inspection_service.pb.h"
#include "services/access/caller.h"
#include "services/inspection/roster.h"
#include "services/seams/local_population.h"
#include "services/seams/population_feed.h"
#include "storage/kv_store.h"

namespace regulation::services {

class PlanBook {
 public:
  // Everything must outlive the book. `population` is where a targeted plan's targets
  // are looked up (services/seams/population_feed.h); null: the book's own store, in
  // process (regulatord).
  PlanBook(storage::KvStore* store, Roster* roster, Clock* clock,
           PopulationFeed* population = nullptr)
      : store_(store),
        roster_(roster),
        clock_(clock),
        own_population_(population == nullptr ? std::make_unique<LocalPopulationFeed>(store)
                                              : nullptr),
        population_(population != nullptr ? population : own_population_->feed()) {}

  // INVALID_ARGUMENT naming the field (team_size < 2 among them; a targeted plan's list
  // as ValidateTargets says); PERMISSION_DENIED for another department or region;
  // NOT_FOUND for an unknown item or a listed enterprise not in the directory.
  absl::StatusOr<v1::Plan> Create(const access::Caller& caller,
                                  const v1::CreatePlanRequest& request);
  // Replaces a DRAFT plan's content (request.plan, checked as Create checks it; plan_id,
  // state and create_time kept, version + 1). Idempotent by request_id. NOT_FOUND,
  // PERMISSION_DENIED (the stored plan's or the new content's department or region);
  // FAILED_PRECONDITION for a plan past DRAFT or no longer at request.plan.version;
  // INVALID_ARGUMENT as Create.
  absl::StatusOr<v1::Plan> Update(const access::Caller& caller,
                                  const v1::UpdatePlanRequest& request);
  // NOT_FOUND; PERMISSION_DENIED for a plan the caller may not see.
  absl::StatusOr<v1::Plan> Get(const access::Caller& caller, absl::string_view plan_id);
  absl::StatusOr<v1::ListPlansResponse> List(const access::Caller& caller,
                                             const v1::ListPlansRequest& request);
  // DRAWN -> CLOSED; FAILED_PRECONDITION from any other state.
  absl::StatusOr<v1::Plan> Close(const access::Caller& caller, const v1::ClosePlanRequest& request);

  // For the draw desk: the stored record (access checked), and a conditional update.
  absl::StatusOr<internal::PlanRecord> Load(const access::Caller& caller,
                                            absl::string_view plan_id);
  // Writes `record` (with the plan's version incremented) in `batch`, plus whatever else
  // the caller put there, atomically and durably. FAILED_PRECONDITION when the stored
  // plan is no longer at `expected_version` (a concurrent change).
  absl::Status Save(internal::PlanRecord record, int64_t expected_version,
                    storage::WriteBatch* batch);

 private:
  absl::Status ValidatePlan(const access::Caller& caller, v1::Plan* plan);

  storage::KvStore* const store_;
  Roster* const roster_;
  Clock* const clock_;
  const std::unique_ptr<LocalPopulationFeed> own_population_;
  PopulationFeed* const population_;
  absl::Mutex mu_;
};

// PERMISSION_DENIED unless `caller` may see and act on `plan`: admins and auditors
// always; an agency when its department takes part and the plan's population lies in
// its jurisdiction.
absl::Status CheckPlanAccess(const access::Caller& caller, const v1::Plan& plan);

// The plan's state name for messages, e.g. "DRAFT".
std::string PlanStateName(v1::PlanState state);

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_PLAN_BOOK_H_
