#include "services/server/peers.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "common/status_macros.h"
#include "pki/tls_files.h"
#include "services/seams/peer_channel.h"
#include "services/seams/enterprise_history_client.h"
#include "services/seams/inspection_feed_client.h"
#include "services/seams/portrait_feed_client.h"

namespace regulation::services {
namespace {

// Collects the parser's first complaint.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (error_.empty()) error_ = absl::StrCat("line ", line + 1, " column ", column + 1, ": ", message);
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

}  // namespace

absl::StatusOr<internal::v1::Topology> LoadTopology(const std::string& path) {
  REG_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  google::protobuf::TextFormat::Parser parser;
  FirstError errors;
  parser.RecordErrorsTo(&errors);
  internal::v1::Topology topology;
  if (!parser.ParseFromString(text, &topology)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", errors.error()));
  }
  if (topology.call_deadline_seconds() < 0 || topology.stream_deadline_seconds() < 0 ||
      topology.history_retry_seconds() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": call_deadline_seconds, stream_deadline_seconds and "
                           "history_retry_seconds must not be negative"));
  }
  return topology;
}

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

// disclosured's peers.

namespace {

// A channel to the peer at `address` (the Topology field `field`), for `service`.
absl::StatusOr<std::shared_ptr<grpc::Channel>> DisclosurePeerChannel(
    const internal::v1::Topology& topology, const std::string& address, absl::string_view field,
    const std::string& service_config, const std::string& service) {
  if (address.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": required in the peers file to serve disclosure apart (docs/deploy.md)"));
  }
  PeerChannelOptions channel;
  channel.address = address;
  if (!topology.service_tls_dir().empty()) {
    REG_ASSIGN_OR_RETURN(pki::TlsFiles tls, pki::ReadTlsDir(topology.service_tls_dir()));
    channel.tls = std::move(tls);
  }
  channel.service_config_json = service_config;
  channel.health_service = service;
  absl::StatusOr<std::shared_ptr<grpc::Channel>> made = MakePeerChannel(channel);
  if (!made.ok()) {
    return absl::Status(made.status().code(), absl::StrCat(field, ": ", made.status().message()));
  }
  return made;
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

absl::Duration HistoryRetryInterval(const internal::v1::Topology& topology) {
  return topology.history_retry_seconds() > 0 ? absl::Seconds(topology.history_retry_seconds())
                                              : absl::Seconds(30);
}

}  // namespace regulation::services
