#include "tools/crash_harness/endpoint.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include "pki/tls_files.h"

namespace regulation::crash {

absl::Status Endpoint::AddIdentity(const std::string& name, const std::string& tls_dir) {
  absl::StatusOr<pki::TlsFiles> files = pki::ReadTlsDir(tls_dir);
  if (!files.ok()) return files.status();
  absl::MutexLock lock(&mutex_);
  identities_[name] = Identity{files->ca_cert_pem, files->cert_pem, files->key_pem};
  return absl::OkStatus();
}

void Endpoint::SetAddress(const std::string& address) {
  absl::MutexLock lock(&mutex_);
  address_ = address;
  channels_.clear();
}

std::string Endpoint::address() const {
  absl::MutexLock lock(&mutex_);
  return address_;
}

std::shared_ptr<grpc::Channel> Endpoint::Channel(const std::string& identity) {
  absl::MutexLock lock(&mutex_);
  std::shared_ptr<grpc::Channel>& channel = channels_[identity];
  if (channel == nullptr) {
    const Identity& id = identities_.at(identity);
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = id.ca;
    ssl.pem_cert_chain = id.cert;
    ssl.pem_private_key = id.key;
    grpc::ChannelArguments arguments;
    arguments.SetMaxReceiveMessageSize(64 << 20);
    // A killed server comes back on another port with a new channel; within one server's
    // life, reconnect quickly rather than after gRPC's default back-off of seconds.
    arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
    channel = grpc::CreateCustomChannel(address_, grpc::SslCredentials(ssl), arguments);
  }
  return channel;
}

bool IsRetryable(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return true;
    default:
      return false;
  }
}

}  // namespace regulation::crash
