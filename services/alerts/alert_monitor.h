#ifndef SERVICES_ALERTS_ALERT_MONITOR_H_
#define SERVICES_ALERTS_ALERT_MONITOR_H_

// Evaluates the alert rules (alert_rules.h) where their causes happen: on events once
// the ingestor has made them durable (DurableEventsObserver), and on each ScoreAll
// chunk before its scores replace the previous ones (ScoreChangeObserver). Reads the
// rules in force, the enterprise's region and, for the complaint rule, its current
// portrait state (the store's history only where the state cannot decide:
// complaint_history.h); raises through the AlertBook, which stores each alert once.
//
// Failures: an event's alerts that cannot be stored are logged and returned (the events
// are stored already and stay so): the ingestor hands those events over again when it
// next starts, and the book stores each alert once, so that nothing is lost or doubled,
// a crash between the events' write and the alerts' included. A ScoreAll chunk's are
// returned, which stops the run before the chunk is written, so that resuming it raises
// them then.
//
// Thread safety: safe for concurrent use. Everything must outlive the monitor.

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "services/alerts/alert_book.h"
#include "services/portrait/durable_events_observer.h"
#include "services/portrait/live_portraits.h"
#include "services/scoring/score_change_observer.h"
#include "storage/kv_store.h"

namespace regulation::services {

class AlertMonitor : public DurableEventsObserver, public ScoreChangeObserver {
 public:
  AlertMonitor(storage::KvStore* store, AlertBook* book) : store_(store), book_(book) {}

  // Where the complaint rule reads an enterprise's current state (not owned; it must
  // outlive the monitor): the ingestor's, whose states hold every event before the
  // ingestor tells the monitor of it. Without one, every complaint reads the store. Set
  // it before the monitor is shared between threads.
  void set_current_states(LivePortraits* states) { states_ = states; }

  absl::Status EventsDurable(absl::Span<const v1::Event> events) override;
  // The events some rule looks at (AnyRuleLooksAt).
  bool Concerns(const v1::Event& event) const override;
  absl::Status ScoresChanging(absl::Span<const ScoreChange> changes) override;

  // What EventsDurable raises, with its status: the alerts newly stored.
  absl::StatusOr<int> RaiseForEvents(absl::Span<const v1::Event> events);
  // What ScoresChanging raises, with the number newly stored: what a scoring service
  // apart reports (services/seams/alert_feed_service.h). The same changes again raise 0.
  absl::StatusOr<int> RaiseForScoreChanges(absl::Span<const ScoreChange> changes);

 private:
  // Sets each alert's region code from the directory (the credit code's registration
  // region for an enterprise not in it).
  absl::Status SetRegions(std::vector<v1::Alert>* alerts);

  // Whether the complaint `event` crossed the threshold, from the state when it can tell.
  absl::StatusOr<bool> ComplaintCrossed(const v1::AlertRules::Complaints& rule,
                                        const v1::Event& event, int* counted);

  storage::KvStore* const store_;
  AlertBook* const book_;
  LivePortraits* states_ = nullptr;
};

}  // namespace regulation::services

#endif  // SERVICES_ALERTS_ALERT_MONITOR_H_
