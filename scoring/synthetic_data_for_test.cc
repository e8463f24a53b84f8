#include "scoring/synthetic_data_for_test.h"

#include <cmath>
#include <random>

namespace regulation::scoring {
namespace {

// Uniform in (0, 1) from 53 random bits (does not depend on the standard library's
// distribution algorithms).
double Uniform(std::mt19937_64& rng) {
  return (static_cast<double>(rng() >> 11) + 0.5) / 9007199254740992.0;
}

// Box-Muller.
double Normal(std::mt19937_64& rng) {
  const double u1 = Uniform(rng), u2 = Uniform(rng);
  return std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

double Logit(Relation relation, const float* x) {
  switch (relation) {
    case Relation::kLinear:
      return -2 + 1.2 * x[0] + 0.8 * x[1] - 0.6 * x[2] + 0.4 * x[3];
    case Relation::kInteraction:
      return -1.5 + 2 * x[0] * x[1] + 0.6 * x[2];
    case Relation::kWavy:
      return -1.5 + 1.5 * std::sin(2 * x[0]) + 0.5 * x[0] + 0.8 * x[1];
  }
  return 0;
}

}  // namespace

TrainingData MakeSyntheticData(size_t rows, size_t cols, uint64_t seed, Relation relation,
                               std::vector<float>* probabilities) {
  std::mt19937_64 rng(seed);
  TrainingData data;
  data.rows = rows;
  data.cols = cols;
  data.features.resize(rows * cols);
  data.labels.resize(rows);
  if (probabilities != nullptr) probabilities->resize(rows);
  for (size_t r = 0; r < rows; ++r) {
    float* x = &data.features[r * cols];
    for (size_t c = 0; c < cols; ++c) x[c] = static_cast<float>(Normal(rng));
    const double p = 1 / (1 + std::exp(-Logit(relation, x)));
    data.labels[r] = Uniform(rng) < p ? 1.0f : 0.0f;
    if (probabilities != nullptr) (*probabilities)[r] = static_cast<float>(p);
  }
  return data;
}

}  // namespace regulation::scoring
