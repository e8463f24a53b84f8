#include "services/shards/sharded_population.h"

#include <deque>
#include <map>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/status_macros.h"

namespace regulation::services {
namespace {

// Batches a shard's thread may hold ahead of the merge.
constexpr size_t kQueuedBatches = 4;

absl::Status InShard(const std::string& shard, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat("shard ", shard, ": ", status.message()));
}

absl::Status HeldTwice(const std::string& code, const std::string& a, const std::string& b) {
  return absl::FailedPreconditionError(
      absl::StrCat("enterprise ", code, " is held by shards ", a, " and ", b,
                   ": finish moving it before reading the shards as one"));
}

absl::Status CheckBatchSize(int batch_size) {
  if (batch_size < 1 || batch_size > 65536) {
    return absl::InvalidArgumentError(
        absl::StrCat("batch_size: ", batch_size, " is outside 1-65536"));
  }
  return absl::OkStatus();
}

// One shard's portrait rows: pushed by a thread of its own, pulled by the merge.
class ShardRows {
 public:
  ShardRows(const PopulationShard& shard, const PopulationQuery& query)
      : name_(shard.name), thread_([this, portrait = shard.portrait, query] {
          absl::Status status =
              portrait->ForEachBatch(query, [this](absl::Span<const PopulationRow> rows) {
                return Push(rows);
              });
          absl::MutexLock lock(&mu_);
          status_ = std::move(status);
          done_ = true;
        }) {}

  ~ShardRows() {
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
    }
    thread_.join();
  }

  const std::string& name() const { return name_; }

  // The shard's next row, or nullptr at its end; the shard's error, named. The row stays
  // valid until Pop.
  absl::StatusOr<const PopulationRow*> Peek() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &ShardRows::ReadyToRead));
    if (!queue_.empty()) return &queue_.front()[at_];
    if (!status_.ok()) return InShard(name_, status_);
    return nullptr;
  }

  // REQUIRES: Peek returned a row.
  void Pop() {
    absl::MutexLock lock(&mu_);
    if (++at_ == queue_.front().size()) {
      queue_.pop_front();
      at_ = 0;
    }
  }

 private:
  absl::Status Push(absl::Span<const PopulationRow> rows) {
    if (rows.empty()) return absl::OkStatus();
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &ShardRows::RoomOrCancelled));
    if (cancelled_) return absl::CancelledError("the merge of the shards stopped");
    // Adding at the back leaves the front batch (which Peek points into) where it is.
    queue_.emplace_back(rows.begin(), rows.end());
    return absl::OkStatus();
  }

  bool ReadyToRead() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !queue_.empty() || done_; }
  bool RoomOrCancelled() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return cancelled_ || queue_.size() < kQueuedBatches;
  }

  const std::string name_;
  absl::Mutex mu_;
  std::deque<std::vector<PopulationRow>> queue_ ABSL_GUARDED_BY(mu_);
  size_t at_ ABSL_GUARDED_BY(mu_) = 0;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;  // last: started once the rest exists
};

// The shards' class streams merged by credit code.
class MergedClassReader : public ClassReader {
 public:
  struct Source {
    std::string name;
    std::unique_ptr<ClassReader> reader;
    std::vector<CodeClass> batch;
    size_t at = 0;
    bool ended = false;
  };

  MergedClassReader(std::vector<Source> sources, int batch_size)
      : sources_(std::move(sources)), batch_size_(static_cast<size_t>(batch_size)) {}

  absl::Status Next(std::vector<CodeClass>* batch) override {
    batch->clear();
    while (batch->size() < batch_size_) {
      Source* smallest = nullptr;
      for (Source& source : sources_) {
        REG_RETURN_IF_ERROR(Fill(&source));
        if (source.ended) continue;
        const std::string& code = source.batch[source.at].credit_code;
        if (smallest != nullptr && code == smallest->batch[smallest->at].credit_code) {
          return HeldTwice(code, smallest->name, source.name);
        }
        if (smallest == nullptr || code < smallest->batch[smallest->at].credit_code) {
          smallest = &source;
        }
      }
      if (smallest == nullptr) break;
      batch->push_back(std::move(smallest->batch[smallest->at++]));
    }
    return absl::OkStatus();
  }

