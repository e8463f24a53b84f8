#ifndef TESTS_TESTING_SYNTHETIC_POPULATION_H_
#define TESTS_TESTING_SYNTHETIC_POPULATION_H_

// A generated population (tools/synth), loaded through the real directory and ingestion
// path into a store, for tests that need realistic history.

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "regulation/v1/enterprise.pb.h"
#include "storage/kv_store.h"

namespace regulation::testing {

struct LoadedPopulation {
  std::vector<v1::Enterprise> enterprises;
  int64_t events = 0;
  // The generator's true probability behind each inspection, by event id.
  absl::flat_hash_map<std::string, double> inspection_truth;
};

// Generates `enterprises` enterprises with `years` of history ending `end_date`, and
// loads them (directory, then events in time order) into `store`.
absl::StatusOr<LoadedPopulation> LoadSyntheticPopulation(storage::KvStore* store,
                                                         int64_t enterprises, int years,
                                                         uint64_t seed, absl::CivilDay end_date);

}  // namespace regulation::testing

#endif  // TESTS_TESTING_SYNTHETIC_POPULATION_H_
