#ifndef COMMON_CLOCK_H_
#define COMMON_CLOCK_H_

// The time source, injected so that tests control it and so that nothing that must be
// reproducible (a draw) reads the wall clock by accident. Tests use FakeClock
// (testing/fake_clock.h).

#include "absl/time/time.h"

namespace regulation {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() = 0;
};

// The system clock; a process-wide singleton, never destroyed. Thread-safe.
Clock* RealClock();

// China Standard Time (UTC+8, no daylight saving): the zone in which calendar dates
// (establishment dates, deadlines) are interpreted.
absl::TimeZone ChinaTimeZone();

}  // namespace regulation

#endif  // COMMON_CLOCK_H_
