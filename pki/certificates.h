#ifndef PKI_CERTIFICATES_H_
#define PKI_CERTIFICATES_H_

// The system's own small PKI: a certificate authority, the certificates it issues, and
// their verification against the CA. All cryptography is OpenSSL 3's. regctl issues
// with it (`regctl pki`); the server verifies with it. What a verified client
// certificate means to the services (the Caller it names) is services/access's
// business (services/access/caller_certificate.h), over the identity rules below.
//
// Identity model (docs/security.md): a client certificate names its holder in the
// subject CN and carries the caller's identity in subjectAltName URIs:
//
//   urn:regulation:role:<agency|inspector|auditor|public|admin|enterprise>   exactly one
//   urn:regulation:department:<dept>         agencies and inspectors
//   urn:regulation:region:<prefix>           agencies: region-code prefix, 2-6 digits
//   urn:regulation:inspector:<id>            inspectors: roster id
//   urn:regulation:credit-code:<code>        enterprises: their unified social credit code
//
// A server certificate carries no role URI; its SAN holds DNS names and IP addresses
// and its extendedKeyUsage is serverAuth (client certificates: clientAuth).
//
// Keys are ECDSA P-256, signatures ECDSA-SHA256, serial numbers 128 random bits (top
// bit set, so the hex form is always 32 digits), X.509 v3 with basicConstraints
// (critical; CA:TRUE for the authority only), keyUsage, subjectKeyIdentifier and
// authorityKeyIdentifier.
//
//   absl::StatusOr<KeyAndCertificate> ca = CreateCertificateAuthority("regulation CA", a, b);
//   CertificateRequest request;
//   request.common_name = "hz-samr";
//   request.role = Role::kAgency;
//   request.department = "samr";
//   request.region_prefix = "3301";
//   ...
//   absl::StatusOr<KeyAndCertificate> agency = IssueCertificate(*ca, request);
//
// Thread safety: the free functions are thread-safe; CertificateVerifier is safe for
// concurrent Verify calls.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/access/role.h"

