#include "services/alerts/alert_monitor.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/disclosure.pb.h"
#include "services/alerts/alert_rules.h"
#include "services/common/proto_time.h"
#include "services/portrait/enterprise_directory.h"
#include "services/portrait/event_ingestor.h"
#include "services/portrait/portrait_reader.h"
#include "services/scoring/risk_scorer.h"
#include "services/scoring/testing/event_history.h"
#include "services/scoring/testing/learnable_history.h"
#include "storage/memory_store.h"
#include "testing/fault_injection_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"
#include "tests/testing/enterprises.h"

namespace regulation::services {
namespace {

using ::regulation::testing::MakeCreditCode;
using ::regulation::testing::MakeEnterprise;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

access::Caller Operator() {
  access::Caller caller;
  caller.roles = access::RoleSet::All();
  caller.subject = "operator";
  return caller;
}

access::Caller Agency(const std::string& region) {
  access::Caller caller;
  caller.roles = access::RoleSet{access::Role::kAgency};
  caller.subject = "agency-" + region;
  caller.department = "samr";
  caller.region_prefix = region;
  return caller;
}

// The real ingestion path with the monitor as its observer.
class AlertMonitorEventsTest : public ::testing::Test {
 protected:
  AlertMonitorEventsTest() {
    ingestor_.set_durable_observer(&monitor_);
    monitor_.set_current_states(ingestor_.portraits());  // as the server sets it
    v1::BatchUpsertEnterprisesRequest batch;
    *batch.add_enterprises() = MakeEnterprise("330106", 0);  // Hangzhou
    *batch.add_enterprises() = MakeEnterprise("330203", 1);  // Ningbo
    EXPECT_OK(directory_.BatchUpsert(Operator(), batch).status());
  }

  v1::Event Base(const std::string& id, const std::string& region, int serial, int days_ago) {
    v1::Event e;
    e.set_event_id(id);
    e.set_source_department("samr");
    e.set_credit_code(MakeCreditCode(region, serial));
    *e.mutable_occur_time() = ToProtoTimestamp(clock_.Now() - absl::Hours(24) * days_ago);
    return e;
  }
  v1::Event Penalty(const std::string& id, const std::string& region = "330106", int serial = 0) {
    v1::Event e = Base(id, region, serial, 5);
    e.mutable_administrative_penalty()->set_amount_yuan(20000);
    e.mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_SERIOUS);
    e.mutable_administrative_penalty()->set_legal_basis("《食品安全法》第一百二十二条");
    return e;
  }
  v1::Event Complaint(const std::string& id, int days_ago) {
    v1::Event e = Base(id, "330106", 0, days_ago);
    e.mutable_complaint()->set_channel("12315");
    return e;
  }

  void Ingest(const std::vector<v1::Event>& events) {
    std::vector<const v1::Event*> ptrs;
    for (const v1::Event& e : events) ptrs.push_back(&e);
    absl::StatusOr<IngestOutcome> outcome = ingestor_.Ingest(Operator(), ptrs, false);
    ASSERT_OK(outcome);
    for (const IngestOutcome::Item& item : outcome->items) ASSERT_OK(item.status);
  }

  std::vector<std::string> Listed(const access::Caller& caller) {
    absl::StatusOr<v1::ListAlertsResponse> listed = book_.List(caller, {});
    EXPECT_OK(listed);
    std::vector<std::string> out;
    if (!listed.ok()) return out;
    for (const v1::Alert& a : listed->alerts()) {
      out.push_back(absl::StrCat(AlertRuleName(a.rule()), " ", a.cause(), " ", a.region_code()));
    }
    return out;
  }

