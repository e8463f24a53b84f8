#ifndef SERVICES_PORTRAIT_DURABLE_EVENTS_OBSERVER_H_
#define SERVICES_PORTRAIT_DURABLE_EVENTS_OBSERVER_H_

// What the event ingestor tells others after events are stored: the events a commit
// applied, once they are durable (services/alerts evaluates its rules on them). The
// ingestor's one post-commit hook: it runs after the write, outside the commit lock, so
// an observer may read the store (and the events just written).
//
// At least once: the ingestor records, with its ingest log, how far the observer has
// succeeded; events it has not (a failure, or a crash between the events' write and the
// observer's) are handed to it again when the ingestor next starts
// (EventIngestor::Start). So an observer must be idempotent: seeing an event twice
// changes nothing the second time.
//
// An observer's own writes need no fsync: the ingestor records its progress only in
// writes made after EventsDurable returned, and the store's one write-ahead log makes
// an earlier write durable whenever it makes a later one durable. So a power loss that
// takes an observer's unsynced write also takes the record that it was done, and the
// events are handed over again.
//
// Thread safety: implementations are called concurrently from every call and stream.

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "regulation/v1/event.pb.h"

namespace regulation::services {

class DurableEventsObserver {
 public:
  virtual ~DurableEventsObserver() = default;
  // `events` were applied (not duplicates, not rejected), in commit order, and are
  // durable. An observer cannot undo them. Not OK: its work on them is not done (it
  // reports why itself); they are handed over again at the next start.
  virtual absl::Status EventsDurable(absl::Span<const v1::Event> events) = 0;
  // Whether EventsDurable can do anything with `event`, whatever the settings it reads
  // then: the ingestor copies and hands over only the events that concern the observer
  // (copying every applied event cost the commit path an allocation-heavy copy each).
  virtual bool Concerns(const v1::Event& event) const { return true; }
};

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_DURABLE_EVENTS_OBSERVER_H_
