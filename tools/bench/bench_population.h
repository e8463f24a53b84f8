#ifndef TOOLS_BENCH_BENCH_POPULATION_H_
#define TOOLS_BENCH_BENCH_POPULATION_H_

// The synthetic population the scoring benchmarks share: enterprises, portrait states
// built from a few random events each (0-8: penalties, annual reports, complaints,
// inspections, quality samplings), and a risk model trained on a sample of their
// features with the trainer's own recipe.
//
// Thread safety: pure functions of their arguments (the generator is the caller's).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "regulation/internal/portrait_state.pb.h"
#include "regulation/v1/enterprise.pb.h"
#include "regulation/v1/scoring.pb.h"
#include "scoring/trainer.h"
#include "tools/bench/bench_support.h"

namespace regulation::bench {

// A valid unified social credit code for enterprise number `i`.
std::string BenchCreditCode(int64_t i);

// Enterprise number `i`: region, industry, capital and establishment date drawn from
// `rng`.
v1::Enterprise BenchEnterprise(int64_t i, SplitMix64& rng);

// The portrait state of `code` after 0-8 random events of the last 1,000 days before
// `now_micros`.
internal::PortraitState BenchPortraitState(const std::string& code, int64_t now_micros,
                                           SplitMix64& rng);

// Trains on the first min(rows, 200,000) rows of `matrix` (row-major, `cols` columns):
// labels drawn (seed 7) from a logistic of penalties, complaints and age (a missing value
// counting as 0), every fifth
// row held out for validation, catalogue monotone constraints, `config` completed with
// WithDefaults. REQUIRES: cols is the catalogue's size.
absl::StatusOr<scoring::TrainedModel> TrainBenchModel(const std::vector<float>& matrix,
                                                      int64_t rows, size_t cols,
                                                      const v1::TrainingConfig& config);

}  // namespace regulation::bench

#endif  // TOOLS_BENCH_BENCH_POPULATION_H_
