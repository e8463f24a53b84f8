#ifndef SERVICES_SEAMS_PORTRAIT_FEED_SERVICE_H_
#define SERVICES_SEAMS_PORTRAIT_FEED_SERVICE_H_

// The server side of regulation.internal.v1.PortraitFeedService: portraitd serves its
// PortraitFeed (a LocalPortraitFeed over its store) to scoringd. Who may call is the
// access interceptor's business (only the scoringd service identity); lookups apply
// the on_behalf_of caller's jurisdiction.
//
// Thread safety: as grpc services; the feed must be safe for concurrent use.

#include <grpcpp/grpcpp.h>

#include "regulation/internal/v1/portrait_feed.grpc.pb.h"
#include "services/seams/portrait_feed.h"

namespace regulation::services {

class PortraitFeedServiceImpl final : public internal::v1::PortraitFeedService::Service {
 public:
  // `feed` must outlive the service.
  explicit PortraitFeedServiceImpl(PortraitFeed* feed) : feed_(feed) {}

  grpc::Status StreamFeatures(grpc::ServerContext* context,
                              const internal::v1::StreamFeaturesRequest* request,
                              grpc::ServerWriter<internal::v1::FeatureBatch>* writer) override;
  grpc::Status StreamEnterpriseKeys(
      grpc::ServerContext* context, const internal::v1::StreamEnterpriseKeysRequest* request,
      grpc::ServerWriter<internal::v1::EnterpriseKeyBatch>* writer) override;
  grpc::Status EstimateEnterpriseCount(
      grpc::ServerContext* context, const internal::v1::EstimateEnterpriseCountRequest* request,
      internal::v1::EstimateEnterpriseCountResponse* response) override;
  grpc::Status LookupEnterprise(grpc::ServerContext* context,
                                const internal::v1::LookupEnterpriseRequest* request,
                                v1::Enterprise* response) override;
  grpc::Status GetPortraitFor(grpc::ServerContext* context,
                              const internal::v1::LookupEnterpriseRequest* request,
                              v1::Portrait* response) override;
  grpc::Status StreamTrainingRows(
      grpc::ServerContext* context, const internal::v1::StreamTrainingRowsRequest* request,
      grpc::ServerWriter<internal::v1::TrainingRowBatch>* writer) override;
  grpc::Status GetPortraitAsOfFor(grpc::ServerContext* context,
                                  const internal::v1::PortraitAsOfRequest* request,
                                  v1::Portrait* response) override;

 private:
  PortraitFeed* const feed_;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_PORTRAIT_FEED_SERVICE_H_