  std::unique_ptr<storage::KvStore> store_ = storage::NewMemoryStore();
  FakeClock clock_{absl::FromUnixSeconds(1790000000)};
  EnterpriseDirectory directory_{store_.get(), &clock_};
  EventIngestor ingestor_{store_.get(), &clock_};
  AlertBook book_{store_.get(), &clock_};
  AlertMonitor monitor_{store_.get(), &book_};
};

TEST_F(AlertMonitorEventsTest, APenaltyRaisesOneAlertHoweverOftenItIsIngested) {
  Ingest({Penalty("pen-1")});
  Ingest({Penalty("pen-1")});  // a retry: a duplicate
  Ingest({Penalty("pen-1"), Penalty("pen-1")});
  EXPECT_THAT(Listed(Operator()), ElementsAre("PENALTY event:pen-1 330106"));
  // A replay through the observer itself (as after a crash) raises nothing new either.
  ASSERT_OK_AND_ASSIGN(int again, monitor_.RaiseForEvents({Penalty("pen-1")}));
  EXPECT_EQ(again, 0);
}

TEST_F(AlertMonitorEventsTest, AlertsKeepToTheEnterprisesJurisdiction) {
  Ingest({Penalty("hz", "330106", 0), Penalty("nb", "330203", 1)});
  EXPECT_THAT(Listed(Agency("3301")), ElementsAre("PENALTY event:hz 330106"));
  EXPECT_THAT(Listed(Agency("3302")), ElementsAre("PENALTY event:nb 330203"));
  EXPECT_THAT(Listed(Agency("33")), UnorderedElementsAre("PENALTY event:hz 330106",
                                                         "PENALTY event:nb 330203"));
}

TEST_F(AlertMonitorEventsTest, BelowTheThresholdNothingIsRaised) {
  v1::Event minor = Penalty("minor");
  minor.mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_MINOR);
  v1::Event removed = Base("removed", "330106", 0, 3);
  removed.mutable_abnormal_operation()->set_action(v1::LIST_ACTION_REMOVED);
  v1::Event added = Base("added", "330106", 0, 4);
  added.mutable_abnormal_operation()->set_action(v1::LIST_ACTION_ADDED);
  added.mutable_abnormal_operation()->set_reason("address unreachable");
  Ingest({added, removed, minor, Complaint("c1", 30), Complaint("c2", 20)});
  EXPECT_THAT(Listed(Operator()), ElementsAre("LIST_ENTRY event:added 330106"));
}

TEST_F(AlertMonitorEventsTest, ComplaintsRaiseOneAlertWhenTheyCrossTheThreshold) {
  Ingest({Complaint("c1", 40), Complaint("c2", 30)});
  EXPECT_TRUE(Listed(Operator()).empty());
  Ingest({Complaint("c3", 20)});
  EXPECT_THAT(Listed(Operator()), ElementsAre("COMPLAINTS event:c3 330106"));
  // A fourth within the window is still the same run of complaints.
  Ingest({Complaint("c4", 10)});
  Ingest({Complaint("c3", 20)});  // and a replay of the third
  EXPECT_THAT(Listed(Operator()), ElementsAre("COMPLAINTS event:c3 330106"));
}

// The monitor reads only the complaints within two windows before each one
// (complaint_history.h); these cases depend on complaints further back.
TEST_F(AlertMonitorEventsTest, TheWindowBeforeTheLastComplaintCountsTooWhenCrossing) {
  // Window 90 days, threshold 3: at day 95 the window (185, 95] holds 170, 100, 95 and
  // crosses; at day 20 the window (110, 20] holds 100, 95, 20, but the count at 95 was
  // already 3 (its window reaches back to 170), so it is the same run: one alert.
  Ingest({Complaint("c170", 170), Complaint("c100", 100), Complaint("c95", 95),
          Complaint("c20", 20)});
  EXPECT_THAT(Listed(Operator()), ElementsAre("COMPLAINTS event:c95 330106"));
}

TEST_F(AlertMonitorEventsTest, ARuleCountingOneAlertsOnlyForTheFirstComplaintEver) {
  v1::UpdateAlertRulesRequest update;
  ASSERT_OK_AND_ASSIGN(*update.mutable_rules(), book_.Rules());
  update.mutable_rules()->mutable_complaints()->set_count(1);
  update.mutable_rules()->mutable_complaints()->set_window_days(30);
  ASSERT_OK(book_.UpdateRules(Operator(), update).status());
  Ingest({Complaint("first", 400)});
  // Far more than two windows later: the earlier complaint is outside the range read,
  // yet it still means this is not the first.
  Ingest({Complaint("later", 10)});
  EXPECT_THAT(Listed(Operator()), ElementsAre("COMPLAINTS event:first 330106"));
}