 private:
  static absl::Status Fill(Source* source) {
    if (source->ended || source->at < source->batch.size()) return absl::OkStatus();
    source->at = 0;
    if (absl::Status read = source->reader->Next(&source->batch); !read.ok()) {
      return InShard(source->name, read);
    }
    source->ended = source->batch.empty();
    return absl::OkStatus();
  }

  std::vector<Source> sources_;
  const size_t batch_size_;
};

}  // namespace

absl::Status ShardedPortraitPopulation::ForEachBatch(const PopulationQuery& query,
                                                     const PopulationBatchUse& use) {
  REG_RETURN_IF_ERROR(CheckBatchSize(query.batch_size));
  std::vector<std::unique_ptr<ShardRows>> streams;
  for (const PopulationShard& shard : shards_) {
    streams.push_back(std::make_unique<ShardRows>(shard, query));
  }
  std::vector<PopulationRow> out;
  out.reserve(static_cast<size_t>(query.batch_size));
  while (true) {
    ShardRows* smallest = nullptr;
    const PopulationRow* smallest_row = nullptr;
    for (const std::unique_ptr<ShardRows>& stream : streams) {
      REG_ASSIGN_OR_RETURN(const PopulationRow* row, stream->Peek());
      if (row == nullptr) continue;
      if (smallest_row != nullptr && row->credit_code == smallest_row->credit_code) {
        return HeldTwice(row->credit_code, smallest->name(), stream->name());
      }
      if (smallest_row == nullptr || row->credit_code < smallest_row->credit_code) {
        smallest = stream.get();
        smallest_row = row;
      }
    }
    if (smallest == nullptr) break;
    out.push_back(*smallest_row);
    smallest->Pop();
    if (out.size() == static_cast<size_t>(query.batch_size)) {
      REG_RETURN_IF_ERROR(use(out));
      out.clear();
    }
  }
  if (!out.empty()) REG_RETURN_IF_ERROR(use(out));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<absl::StatusOr<v1::Enterprise>>>
ShardedPortraitPopulation::GetEnterprises(absl::Span<const std::string> credit_codes) {
  std::vector<absl::StatusOr<v1::Enterprise>> out(credit_codes.size(),
                                                  absl::NotFoundError("not asked"));
  // Positions of the codes each shard holds, asked of it in one call.
  std::map<std::string, std::vector<size_t>> positions;
  for (size_t i = 0; i < credit_codes.size(); ++i) {
    absl::StatusOr<const internal::ShardConfig*> shard = map_->ForCreditCode(credit_codes[i]);
    if (shard.ok()) {
      positions[(*shard)->name()].push_back(i);
    } else {
      out[i] = shard.status();
    }
  }
  for (const PopulationShard& shard : shards_) {
    auto held = positions.find(shard.name);
    if (held == positions.end()) continue;
    std::vector<std::string> codes;
    for (size_t i : held->second) codes.push_back(credit_codes[i]);
    absl::StatusOr<std::vector<absl::StatusOr<v1::Enterprise>>> found =
        shard.portrait->GetEnterprises(codes);
    if (!found.ok()) return InShard(shard.name, found.status());
    if (found->size() != codes.size()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "shard ", shard.name, ": answered ", found->size(), " of ", codes.size(), " codes"));
    }
    for (size_t k = 0; k < codes.size(); ++k) out[held->second[k]] = std::move((*found)[k]);
    positions.erase(held);
  }
  for (const auto& [name, unserved] : positions) {
    for (size_t i : unserved) {
      out[i] = absl::NotFoundError(absl::StrCat("credit_code: shard ", name, " is not configured"));
    }
  }
  return out;
}

absl::StatusOr<std::unique_ptr<ClassReader>> ShardedStoredClasses::Read(int batch_size) {
  REG_RETURN_IF_ERROR(CheckBatchSize(batch_size));
  std::vector<MergedClassReader::Source> sources;
  for (const PopulationShard& shard : shards_) {
    absl::StatusOr<std::unique_ptr<ClassReader>> reader = shard.classes->Read(batch_size);
    if (!reader.ok()) return InShard(shard.name, reader.status());
    MergedClassReader::Source source;
    source.name = shard.name;
    source.reader = *std::move(reader);
    sources.push_back(std::move(source));
  }
  return std::make_unique<MergedClassReader>(std::move(sources), batch_size);
}

}  // namespace regulation::services
