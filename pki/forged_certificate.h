#ifndef PKI_FORGED_CERTIFICATE_H_
#define PKI_FORGED_CERTIFICATE_H_

// Test only: certificates IssueCertificate refuses to make, for the tests of what
// reads and verifies them.

#include <string>

namespace regulation::pki {

// A self-signed certificate (not issued by any system CA), valid for the next hour,
// with subject CN `common_name` (none when empty) and the subjectAltName `san` in
// OpenSSL configuration syntax ("URI:urn:regulation:role:admin,DNS:localhost"; none
// when empty). Serial 0x1234. Fails the calling test when `san` does not parse.
std::string ForgedCertificate(const std::string& common_name, const std::string& san);

}  // namespace regulation::pki

#endif  // PKI_FORGED_CERTIFICATE_H_
