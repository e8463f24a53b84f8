#include "services/server/peers.h"

#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "common/status_macros.h"
#include "pki/tls_files.h"
#include "services/seams/alert_feed_client.h"
#include "services/seams/log_append_client.h"
#include "services/seams/peer_channel.h"
#include "services/seams/population_feed_client.h"
#include "services/seams/draw_bundles_client.h"
#include "services/seams/enterprise_history_client.h"
#include "services/seams/inspection_feed_client.h"
#include "services/seams/portrait_feed_client.h"
#include "services/shards/sharded_population.h"

namespace regulation::services {
namespace {

// A channel to the peer at `address` (the Topology field `field`), as this service's
// identity in `topology.service_tls_dir`.
absl::StatusOr<std::shared_ptr<grpc::Channel>> PeerChannel(const internal::v1::Topology& topology,
                                                           absl::string_view field,
                                                           const std::string& address,
                                                           const std::string& service_config,
                                                           const std::string& health_service) {
  PeerChannelOptions channel;
  channel.address = address;
  if (!topology.service_tls_dir().empty()) {
    REG_ASSIGN_OR_RETURN(pki::TlsFiles tls, pki::ReadTlsDir(topology.service_tls_dir()));
    channel.tls = std::move(tls);
  }
  channel.service_config_json = service_config;
  channel.health_service = health_service;
  absl::StatusOr<std::shared_ptr<grpc::Channel>> made = MakePeerChannel(channel);
  if (!made.ok()) {
    return absl::Status(made.status().code(), absl::StrCat(field, ": ", made.status().message()));
  }
  return made;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PortraitFeed>> ConnectPortraitPeer(
    const internal::v1::Topology& topology) {
  if (topology.portrait_address().empty()) {
    return absl::InvalidArgumentError(
        "portrait_address: required in the peers file to serve scoring apart from portrait");
  }
  REG_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> made,
                       PeerChannel(topology, "portrait_address", topology.portrait_address(),
                                   PortraitFeedServiceConfig(),
                                   "regulation.internal.v1.PortraitFeedService"));
  PortraitFeedClientOptions options;
  if (topology.call_deadline_seconds() > 0) {
    options.call_deadline = absl::Seconds(topology.call_deadline_seconds());
  }
  if (topology.stream_deadline_seconds() > 0) {
    options.stream_deadline = absl::Seconds(topology.stream_deadline_seconds());
  }
  return std::make_unique<GrpcPortraitFeed>(std::move(made), options);
}

namespace {

// A shard map file named by `field` of the peers file.
absl::StatusOr<ShardMap> LoadShardMapFile(absl::string_view field, const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  absl::StatusOr<ShardMap> map = text.ok() ? ShardMap::FromJson(*text) : text.status();
  if (!map.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", path, ": ", map.status().message()));
  }
  return map;
}

// Each shard's portrait and scoring clients, merged (services/shards/sharded_population.h).
absl::Status ConnectPopulationShards(const internal::v1::Topology& topology,
                                     const PopulationFeedClientOptions& options,
                                     InspectionPeers* peers) {
  if (topology.scoring_shard_map().empty()) {
    return absl::InvalidArgumentError(
        "scoring_shard_map: required with portrait_shard_map (each shard's scoring service)");
  }
  REG_ASSIGN_OR_RETURN(ShardMap portrait_map,
                       LoadShardMapFile("portrait_shard_map", topology.portrait_shard_map()));
  REG_ASSIGN_OR_RETURN(ShardMap scoring_map,
                       LoadShardMapFile("scoring_shard_map", topology.scoring_shard_map()));
  std::map<std::string, std::string> scoring_address;
  for (const internal::ShardConfig& shard : scoring_map.config().shards()) {
    scoring_address[shard.name()] = shard.address();
  }
  std::vector<PopulationShard> shards;
  for (const internal::ShardConfig& shard : portrait_map.config().shards()) {
    auto scoring = scoring_address.find(shard.name());
    if (scoring == scoring_address.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scoring_shard_map: names no shard ", shard.name(), ", which portrait_shard_map does"));
    }
    REG_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> portrait_channel,
                         PeerChannel(topology, absl::StrCat("portrait shard ", shard.name()),
                                     shard.address(), PopulationFeedServiceConfig(),
                                     "regulation.internal.v1.PortraitPopulationService"));
    REG_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> scoring_channel,
                         PeerChannel(topology, absl::StrCat("scoring shard ", shard.name()),
                                     scoring->second, PopulationFeedServiceConfig(),
                                     "regulation.internal.v1.StoredClassService"));
    peers->shard_portraits.push_back(
        std::make_unique<GrpcPortraitPopulation>(std::move(portrait_channel), options));
    peers->shard_classes.push_back(
        std::make_unique<GrpcStoredClasses>(std::move(scoring_channel), options));
    shards.push_back({shard.name(), peers->shard_portraits.back().get(),
                      peers->shard_classes.back().get()});
    scoring_address.erase(scoring);
  }
  if (!scoring_address.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("portrait_shard_map: names no shard ", scoring_address.begin()->first,
                     ", which scoring_shard_map does"));
  }
  peers->shard_map = std::make_unique<ShardMap>(std::move(portrait_map));
  peers->portrait = std::make_unique<ShardedPortraitPopulation>(peers->shard_map.get(), shards);
  peers->scoring = std::make_unique<ShardedStoredClasses>(shards);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<InspectionPeers> ConnectInspectionPeers(const internal::v1::Topology& topology) {
  const bool sharded = !topology.portrait_shard_map().empty();
  for (const auto& [field, address] :
       {std::pair<const char*, const std::string&>{"portrait_address", topology.portrait_address()},
        {"scoring_address", topology.scoring_address()},
        {"disclosure_address", topology.disclosure_address()}}) {
    if (sharded && absl::string_view(field) != "disclosure_address") continue;
    if (address.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": required in the peers file to serve inspection apart (the population a "
                 "plan freezes, and the log its records are published in)"));
    }
  }
  REG_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> log,
                       PeerChannel(topology, "disclosure_address", topology.disclosure_address(),
                                   LogAppendServiceConfig(),
                                   "regulation.internal.v1.LogAppendService"));
  PopulationFeedClientOptions options;
  if (topology.call_deadline_seconds() > 0) {
    options.call_deadline = absl::Seconds(topology.call_deadline_seconds());
  }
  if (topology.stream_deadline_seconds() > 0) {
    options.stream_deadline = absl::Seconds(topology.stream_deadline_seconds());
  }
  InspectionPeers peers;
  if (sharded) {
    REG_RETURN_IF_ERROR(ConnectPopulationShards(topology, options, &peers));
  } else {
    REG_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> portrait,
                         PeerChannel(topology, "portrait_address", topology.portrait_address(),
                                     PopulationFeedServiceConfig(),
                                     "regulation.internal.v1.PortraitPopulationService"));
    REG_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> scoring,
                         PeerChannel(topology, "scoring_address", topology.scoring_address(),
                                     PopulationFeedServiceConfig(),
                                     "regulation.internal.v1.StoredClassService"));
    peers.portrait = std::make_unique<GrpcPortraitPopulation>(std::move(portrait), options);
    peers.scoring = std::make_unique<GrpcStoredClasses>(std::move(scoring), options);
  }
  peers.population = std::make_unique<PopulationFeed>(peers.portrait.get(), peers.scoring.get());
  const absl::Duration call_deadline = options.call_deadline;
  peers.log = [log, call_deadline](storage::KvStore* store) -> std::unique_ptr<disclosure::LogWriter> {
    return std::make_unique<GrpcLogWriter>(log, store, call_deadline);
  };
  return peers;
}

