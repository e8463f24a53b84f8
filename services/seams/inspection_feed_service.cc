#include "services/seams/inspection_feed_service.h"

#include "common/status_macros.h"
#include "services/access/serve.h"
#include "services/seams/on_behalf_of.h"

namespace regulation::services {

using access::Caller;
using access::Into;
using access::Serve;

grpc::Status InspectionFeedServiceImpl::GetPlanFor(grpc::ServerContext* context,
                                                   const internal::v1::GetPlanForRequest* request,
                                                   v1::Plan* response) {
  return Serve(context, [&](const Caller&) -> absl::Status {
    REG_ASSIGN_OR_RETURN(Caller on_behalf_of, FromOnBehalfOf(request->on_behalf_of()));
    return Into(response, [&] { return feed_->LoadPlan(on_behalf_of, request->plan_id()); });
  });
}

grpc::Status InspectionFeedServiceImpl::FindAssignment(
    grpc::ServerContext* context, const internal::v1::FindAssignmentRequest* request,
    v1::Assignment* response) {
  return Serve(context, [&](const Caller&) -> absl::Status {
    return Into(response, [&] {
      return feed_->FindAssignment(request->inspector_id(), request->plan_id(),
                                   request->credit_code());
    });
  });
}

grpc::Status InspectionFeedServiceImpl::GetJointPlans(
    grpc::ServerContext* context, const internal::v1::GetJointPlansRequest* request,
    internal::v1::JointPlans* response) {
  return Serve(context, [&](const Caller&) -> absl::Status {
    REG_ASSIGN_OR_RETURN(std::vector<std::string> plans,
                         feed_->JointPlansOf(request->plan_id(), request->credit_code()));
    response->mutable_plan_ids()->Assign(plans.begin(), plans.end());
    return absl::OkStatus();
  });
}

grpc::Status InspectionFeedServiceImpl::GetDrawnRound(
    grpc::ServerContext* context, const internal::v1::GetDrawnRoundRequest* request,
    v1::Draw* response) {
  return Serve(context, [&](const Caller&) -> absl::Status {
    return Into(response, [&] { return bundles_->DrawnRound(request->plan_id(), request->round()); });
  });
}

grpc::Status InspectionFeedServiceImpl::GetBundlePart(
    grpc::ServerContext* context, const internal::v1::GetBundlePartRequest* request,
    internal::v1::BundlePart* response) {
  return Serve(context, [&](const Caller&) -> absl::Status {
    REG_ASSIGN_OR_RETURN(*response->mutable_data(),
                         bundles_->BundlePart(request->plan_id(), request->round(),
                                              request->part()));
    return absl::OkStatus();
  });
}

}  // namespace regulation::services
