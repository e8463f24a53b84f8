// Load generator: regulatord under N concurrent callers over mutual TLS, against a bare
// gRPC echo server on the same loopback (the unary ceiling), and under the flood of
// issue 12. Starts its own PKI, regulatord and echo server as child processes (the last
// line printed is one JSON object):
//
//   bazel run --config=opt //tools/bench:load -- --callers=16 --seconds=20
//       --mix=read:70,write:20,ingest:5,watch:5      (one command line)
//   bazel run --config=opt //tools/bench:load -- --flood --flood_streams=1000
//       --flood_stalled=500                          (one command line)
//
// Load mode reports, per operation (read, write, ingest, watch): count, throughput,
// p50/p99/p999 latency and errors by code; the server's peak threads, resident memory and
// file descriptors; and the unary ceiling: GetEnterprise against Echo with the same callers,
// and their ratio. Flood mode reports what flood.h says.

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "echo.grpc.pb.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "tests/testing/enterprises.h"
#include "tools/bench/bench_support.h"
#include "tools/bench/closed_loop.h"
#include "tools/bench/echo_server.h"
#include "tools/bench/flood.h"
#include "tools/bench/load_mix.h"
#include "tools/bench/load_pki.h"

ABSL_FLAG(int, callers, 16, "concurrent callers, each with its own identities and connection");
ABSL_FLAG(int, seconds, 20, "length of the mixed run");
ABSL_FLAG(std::string, mix, "read:70,write:20,ingest:5,watch:5",
          "relative weights of read, write, ingest and watch operations");
ABSL_FLAG(int, ceiling_seconds, 10, "length of each unary ceiling run (regulatord, then echo)");
ABSL_FLAG(int, enterprises, 2000, "enterprises loaded before the run");
ABSL_FLAG(int, ingest_batch, 100, "events per ingest operation");
ABSL_FLAG(std::string, server_flags, "",
          "extra regulatord flags, space-separated (e.g. --write_rate_per_identity=0)");
ABSL_FLAG(bool, flood, false, "run the flood instead of the load");
ABSL_FLAG(int, flood_streams, 1000, "WatchAssignments streams one identity opens");
ABSL_FLAG(int, flood_stalled, 500, "connections that start a TLS handshake and stall");
ABSL_FLAG(int, flood_seconds, 20, "length of the flood (longer than the handshake timeout)");
ABSL_FLAG(bool, echo_server, false, "internal: run as the echo server (with --tls_dir)");
ABSL_FLAG(std::string, tls_dir, "", "internal: the echo server's TLS directory");
ABSL_FLAG(std::string, work_dir, "", "where the PKI and database go (default: a new /tmp dir)");

namespace regulation::bench {
namespace {

std::string WorkDir() {
  std::string dir = absl::GetFlag(FLAGS_work_dir);
  if (dir.empty()) {
    char pattern[] = "/tmp/regulation-load-XXXXXX";
    dir = mkdtemp(pattern);
  }
  std::filesystem::create_directories(dir);
  return dir;
}

absl::StatusOr<ServerProcess> StartRegulatord(const char* argv0, const std::string& dir,
                                              const BenchPki& pki) {
  std::vector<std::string> args = {"--listen=localhost:0", "--data_dir=" + dir + "/data",
                                   "--tls_dir=" + pki.server_tls_dir()};
  for (absl::string_view flag :
       absl::StrSplit(absl::GetFlag(FLAGS_server_flags), ' ', absl::SkipEmpty())) {
    args.emplace_back(flag);
  }
  return ServerProcess::StartWith(Runfile(argv0, "services/server/regulatord"), std::move(args),
                                  dir + "/regulatord.log");
}

// Loads the directory the callers read and write (region 330106, inside agency "33").
std::vector<v1::Enterprise> LoadDirectory(const BenchPki& pki, const std::string& target) {
  auto admin = v1::PortraitService::NewStub(
      pki.Channel(target, pki.Issue(AdminRequest("load-admin")).value(), 0));
  std::vector<v1::Enterprise> directory;
  const int n = absl::GetFlag(FLAGS_enterprises);
  for (int start = 0; start < n; start += 1000) {
    v1::BatchUpsertEnterprisesRequest request;
    for (int i = start; i < std::min(n, start + 1000); ++i) {
      *request.add_enterprises() = testing::MakeEnterprise("330106", i);
      directory.push_back(request.enterprises(request.enterprises_size() - 1));
    }
    grpc::ClientContext context;
    v1::BatchUpsertEnterprisesResponse response;
    const grpc::Status status = admin->BatchUpsertEnterprises(&context, request, &response);
    if (!status.ok()) {
      std::fprintf(stderr, "loading the directory: %s\n", status.error_message().c_str());
      std::exit(1);
    }
  }
  return directory;
}

// Samples the server every 200 ms while alive; the peaks.
class Sampler {
 public:
  explicit Sampler(const ServerProcess* server)
      : server_(server), thread_([this] {
          while (!done_) {
            const int threads = server_->Threads();
            const int fds = server_->OpenFds();
            {
              absl::MutexLock lock(&mu_);
              max_threads_ = std::max(max_threads_, threads);
              max_fds_ = std::max(max_fds_, fds);
            }
            absl::SleepFor(absl::Milliseconds(200));
          }
        }) {}
  ~Sampler() { Stop(); }
  void Stop() {
    if (thread_.joinable()) {
      done_ = true;
      thread_.join();
    }
  }
  std::string Json() {
    absl::MutexLock lock(&mu_);
    return absl::StrFormat(R"({"peak_rss_mb":%.1f,"max_threads":%d,"max_fds":%d})",
                           server_->PeakRssMb(), max_threads_, max_fds_);
  }

