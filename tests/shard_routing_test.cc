// Region shards as an agency's tooling reaches them (issue 13 item 4): two regulation
// servers, each holding one province's enterprises, and regctl with a shard map. Calls
// about one enterprise go to its shard, lists merge the shards they span, and a shard that
// is down fails only its own region's calls, naming the shard.

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>
#include <sys/wait.h>

#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "services/access/identity.h"
#include "services/server/regulation_server.h"
#include "storage/rocksdb_store.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"
#include "tests/testing/enterprises.h"

namespace regulation {
namespace {

using ::regulation::testing::MakeCreditCode;
using ::testing::HasSubstr;
using ::testing::Not;

struct Ran {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

Ran Regctl(const std::string& arguments) {
  const std::string command = absl::StrCat(
      "REGCTL_TLS_DIR=/nonexistent tools/regctl/regctl --insecure_loopback ", arguments, " 2>&1");
  Ran ran;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return ran;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) ran.output.append(buffer, n);
  const int status = pclose(pipe);
  ran.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return ran;
}

// One shard: a regulation server over its own database, plaintext on loopback.
struct Shard {
  std::string data_dir = testing::NewTempDir();
  std::unique_ptr<services::RegulationServer> server;
  int port = 0;
};

class ShardRoutingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Start(&zhejiang_);
    Start(&jiangsu_);
    shards_file_ = testing::NewTempDir() + "/shards.json";
    ASSERT_OK(WriteFileAtomically(
        shards_file_,
        absl::StrCat(R"({"shards": [
          {"name": "zhejiang", "address": "localhost:)", zhejiang_.port, R"(", "regionPrefixes": ["33"]},
          {"name": "jiangsu", "address": "localhost:)", jiangsu_.port, R"(", "regionPrefixes": ["32"]}
        ]})")));
  }

  void Start(Shard* shard) {
    storage::RocksDbOptions db;
    db.path = shard->data_dir + "/rocksdb";
    absl::StatusOr<std::unique_ptr<storage::KvStore>> store = storage::OpenRocksDbStore(db);
    ASSERT_OK(store);
    services::ServerOptions options;
    options.listen_address = "localhost:0";
    options.identity = &identity_;
    options.credentials = grpc::InsecureServerCredentials();
    absl::StatusOr<std::unique_ptr<services::RegulationServer>> server =
        services::RegulationServer::Start(std::move(*store), options);
    ASSERT_OK(server);
    shard->server = std::move(*server);
    shard->port = shard->server->port();
  }

