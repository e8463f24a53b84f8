#include "common/clock.h"

#include "absl/time/clock.h"

namespace regulation {
namespace {

class SystemClock : public Clock {
 public:
  absl::Time Now() override { return absl::Now(); }
};

}  // namespace

Clock* RealClock() {
  static Clock* clock = new SystemClock();
  return clock;
}

absl::TimeZone ChinaTimeZone() { return absl::FixedTimeZone(8 * 60 * 60); }

}  // namespace regulation
