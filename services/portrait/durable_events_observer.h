#ifndef SERVICES_PORTRAIT_DURABLE_EVENTS_OBSERVER_H_
#define SERVICES_PORTRAIT_DURABLE_EVENTS_OBSERVER_H_

// What the event ingestor tells others after events are stored: the events a commit
// applied, once they are durable (services/alerts evaluates its rules on them). The
// ingestor's one post-commit hook: it runs after the write, outside the commit lock, so
// an observer may read the store (and the events just written).
//
// Thread safety: implementations are called concurrently from every call and stream.

#include "absl/types/span.h"
#include "regulation/v1/event.pb.h"

namespace regulation::services {

class DurableEventsObserver {
 public:
  virtual ~DurableEventsObserver() = default;
  // `events` were applied (not duplicates, not rejected), in commit order, and are
  // durable. An observer cannot undo them: it reports its own failures itself.
  virtual void EventsDurable(absl::Span<const v1::Event> events) = 0;
};

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_DURABLE_EVENTS_OBSERVER_H_
