#ifndef SERVICES_SERVER_TLS_CREDENTIALS_H_
#define SERVICES_SERVER_TLS_CREDENTIALS_H_

// Listener credentials for mutual TLS.

#include <grpcpp/security/server_credentials.h>

#include <memory>

#include "pki/tls_files.h"

namespace regulation::services {

// TLS with the server's certificate and key from `tls`. Client certificates are
// requested but not verified by the TLS layer: the identity resolver verifies them
// (chain to `tls.ca_cert_pem`, validity, revocation) and answers UNAUTHENTICATED with a
// reason, and a client without a certificate is the anonymous public.
std::shared_ptr<grpc::ServerCredentials> MutualTlsServerCredentials(const pki::TlsFiles& tls);

}  // namespace regulation::services

#endif  // SERVICES_SERVER_TLS_CREDENTIALS_H_
