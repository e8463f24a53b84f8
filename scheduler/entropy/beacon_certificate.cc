#include "scheduler/entropy/beacon_certificate.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "scheduler/entropy/hex.h"
#include "scheduler/entropy/openssl_util.h"

namespace regulation::scheduler::entropy {
namespace {

constexpr int kMinimumRsaBits = 2048;

absl::Status Invalid(absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat("certificate_pem: ", reason));
}

// A BIGNUM parameter of `key`, big-endian without leading zero bytes, lowercase hex.
absl::StatusOr<std::string> BignumParamHex(EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return OpenSslError(name);
  BignumPtr bn(raw);
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()));
  return EncodeHex(bytes);
}

}  // namespace

struct BeaconCertificate::Impl {
  PkeyPtr key;
};

BeaconCertificate::BeaconCertificate(std::string id_hex, std::string modulus_hex,
                                     std::string exponent_hex, std::shared_ptr<const Impl> impl)
    : id_hex_(std::move(id_hex)),
      modulus_hex_(std::move(modulus_hex)),
      exponent_hex_(std::move(exponent_hex)),
      impl_(std::move(impl)) {}

absl::StatusOr<BeaconCertificate> BeaconCertificate::FromPem(absl::string_view pem) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(pem);
  // PEM readers skip any text before the header; a pinned certificate has none.
  if (!absl::StartsWith(trimmed, "-----BEGIN CERTIFICATE-----")) {
    return Invalid("must be one PEM certificate (\"-----BEGIN CERTIFICATE-----\")");
  }
  BioPtr bio(BIO_new_mem_buf(trimmed.data(), static_cast<int>(trimmed.size())));
  if (bio == nullptr) return OpenSslError("BIO_new_mem_buf");
  X509Ptr certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (certificate == nullptr) return Invalid("not a readable PEM certificate");
  if (!absl::StripAsciiWhitespace(BioContents(bio.get())).empty()) {
    return Invalid("must hold exactly one certificate, and nothing after it");
  }
  auto impl = std::make_shared<Impl>();
  EVP_PKEY* key = X509_get0_pubkey(certificate.get());
  if (key == nullptr || !EVP_PKEY_is_a(key, "RSA")) {
    ERR_clear_error();
    return Invalid("the certificate's key is not an RSA key");
  }
  if (EVP_PKEY_get_bits(key) < kMinimumRsaBits) {
    return Invalid(absl::StrCat("the RSA key has ", EVP_PKEY_get_bits(key),
                                " bits; at least ", kMinimumRsaBits, " are required"));
  }
  EVP_PKEY_up_ref(key);
  impl->key.reset(key);

  unsigned char* der = nullptr;
  const int der_size = i2d_X509(certificate.get(), &der);
  if (der_size <= 0) return OpenSslError("i2d_X509");
  unsigned char digest[64];
  unsigned int digest_size = 0;
  const int digested = EVP_Digest(der, static_cast<size_t>(der_size), digest, &digest_size,
                                  EVP_sha512(), nullptr);
  OPENSSL_free(der);
  if (digested != 1) return OpenSslError("SHA-512");
  REG_ASSIGN_OR_RETURN(std::string modulus, BignumParamHex(key, OSSL_PKEY_PARAM_RSA_N));
  REG_ASSIGN_OR_RETURN(std::string exponent, BignumParamHex(key, OSSL_PKEY_PARAM_RSA_E));
  return BeaconCertificate(
      EncodeHex(absl::string_view(reinterpret_cast<const char*>(digest), digest_size)),
      std::move(modulus), std::move(exponent), std::move(impl));
}

absl::Status BeaconCertificate::VerifySha512(absl::string_view message,
                                             absl::string_view signature) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr || EVP_DigestVerifyInit_ex(ctx.get(), nullptr, "SHA512", nullptr, nullptr,
                                                impl_->key.get(), nullptr) != 1) {
    return OpenSslError("EVP_DigestVerifyInit_ex");
  }
  const int ok = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
      reinterpret_cast<const unsigned char*>(message.data()), message.size());
  ERR_clear_error();
  if (ok != 1) {
    return absl::FailedPreconditionError(
        "signatureValue: does not verify with the pinned certificate's key (RSA PKCS#1 v1.5, "
        "SHA-512)");
  }
  return absl::OkStatus();
}

}  // namespace regulation::scheduler::entropy
