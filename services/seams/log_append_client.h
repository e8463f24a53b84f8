#ifndef SERVICES_SEAMS_LOG_APPEND_CLIENT_H_
#define SERVICES_SEAMS_LOG_APPEND_CLIENT_H_

// The disclosure log as a service run apart from it sees it: a LogWriter
// (disclosure/publication_queue.h) that sends each leaf, with the body and salt its
// queue stored beside it (kPublicBodies), to regulation.internal.v1.LogAppendService of
// the service that serves the log. inspectiond's publication queue flushes through it.
//
// The service appends a record key at most once (log_append.proto), so a flush retried
// after a lost response appends nothing twice, even when another writer appended in
// between. That is also why the queue need not compare its queued leaves with the log's
// tail after a failed flush: size() is 0 here (the queue's reconciliation then looks at
// no entries, and re-sending is harmless), and Entry() is FAILED_PRECONDITION (entries
// are read from the disclosure service). The call is retried on UNAVAILABLE with backoff
// (it is idempotent); errors reaching the peer name it ("disclosure log: ...").
//
// Thread safety: safe for concurrent use; the queue serialises its flushes.

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "disclosure/publication_queue.h"
#include "regulation/internal/v1/log_append.grpc.pb.h"
#include "storage/kv_store.h"

namespace regulation::services {

// The service config of LogAppendService: retried on UNAVAILABLE up to 4 attempts,
// backoff 0.1 s doubling to at most 2 s.
const std::string& LogAppendServiceConfig();

class GrpcLogWriter : public disclosure::LogWriter {
 public:
  // Records per call and bytes per call (below gRPC's default 4 MiB a message).
  static constexpr size_t kRecordsPerCall = 256;
  static constexpr size_t kBytesPerCall = size_t{3} << 20;

  // `store` is the queue's (where its bodies are); it must outlive the writer.
  GrpcLogWriter(std::shared_ptr<grpc::Channel> channel, storage::KvStore* store,
                absl::Duration call_deadline = absl::Seconds(10));

  // The log indices of `entries` (leaves staged in `store`'s queue), in order.
  // FAILED_PRECONDITION for a leaf whose body is not in the store; the peer's statuses
  // (UNAVAILABLE naming it while the log cannot be reached: the records stay queued).
  absl::StatusOr<std::vector<uint64_t>> Append(absl::Span<const std::string> entries) override;
  uint64_t size() const override { return 0; }
  absl::StatusOr<std::string> Entry(uint64_t index) const override;

 private:
  std::unique_ptr<internal::v1::LogAppendService::Stub> stub_;
  storage::KvStore* const store_;
  const absl::Duration call_deadline_;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_LOG_APPEND_CLIENT_H_
