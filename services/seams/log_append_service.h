#ifndef SERVICES_SEAMS_LOG_APPEND_SERVICE_H_
#define SERVICES_SEAMS_LOG_APPEND_SERVICE_H_

// The server side of regulation.internal.v1.LogAppendService: the service that serves the
// disclosure log (regulatord; disclosured) takes the public records of services run apart
// (inspectiond) into its own publication queue and flushes it, so that they reach the log
// exactly as its own records do (crash recovery included), with their bodies in its
// kPublicBodies for the public pages.
//
// Idempotent by record key: a key already published answers its index, a key already
// queued (an earlier attempt whose flush failed) is flushed, not staged again; a key
// known with another body or salt is ALREADY_EXISTS. Who may call is the access
// interceptor's business (only the inspectiond service identity).
//
// Statuses: INVALID_ARGUMENT naming records[i] for a leaf that does not parse, names
// another key or does not commit to the body and salt, or too many records;
// ALREADY_EXISTS as above; UNAVAILABLE when the log cannot be appended to (the records
// stay queued and the next call or flush publishes them).
//
// Thread safety: as grpc services; calls are serialised.

#include <grpcpp/grpcpp.h>

#include "absl/synchronization/mutex.h"
#include "disclosure/publication_queue.h"
#include "regulation/internal/v1/log_append.grpc.pb.h"
#include "storage/kv_store.h"

namespace regulation::services {

class LogAppendServiceImpl final : public internal::v1::LogAppendService::Service {
 public:
  static constexpr int kMaxRecordsPerCall = 256;

  // `store` is the log owner's, `queue` its publication queue over it; both must outlive
  // the service.
  LogAppendServiceImpl(storage::KvStore* store, disclosure::PublicationQueue* queue)
      : store_(store), queue_(queue) {}

  grpc::Status AppendRecords(grpc::ServerContext* context,
                             const internal::v1::AppendRecordsRequest* request,
                             internal::v1::AppendRecordsResponse* response) override;

 private:
  storage::KvStore* const store_;
  disclosure::PublicationQueue* const queue_;
  absl::Mutex mu_;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_LOG_APPEND_SERVICE_H_
