#ifndef SERVICES_SEAMS_PEER_CHANNEL_H_
#define SERVICES_SEAMS_PEER_CHANNEL_H_

// A channel from one service to another when they run as separate processes
// (docs/deploy.md): mutual TLS with the calling service's own certificate (role
// `service`, pki/certificates.h), or plaintext on loopback for tests; the peer's gRPC
// service config (retries with exponential backoff for the calls that are safe to
// repeat, none for the others); client-side health checking, so that a peer reporting
// NOT_SERVING is not sent calls (they fail UNAVAILABLE and are retried with backoff).
//
// Thread safety: the channel is safe for concurrent use.

#include <grpcpp/channel.h>

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "pki/tls_files.h"

namespace regulation::services {

struct PeerChannelOptions {
  // host:port of the peer. Required.
  std::string address;
  // The calling service's TLS files (its own certificate and key, and the CA the peer's
  // certificate must chain to). std::nullopt: plaintext, allowed for loopback addresses
  // only.
  std::optional<pki::TlsFiles> tls;
  // The gRPC service config (JSON) of the peer's service: which methods are retried.
  // Required; see PortraitFeedServiceConfig (portrait_feed_client.h).
  std::string service_config_json;
  // The service name the peer reports health for; the channel sends calls only while it
  // reports SERVING. Empty: no health checking.
  std::string health_service;
};

// INVALID_ARGUMENT for a missing address or service config, or plaintext to a
// non-loopback address. The channel connects lazily.
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakePeerChannel(const PeerChannelOptions& options);

// The service config of internal services whose every call is safe to repeat (reads, or
// writes idempotent by key): each call to one of `services` (full names, e.g.
// "regulation.internal.v1.PortraitFeedService") is retried on UNAVAILABLE, up to 4
// attempts, backoff 0.1 s doubling to at most 2 s, before its first response.
std::string RetriedServiceConfig(std::initializer_list<absl::string_view> services);

// A call's status as the client of `peer` (e.g. "portrait service") reports it: the peer's
// own answers pass through; failing to reach it in time (UNAVAILABLE, DEADLINE_EXCEEDED)
// names it ("portrait service: ...").
absl::Status NamingPeer(absl::string_view peer, absl::Status status);

// `service_config_json` with the health-checking and load-balancing parts added.
std::string WithHealthCheck(const std::string& service_config_json,
                            const std::string& health_service);

}  // namespace regulation::services

#endif  // SERVICES_SEAMS_PEER_CHANNEL_H_
