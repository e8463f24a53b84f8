#include "services/portrait/event_id_filter.h"

#include <algorithm>

#include "absl/hash/hash.h"

namespace regulation::services {
namespace {

// Two independent 64-bit hashes of `id`; probe i is h1 + i * h2 (Kirsch–Mitzenmacher).
// absl::Hash is seeded per process, which is fine: the filter lives in one process.
struct Probes {
  uint64_t h1, h2;
};

Probes Hashes(absl::string_view id) {
  const uint64_t h = absl::HashOf(id);
  // A second hash from the first (splitmix64's finaliser), odd so probes differ.
  uint64_t z = h + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return {h, (z ^ (z >> 31)) | 1};
}

}  // namespace

EventIdFilter::EventIdFilter(int64_t expected_ids, int bits_per_id)
    : words_(static_cast<size_t>(
          std::max<int64_t>(1, (std::max<int64_t>(1, expected_ids) * bits_per_id + 63) / 64))) {}

void EventIdFilter::Add(absl::string_view id) {
  const Probes p = Hashes(id);
  const uint64_t n = static_cast<uint64_t>(bits());
  for (int i = 0; i < kProbes; ++i) {
    const uint64_t bit = (p.h1 + static_cast<uint64_t>(i) * p.h2) % n;
    words_[bit / 64] |= uint64_t{1} << (bit % 64);
  }
}

bool EventIdFilter::MayContain(absl::string_view id) const {
  const Probes p = Hashes(id);
  const uint64_t n = static_cast<uint64_t>(bits());
  for (int i = 0; i < kProbes; ++i) {
    const uint64_t bit = (p.h1 + static_cast<uint64_t>(i) * p.h2) % n;
    if ((words_[bit / 64] & (uint64_t{1} << (bit % 64))) == 0) return false;
  }
  return true;
}

}  // namespace regulation::services
