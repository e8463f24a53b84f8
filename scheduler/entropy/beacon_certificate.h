#ifndef SCHEDULER_ENTROPY_BEACON_CERTIFICATE_H_
#define SCHEDULER_ENTROPY_BEACON_CERTIFICATE_H_

// The certificate pinned when a randomness beacon is registered (docs/entropy.md §3): its
// RSA key checks the beacon's pulses. A NIST Randomness Beacon 2.0 pulse names its
// certificate by `certificateId`, the SHA-512 of the certificate's DER bytes.
//
//   REG_ASSIGN_OR_RETURN(BeaconCertificate certificate, BeaconCertificate::FromPem(pem));
//   source.set_rsa_modulus_hex(certificate.modulus_hex());
//   source.set_rsa_exponent_hex(certificate.exponent_hex());
//
// Only the key is used: the certificate's validity dates and issuer are not checked (a
// pulse is checked years after its certificate expired; pinning replaces the chain).
//
// Thread safety: immutable after creation, safe to use from many threads; copies share
// the OpenSSL key.

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation::scheduler::entropy {

// The registered algorithm name of a beacon source: RSA, PKCS#1 v1.5 padding, SHA-512.
inline constexpr char kBeaconAlgorithmName[] = "rsa-pkcs1-sha512";

class BeaconCertificate {
 public:
  // Exactly one PEM certificate ("-----BEGIN CERTIFICATE-----", optional surrounding
  // whitespace) with an RSA key of at least 2048 bits. INVALID_ARGUMENT
  // "certificate_pem: ..." otherwise.
  static absl::StatusOr<BeaconCertificate> FromPem(absl::string_view pem);

  // SHA-512 of the certificate's DER encoding, 128 lowercase hex characters: what pulses
  // signed with it carry as certificateId.
  const std::string& id_hex() const { return id_hex_; }
  // The RSA modulus and public exponent, big-endian without leading zero bytes, lowercase
  // hex (RegisteredEntropySource.rsa_modulus_hex / rsa_exponent_hex; e.g. "010001").
  const std::string& modulus_hex() const { return modulus_hex_; }
  const std::string& exponent_hex() const { return exponent_hex_; }
  // Size of the modulus in bytes: the length of every signature.
  int modulus_bytes() const { return static_cast<int>(modulus_hex_.size() / 2); }

  // OK when `signature` is the RSASSA-PKCS1-v1_5 signature with SHA-512 of `message`
  // under this key; FAILED_PRECONDITION "signatureValue: does not verify with the pinned
  // certificate" otherwise.
  absl::Status VerifySha512(absl::string_view message, absl::string_view signature) const;

 private:
  struct Impl;
  BeaconCertificate(std::string id_hex, std::string modulus_hex, std::string exponent_hex,
                    std::shared_ptr<const Impl> impl);

  std::string id_hex_;
  std::string modulus_hex_;
  std::string exponent_hex_;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace regulation::scheduler::entropy

#endif  // SCHEDULER_ENTROPY_BEACON_CERTIFICATE_H_
