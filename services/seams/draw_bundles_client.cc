#include "services/seams/draw_bundles_client.h"

#include <grpcpp/client_context.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "services/common/grpc_status.h"
#include "services/seams/peer_channel.h"

namespace regulation::services {
namespace {

// The peer's own answers pass through; failing to reach it names it.
absl::Status WithPeer(const grpc::Status& got) {
  return NamingPeer("inspection service", FromGrpcStatus(got));
}

}  // namespace

GrpcDrawBundles::GrpcDrawBundles(std::shared_ptr<grpc::Channel> channel,
                                 absl::Duration call_deadline)
    : stub_(internal::v1::InspectionFeedService::NewStub(std::move(channel))),
      call_deadline_(call_deadline) {}

absl::StatusOr<v1::Draw> GrpcDrawBundles::DrawnRound(absl::string_view plan_id, int round) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + call_deadline_));
  internal::v1::GetDrawnRoundRequest request;
  request.set_plan_id(std::string(plan_id));
  request.set_round(round);
  v1::Draw draw;
  REG_RETURN_IF_ERROR(WithPeer(stub_->GetDrawnRound(&context, request, &draw)));
  return draw;
}

absl::StatusOr<std::string> GrpcDrawBundles::BundlePart(absl::string_view plan_id, int round,
                                                        int64_t part) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + call_deadline_));
  internal::v1::GetBundlePartRequest request;
  request.set_plan_id(std::string(plan_id));
  request.set_round(round);
  request.set_part(part);
  internal::v1::BundlePart response;
  REG_RETURN_IF_ERROR(WithPeer(stub_->GetBundlePart(&context, request, &response)));
  return std::move(*response.mutable_data());
}

}  // namespace regulation::services
