#include "scoring/training_data.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::scoring {
namespace {

using ::regulation::testing::StatusIs;

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
  EXPECT_OK(ValidateTrainingData(Small(), "train"));
  TrainingData with_missing = Small();
  with_missing.features[1] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_OK(ValidateTrainingData(with_missing, "train"));
}

TEST(ValidateTrainingData, RejectsInconsistentShapesLabelsAndInfinities) {
  TrainingData short_features = Small();
  short_features.features.pop_back();
  EXPECT_THAT(ValidateTrainingData(short_features, "train"),
              StatusIs(absl::StatusCode::kInvalidArgument));

  TrainingData short_labels = Small();
  short_labels.labels.pop_back();
  EXPECT_THAT(ValidateTrainingData(short_labels, "train"),
              StatusIs(absl::StatusCode::kInvalidArgument));

  TrainingData bad_label = Small();
  bad_label.labels[1] = 0.5f;
  const absl::Status s = ValidateTrainingData(bad_label, "validation");
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(s.message().find("validation: labels[1]"), absl::string_view::npos) << s;

  TrainingData infinite = Small();
  infinite.features[2] = std::numeric_limits<float>::infinity();
  EXPECT_THAT(ValidateTrainingData(infinite, "train"),
              StatusIs(absl::StatusCode::kInvalidArgument));

  TrainingData no_columns;
  EXPECT_THAT(ValidateTrainingData(no_columns, "train"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::scoring