 private:
  const ServerProcess* const server_;
  std::atomic<bool> done_{false};
  absl::Mutex mu_;
  int max_threads_ ABSL_GUARDED_BY(mu_) = 0;
  int max_fds_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

int RunLoadMode(const char* argv0, const std::string& dir, const BenchPki& pki) {
  absl::StatusOr<Mix> mix = ParseMix(absl::GetFlag(FLAGS_mix));
  if (!mix.ok()) {
    std::fprintf(stderr, "%s\n", mix.status().ToString().c_str());
    return 2;
  }
  absl::StatusOr<ServerProcess> server = StartRegulatord(argv0, dir, pki);
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.status().ToString().c_str());
    return 1;
  }
  absl::StatusOr<ServerProcess> echo = ServerProcess::StartWith(
      Runfile(argv0, "tools/bench/load"), {"--echo_server", "--tls_dir=" + pki.server_tls_dir()},
      dir + "/echo.log");
  if (!echo.ok()) {
    std::fprintf(stderr, "%s\n", echo.status().ToString().c_str());
    return 1;
  }
  const std::string target = absl::StrCat("localhost:", server->port());
  const std::string echo_target = absl::StrCat("localhost:", echo->port());
  const std::vector<v1::Enterprise> directory = LoadDirectory(pki, target);

  const int n = absl::GetFlag(FLAGS_callers);
  std::vector<CallerStubs> callers(n);
  std::vector<std::unique_ptr<Echo::Stub>> echo_stubs;
  for (int c = 0; c < n; ++c) {
    const pki::KeyAndCertificate agency =
        pki.Issue(AgencyRequest(absl::StrCat("load-agency-", c), "33")).value();
    const pki::KeyAndCertificate inspector =
        pki.Issue(InspectorRequest(absl::StrCat("load-inspector-", c), absl::StrCat("LOAD-", c)))
            .value();
    callers[c].agency = v1::PortraitService::NewStub(pki.Channel(target, agency, 10 + c));
    callers[c].inspector = v1::InspectionService::NewStub(pki.Channel(target, inspector, 10 + c));
    echo_stubs.push_back(Echo::NewStub(pki.Channel(echo_target, agency, 10 + c)));
  }

  // The unary ceiling: the same callers, GetEnterprise against Echo.
  const absl::Duration ceiling = absl::Seconds(absl::GetFlag(FLAGS_ceiling_seconds));
  Mix reads_only{1, 0, 0, 0};
  MixedLoad read_load({reads_only}, &callers, directory);
  const absl::Duration read_elapsed = RunClosedLoop(
      n, ceiling, [&](int c, SplitMix64& rng) { read_load.Step(c, rng); });
  OpStats echo_stats;
  const std::string payload(120, 'x');  // about the size of a GetEnterprise request
  const absl::Duration echo_elapsed = RunClosedLoop(n, ceiling, [&](int c, SplitMix64&) {
    grpc::ClientContext context;
    EchoMessage request, response;
    request.set_payload(payload);
    const absl::Time t = absl::Now();
    const grpc::Status status = echo_stubs[c]->Echo(&context, request, &response);
    echo_stats.Record(absl::Now() - t, status.error_code());
  });
  const double read_rate = static_cast<double>(read_load.read.ok()) / absl::ToDoubleSeconds(read_elapsed);
  const double echo_rate = static_cast<double>(echo_stats.ok()) / absl::ToDoubleSeconds(echo_elapsed);

