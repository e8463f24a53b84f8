#ifndef SERVICES_SEAMS_INSPECTION_FEED_CLIENT_H_
#define SERVICES_SEAMS_INSPECTION_FEED_CLIENT_H_

// InspectionFeed as a client of regulation.internal.v1.InspectionFeedService: what
// disclosured uses when inspection runs in another process.
//
// Every call has a deadline. Every call only reads, so the service config retries each
// on UNAVAILABLE with exponential backoff. A peer that cannot be reached gives
// UNAVAILABLE (or DEADLINE_EXCEEDED) whose message begins "inspection service: ".
//
// Thread safety: safe for concurrent use.

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "regulation/internal/v1/inspection_feed.grpc.pb.h"
#include "services/seams/inspection_feed.h"

namespace regulation::services {

// The service config of InspectionFeedService (peer_channel.h): every method is a read,
// retried on UNAVAILABLE up to 4 attempts, backoff 0.1 s doubling to at most 2 s.
const std::string& InspectionFeedServiceConfig();

class GrpcInspectionFeed : public InspectionFeed {
 public:
  // `call_deadline`: the deadline of each call, retries included.
  explicit GrpcInspectionFeed(std::shared_ptr<grpc::Channel> channel,
                              absl::Duration call_deadline = absl::Seconds(10));

  absl::StatusOr<v1::Plan> LoadPlan(const access::Caller& caller,
                                    absl::string_view plan_id) override;
  absl::StatusOr<v1::Assignment> FindAssignment(absl::string_view inspector_id,
                                                absl::string_view plan_id,
                                                absl::string_view credit_code) override;
  absl::StatusOr<std::vector<std::string>> JointPlansOf(absl::string_view plan_id,
                                                        absl::string_view credit_code) override;

 private:
  std::unique_ptr<internal::v1::InspectionFeedService::Stub> stub_;
  const absl::Duration call_deadline_;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_INSPECTION_FEED_CLIENT_H_
