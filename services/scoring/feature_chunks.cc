#include "services/scoring/feature_chunks.h"

#include <deque>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "regulation/internal/portrait_state.pb.h"
#include "regulation/v1/enterprise.pb.h"
#include "scoring/feature_catalogue.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

// Reads chunks: enterprises and portrait states, merged by key.
class ChunkReader {
 public:
  ChunkReader(storage::KvStore* store, const std::string& resume_after, int64_t as_of,
              int chunk_size)
      : as_of_(as_of), chunk_size_(chunk_size), cols_(scoring::FeatureCatalogue().size()) {
    snapshot_ = store->GetSnapshot();
    storage::IteratorOptions options;
    options.snapshot = snapshot_.get();
    enterprises_ = store->NewIterator(ColumnFamily::kEnterprises, options);
    states_ = store->NewIterator(ColumnFamily::kPortraits, options);
    if (resume_after.empty()) {
      enterprises_->SeekToFirst();
      states_->SeekToFirst();
    } else {
      enterprises_->Seek(resume_after);
      if (enterprises_->Valid() && enterprises_->key() == resume_after) enterprises_->Next();
      states_->Seek(resume_after);
    }
  }

  // Fills `chunk`; an empty chunk means the end.
  absl::Status Next(FeatureChunk* chunk) {
    chunk->codes.clear();
    chunk->rows.resize(static_cast<size_t>(chunk_size_) * cols_);
    for (; enterprises_->Valid() && static_cast<int>(chunk->codes.size()) < chunk_size_;
         enterprises_->Next()) {
      const absl::string_view code = enterprises_->key();
      if (!enterprise_.ParseFromArray(enterprises_->value().data(),
                                      static_cast<int>(enterprises_->value().size()))) {
        return absl::DataLossError(absl::StrCat("stored enterprise ", code, " is corrupt"));
      }
      while (states_->Valid() && states_->key() < code) states_->Next();
      state_.Clear();
      if (states_->Valid() && states_->key() == code &&
          !state_.ParseFromArray(states_->value().data(),
                                 static_cast<int>(states_->value().size()))) {
        return absl::DataLossError(absl::StrCat("portrait state of ", code, " is corrupt"));
      }
      scoring::ComputeFeaturesInto(enterprise_, state_, as_of_,
                                   chunk->rows.data() + chunk->codes.size() * cols_);
      chunk->codes.emplace_back(code);
    }
    chunk->rows.resize(chunk->codes.size() * cols_);
    if (!enterprises_->status().ok()) return enterprises_->status();
    return states_->status();
  }

 private:
  const int64_t as_of_;
  const int chunk_size_;
  const size_t cols_;
  std::unique_ptr<storage::Snapshot> snapshot_;
  std::unique_ptr<storage::Iterator> enterprises_;
  std::unique_ptr<storage::Iterator> states_;
  v1::Enterprise enterprise_;
  internal::PortraitState state_;
};

}  // namespace

absl::Status ForEachFeatureChunk(storage::KvStore* store, const std::string& resume_after,
                                 int64_t as_of_micros, int chunk_size,
                                 const std::function<absl::Status(const FeatureChunk&)>& use) {
  absl::Mutex mu;
  std::deque<std::unique_ptr<FeatureChunk>> ready;
  bool reading_done = false;
  bool stop = false;
  absl::Status read_status;
  auto room = [&] { return ready.size() < 2 || stop; };
  auto available = [&] { return !ready.empty() || reading_done; };

  std::thread reader([&] {
    ChunkReader chunks(store, resume_after, as_of_micros, chunk_size);
    while (true) {
      auto chunk = std::make_unique<FeatureChunk>();
      absl::Status status = chunks.Next(chunk.get());
      absl::MutexLock lock(&mu);
      if (!status.ok() || chunk->codes.empty()) {
        read_status = status;
        reading_done = true;
        return;
      }
      mu.Await(absl::Condition(&room));
      if (stop) return;
      ready.push_back(std::move(chunk));
    }
  });

  absl::Status status;
  while (true) {
    std::unique_ptr<FeatureChunk> chunk;
    {
      absl::MutexLock lock(&mu);
      mu.Await(absl::Condition(&available));
      if (ready.empty()) {
        status = read_status;
        break;
      }
      chunk = std::move(ready.front());
      ready.pop_front();
    }
    status = use(*chunk);
    if (!status.ok()) break;
  }
  {
    absl::MutexLock lock(&mu);
    stop = true;
  }
  reader.join();
  return status;
}

}  // namespace regulation::services
