#include "services/seams/inspection_feed_client.h"

#include <grpcpp/client_context.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "services/common/grpc_status.h"
#include "services/seams/peer_channel.h"
#include "services/seams/on_behalf_of.h"

namespace regulation::services {
namespace {

// The peer's own answers pass through; failing to reach it names it.
absl::Status WithPeer(const grpc::Status& got) {
  return NamingPeer("inspection service", FromGrpcStatus(got));
}

}  // namespace

const std::string& InspectionFeedServiceConfig() {
  static const auto* const kConfig = new std::string(RetriedServiceConfig({"regulation.internal.v1.InspectionFeedService"}));
  return *kConfig;
}

GrpcInspectionFeed::GrpcInspectionFeed(std::shared_ptr<grpc::Channel> channel,
                                       absl::Duration call_deadline)
    : stub_(internal::v1::InspectionFeedService::NewStub(std::move(channel))),
      call_deadline_(call_deadline) {}

absl::StatusOr<v1::Plan> GrpcInspectionFeed::LoadPlan(const access::Caller& caller,
                                                      absl::string_view plan_id) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + call_deadline_));
  internal::v1::GetPlanForRequest request;
  request.set_plan_id(std::string(plan_id));
  *request.mutable_on_behalf_of() = ToOnBehalfOf(caller);
  v1::Plan plan;
  REG_RETURN_IF_ERROR(WithPeer(stub_->GetPlanFor(&context, request, &plan)));
  return plan;
}

absl::StatusOr<v1::Assignment> GrpcInspectionFeed::FindAssignment(absl::string_view inspector_id,
                                                                  absl::string_view plan_id,
                                                                  absl::string_view credit_code) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + call_deadline_));
  internal::v1::FindAssignmentRequest request;
  request.set_inspector_id(std::string(inspector_id));
  request.set_plan_id(std::string(plan_id));
  request.set_credit_code(std::string(credit_code));
  v1::Assignment assignment;
  REG_RETURN_IF_ERROR(WithPeer(stub_->FindAssignment(&context, request, &assignment)));
  return assignment;
}

absl::StatusOr<std::vector<std::string>> GrpcInspectionFeed::JointPlansOf(
    absl::string_view plan_id, absl::string_view credit_code) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + call_deadline_));
  internal::v1::GetJointPlansRequest request;
  request.set_plan_id(std::string(plan_id));
  request.set_credit_code(std::string(credit_code));
  internal::v1::JointPlans plans;
  REG_RETURN_IF_ERROR(WithPeer(stub_->GetJointPlans(&context, request, &plans)));
  return std::vector<std::string>(plans.plan_ids().begin(), plans.plan_ids().end());
}

}  // namespace regulation::services
