#include "services/server/tls_credentials.h"

namespace regulation::services {

std::shared_ptr<grpc::ServerCredentials> MutualTlsServerCredentials(const pki::TlsFiles& tls) {
  grpc::SslServerCredentialsOptions options(GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_BUT_DONT_VERIFY);
  options.pem_root_certs = tls.ca_cert_pem;
  options.pem_key_cert_pairs.push_back({tls.key_pem, tls.cert_pem});
  return grpc::SslServerCredentials(options);
}

}  // namespace regulation::services