TEST_F(AlertMonitorEventsTest, AnAdminsRulesApplyToLaterEvents) {
  v1::UpdateAlertRulesRequest update;
  ASSERT_OK_AND_ASSIGN(*update.mutable_rules(), book_.Rules());
  update.mutable_rules()->mutable_penalty()->set_disabled(true);
  update.mutable_rules()->mutable_complaints()->set_count(1);
  ASSERT_OK(book_.UpdateRules(Operator(), update).status());
  Ingest({Penalty("pen-off"), Complaint("c1", 3)});
  EXPECT_THAT(Listed(Operator()), ElementsAre("COMPLAINTS event:c1 330106"));
}

TEST_F(AlertMonitorEventsTest, DeferredCommitsRaiseOnlyOnceDurable) {
  const v1::Event penalty = Penalty("deferred");
  const v1::Event* ptr = &penalty;
  PreparedBatch batch = ingestor_.Prepare(absl::MakeConstSpan(&ptr, 1), false);
  PreparedBatch* batches[] = {&batch};
  ASSERT_OK(ingestor_.Commit(Operator(), batches, EventIngestor::Durability::kDeferred));
  ASSERT_EQ(batch.outcome.applied, 1);
  EXPECT_TRUE(Listed(Operator()).empty());
  ASSERT_OK(ingestor_.SyncWal());
  EXPECT_THAT(Listed(Operator()), ElementsAre("PENALTY event:deferred 330106"));
}

// The monitor is handed only events some rule looks at (Concerns); commits of other
// events must still count as observed, or their log records would never be trimmed and
// would be replayed at every start.
TEST_F(AlertMonitorEventsTest, CommitsOfEventsNoRuleLooksAtCountAsObserved) {
  v1::Event sampling = Base("sampling", "330106", 0, 2);
  sampling.mutable_quality_sampling()->set_passed(true);
  sampling.mutable_quality_sampling()->set_product("food");
  EXPECT_FALSE(monitor_.Concerns(sampling));
  EXPECT_TRUE(monitor_.Concerns(Penalty("p")));
  Ingest({sampling});  // synced
  EXPECT_EQ(ingestor_.portraits()->stats().observed_sequence, 1);
  v1::Event deferred = Base("sampling-2", "330106", 0, 1);
  deferred.mutable_quality_sampling()->set_passed(false);
  deferred.mutable_quality_sampling()->set_product("food");
  const v1::Event* ptr = &deferred;
  PreparedBatch batch = ingestor_.Prepare(absl::MakeConstSpan(&ptr, 1), false);
  PreparedBatch* batches[] = {&batch};
  ASSERT_OK(ingestor_.Commit(Operator(), batches, EventIngestor::Durability::kDeferred));
  ASSERT_EQ(batch.outcome.applied, 1);
  ASSERT_OK(ingestor_.SyncWal());
  EXPECT_EQ(ingestor_.portraits()->stats().observed_sequence, 2);
  ASSERT_OK_AND_ASSIGN(std::vector<LivePortraits::LogRecord> unobserved,
                       ingestor_.portraits()->UnobservedRecords());
  EXPECT_TRUE(unobserved.empty());
  EXPECT_TRUE(Listed(Operator()).empty());
}

TEST_F(AlertMonitorEventsTest, AnApprovedResultInASeriousCategoryRaisesAnAlert) {
  v1::Event outcome = Base("result:R1", "330106", 0, 1);
  outcome.mutable_inspection_outcome()->set_problem_found(true);
  outcome.mutable_inspection_outcome()->set_result_category(v1::PUBLISHED_INFORMATION_FALSE);
  outcome.mutable_inspection_outcome()->set_plan_id("P1");
  storage::WriteBatch batch;
  ASSERT_OK(ingestor_.CommitDerived(outcome, &batch).status());
  storage::WriteBatch again;
  ASSERT_OK(ingestor_.CommitDerived(outcome, &again).status());
  EXPECT_THAT(Listed(Operator()),
              ElementsAre("SERIOUS_INSPECTION event:result:R1 330106"));
}

