// The backtest on a hand-made period whose figures are worked out below, and what it
// refuses. tests/backtest_test.cc runs it on a generated population.

#include "services/scoring/backtest.h"

#include <string>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/proto_time.h"
#include "services/scoring/period_inspections.h"
#include "services/scoring/testing/event_history.h"
#include "services/scoring/testing/learnable_history.h"
#include "services/seams/local_portrait_feed.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::services::testing::Admin;
using ::regulation::services::testing::EventHistory;
using ::regulation::services::testing::kLabelWindowDays;
using ::regulation::services::testing::kNow;
using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

constexpr int64_t kHour = int64_t{3600} * 1000000;

v1::Date DateOfDay(int64_t day) { return ToProtoDate(absl::CivilDay(1970, 1, 1) + day); }

// A model trained on two windows whose labels end kLabelWindowDays days before today;
// the period after them is free for a backtest.
class BacktesterTest : public ::regulation::services::testing::LearnableHistoryTest {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(v1::Model model, TrainLearnableModel(10, 2));
    version_ = model.version();
  }

  v1::BacktestRequest Request(int64_t from, int64_t to) const {
    v1::BacktestRequest request;
    request.set_model_version(version_);
    *request.mutable_from() = DateOfDay(from);
    *request.mutable_to() = DateOfDay(to);
    return request;
  }

  absl::Status Inspect(int serial, const std::string& id, int64_t day, bool problem_found) {
    return history_.AddInspection(serial, id, DayStartMicros(day) + 10 * kHour, problem_found);
  }

  const int64_t today_ = DayOf(kNow);
  // The last label window's last day, and the first day the model never saw.
  const int64_t labels_end_ = today_ - kLabelWindowDays;
  const int64_t from_ = labels_end_ + 1;
  EnterpriseDirectory directory_{history_.store(), &clock_};
  PortraitReader reader_{history_.store(), &directory_, &clock_, history_.portraits()};
  LocalPortraitFeed portraits_{history_.store(), &directory_, &reader_};
  Backtester backtester_{history_.store(), &portraits_, registry_.get(), &clock_};
  std::string version_;
};

TEST_F(BacktesterTest, AHandMadePeriodGivesItsWorkedOutFigures) {
  // Five inspections on days 1, 1, 4, 6 and 9 of the period: the three clean enterprises
  // (even serials) without findings on days 1, 1 and 4; the risky ones found at fault on
  // days 6 and 9. The model scores both risky ones above every clean one, so in score
  // order they take the two earliest slots, both on day 1: they are reached (6 - 1) and
  // (9 - 1) days earlier, 6.5 on average. By chance: the violations' mean day minus all
  // inspections' mean day, (6 + 9) / 2 - (1 + 1 + 4 + 6 + 9) / 5 = 3.3, on average.
  ASSERT_OK(Inspect(0, "p0", from_ + 1, false));
  ASSERT_OK(Inspect(2, "p2", from_ + 1, false));
  ASSERT_OK(Inspect(4, "p4", from_ + 4, false));
  ASSERT_OK(Inspect(1, "p1", from_ + 6, true));
  ASSERT_OK(Inspect(3, "p3", from_ + 9, true));
  v1::BacktestRequest request = Request(from_, today_ - 1);
  request.set_shuffles(2000);
  ASSERT_OK_AND_ASSIGN(v1::BacktestReport report, backtester_.Backtest(request));
  EXPECT_EQ(report.model_version(), version_);
  EXPECT_EQ(report.inspections(), 5);
  EXPECT_EQ(report.violations(), 2);
  EXPECT_DOUBLE_EQ(report.base_rate(), 0.4);
  EXPECT_EQ(report.inspection_days(), 4);
  EXPECT_DOUBLE_EQ(report.model().auc(), 1.0);
  EXPECT_DOUBLE_EQ(report.model().mean_days_earlier(), 6.5);
  EXPECT_NEAR(report.random_mean_days_earlier(), 3.3, 0.3);
  EXPECT_LE(report.random_p025_days_earlier(), report.random_mean_days_earlier());
  EXPECT_GE(report.random_p975_days_earlier(), report.model().mean_days_earlier())
      << "one random order in ten puts both violations first, as the model does";
  ASSERT_EQ(report.model().budgets_size(), 3);
  // The same request gives the same report, bit for bit.
  ASSERT_OK_AND_ASSIGN(v1::BacktestReport again, backtester_.Backtest(request));
  EXPECT_EQ(again.SerializeAsString(), report.SerializeAsString());
}

TEST_F(BacktesterTest, APeriodTheModelLearnedFromIsRefused) {
  ASSERT_OK(Inspect(1, "p1", labels_end_, true));
  EXPECT_THAT(backtester_.Backtest(Request(labels_end_, today_ - 1)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("learned from")));
}

TEST_F(BacktesterTest, AnEmptyPeriodIsRefused) {
  EXPECT_THAT(backtester_.Backtest(Request(from_, today_ - 1)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no inspection")));
}

TEST_F(BacktesterTest, BadRequestsNameTheField) {
  v1::BacktestRequest no_from = Request(from_, today_);
  no_from.clear_from();
  EXPECT_THAT(backtester_.Backtest(no_from),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("from")));
  EXPECT_THAT(backtester_.Backtest(Request(from_ + 2, from_ + 1)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("to: is before from")));
  EXPECT_THAT(backtester_.Backtest(Request(from_, today_ + 1)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("to: is in the future")));
  v1::BacktestRequest few_shuffles = Request(from_, today_);
  few_shuffles.set_shuffles(9);
  EXPECT_THAT(backtester_.Backtest(few_shuffles),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("shuffles")));
  v1::BacktestRequest unknown = Request(from_, today_);
  unknown.set_model_version("m-19990101-001");
  EXPECT_THAT(backtester_.Backtest(unknown), StatusIs(absl::StatusCode::kNotFound));
  v1::BacktestRequest active = Request(from_, today_);
  active.clear_model_version();
  EXPECT_THAT(backtester_.Backtest(active),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no model is active")));
}

TEST_F(BacktesterTest, AScoreAsOfThePastSeesOnlyThePast) {
  ASSERT_OK(registry_->Activate(version_));
  v1::ScoreAsOfRequest request;
  request.set_credit_code(EventHistory::Code(1));
  EXPECT_THAT(backtester_.ScoreAsOf(Admin(), request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of")));
  // Before the risky enterprise's first penalty it looks like a clean one.
  const absl::Time before_penalties = absl::FromUnixMicros(kNow) - absl::Hours(24 * 120);
  *request.mutable_as_of() = ToProtoTimestamp(before_penalties);
  ASSERT_OK_AND_ASSIGN(v1::RiskScore risky_then, backtester_.ScoreAsOf(Admin(), request));
  request.set_credit_code(EventHistory::Code(0));
  ASSERT_OK_AND_ASSIGN(v1::RiskScore clean_then, backtester_.ScoreAsOf(Admin(), request));
  EXPECT_EQ(risky_then.probability(), clean_then.probability());
  request.set_credit_code(EventHistory::Code(1));
  *request.mutable_as_of() = ToProtoTimestamp(absl::FromUnixMicros(kNow));
  ASSERT_OK_AND_ASSIGN(v1::RiskScore risky_now, backtester_.ScoreAsOf(Admin(), request));
  EXPECT_GT(risky_now.probability(), risky_then.probability());
  EXPECT_EQ(risky_now.model_version(), version_);
}

}  // namespace
}  // namespace regulation::services
