#ifndef SERVICES_SCORING_FEATURE_CHUNKS_H_
#define SERVICES_SCORING_FEATURE_CHUNKS_H_

// The whole directory as feature rows, in credit-code order and in chunks, for batch
// scoring. Enterprises and portrait states share their keys (credit codes), so one
// sequential scan of each, merged, replaces a point lookup per enterprise.
//
// ForEachFeatureChunk reads on a thread of its own while the caller's `use` consumes
// the previous chunk: reading and parsing overlap prediction and writing. At most two
// chunks are held.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "storage/kv_store.h"

namespace regulation::services {

struct FeatureChunk {
  std::vector<std::string> codes;
  // codes.size() rows of FeatureCatalogue().size() features, row-major.
  std::vector<float> rows;
};

// Calls `use` with each chunk of up to `chunk_size` enterprises whose codes come after
// `resume_after` (all, when empty), features evaluated at `as_of_micros`. Stops at the
// first error, from reading or from `use`.
absl::Status ForEachFeatureChunk(storage::KvStore* store, const std::string& resume_after,
                                 int64_t as_of_micros, int chunk_size,
                                 const std::function<absl::Status(const FeatureChunk&)>& use);

}  // namespace regulation::services

#endif  // SERVICES_SCORING_FEATURE_CHUNKS_H_