// A server's ingestion and alerts over one store that faults can be injected into: the
// alerts of events are the second of two writes, and a crash between the two must not
// lose them (issue 16).
class AlertMonitorRecoveryTest : public ::testing::Test {
 protected:
  // One process's life: what a server builds over the store, its observer set.
  struct Server {
    Server(storage::KvStore* store, Clock* clock)
        : ingestor(store, clock, ByHand()), book(store, clock), monitor(store, &book) {
      ingestor.set_durable_observer(&monitor);
    }
    static EventIngestor::Options ByHand() {
      EventIngestor::Options options;
      options.portraits.checkpoint_interval = absl::ZeroDuration();  // no background writer
      return options;
    }
    EventIngestor ingestor;
    AlertBook book;
    AlertMonitor monitor;
  };

  AlertMonitorRecoveryTest() {
    v1::BatchUpsertEnterprisesRequest batch;
    *batch.add_enterprises() = MakeEnterprise("330106", 0);
    EXPECT_OK(directory_.BatchUpsert(Operator(), batch).status());
  }

  v1::Event Penalty(const std::string& id) {
    v1::Event e;
    e.set_event_id(id);
    e.set_source_department("samr");
    e.set_credit_code(MakeCreditCode("330106", 0));
    *e.mutable_occur_time() = ToProtoTimestamp(clock_.Now() - absl::Hours(24 * 5));
    e.mutable_administrative_penalty()->set_amount_yuan(20000);
    e.mutable_administrative_penalty()->set_severity(v1::PENALTY_SEVERITY_SERIOUS);
    e.mutable_administrative_penalty()->set_legal_basis("《食品安全法》第一百二十二条");
    return e;
  }

  static int Applied(Server& server, const v1::Event& event) {
    const v1::Event* ptr = &event;
    absl::StatusOr<IngestOutcome> outcome =
        server.ingestor.Ingest(Operator(), absl::MakeConstSpan(&ptr, 1), false);
    EXPECT_OK(outcome);
    return outcome.ok() ? outcome->applied : -1;
  }

  static std::vector<std::string> Causes(Server& server) {
    absl::StatusOr<v1::ListAlertsResponse> listed = server.book.List(Operator(), {});
    EXPECT_OK(listed);
    std::vector<std::string> out;
    if (listed.ok()) {
      for (const v1::Alert& a : listed->alerts()) out.push_back(a.cause());
    }
    return out;
  }

  std::unique_ptr<storage::KvStore> base_ = storage::NewMemoryStore();
  ::regulation::testing::FaultInjectionStore store_{base_.get()};
  FakeClock clock_{absl::FromUnixSeconds(1790000000)};
  EnterpriseDirectory directory_{&store_, &clock_};
};

TEST_F(AlertMonitorRecoveryTest, AnAlertLostToACrashAfterItsEventsWriteIsRaisedAtRestart) {
  {
    Server server(&store_, &clock_);
    ASSERT_OK(server.ingestor.Start());
    // The events' write succeeds; the process dies before the alert's: that write and
    // every later one (the final write-back on shutdown included) never happen.
    store_.FailWritesFrom(2);
    EXPECT_EQ(Applied(server, Penalty("pen-crash")), 1);  // acknowledged: durable
    EXPECT_THAT(Causes(server), ElementsAre());
  }
  store_.ClearFaults();

  Server restarted(&store_, &clock_);
  ASSERT_OK(restarted.ingestor.Start());
  EXPECT_EQ(restarted.ingestor.replayed_events(), 1);
  EXPECT_THAT(Causes(restarted), ElementsAre("event:pen-crash"));
  // The event itself is stored once: a retry of it is a duplicate.
  EXPECT_EQ(Applied(restarted, Penalty("pen-crash")), 0);
  EXPECT_THAT(Causes(restarted), ElementsAre("event:pen-crash"));
}

