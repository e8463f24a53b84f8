#include "services/seams/testing/population_rows.h"

#include "gtest/gtest.h"

namespace regulation::services::testing {

absl::StatusOr<std::vector<PopulationRow>> ReadPopulation(PopulationFeed* feed,
                                                          const PopulationQuery& query) {
  std::vector<PopulationRow> rows;
  absl::Status status = feed->ForEachBatch(query, [&](absl::Span<const PopulationRow> batch) {
    EXPECT_LE(static_cast<int>(batch.size()), query.batch_size);
    rows.insert(rows.end(), batch.begin(), batch.end());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return rows;
}

}  // namespace regulation::services::testing
