#include "services/seams/peer_channel.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/net_address.h"

namespace regulation::services {

std::string WithHealthCheck(const std::string& service_config_json,
                            const std::string& health_service) {
  // The config is an object: insert the two keys after its opening brace. round_robin,
  // because pick_first ignores health checks in gRPC 1.51.
  const size_t brace = service_config_json.find('{');
  if (brace == std::string::npos || health_service.empty()) return service_config_json;
  std::string out = service_config_json;
  out.insert(brace + 1, absl::StrCat("\"loadBalancingConfig\":[{\"round_robin\":{}}],",
                                     "\"healthCheckConfig\":{\"serviceName\":\"", health_service,
                                     "\"},"));
  return out;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakePeerChannel(const PeerChannelOptions& options) {
  if (options.address.empty()) return absl::InvalidArgumentError("address: required");
  if (options.service_config_json.empty()) {
    return absl::InvalidArgumentError("service_config_json: required");
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options.tls.has_value()) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = options.tls->ca_cert_pem;
    ssl.pem_private_key = options.tls->key_pem;
    ssl.pem_cert_chain = options.tls->cert_pem;
    credentials = grpc::SslCredentials(ssl);
  } else {
    if (!IsLoopbackAddress(options.address)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "address: plaintext is for loopback only, and ", options.address,
          " is not a loopback address; give the service's TLS directory"));
    }
    credentials = grpc::InsecureChannelCredentials();
  }
  grpc::ChannelArguments arguments;
  // A batch of 16,384 feature rows is a few MiB.
  arguments.SetMaxReceiveMessageSize(64 << 20);
  arguments.SetServiceConfigJSON(
      WithHealthCheck(options.service_config_json, options.health_service));
  // Retries are off by default in some builds: the service config decides which calls.
  arguments.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
  // Subchannels of this channel only: channels to one address with different health
  // services (inspectiond's peers may all be one regulatord) must not share a
  // subchannel's health watch (gRPC 1.51 crashed picking on a shared one once the peer
  // shut down: tests/inspectiond_test).
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(options.address, credentials, arguments);
}

std::string RetriedServiceConfig(std::initializer_list<absl::string_view> services) {
  std::vector<std::string> names;
  for (absl::string_view service : services) {
    names.push_back(absl::StrCat(R"({"service": ")", service, R"("})"));
  }
  return absl::StrCat(R"json({
  "methodConfig": [{
    "name": [)json", absl::StrJoin(names, ", "), R"json(],
    "retryPolicy": {
      "maxAttempts": 4,
      "initialBackoff": "0.1s",
      "maxBackoff": "2s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
})json");
}

absl::Status NamingPeer(absl::string_view peer, absl::Status status) {
  if (absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status)) {
    return absl::Status(status.code(), absl::StrCat(peer, ": ", status.message()));
  }
  return status;
}

}  // namespace regulation::services
