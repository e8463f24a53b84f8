#ifndef SCORING_TRAINING_DATA_H_
#define SCORING_TRAINING_DATA_H_

// Rows for training and evaluating a risk model: features in catalogue order
// (scoring/feature_catalogue.h), row-major, and 0/1 labels. The rows themselves
// (point-in-time features, labels from the following window) are built elsewhere.
//
// Thread safety: a plain value; the functions are pure.

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace regulation::scoring {

struct TrainingData {
  std::vector<float> features;  // row-major, rows x cols; NaN = missing
  size_t rows = 0;
  size_t cols = 0;
  std::vector<float> labels;  // 0 or 1, one per row
};

// OK when the shape is consistent (features.size() == rows * cols, labels.size() ==
// rows, cols > 0), every label is 0 or 1 and no feature is infinite; otherwise
// INVALID_ARGUMENT naming `what` (e.g. "train") and the first problem.
absl::Status ValidateTrainingData(const TrainingData& data, const char* what);

// The training-data digest recorded with a model (Model.training_data_digest): SHA-256,
// as 64 lowercase hex characters, over exactly these bytes:
//   "regulation.training_data.v1\n"
//   rows, cols                  as 8-byte little-endian unsigned integers
//   features (rows * cols)      each as its IEEE-754 float32 bits, 4 bytes little-endian
//   labels (rows)               likewise
// Two data sets have the same digest exactly when they have the same shape and the same
// float bits in the same order (NaNs included bit for bit).
std::string TrainingDataDigest(const TrainingData& data);

}  // namespace regulation::scoring

#endif  // SCORING_TRAINING_DATA_H_
