#include "services/server/peers.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "pki/tls_files.h"
#include "services/seams/peer_channel.h"
#include "services/seams/portrait_feed_client.h"

namespace regulation::services {

absl::StatusOr<std::unique_ptr<PortraitFeed>> ConnectPortraitPeer(
    const internal::v1::Topology& topology) {
  if (topology.portrait_address().empty()) {
    return absl::InvalidArgumentError(
        "portrait_address: required in the peers file to serve scoring apart from portrait");
  }
  PeerChannelOptions channel;
  channel.address = topology.portrait_address();
  if (!topology.service_tls_dir().empty()) {
    REG_ASSIGN_OR_RETURN(pki::TlsFiles tls, pki::ReadTlsDir(topology.service_tls_dir()));
    channel.tls = std::move(tls);
  }
  channel.service_config_json = PortraitFeedServiceConfig();
  channel.health_service = "regulation.internal.v1.PortraitFeedService";
  absl::StatusOr<std::shared_ptr<grpc::Channel>> made = MakePeerChannel(channel);
  if (!made.ok()) {
    return absl::Status(made.status().code(),
                        absl::StrCat("portrait_address: ", made.status().message()));
  }
  PortraitFeedClientOptions options;
  if (topology.call_deadline_seconds() > 0) {
    options.call_deadline = absl::Seconds(topology.call_deadline_seconds());
  }
  if (topology.stream_deadline_seconds() > 0) {
    options.stream_deadline = absl::Seconds(topology.stream_deadline_seconds());
  }
  return std::make_unique<GrpcPortraitFeed>(*std::move(made), options);
}

}  // namespace regulation::services
