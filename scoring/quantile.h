#ifndef SCORING_QUANTILE_H_
#define SCORING_QUANTILE_H_

// The q-quantile of a sample by linear interpolation between order statistics (type 7,
// as R and NumPy default to): the percentile intervals of bootstraps and shuffles.

#include <algorithm>
#include <cmath>
#include <vector>

namespace regulation::scoring {

// REQUIRES: `values` is not empty, 0 <= q <= 1.
inline double Quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double pos = q * static_cast<double>(values.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(values.size() - 1, lo + 1);
  return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

}  // namespace regulation::scoring

#endif  // SCORING_QUANTILE_H_
