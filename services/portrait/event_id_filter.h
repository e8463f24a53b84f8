#ifndef SERVICES_PORTRAIT_EVENT_ID_FILTER_H_
#define SERVICES_PORTRAIT_EVENT_ID_FILTER_H_

// An in-memory Bloom filter of the event ids stored, so that ingestion reads the id
// records (kEventIds) only for a *possible* repeat: MayContain never answers false for
// an id that was added (no false negatives); it may answer true for one that was not (a
// false positive, about 1% at `bits_per_id` = 10 up to `expected_ids`, more past it),
// and the caller then reads the store, which decides.
//
// Not persisted: the owner fills it from kEventIds when it starts (EventIngestor).
//
// Thread safety: none; the owner serialises use (EventIngestor's commit lock).

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"

namespace regulation::services {

class EventIdFilter {
 public:
  // Sized for `expected_ids` at `bits_per_id` bits each (at least 64 bits in all).
  EventIdFilter(int64_t expected_ids, int bits_per_id);

  void Add(absl::string_view id);
  bool MayContain(absl::string_view id) const;

  int64_t bits() const { return static_cast<int64_t>(words_.size()) * 64; }

 private:
  static constexpr int kProbes = 7;  // optimal for 10 bits per id

  std::vector<uint64_t> words_;
};

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_EVENT_ID_FILTER_H_
