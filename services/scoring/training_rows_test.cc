#include "services/scoring/training_rows.h"

#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring/feature_catalogue.h"
#include "services/scoring/testing/event_history.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::services::testing::EventHistory;
using ::regulation::services::testing::kDay;
using ::regulation::services::testing::kNow;
using ::regulation::services::testing::FeatureIndex;
using ::regulation::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class BuildTrainingRowsTest : public ::testing::Test {
 protected:
  BuildTrainingRowsTest() : history_(kNow) {}
  void SetUp() override {
    ASSERT_OK(history_.AddEnterprise(0));
    ASSERT_OK(history_.AddEnterprise(1));
  }
  EventHistory history_;
  // Two windows 60 days apart, each labelled by the next 30 days.
  const int64_t w0_ = kNow - 120 * kDay;
  const int64_t w1_ = kNow - 60 * kDay;
  const int64_t label_ = 30 * kDay;
};

TEST_F(BuildTrainingRowsTest, WindowsMustBeGivenAndStrictlyIncreasing) {
  EXPECT_THAT(BuildTrainingRows(history_.store(), {}, label_, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("window_starts")));
  EXPECT_THAT(BuildTrainingRows(history_.store(), {w1_, w0_}, label_, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("strictly increasing")));
  EXPECT_THAT(BuildTrainingRows(history_.store(), {w0_, w0_}, label_, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("strictly increasing")));
  EXPECT_THAT(BuildTrainingRows(history_.store(), {w0_}, 0, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must be positive")));
}

TEST_F(BuildTrainingRowsTest, ARowSeesOnlyEventsUpToItsWindowStart) {
  ASSERT_OK(history_.AddPenalty(0, "before", w0_ - kDay));
  ASSERT_OK(history_.AddPenalty(0, "at-start", w0_));
  ASSERT_OK(history_.AddPenalty(0, "after-start", w0_ + kDay));  // future of the row
  ASSERT_OK(history_.AddInspection(0, "inspected", w0_ + 10 * kDay, /*problem_found=*/true));
  ASSERT_OK_AND_ASSIGN(LabelledRows rows,
                       BuildTrainingRows(history_.store(), {w0_}, label_, nullptr));
  ASSERT_EQ(rows.data.rows, 1u);
  ASSERT_EQ(rows.data.cols, scoring::FeatureCatalogue().size());
  EXPECT_EQ(rows.data.features[FeatureIndex("penalties_1y")], 2.0f);
  EXPECT_THAT(rows.data.labels, ElementsAre(1.0f));
  EXPECT_THAT(rows.credit_code, ElementsAre(EventHistory::Code(0)));
}

TEST_F(BuildTrainingRowsTest, OneRowPerEnterpriseAndWindowLabelledByAnyProblemInTheWindow) {
  // Enterprise 0: two inspections in window 0, one found a problem; none in window 1.
  ASSERT_OK(history_.AddInspection(0, "a1", w0_ + 1 * kDay, false));
  ASSERT_OK(history_.AddInspection(0, "a2", w0_ + 2 * kDay, true));
  // Enterprise 1: clean inspection in window 1; one just after its label window.
  ASSERT_OK(history_.AddInspection(1, "b1", w1_ + 5 * kDay, false));
  ASSERT_OK(history_.AddInspection(1, "b-late", w1_ + label_ + kDay, true));
  int64_t last_done = -1, last_total = -1;
  ASSERT_OK_AND_ASSIGN(LabelledRows rows,
                       BuildTrainingRows(history_.store(), {w0_, w1_}, label_,
                                         [&](int64_t done, int64_t total) {
                                           last_done = done;
                                           last_total = total;
                                         }));
  EXPECT_EQ(last_done, 2);
  EXPECT_EQ(last_total, 2);
  ASSERT_EQ(rows.data.rows, 2u);
  // Rows come per enterprise (in key order), each enterprise's windows in order.
  std::vector<std::string> codes = {EventHistory::Code(0), EventHistory::Code(1)};
  const bool zero_first = rows.credit_code[0] == codes[0];
  const size_t a = zero_first ? 0 : 1;
  const size_t b = 1 - a;
  EXPECT_EQ(rows.credit_code[a], codes[0]);
  EXPECT_EQ(rows.window_of[a], 0);
  EXPECT_EQ(rows.data.labels[a], 1.0f);
  EXPECT_THAT(rows.inspection_event_ids[a], ElementsAre("a1", "a2"));
  EXPECT_EQ(rows.credit_code[b], codes[1]);
  EXPECT_EQ(rows.window_of[b], 1);
  EXPECT_EQ(rows.data.labels[b], 0.0f);
  EXPECT_THAT(rows.inspection_event_ids[b], ElementsAre("b1"));

  const scoring::TrainingData first = SelectWindow(rows, 0, /*equal=*/true);
  const scoring::TrainingData others = SelectWindow(rows, 0, /*equal=*/false);
  EXPECT_EQ(first.rows, 1u);
  EXPECT_THAT(first.labels, ElementsAre(1.0f));
  EXPECT_EQ(others.rows, 1u);
  EXPECT_THAT(others.labels, ElementsAre(0.0f));
  EXPECT_EQ(first.features.size(), first.cols);
}

TEST_F(BuildTrainingRowsTest, CorruptEnterpriseIsDataLoss) {
  storage::WriteBatch corrupt;
  corrupt.Put(storage::ColumnFamily::kEnterprises, EventHistory::Code(0), "\xff\xff garbage");
  ASSERT_OK(history_.store()->Write(corrupt));
  EXPECT_THAT(BuildTrainingRows(history_.store(), {w0_}, label_, nullptr),
              StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace regulation::services
