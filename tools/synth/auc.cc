#include "tools/synth/auc.h"

#include <algorithm>
#include <cmath>

namespace regulation::synth {

void AucHistogram::Add(double score, int64_t positive_weight, int64_t negative_weight) {
  const double clamped = std::min(1.0, std::max(0.0, score));
  const int bin = std::min(kBins - 1, static_cast<int>(clamped * kBins));
  positive_[bin] += positive_weight;
  negative_[bin] += negative_weight;
  total_positive_ += positive_weight;
  total_negative_ += negative_weight;
}

void AucHistogram::AddProbability(double score, double p) {
  const double clamped = std::min(1.0, std::max(0.0, p));
  const int64_t positive = std::llround(clamped * static_cast<double>(kOne));
  Add(score, positive, kOne - positive);
}

void AucHistogram::Merge(const AucHistogram& other) {
  for (int i = 0; i < kBins; ++i) {
    positive_[i] += other.positive_[i];
    negative_[i] += other.negative_[i];
  }
  total_positive_ += other.total_positive_;
  total_negative_ += other.total_negative_;
}

double AucHistogram::Auc() const {
  if (total_positive_ == 0 || total_negative_ == 0) return 0.5;
  long double below = 0;  // negative weight in lower bins
  long double concordant = 0;
  for (int i = 0; i < kBins; ++i) {
    concordant += static_cast<long double>(positive_[i]) *
                  (below + 0.5L * static_cast<long double>(negative_[i]));
    below += static_cast<long double>(negative_[i]);
  }
  return static_cast<double>(concordant / (static_cast<long double>(total_positive_) *
                                           static_cast<long double>(total_negative_)));
}

}  // namespace regulation::synth
