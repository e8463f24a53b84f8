#ifndef SERVICES_TELEMETRY_METRICS_ENDPOINT_H_
#define SERVICES_TELEMETRY_METRICS_ENDPOINT_H_

// The HTTP listener Prometheus scrapes: GET /metrics in the text exposition format,
// on its own port (regulatord --metrics_listen, default localhost:9464), apart from the
// gRPC port and its mutual TLS. It serves plain HTTP: keep it on loopback and let a
// local Prometheus (or an authenticating reverse proxy) reach it; to expose it on a
// network, bind it to that interface and restrict access with a firewall
// (docs/operations.md, "Metrics").
//
// Thread safety: safe; the listener has its own threads.
// Ownership: the collectables are held weakly; whoever owns them keeps them alive.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "prometheus/collectable.h"
#include "prometheus/exposer.h"

namespace regulation::telemetry {

class MetricsEndpoint {
 public:
  // Listens on `address` (host:port; port 0 picks a free one) and serves `collectables`
  // at /metrics. UNAVAILABLE when the address cannot be bound; INVALID_ARGUMENT for an
  // address without a port.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      const std::string& address,
      const std::vector<std::weak_ptr<prometheus::Collectable>>& collectables);

  // The port bound.
  int port() const { return port_; }

 private:
  MetricsEndpoint(std::unique_ptr<prometheus::Exposer> exposer, int port)
      : exposer_(std::move(exposer)), port_(port) {}

  const std::unique_ptr<prometheus::Exposer> exposer_;
  const int port_;
};

}  // namespace regulation::telemetry

#endif  // SERVICES_TELEMETRY_METRICS_ENDPOINT_H_
