#ifndef SERVICES_SEAMS_LOCAL_POPULATION_H_
#define SERVICES_SEAMS_LOCAL_POPULATION_H_

// The two halves of the population feed (population_feed.h) over a service's own store,
// in process: portrait's (enterprise records and portrait states) and scoring's (the
// stored batch scores). regulatord joins them directly; portraitd and scoringd serve
// them to inspectiond (population_feed_service.h).
//
// Each pass reads one snapshot of its own store.
//
// Thread safety: safe for concurrent use (reads only). The store must outlive them.

#include <memory>
#include <string>
#include <vector>

#include "services/seams/population_feed.h"
#include "storage/kv_store.h"

namespace regulation::services {

class LocalPortraitPopulation : public PortraitPopulation {
 public:
  explicit LocalPortraitPopulation(storage::KvStore* store) : store_(store) {}

  absl::Status ForEachBatch(const PopulationQuery& query, const PopulationBatchUse& use) override;
  absl::StatusOr<std::vector<absl::StatusOr<v1::Enterprise>>> GetEnterprises(
      absl::Span<const std::string> credit_codes) override;

 private:
  storage::KvStore* const store_;
};

// A stored class outside A-D reads as never scored (0).
class LocalStoredClasses : public StoredClasses {
 public:
  explicit LocalStoredClasses(storage::KvStore* store) : store_(store) {}

  absl::StatusOr<std::unique_ptr<ClassReader>> Read(int batch_size) override;

 private:
  storage::KvStore* const store_;
};

// Both halves over one store, joined: what regulatord's inspection reads.
class LocalPopulationFeed {
 public:
  explicit LocalPopulationFeed(storage::KvStore* store)
      : portrait_(store), classes_(store), feed_(&portrait_, &classes_) {}
  PopulationFeed* feed() { return &feed_; }

 private:
  LocalPortraitPopulation portrait_;
  LocalStoredClasses classes_;
  PopulationFeed feed_;
};

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_LOCAL_POPULATION_H_
