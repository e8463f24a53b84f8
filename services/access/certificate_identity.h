#ifndef SERVICES_ACCESS_CERTIFICATE_IDENTITY_H_
#define SERVICES_ACCESS_CERTIFICATE_IDENTITY_H_

// Identity from the client certificate of a mutual-TLS connection.
//
// The server asks for a client certificate but lets this resolver judge it
// (grpc::SslServerCredentialsOptions::client_certificate_request =
// GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_BUT_DONT_VERIFY): a peer without a certificate
// is the anonymous public, who may read disclosed data; a peer with one must present a
// certificate of this system's CA that is valid now, not revoked, and names exactly
// one role (certificates.h).
//
// Were it used on a listener without TLS, there would never be a peer certificate and
// every caller would be the anonymous public. regulatord does not do that: its
// --insecure_loopback listener uses LocalOperatorResolver instead (identity.h).
//
// Thread safety: Resolve and ResolvePeerCertificate may be called concurrently.

#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/clock.h"
#include "pki/certificates.h"
#include "services/access/caller.h"
#include "services/access/caller_certificate.h"
#include "services/access/identity.h"
#include "services/access/revocation_list.h"

namespace regulation::access {

// Caller.subject of a peer without a certificate.
inline constexpr absl::string_view kAnonymousSubject = "anonymous";

class CertificateIdentityResolver : public IdentityResolver {
 public:
  // None of the arguments is owned; all must outlive the resolver (and so the server).
  CertificateIdentityResolver(const pki::CertificateVerifier* verifier, RevocationList* revocations,
                              Clock* clock)
      : verifier_(verifier), revocations_(revocations), clock_(clock) {}

  // The caller behind the peer certificate of `context` (auth context property
  // "x509_pem_cert"); see ResolvePeerCertificate.
  absl::StatusOr<Caller> Resolve(const grpc::ServerContextBase& context) const override;

  // `cert_pem` empty: the anonymous caller, roles {public}, subject "anonymous".
  // Otherwise the certificate's caller (CallerFromCertificate) once it is verified at
  // the clock's now (pki::CertificateVerifier::Verify) and not revoked.
  // UNAUTHENTICATED: the verifier's reason, "certificate revoked", or
  // CallerFromCertificate's reason.
  absl::StatusOr<Caller> ResolvePeerCertificate(absl::string_view cert_pem) const;

 private:
  const pki::CertificateVerifier* const verifier_;
  RevocationList* const revocations_;
  Clock* const clock_;
};

}  // namespace regulation::access

#endif  // SERVICES_ACCESS_CERTIFICATE_IDENTITY_H_
