// The flood of issue 12, small and fast, against a real regulatord child process with its
// default limits except a short handshake deadline: one identity opens 200 watch streams
// and 50 connections stall in the TLS handshake, while another identity's calls are all
// answered, the server's threads stay bounded, and the stalled connections are closed.

#include "tools/bench/flood.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"
#include "tests/testing/enterprises.h"
#include "tools/bench/bench_support.h"
#include "tools/bench/load_pki.h"

namespace regulation::bench {
namespace {

TEST(Flood, OneIdentityIsRefusedPastItsLimitWhileAnotherIsServed) {
  const std::string dir = testing::NewTempDir();
  absl::StatusOr<BenchPki> pki = BenchPki::Create(dir);
  ASSERT_OK(pki);
  absl::StatusOr<ServerProcess> server = ServerProcess::StartWith(
      absl::StrCat(std::getenv("TEST_SRCDIR"), "/regulation/services/server/regulatord"),
      {"--listen=localhost:0", "--data_dir=" + dir + "/data", "--tls_dir=" + pki->server_tls_dir(),
       "--handshake_timeout_seconds=1"},
      dir + "/regulatord.log");
  ASSERT_OK(server);
  const std::string target = absl::StrCat("localhost:", server->port());

  auto admin = v1::PortraitService::NewStub(
      pki->Channel(target, pki->Issue(AdminRequest("admin")).value(), 0));
  v1::BatchUpsertEnterprisesRequest request;
  std::vector<std::string> codes;
  for (int i = 0; i < 20; ++i) {
    *request.add_enterprises() = testing::MakeEnterprise("330106", i);
    codes.push_back(request.enterprises(i).credit_code());
  }
  grpc::ClientContext context;
  v1::BatchUpsertEnterprisesResponse response;
  ASSERT_OK(admin->BatchUpsertEnterprises(&context, request, &response));

  FloodOptions options;
  options.streams = 200;
  options.stalled_handshakes = 50;
  options.duration = absl::Seconds(4);
  FloodResult result;
  RunFlood(options, *server, *pki, target, codes, &result);
  std::fprintf(stderr, "%s\n", result.Json().c_str());

  EXPECT_EQ(result.streams_admitted, 16) << "--max_streams_per_identity's default";
  EXPECT_EQ(result.streams_refused.at("RESOURCE_EXHAUSTED"), 184);
  EXPECT_EQ(result.stalled_opened, 50);
  EXPECT_EQ(result.stalled_closed, 50) << "closed by the 1 s handshake deadline";
  EXPECT_GT(result.well_behaved.count(), 0);
  EXPECT_EQ(result.well_behaved.ok(), result.well_behaved.count())
      << "every call of the well-behaved identity answered";
  // Before the limits, every stream held a thread (1,000 streams: 1,020 threads).
  EXPECT_LT(result.peak.threads, 100);
}

}  // namespace
}  // namespace regulation::bench
