#ifndef COMMON_CLOCK_H_
#define COMMON_CLOCK_H_

// The time source, injected so that tests control it and so that nothing that must be
// reproducible (a draw) reads the wall clock by accident.

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace regulation {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() = 0;
};

// The system clock; a process-wide singleton, never destroyed. Thread-safe.
Clock* RealClock();

// A clock that moves only when told to. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}
  absl::Time Now() override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }

 private:
  absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

// China Standard Time (UTC+8, no daylight saving): the zone in which calendar dates
// (establishment dates, deadlines) are interpreted.
absl::TimeZone ChinaTimeZone();

}  // namespace regulation

#endif  // COMMON_CLOCK_H_
