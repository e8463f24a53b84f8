// inspectiond (issue 13 item 2): the draw desk of an inspection service that holds no
// enterprise, portrait or score of its own, reading the population from portrait's and
// scoring's halves over gRPC (services/seams/population_feed.h), commits the same
// population and draws byte for byte the same draw and bundle as the all-in-one desk
// (regulatord), also under a credit policy; assignments quote enterprises looked up over
// gRPC; a peer that is down fails the commit with UNAVAILABLE naming it and leaves the
// plan a draft.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "regulation/internal/portrait_state.pb.h"
#include "scheduler/seed.h"
#include "scoring/portrait_state.h"
#include "services/common/proto_time.h"
#include "services/inspection/testing/inspection_fixture.h"
#include "services/seams/local_population.h"
#include "services/seams/peer_channel.h"
#include "services/seams/population_feed_client.h"
#include "services/seams/population_feed_service.h"
#include "services/seams/testing/loopback_server.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using storage::ColumnFamily;
using testing::Admin;
using ::testing::HasSubstr;

// portraitd's and scoringd's halves, each over its own store; constructed before the
// inspection fixture, which reads through `feed_`.
class Peers {
 protected:
  std::unique_ptr<storage::KvStore> portrait_store_ = storage::NewMemoryStore();
  std::unique_ptr<storage::KvStore> scoring_store_ = storage::NewMemoryStore();
  LocalPortraitPopulation portrait_half_{portrait_store_.get()};
  LocalStoredClasses scoring_half_{scoring_store_.get()};
  PortraitPopulationServiceImpl portrait_service_{&portrait_half_};
  StoredClassServiceImpl scoring_service_{&scoring_half_};
  testing::LoopbackServer portrait_server_{{&portrait_service_}};
  testing::LoopbackServer scoring_server_{{&scoring_service_}};
  GrpcPortraitPopulation portrait_client_{*portrait_server_.Channel(PopulationFeedServiceConfig())};
  GrpcStoredClasses scoring_client_{*scoring_server_.Channel(PopulationFeedServiceConfig())};
  PopulationFeed feed_{&portrait_client_, &scoring_client_};
};

constexpr int64_t kDayMicros = int64_t{86400} * 1000000;

// Official classes for every fifth enterprise and the dishonest list for every
// thirteenth, as ingestion would store them (in `store`'s portraits).
void WriteCreditHistory(storage::KvStore* store, const std::vector<std::string>& codes,
                        absl::Time now) {
  storage::WriteBatch batch;
  for (size_t i = 0; i < codes.size(); ++i) {
    if (i % 5 != 0 && i % 13 != 0) continue;
    internal::PortraitState state;
    state.set_credit_code(codes[i]);
    v1::Event e;
    e.set_event_id(absl::StrCat("ev-", i));
    e.set_source_department("samr");
    const absl::Time when = now - absl::Hours(24 * 30);
    *e.mutable_occur_time() = ToProtoTimestamp(when);
    if (i % 13 == 0) {
      e.mutable_serious_dishonesty()->set_action(v1::LIST_ACTION_ADDED);
      e.mutable_serious_dishonesty()->set_authority("杭州市市场监督管理局");
      e.mutable_serious_dishonesty()->set_reason("serious_violation");
    } else {
      e.mutable_official_credit_class()->set_risk_class(static_cast<v1::RiskClass>(1 + i % 4));
      e.mutable_official_credit_class()->set_authority("杭州市市场监督管理局");
    }
    scoring::FoldEvent(e, absl::ToUnixMicros(when), &state);
    batch.Put(ColumnFamily::kPortraits, codes[i], state.SerializeAsString());
  }
  EXPECT_OK(store->Write(batch));
}

// regulatord: everything in one store.
class AllInOne : public testing::InspectionFixture {
 public:
  AllInOne() { WriteCreditHistory(store_.get(), codes_, clock_.Now()); }
  void TestBody() override {}
  using InspectionFixture::Commit;
  using InspectionFixture::CreatePlan;
  using InspectionFixture::Draw;
  using InspectionFixture::LoggedBody;
  using InspectionFixture::Population;
  using InspectionFixture::board_;
  using InspectionFixture::log_;
};

class SplitDrawTest : public Peers, public testing::InspectionFixture {
 protected:
  SplitDrawTest() : InspectionFixture(DrawDesk::Options(), &feed_) {}

