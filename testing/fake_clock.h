#ifndef TESTING_FAKE_CLOCK_H_
#define TESTING_FAKE_CLOCK_H_

// A Clock (common/clock.h) that moves only when told to: tests and benchmarks that
// control time never sleep.
//
//   FakeClock clock(absl::FromUnixSeconds(1700000000));
//   clock.Advance(absl::Hours(25));   // the deadline has passed
//
// Thread safety: every method may be called from any thread.

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace regulation {

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

}  // namespace regulation

#endif  // TESTING_FAKE_CLOCK_H_
