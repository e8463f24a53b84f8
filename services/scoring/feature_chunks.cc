#include "services/scoring/feature_chunks.h"

#include <deque>
#include <memory>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/status_macros.h"
#include "regulation/internal/portrait_state.pb.h"
#include "regulation/v1/enterprise.pb.h"
#include "scoring/feature_catalogue.h"
#include "scoring/feature_row.h"
#include "services/portrait/enterprise_records.h"
#include "services/portrait/feature_rows.h"
#include "services/portrait/portrait_states.h"

namespace regulation::services {
namespace {

// What both readers share: a snapshot to scan in bulk, and chunks of up to `chunk_size`
// rows of the catalogue's columns as of `as_of`.
class SnapshotChunkSource : public FeatureChunkSource {
 protected:
  SnapshotChunkSource(storage::KvStore* store, int64_t as_of, int chunk_size)
      : as_of_(as_of),
        chunk_size_(chunk_size),
        cols_(scoring::FeatureCatalogue().size()),
        snapshot_(store->GetSnapshot()) {}

  storage::IteratorOptions BulkScan() const {
    storage::IteratorOptions options;
    options.snapshot = snapshot_.get();
    options.bulk_scan = true;
    return options;
  }
  // Empties `chunk` for refilling, its buffers kept.
  void Begin(FeatureChunk* chunk) const {
    chunk->code_bytes.clear();
    chunk->code_ends.clear();
    chunk->rows.resize(static_cast<size_t>(chunk_size_) * cols_);
  }
  bool Full(const FeatureChunk& chunk) const {
    return static_cast<int>(chunk.size()) >= chunk_size_;
  }
  // Where the next row of `chunk` goes; Added(code) then records its code.
  float* NextRow(FeatureChunk* chunk) const { return chunk->rows.data() + chunk->size() * cols_; }
  static void Added(absl::string_view code, FeatureChunk* chunk) {
    chunk->code_bytes.append(code.data(), code.size());
    chunk->code_ends.push_back(chunk->code_bytes.size());
  }

  const int64_t as_of_;

 private:
  const int chunk_size_;
  const size_t cols_;
  const std::unique_ptr<storage::Snapshot> snapshot_;
};

// Reads chunks: enterprises and portrait states, merged by key (before the feature rows
// are complete).
class ChunkReader : public SnapshotChunkSource {
 public:
  ChunkReader(storage::KvStore* store, const std::string& resume_after, int64_t as_of,
              int chunk_size)
      : SnapshotChunkSource(store, as_of, chunk_size) {
    const storage::IteratorOptions options = BulkScan();
    enterprises_.emplace(EnterpriseRecords(store).Scan(options));
    states_.emplace(PortraitStates(store).Scan(options));
    if (resume_after.empty()) {
      enterprises_->SeekToFirst();
      states_->SeekToFirst();
    } else {
      enterprises_->Seek(resume_after);
      if (enterprises_->Valid() && enterprises_->key() == resume_after) enterprises_->Next();
      states_->Seek(resume_after);
    }
  }

  // Refills `chunk` (reusing its buffers); an empty chunk means the end.
  absl::Status Next(FeatureChunk* chunk) override {
    Begin(chunk);
    for (; enterprises_->Valid() && !Full(*chunk); enterprises_->Next()) {
      const absl::string_view code = enterprises_->key();
      REG_RETURN_IF_ERROR(enterprises_->Read(&enterprise_));
      while (states_->Valid() && states_->key() < code) states_->Next();
      if (states_->Valid() && states_->key() == code) {
        REG_RETURN_IF_ERROR(states_->Read(&state_));  // parsing clears it first
      } else {
        state_.Clear();
      }
      scoring::ComputeFeaturesInto(enterprise_, state_, as_of_, NextRow(chunk));
      Added(code, chunk);
    }
    if (!enterprises_->status().ok()) return enterprises_->status();
    return states_->status();
  }