namespace regulation::pki {

using access::Role;

// The prefix of every identity URI in a certificate's subjectAltName.
inline constexpr absl::string_view kIdentityUriPrefix = "urn:regulation:";

// What to put in a certificate. Validated by IssueCertificate; each error is
// INVALID_ARGUMENT naming the field ("department: required for role agency").
struct CertificateRequest {
  // Subject CN: the holder's name ("hz-samr", "alice") or a server's host name.
  // Required, 1-64 characters, the common text policy (common/text_policy.h).
  std::string common_name;
  // The caller's role; std::nullopt makes a server certificate (serverAuth, no role).
  std::optional<Role> role;
  // Agencies and inspectors (required for both, rejected for other roles): 1-64 of
  // [A-Za-z0-9._-], e.g. "samr".
  std::string department;
  // Agencies only (required): region-code prefix of the jurisdiction, 2-6 digits,
  // e.g. "3301" (common/region_code.h ValidateRegionPrefix).
  std::string region_prefix;
  // Inspectors only (required): roster id, 1-64 of [A-Za-z0-9._-].
  std::string inspector_id;
  // Enterprises only (required): the unified social credit code the certificate is
  // bound to, check character verified (common/credit_code.h).
  std::string credit_code;
  // Server certificates only: host names (letters, digits, '-', '.'). A server
  // certificate needs at least one DNS name or IP address.
  std::vector<std::string> dns_names;
  // Server certificates only: IPv4 or IPv6 addresses in text form ("127.0.0.1", "::1").
  std::vector<std::string> ip_addresses;
  // Validity period; not_after must be later than not_before and no later than the
  // CA certificate's own notAfter.
  absl::Time not_before;
  absl::Time not_after;
};

// A private key and its certificate, both PEM. key_pem is an unencrypted PKCS#8
// "PRIVATE KEY": whoever stores it must protect it (tls_files.h writes it mode 0600).
struct KeyAndCertificate {
  std::string key_pem;
  std::string cert_pem;
};

// A new self-signed certificate authority: a fresh P-256 key and a CA:TRUE certificate
// (keyUsage keyCertSign, cRLSign) with subject CN=`common_name`.
// INVALID_ARGUMENT for an empty or over-long name or an empty validity period;
// INTERNAL when OpenSSL fails.
absl::StatusOr<KeyAndCertificate> CreateCertificateAuthority(absl::string_view common_name,
                                                             absl::Time not_before,
                                                             absl::Time not_after);

// A fresh key and a certificate for `request`, signed by `ca`.
// INVALID_ARGUMENT naming the field when `request` is invalid; INVALID_ARGUMENT
// "ca: ..." when `ca` cannot be parsed, is not a CA or its key does not match;
// INTERNAL when OpenSSL fails.
absl::StatusOr<KeyAndCertificate> IssueCertificate(const KeyAndCertificate& ca,
                                                   const CertificateRequest& request);

// The serial number of the (first) certificate in `cert_pem`, as lowercase hex without
// leading zeros ("5f3a..."). INVALID_ARGUMENT when it is not a PEM certificate or
// the serial is negative.
absl::StatusOr<std::string> CertificateSerialHex(absl::string_view cert_pem);

// Everything `regctl pki show` prints about a certificate, unvalidated.
struct CertificateInfo {
  std::string common_name;         // subject CN; empty when absent
  std::string issuer_common_name;  // issuer CN; empty when absent
  std::string serial_hex;          // as CertificateSerialHex
  absl::Time not_before;
  absl::Time not_after;
  bool is_ca = false;             // basicConstraints CA:TRUE
  bool server_auth = false;       // extendedKeyUsage includes serverAuth
  bool client_auth = false;       // extendedKeyUsage includes clientAuth
  std::vector<std::string> uris;  // subjectAltName URIs, in order
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;  // text form
};

// Parses `cert_pem` (its first certificate). INVALID_ARGUMENT when it is not a PEM
// certificate.
absl::StatusOr<CertificateInfo> DescribeCertificate(absl::string_view cert_pem);

// The rules of the identity fields (shared by issuing and reading identities).
// 1-64 of [A-Za-z0-9._-]: a department or an inspector id.
bool IsValidIdentifier(absl::string_view s);
// OK for a region-code prefix of 2-6 digits; INVALID_ARGUMENT naming `field` otherwise.
absl::Status ValidateRegionField(absl::string_view field, absl::string_view prefix);

// A serial number as the revocation list keeps it: lowercase hex without leading
// zeros ("0" for zero); std::nullopt unless `text` is 1-64 hex digits.
std::optional<std::string> NormalizeSerialHex(absl::string_view text);

// Verifies client certificates against the system's CA.
//
// A successful chain verification is cached, keyed by the SHA-256 of the
// certificate's DER, with the validity period of the whole chain (latest notBefore,
// earliest notAfter); a cache hit re-checks that period against `now`, and a hit
// outside it falls back to full verification, so an expired certificate is never
// accepted from the cache. The cache holds at most kMaxCacheEntries and is cleared
// when full. Failures are not cached.
//
// Thread safety: Verify may be called concurrently (the X509_STORE is only read; the
// cache is behind a mutex).
class CertificateVerifier {
 public:
  static constexpr size_t kMaxCacheEntries = 10000;

  // INVALID_ARGUMENT when `ca_pem` is not a PEM certificate or not a CA (basicConstraints
  // CA:TRUE); INTERNAL when OpenSSL fails.
  static absl::StatusOr<std::unique_ptr<CertificateVerifier>> Create(absl::string_view ca_pem);

  ~CertificateVerifier();
  CertificateVerifier(const CertificateVerifier&) = delete;
  CertificateVerifier& operator=(const CertificateVerifier&) = delete;

  // OK when `cert_pem` (its first certificate) chains to the CA, is valid at `now`
  // (for itself and the CA), and is issued for client authentication (extendedKeyUsage
  // clientAuth, keyUsage digitalSignature). Otherwise UNAUTHENTICATED with one of:
  // "certificate cannot be parsed", "certificate expired", "certificate not yet
  // valid", "CA certificate expired", "CA certificate not yet valid", "certificate
  // not issued by this system's CA", "certificate not issued for client
  // authentication", or "certificate rejected: <OpenSSL's reason>".
  absl::Status Verify(absl::string_view cert_pem, absl::Time now) const;

  // Entries in the verification cache (for tests).
  size_t CacheSizeForTesting() const;

 private:
  struct Store;
  struct Validity {
    absl::Time not_before;
    absl::Time not_after;
  };

  explicit CertificateVerifier(std::unique_ptr<Store> store);

  std::unique_ptr<Store> store_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Validity> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace regulation::pki

#endif  // PKI_CERTIFICATES_H_
