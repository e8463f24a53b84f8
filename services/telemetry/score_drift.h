#ifndef SERVICES_TELEMETRY_SCORE_DRIFT_H_
#define SERVICES_TELEMETRY_SCORE_DRIFT_H_

// How far the active model's scores have drifted, as the population stability index
// (PSI) over ten equal-width probability bins, [0, 0.1), [0.1, 0.2), ..., [0.9, 1.0]:
//
//   PSI = sum over bins of (a - e) * ln(a / e)
//
// where a is the share of the stored batch scores of that model (the last ScoreAll) in
// the bin, and e the share of a reference:
//   - its held-out validation rows (the calibration bins of its evaluation report, stored
//     with the model): training against serving. These rows are the enterprises that
//     were inspected in the validation window, which a risk-weighted draw makes riskier
//     than the population, so this index carries that selection as a standing offset;
//   - its first complete batch scoring (the population it was deployed on): drift since.
// Shares are floored at 0.0001 so that an empty bin does not make the index infinite.
// Reading it: below 0.1 stable; 0.1 to 0.25 a moderate shift; above 0.25 a shift large
// enough to retrain or to look at what changed in the data (docs/operations.md).
//
// Equal-width bins are coarse where scores crowd (most enterprises score below 0.1), so
// the index is conservative: it sees shifts across bins, not within the first one.
//
// Thread safety: pure functions, and reads of one store snapshot.

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "regulation/internal/scoring_state.pb.h"
#include "storage/kv_store.h"

namespace regulation::telemetry {

inline constexpr int kScoreBins = 10;
using ScoreBins = std::array<int64_t, kScoreBins>;

// The bin of a probability: [0, 0.1) is 0, ..., [0.9, 1.0] is 9 (1.0 in the last).
int ScoreBin(double probability);

// The held-out score counts from the model's evaluation report (report_json:
// curves.model.calibration[i].count). FAILED_PRECONDITION when the report has no such
// bins (a model registered without a report).
absl::StatusOr<ScoreBins> TrainingScoreBins(const internal::ModelRecord& record);

// The stored batch scores made by `model_version`, by bin; scores of other models
// (older runs) are left out.
absl::StatusOr<ScoreBins> StoredScoreBins(storage::KvStore* store,
                                          const std::string& model_version);

// PSI of `actual` against `expected`; 0 when either has no counts.
double PopulationStabilityIndex(const ScoreBins& expected, const ScoreBins& actual);

// The population a model was deployed on: the bins of its first complete batch scoring,
// kept in `dir`/score-reference-<version> (one line of ten counts) so that later runs
// are compared with it across restarts. nullopt when none was recorded; INVALID_ARGUMENT
// for a version that is not a plain name; file errors otherwise.
absl::StatusOr<std::optional<ScoreBins>> ReadScoreReference(const std::string& dir,
                                                           const std::string& model_version);
absl::Status WriteScoreReference(const std::string& dir, const std::string& model_version,
                                 const ScoreBins& bins);

}  // namespace regulation::telemetry

#endif  // SERVICES_TELEMETRY_SCORE_DRIFT_H_
