#ifndef SCHEDULER_SHARDED_POPULATION_H_
#define SCHEDULER_SHARDED_POPULATION_H_

// A draw's population held in shards (issue 13: portrait and scoring state split by
// region-code prefix), drawn exactly as if it were one.
//
//   FrozenPopulationShard zhejiang("33", &rows_33), jiangsu("32", &rows_32);
//   ShardedPopulation population({&zhejiang, &jiangsu});
//   inputs.population = population.Digests() ...;      // at commit: one sorted stream
//   RunDraw(inputs, population, roster, options);       // byte for byte the one-node draw
//
// At commit the shards' rows, each shard in ascending credit-code order, are merged into
// the one ascending stream the population digests are defined over (docs/draw-spec.md §5),
// so the commitment does not depend on how the population is split. In the draw each
// shard selects among its own rows (SelectTargets under the round's seed, counts and
// exclusions) and only those candidates travel: the union's smallest tickets per class are
// among each shard's smallest (MergeSelections), so the targets, cutoffs and team order
// are the single node's.
//
// A shard that fails (a remote shard down) fails the call with its status, UNAVAILABLE for
// one that cannot be reached, prefixed with the shard's name.
//
// Thread safety: a ShardedPopulation is used by one draw at a time; Select asks its
// shards on one thread each, so a shard's Select must be safe beside other shards'.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scheduler/population.h"
#include "scheduler/target_selection.h"

namespace regulation::scheduler {

// Reads one shard's rows in order.
class PopulationCursor {
 public:
  virtual ~PopulationCursor() = default;
  // Moves to the next row: false at the end, or on an error (then status() says which).
  virtual bool Next() = 0;
  // The current row. REQUIRES: the last Next() returned true.
  virtual absl::string_view credit_code() const = 0;
  virtual int risk_class() const = 0;
  virtual absl::string_view region_code() const = 0;
  virtual absl::Status status() const = 0;
};

// One shard of a population, local or behind a service.
class PopulationShard {
 public:
  virtual ~PopulationShard() = default;
  // Names the shard in errors, e.g. its region prefix "3301".
  virtual const std::string& name() const = 0;
  // Its rows in strictly ascending credit-code order.
  virtual std::unique_ptr<PopulationCursor> Rows() = 0;
  // SelectTargets over its own rows.
  virtual absl::StatusOr<TargetSelection> Select(
      absl::string_view seed, const std::array<int64_t, kRiskClassCount>& counts,
      const absl::flat_hash_set<std::string>& excluded, const SelectionOptions& options) = 0;
};

// A shard held in this process, over a frozen (sorted) population it does not own.
class FrozenPopulationShard : public PopulationShard {
 public:
  FrozenPopulationShard(std::string name, const FrozenPopulation* rows)
      : name_(std::move(name)), rows_(rows) {}

  const std::string& name() const override { return name_; }
  std::unique_ptr<PopulationCursor> Rows() override;
  absl::StatusOr<TargetSelection> Select(absl::string_view seed,
                                         const std::array<int64_t, kRiskClassCount>& counts,
                                         const absl::flat_hash_set<std::string>& excluded,
                                         const SelectionOptions& options) override;

 private:
  const std::string name_;
  const FrozenPopulation* const rows_;
};

class ShardedPopulation : public SelectingPopulationSource {
 public:
  // Shards not owned; they must outlive this.
  explicit ShardedPopulation(std::vector<PopulationShard*> shards) : shards_(std::move(shards)) {}

  // Every row of every shard, merged into ascending credit-code order. INVALID_ARGUMENT
  // when two shards hold one credit code (naming both); a shard's error, prefixed with
  // its name.
  absl::Status ForEach(const Visitor& visit) override;

  // The population's digests and class sizes over the merged stream (what a commit
  // records): equal to one node's FrozenPopulation::Digests() of the same rows.
  absl::StatusOr<PopulationDigests> Digests();

  // Each shard's own selection, asked in parallel, merged.
  absl::StatusOr<TargetSelection> Select(absl::string_view seed,
                                         const std::array<int64_t, kRiskClassCount>& counts,
                                         const absl::flat_hash_set<std::string>& excluded,
                                         const SelectionOptions& options) override;

 private:
  std::vector<PopulationShard*> shards_;
};

}  // namespace regulation::scheduler

#endif  // SCHEDULER_SHARDED_POPULATION_H_
