#include "services/access/certificate_identity.h"

#include <grpc/grpc_security_constants.h>
#include <grpcpp/security/auth_context.h>

#include <memory>
#include <string>
#include <vector>

#include "common/status_macros.h"

namespace regulation::access {

absl::StatusOr<Caller> CertificateIdentityResolver::Resolve(
    const grpc::ServerContextBase& context) const {
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr) return ResolvePeerCertificate("");
  const std::vector<grpc::string_ref> certs =
      auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (certs.empty()) return ResolvePeerCertificate("");
  const std::string pem(certs.front().data(), certs.front().size());
  if (pem.empty()) return absl::UnauthenticatedError("certificate cannot be parsed");
  return ResolvePeerCertificate(pem);
}

absl::StatusOr<Caller> CertificateIdentityResolver::ResolvePeerCertificate(
    absl::string_view cert_pem) const {
  if (cert_pem.empty()) {
    Caller anonymous;
    anonymous.roles = RoleSet{Role::kPublic};
    anonymous.subject = std::string(kAnonymousSubject);
    anonymous.anonymous = true;
    return anonymous;
  }
  REG_RETURN_IF_ERROR(verifier_->Verify(cert_pem, clock_->Now()));
  absl::StatusOr<std::string> serial = pki::CertificateSerialHex(cert_pem);
  if (!serial.ok()) return absl::UnauthenticatedError("certificate cannot be parsed");
  if (revocations_->IsRevoked(*serial)) return absl::UnauthenticatedError("certificate revoked");
  return CallerFromCertificate(cert_pem);
}

}  // namespace regulation::access
