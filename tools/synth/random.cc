#include "tools/synth/random.h"

#include <cmath>

namespace regulation::synth {
namespace {

constexpr double kTwoPi = 6.283185307179586476925286766559;
constexpr double kPoissonInversionLimit = 30.0;

inline uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t LoadLittleEndian64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

void AppendLittleEndian64(uint64_t v, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

}  // namespace

Rng::Rng(const unsigned char seed_bytes[32])
    : Rng(LoadLittleEndian64(seed_bytes), LoadLittleEndian64(seed_bytes + 8),
          LoadLittleEndian64(seed_bytes + 16), LoadLittleEndian64(seed_bytes + 24)) {}

Rng::Rng(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3) : s_{s0, s1, s2, s3} {
  if ((s0 | s1 | s2 | s3) == 0) s_[0] = 0x9E3779B97F4A7C15ULL;
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

double Rng::Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

uint64_t Rng::UniformInt(uint64_t n) {
  // 2^64 mod n: outputs below it would make the low residues more likely.
  const uint64_t threshold = (0 - n) % n;
  while (true) {
    const uint64_t r = Next();
    if (r >= threshold) return r % n;
  }
}

int64_t Rng::UniformInt(int64_t lo, int64_t hi) {
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
  if (span == 0) return static_cast<int64_t>(Next());  // the whole int64 range
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + UniformInt(span));
}

double Rng::Normal() {
  const double u1 = UniformPositive();
  const double u2 = Uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

double Rng::LogNormal(double median, double sigma) { return median * std::exp(sigma * Normal()); }

double Rng::Exponential(double mean) { return -mean * std::log(UniformPositive()); }

int Rng::Poisson(double mean) {
  if (!(mean > 0.0)) return 0;
  if (mean > kPoissonInversionLimit) {
    const double x = std::floor(mean + std::sqrt(mean) * Normal() + 0.5);
    return x < 0.0 ? 0 : static_cast<int>(x);
  }
  const double u = Uniform();
  double p = std::exp(-mean);
  double cumulative = p;
  int k = 0;
  // The cap only guards against rounding leaving `cumulative` just below u.
  while (u >= cumulative && k < 1000) {
    ++k;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}

size_t Rng::Categorical(absl::Span<const double> weights) {
  double total = 0.0;
  for (double w : weights) total += w;
  const double target = Uniform() * total;
  double cumulative = 0.0;
  for (size_t i = 0; i < weights.size(); ++i) {
    cumulative += weights[i];
    if (target < cumulative) return i;
  }
  // Rounding: fall back to the last item with a positive weight.
  for (size_t i = weights.size(); i > 0; --i) {
    if (weights[i - 1] > 0.0) return i - 1;
  }
  return 0;
}

Rng StreamFactory::Stream(int64_t index, absl::string_view name) {
  std::string input("regulation-synth-v1");
  input.push_back('\0');
  AppendLittleEndian64(seed_, &input);
  AppendLittleEndian64(static_cast<uint64_t>(index), &input);
  input.append(name.data(), name.size());
  hasher_.Update(input);
  unsigned char digest[32];
  hasher_.Finish(digest);
  return Rng(digest);
}

}  // namespace regulation::synth
