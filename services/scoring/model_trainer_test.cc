#include "services/scoring/model_trainer.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/proto_time.h"
#include "services/scoring/testing/event_history.h"
#include "services/scoring/testing/learnable_history.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::services::testing::AddLearnableHistory;
using ::regulation::services::testing::kDay;
using ::regulation::services::testing::kNow;
using ::regulation::services::testing::LearnableHistory;
using ::regulation::services::testing::LearnableWindows;
using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Not;

class TrainAndRegisterTest : public ::regulation::services::testing::LearnableHistoryTest {
 protected:
  absl::StatusOr<v1::TrainModelProgress> Train(const v1::TrainModelRequest& request,
                                               const KeepGoing& keep_going = nullptr) {
    return TrainAndRegister(
        history_.store(), registry_.get(), &clock_, request,
        [this](const v1::TrainModelProgress& p) { stages_.push_back(p.stage()); }, nullptr,
        keep_going);
  }

  std::vector<std::string> stages_;
};

TEST_F(TrainAndRegisterTest, TrainsASeparableHistoryAndStoresItReadyNotActive) {
  ASSERT_OK_AND_ASSIGN(LearnableHistory h, AddLearnableHistory(&history_, kNow, 20, 3));
  ASSERT_OK_AND_ASSIGN(v1::TrainModelProgress done, Train(h.request));

  EXPECT_EQ(done.stage(), "done");
  EXPECT_EQ(done.model().state(), v1::MODEL_STATE_READY);
  EXPECT_EQ(registry_->Active(), nullptr) << "training must not put a model into service";
  ASSERT_OK_AND_ASSIGN(v1::Model stored, registry_->Get(done.model().version()));
  // The windows trained on are recorded as given (a backtest relies on them).
  ASSERT_EQ(stored.config().window_starts_size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(FromProtoDate(stored.config().window_starts(i)).value(), h.window_starts[i]);
  }
  // The held-out window is the latest: its 20 enterprises, perfectly separated.
  EXPECT_EQ(done.model().metrics().validation_rows(), 20);
  EXPECT_DOUBLE_EQ(done.model().metrics().auc(), 1.0);
  EXPECT_DOUBLE_EQ(done.model().metrics().base_rate(), 0.5);
  EXPECT_THAT(done.report_html(), HasSubstr("<html"));
  EXPECT_THAT(done.report_json(), HasSubstr("\"metrics\""));
  ASSERT_FALSE(stages_.empty());
  EXPECT_EQ(stages_.front(), "building point-in-time rows");
}

TEST_F(TrainAndRegisterTest, WindowsMustBeAtLeastTwoAndIncreasing) {
  ASSERT_OK_AND_ASSIGN(LearnableHistory h, AddLearnableHistory(&history_, kNow, 4, 2));
  v1::TrainModelRequest one = h.request;
  one.mutable_config()->mutable_window_starts()->RemoveLast();
  EXPECT_THAT(Train(one), StatusIs(absl::StatusCode::kInvalidArgument,
                                   HasSubstr("config.window_starts")));
  v1::TrainModelRequest reversed = h.request;
  reversed.mutable_config()->mutable_window_starts()->SwapElements(0, 1);
  EXPECT_THAT(Train(reversed), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("strictly increasing")));
  v1::TrainModelRequest bad_day = h.request;
  bad_day.mutable_config()->mutable_window_starts(1)->set_month(13);
  EXPECT_THAT(Train(bad_day), StatusIs(absl::StatusCode::kInvalidArgument,
                                       HasSubstr("config.window_starts[1]")));
  EXPECT_EQ(StoredModels(), 0);
}

TEST_F(TrainAndRegisterTest, AHistoryWithoutInspectionsIsRefusedWithTheCure) {
  ASSERT_OK(history_.AddEnterprise(0));
  ASSERT_OK(history_.AddEnterprise(1));
  EXPECT_THAT(Train(LearnableWindows(kNow, 3).request),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("ingest history with inspections first")));
  EXPECT_EQ(StoredModels(), 0);
}

TEST_F(TrainAndRegisterTest, AWindowWithOneOutcomeIsRefused) {
  const LearnableHistory h = LearnableWindows(kNow, 2);
  const int64_t validation_start =
      absl::ToUnixMicros(absl::FromCivil(h.window_starts[1], ChinaTimeZone()));
  const int64_t training_start =
      absl::ToUnixMicros(absl::FromCivil(h.window_starts[0], ChinaTimeZone()));
  for (int serial = 0; serial < 4; ++serial) ASSERT_OK(history_.AddEnterprise(serial));
  // Training window: both outcomes. Validation window: every inspection clean.
  ASSERT_OK(history_.AddInspection(0, "t0", training_start + kDay, true));
  ASSERT_OK(history_.AddInspection(1, "t1", training_start + kDay, false));
  ASSERT_OK(history_.AddInspection(2, "v2", validation_start + kDay, false));
  ASSERT_OK(history_.AddInspection(3, "v3", validation_start + kDay, false));
  EXPECT_THAT(Train(h.request),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("validation window"), HasSubstr("only one outcome"))));
  EXPECT_EQ(StoredModels(), 0);
}

TEST_F(TrainAndRegisterTest, ACancelledRunRegistersNothing) {
  ASSERT_OK_AND_ASSIGN(LearnableHistory h, AddLearnableHistory(&history_, kNow, 10, 2));
  int asked = 0;
  const KeepGoing cancel_after_rows = [&]() -> absl::Status {
    // Rows are built by now once the trainer starts asking between rounds.
    return ++asked > 1 ? absl::CancelledError("the client went away") : absl::OkStatus();
  };
  EXPECT_THAT(Train(h.request, cancel_after_rows), StatusIs(absl::StatusCode::kCancelled));
  EXPECT_GT(asked, 1);
  EXPECT_EQ(StoredModels(), 0);
  EXPECT_THAT(stages_, Not(Contains("done")));
}

}  // namespace
}  // namespace regulation::services
