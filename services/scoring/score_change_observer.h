#ifndef SERVICES_SCORING_SCORE_CHANGE_OBSERVER_H_
#define SERVICES_SCORING_SCORE_CHANGE_OBSERVER_H_

// What ScoreAll tells others about each enterprise's new batch score beside its previous
// one (services/alerts evaluates its score rules on them). Called once per chunk,
// *before* the chunk's scores replace the previous ones, so that whatever the observer
// derives from a change is durable first: a run that stops after the observer but
// before the write compares the same previous score again when resumed or re-run.
//
// Thread safety: implementations may be called from concurrent runs.

#include <string>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "regulation/v1/scoring.pb.h"

namespace regulation::services {

// One enterprise that had a batch score and is getting a new one.
struct ScoreChange {
  v1::RiskScore previous;
  v1::RiskScore current;
};

class ScoreChangeObserver {
 public:
  virtual ~ScoreChangeObserver() = default;
  // The changes of one chunk (enterprises without a previous score are left out). An
  // error stops the run before the chunk is written; the last progress token still
  // resumes it.
  virtual absl::Status ScoresChanging(absl::Span<const ScoreChange> changes) = 0;
};

}  // namespace regulation::services

#endif  // SERVICES_SCORING_SCORE_CHANGE_OBSERVER_H_
