#ifndef SERVICES_SEAMS_POPULATION_FEED_SERVICE_H_
#define SERVICES_SEAMS_POPULATION_FEED_SERVICE_H_

// The server side of the population feed (population_feed.h): portrait serves its half
// (regulation.internal.v1.PortraitPopulationService), scoring its stored classes
// (StoredClassService), to inspectiond. Who may call is the access interceptor's business
// (only the inspectiond service identity).
//
// Thread safety: as grpc services; the halves must be safe for concurrent use.

#include <grpcpp/grpcpp.h>

#include "regulation/internal/v1/population_feed.grpc.pb.h"
#include "services/seams/population_feed.h"

namespace regulation::services {

// At most this many codes per GetEnterprises call.
inline constexpr int kMaxEnterprisesPerCall = 65536;

class PortraitPopulationServiceImpl final
    : public internal::v1::PortraitPopulationService::Service {
 public:
  // `portrait` must outlive the service.
  explicit PortraitPopulationServiceImpl(PortraitPopulation* portrait) : portrait_(portrait) {}

  grpc::Status StreamPopulation(grpc::ServerContext* context,
                                const internal::v1::StreamPopulationRequest* request,
                                grpc::ServerWriter<internal::v1::PopulationBatch>* writer) override;
  grpc::Status GetEnterprises(grpc::ServerContext* context,
                              const internal::v1::GetEnterprisesRequest* request,
                              internal::v1::GetEnterprisesResponse* response) override;

 private:
  PortraitPopulation* const portrait_;
};

class StoredClassServiceImpl final : public internal::v1::StoredClassService::Service {
 public:
  // `classes` must outlive the service.
  explicit StoredClassServiceImpl(StoredClasses* classes) : classes_(classes) {}

  grpc::Status StreamClasses(grpc::ServerContext* context,
                             const internal::v1::StreamClassesRequest* request,
                             grpc::ServerWriter<internal::v1::ClassBatch>* writer) override;

 private:
  StoredClasses* const classes_;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_POPULATION_FEED_SERVICE_H_