  // Whether `shard` itself holds `code`, asked directly rather than through the map.
  static bool Holds(const Shard& shard, const std::string& code) {
    auto stub = v1::PortraitService::NewStub(grpc::CreateChannel(
        absl::StrCat("localhost:", shard.port), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    v1::GetEnterpriseRequest request;
    request.set_credit_code(code);
    v1::Enterprise enterprise;
    return stub->GetEnterprise(&context, request, &enterprise).ok();
  }

  Ran Routed(const std::string& arguments) {
    return Regctl(absl::StrCat("--shards=", shards_file_, " ", arguments));
  }

  Ran Put(const std::string& code, const std::string& region) {
    return Routed(absl::StrCat("enterprise put --credit_code=", code, " --name=测试企业 --region=",
                               region, " --industry=C13 --established=2015-06-01"));
  }

  access::LocalOperatorResolver identity_;
  Shard zhejiang_, jiangsu_;
  std::string shards_file_;
};

TEST_F(ShardRoutingTest, EachEnterpriseIsKeptByItsRegionsShardAndListsMergeThem) {
  const std::string hangzhou = MakeCreditCode("330106", 1);
  const std::string nanjing = MakeCreditCode("320102", 2);
  const std::string ningbo = MakeCreditCode("330203", 3);
  for (const auto& [code, region] : {std::pair{hangzhou, "330106"}, std::pair{nanjing, "320102"},
                                     std::pair{ningbo, "330203"}}) {
    const Ran put = Put(code, region);
    ASSERT_EQ(put.exit_code, 0) << put.output;
  }
  EXPECT_TRUE(Holds(zhejiang_, hangzhou));
  EXPECT_TRUE(Holds(zhejiang_, ningbo));
  EXPECT_FALSE(Holds(jiangsu_, hangzhou));
  EXPECT_TRUE(Holds(jiangsu_, nanjing));
  EXPECT_FALSE(Holds(zhejiang_, nanjing));

  const Ran get = Routed(absl::StrCat("enterprise get ", nanjing));
  EXPECT_EQ(get.exit_code, 0) << get.output;
  EXPECT_THAT(get.output, HasSubstr(nanjing));

  // Both shards, merged in credit-code order (320102... before 330106...).
  const Ran all = Routed("enterprise list");
  ASSERT_EQ(all.exit_code, 0) << all.output;
  const size_t n = all.output.find(nanjing), h = all.output.find(hangzhou),
               b = all.output.find(ningbo);
  ASSERT_NE(n, std::string::npos);
  ASSERT_NE(h, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  EXPECT_LT(n, h);
  EXPECT_LT(h, b);

  const Ran zhejiang_only = Routed("enterprise list --region_prefix=33");
  ASSERT_EQ(zhejiang_only.exit_code, 0) << zhejiang_only.output;
  EXPECT_THAT(zhejiang_only.output, HasSubstr(hangzhou));
  EXPECT_THAT(zhejiang_only.output, Not(HasSubstr(nanjing)));
}

TEST_F(ShardRoutingTest, AShardThatIsDownFailsOnlyItsRegionNamingTheShard) {
  const std::string hangzhou = MakeCreditCode("330106", 1);
  const std::string nanjing = MakeCreditCode("320102", 2);
  ASSERT_EQ(Put(hangzhou, "330106").exit_code, 0);
  ASSERT_EQ(Put(nanjing, "320102").exit_code, 0);
  jiangsu_.server.reset();  // shuts down and closes its database

  const Ran down = Routed(absl::StrCat("enterprise get ", nanjing));
  EXPECT_EQ(down.exit_code, 3) << down.output;  // unreachable
  EXPECT_THAT(down.output, HasSubstr(absl::StrCat("UNAVAILABLE: shard jiangsu (localhost:",
                                                  jiangsu_.port, ")")));
  const Ran score = Routed(absl::StrCat("score get ", nanjing));
  EXPECT_EQ(score.exit_code, 3) << score.output;
  EXPECT_THAT(score.output, HasSubstr("shard jiangsu"));

  // Zhejiang's enterprises are served as before.
  const Ran up = Routed(absl::StrCat("enterprise get ", hangzhou));
  EXPECT_EQ(up.exit_code, 0) << up.output;
  EXPECT_THAT(up.output, HasSubstr(hangzhou));
  const Ran portrait = Routed(absl::StrCat("portrait get ", hangzhou));
  EXPECT_EQ(portrait.exit_code, 0) << portrait.output;
  EXPECT_EQ(Routed("enterprise list --region_prefix=33").exit_code, 0);

  // A list that spans the down shard fails rather than look complete without it.
  const Ran all = Routed("enterprise list");
  EXPECT_EQ(all.exit_code, 3) << all.output;
  EXPECT_THAT(all.output, HasSubstr("shard jiangsu"));
}

// A bulk import goes to the shards too: each row to its enterprise's shard; a shard that
// is down leaves its part to resume, and a rerun finishes it without repeating the rest.
TEST_F(ShardRoutingTest, ImportsSplitByShardAndResumeTheShardThatWasDown) {
  const std::string dir = testing::NewTempDir();
  const std::string csv = dir + "/enterprises.csv";
  std::string rows = "credit_code,name,region_code,industry_code,registered_capital_yuan,"
                     "establishment_date,status,address\n";
  const std::string codes[] = {MakeCreditCode("330106", 11), MakeCreditCode("320102", 12),
                               MakeCreditCode("330203", 13), MakeCreditCode("320205", 14)};
  const char* regions[] = {"330106", "320102", "330203", "320205"};
  for (int i = 0; i < 4; ++i) {
    absl::StrAppend(&rows, codes[i], ",测试企业", i, ",", regions[i], ",C13,100000,2015-06-01,"
                    "OPERATING,\n");
  }
  absl::StrAppend(&rows, MakeCreditCode("110105", 15), ",北京企业,110105,C13,0,2015-06-01,OPERATING,\n");
  ASSERT_OK(WriteFileAtomically(csv, rows));

  jiangsu_.server.reset();
  const Ran partly = Routed(absl::StrCat("import enterprises ", csv));
  EXPECT_EQ(partly.exit_code, 3) << partly.output;
  EXPECT_THAT(partly.output, HasSubstr("zhejiang 2, jiangsu 2; 1 routed to no shard"));
  EXPECT_THAT(partly.output, HasSubstr("region 110105: no shard holds it"));
  EXPECT_THAT(partly.output, HasSubstr("shard jiangsu"));
  EXPECT_TRUE(Holds(zhejiang_, codes[0]));
  EXPECT_TRUE(Holds(zhejiang_, codes[2]));

  // Jiangsu back (same database): the rerun reuses the split and imports its part.
  Start(&jiangsu_);
  ASSERT_OK(WriteFileAtomically(
      shards_file_,
      absl::StrCat(R"({"shards": [
        {"name": "zhejiang", "address": "localhost:)", zhejiang_.port, R"(", "regionPrefixes": ["33"]},
        {"name": "jiangsu", "address": "localhost:)", jiangsu_.port, R"(", "regionPrefixes": ["32"]}
      ]})")));
  const Ran rerun = Routed(absl::StrCat("import enterprises ", csv));
  EXPECT_THAT(rerun.output, HasSubstr("reusing its split by shard"));
  EXPECT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_TRUE(Holds(jiangsu_, codes[1]));
  EXPECT_TRUE(Holds(jiangsu_, codes[3]));
  EXPECT_FALSE(Holds(zhejiang_, codes[1]));
}

TEST_F(ShardRoutingTest, CodesNoShardCanServeAreRefusedBeforeAnyCall) {
  const Ran beijing = Routed(absl::StrCat("enterprise get ", MakeCreditCode("110105", 4)));
  EXPECT_EQ(beijing.exit_code, 1) << beijing.output;
  EXPECT_THAT(beijing.output, HasSubstr("NOT_FOUND: credit_code: region 110105: no shard"));

  std::string wrong_check = MakeCreditCode("330106", 5);
  wrong_check.back() = wrong_check.back() == '0' ? '1' : '0';
  const Ran malformed = Routed(absl::StrCat("enterprise get ", wrong_check));
  EXPECT_EQ(malformed.exit_code, 2) << malformed.output;
  EXPECT_THAT(malformed.output, HasSubstr("INVALID_ARGUMENT: credit_code"));

  const Ran unrouted = Routed("score distribution");
  EXPECT_EQ(unrouted.exit_code, 2) << unrouted.output;
  EXPECT_THAT(unrouted.output, HasSubstr("give --server instead"));

  const Ran bad_map = Regctl("--shards=/nonexistent/shards.json enterprise list");
  EXPECT_EQ(bad_map.exit_code, 2) << bad_map.output;
  EXPECT_THAT(bad_map.output, HasSubstr("--shards"));
}

}  // namespace
}  // namespace regulation
