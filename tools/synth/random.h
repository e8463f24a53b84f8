#ifndef TOOLS_SYNTH_RANDOM_H_
#define TOOLS_SYNTH_RANDOM_H_

// Deterministic random numbers for the synthetic population.
//
// Every random choice the generator makes comes from an Rng obtained from a
// StreamFactory: the stream for (seed, enterprise index, stream name) is seeded with
//
//   SHA-256("regulation-synth-v1" 0x00 || le64(seed) || le64(index) || name)
//
// whose 32 bytes, read as four little-endian 64-bit words, are the state of
// xoshiro256** (Blackman and Vigna, 2018; https://prng.di.unimi.it/xoshiro256starstar.c),
// implemented here exactly. An enterprise's draws therefore depend only on the seed and
// its index, never on which other enterprises were generated before it, in which order
// or on which thread.
//
// The transforms below are written out rather than taken from <random>, whose
// distributions differ between standard libraries:
//   Uniform       the top 53 bits of one output times 2^-53, in [0, 1)
//   UniformInt    rejection of the lowest (2^64 mod n) outputs, then modulo: unbiased
//   Normal        Box-Muller, cosine branch only (one normal per two uniforms)
//   Exponential   -mean * log(1 - U)
//   Poisson       inversion by sequential search for means up to 30; above that the
//                 normal approximation, rounded and clamped at zero
//   Categorical   cumulative weights scanned in order
// exp, log, cos and sqrt come from the C library: results are identical on one
// platform and C library; another libm may differ in the last bit, which can flip a
// rare comparison.
//
// Thread safety: an Rng or StreamFactory is not thread-safe; give each thread its own.
// Different Rng objects are independent.

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/sha256.h"

namespace regulation::synth {

class Rng {
 public:
  // The state is the four little-endian 64-bit words of `seed_bytes`. An all-zero
  // state (which xoshiro cannot leave) is replaced by a fixed nonzero one.
  explicit Rng(const unsigned char seed_bytes[32]);
  // The state words given directly (for tests against the reference implementation).
  Rng(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3);

  // The next raw 64-bit output of xoshiro256**.
  uint64_t Next();

  // Uniform in [0, 1), 53 bits of precision.
  double Uniform();
  // Uniform in (0, 1].
  double UniformPositive() { return 1.0 - Uniform(); }
  // Uniform in [lo, hi).
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [0, n), unbiased. REQUIRES: n > 0.
  uint64_t UniformInt(uint64_t n);
  // Uniform integer in [lo, hi], both included. REQUIRES: lo <= hi.
  int64_t UniformInt(int64_t lo, int64_t hi);
  // True with probability p (p <= 0 never, p >= 1 always); consumes one output.
  bool Bernoulli(double p) { return Uniform() < p; }
  // Standard normal.
  double Normal();
  double Normal(double mean, double sd) { return mean + sd * Normal(); }
  // median * exp(sigma * Normal()).
  double LogNormal(double median, double sigma);
  // Exponential with the given mean.
  double Exponential(double mean);
  // Poisson with the given mean (0 for mean <= 0).
  int Poisson(double mean);
  // An index in [0, weights.size()) chosen with probability proportional to its
  // weight. REQUIRES: weights non-empty, non-negative, with a positive sum.
  size_t Categorical(absl::Span<const double> weights);

 private:
  uint64_t s_[4];
};

// Makes the Rng of each (index, stream name) for one seed.
class StreamFactory {
 public:
  explicit StreamFactory(uint64_t seed) : seed_(seed) {}
  StreamFactory(const StreamFactory&) = delete;
  StreamFactory& operator=(const StreamFactory&) = delete;

  uint64_t seed() const { return seed_; }

  // The stream seeded with SHA-256 of the domain string, seed, index and name (above).
  Rng Stream(int64_t index, absl::string_view name);

 private:
  uint64_t seed_;
  Sha256Hasher hasher_;
};

}  // namespace regulation::synth

#endif  // TOOLS_SYNTH_RANDOM_H_
