// The population a plan's commit reads (population_feed.h): the join over gRPC clients of
// portrait's and scoring's halves (inspectiond) gives exactly the rows of the join over
// one store (regulatord), for a generated population with gaps on both sides and batch
// sizes that do not divide it; a peer that is down fails the pass naming it.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/enterprise.pb.h"
#include "regulation/v1/scoring.pb.h"
#include "scheduler/testing/draw_fixtures.h"
#include "services/seams/local_population.h"
#include "services/seams/peer_channel.h"
#include "services/seams/population_feed_client.h"
#include "services/seams/population_feed_service.h"
#include "services/seams/testing/loopback_server.h"
#include "services/seams/testing/population_rows.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using storage::ColumnFamily;
using ::testing::HasSubstr;
using testing::LoopbackServer;
using testing::ReadPopulation;

constexpr int kEnterprises = 5000;

class PopulationFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Enterprises in three regions, statuses varying; about 70% scored, and some scores
    // for codes no longer in the directory (the class stream has rows the join skips).
    std::mt19937 random(20261206);
    storage::WriteBatch everything, portrait, scoring;
    for (int i = 0; i < kEnterprises; ++i) {
      const std::string region = i % 3 == 0 ? "330106" : i % 3 == 1 ? "330102" : "440103";
      v1::Enterprise e;
      e.set_credit_code(scheduler::testing::TestCreditCode(i, region));
      e.set_region_code(region);
      e.set_industry_code(i % 5 == 0 ? "F5211" : "C1310");
      e.set_status(i % 11 == 0 ? v1::ENTERPRISE_STATUS_DEREGISTERED
                               : v1::ENTERPRISE_STATUS_OPERATING);
      const bool in_directory = random() % 20 != 0;
      if (in_directory) {
        everything.Put(ColumnFamily::kEnterprises, e.credit_code(), e.SerializeAsString());
        portrait.Put(ColumnFamily::kEnterprises, e.credit_code(), e.SerializeAsString());
      }
      if (random() % 10 < 7) {
        v1::RiskScore score;
        score.set_credit_code(e.credit_code());
        score.set_risk_class(static_cast<v1::RiskClass>(1 + random() % 4));
        everything.Put(ColumnFamily::kScores, e.credit_code(), score.SerializeAsString());
        scoring.Put(ColumnFamily::kScores, e.credit_code(), score.SerializeAsString());
      }
    }
    ASSERT_OK(one_store_->Write(everything));
    ASSERT_OK(portrait_store_->Write(portrait));
    ASSERT_OK(scoring_store_->Write(scoring));
    remote_portrait_ =
        std::make_unique<GrpcPortraitPopulation>(*portrait_server_.Channel(PopulationFeedServiceConfig()));
    remote_classes_ =
        std::make_unique<GrpcStoredClasses>(*scoring_server_.Channel(PopulationFeedServiceConfig()));
    remote_ = std::make_unique<PopulationFeed>(remote_portrait_.get(), remote_classes_.get());
  }

  static std::string Describe(const PopulationRow& row) {
    return absl::StrCat(row.credit_code, " ", row.region_code, " ", row.industry_code, " ",
                        row.status, " ", row.model_class, " ", row.official_class, " ",
                        row.dishonest_listed);
  }

  // regulatord: both halves over one store.
  std::unique_ptr<storage::KvStore> one_store_ = storage::NewMemoryStore();
  LocalPopulationFeed local_{one_store_.get()};
  // inspectiond: each half in its own service over its own store.
  std::unique_ptr<storage::KvStore> portrait_store_ = storage::NewMemoryStore();
  std::unique_ptr<storage::KvStore> scoring_store_ = storage::NewMemoryStore();
  LocalPortraitPopulation portrait_half_{portrait_store_.get()};
  LocalStoredClasses scoring_half_{scoring_store_.get()};
  PortraitPopulationServiceImpl portrait_service_{&portrait_half_};
  StoredClassServiceImpl scoring_service_{&scoring_half_};
  LoopbackServer portrait_server_{{&portrait_service_}};
  LoopbackServer scoring_server_{{&scoring_service_}};
  std::unique_ptr<GrpcPortraitPopulation> remote_portrait_;
  std::unique_ptr<GrpcStoredClasses> remote_classes_;
  std::unique_ptr<PopulationFeed> remote_;
};

TEST_F(PopulationFeedTest, OverGrpcTheJoinedRowsAreThoseOfOneStore) {
  for (const std::string prefix : {"", "3301", "440103"}) {
    for (int batch_size : {1, 97, 4096}) {
      PopulationQuery query;
      query.region_prefix = prefix;
      query.batch_size = batch_size;
      ASSERT_OK_AND_ASSIGN(std::vector<PopulationRow> here, ReadPopulation(local_.feed(), query));
      ASSERT_OK_AND_ASSIGN(std::vector<PopulationRow> there, ReadPopulation(remote_.get(), query));
      ASSERT_EQ(there.size(), here.size()) << prefix << " " << batch_size;
      ASSERT_GT(here.size(), 1000u);
      int scored = 0;
      for (size_t i = 0; i < here.size(); ++i) {
        ASSERT_EQ(Describe(there[i]), Describe(here[i])) << i;
        if (i > 0) {
          EXPECT_LT(here[i - 1].credit_code, here[i].credit_code);
        }
        EXPECT_TRUE(prefix.empty() || here[i].region_code.rfind(prefix, 0) == 0);
        if (here[i].model_class != 0) ++scored;
      }
      // Both sides of the join have gaps: some rows scored, some not.
      EXPECT_GT(scored, static_cast<int>(here.size()) / 2);
      EXPECT_LT(scored, static_cast<int>(here.size()));
    }
  }
}

TEST_F(PopulationFeedTest, EnterpriseLookupsOverGrpcMarkTheAbsentOnesNotFound) {
  std::vector<std::string> codes;
  for (int i = 0; i < 9000; i += 3) codes.push_back(scheduler::testing::TestCreditCode(i, "330106"));
  codes.push_back("91330106MA00000000");  // not a generated code
  ASSERT_OK_AND_ASSIGN(auto here, local_.feed()->GetEnterprises(codes));
  ASSERT_OK_AND_ASSIGN(auto there, remote_->GetEnterprises(codes));  // several calls
  ASSERT_EQ(there.size(), codes.size());
  int found = 0;
  for (size_t i = 0; i < codes.size(); ++i) {
    ASSERT_EQ(there[i].status().code(), here[i].status().code()) << codes[i];
    if (here[i].ok()) {
      ++found;
      EXPECT_EQ(there[i]->SerializeAsString(), here[i]->SerializeAsString());
    } else {
      EXPECT_THAT(there[i].status(), StatusIs(absl::StatusCode::kNotFound));
    }
  }
  EXPECT_GT(found, 1000);
  EXPECT_FALSE(there.back().ok());
}

TEST_F(PopulationFeedTest, APeerThatIsDownFailsThePassNamingIt) {
  PopulationQuery query;
  scoring_server_.Stop();
  EXPECT_THAT(ReadPopulation(remote_.get(), query),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("scoring service")));
  portrait_server_.Stop();
  EXPECT_THAT(remote_->GetEnterprises({scheduler::testing::TestCreditCode(1, "330106")}).status(),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("portrait service")));
}

TEST_F(PopulationFeedTest, ABadBatchSizeIsRefusedNamingTheField) {
  PopulationQuery query;
  query.batch_size = 0;
  EXPECT_THAT(ReadPopulation(remote_.get(), query),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("batch_size")));
}

}  // namespace
}  // namespace regulation::services
