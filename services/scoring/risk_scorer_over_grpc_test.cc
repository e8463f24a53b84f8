// Scoring apart from portrait: a RiskScorer whose portraits come from a
// PortraitFeedService over gRPC (what scoringd does with portraitd) scores exactly as one
// reading the store in process (regulatord), applies the caller's jurisdiction at the
// portrait side, and says which peer is unreachable when portrait is down; training
// rows and past portraits (TrainModel, ScoreAsOf) cross the wire bit for bit.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/clock.h"
#include "scoring/feature_catalogue.h"
#include "scoring/training_data.h"
#include "services/common/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/access/access_interceptor.h"
#include "services/access/identity.h"
#include "services/portrait/enterprise_directory.h"
#include "services/portrait/portrait_reader.h"
#include "services/scoring/backtest.h"
#include "services/scoring/model_trainer.h"
#include "services/scoring/risk_scorer.h"
#include "services/scoring/testing/event_history.h"
#include "services/scoring/testing/learnable_history.h"
#include "services/seams/local_portrait_feed.h"
#include "services/seams/peer_channel.h"
#include "services/seams/portrait_feed_client.h"
#include "services/seams/portrait_feed_service.h"
#include "services/seams/training_rows_wire.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::services::testing::Admin;
using ::regulation::services::testing::EventHistory;
using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

constexpr int kEnterprises = 40;

absl::Status ScoreAll(RiskScorer& scorer, v1::ScoreAllProgress* last = nullptr) {
  return scorer.ScoreAll(v1::ScoreAllRequest(), [&](const v1::ScoreAllProgress& p) {
    if (last != nullptr) *last = p;
    return true;
  });
}

class RiskScorerOverGrpcTest : public ::regulation::services::testing::LearnableHistoryTest {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(v1::Model model, TrainLearnableModel(kEnterprises, 2));
    ASSERT_OK(registry_->Activate(model.version()).status());

    access::AccessOptions access;
    access.resolver = &operator_;
    access.clock = &clock_;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    builder.experimental().SetInterceptorCreators(access::MakeAccessInterceptors(access));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);

    ASSERT_OK_AND_ASSIGN(std::shared_ptr<grpc::Channel> channel, Channel(port_));
    remote_feed_ = std::make_unique<GrpcPortraitFeed>(channel);
    remote_ = std::make_unique<RiskScorer>(scoring_store_.get(), remote_feed_.get(),
                                           registry_.get(), &clock_);
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  static absl::StatusOr<std::shared_ptr<grpc::Channel>> Channel(int port) {
    PeerChannelOptions options;
    options.address = absl::StrCat("127.0.0.1:", port);
    options.service_config_json = PortraitFeedServiceConfig();
    options.health_service = "";
    return MakePeerChannel(options);
  }

  // The portrait side: the history's store.
  EnterpriseDirectory directory_{history_.store(), &clock_};
  PortraitReader reader_{history_.store(), &directory_, &clock_, history_.portraits()};
  LocalPortraitFeed local_feed_{history_.store(), &directory_, &reader_};
  PortraitFeedServiceImpl service_{&local_feed_};
  access::LocalOperatorResolver operator_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;

  // In process: scores into the history's store.
  RiskScorer local_{history_.store(), &local_feed_, registry_.get(), &clock_};
  // Apart: scores into a store of its own, portraits over gRPC.
  std::unique_ptr<storage::KvStore> scoring_store_ = storage::NewMemoryStore();
  std::unique_ptr<GrpcPortraitFeed> remote_feed_;
  std::unique_ptr<RiskScorer> remote_;
};

TEST_F(RiskScorerOverGrpcTest, ScoreAllOverGrpcStoresTheScoresOfInProcess) {
  v1::ScoreAllProgress local_last, remote_last;
  ASSERT_OK(ScoreAll(local_, &local_last));
  ASSERT_OK(ScoreAll(*remote_, &remote_last));
  EXPECT_TRUE(remote_last.done());
  EXPECT_EQ(remote_last.scored(), kEnterprises);
  EXPECT_EQ(remote_last.total(), local_last.total());
  int risky_high = 0;
  for (int serial = 0; serial < kEnterprises; ++serial) {
    const std::string code = EventHistory::Code(serial);
    ASSERT_OK_AND_ASSIGN(v1::RiskScore here, local_.GetScore(Admin(), code));
    ASSERT_OK_AND_ASSIGN(v1::RiskScore there, remote_->GetScore(Admin(), code));
    EXPECT_EQ(there.SerializeAsString(), here.SerializeAsString()) << code;
    if (testing::IsRisky(serial) && there.probability() > 0.5) ++risky_high;
  }
  // The model learned the history (so the rows that crossed the wire were the real ones).
  EXPECT_EQ(risky_high, kEnterprises / 2);

  ASSERT_OK_AND_ASSIGN(v1::GetClassDistributionResponse here,
                       local_.ClassDistribution(Admin(), v1::GetClassDistributionRequest()));
  ASSERT_OK_AND_ASSIGN(v1::GetClassDistributionResponse there,
                       remote_->ClassDistribution(Admin(), v1::GetClassDistributionRequest()));
  EXPECT_EQ(there.SerializeAsString(), here.SerializeAsString());
  EXPECT_EQ(there.total().class_a() + there.total().class_b() + there.total().class_c() +
                there.total().class_d(),
            kEnterprises);
}

