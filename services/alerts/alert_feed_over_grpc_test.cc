// Alerts live where portrait is served (issue 13): a RiskScorer apart (scoringd: its own
// store, portraits over gRPC) whose change observer is a ScoreChangeOutbox raises its
// class-change alerts in the portrait side's AlertBook through AlertFeedService, once
// however often a report is retried or a ScoreAll re-run; with the alerts' home down, a
// ScoreAll still completes and its alerts arrive when the home is back, even across a
// restart of the scoring side.

#include <grpcpp/grpcpp.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/access/access_interceptor.h"
#include "services/access/identity.h"
#include "services/alerts/alert_book.h"
#include "services/alerts/alert_monitor.h"
#include "services/portrait/enterprise_directory.h"
#include "services/portrait/portrait_reader.h"
#include "services/scoring/risk_scorer.h"
#include "services/scoring/testing/event_history.h"
#include "services/scoring/testing/learnable_history.h"
#include "services/seams/alert_feed_client.h"
#include "services/seams/alert_feed_service.h"
#include "services/seams/local_portrait_feed.h"
#include "services/seams/peer_channel.h"
#include "services/seams/portrait_feed_client.h"
#include "services/seams/portrait_feed_service.h"
#include "services/seams/score_change_outbox.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::services::testing::Admin;
using ::regulation::services::testing::EventHistory;
using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

constexpr int kEnterprises = 10;

class AlertFeedTest : public ::regulation::services::testing::LearnableHistoryTest {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(v1::Model model, TrainLearnableModel(kEnterprises, 2));
    ASSERT_OK(registry_->Activate(model.version()).status());
    portrait_server_ = StartServer(&portrait_feed_service_, 0, &portrait_port_);
    ASSERT_NE(portrait_server_, nullptr);
    alert_server_ = StartServer(&alert_service_, 0, &alert_port_);
    ASSERT_NE(alert_server_, nullptr);