 private:
  std::optional<storage::ProtoCursor<v1::Enterprise>> enterprises_;
  std::optional<storage::ProtoCursor<internal::PortraitState>> states_;
  v1::Enterprise enterprise_;
  internal::PortraitState state_;
};

// Reads chunks from the feature snapshot (kFeatureRows): one bulk scan of flat rows,
// no protobuf, one parsed-row scratch reused for every enterprise.
class RowChunkReader : public SnapshotChunkSource {
 public:
  RowChunkReader(storage::KvStore* store, const std::string& resume_after, int64_t as_of,
                 int chunk_size)
      : SnapshotChunkSource(store, as_of, chunk_size) {
    storage::IteratorOptions options = BulkScan();
    // Strictly after `resume_after`; the "complete" marker sorts after every code.
    if (!resume_after.empty()) options.lower_bound = resume_after + std::string(1, '\0');
    options.upper_bound = std::string(kFeatureRowsEnd);
    rows_ = store->NewIterator(storage::ColumnFamily::kFeatureRows, options);
    rows_->SeekToFirst();
  }

  absl::Status Next(FeatureChunk* chunk) override {
    Begin(chunk);
    for (; rows_->Valid() && !Full(*chunk); rows_->Next()) {
      const absl::string_view code = rows_->key();
      REG_RETURN_IF_ERROR(row_.Parse(rows_->value(), code));
      row_.ComputeFeaturesInto(as_of_, NextRow(chunk));
      Added(code, chunk);
    }
    return rows_->status();
  }

 private:
  std::unique_ptr<storage::Iterator> rows_;
  scoring::FeatureRow row_;
};

}  // namespace

absl::Status ForEachFeatureChunk(storage::KvStore* store, const std::string& resume_after,
                                 int64_t as_of_micros, int chunk_size,
                                 const std::function<absl::Status(const FeatureChunk&)>& use) {
  return PipelineFeatureChunks(
      [&]() -> absl::StatusOr<std::unique_ptr<FeatureChunkSource>> {
        // The snapshot once complete; before (a directory from before the rows, until
        // its backfill), the records and states themselves.
        REG_ASSIGN_OR_RETURN(const bool rows_complete, FeatureRowsComplete(store));
        if (rows_complete) {
          return std::make_unique<RowChunkReader>(store, resume_after, as_of_micros, chunk_size);
        }
        return std::make_unique<ChunkReader>(store, resume_after, as_of_micros, chunk_size);
      },
      use);
}

absl::Status PipelineFeatureChunks(
    const std::function<absl::StatusOr<std::unique_ptr<FeatureChunkSource>>()>& open,
    const std::function<absl::Status(const FeatureChunk&)>& use) {
  // Two chunks: the reader fills one while `use` consumes the other. A chunk moves from
  // `empty` to the reader, to `full`, to `use`, and back to `empty`.
  FeatureChunk chunks[2];
  absl::Mutex mu;
  std::deque<FeatureChunk*> empty = {&chunks[0], &chunks[1]};
  std::deque<FeatureChunk*> full;
  bool reading_done = false;
  bool stop = false;
  absl::Status read_status;
  auto can_fill = [&] { return !empty.empty() || stop; };
  auto can_use = [&] { return !full.empty() || reading_done; };

  std::thread reader([&] {
    absl::StatusOr<std::unique_ptr<FeatureChunkSource>> source = open();
    if (!source.ok()) {
      absl::MutexLock lock(&mu);
      read_status = source.status();
      reading_done = true;
      return;
    }
    while (true) {
      FeatureChunk* chunk = nullptr;
      {
        absl::MutexLock lock(&mu);
        mu.Await(absl::Condition(&can_fill));
        if (stop) return;
        chunk = empty.front();
        empty.pop_front();
      }
      absl::Status status = (*source)->Next(chunk);
      absl::MutexLock lock(&mu);
      if (!status.ok() || chunk->size() == 0) {
        read_status = status;
        reading_done = true;
        return;
      }
      full.push_back(chunk);
    }
  });

  absl::Status status;
  while (true) {
    FeatureChunk* chunk = nullptr;
    {
      absl::MutexLock lock(&mu);
      mu.Await(absl::Condition(&can_use));
      if (full.empty()) {
        status = read_status;
        break;
      }
      chunk = full.front();
      full.pop_front();
    }
    status = use(*chunk);
    if (!status.ok()) break;
    absl::MutexLock lock(&mu);
    empty.push_back(chunk);
  }
  {
    absl::MutexLock lock(&mu);
    stop = true;
  }
  reader.join();
  return status;
}

}  // namespace regulation::services