// disclosured's peers.

namespace {

// A channel to the peer at `address` (the Topology field `field`), which disclosured
// requires.
absl::StatusOr<std::shared_ptr<grpc::Channel>> DisclosurePeerChannel(
    const internal::v1::Topology& topology, const std::string& address, absl::string_view field,
    const std::string& service_config, const std::string& service) {
  if (address.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": required in the peers file to serve disclosure apart (docs/deploy.md)"));
  }
  return PeerChannel(topology, field, address, service_config, service);
}

absl::Duration CallDeadline(const internal::v1::Topology& topology) {
  return topology.call_deadline_seconds() > 0 ? absl::Seconds(topology.call_deadline_seconds())
                                              : absl::Seconds(10);
}

}  // namespace

absl::StatusOr<std::unique_ptr<InspectionFeed>> ConnectInspectionPeer(
    const internal::v1::Topology& topology) {
  REG_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel,
                       DisclosurePeerChannel(topology, topology.inspection_address(),
                                             "inspection_address", InspectionFeedServiceConfig(),
                                             "regulation.internal.v1.InspectionFeedService"));
  return std::make_unique<GrpcInspectionFeed>(std::move(channel), CallDeadline(topology));
}

absl::StatusOr<std::unique_ptr<EnterpriseHistory>> ConnectHistoryPeer(
    const internal::v1::Topology& topology) {
  REG_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel,
                       DisclosurePeerChannel(topology, topology.portrait_address(),
                                             "portrait_address", EnterpriseHistoryServiceConfig(),
                                             "regulation.internal.v1.EnterpriseHistoryService"));
  return std::make_unique<GrpcEnterpriseHistory>(std::move(channel), CallDeadline(topology));
}

absl::StatusOr<std::unique_ptr<DrawBundles>> ConnectDrawBundlePeer(
    const internal::v1::Topology& topology) {
  REG_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel,
                       DisclosurePeerChannel(topology, topology.inspection_address(),
                                             "inspection_address", InspectionFeedServiceConfig(),
                                             "regulation.internal.v1.InspectionFeedService"));
  return std::make_unique<GrpcDrawBundles>(std::move(channel), CallDeadline(topology));
}

absl::Duration HistoryRetryInterval(const internal::v1::Topology& topology) {
  return topology.history_retry_seconds() > 0 ? absl::Seconds(topology.history_retry_seconds())
                                              : absl::Seconds(30);
}

// scoringd's alerts' home.

absl::StatusOr<std::unique_ptr<AlertFeed>> ConnectAlertFeedPeer(
    const internal::v1::Topology& topology) {
  if (topology.portrait_address().empty()) {
    return absl::InvalidArgumentError(
        "portrait_address: required in the peers file to serve scoring apart (the alerts live "
        "with portrait)");
  }
  REG_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel,
                       PeerChannel(topology, "portrait_address", topology.portrait_address(),
                                   AlertFeedServiceConfig(),
                                   "regulation.internal.v1.AlertFeedService"));
  const absl::Duration deadline = topology.call_deadline_seconds() > 0
                                      ? absl::Seconds(topology.call_deadline_seconds())
                                      : absl::Seconds(10);
  return std::make_unique<GrpcAlertFeed>(std::move(channel), deadline);
}

}  // namespace regulation::services
