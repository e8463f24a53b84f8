#ifndef SERVICES_PORTRAIT_INGEST_PROBE_H_
#define SERVICES_PORTRAIT_INGEST_PROBE_H_

// What event ingestion reports for monitoring (services/telemetry implements it over
// Prometheus). The ingestor and the stream pipeline call it when one is set; a probe
// must be cheap and must not block: it runs inside the commit path.
//
// Thread safety: implementations are called concurrently from every stream and call.

#include <cstdint>

#include "absl/time/time.h"

namespace regulation::services {

class IngestProbe {
 public:
  virtual ~IngestProbe() = default;
  // One Commit of one or more batches: events applied, duplicates and rejected, and
  // how long it took (reading ids, enterprises and portrait states, folding, and the
  // one write of events and portraits). `ok` false when storage failed and nothing was
  // written (then the counts are 0).
  virtual void Committed(int64_t applied, int64_t duplicates, int64_t rejected,
                         absl::Duration duration, bool ok) = 0;
  // A stream's batch acknowledged, `latency` after it was read (prepare, queue, commit
  // and the fsync that made it durable).
  virtual void BatchAcknowledged(absl::Duration latency) = 0;
  // Prepared batches waiting for a stream's committer: +1 when one is queued, -1 when
  // the committer takes it (or the stream ends with it still queued).
  virtual void CommitQueueChanged(int delta) = 0;
};

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_INGEST_PROBE_H_
