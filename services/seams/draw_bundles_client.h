#ifndef SERVICES_SEAMS_DRAW_BUNDLES_CLIENT_H_
#define SERVICES_SEAMS_DRAW_BUNDLES_CLIENT_H_

// DrawBundles as a client of the inspection service's InspectionFeedService
// (GetDrawnRound, GetBundlePart): what disclosured's public records read a draw's bundle
// through. Reads only, retried on UNAVAILABLE by InspectionFeedServiceConfig(); each call
// has the deadline given; a peer that cannot be reached gives UNAVAILABLE or
// DEADLINE_EXCEEDED whose message begins "inspection service: ".
//
// Thread safety: safe for concurrent use.

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "regulation/internal/v1/inspection_feed.grpc.pb.h"
#include "services/seams/draw_bundles.h"

namespace regulation::services {

class GrpcDrawBundles : public DrawBundles {
 public:
  GrpcDrawBundles(std::shared_ptr<grpc::Channel> channel,
                  absl::Duration call_deadline = absl::Seconds(10));
  absl::StatusOr<v1::Draw> DrawnRound(absl::string_view plan_id, int round) override;
  absl::StatusOr<std::string> BundlePart(absl::string_view plan_id, int round,
                                         int64_t part) override;

 private:
  std::unique_ptr<internal::v1::InspectionFeedService::Stub> stub_;
  const absl::Duration call_deadline_;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_DRAW_BUNDLES_CLIENT_H_