    ASSERT_OK_AND_ASSIGN(std::shared_ptr<grpc::Channel> portraits,
                         Channel(portrait_port_, PortraitFeedServiceConfig()));
    remote_portraits_ = std::make_unique<GrpcPortraitFeed>(portraits);
    ASSERT_OK_AND_ASSIGN(std::shared_ptr<grpc::Channel> alerts,
                         Channel(alert_port_, AlertFeedServiceConfig()));
    feed_ = std::make_unique<GrpcAlertFeed>(alerts, absl::Seconds(3));
    scorer_ = std::make_unique<RiskScorer>(scoring_store_.get(), remote_portraits_.get(),
                                           registry_.get(), &clock_);
    StartOutbox();
  }

  void TearDown() override {
    outbox_.reset();
    if (alert_server_ != nullptr) alert_server_->Shutdown();
    if (portrait_server_ != nullptr) portrait_server_->Shutdown();
  }

  // The portrait side's services are served by two servers here, so that the alerts'
  // home can be taken down while the portraits stay readable.
  std::unique_ptr<grpc::Server> StartServer(grpc::Service* service, int port, int* bound) {
    access::AccessOptions access;
    access.resolver = &operator_;
    access.clock = &clock_;
    grpc::ServerBuilder builder;
    builder.AddListeningPort(absl::StrCat("127.0.0.1:", port), grpc::InsecureServerCredentials(),
                             bound);
    builder.RegisterService(service);
    builder.experimental().SetInterceptorCreators(access::MakeAccessInterceptors(access));
    return builder.BuildAndStart();
  }

  static absl::StatusOr<std::shared_ptr<grpc::Channel>> Channel(int port,
                                                                const std::string& config) {
    PeerChannelOptions options;
    options.address = absl::StrCat("127.0.0.1:", port);
    options.service_config_json = config;
    return MakePeerChannel(options);
  }

  void StartOutbox() {
    ScoreChangeOutboxOptions fast;
    fast.first_retry = absl::Milliseconds(50);
    fast.max_retry = absl::Milliseconds(400);
    outbox_ = std::make_unique<ScoreChangeOutbox>(scoring_store_.get(), feed_.get(), fast);
    scorer_->set_change_observer(outbox_.get());
  }

  absl::Status ScoreAll() {
    return scorer_->ScoreAll(v1::ScoreAllRequest(),
                             [](const v1::ScoreAllProgress&) { return true; });
  }

  absl::Status SetCutPoints(double b, double c, double d) {
    v1::RiskClassPolicy policy;
    policy.mutable_cut_points()->set_b(b);
    policy.mutable_cut_points()->set_c(c);
    policy.mutable_cut_points()->set_d(d);
    return registry_->UpdatePolicy(policy).status();
  }

  // Scores everyone into A, then moves the cut points so that the risky half rises to D.
  void ScoreIntoAThenCutTheRiskyHalfIntoD() {
    ASSERT_OK(SetCutPoints(0.97, 0.98, 0.99));
    ASSERT_OK(ScoreAll());
    ASSERT_OK_AND_ASSIGN(v1::RiskScore clean, scorer_->GetScore(Admin(), EventHistory::Code(0)));
    ASSERT_OK_AND_ASSIGN(v1::RiskScore risky, scorer_->GetScore(Admin(), EventHistory::Code(1)));
    ASSERT_LT(clean.probability(), risky.probability());
    const double mid = (clean.probability() + risky.probability()) / 2;
    ASSERT_OK(SetCutPoints(mid, std::nextafter(mid, 1.0),
                           std::nextafter(std::nextafter(mid, 1.0), 1.0)));
    clock_.Advance(absl::Hours(1));
  }

  std::vector<v1::Alert> Listed() {
    absl::StatusOr<v1::ListAlertsResponse> listed = book_.List(Admin(), {});
    EXPECT_OK(listed);
    return listed.ok() ? std::vector<v1::Alert>(listed->alerts().begin(), listed->alerts().end())
                       : std::vector<v1::Alert>();
  }

  // The alerts in portrait's book once `count` are there or 30 s have passed.
  std::vector<v1::Alert> ListedWhenThere(size_t count) {
    const absl::Time give_up = absl::Now() + absl::Seconds(30);
    std::vector<v1::Alert> alerts = Listed();
    while (alerts.size() < count && absl::Now() < give_up) {
      absl::SleepFor(absl::Milliseconds(20));
      alerts = Listed();
    }
    return alerts;
  }

  int64_t PendingWhenDrained() {
    const absl::Time give_up = absl::Now() + absl::Seconds(10);
    absl::StatusOr<int64_t> pending = outbox_->Pending();
    while (pending.ok() && *pending > 0 && absl::Now() < give_up) {
      absl::SleepFor(absl::Milliseconds(20));
      pending = outbox_->Pending();
    }
    EXPECT_OK(pending);
    return pending.value_or(-1);
  }

  // The portrait side: the history's store, its portraits, its alerts.
  EnterpriseDirectory directory_{history_.store(), &clock_};
  PortraitReader reader_{history_.store(), &directory_, &clock_, history_.portraits()};
  LocalPortraitFeed local_feed_{history_.store(), &directory_, &reader_};
  PortraitFeedServiceImpl portrait_feed_service_{&local_feed_};
  AlertBook book_{history_.store(), &clock_};
  AlertMonitor monitor_{history_.store(), &book_};
  AlertFeedServiceImpl alert_service_{&monitor_};
  access::LocalOperatorResolver operator_;
  std::unique_ptr<grpc::Server> portrait_server_;
  std::unique_ptr<grpc::Server> alert_server_;
  int portrait_port_ = 0;
  int alert_port_ = 0;

  // The scoring side apart: a store of its own.
  std::unique_ptr<storage::KvStore> scoring_store_ = storage::NewMemoryStore();
  std::unique_ptr<GrpcPortraitFeed> remote_portraits_;
  std::unique_ptr<GrpcAlertFeed> feed_;
  std::unique_ptr<RiskScorer> scorer_;
  std::unique_ptr<ScoreChangeOutbox> outbox_;
};

