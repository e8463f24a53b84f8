#ifndef SERVICES_SERVER_PEERS_H_
#define SERVICES_SERVER_PEERS_H_

// The peers of a service run apart (docs/deploy.md): its configuration file
// (regulation.internal.v1.Topology, text format) and the clients it makes from it.
//
// Thread safety: the functions are thread-safe; the clients are safe for concurrent use.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "regulation/internal/v1/topology.pb.h"
#include "absl/time/time.h"
#include "services/seams/enterprise_history.h"
#include "services/seams/inspection_feed.h"
#include "services/seams/portrait_feed.h"

namespace regulation::services {

// Parses the file at `path`. INVALID_ARGUMENT naming the file and protobuf's complaint
// (line and column) when it does not parse; NOT_FOUND when there is no such file.
absl::StatusOr<internal::v1::Topology> LoadTopology(const std::string& path);

// A client of the portrait service at `topology.portrait_address`, authenticated with
// the service identity in `topology.service_tls_dir` (plaintext to a loopback address
// when empty), health-checked, with the deadlines and the retry policy of
// portrait_feed_client.h. INVALID_ARGUMENT when the address is missing, or plaintext is
// asked for a non-loopback address; ReadTlsDir's statuses for the TLS directory. The
// peer is reached lazily: a peer that is down fails the calls (UNAVAILABLE naming it),
// not the start.
absl::StatusOr<std::unique_ptr<PortraitFeed>> ConnectPortraitPeer(
    const internal::v1::Topology& topology);

// disclosured's peers, made as ConnectPortraitPeer's (service identity, health checks,
// deadlines, retries of these read-only or idempotent calls; reached lazily):
// plans and assignments from the inspection service at `topology.inspection_address`
// (INVALID_ARGUMENT "inspection_address: ..." when missing) ...
absl::StatusOr<std::unique_ptr<InspectionFeed>> ConnectInspectionPeer(
    const internal::v1::Topology& topology);
// ... and enterprise names and results' history events from and to the portrait service
// at `topology.portrait_address`.
absl::StatusOr<std::unique_ptr<EnterpriseHistory>> ConnectHistoryPeer(
    const internal::v1::Topology& topology);
// Seconds between history catch-up attempts (Topology.history_retry_seconds; 0: 30).
absl::Duration HistoryRetryInterval(const internal::v1::Topology& topology);

}  // namespace regulation::services

#endif  // SERVICES_SERVER_PEERS_H_