  void SetUp() override {
    WriteCreditHistory(store_.get(), codes_, clock_.Now());
    // Move the enterprises and portraits to portrait's store and the scores to scoring's:
    // inspection keeps none.
    for (const auto& [family, to] :
         {std::pair<ColumnFamily, storage::KvStore*>{ColumnFamily::kEnterprises, portrait_store_.get()},
          {ColumnFamily::kPortraits, portrait_store_.get()},
          {ColumnFamily::kScores, scoring_store_.get()}}) {
      storage::WriteBatch put, remove;
      std::unique_ptr<storage::Iterator> it = store_->NewIterator(family);
      int moved = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next(), ++moved) {
        put.Put(family, it->key(), it->value());
        remove.Delete(family, it->key());
      }
      ASSERT_OK(it->status());
      ASSERT_GT(moved, 0);
      ASSERT_OK(to->Write(put));
      ASSERT_OK(store_->Write(remove));
    }
  }

  // Commits and draws `plan` with a caller nonce (so that two desks draw alike).
  template <typename Fixture>
  static absl::StatusOr<v1::Draw> CommitAndDraw(Fixture& fixture, const v1::Plan& plan,
                                                v1::Commitment* commitment) {
    const std::string nonce(64, 'c');
    absl::StatusOr<v1::Commitment> c = fixture.Commit(plan, *scheduler::NonceCommitment(nonce));
    if (!c.ok()) return c.status();
    *commitment = *c;
    return fixture.Draw(plan, "beacon-split", nonce);
  }

  // Commits and draws the same plan (model classes, or `credit`: a credit policy) here and
  // in an all-in-one desk, and expects the same records, bundle, log and assignments.
  void ExpectTheDrawOfOneProcess(bool credit);
};

// A credit policy reads official classes and listings from portrait's half.
void StricterWithDishonestList(v1::Plan* plan) {
  plan->set_credit_class_source(v1::CREDIT_CLASS_SOURCE_STRICTER);
  plan->set_dishonest_list_policy(v1::DISHONEST_LIST_POLICY_HIGHEST_RATIO);
}

void SplitDrawTest::ExpectTheDrawOfOneProcess(bool credit) {
  {
    AllInOne here;
    const auto edit = credit ? std::function<void(v1::Plan*)>(StricterWithDishonestList) : nullptr;
    const v1::Plan plan_here = here.CreatePlan(false, edit);
    const v1::Plan plan_apart = CreatePlan(false, edit);
    ASSERT_EQ(plan_apart.plan_id(), plan_here.plan_id());

    v1::Commitment committed_here, committed_apart;
    ASSERT_OK_AND_ASSIGN(v1::Draw draw_here, CommitAndDraw(here, plan_here, &committed_here));
    ASSERT_OK_AND_ASSIGN(v1::Draw draw_apart, CommitAndDraw(*this, plan_apart, &committed_apart));

    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(committed_apart, committed_here))
        << committed_apart.DebugString() << "\n" << committed_here.DebugString();
    EXPECT_EQ(Population(plan_apart).Digests().overall, here.Population(plan_here).Digests().overall);
    EXPECT_EQ(draw_apart.bundle_json(), draw_here.bundle_json());
    EXPECT_EQ(draw_apart.bundle_digest(), draw_here.bundle_digest());
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(draw_apart, draw_here));
    ASSERT_GT(draw_here.teams_size(), 10);
    if (credit) {
      // The listed enterprises are named in the plan's record: the listings crossed.
      EXPECT_THAT(draw_here.bundle_json(), HasSubstr("dishonest"));
    }
    // What was published (commitment and draw) is the same.
    ASSERT_EQ(log_.entries().size(), here.log_.entries().size());
    for (size_t i = 0; i < log_.entries().size(); ++i) {
      EXPECT_EQ(LoggedBody(i), here.LoggedBody(i)) << i;
    }
    // The assignments quote the enterprises, looked up from portrait over gRPC.
    v1::ListPlanAssignmentsRequest request;
    request.set_plan_id(plan_apart.plan_id());
    request.set_page_size(1000);
    ASSERT_OK_AND_ASSIGN(v1::ListPlanAssignmentsResponse apart, board_.ListForPlan(request));
    ASSERT_OK_AND_ASSIGN(v1::ListPlanAssignmentsResponse in_one, here.board_.ListForPlan(request));
    ASSERT_GT(apart.assignments_size(), 0);
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(apart, in_one));
    EXPECT_THAT(apart.assignments(0).enterprise_name(), HasSubstr("杭州测试企业"));
  }
}

TEST_F(SplitDrawTest, CommitAndDrawOverGrpcAreByteForByteThoseOfOneProcess) {
  ExpectTheDrawOfOneProcess(false);
}

TEST_F(SplitDrawTest, UnderACreditPolicyTooTheListingsAndOfficialClassesCross) {
  ExpectTheDrawOfOneProcess(true);
}

TEST_F(SplitDrawTest, AScoringPeerThatIsDownFailsTheCommitNamingItAndLeavesADraft) {
  const v1::Plan plan = CreatePlan();
  scoring_server_.Stop();
  EXPECT_THAT(Commit(plan),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("scoring service")));
  EXPECT_EQ(Record(plan).plan().state(), v1::PLAN_STATE_DRAFT);
}

TEST_F(SplitDrawTest, APortraitPeerThatIsDownFailsTheCommitNamingIt) {
  const v1::Plan plan = CreatePlan();
  portrait_server_.Stop();
  EXPECT_THAT(Commit(plan),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("portrait service")));
  EXPECT_EQ(Record(plan).plan().state(), v1::PLAN_STATE_DRAFT);
}

}  // namespace
}  // namespace regulation::services
