#ifndef TOOLS_BENCH_CLOSED_LOOP_H_
#define TOOLS_BENCH_CLOSED_LOOP_H_

// N callers, each on its own thread, each making one call after another (a closed loop)
// until a time is up. Each caller has a deterministic random stream of its own.

#include <functional>

#include "absl/time/time.h"
#include "tools/bench/bench_support.h"

namespace regulation::bench {

// Runs `step(caller, rng)` repeatedly on `callers` threads for `duration`; returns the time
// from the start until every caller has finished its last step.
absl::Duration RunClosedLoop(int callers, absl::Duration duration,
                             const std::function<void(int caller, SplitMix64& rng)>& step);

}  // namespace regulation::bench

#endif  // TOOLS_BENCH_CLOSED_LOOP_H_
