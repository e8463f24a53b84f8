#ifndef SERVICES_ACCESS_CALLER_CERTIFICATE_H_
#define SERVICES_ACCESS_CALLER_CERTIFICATE_H_

// Who a client certificate says the caller is. The certificate's identity URIs are
// written by the PKI (pki/certificates.h describes them); this reads them back into the
// Caller every service sees.
//
// Thread safety: a stateless function.

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/access/caller.h"

namespace regulation::access {

// The caller a client certificate names: roles = {its role}, subject
// "CN=<cn> serial=<hex>", and department, region_prefix, inspector_id and credit_code as the role
// requires (URIs that do not apply to the role are ignored; unknown
// urn:regulation:<kind> URIs too). Does NOT verify the certificate: call
// pki::CertificateVerifier::Verify first.
// UNAUTHENTICATED, with a reason that names no certificate content, when the
// certificate cannot be parsed, has no CN, carries no role, more than one role or an
// unknown role, repeats an identity URI, or lacks (or has a malformed) department,
// region prefix, inspector id or credit code (check character verified) its role
// requires.
absl::StatusOr<Caller> CallerFromCertificate(absl::string_view cert_pem);

}  // namespace regulation::access

#endif  // SERVICES_ACCESS_CALLER_CERTIFICATE_H_
