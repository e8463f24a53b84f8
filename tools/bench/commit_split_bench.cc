// The split commit's population read (issue 13 item 2; docs/deploy.md §5): what a plan's
// commit reads before it freezes anything, all-in-one and apart, in one run.
//   all-in-one: regulatord's PopulationFeed, both halves over one RocksDB store
//               (enterprises and scores), joined in process;
//   split:      inspectiond's, portrait's half (enterprises) and scoring's (scores) each
//               over its own RocksDB store behind its internal gRPC service on loopback,
//               read as two streams and joined by credit code.
// Both read every enterprise (about 85% scored) and must give the same rows (a checksum
// is compared). Wall and CPU seconds (this process: the servers run in it too) are
// printed, and the last line is one JSON object:
//   {"enterprises": ..., "local_s": ..., "local_cpu_s": ..., "split_s": ...,
//    "split_cpu_s": ..., "ratio": ..., "cpu_ratio": ...}
//
//   bazel run --config=opt //tools/bench:commit_split -- --enterprises=1000000

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "regulation/v1/enterprise.pb.h"
#include "regulation/v1/scoring.pb.h"
#include "services/access/access_interceptor.h"
#include "services/access/identity.h"
#include "services/seams/local_population.h"
#include "services/seams/peer_channel.h"
#include "services/seams/population_feed_client.h"
#include "services/seams/population_feed_service.h"
#include "storage/rocksdb_store.h"
#include "tools/bench/bench_support.h"

ABSL_FLAG(int64_t, enterprises, 1000000, "enterprises in the directory");
ABSL_FLAG(std::string, dir, "/tmp/commit_split_bench", "scratch directory (emptied)");

namespace regulation::bench {
namespace {

using storage::ColumnFamily;

std::unique_ptr<storage::KvStore> Open(const std::string& path) {
  storage::RocksDbOptions options;
  options.path = path;
  absl::StatusOr<std::unique_ptr<storage::KvStore>> store = storage::OpenRocksDbStore(options);
  if (!store.ok()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), store.status().ToString().c_str());
    std::exit(1);
  }
  return *std::move(store);
}

// Writes `n` enterprises to `enterprises` and their scores (about 85%) to `scores`.
void Generate(int64_t n, storage::KvStore* enterprises, storage::KvStore* scores) {
  SplitMix64 random(20261206);
  storage::WriteBatch e_batch, s_batch;
  const char* regions[] = {"330106", "330102", "330203", "330304", "330402"};
  for (int64_t i = 0; i < n; ++i) {
    v1::Enterprise e;
    const std::string region = regions[random.Below(5)];
    e.set_credit_code(absl::StrFormat("91%s%09dX", region, i));
    e.set_name(absl::StrCat("测试企业", i));
    e.set_region_code(region);
    e.set_industry_code(random.Below(3) == 0 ? "F5211" : "C1310");
    e.set_status(random.Below(20) == 0 ? v1::ENTERPRISE_STATUS_DEREGISTERED
                                       : v1::ENTERPRISE_STATUS_OPERATING);
    e_batch.Put(ColumnFamily::kEnterprises, e.credit_code(), e.SerializeAsString());
    if (random.Below(100) < 85) {
      v1::RiskScore score;
      score.set_credit_code(e.credit_code());
      score.set_risk_class(static_cast<v1::RiskClass>(1 + random.Below(4)));
      score.set_probability(0.01 * static_cast<double>(random.Below(100)));
      s_batch.Put(ColumnFamily::kScores, e.credit_code(), score.SerializeAsString());
    }
    if (e_batch.byte_size() > (8 << 20)) {
      if (!enterprises->Write(e_batch).ok() || !scores->Write(s_batch).ok()) std::exit(1);
      e_batch.Clear();
      s_batch.Clear();
    }
  }
  if (!enterprises->Write(e_batch).ok() || !scores->Write(s_batch).ok()) std::exit(1);
}

struct Pass {
  double wall_s = 0;
  double cpu_s = 0;
  int64_t rows = 0;
  uint64_t checksum = 0;
};

