#ifndef SERVICES_SCORING_SCORE_ALL_PROBE_H_
#define SERVICES_SCORING_SCORE_ALL_PROBE_H_

// What a ScoreAll run reports for monitoring (services/telemetry implements it over
// Prometheus). Calls must be cheap and must not block.
//
// Thread safety: implementations may be called from concurrent runs.

#include <cstdint>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace regulation::services {

class ScoreAllProbe {
 public:
  virtual ~ScoreAllProbe() = default;
  // A run began (a resumed one too).
  virtual void Started() = 0;
  // The run has written `scored` scores so far (after each write: every progress message
  // and at the end).
  virtual void Scored(int64_t scored) = 0;
  // The run ended with `status` after `duration`.
  virtual void Finished(const absl::Status& status, absl::Duration duration) = 0;
};

}  // namespace regulation::services

#endif  // SERVICES_SCORING_SCORE_ALL_PROBE_H_
