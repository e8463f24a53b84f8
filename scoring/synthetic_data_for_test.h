#ifndef SCORING_SYNTHETIC_DATA_FOR_TEST_H_
#define SCORING_SYNTHETIC_DATA_FOR_TEST_H_

// Deterministic synthetic training rows with a known relation between features and the
// probability of a positive label, for the scoring tests and the timing tool.
//
// Features are independent standard normals (NaN-free). Labels are Bernoulli draws of
// the true probability, which is also returned (the "oracle").
//
// Thread safety: pure functions.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "scoring/training_data.h"

namespace regulation::scoring {

enum class Relation {
  // logit = -2 + 1.2 x0 + 0.8 x1 - 0.6 x2 + 0.4 x3: additive, increasing in x0.
  kLinear,
  // logit = -1.5 + 2 x0 x1 + 0.6 x2: an interaction a linear model cannot express.
  kInteraction,
  // logit = -1.5 + 1.5 sin(2 x0) + 0.5 x0 + 0.8 x1: rises and falls in x0, so a model
  // constrained to increase in x0 differs from an unconstrained one.
  kWavy,
};

// `rows` x `cols` (cols >= 5), the same for the same arguments. `probabilities`, if not
// null, receives each row's true probability.
TrainingData MakeSyntheticData(size_t rows, size_t cols, uint64_t seed, Relation relation,
                               std::vector<float>* probabilities = nullptr);

}  // namespace regulation::scoring

#endif  // SCORING_SYNTHETIC_DATA_FOR_TEST_H_