Pass Read(services::PopulationFeed* feed) {
  services::PopulationQuery query;
  query.region_prefix = "33";
  Pass pass;
  const double cpu = ProcessCpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  absl::Status status =
      feed->ForEachBatch(query, [&](absl::Span<const services::PopulationRow> rows) {
        for (const services::PopulationRow& row : rows) {
          ++pass.rows;
          pass.checksum = pass.checksum * 31 + static_cast<uint64_t>(row.model_class) +
                          static_cast<uint64_t>(row.status) * 7 + row.credit_code.size();
        }
        return absl::OkStatus();
      });
  pass.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  pass.cpu_s = ProcessCpuSeconds() - cpu;
  if (!status.ok()) {
    std::fprintf(stderr, "population pass: %s\n", status.ToString().c_str());
    std::exit(1);
  }
  return pass;
}

// A service on a free loopback port, as the local operator.
std::unique_ptr<grpc::Server> Serve(grpc::Service* service, const access::IdentityResolver* who,
                                    int* port) {
  access::AccessOptions access;
  access.resolver = who;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), port);
  builder.RegisterService(service);
  builder.experimental().SetInterceptorCreators(access::MakeAccessInterceptors(access));
  return builder.BuildAndStart();
}

std::shared_ptr<grpc::Channel> Channel(int port) {
  services::PeerChannelOptions options;
  options.address = absl::StrCat("127.0.0.1:", port);
  options.service_config_json = services::PopulationFeedServiceConfig();
  return *services::MakePeerChannel(options);
}

int Main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int64_t n = absl::GetFlag(FLAGS_enterprises);
  const std::string dir = absl::GetFlag(FLAGS_dir);
  std::filesystem::remove_all(dir);
  std::unique_ptr<storage::KvStore> one = Open(dir + "/all-in-one");
  std::unique_ptr<storage::KvStore> portrait = Open(dir + "/portrait");
  std::unique_ptr<storage::KvStore> scoring = Open(dir + "/scoring");
  Generate(n, one.get(), one.get());
  Generate(n, portrait.get(), scoring.get());
  std::fprintf(stderr, "generated %lld enterprises\n", static_cast<long long>(n));

  services::LocalPopulationFeed local(one.get());
  const Pass in_one = Read(local.feed());

  access::LocalOperatorResolver operator_identity;
  services::LocalPortraitPopulation portrait_half(portrait.get());
  services::LocalStoredClasses scoring_half(scoring.get());
  services::PortraitPopulationServiceImpl portrait_service(&portrait_half);
  services::StoredClassServiceImpl scoring_service(&scoring_half);
  int portrait_port = 0, scoring_port = 0;
  std::unique_ptr<grpc::Server> portrait_server =
      Serve(&portrait_service, &operator_identity, &portrait_port);
  std::unique_ptr<grpc::Server> scoring_server =
      Serve(&scoring_service, &operator_identity, &scoring_port);
  services::GrpcPortraitPopulation portrait_client(Channel(portrait_port));
  services::GrpcStoredClasses scoring_client(Channel(scoring_port));
  services::PopulationFeed split(&portrait_client, &scoring_client);
  const Pass apart = Read(&split);
  portrait_server->Shutdown();
  scoring_server->Shutdown();

  if (apart.rows != in_one.rows || apart.checksum != in_one.checksum) {
    std::fprintf(stderr, "the split pass read other rows: %lld vs %lld\n",
                 static_cast<long long>(apart.rows), static_cast<long long>(in_one.rows));
    return 1;
  }
  std::printf("enterprises %lld: all-in-one %.2f s (CPU %.2f s), split %.2f s (CPU %.2f s)\n",
              static_cast<long long>(n), in_one.wall_s, in_one.cpu_s, apart.wall_s, apart.cpu_s);
  std::printf(
      "{\"enterprises\": %lld, \"local_s\": %.3f, \"local_cpu_s\": %.3f, \"split_s\": %.3f, "
      "\"split_cpu_s\": %.3f, \"ratio\": %.3f, \"cpu_ratio\": %.3f}\n",
      static_cast<long long>(n), in_one.wall_s, in_one.cpu_s, apart.wall_s, apart.cpu_s,
      apart.wall_s / in_one.wall_s, apart.cpu_s / in_one.cpu_s);
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace regulation::bench

int main(int argc, char** argv) { return regulation::bench::Main(argc, argv); }
