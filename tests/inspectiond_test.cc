// inspectiond in one test process (issue 13 item 2): a RegulationServer serving
// inspection alone (--serve=inspection), over a store of its own, with the peers its
// --peers file names (services/server/peers.h) pointing at a server that serves portrait,
// scoring and the disclosure log. Committing a plan there freezes the population of the
// all-in-one server's commit of the same plan, and its public records land in the peer's
// log; with the peer down, a commit fails UNAVAILABLE naming the peer.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/disclosure_service.grpc.pb.h"
#include "regulation/v1/enterprise.pb.h"
#include "regulation/v1/inspection_service.grpc.pb.h"
#include "regulation/v1/scoring.pb.h"
#include "scheduler/entropy/witness_key.h"
#include "scheduler/seed.h"
#include "scheduler/testing/draw_fixtures.h"
#include "services/access/identity.h"
#include "services/common/proto_time.h"
#include "services/server/peers.h"
#include "services/server/regulation_server.h"
#include "storage/memory_store.h"
#include "common/files.h"
#include "testing/temp_dir.h"
#include "testing/status_matchers.h"

namespace regulation {
namespace {

using ::testing::HasSubstr;

constexpr int kEnterprises = 300;

// A store holding enterprises in two Hangzhou districts with classes cycling A-D (every
// tenth never scored, every seventh deregistered), as portrait and scoring keep them;
// only those of `only_region` when it is not empty (a region shard's part).
std::unique_ptr<storage::KvStore> PopulatedStore(absl::string_view only_region = "") {
  std::unique_ptr<storage::KvStore> store = storage::NewMemoryStore();
  storage::WriteBatch batch;
  for (int i = 0; i < kEnterprises; ++i) {
    const std::string region = i % 2 ? "330106" : "330102";
    if (!only_region.empty() && region != only_region) continue;
    v1::Enterprise e;
    e.set_credit_code(scheduler::testing::TestCreditCode(i, region));
    e.set_name(absl::StrCat("杭州测试企业", i, "有限公司"));
    e.set_region_code(region);
    e.set_industry_code("F5211");
    e.set_status(i % 7 == 0 ? v1::ENTERPRISE_STATUS_DEREGISTERED : v1::ENTERPRISE_STATUS_OPERATING);
    batch.Put(storage::ColumnFamily::kEnterprises, e.credit_code(), e.SerializeAsString());
    if (i % 10 != 0) {
      v1::RiskScore score;
      score.set_credit_code(e.credit_code());
      score.set_risk_class(static_cast<v1::RiskClass>(1 + i % 4));
      batch.Put(storage::ColumnFamily::kScores, e.credit_code(), score.SerializeAsString());
    }
  }
  EXPECT_OK(store->Write(batch));
  return store;
}

class InspectiondTest : public ::testing::Test {
 protected:
  void SetUp() override {
    services::ServerOptions options;
    options.listen_address = "localhost:0";
    options.identity = &identity_;
    options.credentials = grpc::InsecureServerCredentials();
    ASSERT_OK_AND_ASSIGN(peer_, services::RegulationServer::Start(PopulatedStore(), options));

    internal::v1::Topology topology;
    const std::string peer = absl::StrCat("localhost:", peer_->port());
    topology.set_portrait_address(peer);
    topology.set_scoring_address(peer);
    topology.set_disclosure_address(peer);
    topology.set_call_deadline_seconds(5);
    ASSERT_OK_AND_ASSIGN(peers_, services::ConnectInspectionPeers(topology));
    options.serve = services::ServedServices::kInspection;
    options.population = peers_.population.get();
    options.remote_log = peers_.log;
    ASSERT_OK_AND_ASSIGN(inspectiond_,
                         services::RegulationServer::Start(storage::NewMemoryStore(), options));
  }

  static std::shared_ptr<grpc::Channel> Channel(const services::RegulationServer& server) {
    return grpc::CreateChannel(absl::StrCat("localhost:", server.port()),
                               grpc::InsecureChannelCredentials());
  }

  template <typename Response, typename Call>
  static grpc::Status Ask(Call call, Response* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return call(&context, response);
  }

