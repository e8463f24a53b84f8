#ifndef SERVICES_SEAMS_ENTERPRISE_HISTORY_CLIENT_H_
#define SERVICES_SEAMS_ENTERPRISE_HISTORY_CLIENT_H_

// EnterpriseHistory as a client of regulation.internal.v1.EnterpriseHistoryService: what
// disclosured uses when portrait runs in another process.
//
// CommitWith writes the batch to disclosured's own store first (durably), then sends the
// event; when portrait cannot take it (down, or slow past the deadline) the call still
// succeeds, kDeferred, and the event is sent again by ResultDesk::RecordHistory from the
// stored result. The names it reads are kept (up to kRememberedNames; then it starts
// afresh) and answered from while portrait cannot be reached: an
// approval publishes the name its preview showed, so approving while portrait is down
// works after a preview made while it was up. Both calls are safe to repeat (recording is idempotent by event id), so
// the service config retries each on UNAVAILABLE with backoff. Failing to reach the peer
// gives UNAVAILABLE or DEADLINE_EXCEEDED beginning "portrait service: ".
//
// Thread safety: safe for concurrent use.

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "regulation/internal/v1/enterprise_history.grpc.pb.h"
#include "services/seams/enterprise_history.h"

namespace regulation::services {

// The service config of EnterpriseHistoryService (peer_channel.h): every method retried
// on UNAVAILABLE up to 4 attempts, backoff 0.1 s doubling to at most 2 s.
const std::string& EnterpriseHistoryServiceConfig();

// Events per RecordResultEvents call (the service refuses more).
inline constexpr int kMaxResultEventsPerCall = 1000;
// Enterprise names a GrpcEnterpriseHistory keeps for when portrait cannot be reached.
inline constexpr size_t kRememberedNames = 100000;

class GrpcEnterpriseHistory : public EnterpriseHistory {
 public:
  // `call_deadline`: the deadline of each call, retries included.
  explicit GrpcEnterpriseHistory(std::shared_ptr<grpc::Channel> channel,
                                 absl::Duration call_deadline = absl::Seconds(10));

  absl::StatusOr<std::optional<std::string>> EnterpriseName(
      absl::string_view credit_code) override;
  absl::StatusOr<Delivery> CommitWith(storage::KvStore* store, const v1::Event& event,
                                      storage::WriteBatch* batch) override;
  absl::StatusOr<int64_t> Record(absl::Span<const v1::Event> events) override;

 private:
  std::unique_ptr<internal::v1::EnterpriseHistoryService::Stub> stub_;
  const absl::Duration call_deadline_;
  absl::Mutex mu_;
  // Credit code -> name (std::nullopt: not in the directory), as last read.
  absl::flat_hash_map<std::string, std::optional<std::string>> names_ ABSL_GUARDED_BY(mu_);
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_ENTERPRISE_HISTORY_CLIENT_H_
