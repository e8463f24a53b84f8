#ifndef SERVICES_SERVER_PEERS_H_
#define SERVICES_SERVER_PEERS_H_

// The peers of a service run apart (docs/deploy.md): its configuration file
// (regulation.internal.v1.Topology, text format) and the clients it makes from it.
//
// Thread safety: the functions are thread-safe; the clients are safe for concurrent use.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "disclosure/publication_queue.h"
#include "regulation/internal/v1/topology.pb.h"
#include "services/seams/alert_feed.h"
#include "services/seams/draw_bundles.h"
#include "services/seams/enterprise_history.h"
#include "services/seams/inspection_feed.h"
#include "services/seams/population_feed.h"
#include "services/seams/portrait_feed.h"
#include "services/shards/shard_map.h"
#include "services/server/topology_file.h"
#include "storage/kv_store.h"

namespace regulation::services {

// A client of the portrait service at `topology.portrait_address`, authenticated with
// the service identity in `topology.service_tls_dir` (plaintext to a loopback address
// when empty), health-checked, with the deadlines and the retry policy of
// portrait_feed_client.h. INVALID_ARGUMENT when the address is missing, or plaintext is
// asked for a non-loopback address; ReadTlsDir's statuses for the TLS directory. The
// peer is reached lazily: a peer that is down fails the calls (UNAVAILABLE naming it),
// not the start.
absl::StatusOr<std::unique_ptr<PortraitFeed>> ConnectPortraitPeer(
    const internal::v1::Topology& topology);

// inspectiond's peers: the population feed joining clients of the portrait service at
// `topology.portrait_address` and the scoring service at `topology.scoring_address`, and
// the disclosure log at `topology.disclosure_address` (the service that serves it),
// authenticated and health-checked as ConnectPortraitPeer's, with the deadlines and the
// retry policy of population_feed_client.h.
struct InspectionPeers {
  std::unique_ptr<PortraitPopulation> portrait;
  std::unique_ptr<StoredClasses> scoring;
  // Over region shards (Topology.portrait_shard_map): the map, and each shard's clients,
  // which `portrait` and `scoring` merge.
  std::unique_ptr<ShardMap> shard_map;
  std::vector<std::unique_ptr<PortraitPopulation>> shard_portraits;
  std::vector<std::unique_ptr<StoredClasses>> shard_classes;
  // Joins the two above.
  std::unique_ptr<PopulationFeed> population;
  // Makes the writer the server's publication queue appends through: a client of the
  // LogAppendService at `topology.disclosure_address` (log_append_client.h), over the
  // server's store.
  std::function<std::unique_ptr<disclosure::LogWriter>(storage::KvStore*)> log;
};

// INVALID_ARGUMENT naming the field for a missing address or plaintext to a
// non-loopback one, or for shard maps that cannot be read or do not name the same
// shards; ReadTlsDir's statuses. Peers are reached lazily, as above.
absl::StatusOr<InspectionPeers> ConnectInspectionPeers(const internal::v1::Topology& topology);
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
// ... and the draw rounds and bundles of draw records, from the inspection service.
absl::StatusOr<std::unique_ptr<DrawBundles>> ConnectDrawBundlePeer(
    const internal::v1::Topology& topology);
// Seconds between history catch-up attempts (Topology.history_retry_seconds; 0: 30).
absl::Duration HistoryRetryInterval(const internal::v1::Topology& topology);

// scoringd's other peer, where the alerts live: a client of the AlertFeedService at
// `topology.portrait_address` (alert_feed_client.h), made as ConnectPortraitPeer's
// (service identity, health checks, the call deadline, retries on UNAVAILABLE; reached
// lazily). INVALID_ARGUMENT "portrait_address: ..." when missing.
absl::StatusOr<std::unique_ptr<AlertFeed>> ConnectAlertFeedPeer(
    const internal::v1::Topology& topology);

}  // namespace regulation::services

#endif  // SERVICES_SERVER_PEERS_H_
