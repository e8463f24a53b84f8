#ifndef SCHEDULER_ENTROPY_OPENSSL_UTIL_H_
#define SCHEDULER_ENTROPY_OPENSSL_UTIL_H_

// Owning pointers for the OpenSSL objects this package uses, and OpenSslError (common/
// openssl_error.h) for its callers. Internal to scheduler/entropy.

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/openssl_error.h"

namespace regulation::scheduler::entropy {

template <typename T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* p) const { Free(p); }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO, BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<BIGNUM, BN_free>>;
using BnCtxPtr = std::unique_ptr<BN_CTX, OpenSslDeleter<BN_CTX, BN_CTX_free>>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, OpenSslDeleter<EC_GROUP, EC_GROUP_free>>;
using EcPointPtr = std::unique_ptr<EC_POINT, OpenSslDeleter<EC_POINT, EC_POINT_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509, X509_free>>;

// The bytes a memory BIO holds.
std::string BioContents(BIO* bio);

// `bn` big-endian in exactly `size` bytes (left-padded with zeros). REQUIRES: it fits.
std::string BignumToFixedBytes(const BIGNUM* bn, int size);

}  // namespace regulation::scheduler::entropy

#endif  // SCHEDULER_ENTROPY_OPENSSL_UTIL_H_
