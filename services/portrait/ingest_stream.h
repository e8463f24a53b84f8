#ifndef SERVICES_PORTRAIT_INGEST_STREAM_H_
#define SERVICES_PORTRAIT_INGEST_STREAM_H_

// One IngestEvents stream. The handler's thread reads batches and runs their stateless
// checks (EventIngestor::Prepare) while a committer thread group-commits whatever has
// arrived (one WriteBatch, one fsync for several batches) and then acknowledges each
// batch, in order. Reading never waits for a disk write, and a burst of small batches
// costs one fsync.
//
// At most kMaxQueuedBatches prepared batches wait for the committer; past that the
// reader stops reading, and gRPC's flow control slows the client: memory stays bounded
// whatever the client sends.

#include <grpcpp/support/sync_stream.h>

#include "absl/status/status.h"
#include "regulation/v1/portrait_service.pb.h"
#include "services/access/caller.h"
#include "services/portrait/event_ingestor.h"

namespace regulation::services {

inline constexpr int kMaxQueuedBatches = 16;
// A group commit takes at most this many events.
inline constexpr int kMaxEventsPerCommit = 8000;

// Runs the stream to its end. OK when the client half-closed and every batch was
// acknowledged; INVALID_ARGUMENT for a message with no events or too many (batches
// before it are still acknowledged); CANCELLED when the client went away; a storage
// error as the ingestor returned it.
absl::Status RunIngestStream(
    EventIngestor* ingestor, const access::Caller& caller,
    grpc::ServerReaderWriterInterface<v1::IngestEventsResponse, v1::IngestEventsRequest>* stream);

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_INGEST_STREAM_H_
