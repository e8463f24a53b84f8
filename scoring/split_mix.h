#ifndef SCORING_SPLIT_MIX_H_
#define SCORING_SPLIT_MIX_H_

// SplitMix64 (Steele, Lea and Flood, 2014): a small, fully specified generator, so that
// bootstraps and shuffles give the same figures from the same seed on every platform
// (the distributions of <random> are not specified bit for bit).
//
// Thread safety: one generator per thread.

#include <cstdint>
#include <limits>

namespace regulation::scoring {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n), without modulo bias (rejection). REQUIRES: n > 0.
  uint64_t Below(uint64_t n) {
    const uint64_t max = std::numeric_limits<uint64_t>::max();
    const uint64_t limit = max - max % n;
    uint64_t x;
    do {
      x = Next();
    } while (x >= limit);
    return x % n;
  }

 private:
  uint64_t state_;
};

}  // namespace regulation::scoring

#endif  // SCORING_SPLIT_MIX_H_
