#include "scoring/training_data.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"

namespace regulation::scoring {
namespace {

TrainingData Small() {
  TrainingData d;
  d.rows = 2;
  d.cols = 2;
  d.features = {1.0f, 2.0f, 3.0f, 4.0f};
  d.labels = {0.0f, 1.0f};
  return d;
}

TEST(TrainingDataDigest, MatchesTheDocumentedByteLayout) {
  // sha256(b"regulation.training_data.v1\n" + struct.pack("<QQ", 2, 2)
  //        + struct.pack("<4f", 1, 2, 3, 4) + struct.pack("<2f", 0, 1)), from Python.
  EXPECT_EQ(TrainingDataDigest(Small()),
            "546ef808c4413e77acbd0b2631c6f4bfe51b347b8c84ef739a80d746af38ed6a");
}

TEST(TrainingDataDigest, DependsOnShapeValuesAndLabels) {
  const std::string base = TrainingDataDigest(Small());
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(TrainingDataDigest(Small()), base);

  TrainingData reshaped = Small();
  reshaped.rows = 1;
  reshaped.cols = 4;
  EXPECT_NE(TrainingDataDigest(reshaped), base);

  TrainingData relabelled = Small();
  relabelled.labels[0] = 1;
  EXPECT_NE(TrainingDataDigest(relabelled), base);

  TrainingData nudged = Small();
  nudged.features[3] = std::nextafter(4.0f, 5.0f);
  EXPECT_NE(TrainingDataDigest(nudged), base);
}

TEST(ValidateTrainingData, AcceptsConsistentData) {
  EXPECT_TRUE(ValidateTrainingData(Small(), "train").ok());
  TrainingData with_missing = Small();
  with_missing.features[1] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(ValidateTrainingData(with_missing, "train").ok());
}

TEST(ValidateTrainingData, RejectsInconsistentShapesLabelsAndInfinities) {
  TrainingData short_features = Small();
  short_features.features.pop_back();
  EXPECT_EQ(ValidateTrainingData(short_features, "train").code(),
            absl::StatusCode::kInvalidArgument);

  TrainingData short_labels = Small();
  short_labels.labels.pop_back();
  EXPECT_EQ(ValidateTrainingData(short_labels, "train").code(), absl::StatusCode::kInvalidArgument);

  TrainingData bad_label = Small();
  bad_label.labels[1] = 0.5f;
  const absl::Status s = ValidateTrainingData(bad_label, "validation");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("validation: labels[1]"), absl::string_view::npos) << s;

  TrainingData infinite = Small();
  infinite.features[2] = std::numeric_limits<float>::infinity();
  EXPECT_EQ(ValidateTrainingData(infinite, "train").code(), absl::StatusCode::kInvalidArgument);

  TrainingData no_columns;
  EXPECT_EQ(ValidateTrainingData(no_columns, "train").code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace regulation::scoring
