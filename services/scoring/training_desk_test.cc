#include "services/scoring/training_desk.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scoring/testing/learnable_history.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::services::testing::AddLearnableHistory;
using ::regulation::services::testing::Admin;
using ::regulation::services::testing::kNow;
using ::regulation::services::testing::LearnableHistory;
using ::regulation::services::testing::LearnableWindows;
using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

class TrainingDeskTest : public ::regulation::services::testing::LearnableHistoryTest {
 protected:

  // A learnable history and a request for it with `request_id`.
  v1::TrainModelRequest Learnable(const std::string& request_id) {
    absl::StatusOr<LearnableHistory> h = AddLearnableHistory(&history_, kNow, 10, 2);
    EXPECT_OK(h);
    v1::TrainModelRequest request = h.ok() ? h->request : v1::TrainModelRequest();
    request.set_request_id(request_id);
    return request;
  }

  TrainingDesk desk_{history_.store(), StoreTrainingRows(history_.store()), registry_.get(), &clock_};
};

TEST_F(TrainingDeskTest, ARetryGetsTheFirstModelWithoutTrainingAgain) {
  const v1::TrainModelRequest request = Learnable("train-1");
  ASSERT_OK_AND_ASSIGN(v1::TrainModelProgress first, desk_.Train(Admin("a"), request, nullptr));
  int stages_on_retry = 0;
  ASSERT_OK_AND_ASSIGN(
      v1::TrainModelProgress retry,
      desk_.Train(Admin("a"), request, [&](const v1::TrainModelProgress&) { ++stages_on_retry; }));
  EXPECT_EQ(retry.model().version(), first.model().version());
  EXPECT_EQ(retry.report_json(), first.report_json());
  EXPECT_EQ(retry.report_html(), first.report_html());
  EXPECT_EQ(retry.stage(), "done");
  EXPECT_EQ(stages_on_retry, 0) << "a replay must not run the stages again";
  EXPECT_EQ(StoredModels(), 1);
}

TEST_F(TrainingDeskTest, TheSameIdWithOtherContentIsAlreadyExists) {
  v1::TrainModelRequest request = Learnable("train-2");
  ASSERT_OK(desk_.Train(Admin("a"), request, nullptr));
  request.mutable_config()->set_seed(8);
  EXPECT_THAT(desk_.Train(Admin("a"), request, nullptr),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(StoredModels(), 1);
}

TEST_F(TrainingDeskTest, RequestIdsBelongToTheirCaller) {
  const v1::TrainModelRequest request = Learnable("shared-id");
  ASSERT_OK_AND_ASSIGN(v1::TrainModelProgress a, desk_.Train(Admin("a"), request, nullptr));
  ASSERT_OK_AND_ASSIGN(v1::TrainModelProgress b, desk_.Train(Admin("b"), request, nullptr));
  EXPECT_NE(a.model().version(), b.model().version());
  EXPECT_EQ(StoredModels(), 2);
}

TEST_F(TrainingDeskTest, ARefusedRunDoesNotUseUpItsRequestId) {
  v1::TrainModelRequest early = LearnableWindows(kNow, 2).request;
  early.set_request_id("train-3");
  EXPECT_THAT(desk_.Train(Admin("a"), early, nullptr),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // The operator ingests the history and retries with the same id: it trains now.
  const v1::TrainModelRequest request = Learnable("train-3");
  ASSERT_EQ(request.SerializeAsString(), early.SerializeAsString());
  ASSERT_OK(desk_.Train(Admin("a"), request, nullptr));
  EXPECT_EQ(StoredModels(), 1);
}

TEST_F(TrainingDeskTest, AMalformedRequestIdIsRefusedBeforeTraining) {
  const v1::TrainModelRequest request = Learnable("no spaces/allowed");
  EXPECT_THAT(desk_.Train(Admin("a"), request, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
  EXPECT_EQ(StoredModels(), 0);
}

}  // namespace
}  // namespace regulation::services
