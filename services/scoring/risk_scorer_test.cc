#include "services/scoring/risk_scorer.h"

#include <cmath>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scoring/testing/event_history.h"
#include "services/scoring/testing/learnable_history.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::services::testing::Admin;
using ::regulation::services::testing::EventHistory;
using ::regulation::services::testing::IsRisky;
using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

constexpr int kEnterprises = 10;
// Enterprises of each kind.
constexpr int kClean = 0;
constexpr int kRisky = 1;

v1::RiskClassPolicy CutPoints(double b, double c, double d) {
  v1::RiskClassPolicy policy;
  policy.mutable_cut_points()->set_b(b);
  policy.mutable_cut_points()->set_c(c);
  policy.mutable_cut_points()->set_d(d);
  return policy;
}

// A model trained on a learnable history (learnable_history.h), not yet active.
class RiskScorerTest : public ::regulation::services::testing::LearnableHistoryTest {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(v1::Model model, TrainLearnableModel(kEnterprises, 2));
    version_ = model.version();
  }

  absl::StatusOr<v1::RiskScore> Score(int serial, int max_reasons = 0) {
    v1::ScoreRequest request;
    request.set_credit_code(EventHistory::Code(serial));
    request.set_max_reasons(max_reasons);
    return scorer_.Score(Admin(), request);
  }

  absl::Status ScoreAll() {
    return scorer_.ScoreAll(v1::ScoreAllRequest(),
                             [](const v1::ScoreAllProgress&) { return true; });
  }

  EnterpriseDirectory directory_{history_.store(), &clock_};
  PortraitReader reader_{history_.store(), &directory_, &clock_, history_.portraits()};
  RiskScorer scorer_{history_.store(), &directory_, &reader_, registry_.get(), &clock_};
  std::string version_;
};

TEST_F(RiskScorerTest, ScoringNeedsAnActiveModel) {
  EXPECT_THAT(Score(kRisky), StatusIs(absl::StatusCode::kFailedPrecondition,
                                      HasSubstr("activate it")));
  EXPECT_THAT(ScoreAll(), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(RiskScorerTest, MaxReasonsOutsideZeroToTwentyNamesTheField) {
  ASSERT_OK(registry_->Activate(version_));
  EXPECT_THAT(Score(kRisky, 21), StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr("max_reasons")));
  EXPECT_THAT(Score(kRisky, -1), StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr("max_reasons")));
}

TEST_F(RiskScorerTest, ReasonsRaiseTheRiskLargestFirstInBothLanguages) {
  ASSERT_OK(registry_->Activate(version_));
  ASSERT_OK_AND_ASSIGN(v1::RiskScore risky, Score(kRisky, 3));
  ASSERT_OK_AND_ASSIGN(v1::RiskScore clean, Score(kClean, 3));
  EXPECT_GT(risky.probability(), clean.probability());
  EXPECT_EQ(risky.model_version(), version_);
  ASSERT_GE(risky.reasons_size(), 1);
  EXPECT_LE(risky.reasons_size(), 3);
  for (int i = 0; i < risky.reasons_size(); ++i) {
    const v1::ScoreReason& r = risky.reasons(i);
    EXPECT_GT(r.contribution(), 0) << r.code() << ": a reason must raise the risk";
    if (i > 0) {
      EXPECT_GE(risky.reasons(i - 1).contribution(), r.contribution()) << r.code();
    }
    EXPECT_FALSE(r.code().empty());
    EXPECT_FALSE(r.text().empty()) << r.code();
    EXPECT_FALSE(r.text_zh().empty()) << r.code();
  }
  // The history's only difference between the kinds is the penalties: a reason says so.
  bool names_penalties = false;
  for (const v1::ScoreReason& r : risky.reasons()) {
    names_penalties |= r.feature().find("penalt") != std::string::npos;
  }
  EXPECT_TRUE(names_penalties) << risky.DebugString();
  // Zero asks for the default, five at most.
  ASSERT_OK_AND_ASSIGN(v1::RiskScore by_default, Score(kRisky, 0));
  EXPECT_LE(by_default.reasons_size(), 5);
  EXPECT_GE(by_default.reasons_size(), risky.reasons_size());
}

TEST_F(RiskScorerTest, AProbabilityOnACutPointBelongsToTheHigherClass) {
  ASSERT_OK(registry_->Activate(version_));
  ASSERT_OK_AND_ASSIGN(const v1::RiskScore clean_first, Score(kClean));
  ASSERT_OK_AND_ASSIGN(const v1::RiskScore risky_first, Score(kRisky));
  const double low = clean_first.probability();
  const double high = risky_first.probability();
  ASSERT_LT(low, high);
  ASSERT_OK(registry_->UpdatePolicy(CutPoints(low, (low + high) / 2, high)));
  ASSERT_OK_AND_ASSIGN(v1::RiskScore clean, Score(kClean));
  ASSERT_OK_AND_ASSIGN(v1::RiskScore risky, Score(kRisky));
  EXPECT_EQ(clean.risk_class(), v1::RISK_CLASS_B);
  EXPECT_EQ(risky.risk_class(), v1::RISK_CLASS_D);

  // Just above them, each falls one class lower.
  ASSERT_OK(registry_->UpdatePolicy(CutPoints(std::nextafter(low, 1.0), (low + high) / 2,
                                              std::nextafter(high, 1.0))));
  ASSERT_OK_AND_ASSIGN(clean, Score(kClean));
  ASSERT_OK_AND_ASSIGN(risky, Score(kRisky));
  EXPECT_EQ(clean.risk_class(), v1::RISK_CLASS_A);
  EXPECT_EQ(risky.risk_class(), v1::RISK_CLASS_C);
}

