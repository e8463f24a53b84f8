// Point-in-time scoring and backtests on a generated population loaded through the real
// ingestion path: a model trained on windows that end before the period, scored on
// every inspection of the period as of the day before it; what it refuses; and that
// nothing after the period (or after an inspection's own day) changes a figure.

#include "services/scoring/backtest.h"

#include <cmath>
#include <optional>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/proto_time.h"
#include "services/portrait/enterprise_directory.h"
#include "services/portrait/event_ingestor.h"
#include "services/portrait/portrait_reader.h"
#include "services/scoring/model_registry.h"
#include "services/scoring/model_trainer.h"
#include "services/seams/local_portrait_feed.h"
#include "storage/memory_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"
#include "tests/testing/synthetic_population.h"

namespace regulation {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

constexpr int kEnterprises = 6000;
const absl::CivilDay kHistoryEnd(2026, 6, 30);

access::Caller Operator() {
  access::Caller caller;
  caller.roles = access::RoleSet::All();
  caller.subject = "operator";
  return caller;
}

class BacktestTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_ = storage::NewMemoryStore().release();
    absl::StatusOr<testing::LoadedPopulation> population =
        testing::LoadSyntheticPopulation(store_, kEnterprises, 5, /*seed=*/5, kHistoryEnd);
    ASSERT_OK(population);
    population_ = new testing::LoadedPopulation(std::move(*population));
    clock_ = new FakeClock(absl::FromCivil(kHistoryEnd + 1, ChinaTimeZone()));
    directory_ = new services::EnterpriseDirectory(store_, clock_);
    reader_ = new services::PortraitReader(store_, directory_, clock_, /*portraits=*/nullptr);
    registry_ = services::ModelRegistry::Open(store_, clock_).value().release();
    portraits_ = new services::LocalPortraitFeed(store_, directory_, reader_);
    backtester_ = new services::Backtester(store_, portraits_, registry_, clock_);
    // Quarterly windows from 2023-01-01; the last one's labels end 2025-09-30.
    v1::TrainModelRequest request;
    for (absl::CivilDay d(2023, 1, 1); d <= absl::CivilDay(2025, 7, 1);) {
      *request.mutable_config()->add_window_starts() = services::ToProtoDate(d);
      d = absl::CivilDay(absl::CivilMonth(d) + 3);
    }
    request.mutable_config()->set_label_window_days(91);
    absl::StatusOr<v1::TrainModelProgress> done = services::TrainAndRegister(
        store_, registry_, clock_, request, [](const v1::TrainModelProgress&) {});
    ASSERT_OK(done);
    model_ = new v1::Model(done->model());
  }

  static v1::BacktestRequest Request(absl::CivilDay from, absl::CivilDay to) {
    v1::BacktestRequest r;
    r.set_model_version(model_->version());
    *r.mutable_from() = services::ToProtoDate(from);
    *r.mutable_to() = services::ToProtoDate(to);
    for (const auto& [id, p] : population_->inspection_truth) {
      v1::OracleProbability* o = r.add_oracle();
      o->set_event_id(id);
      o->set_probability(p);
    }
    return r;
  }

  static storage::KvStore* store_;
  static testing::LoadedPopulation* population_;
  static FakeClock* clock_;
  static services::EnterpriseDirectory* directory_;
  static services::PortraitReader* reader_;
  static services::LocalPortraitFeed* portraits_;
  static services::ModelRegistry* registry_;
  static services::Backtester* backtester_;
  static v1::Model* model_;
};

storage::KvStore* BacktestTest::store_;
testing::LoadedPopulation* BacktestTest::population_;
FakeClock* BacktestTest::clock_;
services::EnterpriseDirectory* BacktestTest::directory_;
services::PortraitReader* BacktestTest::reader_;
services::LocalPortraitFeed* BacktestTest::portraits_;
services::ModelRegistry* BacktestTest::registry_;
services::Backtester* BacktestTest::backtester_;
v1::Model* BacktestTest::model_;

