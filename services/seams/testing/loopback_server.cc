#include "services/seams/testing/loopback_server.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "services/access/access_interceptor.h"
#include "services/seams/peer_channel.h"

namespace regulation::services::testing {

LoopbackServer::LoopbackServer(const std::vector<grpc::Service*>& services, int port,
                               Clock* clock) {
  access::AccessOptions access;
  access.resolver = &operator_;
  access.clock = clock;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(absl::StrCat("127.0.0.1:", port), grpc::InsecureServerCredentials(),
                           &port_);
  for (grpc::Service* service : services) builder.RegisterService(service);
  builder.experimental().SetInterceptorCreators(access::MakeAccessInterceptors(access));
  server_ = builder.BuildAndStart();
}

void LoopbackServer::Stop() {
  if (server_ != nullptr) server_->Shutdown(std::chrono::system_clock::now());
  server_.reset();
}

std::string LoopbackServer::address() const { return absl::StrCat("127.0.0.1:", port_); }

absl::StatusOr<std::shared_ptr<grpc::Channel>> LoopbackServer::Channel(
    const std::string& service_config_json) const {
  PeerChannelOptions options;
  options.address = address();
  options.service_config_json = service_config_json;
  return MakePeerChannel(options);
}

}  // namespace regulation::services::testing