  // Sets up the roster, an item and a witness on `server`, creates the fixture's plan and
  // commits it with a caller nonce; the commitment, or the commit's status.
  static grpc::Status CreateAndCommit(const services::RegulationServer& server,
                                      v1::Commitment* commitment) {
    std::unique_ptr<v1::InspectionService::Stub> stub = v1::InspectionService::NewStub(Channel(server));
    v1::UpsertInspectionItemRequest item;
    item.mutable_item()->set_item_id("food-1");
    item.mutable_item()->set_department("samr");
    item.mutable_item()->set_title("食品经营许可情况检查");
    item.mutable_item()->set_legal_basis("《食品安全法》第一百一十条");
    item.mutable_item()->set_kind(v1::ITEM_KIND_KEY);
    v1::InspectionItem stored_item;
    grpc::Status status = Ask([&](grpc::ClientContext* c, v1::InspectionItem* r) {
      return stub->UpsertInspectionItem(c, item, r);
    }, &stored_item);
    if (!status.ok()) return status;
    for (int i = 0; i < 8; ++i) {
      v1::UpsertInspectorRequest r;
      v1::Inspector* inspector = r.mutable_inspector();
      inspector->set_inspector_id(absl::StrCat("HZ-M-", i));
      inspector->set_name("检查员");
      inspector->set_department("samr");
      inspector->set_region_code("330100");
      inspector->set_certificate_number(absl::StrCat("ZJHZ-M-", i));
      *inspector->mutable_certificate_valid_until() =
          services::ToProtoDate(absl::CivilDay(2028, 12, 31));
      inspector->set_status(v1::INSPECTOR_STATUS_ACTIVE);
      v1::Inspector stored;
      status = Ask([&](grpc::ClientContext* c, v1::Inspector* out) {
        return stub->UpsertInspector(c, r, out);
      }, &stored);
      if (!status.ok()) return status;
    }
    const scheduler::entropy::WitnessKey key = *scheduler::entropy::WitnessKey::FromPrivateBytes(
        scheduler::entropy::WitnessAlgorithm::kEd25519, std::string(32, '\x5a'));
    v1::RegisterEntropySourceRequest witness;
    v1::RegisteredEntropySource* source = witness.mutable_source();
    source->set_source_id("notary-hz");
    source->set_kind(v1::ENTROPY_SOURCE_KIND_WITNESS);
    source->set_display_name("杭州市公证处（测试）");
    source->set_department("notary-hz");
    source->set_algorithm(std::string(scheduler::entropy::WitnessAlgorithmName(key.algorithm())));
    source->set_public_key_hex(key.public_key().hex());
    v1::RegisteredEntropySource registered;
    status = Ask([&](grpc::ClientContext* c, v1::RegisteredEntropySource* r) {
      return stub->RegisterEntropySource(c, witness, r);
    }, &registered);
    if (!status.ok()) return status;

    v1::CreatePlanRequest create;
    v1::Plan* p = create.mutable_plan();
    p->set_title("2027年食品经营者双随机抽查");
    p->add_departments("samr");
    p->add_item_ids("food-1");
    p->mutable_population()->set_region_prefix("3301");
    const double ratios[] = {0.02, 0.05, 0.1, 0.3};
    for (int c = 0; c < 4; ++c) {
      v1::ClassQuota* q = p->add_quotas();
      q->set_risk_class(static_cast<v1::RiskClass>(c + 1));
      q->set_ratio(ratios[c]);
    }
    p->set_team_size(2);
    p->set_workload_cap(8);
    *p->mutable_due_date() = services::ToProtoDate(absl::CivilDay(2027, 3, 31));
    v1::Plan plan;
    status = Ask([&](grpc::ClientContext* c, v1::Plan* r) { return stub->CreatePlan(c, create, r); },
                 &plan);
    if (!status.ok()) return status;
    v1::CommitPlanRequest commit;
    commit.set_plan_id(plan.plan_id());
    commit.add_entropy_sources()->set_source_id("notary-hz");
    commit.set_nonce_commitment(*scheduler::NonceCommitment(std::string(64, 'c')));
    return Ask([&](grpc::ClientContext* c, v1::Commitment* r) { return stub->CommitPlan(c, commit, r); },
               commitment);
  }