TEST_F(RiskScorerOverGrpcTest, ScoreWithReasonsOverGrpcIsTheInProcessScore) {
  v1::ScoreRequest request;
  request.set_credit_code(EventHistory::Code(3));
  request.set_max_reasons(3);
  ASSERT_OK_AND_ASSIGN(v1::RiskScore here, local_.Score(Admin(), request));
  ASSERT_OK_AND_ASSIGN(v1::RiskScore there, remote_->Score(Admin(), request));
  EXPECT_EQ(there.SerializeAsString(), here.SerializeAsString());
  // The reasons crossed too (the learnable model leans on few features).
  EXPECT_GE(there.reasons_size(), 1);
  EXPECT_LE(there.reasons_size(), 3);
}

TEST_F(RiskScorerOverGrpcTest, TheCallersJurisdictionAppliesAtThePortraitSide) {
  ASSERT_OK(ScoreAll(*remote_));
  access::Caller elsewhere;
  elsewhere.roles = {access::Role::kAgency};
  elsewhere.subject = "agency-4401";
  elsewhere.department = "samr";
  elsewhere.region_prefix = "4401";  // the history's enterprises are in 330106
  EXPECT_THAT(remote_->GetScore(elsewhere, EventHistory::Code(1)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  access::Caller here = elsewhere;
  here.region_prefix = "3301";
  EXPECT_OK(remote_->GetScore(here, EventHistory::Code(1)).status());
  // Class counts: the agency elsewhere sees none of them.
  ASSERT_OK_AND_ASSIGN(v1::GetClassDistributionResponse none,
                       remote_->ClassDistribution(elsewhere, v1::GetClassDistributionRequest()));
  EXPECT_EQ(none.by_region_size(), 0);
  EXPECT_THAT(remote_->GetScore(Admin(), "not-a-code"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(RiskScorerOverGrpcTest, APortraitPeerThatIsDownIsNamedAndNothingIsScored) {
  server_->Shutdown();
  server_.reset();
  PortraitFeedClientOptions fast;
  fast.call_deadline = absl::Seconds(3);
  fast.stream_deadline = absl::Seconds(3);
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<grpc::Channel> channel, Channel(port_));
  GrpcPortraitFeed down(channel, fast);
  RiskScorer scorer(scoring_store_.get(), &down, registry_.get(), &clock_);
  const absl::Status status = ScoreAll(scorer);
  EXPECT_TRUE(absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status)) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("portrait service"));
  const absl::Status lookup = scorer.GetScore(Admin(), EventHistory::Code(0)).status();
  EXPECT_TRUE(absl::IsUnavailable(lookup) || absl::IsDeadlineExceeded(lookup)) << lookup;
}

// The rows a model learns from, as bytes: features and labels bit for bit (NaN for a
// missing value included), and every row's window, code, events and first inspection.
std::string RowBytes(const LabelledRows& rows) {
  std::string out(reinterpret_cast<const char*>(rows.data.features.data()),
                  rows.data.features.size() * sizeof(float));
  out.append(reinterpret_cast<const char*>(rows.data.labels.data()),
             rows.data.labels.size() * sizeof(float));
  absl::StrAppend(&out, "|", rows.data.rows, "x", rows.data.cols);
  for (size_t r = 0; r < rows.credit_code.size(); ++r) {
    absl::StrAppend(&out, "|", rows.window_of[r], ",", rows.credit_code[r], ",",
                    rows.first_inspection_micros[r], ",",
                    absl::StrJoin(rows.inspection_event_ids[r], ";"));
  }
  return out;
}

TEST_F(RiskScorerOverGrpcTest, TrainingRowsOverGrpcAreTheInProcessRows) {
  const testing::LearnableHistory windows =
      testing::LearnableWindows(absl::ToUnixMicros(clock_.Now()), 2);
  std::vector<int64_t> starts;
  for (const absl::CivilDay& day : windows.window_starts) {
    starts.push_back(absl::ToUnixMicros(absl::FromCivil(day, ChinaTimeZone())));
  }
  const int64_t label_window = int64_t{testing::kLabelWindowDays} * 86'400'000'000;
  ASSERT_OK_AND_ASSIGN(LabelledRows here,
                       local_feed_.TrainingRows(starts, label_window, nullptr, nullptr));
  int64_t progress_calls = 0;
  ASSERT_OK_AND_ASSIGN(LabelledRows there,
                       remote_feed_->TrainingRows(
                           starts, label_window,
                           [&](int64_t done, int64_t total) {
                             EXPECT_LE(done, total);
                             ++progress_calls;
                           },
                           nullptr));
  ASSERT_GT(here.data.rows, 0u);
  EXPECT_EQ(RowBytes(there), RowBytes(here));
  EXPECT_GT(progress_calls, 0);
  EXPECT_EQ(scoring::TrainingDataDigest(there.data), scoring::TrainingDataDigest(here.data));

  // A model trained in "scoringd" (rows over gRPC, models in its own store) records the
  // training data of the one trained in process.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ModelRegistry> apart,
                       ModelRegistry::Open(scoring_store_.get(), &clock_));
  ASSERT_OK_AND_ASSIGN(v1::TrainModelProgress in_process,
                       TrainAndRegister(history_.store(), registry_.get(), &clock_,
                                        windows.request, [](const v1::TrainModelProgress&) {}));
  ASSERT_OK_AND_ASSIGN(v1::TrainModelProgress over_grpc,
                       TrainAndRegister(TrainingRowsFrom(remote_feed_.get()), apart.get(), &clock_,
                                        windows.request, [](const v1::TrainModelProgress&) {}));
  EXPECT_EQ(over_grpc.model().training_data_digest(), in_process.model().training_data_digest());
}

TEST_F(RiskScorerOverGrpcTest, ScoreAsOfOverGrpcIsTheInProcessScoreAndBacktestNeedsHistory) {
  Backtester here(history_.store(), &local_feed_, registry_.get(), &clock_);
  Backtester there(/*history=*/nullptr, remote_feed_.get(), registry_.get(), &clock_);
  v1::ScoreAsOfRequest request;
  request.set_credit_code(EventHistory::Code(5));
  *request.mutable_as_of() = ToProtoTimestamp(clock_.Now() - absl::Hours(24 * 20));
  ASSERT_OK_AND_ASSIGN(v1::RiskScore a, here.ScoreAsOf(Admin(), request));
  ASSERT_OK_AND_ASSIGN(v1::RiskScore b, there.ScoreAsOf(Admin(), request));
  EXPECT_EQ(b.SerializeAsString(), a.SerializeAsString());
  // A past moment in the future is refused at the portrait side, named.
  *request.mutable_as_of() = ToProtoTimestamp(clock_.Now() + absl::Hours(1));
  EXPECT_THAT(there.ScoreAsOf(Admin(), request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of")));
  EXPECT_THAT(there.Backtest(v1::BacktestRequest()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("regulatord")));
}

TEST_F(RiskScorerOverGrpcTest, TrainingRowsFromAnotherBuildOrMalformedAreRefused) {
  LabelledRows rows;
  internal::v1::TrainingRowBatch other_schema;
  other_schema.set_schema_digest("0000");
  EXPECT_THAT(AppendTrainingRowBatch(other_schema, &rows),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("feature schema")));
  internal::v1::TrainingRowBatch short_batch;
  short_batch.set_columns(static_cast<int>(scoring::FeatureCatalogue().size()));
  short_batch.add_labels(1.0f);
  short_batch.add_window_of(0);
  short_batch.add_credit_codes(EventHistory::Code(1));
  short_batch.add_inspection_event_ids();
  short_batch.add_first_inspection_micros(1);
  EXPECT_THAT(AppendTrainingRowBatch(short_batch, &rows),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("differ in length")));
  EXPECT_EQ(rows.data.rows, 0u);
}

TEST_F(RiskScorerOverGrpcTest, PlaintextIsForLoopbackOnly) {
  PeerChannelOptions options;
  options.address = "10.1.2.3:7001";
  options.service_config_json = PortraitFeedServiceConfig();
  EXPECT_THAT(MakePeerChannel(options), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::services