TEST_F(BacktestTest, TheModelBeatsRandomOrderOnALaterPeriod) {
  absl::StatusOr<v1::BacktestReport> r =
      backtester_->Backtest(Request(absl::CivilDay(2025, 10, 1), absl::CivilDay(2026, 5, 31)));
  ASSERT_OK(r);
  std::printf(
      "backtest: %lld inspections, %lld violations; AUC model %.3f baseline %.3f oracle "
      "%.3f; days earlier model %.1f baseline %.1f oracle %.1f random %.1f (sd %.1f, "
      "95%% %.1f..%.1f)\n",
      static_cast<long long>(r->inspections()), static_cast<long long>(r->violations()),
      r->model().auc(), r->baseline().auc(), r->oracle().auc(), r->model().mean_days_earlier(),
      r->baseline().mean_days_earlier(), r->oracle().mean_days_earlier(),
      r->random_mean_days_earlier(), r->random_sd_days_earlier(), r->random_p025_days_earlier(),
      r->random_p975_days_earlier());
  EXPECT_GT(r->inspections(), 200);
  EXPECT_GT(r->violations(), 20);
  EXPECT_GT(r->model().auc(), 0.65);
  ASSERT_EQ(r->model().budgets_size(), 3);
  EXPECT_DOUBLE_EQ(r->model().budgets(2).budget(), 0.20);
  EXPECT_GT(r->model().budgets(0).lift(), 1.5);
  // Inspecting in score order reaches violations earlier than all but the luckiest 2.5%
  // of random orders. (Random orders need not centre on 0: they gain what the
  // violations' real days lose against the period's average day.)
  EXPECT_GT(r->model().mean_days_earlier(), r->random_p975_days_earlier());
  EXPECT_LE(r->random_p025_days_earlier(), r->random_mean_days_earlier());
  EXPECT_LE(r->random_mean_days_earlier(), r->random_p975_days_earlier());
  EXPECT_EQ(r->shuffles(), 200);
  ASSERT_TRUE(r->has_baseline()) << r->baseline_note();
  ASSERT_TRUE(r->has_oracle());
  EXPECT_GT(r->oracle().auc(), r->model().auc() - 0.05);
  EXPECT_FALSE(r->has_design());  // imported history: no inclusion probabilities
  // Reproducible.
  EXPECT_EQ(r->SerializeAsString(),
            backtester_->Backtest(Request(absl::CivilDay(2025, 10, 1), absl::CivilDay(2026, 5, 31)))
                ->SerializeAsString());
}

TEST_F(BacktestTest, APeriodTheModelLearnedFromIsRefused) {
  absl::Status s =
      backtester_->Backtest(Request(absl::CivilDay(2025, 9, 1), absl::CivilDay(2026, 5, 31)))
          .status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("from: model")));
  EXPECT_THAT(s.message(), HasSubstr("learned from inspections up to 2025-09-30"));
}

