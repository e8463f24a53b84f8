#include "tools/bench/echo_server.h"

#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <pthread.h>
#include <signal.h>

#include <cstdio>

#include "echo.grpc.pb.h"
#include "pki/tls_files.h"
#include "services/server/tls_credentials.h"

namespace regulation::bench {
namespace {

class EchoService final : public Echo::Service {
  grpc::Status Echo(grpc::ServerContext*, const EchoMessage* request,
                    EchoMessage* response) override {
    *response = *request;
    return grpc::Status::OK;
  }
};

}  // namespace

int RunEchoServer(const std::string& tls_dir) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  absl::StatusOr<pki::TlsFiles> tls = pki::ReadTlsDir(tls_dir);
  if (!tls.ok()) {
    std::fprintf(stderr, "echo server: %s\n", tls.status().ToString().c_str());
    return 2;
  }
  EchoService service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("localhost:0", services::MutualTlsServerCredentials(*tls), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "echo server: cannot listen\n");
    return 1;
  }
  std::fprintf(stderr, "echo server (port %d)\n", port);
  std::fflush(stderr);
  int signal_number = 0;
  sigwait(&stop, &signal_number);
  server->Shutdown();
  return 0;
}

}  // namespace regulation::bench
