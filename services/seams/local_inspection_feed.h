#ifndef SERVICES_SEAMS_LOCAL_INSPECTION_FEED_H_
#define SERVICES_SEAMS_LOCAL_INSPECTION_FEED_H_

// InspectionFeed over this process's plan book and assignment board: what disclosure
// uses in regulatord, and what the inspection side serves to disclosured
// (inspection_feed_service.h).
//
// Thread safety: as PlanBook and AssignmentBoard (safe for concurrent use).

#include "services/inspection/assignment_board.h"
#include "services/inspection/plan_book.h"
#include "services/seams/inspection_feed.h"

namespace regulation::services {

class LocalInspectionFeed : public InspectionFeed {
 public:
  // Both must outlive the feed.
  LocalInspectionFeed(PlanBook* plans, AssignmentBoard* board) : plans_(plans), board_(board) {}

  absl::StatusOr<v1::Plan> LoadPlan(const access::Caller& caller,
                                    absl::string_view plan_id) override;
  absl::StatusOr<v1::Assignment> FindAssignment(absl::string_view inspector_id,
                                                absl::string_view plan_id,
                                                absl::string_view credit_code) override;
  absl::StatusOr<std::vector<std::string>> JointPlansOf(absl::string_view plan_id,
                                                        absl::string_view credit_code) override;

 private:
  PlanBook* const plans_;
  AssignmentBoard* const board_;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_LOCAL_INSPECTION_FEED_H_
