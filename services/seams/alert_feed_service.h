#ifndef SERVICES_SEAMS_ALERT_FEED_SERVICE_H_
#define SERVICES_SEAMS_ALERT_FEED_SERVICE_H_

// The server side of regulation.internal.v1.AlertFeedService: whoever serves portrait
// keeps the alerts, and raises there the score alerts of a scoring service apart. Who may
// call is the access interceptor's business (only the scoringd service identity).
//
// Thread safety: as grpc services; the monitor is safe for concurrent use.

#include <grpcpp/grpcpp.h>

#include "regulation/internal/v1/alert_feed.grpc.pb.h"
#include "services/alerts/alert_monitor.h"

namespace regulation::services {

class AlertFeedServiceImpl final : public internal::v1::AlertFeedService::Service {
 public:
  // `monitor` must outlive the service.
  explicit AlertFeedServiceImpl(AlertMonitor* monitor) : monitor_(monitor) {}

  // INVALID_ARGUMENT "changes[i]...." for a change that is not two batch scores of one
  // enterprise (a valid credit code, probabilities in [0, 1], classes A to D, the
  // previous score's time), or more than kMaxScoreChangesPerCall changes; nothing is
  // raised then. The book's statuses otherwise.
  grpc::Status ReportScoreChanges(grpc::ServerContext* context,
                                  const internal::v1::ReportScoreChangesRequest* request,
                                  internal::v1::ReportScoreChangesResponse* response) override;

 private:
  AlertMonitor* const monitor_;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_ALERT_FEED_SERVICE_H_
