// Scoring apart from portrait: a RiskScorer whose portraits come from a
// PortraitFeedService over gRPC (what scoringd does with portraitd) scores exactly as one
// reading the store in process (regulatord), applies the caller's jurisdiction at the
// portrait side, and says which peer is unreachable when portrait is down.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/access/access_interceptor.h"
#include "services/access/identity.h"
#include "services/portrait/enterprise_directory.h"
#include "services/portrait/portrait_reader.h"
#include "services/scoring/risk_scorer.h"
#include "services/scoring/testing/event_history.h"
#include "services/scoring/testing/learnable_history.h"
#include "services/seams/local_portrait_feed.h"
#include "services/seams/peer_channel.h"
#include "services/seams/portrait_feed_client.h"
#include "services/seams/portrait_feed_service.h"
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

TEST_F(RiskScorerOverGrpcTest, PlaintextIsForLoopbackOnly) {
  PeerChannelOptions options;
  options.address = "10.1.2.3:7001";
  options.service_config_json = PortraitFeedServiceConfig();
  EXPECT_THAT(MakePeerChannel(options), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::services