TEST_F(AlertFeedTest, AClassRiseApartIsAlertedInPortraitsBookOnceAcrossReRuns) {
  ScoreIntoAThenCutTheRiskyHalfIntoD();
  ASSERT_OK(ScoreAll());
  std::vector<v1::Alert> alerts = ListedWhenThere(kEnterprises / 2);
  ASSERT_EQ(alerts.size(), kEnterprises / 2u);
  for (const v1::Alert& a : alerts) {
    EXPECT_EQ(a.rule(), v1::ALERT_RULE_CLASS_RAISED);
    // The region comes from portrait's directory, where the alerts live.
    EXPECT_EQ(a.region_code(), "330106");
    EXPECT_THAT(a.summary(), HasSubstr("class A -> D"));
  }
  EXPECT_EQ(PendingWhenDrained(), 0);
  // Re-runs compare with the scores just stored: nothing new is queued or raised.
  clock_.Advance(absl::Hours(1));
  ASSERT_OK(ScoreAll());
  ASSERT_OK(ScoreAll());
  EXPECT_EQ(PendingWhenDrained(), 0);
  EXPECT_EQ(Listed().size(), kEnterprises / 2u);
}

TEST_F(AlertFeedTest, ARetriedReportRaisesNothingTwice) {
  ScoreChange change;
  change.previous.set_credit_code(EventHistory::Code(1));
  change.previous.set_probability(0.1);
  change.previous.set_risk_class(v1::RISK_CLASS_A);
  change.previous.mutable_score_time()->set_seconds(1700000000);
  change.current = change.previous;
  change.current.set_probability(0.9);
  change.current.set_risk_class(v1::RISK_CLASS_D);
  change.current.mutable_score_time()->set_seconds(1700003600);
  // CLASS_RAISED and SCORE_JUMP (0.8 > 0.2) under the default rules.
  ASSERT_OK_AND_ASSIGN(int64_t first, feed_->ReportScoreChanges({change}));
  EXPECT_EQ(first, 2);
  ASSERT_OK_AND_ASSIGN(int64_t again, feed_->ReportScoreChanges({change, change}));
  EXPECT_EQ(again, 0);
  EXPECT_EQ(Listed().size(), 2u);
}

TEST_F(AlertFeedTest, AMalformedReportIsRefusedNamingTheField) {
  ScoreChange change;
  change.previous.set_credit_code("not-a-code");
  change.previous.set_risk_class(v1::RISK_CLASS_A);
  change.previous.mutable_score_time()->set_seconds(1700000000);
  change.current = change.previous;
  change.current.set_risk_class(v1::RISK_CLASS_D);
  EXPECT_THAT(feed_->ReportScoreChanges({change}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("changes[0].current.credit_code")));
  change.previous.set_credit_code(EventHistory::Code(1));
  change.current.set_credit_code(EventHistory::Code(1));
  change.current.set_probability(1.5);
  EXPECT_THAT(feed_->ReportScoreChanges({change}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("changes[0].current.probability")));
  EXPECT_TRUE(Listed().empty());
}

TEST_F(AlertFeedTest, WithTheAlertsHomeDownScoreAllCompletesAndItsAlertsArriveLater) {
  ScoreIntoAThenCutTheRiskyHalfIntoD();
  alert_server_->Shutdown();
  alert_server_.reset();
  // The ScoreAll neither waits for nor fails on the alerts' home.
  ASSERT_OK(ScoreAll());
  ASSERT_OK_AND_ASSIGN(int64_t pending, outbox_->Pending());
  EXPECT_EQ(pending, kEnterprises / 2);
  EXPECT_TRUE(Listed().empty());
  // scoringd stops with the changes queued, and starts again: they are in its store.
  outbox_.reset();
  StartOutbox();
  absl::SleepFor(absl::Milliseconds(200));
  ASSERT_OK_AND_ASSIGN(pending, outbox_->Pending());
  EXPECT_EQ(pending, kEnterprises / 2);

  int bound = 0;
  alert_server_ = StartServer(&alert_service_, alert_port_, &bound);
  ASSERT_NE(alert_server_, nullptr);
  ASSERT_EQ(bound, alert_port_);
  EXPECT_EQ(ListedWhenThere(kEnterprises / 2).size(), kEnterprises / 2u);
  EXPECT_EQ(PendingWhenDrained(), 0);
  // Delivering again (what a lost answer leads to) raises nothing more.
  ASSERT_OK_AND_ASSIGN(int64_t raised, outbox_->DeliverPending());
  EXPECT_EQ(raised, 0);
  EXPECT_EQ(Listed().size(), kEnterprises / 2u);
}

}  // namespace
}  // namespace regulation::services