TEST_F(BacktestTest, BadRequestsNameTheField) {
  v1::BacktestRequest r = Request(absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 2, 1));
  r.clear_from();
  EXPECT_THAT(backtester_->Backtest(r).status().message(), HasSubstr("from: is required"));
  r = Request(absl::CivilDay(2026, 3, 1), absl::CivilDay(2026, 2, 1));
  EXPECT_THAT(backtester_->Backtest(r).status().message(), HasSubstr("to: is before from"));
  r = Request(absl::CivilDay(2026, 3, 1), absl::CivilDay(2026, 8, 1));
  EXPECT_THAT(backtester_->Backtest(r).status().message(), HasSubstr("to: is in the future"));
  r = Request(absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 2, 1));
  r.set_shuffles(5);
  EXPECT_THAT(backtester_->Backtest(r).status().message(), HasSubstr("shuffles"));
  r.set_shuffles(0);
  r.set_model_version("m-19990101-001");
  EXPECT_THAT(backtester_->Backtest(r), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(BacktestTest, ScoreAsOfIsTheModelOnThePastPortrait) {
  const std::string code = population_->enterprises[0].credit_code();
  v1::ScoreAsOfRequest request;
  request.set_credit_code(code);
  request.set_model_version(model_->version());
  *request.mutable_as_of() = services::ToProtoTimestamp(clock_->Now());
  absl::StatusOr<v1::RiskScore> now = backtester_->ScoreAsOf(Operator(), request);
  ASSERT_OK(now);
  EXPECT_EQ(now->model_version(), model_->version());
  EXPECT_GT(now->probability(), 0);
  EXPECT_LT(now->probability(), 1);
  EXPECT_NE(now->risk_class(), v1::RISK_CLASS_UNSPECIFIED);

  // Some enterprise's score moved over the last three years: the past portrait differs.
  int moved = 0;
  for (int i = 0; i < 50; ++i) {
    request.set_credit_code(population_->enterprises[i].credit_code());
    *request.mutable_as_of() = services::ToProtoTimestamp(clock_->Now());
    const double current = backtester_->ScoreAsOf(Operator(), request)->probability();
    *request.mutable_as_of() =
        services::ToProtoTimestamp(absl::FromCivil(absl::CivilDay(2023, 6, 1), ChinaTimeZone()));
    absl::StatusOr<v1::RiskScore> past = backtester_->ScoreAsOf(Operator(), request);
    ASSERT_OK(past);
    EXPECT_EQ(past->score_time().seconds(), request.as_of().seconds());
    moved += past->probability() != current;
  }
  EXPECT_GT(moved, 10);

  *request.mutable_as_of() = services::ToProtoTimestamp(clock_->Now() + absl::Hours(1));
  absl::Status future = backtester_->ScoreAsOf(Operator(), request).status();
  EXPECT_THAT(future, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of")));
  request.clear_as_of();
  EXPECT_THAT(backtester_->ScoreAsOf(Operator(), request).status().message(),
              HasSubstr("as_of: is required"));
  *request.mutable_as_of() = services::ToProtoTimestamp(clock_->Now());
  request.set_model_version("m-19990101-001");
  EXPECT_THAT(backtester_->ScoreAsOf(Operator(), request), StatusIs(absl::StatusCode::kNotFound));
}

// The leak test: the future is added (events after the period, and events on each
// inspection's own day) and not one figure of the backtest changes: neither the
// model's scores, nor the baseline trained for it, nor the labels.
TEST_F(BacktestTest, NothingAfterThePeriodOrAnInspectionsDayChangesTheBacktest) {
  const v1::BacktestRequest request =
      Request(absl::CivilDay(2025, 10, 1), absl::CivilDay(2026, 3, 31));
  absl::StatusOr<v1::BacktestReport> before = backtester_->Backtest(request);
  ASSERT_OK(before);

  // Serious penalties and abnormal-operation listings in the future of the period for
  // every tenth enterprise, and on the very day of an enterprise's last inspection in the
  // period (after 00:00, so not known the day before).
  std::vector<v1::Event> future;
  auto penalty = [&](const std::string& code, absl::Time when, const std::string& id) {
    v1::Event e;
    e.set_event_id(id);
    e.set_source_department("samr");
    e.set_credit_code(code);
    *e.mutable_occur_time() = services::ToProtoTimestamp(when);
    e.mutable_administrative_penalty()->set_amount_yuan(200000);
    e.mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_SERIOUS);
    e.mutable_administrative_penalty()->set_legal_basis("《食品安全法》第一百二十四条");
    future.push_back(std::move(e));
  };
  for (size_t i = 0; i < population_->enterprises.size(); i += 10) {
    const v1::Date& established = population_->enterprises[i].establishment_date();
    if (absl::CivilDay(established.year(), established.month(), established.day()) >
        absl::CivilDay(2026, 4, 15)) {
      continue;  // not yet there
    }
    penalty(population_->enterprises[i].credit_code(),
            absl::FromCivil(absl::CivilDay(2026, 4, 15), ChinaTimeZone()),
            absl::StrCat("future-", i));
  }
  v1::ListEventsRequest list;
  int same_day = 0;
  for (size_t i = 0; i < population_->enterprises.size() && same_day < 100; ++i) {
    list.set_credit_code(population_->enterprises[i].credit_code());
    list.set_page_size(1000);
    absl::StatusOr<v1::ListEventsResponse> events = reader_->ListEvents(Operator(), list);
    ASSERT_OK(events);
    // The enterprise's last inspection in the period: an event later that day is known
    // to no inspection of the period (an earlier one would rightly be known to later
    // inspections of the same enterprise).
    std::optional<absl::CivilDay> last;
    for (const v1::Event& e : events->events()) {
      if (!e.has_inspection_outcome()) continue;
      const absl::CivilDay day =
          absl::ToCivilDay(*services::FromProtoTimestamp(e.occur_time()), ChinaTimeZone());
      if (day < absl::CivilDay(2025, 10, 1) || day > absl::CivilDay(2026, 3, 31)) continue;
      last = day;
    }
    if (last.has_value()) {
      penalty(population_->enterprises[i].credit_code(),
              absl::FromCivil(*last, ChinaTimeZone()) + absl::Hours(23),
              absl::StrCat("same-day-", same_day++));
    }
  }
  ASSERT_GT(same_day, 5);
  std::vector<const v1::Event*> batch;
  services::EventIngestor ingestor(store_, clock_);
  for (const v1::Event& e : future) {
    batch.push_back(&e);
    if (batch.size() == 1000 || &e == &future.back()) {
      absl::StatusOr<services::IngestOutcome> outcome = ingestor.Ingest(Operator(), batch, false);
      ASSERT_OK(outcome);
      for (const services::IngestOutcome::Item& item : outcome->items) {
        EXPECT_OK(item.status);
      }
      batch.clear();
    }
  }

  absl::StatusOr<v1::BacktestReport> after = backtester_->Backtest(request);
  ASSERT_OK(after);
  EXPECT_EQ(after->SerializeAsString(), before->SerializeAsString());
}

}  // namespace
}  // namespace regulation
