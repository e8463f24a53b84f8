#ifndef SERVICES_SCORING_FEATURE_CHUNKS_H_
#define SERVICES_SCORING_FEATURE_CHUNKS_H_

// The whole directory as feature rows, in credit-code order and in chunks, for batch
// scoring: one scan of the feature snapshot (kFeatureRows, services/portrait/
// feature_rows.h), each flat row evaluated at the run's moment without a protobuf. Until
// a directory's rows are complete (before its backfill), the enterprises and portrait
// states are scanned instead, merged by key (they share their keys, the credit codes).
//
// ForEachFeatureChunk reads on a thread of its own while the caller's `use` consumes
// the previous chunk: reading and parsing overlap prediction and writing. Two chunks
// exist, each allocated once and refilled in turn (codes back to back in one buffer,
// rows in one float block), so a run of any length allocates nothing per enterprise.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/kv_store.h"

namespace regulation::services {

// Enterprises of one chunk: their credit codes and feature rows.
struct FeatureChunk {
  // The codes back to back: code i is code_bytes[code_ends[i-1], code_ends[i]).
  std::string code_bytes;
  std::vector<size_t> code_ends;
  // size() rows of FeatureCatalogue().size() features, row-major (the buffer may be
  // longer: only the first size() rows are this chunk's).
  std::vector<float> rows;

  size_t size() const { return code_ends.size(); }
  absl::string_view code(size_t i) const {
    const size_t begin = i == 0 ? 0 : code_ends[i - 1];
    return absl::string_view(code_bytes).substr(begin, code_ends[i] - begin);
  }
};

// Produces the chunks of one pass, one after another, on the pipeline's reading thread.
class FeatureChunkSource {
 public:
  virtual ~FeatureChunkSource() = default;
  // Refills `chunk` (reusing its buffers); an empty chunk means the end.
  virtual absl::Status Next(FeatureChunk* chunk) = 0;
};

// Calls `use` with each chunk that the source `open` makes (on the reading thread)
// produces, while the next chunk is being read: the two-chunk pipeline described
// above, for any source (the store here; a peer's stream in services/seams). Stops at
// the first error, from `open`, the source or `use`.
absl::Status PipelineFeatureChunks(
    const std::function<absl::StatusOr<std::unique_ptr<FeatureChunkSource>>()>& open,
    const std::function<absl::Status(const FeatureChunk&)>& use);

// Calls `use` with each chunk of up to `chunk_size` enterprises whose codes come after
// `resume_after` (all, when empty), features evaluated at `as_of_micros`, in code
// order. The chunk is valid only during the call. Stops at the first error, from
// reading or from `use`: DATA_LOSS for a stored row (or, before the rows are complete,
// enterprise or state) that does not parse, FAILED_PRECONDITION for a row of another
// format, the store's statuses otherwise. The states are read as stored: callers first
// write back what ingestion keeps in memory (PortraitReader::WriteBackStates).
absl::Status ForEachFeatureChunk(storage::KvStore* store, const std::string& resume_after,
                                 int64_t as_of_micros, int chunk_size,
                                 const std::function<absl::Status(const FeatureChunk&)>& use);

}  // namespace regulation::services

#endif  // SERVICES_SCORING_FEATURE_CHUNKS_H_
