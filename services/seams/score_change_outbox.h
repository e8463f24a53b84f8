#ifndef SERVICES_SEAMS_SCORE_CHANGE_OUTBOX_H_
#define SERVICES_SEAMS_SCORE_CHANGE_OUTBOX_H_

// scoringd's change observer (score_change_observer.h): ScoreAll's score changes, kept in
// scoringd's own store until the alerts' home (whoever serves portrait) has taken them.
//
// ScoresChanging writes the chunk's changes that could raise an alert under some valid
// rules (the class rose to B or above, or the probability rose; the rules themselves live
// with the alerts) to the `score_change_outbox` column family, durably, before the chunk's
// scores replace the previous ones, and wakes a sender thread; it never calls the peer, so
// a ScoreAll neither waits for nor fails on portrait. The thread sends what is queued in
// calls of kMaxScoreChangesPerCall (AlertFeed::ReportScoreChanges) and deletes what was
// taken; when portrait cannot take it, it tries again after a backoff (first_retry,
// doubling to max_retry), and it starts by sending whatever a stop or a crash left
// queued. An entry is keyed by the alert's cause (the enterprise, the previous score's
// time, the new class), so a resumed or re-run ScoreAll rewrites it rather than adding
// one, and a delivery repeated after a lost answer raises nothing twice (the book stores
// each alert once). The alerts are evaluated under the rules in force where they live at
// delivery.
//
// Thread safety: safe for concurrent use. The store and the feed must outlive the outbox.

#include <cstdint>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/scoring/score_change_observer.h"
#include "services/seams/alert_feed.h"
#include "storage/kv_store.h"

namespace regulation::services {

struct ScoreChangeOutboxOptions {
  // The wait after the first failed delivery; it doubles after each further failure, up
  // to max_retry, and starts over after a success.
  absl::Duration first_retry = absl::Milliseconds(100);
  absl::Duration max_retry = absl::Seconds(30);
};

class ScoreChangeOutbox : public ScoreChangeObserver {
 public:
  // Starts the sender thread, which first sends what is already queued.
  ScoreChangeOutbox(storage::KvStore* store, AlertFeed* feed,
                    const ScoreChangeOutboxOptions& options = {});
  // Stops the sender, after the call in flight (at most its deadline). What is queued
  // stays queued, for the next start.
  ~ScoreChangeOutbox() override;

  // Queues the changes that may raise an alert (durably). The store's statuses: an error
  // stops the ScoreAll before the chunk is written.
  absl::Status ScoresChanging(absl::Span<const ScoreChange> changes) override;

  // Sends everything queued now, deleting each call's changes once taken; answers the
  // alerts newly raised. Stops at the first error (the feed's, or DATA_LOSS for a stored
  // change that does not parse), leaving the rest queued.
  absl::StatusOr<int64_t> DeliverPending();

  // How many changes wait to be delivered.
  absl::StatusOr<int64_t> Pending();

 private:
  void SendLoop();

  storage::KvStore* const store_;
  AlertFeed* const feed_;
  const ScoreChangeOutboxOptions options_;
  // One delivery at a time (the thread's, or a caller's).
  absl::Mutex deliver_mu_;
  absl::Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread sender_;
};

// Whether a change can raise an alert under some valid rules (alert_rules.h: a class rise
// into class B or above; a probability rise by more than a positive minimum).
bool MayRaiseAlert(const ScoreChange& change);

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_SCORE_CHANGE_OUTBOX_H_
