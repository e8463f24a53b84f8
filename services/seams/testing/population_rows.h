#ifndef SERVICES_SEAMS_TESTING_POPULATION_ROWS_H_
#define SERVICES_SEAMS_TESTING_POPULATION_ROWS_H_

// For tests comparing populations read different ways (one store, two processes, region
// shards): every row `feed` yields for `query`, in order, each batch checked (a gtest
// expectation) to hold at most query.batch_size rows.

#include <vector>

#include "absl/status/statusor.h"
#include "services/seams/population_feed.h"

namespace regulation::services::testing {

absl::StatusOr<std::vector<PopulationRow>> ReadPopulation(PopulationFeed* feed,
                                                          const PopulationQuery& query);

}  // namespace regulation::services::testing

#endif  // SERVICES_SEAMS_TESTING_POPULATION_ROWS_H_