// An event's alert is written without an fsync of its own (it held up every stream's
// acknowledgements): a power loss may take it, but then also the record that it was
// raised, so the restart raises it again; once a later write is synced, it is durable.
TEST_F(AlertMonitorRecoveryTest, AnAlertLostToAPowerLossIsRaisedAgainAtRestart) {
  {
    Server server(&store_, &clock_);
    ASSERT_OK(server.ingestor.Start());
    EXPECT_EQ(Applied(server, Penalty("pen-kept")), 1);
    EXPECT_EQ(Applied(server, Penalty("pen-lost")), 1);  // its synced commit keeps pen-kept's
    EXPECT_THAT(Causes(server), UnorderedElementsAre("event:pen-kept", "event:pen-lost"));
    store_.FailWritesFrom(1);  // the power goes: no write-back, and
    EXPECT_GT(store_.DropUnsyncedWrites(), 0);  // pen-lost's alert was not synced
    store_.ClearFaults();
    EXPECT_THAT(Causes(server), ElementsAre("event:pen-kept"));
    store_.FailWritesFrom(1);
  }
  store_.ClearFaults();
  Server restarted(&store_, &clock_);
  ASSERT_OK(restarted.ingestor.Start());
  EXPECT_EQ(restarted.ingestor.replayed_events(), 1);
  EXPECT_THAT(Causes(restarted), UnorderedElementsAre("event:pen-kept", "event:pen-lost"));
}

TEST_F(AlertMonitorRecoveryTest, AFailedAlertWriteIsRetriedAtRestartAndRaisedOnce) {
  {
    Server server(&store_, &clock_);
    ASSERT_OK(server.ingestor.Start());
    store_.FailNthWrite(2);  // only the alert's write fails; the server goes on
    EXPECT_EQ(Applied(server, Penalty("pen-failed")), 1);
    EXPECT_EQ(Applied(server, Penalty("pen-later")), 1);
    EXPECT_THAT(Causes(server), ElementsAre("event:pen-later"));
    ASSERT_OK(server.ingestor.portraits()->Checkpoint());
    // The first event's log record stays (its alerts are not done); the second's goes.
    EXPECT_EQ(server.ingestor.portraits()->stats().observed_sequence, 0);
  }
  Server restarted(&store_, &clock_);
  ASSERT_OK(restarted.ingestor.Start());
  // Handed over again: both records after the observed sequence (the second is raised
  // already and is not raised twice).
  EXPECT_EQ(restarted.ingestor.replayed_events(), 2);
  EXPECT_THAT(Causes(restarted), UnorderedElementsAre("event:pen-failed", "event:pen-later"));
}

// Each commit's batch records the observed sequence as of its write, so a crash long
// after the last checkpoint hands the monitor again only what the last commits may have
// left undone, not every event since that checkpoint.
TEST_F(AlertMonitorRecoveryTest, AfterACrashOnlyTheLastCommitIsHandedOverAgain) {
  {
    Server server(&store_, &clock_);
    ASSERT_OK(server.ingestor.Start());
    EXPECT_EQ(Applied(server, Penalty("pen-1")), 1);
    EXPECT_EQ(Applied(server, Penalty("pen-2")), 1);
    EXPECT_EQ(Applied(server, Penalty("pen-3")), 1);
    store_.FailWritesFrom(1);  // the process dies: no checkpoint, no write-back
  }
  store_.ClearFaults();
  Server restarted(&store_, &clock_);
  ASSERT_OK(restarted.ingestor.Start());
  // pen-3's batch recorded that pen-1 and pen-2 were handled.
  EXPECT_EQ(restarted.ingestor.replayed_events(), 1);
  EXPECT_THAT(Causes(restarted),
              UnorderedElementsAre("event:pen-1", "event:pen-2", "event:pen-3"));
}

TEST_F(AlertMonitorRecoveryTest, AfterACleanRunNothingIsReplayed) {
  {
    Server server(&store_, &clock_);
    ASSERT_OK(server.ingestor.Start());
    EXPECT_EQ(Applied(server, Penalty("pen-1")), 1);
    EXPECT_THAT(Causes(server), ElementsAre("event:pen-1"));
  }  // shutdown writes back, the observed sequence with it
  Server restarted(&store_, &clock_);
  ASSERT_OK(restarted.ingestor.Start());
  EXPECT_EQ(restarted.ingestor.replayed_events(), 0);
  EXPECT_THAT(Causes(restarted), ElementsAre("event:pen-1"));
}

