#ifndef SERVICES_SCORING_BACKTEST_H_
#define SERVICES_SCORING_BACKTEST_H_

// Point-in-time scoring and backtests (docs/scoring.md, "Backtests").
//
//   ScoreAsOf  a stored model (the active one by default) applied to an enterprise's
//              portrait as of a past moment (PortraitFeed::PortraitAsOf: in process or
//              from the portrait service).
//   Backtest   every inspection of a period scored as of the instant before its own day
//              (period_inspections.h), with AUC, precision / recall / lift at 5, 10 and
//              20% budgets, calibration and the schedule metric (scoring/
//              schedule_metric.h), beside random orders, a linear baseline trained for
//              the backtest on labels that end before the period, the oracle when the
//              generator's truth is given, and the selection-corrected figures of the
//              period's random-draw inspections (scoring/selection_estimates.h).
//
// Nothing from the period's future reaches a score: a model whose training labels reach
// into the period is refused, the baseline's rows are labelled strictly before the
// period, and each inspection's features end before its day.
//
// Thread safety: safe for concurrent use (reads only; models are immutable once loaded).

#include <memory>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "regulation/v1/scoring_service.pb.h"
#include "services/access/caller.h"
#include "services/scoring/model_registry.h"
#include "services/seams/portrait_feed.h"
#include "storage/kv_store.h"

namespace regulation::services {

class Backtester {
 public:
  // Everything must outlive the backtester. `history` is the store holding the events
  // and the plans a backtest reads (regulatord's), or null where scoring runs apart
  // from them (scoringd: Backtest is then FAILED_PRECONDITION); `portraits` gives
  // ScoreAsOf its portraits.
  Backtester(storage::KvStore* history, PortraitFeed* portraits, ModelRegistry* registry,
             Clock* clock)
      : store_(history), portraits_(portraits), registry_(registry), clock_(clock) {}

  // Statuses of PortraitReader::AsOf (as_of missing, malformed or in the future:
  // INVALID_ARGUMENT naming as_of; jurisdiction); NOT_FOUND for an unknown
  // model_version; FAILED_PRECONDITION when no model is active (and none is named) or the
  // model reads another feature schema.
  absl::StatusOr<v1::RiskScore> ScoreAsOf(const access::Caller& caller,
                                          const v1::ScoreAsOfRequest& request);

  // INVALID_ARGUMENT naming from / to / shuffles; NOT_FOUND for an unknown model;
  // FAILED_PRECONDITION when the model's training labels reach into the period, the
  // period holds no inspection, or this process holds no history (scoringd).
  absl::StatusOr<v1::BacktestReport> Backtest(const v1::BacktestRequest& request);

 private:
  // The model named, or the active one (empty `version`), ready to predict.
  absl::StatusOr<std::shared_ptr<const ActiveModel>> Load(absl::string_view version);

  storage::KvStore* const store_;  // null: no history here
  PortraitFeed* const portraits_;
  ModelRegistry* const registry_;
  Clock* const clock_;
};

}  // namespace regulation::services

#endif  // SERVICES_SCORING_BACKTEST_H_
