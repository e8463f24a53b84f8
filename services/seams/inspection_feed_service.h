#ifndef SERVICES_SEAMS_INSPECTION_FEED_SERVICE_H_
#define SERVICES_SEAMS_INSPECTION_FEED_SERVICE_H_

// The server side of regulation.internal.v1.InspectionFeedService: whoever serves
// inspection serves its plans and assignment board (a LocalInspectionFeed) to
// disclosured. Who may call is the access interceptor's business (only the disclosured
// service identity); a plan is read with the on_behalf_of caller's jurisdiction.
//
// Thread safety: as grpc services; the feed must be safe for concurrent use.

#include <grpcpp/grpcpp.h>

#include "regulation/internal/v1/inspection_feed.grpc.pb.h"
#include "services/seams/draw_bundles.h"
#include "services/seams/inspection_feed.h"

namespace regulation::services {

class InspectionFeedServiceImpl final : public internal::v1::InspectionFeedService::Service {
 public:
  // `feed` and `bundles` (the draw rounds the public records of draws carry) must
  // outlive the service.
  InspectionFeedServiceImpl(InspectionFeed* feed, DrawBundles* bundles)
      : feed_(feed), bundles_(bundles) {}

  grpc::Status GetPlanFor(grpc::ServerContext* context,
                          const internal::v1::GetPlanForRequest* request,
                          v1::Plan* response) override;
  grpc::Status FindAssignment(grpc::ServerContext* context,
                              const internal::v1::FindAssignmentRequest* request,
                              v1::Assignment* response) override;
  grpc::Status GetJointPlans(grpc::ServerContext* context,
                             const internal::v1::GetJointPlansRequest* request,
                             internal::v1::JointPlans* response) override;
  grpc::Status GetDrawnRound(grpc::ServerContext* context,
                             const internal::v1::GetDrawnRoundRequest* request,
                             v1::Draw* response) override;
  grpc::Status GetBundlePart(grpc::ServerContext* context,
                             const internal::v1::GetBundlePartRequest* request,
                             internal::v1::BundlePart* response) override;

 private:
  InspectionFeed* const feed_;
  DrawBundles* const bundles_;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_INSPECTION_FEED_SERVICE_H_
