#ifndef TOOLS_REGCTL_IMPORT_EVENTS_H_
#define TOOLS_REGCTL_IMPORT_EVENTS_H_

// ImportEventLines: a JSON-lines file of regulation.v1.Event (protobuf's canonical JSON
// mapping, one event per line) streamed through one PortraitService.IngestEvents call.
//
//   - Lines are parsed as they are read; a line that is not valid UTF-8 or not an Event
//     is reported instead of sent; empty lines are skipped.
//   - Events go out in batches of batch_size (and at most max_request_bytes), numbered
//     1, 2, 3... in batch_number. Up to `window` batches are in flight at once, so the
//     server always has the next batch while it makes one durable.
//   - The server acknowledges each batch, in order, once it is durable. An
//     acknowledgement must carry the number of the oldest batch in flight; its item
//     errors are mapped back to lines and reported, in line order, through the ledger
//     (import_ledger.h), which also moves the checkpoint.
//   - The stream is not retried: when it breaks (UNAVAILABLE, a server restart, no
//     acknowledgement for ack_timeout) the import stops and reports why. Batches in
//     flight are neither counted nor reported; a rerun resumes from the checkpoint and
//     sends them again, which is harmless because events are idempotent by event_id.
//   - Reaching the ledger's error limit stops sending; the batches already in flight
//     are still acknowledged and reported.
//
// Memory: the batch being filled plus, per batch in flight, the line number of each
// event (the events themselves are handed to gRPC when sent).
//
// Threads: a writer (reads the file, sends) and a reader (acknowledgements) besides the
// calling thread, which watches for a stalled server. All are joined before return.

#include <cstddef>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tools/regctl/connection.h"
#include "tools/regctl/import/ledger.h"
#include "tools/regctl/import/line_reader.h"

namespace regulation::regctl {

struct EventImportSettings {
  // Events per IngestEventsRequest, 1 to 1,000 (the server's limit).
  int batch_size = 500;
  // Batches sent but not yet acknowledged, at most.
  int window = 8;
  // A batch is sent early rather than grow past this many bytes of events.
  size_t max_request_bytes = 2 << 20;
  // Longest wait for the next acknowledgement while batches are in flight.
  absl::Duration ack_timeout = absl::Seconds(60);
};

// Streams `reader` (positioned at the start of a line) to the end, or until the
// ledger's error limit is reached, or until the input fails (reported through the
// ledger). OK in those cases: the ledger tells which. Otherwise why the stream ended
// early: the call's status (UNAVAILABLE, PERMISSION_DENIED, UNIMPLEMENTED...),
// DEADLINE_EXCEEDED for an acknowledgement that did not come within ack_timeout, or
// INTERNAL when the server broke the protocol (an acknowledgement out of order or
// inconsistent with its batch, or the stream closed with batches unacknowledged).
absl::Status ImportEventLines(const Connection& connection, LineReader* reader,
                              ImportLedger* ledger, const EventImportSettings& settings);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_IMPORT_EVENTS_H_
