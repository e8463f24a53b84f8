#ifndef SERVICES_SEAMS_PORTRAIT_FEED_CLIENT_H_
#define SERVICES_SEAMS_PORTRAIT_FEED_CLIENT_H_

// PortraitFeed as a client of portraitd's regulation.internal.v1.PortraitFeedService:
// what scoringd uses when portrait runs in another process.
//
// Every call has a deadline. All of the service's calls only read, so its service
// config retries each (UNAVAILABLE, with exponential backoff) before its first
// response; a feature stream that breaks later is reopened after the last chunk
// delivered (the same as_of, so the rows are those the unbroken stream would have
// sent), at most kStreamReopens times.
//
// Thread safety: safe for concurrent use.

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "regulation/internal/v1/portrait_feed.grpc.pb.h"
#include "services/seams/portrait_feed.h"

namespace regulation::services {

// The service config of PortraitFeedService (peer_channel.h): every method is a read,
// retried on UNAVAILABLE up to 4 attempts, backoff 0.1 s doubling to at most 2 s.
const std::string& PortraitFeedServiceConfig();

struct PortraitFeedClientOptions {
  // Deadline of a lookup or a count.
  absl::Duration call_deadline = absl::Seconds(10);
  // Deadline of one stream (a ScoreAll pass over the whole directory).
  absl::Duration stream_deadline = absl::Hours(2);
};

class GrpcPortraitFeed : public PortraitFeed {
 public:
  static constexpr int kStreamReopens = 3;
  // Training rows per message: about 1.3 MiB of features at 80 columns.
  static constexpr int kTrainingRowBatch = 4096;

  GrpcPortraitFeed(std::shared_ptr<grpc::Channel> channel, PortraitFeedClientOptions options = {});

  // Statuses: the peer's, as PortraitFeed says; FAILED_PRECONDITION when the peer's
  // feature schema differs from this binary's (the two were built from different
  // catalogues: deploy them together) or a batch is malformed.
  absl::Status ForEachFeatureChunk(
      const std::string& resume_after, int64_t as_of_micros, int chunk_size,
      const std::function<absl::Status(const FeatureChunk&)>& use) override;
  absl::Status ForEachEnterpriseKeys(
      int batch_size,
      const std::function<absl::Status(absl::Span<const EnterpriseKey>)>& use) override;
  absl::StatusOr<int64_t> EstimateEnterpriseCount() override;
  absl::StatusOr<v1::Enterprise> LookupEnterprise(const access::Caller& caller,
                                                  absl::string_view credit_code) override;
  absl::StatusOr<v1::Portrait> CurrentPortrait(const access::Caller& caller,
                                               absl::string_view credit_code) override;
  absl::StatusOr<v1::Portrait> PortraitAsOf(const access::Caller& caller,
                                            absl::string_view credit_code,
                                            const google::protobuf::Timestamp& as_of) override;
  // The rows arrive as a stream of batches after the peer has built them all (its
  // progress messages come first); a broken stream fails the call (training is rerun
  // whole, as in one process), and FAILED_PRECONDITION as AppendTrainingRowBatch.
  absl::StatusOr<LabelledRows> TrainingRows(absl::Span<const int64_t> window_starts,
                                            int64_t label_window_micros,
                                            const std::function<void(int64_t, int64_t)>& progress,
                                            const KeepGoing& keep_going) override;

 private:
  std::unique_ptr<internal::v1::PortraitFeedService::Stub> stub_;
  const PortraitFeedClientOptions options_;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_PORTRAIT_FEED_CLIENT_H_
