#ifndef SERVICES_SEAMS_ALERT_FEED_H_
#define SERVICES_SEAMS_ALERT_FEED_H_

// Where scoring's score changes go to become alerts (docs/deploy.md §4). Alerts live
// where portrait is served: in regulatord the scorer's change observer is the alert
// monitor itself; in scoringd it is a ScoreChangeOutbox (score_change_outbox.h) that
// delivers the changes through an AlertFeed, a client of portrait's
// regulation.internal.v1.AlertFeedService (alert_feed_client.h).
//
// Thread safety: implementations are safe for concurrent use.

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "services/scoring/score_change_observer.h"

namespace regulation::services {

// Changes per ReportScoreChanges call (the service refuses more).
inline constexpr int kMaxScoreChangesPerCall = 1000;

class AlertFeed {
 public:
  virtual ~AlertFeed() = default;
  // Raises the alerts the changes call for under the rules in force where alerts live;
  // answers how many were new. Idempotent: the same changes again raise nothing.
  virtual absl::StatusOr<int64_t> ReportScoreChanges(absl::Span<const ScoreChange> changes) = 0;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_ALERT_FEED_H_
