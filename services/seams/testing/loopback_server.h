#ifndef SERVICES_SEAMS_TESTING_LOOPBACK_SERVER_H_
#define SERVICES_SEAMS_TESTING_LOOPBACK_SERVER_H_

// For tests of the seams between processes: a gRPC server on a loopback port serving
// internal services as their process would, behind the access interceptor, with every
// caller the local operator (who holds every role and may make every internal call), and
// the channel a peer process would open to it.
//
//   LoopbackServer portrait({&portrait_population_service});
//   GrpcPortraitPopulation remote(*portrait.Channel(PopulationFeedServiceConfig()));
//   portrait.Stop();  // the peer goes down: calls through the channel fail UNAVAILABLE
//
// Thread safety: construct, Stop and destroy on one thread; Channel from any.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "grpcpp/grpcpp.h"
#include "services/access/identity.h"

namespace regulation::services::testing {

class LoopbackServer {
 public:
  // Serves `services` (not owned; they must outlive the server) on 127.0.0.1:`port`, any
  // free port when 0 (a restarted peer passes the port it had). `clock` (optional, not
  // owned) is the access interceptor's, for tests that move time.
  explicit LoopbackServer(const std::vector<grpc::Service*>& services, int port = 0,
                          Clock* clock = nullptr);
  ~LoopbackServer() { Stop(); }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  // Shuts the server down at once (in-flight calls are cancelled). Idempotent.
  void Stop();
  // Whether it is serving (false after Stop, or when the port could not be bound).
  bool up() const { return server_ != nullptr && port_ != 0; }
  int port() const { return port_; }
  std::string address() const;

  // A peer's channel to it (services/seams/peer_channel.h) with `service_config_json`
  // (the retrying config of the service called, e.g. PopulationFeedServiceConfig()).
  absl::StatusOr<std::shared_ptr<grpc::Channel>> Channel(
      const std::string& service_config_json = "") const;

 private:
  access::LocalOperatorResolver operator_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace regulation::services::testing

#endif  // SERVICES_SEAMS_TESTING_LOOPBACK_SERVER_H_
