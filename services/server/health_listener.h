#ifndef SERVICES_SERVER_HEALTH_LISTENER_H_
#define SERVICES_SERVER_HEALTH_LISTENER_H_

// A second, plaintext gRPC listener that serves only grpc.health.v1.Health, for probes
// that cannot speak mutual TLS: Kubernetes' gRPC liveness and readiness probes connect in
// plaintext and present no certificate. It tells nothing but "serving" or "not serving"
// (overall and per service name), and serves no regulation RPC, so it may listen beyond
// loopback (docs/deploy.md, "Probes").
//
// The status is the one the owner sets: regulatord marks it serving once the main
// listener is up, and not serving when it starts to drain, so that a readiness probe
// takes the pod out of its Service before calls stop being answered.
//
// Thread safety: SetServing may be called from any thread; Start and the destructor
// from one.

#include <grpcpp/server.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace regulation::services {

class HealthListener {
 public:
  // Listens on `address` (host:port; port 0 picks a free one) in plaintext and answers
  // for the overall server ("") and for each of `service_names`, all NOT_SERVING until
  // SetServing(true); other names are NOT_FOUND. INVALID_ARGUMENT for an empty address;
  // UNAVAILABLE when it cannot be bound.
  static absl::StatusOr<std::unique_ptr<HealthListener>> Start(
      const std::string& address, std::vector<std::string> service_names);

  // Ends open Watch streams and stops listening.
  ~HealthListener();

  // Every name (and the overall status) becomes SERVING, or NOT_SERVING.
  void SetServing(bool serving);

  // The bound port.
  int port() const { return port_; }

 private:
  class HealthService;
  HealthListener() = default;

  std::unique_ptr<HealthService> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace regulation::services

#endif  // SERVICES_SERVER_HEALTH_LISTENER_H_