// ScoreAll with the monitor as its change observer, over a learnable history
// (services/scoring/testing/learnable_history.h): odd serials risky, even ones clean.
class AlertMonitorScoresTest : public ::regulation::services::testing::LearnableHistoryTest {
 protected:
  static constexpr int kEnterprises = 10;

  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(v1::Model model, TrainLearnableModel(kEnterprises, 2));
    ASSERT_OK(registry_->Activate(model.version()));
    scorer_.set_change_observer(&monitor_);
  }

  absl::Status ScoreAll() {
    return scorer_.ScoreAll(v1::ScoreAllRequest(), [](const v1::ScoreAllProgress&) { return true; });
  }

  absl::Status SetCutPoints(double b, double c, double d) {
    v1::RiskClassPolicy policy;
    policy.mutable_cut_points()->set_b(b);
    policy.mutable_cut_points()->set_c(c);
    policy.mutable_cut_points()->set_d(d);
    return registry_->UpdatePolicy(policy).status();
  }

  std::vector<v1::Alert> Listed() {
    absl::StatusOr<v1::ListAlertsResponse> listed =
        book_.List(::regulation::services::testing::Admin(), {});
    EXPECT_OK(listed);
    return listed.ok() ? std::vector<v1::Alert>(listed->alerts().begin(), listed->alerts().end())
                       : std::vector<v1::Alert>();
  }

  EnterpriseDirectory directory_{history_.store(), &clock_};
  PortraitReader reader_{history_.store(), &directory_, &clock_, history_.portraits()};
  RiskScorer scorer_{history_.store(), &directory_, &reader_, registry_.get(), &clock_};
  AlertBook book_{history_.store(), &clock_};
  AlertMonitor monitor_{history_.store(), &book_};
};

TEST_F(AlertMonitorScoresTest, AClassRiseAlertsOnceAcrossReRuns) {
  // Everyone in A: the first scoring has nothing to compare with.
  ASSERT_OK(SetCutPoints(0.97, 0.98, 0.99));
  ASSERT_OK(ScoreAll());
  EXPECT_TRUE(Listed().empty());
  // The same classes again: nothing.
  clock_.Advance(absl::Hours(1));
  ASSERT_OK(ScoreAll());
  EXPECT_TRUE(Listed().empty());

  // Cut points that put the risky half in D and the clean half in A.
  ASSERT_OK_AND_ASSIGN(v1::RiskScore clean,
                       scorer_.GetScore(::regulation::services::testing::Admin(),
                                        ::regulation::services::testing::EventHistory::Code(0)));
  ASSERT_OK_AND_ASSIGN(v1::RiskScore risky,
                       scorer_.GetScore(::regulation::services::testing::Admin(),
                                        ::regulation::services::testing::EventHistory::Code(1)));
  ASSERT_LT(clean.probability(), risky.probability());
  const double mid = (clean.probability() + risky.probability()) / 2;
  ASSERT_OK(SetCutPoints(mid, std::nextafter(mid, 1.0), std::nextafter(std::nextafter(mid, 1.0), 1.0)));
  clock_.Advance(absl::Hours(1));
  ASSERT_OK(ScoreAll());
  std::vector<v1::Alert> alerts = Listed();
  ASSERT_EQ(alerts.size(), kEnterprises / 2u);
  for (const v1::Alert& a : alerts) {
    EXPECT_EQ(a.rule(), v1::ALERT_RULE_CLASS_RAISED);
    EXPECT_EQ(a.region_code(), "330106");
    EXPECT_TRUE(a.department().empty());
    EXPECT_THAT(a.summary(), ::testing::HasSubstr("class A -> D"));
  }
  // Re-runs compare with the scores just stored: still one alert per enterprise.
  clock_.Advance(absl::Hours(1));
  ASSERT_OK(ScoreAll());
  ASSERT_OK(ScoreAll());
  EXPECT_EQ(Listed().size(), kEnterprises / 2u);
}

}  // namespace
}  // namespace regulation::services
