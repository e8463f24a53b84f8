#ifndef SERVICES_SHARDS_SHARDED_POPULATION_H_
#define SERVICES_SHARDS_SHARDED_POPULATION_H_

// The population a plan's commit freezes (services/seams/population_feed.h), read from
// region shards: each shard's portrait half and scoring half merged into one stream in
// credit-code order, so that a plan spanning shards (a province's plan over its cities'
// shards, a joint plan of two provinces) freezes exactly the rows one node holding every
// enterprise would, and its draw is that node's draw byte for byte.
//
// Every shard is asked, whatever the query's region prefix: the prefix filters on an
// enterprise's registered region, which may have moved away from the region its credit
// code names (the shard key). Shards read in parallel (a thread each for the portrait
// halves, whose interface pushes batches); the merge holds a few batches per shard.
// Enterprises are held by one shard each; a code two shards both send is
// FAILED_PRECONDITION naming both (a shard map changed under data not yet moved).
// A shard's failure fails the pass, its message prefixed with "shard NAME: ".
//
// Thread safety: safe for concurrent use when the shards' halves are.

#include <memory>
#include <string>
#include <vector>

#include "services/seams/population_feed.h"
#include "services/shards/shard_map.h"

namespace regulation::services {

// One shard's halves, named as in the shard map.
struct PopulationShard {
  std::string name;
  PortraitPopulation* portrait = nullptr;
  StoredClasses* classes = nullptr;
};

class ShardedPortraitPopulation : public PortraitPopulation {
 public:
  // `map` routes GetEnterprises; `shards` are the map's shards (any order), not owned.
  ShardedPortraitPopulation(const ShardMap* map, std::vector<PopulationShard> shards)
      : map_(map), shards_(std::move(shards)) {}

  absl::Status ForEachBatch(const PopulationQuery& query, const PopulationBatchUse& use) override;
  // Each code asked of the shard holding it; a code whose region no shard holds is
  // NOT_FOUND, a malformed one INVALID_ARGUMENT (its own entry).
  absl::StatusOr<std::vector<absl::StatusOr<v1::Enterprise>>> GetEnterprises(
      absl::Span<const std::string> credit_codes) override;

 private:
  const ShardMap* const map_;
  const std::vector<PopulationShard> shards_;
};

class ShardedStoredClasses : public StoredClasses {
 public:
  explicit ShardedStoredClasses(std::vector<PopulationShard> shards) : shards_(std::move(shards)) {}

  absl::StatusOr<std::unique_ptr<ClassReader>> Read(int batch_size) override;

 private:
  const std::vector<PopulationShard> shards_;
};

}  // namespace regulation::services

#endif  // SERVICES_SHARDS_SHARDED_POPULATION_H_
