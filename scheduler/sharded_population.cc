#include "scheduler/sharded_population.h"

#include <algorithm>
#include <queue>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace regulation::scheduler {
namespace {

class FrozenCursor : public PopulationCursor {
 public:
  explicit FrozenCursor(const FrozenPopulation* rows) : rows_(rows) {}

  bool Next() override { return ++next_ <= rows_->size(); }
  absl::string_view credit_code() const override { return rows_->credit_code(next_ - 1); }
  int risk_class() const override { return rows_->risk_class(next_ - 1); }
  absl::string_view region_code() const override { return rows_->region_code(next_ - 1); }
  absl::Status status() const override { return absl::OkStatus(); }

 private:
  const FrozenPopulation* const rows_;
  size_t next_ = 0;
};

// The shard's own error, saying which shard; the code is kept (UNAVAILABLE stays
// UNAVAILABLE, so a caller can tell a shard that is down from bad data).
absl::Status FromShard(const PopulationShard& shard, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat("shard ", shard.name(), ": ", status.message()));
}

}  // namespace

std::unique_ptr<PopulationCursor> FrozenPopulationShard::Rows() {
  return std::make_unique<FrozenCursor>(rows_);
}

absl::StatusOr<TargetSelection> FrozenPopulationShard::Select(
    absl::string_view seed, const std::array<int64_t, kRiskClassCount>& counts,
    const absl::flat_hash_set<std::string>& excluded, const SelectionOptions& options) {
  FrozenPopulationSource source(rows_);
  return SelectTargets(source, seed, counts, excluded, options);
}

absl::Status ShardedPopulation::ForEach(const Visitor& visit) {
  std::vector<std::unique_ptr<PopulationCursor>> cursors;
  // Min-heap of shard indexes by their current credit code.
  auto later = [&cursors](size_t a, size_t b) {
    return cursors[a]->credit_code() > cursors[b]->credit_code();
  };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> heads(later);
  auto advance = [&](size_t i) -> absl::Status {
    if (cursors[i]->Next()) {
      heads.push(i);
      return absl::OkStatus();
    }
    const absl::Status status = cursors[i]->status();
    return status.ok() ? status : FromShard(*shards_[i], status);
  };
  for (size_t i = 0; i < shards_.size(); ++i) {
    cursors.push_back(shards_[i]->Rows());
    if (absl::Status status = advance(i); !status.ok()) return status;
  }
  while (!heads.empty()) {
    const size_t i = heads.top();
    heads.pop();
    if (!heads.empty() && cursors[heads.top()]->credit_code() == cursors[i]->credit_code()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "population: credit code %s is in shard %s and in shard %s", cursors[i]->credit_code(),
          shards_[std::min(i, heads.top())]->name(), shards_[std::max(i, heads.top())]->name()));
    }
    if (absl::Status status =
            visit(cursors[i]->credit_code(), cursors[i]->risk_class(), cursors[i]->region_code());
        !status.ok()) {
      return status;
    }
    if (absl::Status status = advance(i); !status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::StatusOr<PopulationDigests> ShardedPopulation::Digests() {
  PopulationDigester digester;
  absl::Status status = ForEach([&digester](absl::string_view code, int risk_class,
                                            absl::string_view region) {
    return digester.Add(code, risk_class, region);
  });
  if (!status.ok()) return status;
  return digester.Finish();
}

absl::StatusOr<TargetSelection> ShardedPopulation::Select(
    absl::string_view seed, const std::array<int64_t, kRiskClassCount>& counts,
    const absl::flat_hash_set<std::string>& excluded, const SelectionOptions& options) {
  // Each shard answers on a thread of its own (a remote shard waits on the network); the
  // hashing threads are shared out among local ones.
  SelectionOptions per_shard = options;
  per_shard.threads =
      std::max<int>(1, options.threads / static_cast<int>(std::max<size_t>(shards_.size(), 1)));
  std::vector<absl::StatusOr<TargetSelection>> parts(shards_.size(),
                                                     absl::UnknownError("not asked"));
  std::vector<std::thread> askers;
  for (size_t i = 0; i < shards_.size(); ++i) {
    askers.emplace_back([&, i] { parts[i] = shards_[i]->Select(seed, counts, excluded, per_shard); });
  }
  for (std::thread& asker : askers) asker.join();
  std::vector<TargetSelection> selections;
  for (size_t i = 0; i < shards_.size(); ++i) {
    if (!parts[i].ok()) return FromShard(*shards_[i], parts[i].status());
    selections.push_back(*std::move(parts[i]));
  }
  return MergeSelections(std::move(selections), counts);
}

}  // namespace regulation::scheduler
