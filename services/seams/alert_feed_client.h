#ifndef SERVICES_SEAMS_ALERT_FEED_CLIENT_H_
#define SERVICES_SEAMS_ALERT_FEED_CLIENT_H_

// AlertFeed as a client of regulation.internal.v1.AlertFeedService: what scoringd's
// ScoreChangeOutbox delivers through. Reporting is idempotent (alert ids derive from
// their causes), so the service config retries it on UNAVAILABLE with backoff. Failing to
// reach the peer gives UNAVAILABLE or DEADLINE_EXCEEDED beginning "portrait service: ".
//
// Thread safety: safe for concurrent use.

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "regulation/internal/v1/alert_feed.grpc.pb.h"
#include "services/seams/alert_feed.h"

namespace regulation::services {

// The service config of AlertFeedService (peer_channel.h): retried on UNAVAILABLE up to 4
// attempts, backoff 0.1 s doubling to at most 2 s.
const std::string& AlertFeedServiceConfig();

// The wire form of a change, and back.
internal::v1::ScoreChange ToWire(const ScoreChange& change);
ScoreChange FromWire(const internal::v1::ScoreChange& change);

class GrpcAlertFeed : public AlertFeed {
 public:
  // `call_deadline`: the deadline of each call, retries included.
  explicit GrpcAlertFeed(std::shared_ptr<grpc::Channel> channel,
                         absl::Duration call_deadline = absl::Seconds(10));

  // Sends the changes in calls of at most kMaxScoreChangesPerCall.
  absl::StatusOr<int64_t> ReportScoreChanges(absl::Span<const ScoreChange> changes) override;

 private:
  std::unique_ptr<internal::v1::AlertFeedService::Stub> stub_;
  const absl::Duration call_deadline_;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_ALERT_FEED_CLIENT_H_
