#ifndef SERVICES_SEAMS_POPULATION_FEED_CLIENT_H_
#define SERVICES_SEAMS_POPULATION_FEED_CLIENT_H_

// The two halves of the population feed (population_feed.h) as gRPC clients: of
// portrait's PortraitPopulationService and of scoring's StoredClassService. What
// inspectiond joins when portrait and scoring run in other processes.
//
// Every call has a deadline. All calls only read, so the service config retries each
// (UNAVAILABLE, with exponential backoff) before its first response. A stream that breaks
// later fails the pass with UNAVAILABLE naming the peer: a commit is then simply retried
// (the freezer replaces the rows an interrupted commit left). Errors the peer could not
// be reached with name it ("portrait service: ..." or "scoring service: ...").
//
// Thread safety: safe for concurrent use.

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "regulation/internal/v1/population_feed.grpc.pb.h"
#include "services/seams/population_feed.h"

namespace regulation::services {

// The service config of both services (peer_channel.h): every method is a read, retried
// on UNAVAILABLE up to 4 attempts, backoff 0.1 s doubling to at most 2 s.
const std::string& PopulationFeedServiceConfig();

struct PopulationFeedClientOptions {
  // Deadline of a GetEnterprises call.
  absl::Duration call_deadline = absl::Seconds(10);
  // Deadline of one stream (a commit's pass over the whole directory).
  absl::Duration stream_deadline = absl::Hours(2);
};

class GrpcPortraitPopulation : public PortraitPopulation {
 public:
  // Codes per GetEnterprises call (a fan-out slice asks for more in several).
  static constexpr int kCodesPerCall = 4096;

  explicit GrpcPortraitPopulation(std::shared_ptr<grpc::Channel> channel,
                                  PopulationFeedClientOptions options = {});

  // FAILED_PRECONDITION for a malformed batch (column lengths differ).
  absl::Status ForEachBatch(const PopulationQuery& query, const PopulationBatchUse& use) override;
  absl::StatusOr<std::vector<absl::StatusOr<v1::Enterprise>>> GetEnterprises(
      absl::Span<const std::string> credit_codes) override;

 private:
  std::unique_ptr<internal::v1::PortraitPopulationService::Stub> stub_;
  const PopulationFeedClientOptions options_;
};

class GrpcStoredClasses : public StoredClasses {
 public:
  explicit GrpcStoredClasses(std::shared_ptr<grpc::Channel> channel,
                             PopulationFeedClientOptions options = {});

  // The reader's Next: FAILED_PRECONDITION for a malformed batch.
  absl::StatusOr<std::unique_ptr<ClassReader>> Read(int batch_size) override;

 private:
  std::unique_ptr<internal::v1::StoredClassService::Stub> stub_;
  const PopulationFeedClientOptions options_;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_POPULATION_FEED_CLIENT_H_
