#ifndef TOOLS_SYNTH_AUC_H_
#define TOOLS_SYNTH_AUC_H_

// Area under the ROC curve from a histogram of scores, with integer weights so that
// partial histograms merge to the same result in any order (the manifest must not depend
// on how the work was split).
//
// Scores in [0, 1] fall into 65,536 equal bins; pairs within one bin count half, so the
// result is exact to within the share of pairs that share a bin. Weights are fixed-point
// integers: Add(score, 1, 0) counts a positive; AddProbability(p) adds the expected
// outcome of a Bernoulli(p) (weight p positive, 1 - p negative, in units of 2^-32): the
// expected AUC of a score against outcomes that are yet to be drawn (an item's own
// positive and negative weight form a tied pair too, which matters only for tiny sets).
//
// Thread safety: not thread-safe; merge per-thread histograms with Merge.

#include <cstdint>
#include <vector>

namespace regulation::synth {

class AucHistogram {
 public:
  static constexpr int kBins = 1 << 16;
  static constexpr int64_t kOne = int64_t{1} << 32;  // AddProbability's unit

  AucHistogram() : positive_(kBins, 0), negative_(kBins, 0) {}

  // Adds weights at `score` (clamped to [0, 1]).
  void Add(double score, int64_t positive_weight, int64_t negative_weight);
  // Adds p positive and 1 - p negative (fixed point), at score `score`.
  void AddProbability(double score, double p);
  void Merge(const AucHistogram& other);

  // P(score of a positive > score of a negative) + half the ties; 0.5 when either class
  // is empty.
  double Auc() const;
  int64_t total_positive() const { return total_positive_; }
  int64_t total_negative() const { return total_negative_; }

 private:
  std::vector<int64_t> positive_;
  std::vector<int64_t> negative_;
  int64_t total_positive_ = 0;
  int64_t total_negative_ = 0;
};

}  // namespace regulation::synth

#endif  // TOOLS_SYNTH_AUC_H_
