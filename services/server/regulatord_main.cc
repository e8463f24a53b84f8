// regulatord: all four regulation.v1 services in one process, on one port, over one
// embedded RocksDB under --data_dir.
//
//   regulatord --listen=localhost:50051 --data_dir=./data
//
// SIGINT or SIGTERM stops accepting calls, lets calls in flight finish (up to
// --drain_seconds), then closes RocksDB cleanly.

#include <pthread.h>
#include <signal.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "services/access/identity.h"
#include "services/server/regulation_server.h"
#include "storage/rocksdb_store.h"

ABSL_FLAG(std::string, listen, "localhost:50051", "host:port to serve on");
ABSL_FLAG(std::string, data_dir, "./data", "directory for the RocksDB database");
ABSL_FLAG(int, drain_seconds, 10, "on SIGINT/SIGTERM, how long calls in flight may take to finish");

namespace regulation {
namespace {

int Run() {
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) {
    LogError(absl::StrCat("cannot create --data_dir ", data_dir, ": ", error.message()));
    return 1;
  }

  // Block the stop signals in every thread; this one waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  storage::RocksDbOptions db_options;
  db_options.path = (std::filesystem::path(data_dir) / "rocksdb").string();
  absl::StatusOr<std::unique_ptr<storage::KvStore>> store = storage::OpenRocksDbStore(db_options);
  if (!store.ok()) {
    LogError(absl::StrCat("cannot open the database: ", store.status().ToString()));
    return 1;
  }

  access::LocalOperatorResolver identity;
  services::ServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.identity = &identity;
  absl::StatusOr<std::unique_ptr<services::RegulationServer>> server =
      services::RegulationServer::Start(std::move(*store), options);
  if (!server.ok()) {
    LogError(server.status().ToString());
    return 1;
  }
  LogInfo(absl::StrCat("serving regulation.v1 on ", options.listen_address, " (port ",
                       (*server)->port(), "), data in ", db_options.path));
  LogWarning(
      "callers are not authenticated: every caller acts as the local operator; listen "
      "on loopback only");

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  LogInfo(absl::StrCat("signal ", signal_number, ": draining calls in flight"));
  (*server)->Shutdown(absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_drain_seconds)));
  server->reset();
  LogInfo("stopped; database closed");
  return 0;
}

}  // namespace
}  // namespace regulation

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Serves the regulation.v1 gRPC services.\n  regulatord --listen=localhost:50051 "
      "--data_dir=./data");
  absl::ParseCommandLine(argc, argv);
  regulation::SetLogProgramName("regulatord");
  return regulation::Run();
}