TEST_F(RiskScorerTest, ScoreAllStoresEveryClassAndTheDistributionCountsThem) {
  ASSERT_OK(registry_->Activate(version_));
  EXPECT_THAT(scorer_.GetScore(Admin(), EventHistory::Code(kRisky)),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("ScoreAll")));
  ASSERT_OK_AND_ASSIGN(const v1::RiskScore clean_first, Score(kClean));
  ASSERT_OK_AND_ASSIGN(const v1::RiskScore risky_first, Score(kRisky));
  const double low = clean_first.probability();
  const double high = risky_first.probability();
  ASSERT_OK(registry_->UpdatePolicy(CutPoints(low, (low + high) / 2, high)));
  ASSERT_OK(ScoreAll());

  for (int serial = 0; serial < kEnterprises; ++serial) {
    ASSERT_OK_AND_ASSIGN(v1::RiskScore stored,
                         scorer_.GetScore(Admin(), EventHistory::Code(serial)));
    EXPECT_EQ(stored.model_version(), version_);
    EXPECT_EQ(stored.risk_class(), IsRisky(serial) ? v1::RISK_CLASS_D : v1::RISK_CLASS_B)
        << serial << " at " << stored.probability();
  }
  v1::GetClassDistributionRequest request;
  request.set_region_digits(4);
  ASSERT_OK_AND_ASSIGN(v1::GetClassDistributionResponse distribution,
                       scorer_.ClassDistribution(Admin(), request));
  EXPECT_EQ(distribution.model_version(), version_);
  EXPECT_EQ(distribution.total().class_b(), kEnterprises / 2);
  EXPECT_EQ(distribution.total().class_d(), kEnterprises / 2);
  EXPECT_EQ(distribution.total().class_a() + distribution.total().class_c(), 0);
  ASSERT_EQ(distribution.by_region_size(), 1);
  EXPECT_EQ(distribution.by_region(0).key(), "3301");
  request.set_region_digits(3);
  EXPECT_THAT(scorer_.ClassDistribution(Admin(), request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("region_digits")));
}

// Records what ScoreAll shows it, and fails when told to.
class RecordingObserver : public ScoreChangeObserver {
 public:
  absl::Status ScoresChanging(absl::Span<const ScoreChange> changes) override {
    for (const ScoreChange& c : changes) seen.push_back(c);
    return fail;
  }
  std::vector<ScoreChange> seen;
  absl::Status fail;
};

TEST_F(RiskScorerTest, TheChangeObserverSeesPreviousScoresBeforeTheyAreReplaced) {
  ASSERT_OK(registry_->Activate(version_));
  RecordingObserver observer;
  scorer_.set_change_observer(&observer);
  // A first run: nothing to compare with.
  ASSERT_OK(registry_->UpdatePolicy(CutPoints(0.97, 0.98, 0.99)).status());
  ASSERT_OK(ScoreAll());
  EXPECT_TRUE(observer.seen.empty());

  // The observer fails: the run stops before the chunk's scores are written.
  ASSERT_OK_AND_ASSIGN(const v1::RiskScore before,
                       scorer_.GetScore(Admin(), EventHistory::Code(kRisky)));
  ASSERT_OK(registry_->UpdatePolicy(CutPoints(0.001, 0.002, 0.003)).status());
  clock_.Advance(absl::Hours(1));
  observer.fail = absl::UnavailableError("alerts store down");
  EXPECT_THAT(ScoreAll(), StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_OK_AND_ASSIGN(const v1::RiskScore kept,
                       scorer_.GetScore(Admin(), EventHistory::Code(kRisky)));
  EXPECT_EQ(kept.score_time().seconds(), before.score_time().seconds());
  EXPECT_EQ(kept.risk_class(), v1::RISK_CLASS_A);

  // Once it succeeds, every enterprise is shown with its previous and new score.
  observer.seen.clear();
  observer.fail = absl::OkStatus();
  ASSERT_OK(ScoreAll());
  ASSERT_EQ(observer.seen.size(), static_cast<size_t>(kEnterprises));
  for (const ScoreChange& c : observer.seen) {
    EXPECT_EQ(c.previous.credit_code(), c.current.credit_code());
    EXPECT_EQ(c.previous.risk_class(), v1::RISK_CLASS_A);
    EXPECT_EQ(c.current.risk_class(), v1::RISK_CLASS_D);
    EXPECT_EQ(c.previous.score_time().seconds(), before.score_time().seconds());
    EXPECT_GT(c.current.score_time().seconds(), c.previous.score_time().seconds());
  }
  ASSERT_OK_AND_ASSIGN(const v1::RiskScore after,
                       scorer_.GetScore(Admin(), EventHistory::Code(kRisky)));
  EXPECT_EQ(after.risk_class(), v1::RISK_CLASS_D);
}

}  // namespace
}  // namespace regulation::services
