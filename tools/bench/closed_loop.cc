#include "tools/bench/closed_loop.h"

#include <thread>
#include <vector>

#include "absl/time/clock.h"

namespace regulation::bench {

absl::Duration RunClosedLoop(int callers, absl::Duration duration,
                             const std::function<void(int caller, SplitMix64& rng)>& step) {
  const absl::Time start = absl::Now();
  const absl::Time end = start + duration;
  std::vector<std::thread> threads;
  for (int c = 0; c < callers; ++c) {
    threads.emplace_back([&, c] {
      SplitMix64 rng(0x5eed + static_cast<uint64_t>(c));
      while (absl::Now() < end) step(c, rng);
    });
  }
  for (std::thread& t : threads) t.join();
  return absl::Now() - start;
}

}  // namespace regulation::bench
