#ifndef SERVICES_PORTRAIT_INGEST_STREAM_H_
#define SERVICES_PORTRAIT_INGEST_STREAM_H_

// One IngestEvents stream, as a three-stage pipeline:
//   1. the handler's thread reads batches and runs their stateless checks
//      (EventIngestor::Prepare);
//   2. a committer thread applies whatever has arrived as one group (one WriteBatch for
//      several batches), without waiting for the disk;
//   3. an acknowledger thread fsyncs the write-ahead log once for every group
//      committed so far, acknowledges each batch, in order, and then hands the events
//      to the durable-events observer (the alert rules), whose work so stays out of the
//      acknowledgements' path (a stream's last acknowledgement still comes before its
//      end, and the stream ends only once the observer has seen every event).
// So reading never waits for a disk write, the next group's work overlaps this
// group's fsync, and a batch is acknowledged only once it is durable. A crash loses
// nothing acknowledged; batches committed but not yet synced may be lost (the client
// resends them, and replays are duplicates), and meanwhile readers may already see
// them.
//
// At most kMaxQueuedBatches prepared batches wait for the committer; past that the
// reader stops reading, and gRPC's flow control slows the client: memory stays bounded
// whatever the client sends.

#include <grpcpp/support/sync_stream.h>

#include <functional>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "regulation/v1/portrait_service.pb.h"
#include "services/access/audit_sink.h"
#include "services/access/caller.h"
#include "services/portrait/event_ingestor.h"

namespace regulation::services {

inline constexpr int kMaxQueuedBatches = 16;
// A group commit takes at most this many events.
inline constexpr int kMaxEventsPerCommit = 8000;

// What a stream may do besides reading, writing and committing.
struct IngestStreamHooks {
  // Ends the call at once (ServerContext::TryCancel); called on a storage error, see below.
  std::function<void()> cancel;
  // Asked before each message is processed: an error (a certificate revoked or expired
  // since the stream began) ends the stream with it.
  std::function<absl::Status()> still_authorized;
  // Receives one record for each group of events committed, written in the same atomic
  // write as the events (AuditSink::AppendWithBatch): whatever way the stream ends (the
  // client killed, a cancellation, a deadline, the server stopped or killed), the audit
  // trail accounts for every event it stored. Null: no such records.
  access::AuditSink* audit = nullptr;
};

// Runs the stream to its end. OK when the client half-closed and every batch was
// acknowledged; INVALID_ARGUMENT for a message with no events or too many (batches
// before it are still acknowledged); CANCELLED when the client went away; a storage
// error as the ingestor returned it. On a storage error, `hooks.cancel` (if given) is
// called to end the call at once: the reading thread may be blocked waiting for a client
// whose window is full of unacknowledged batches, and would otherwise wait forever. The
// client then sees CANCELLED; the server's log and audit record carry the error.
// When `hooks.still_authorized` fails, the stream ends with its error, after the earlier
// messages are acknowledged.
absl::Status RunIngestStream(
    EventIngestor* ingestor, const access::Caller& caller,
    grpc::ServerReaderWriterInterface<v1::IngestEventsResponse, v1::IngestEventsRequest>* stream,
    IngestStreamHooks hooks = {});

// The audit record of `events` events stored by one commit of `method`, whose request
// messages, serialized, are `requests` (in order): written in the same batch as the
// events.
access::AuditEntry StoredEventsEntry(const access::Caller& caller, absl::string_view method,
                                     absl::Span<const absl::string_view> requests,
                                     int64_t events);

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_INGEST_STREAM_H_
