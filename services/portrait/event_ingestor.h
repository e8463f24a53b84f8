#ifndef SERVICES_PORTRAIT_EVENT_INGESTOR_H_
#define SERVICES_PORTRAIT_EVENT_INGESTOR_H_

// Event ingestion: validates events, stores them, and folds each into its enterprise's
// portrait state, all in one atomic write per call.
//
// Idempotency: an event id that was ingested before with the same content is a
// duplicate (nothing changes; it counts as such); the same id with different content is
// refused with ALREADY_EXISTS. "Content" is the event as submitted, without ingest_time.
//
// Durability: each call's accepted events, their id records and the updated portrait
// states are one WriteBatch, fsync'ed before the call returns: an acknowledged event is
// never lost, and a crash never leaves an event without its portrait update or the
// reverse. Calls are serialised (one mutex): each reads the states it updates.
//
// Thread safety: safe for concurrent use.

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "common/clock.h"
#include "regulation/v1/event.pb.h"
#include "services/access/caller.h"
#include "storage/kv_store.h"

namespace regulation::services {

// What happened to each event of a call.
struct IngestOutcome {
  enum class Kind { kApplied, kDuplicate, kRejected };
  struct Item {
    Kind kind = Kind::kRejected;
    // Why it was rejected: INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED or
    // ALREADY_EXISTS, naming the field as `<prefix>.<field>`.
    absl::Status status;
    // The portrait's version after the event (applied and duplicates: the current one).
    int64_t portrait_version = 0;
  };
  std::vector<Item> items;  // one per event, in order
  int applied = 0;
  int duplicates = 0;
};

class EventIngestor {
 public:
  static constexpr int kMaxBatchSize = 1000;

  // `store` and `clock` must outlive the ingestor.
  EventIngestor(storage::KvStore* store, Clock* clock) : store_(store), clock_(clock) {}

  // Ingests 1 to kMaxBatchSize `events` in order (later events of the same enterprise
  // see the earlier ones). Messages name event i as "events[i]", or as "event" when
  // `single`. Per-event problems are reported in the outcome; the returned status is
  // not OK only when the call itself failed (storage), and then nothing was written.
  absl::StatusOr<IngestOutcome> Ingest(const access::Caller& caller,
                                       absl::Span<const v1::Event* const> events, bool single);

 private:
  storage::KvStore* const store_;
  Clock* const clock_;
  absl::Mutex mu_;
};

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_EVENT_INGESTOR_H_
