#include "services/telemetry/score_drift.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "scoring/metrics.h"
#include "scoring/report.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::telemetry {
namespace {

using ::regulation::testing::StatusIs;

TEST(ScoreBin, TenEqualWidthBinsWithOneInTheLast) {
  EXPECT_EQ(ScoreBin(0), 0);
  EXPECT_EQ(ScoreBin(0.0999), 0);
  EXPECT_EQ(ScoreBin(0.1), 1);
  EXPECT_EQ(ScoreBin(0.95), 9);
  EXPECT_EQ(ScoreBin(1.0), 9);
  EXPECT_EQ(ScoreBin(-0.5), 0);
  EXPECT_EQ(ScoreBin(std::nan("")), 0);
}

TEST(PopulationStabilityIndex, ZeroForTheSameSharesAndTheTextbookValueForAShift) {
  const ScoreBins training = {500, 300, 100, 50, 20, 10, 10, 5, 3, 2};
  ScoreBins doubled;
  for (int i = 0; i < kScoreBins; ++i) doubled[i] = 2 * training[i];
  EXPECT_NEAR(PopulationStabilityIndex(training, doubled), 0, 1e-12);

  // Half the mass moves from the first bin to the second.
  const ScoreBins expected = {50, 50, 0, 0, 0, 0, 0, 0, 0, 0};
  const ScoreBins actual = {25, 75, 0, 0, 0, 0, 0, 0, 0, 0};
  const double psi = (0.25 - 0.5) * std::log(0.25 / 0.5) + (0.75 - 0.5) * std::log(0.75 / 0.5);
  EXPECT_NEAR(PopulationStabilityIndex(expected, actual), psi, 1e-12);
  EXPECT_GT(psi, 0.25);  // a shift this large is above the alert's threshold

  EXPECT_EQ(PopulationStabilityIndex(expected, ScoreBins{}), 0);
}

TEST(PopulationStabilityIndex, AnEmptyBinDoesNotMakeItInfinite) {
  const ScoreBins expected = {100, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  const ScoreBins actual = {50, 50, 0, 0, 0, 0, 0, 0, 0, 0};
  const double psi = PopulationStabilityIndex(expected, actual);
  EXPECT_TRUE(std::isfinite(psi));
  EXPECT_GT(psi, 1);
}

// The training distribution comes from the report the scoring side writes: read it from
// a real report, so that a change of its format is caught here.
TEST(TrainingScoreBins, ReadsTheCalibrationCountsOfARealReport) {
  std::vector<float> scores, labels;
  for (int i = 0; i < 200; ++i) {
    scores.push_back(static_cast<float>((i % 20) / 20.0 + 0.01));  // 20 per two bins
    labels.push_back(i % 3 == 0 ? 1.0f : 0.0f);
  }
  scoring::EvaluationReport report;
  report.title = "m-test";
  report.model = scoring::ComputeCurves(scores, labels);
  absl::StatusOr<std::string> json = scoring::ReportJson(report);
  ASSERT_OK(json);
  internal::ModelRecord record;
  record.mutable_model()->set_version("m-test");
  record.set_report_json(*json);

  absl::StatusOr<ScoreBins> bins = TrainingScoreBins(record);
  ASSERT_OK(bins);
  for (int i = 0; i < kScoreBins; ++i) EXPECT_EQ((*bins)[i], 20) << "bin " << i;
}

TEST(TrainingScoreBins, AModelWithoutReportBinsIsFailedPrecondition) {
  internal::ModelRecord record;
  record.mutable_model()->set_version("m-bare");
  EXPECT_THAT(TrainingScoreBins(record), StatusIs(absl::StatusCode::kFailedPrecondition));
  record.set_report_json("{\"curves\":{\"model\":{\"calibration\":[]}}}");
  EXPECT_THAT(TrainingScoreBins(record), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(StoredScoreBins, CountsOnlyTheGivenModelsScores) {
  std::unique_ptr<storage::KvStore> store = storage::NewMemoryStore();
  storage::WriteBatch batch;
  const double probabilities[] = {0.01, 0.05, 0.15, 0.99, 0.5};
  for (int i = 0; i < 5; ++i) {
    v1::RiskScore score;
    score.set_credit_code(absl::StrCat("code", i));
    score.set_probability(probabilities[i]);
    score.set_model_version(i == 4 ? "m-old" : "m-new");
    batch.Put(storage::ColumnFamily::kScores, score.credit_code(), score.SerializeAsString());
  }
  ASSERT_OK(store->Write(batch));
  absl::StatusOr<ScoreBins> bins = StoredScoreBins(store.get(), "m-new");
  ASSERT_OK(bins);
  EXPECT_EQ(*bins, (ScoreBins{2, 1, 0, 0, 0, 0, 0, 0, 0, 1}));
}

TEST(ScoreReference, IsKeptPerModelVersionAcrossReads) {
  const std::string dir = testing::NewTempDir();
  absl::StatusOr<std::optional<ScoreBins>> none = ReadScoreReference(dir, "m-20261206-001");
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
  const ScoreBins bins = {10526, 5707, 1987, 869, 413, 236, 135, 74, 49, 4};
  ASSERT_OK(WriteScoreReference(dir, "m-20261206-001", bins));
  absl::StatusOr<std::optional<ScoreBins>> read = ReadScoreReference(dir, "m-20261206-001");
  ASSERT_OK(read);
  EXPECT_EQ(**read, bins);
  EXPECT_FALSE(ReadScoreReference(dir, "m-20261206-002")->has_value());
  // A version is a file name's part: nothing that climbs out of the directory.
  EXPECT_THAT(WriteScoreReference(dir, "../m", bins), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::telemetry