  // The mixed run.
  Sampler sampler(&*server);
  MixedLoad load({*mix, absl::GetFlag(FLAGS_ingest_batch)}, &callers, directory);
  const absl::Duration elapsed =
      RunClosedLoop(n, absl::Seconds(absl::GetFlag(FLAGS_seconds)),
                    [&](int c, SplitMix64& rng) { load.Step(c, rng); });
  sampler.Stop();
  const int64_t total = load.read.count() + load.write.count() + load.ingest.count() +
                        load.watch.count();
  std::fprintf(stderr,
               "mixed: %d callers, %.1f s: read %s\n  write %s\n  ingest %s\n  watch %s\n"
               "ceiling: GetEnterprise %.0f/s, echo %.0f/s (ratio %.3f)\n",
               n, absl::ToDoubleSeconds(elapsed), load.read.Json(elapsed).c_str(),
               load.write.Json(elapsed).c_str(), load.ingest.Json(elapsed).c_str(),
               load.watch.Json(elapsed).c_str(), read_rate, echo_rate, read_rate / echo_rate);
  std::puts(absl::StrFormat(
                R"({"mode":"load","callers":%d,"seconds":%.1f,"mix":"%s","ops":{"read":%s,)"
                R"("write":%s,"ingest":%s,"watch":%s},"total_per_s":%.1f,"server":%s,)"
                R"("ceiling":{"seconds":%.1f,"regulatord_get_enterprise":%s,"echo":%s,)"
                R"("echo_server_peak_rss_mb":%.1f,"ratio":%.4f}})",
                n, absl::ToDoubleSeconds(elapsed), absl::GetFlag(FLAGS_mix),
                load.read.Json(elapsed), load.write.Json(elapsed), load.ingest.Json(elapsed),
                load.watch.Json(elapsed),
                static_cast<double>(total) / absl::ToDoubleSeconds(elapsed), sampler.Json(),
                absl::ToDoubleSeconds(ceiling), read_load.read.Json(read_elapsed),
                echo_stats.Json(echo_elapsed), echo->PeakRssMb(), read_rate / echo_rate)
                .c_str());
  return 0;
}

int RunFloodMode(const char* argv0, const std::string& dir, const BenchPki& pki) {
  absl::StatusOr<ServerProcess> server = StartRegulatord(argv0, dir, pki);
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.status().ToString().c_str());
    return 1;
  }
  const std::string target = absl::StrCat("localhost:", server->port());
  std::vector<std::string> codes;
  for (const v1::Enterprise& e : LoadDirectory(pki, target)) codes.push_back(e.credit_code());
  FloodOptions options;
  options.streams = absl::GetFlag(FLAGS_flood_streams);
  options.stalled_handshakes = absl::GetFlag(FLAGS_flood_stalled);
  options.duration = absl::Seconds(absl::GetFlag(FLAGS_flood_seconds));
  FloodResult result;
  RunFlood(options, *server, pki, target, codes, &result);
  std::puts(absl::StrFormat(R"({"mode":"flood","streams":%d,"stalled":%d,"result":%s})",
                            options.streams, options.stalled_handshakes, result.Json())
                .c_str());
  return 0;
}

int Run(const char* argv0) {
  if (absl::GetFlag(FLAGS_echo_server)) return RunEchoServer(absl::GetFlag(FLAGS_tls_dir));
  const std::string dir = WorkDir();
  absl::StatusOr<BenchPki> pki = BenchPki::Create(dir);
  if (!pki.ok()) {
    std::fprintf(stderr, "%s\n", pki.status().ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "work directory %s\n", dir.c_str());
  return absl::GetFlag(FLAGS_flood) ? RunFloodMode(argv0, dir, *pki)
                                    : RunLoadMode(argv0, dir, *pki);
}

}  // namespace
}  // namespace regulation::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return regulation::bench::Run(argv[0]);
}