  access::LocalOperatorResolver identity_;
  std::unique_ptr<services::RegulationServer> peer_;
  services::InspectionPeers peers_;
  std::unique_ptr<services::RegulationServer> inspectiond_;
};

TEST_F(InspectiondTest, ACommitApartFreezesTheAllInOnePopulationAndPublishesInThePeersLog) {
  v1::Commitment apart, in_one;
  const grpc::Status committed_apart = CreateAndCommit(*inspectiond_, &apart);
  ASSERT_TRUE(committed_apart.ok()) << committed_apart.error_message();
  const grpc::Status committed_in_one = CreateAndCommit(*peer_, &in_one);
  ASSERT_TRUE(committed_in_one.ok()) << committed_in_one.error_message();

  EXPECT_EQ(apart.population_digest(), in_one.population_digest());
  ASSERT_EQ(apart.class_sizes_size(), 4);
  for (const auto& [letter, size] : in_one.class_sizes()) {
    EXPECT_EQ(apart.class_sizes().at(letter), size) << letter;
  }
  // inspectiond's two records (the witness, the commitment) went to the peer's log first,
  // then the peer's own two.
  EXPECT_TRUE(apart.logged());
  EXPECT_EQ(apart.log_index(), 1);
  EXPECT_EQ(in_one.log_index(), 3);
  auto disclosure = v1::DisclosureService::NewStub(Channel(*peer_));
  v1::Checkpoint checkpoint;
  const grpc::Status got = Ask([&](grpc::ClientContext* c, v1::Checkpoint* r) {
    return disclosure->GetCheckpoint(c, v1::GetCheckpointRequest(), r);
  }, &checkpoint);
  ASSERT_TRUE(got.ok()) << got.error_message();
  EXPECT_EQ(checkpoint.tree_size(), 4);
}

// A plan spanning region shards (issue 13 item 4): inspectiond reads every shard's
// portrait and scoring halves (Topology.portrait_shard_map, scoring_shard_map) and freezes
// exactly the population of the single node that holds them all.
TEST_F(InspectiondTest, ACommitOverRegionShardsFreezesTheSingleNodesPopulation) {
  services::ServerOptions options;
  options.listen_address = "localhost:0";
  options.identity = &identity_;
  options.credentials = grpc::InsecureServerCredentials();
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<services::RegulationServer> xihu,
                       services::RegulationServer::Start(PopulatedStore("330106"), options));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<services::RegulationServer> shangcheng,
                       services::RegulationServer::Start(PopulatedStore("330102"), options));
  const std::string dir = ::regulation::testing::NewTempDir();
  const std::string map = absl::StrCat(R"({"shards": [
    {"name": "xihu", "address": "localhost:)", xihu->port(), R"(", "regionPrefixes": ["330106"]},
    {"name": "shangcheng", "address": "localhost:)", shangcheng->port(), R"(", "regionPrefixes": ["330102"]}
  ]})");
  ASSERT_OK(WriteFileAtomically(dir + "/shards.json", map));
  internal::v1::Topology topology;
  topology.set_portrait_shard_map(dir + "/shards.json");
  topology.set_scoring_shard_map(dir + "/shards.json");  // each shard serves both halves here
  topology.set_disclosure_address(absl::StrCat("localhost:", peer_->port()));
  topology.set_call_deadline_seconds(5);
  ASSERT_OK_AND_ASSIGN(services::InspectionPeers sharded, services::ConnectInspectionPeers(topology));
  options.serve = services::ServedServices::kInspection;
  options.population = sharded.population.get();
  options.remote_log = sharded.log;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<services::RegulationServer> over_shards,
                       services::RegulationServer::Start(storage::NewMemoryStore(), options));

  v1::Commitment across, in_one;
  const grpc::Status committed = CreateAndCommit(*over_shards, &across);
  ASSERT_TRUE(committed.ok()) << committed.error_message();
  ASSERT_TRUE(CreateAndCommit(*peer_, &in_one).ok());
  EXPECT_EQ(across.population_digest(), in_one.population_digest());
  for (const auto& [letter, size] : in_one.class_sizes()) {
    EXPECT_EQ(across.class_sizes().at(letter), size) << letter;
  }

  // One shard down: the commit fails naming that shard.
  shangcheng->Shutdown(absl::Now());
  v1::Commitment refused;
  const grpc::Status down = CreateAndCommit(*over_shards, &refused);
  EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE) << down.error_message();
  EXPECT_THAT(down.error_message(), HasSubstr("shard shangcheng"));

  // Maps that disagree on the shards are refused before anything is called.
  ASSERT_OK(WriteFileAtomically(dir + "/scoring.json", absl::StrCat(R"({"shards": [
    {"name": "xihu", "address": "localhost:1", "regionPrefixes": ["330106"]}]})")));
  topology.set_scoring_shard_map(dir + "/scoring.json");
  EXPECT_THAT(services::ConnectInspectionPeers(topology).status(),
              ::regulation::testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                              HasSubstr("names no shard shangcheng")));
}

TEST_F(InspectiondTest, WithThePeerDownACommitIsUnavailableNamingIt) {
  peer_->Shutdown(absl::Now());
  v1::Commitment commitment;
  const grpc::Status status = CreateAndCommit(*inspectiond_, &commitment);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("portrait service"));
}

}  // namespace
}  // namespace regulation
