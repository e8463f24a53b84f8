#include "services/seams/alert_feed_client.h"

#include <grpcpp/client_context.h>

#include <algorithm>
#include <utility>

#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "services/common/grpc_status.h"
#include "services/seams/peer_channel.h"

namespace regulation::services {
namespace {

absl::Status WithPeer(const grpc::Status& got) {
  return NamingPeer("portrait service", FromGrpcStatus(got));
}

}  // namespace

const std::string& AlertFeedServiceConfig() {
  static const auto* const kConfig =
      new std::string(RetriedServiceConfig({"regulation.internal.v1.AlertFeedService"}));
  return *kConfig;
}

internal::v1::ScoreChange ToWire(const ScoreChange& change) {
  internal::v1::ScoreChange wire;
  *wire.mutable_previous() = change.previous;
  *wire.mutable_current() = change.current;
  return wire;
}

ScoreChange FromWire(const internal::v1::ScoreChange& change) {
  return ScoreChange{change.previous(), change.current()};
}

GrpcAlertFeed::GrpcAlertFeed(std::shared_ptr<grpc::Channel> channel, absl::Duration call_deadline)
    : stub_(internal::v1::AlertFeedService::NewStub(std::move(channel))),
      call_deadline_(call_deadline) {}

absl::StatusOr<int64_t> GrpcAlertFeed::ReportScoreChanges(absl::Span<const ScoreChange> changes) {
  int64_t raised = 0;
  for (size_t start = 0; start < changes.size(); start += kMaxScoreChangesPerCall) {
    const size_t end = std::min(changes.size(), start + kMaxScoreChangesPerCall);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + call_deadline_));
    internal::v1::ReportScoreChangesRequest request;
    for (size_t i = start; i < end; ++i) *request.add_changes() = ToWire(changes[i]);
    internal::v1::ReportScoreChangesResponse response;
    REG_RETURN_IF_ERROR(WithPeer(stub_->ReportScoreChanges(&context, request, &response)));
    raised += response.raised();
  }
  return raised;
}

}  // namespace regulation::services
