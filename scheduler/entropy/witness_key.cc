#include "scheduler/entropy/witness_key.h"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <cstring>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/files.h"
#include "common/status_macros.h"
#include "scheduler/entropy/hex.h"
#include "scheduler/entropy/openssl_util.h"

namespace regulation::scheduler::entropy {
namespace {

constexpr size_t kEd25519KeySize = 32;
constexpr size_t kSm2CoordinateSize = 32;
constexpr size_t kSm2PublicKeySize = 1 + 2 * kSm2CoordinateSize;

using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OpenSslDeleter<ECDSA_SIG, ECDSA_SIG_free>>;
using ParamBldPtr =
    std::unique_ptr<OSSL_PARAM_BLD, OpenSslDeleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, OpenSslDeleter<OSSL_PARAM, OSSL_PARAM_free>>;

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

size_t RawKeySize(WitnessAlgorithm algorithm) {
  return algorithm == WitnessAlgorithm::kEd25519 ? kEd25519KeySize : kSm2PublicKeySize;
}

// The SM2 curve (GB/T 32918.5), for point and order checks.
absl::StatusOr<EcGroupPtr> Sm2Group() {
  EcGroupPtr group(EC_GROUP_new_by_curve_name(NID_sm2));
  if (group == nullptr) return OpenSslError("EC_GROUP_new_by_curve_name(SM2)");
  return group;
}

// True when the 32 bytes are the encoding of a point of edwards25519 (RFC 8032 §5.1.3):
// y < p and (y^2 - 1) / (d y^2 + 1) is a square mod p, with x = 0 only for a clear sign
// bit. OpenSSL accepts any 32 bytes as a public key and fails only at verification; a
// registration should fail at once instead.
absl::StatusOr<bool> IsEd25519Point(absl::string_view raw) {
  unsigned char little[kEd25519KeySize];
  std::memcpy(little, raw.data(), kEd25519KeySize);
  const bool x_odd = (little[31] & 0x80) != 0;
  little[31] &= 0x7F;
  BnCtxPtr ctx(BN_CTX_new());
  BignumPtr p(BN_new()), d(BN_new()), y(BN_lebin2bn(little, kEd25519KeySize, nullptr));
  BignumPtr y2(BN_new()), u(BN_new()), v(BN_new()), w(BN_new()), e(BN_new()), t(BN_new());
  if (ctx == nullptr || p == nullptr || d == nullptr || y == nullptr || y2 == nullptr ||
      u == nullptr || v == nullptr || w == nullptr || e == nullptr || t == nullptr) {
    return OpenSslError("BN_new");
  }
  // p = 2^255 - 19; d = -121665 / 121666 mod p.
  bool ok = BN_set_bit(p.get(), 255) && BN_sub_word(p.get(), 19) &&
            BN_set_word(t.get(), 121666) && BN_mod_inverse(d.get(), t.get(), p.get(), ctx.get()) &&
            BN_set_word(t.get(), 121665) && BN_mod_mul(d.get(), d.get(), t.get(), p.get(), ctx.get()) &&
            BN_sub(d.get(), p.get(), d.get());
  if (!ok) return OpenSslError("Ed25519 constants");
  if (BN_cmp(y.get(), p.get()) >= 0) return false;
  // u = y^2 - 1, v = d y^2 + 1, w = u v^(p-2) (u/v); e = (p-1)/2.
  ok = BN_mod_sqr(y2.get(), y.get(), p.get(), ctx.get()) && BN_one(t.get()) &&
       BN_mod_sub(u.get(), y2.get(), t.get(), p.get(), ctx.get()) &&
       BN_mod_mul(v.get(), d.get(), y2.get(), p.get(), ctx.get()) &&
       BN_mod_add(v.get(), v.get(), t.get(), p.get(), ctx.get()) &&
       BN_mod_inverse(w.get(), v.get(), p.get(), ctx.get()) &&
       BN_mod_mul(w.get(), w.get(), u.get(), p.get(), ctx.get());
  if (!ok) return OpenSslError("Ed25519 point check");
  if (BN_is_zero(w.get())) return !x_odd;  // x = 0: only with a clear sign bit.
  // Euler's criterion: w is a non-zero square iff w^((p-1)/2) = 1.
  ok = BN_copy(e.get(), p.get()) && BN_sub_word(e.get(), 1) && BN_rshift1(e.get(), e.get()) &&
       BN_mod_exp(t.get(), w.get(), e.get(), p.get(), ctx.get());
  if (!ok) return OpenSslError("Ed25519 point check");
  return BN_is_one(t.get()) == 1;
}

// True when the 32 bytes encode one of edwards25519's eight points of small order (the
// identity, order 2, 4 or 8). Against such a key anyone can forge signatures, and
// verifiers disagree on them (libsodium and noble refuse them, OpenSSL does not); a
// witness may not register one. Compared by y with the sign bit cleared, as libsodium's
// blocklist does.
bool IsSmallOrderEd25519(absl::string_view raw) {
  static constexpr unsigned char kSmallOrderY[][32] = {
      {0},  // y = 0: the two points of order 4
      {1},  // y = 1: the identity
      {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // y = p-1: order 2
       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
      {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,  // order 8
       0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
       0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
      {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,  // order 8
       0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
       0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
  };
  unsigned char y[kEd25519KeySize];
  std::memcpy(y, raw.data(), kEd25519KeySize);
  y[31] &= 0x7F;
  for (const auto& small : kSmallOrderY) {
    if (std::memcmp(y, small, kEd25519KeySize) == 0) return true;
  }
  return false;
}

// OpenSSL's EVP key for a 65-byte SM2 public key, checked to be on the curve.
absl::StatusOr<PkeyPtr> Sm2PublicPkey(absl::string_view field, absl::string_view raw) {
  REG_ASSIGN_OR_RETURN(EcGroupPtr group, Sm2Group());
  EcPointPtr point(EC_POINT_new(group.get()));
  if (point == nullptr) return OpenSslError("EC_POINT_new");
  if (static_cast<unsigned char>(raw[0]) != 0x04) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": an SM2 public key is an uncompressed point, 04 || x || y; it starts with ",
        EncodeHex(raw.substr(0, 1))));
  }
  if (EC_POINT_oct2point(group.get(), point.get(), Bytes(raw), raw.size(), nullptr) != 1 ||
      EC_POINT_is_on_curve(group.get(), point.get(), nullptr) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": not a point of the SM2 curve"));
  }
  ParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (builder == nullptr ||
      !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0) ||
      !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, raw.data(),
                                        raw.size())) {
    return OpenSslError("OSSL_PARAM_BLD");
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
  EVP_PKEY* key = nullptr;
  if (params == nullptr || ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return OpenSslError("SM2 public key");
  }
  return PkeyPtr(key);
}

// The raw public key of a private or public EVP key of `algorithm`.
absl::StatusOr<std::string> RawPublicKey(WitnessAlgorithm algorithm, EVP_PKEY* key) {
  std::string raw(RawKeySize(algorithm), '\0');
  size_t size = raw.size();
  const int ok =
      algorithm == WitnessAlgorithm::kEd25519
          ? EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(raw.data()), &size)
          : EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY,
                                            reinterpret_cast<unsigned char*>(raw.data()),
                                            raw.size(), &size);
  if (ok != 1 || size != raw.size()) return OpenSslError("reading the public key");
  return raw;
}

// SM2 r || s (64 bytes) as the DER SEQUENCE OpenSSL verifies. INVALID_ARGUMENT when r or
// s is not in [1, n-1].
absl::StatusOr<std::string> Sm2SignatureToDer(absl::string_view signature) {
  REG_ASSIGN_OR_RETURN(EcGroupPtr group, Sm2Group());
  const BIGNUM* order = EC_GROUP_get0_order(group.get());
  BignumPtr r(BN_bin2bn(Bytes(signature), kSm2CoordinateSize, nullptr));
  BignumPtr s(BN_bin2bn(Bytes(signature.substr(kSm2CoordinateSize)), kSm2CoordinateSize, nullptr));
  if (r == nullptr || s == nullptr) return OpenSslError("BN_bin2bn");
  for (const BIGNUM* v : {r.get(), s.get()}) {
    if (BN_is_zero(v) || BN_cmp(v, order) >= 0) {
      return absl::InvalidArgumentError(
          "signature: an SM2 signature's r and s must each be in [1, n-1]");
    }
  }
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (sig == nullptr || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return OpenSslError("ECDSA_SIG_set0");
  }
  r.release();  // Owned by `sig` now.
  s.release();
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(sig.get(), &der);
  if (size <= 0) return OpenSslError("i2d_ECDSA_SIG");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(size));
  OPENSSL_free(der);
  return out;
}

absl::StatusOr<std::string> Sm2SignatureFromDer(absl::string_view der) {
  const unsigned char* p = Bytes(der);
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (sig == nullptr) return OpenSslError("d2i_ECDSA_SIG");
  const BIGNUM* r = ECDSA_SIG_get0_r(sig.get());
  const BIGNUM* s = ECDSA_SIG_get0_s(sig.get());
  if (BN_num_bytes(r) > static_cast<int>(kSm2CoordinateSize) ||
      BN_num_bytes(s) > static_cast<int>(kSm2CoordinateSize)) {
    return absl::InternalError("SM2 signature: r or s longer than 32 bytes");
  }
  return BignumToFixedBytes(r, kSm2CoordinateSize) + BignumToFixedBytes(s, kSm2CoordinateSize);
}

// Signing or verifying context for `key`: Ed25519 over the message, or SM2 with SM3 and
// the default ID. (The ID is set after the init call: OpenSSL 3.0 refuses it among the
// init parameters, and its own default is the empty ID, not the standard's.)
absl::StatusOr<MdCtxPtr> DigestContext(WitnessAlgorithm algorithm, EVP_PKEY* key, bool sign) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr) return OpenSslError("EVP_MD_CTX_new");
  const char* md = algorithm == WitnessAlgorithm::kEd25519 ? nullptr : "SM3";
  EVP_PKEY_CTX* pctx = nullptr;  // Owned by `ctx`.
  const int ok =
      sign ? EVP_DigestSignInit_ex(ctx.get(), &pctx, md, nullptr, nullptr, key, nullptr)
           : EVP_DigestVerifyInit_ex(ctx.get(), &pctx, md, nullptr, nullptr, key, nullptr);
  if (ok != 1) return OpenSslError(sign ? "EVP_DigestSignInit_ex" : "EVP_DigestVerifyInit_ex");
  if (algorithm == WitnessAlgorithm::kSm2Sm3 &&
      EVP_PKEY_CTX_set1_id(pctx, kSm2DefaultId, sizeof(kSm2DefaultId) - 1) != 1) {
    return OpenSslError("EVP_PKEY_CTX_set1_id");
  }
  return ctx;
}

// The algorithm of a key read from a file: Ed25519, or an SM2 key (OpenSSL may report one
// read from PKCS#8 as "EC" on the SM2 curve).
absl::StatusOr<WitnessAlgorithm> AlgorithmOfKey(const std::string& path, EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "ED25519")) return WitnessAlgorithm::kEd25519;
  if (EVP_PKEY_is_a(key, "SM2")) return WitnessAlgorithm::kSm2Sm3;
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = "";
    size_t size = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                       &size) == 1 &&
        absl::string_view(group, size) == "SM2") {
      return WitnessAlgorithm::kSm2Sm3;
    }
  }
  ERR_clear_error();
  return absl::InvalidArgumentError(
      absl::StrCat(path, ": not an Ed25519 or SM2 private key (", EVP_PKEY_get0_type_name(key),
                   ")"));
}

// An SM2-typed EVP key from private scalar `d` (with its public point computed).
absl::StatusOr<PkeyPtr> Sm2PrivatePkey(const BIGNUM* d) {
  REG_ASSIGN_OR_RETURN(EcGroupPtr group, Sm2Group());
  EcPointPtr point(EC_POINT_new(group.get()));
  if (point == nullptr || EC_POINT_mul(group.get(), point.get(), d, nullptr, nullptr, nullptr) != 1) {
    return OpenSslError("EC_POINT_mul");
  }
  unsigned char pub[kSm2PublicKeySize];
  if (EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED, pub, sizeof(pub),
                         nullptr) != sizeof(pub)) {
    return OpenSslError("EC_POINT_point2oct");
  }
  ParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (builder == nullptr ||
      !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0) ||
      !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, d) ||
      !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, pub,
                                        sizeof(pub))) {
    return OpenSslError("OSSL_PARAM_BLD");
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
  EVP_PKEY* key = nullptr;
  if (params == nullptr || ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_KEYPAIR, params.get()) != 1) {
    return OpenSslError("SM2 private key");
  }
  return PkeyPtr(key);
}

absl::StatusOr<BignumPtr> Sm2PrivateScalar(EVP_PKEY* key) {
  BIGNUM* d = nullptr;
  if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1) {
    return OpenSslError("reading the SM2 private key");
  }
  return BignumPtr(d);
}

}  // namespace

absl::string_view WitnessAlgorithmName(WitnessAlgorithm algorithm) {
  return algorithm == WitnessAlgorithm::kEd25519 ? kEd25519AlgorithmName : kSm2Sm3AlgorithmName;
}

absl::StatusOr<WitnessAlgorithm> ParseWitnessAlgorithm(absl::string_view field,
                                                       absl::string_view name) {
  if (name == kEd25519AlgorithmName) return WitnessAlgorithm::kEd25519;
  if (name == kSm2Sm3AlgorithmName) return WitnessAlgorithm::kSm2Sm3;
  return absl::InvalidArgumentError(absl::StrCat(field, ": must be \"", kEd25519AlgorithmName,
                                                 "\" or \"", kSm2Sm3AlgorithmName, "\", got \"",
                                                 absl::CHexEscape(name), "\""));
}

// ---------------------------------------------------------------------------------------
// WitnessPublicKey

struct WitnessPublicKey::Impl {
  PkeyPtr key;
};

WitnessPublicKey::WitnessPublicKey(WitnessAlgorithm algorithm, std::string raw,
                                   std::shared_ptr<const Impl> impl)
    : algorithm_(algorithm), raw_(std::move(raw)), impl_(std::move(impl)) {}

absl::StatusOr<WitnessPublicKey> WitnessPublicKey::FromHex(WitnessAlgorithm algorithm,
                                                           absl::string_view field,
                                                           absl::string_view hex) {
  REG_ASSIGN_OR_RETURN(std::string raw, DecodeHex(field, hex, RawKeySize(algorithm)));
  return FromRaw(algorithm, field, raw);
}

absl::StatusOr<WitnessPublicKey> WitnessPublicKey::FromRaw(WitnessAlgorithm algorithm,
                                                           absl::string_view field,
                                                           absl::string_view raw) {
  if (raw.size() != RawKeySize(algorithm)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": an ", WitnessAlgorithmName(algorithm),
                                                   " public key is ", RawKeySize(algorithm),
                                                   " bytes, not ", raw.size()));
  }
  auto impl = std::make_shared<Impl>();
  if (algorithm == WitnessAlgorithm::kEd25519) {
    REG_ASSIGN_OR_RETURN(const bool on_curve, IsEd25519Point(raw));
    if (!on_curve) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": not the encoding of a point of Ed25519's curve"));
    }
    if (IsSmallOrderEd25519(raw)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": a point of small order, for which signatures can be forged"));
    }
    impl->key.reset(
        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, Bytes(raw), raw.size()));
    if (impl->key == nullptr) return OpenSslError("EVP_PKEY_new_raw_public_key");
  } else {
    REG_ASSIGN_OR_RETURN(impl->key, Sm2PublicPkey(field, raw));
  }
  return WitnessPublicKey(algorithm, std::string(raw), std::move(impl));
}

std::string WitnessPublicKey::hex() const { return EncodeHex(raw_); }

absl::Status WitnessPublicKey::Verify(absl::string_view message,
                                      absl::string_view signature) const {
  if (signature.size() != kWitnessSignatureSize) {
    return absl::InvalidArgumentError(absl::StrCat("signature: an ",
                                                   WitnessAlgorithmName(algorithm_),
                                                   " signature is 64 bytes, not ",
                                                   signature.size()));
  }
  std::string der;
  if (algorithm_ == WitnessAlgorithm::kSm2Sm3) {
    REG_ASSIGN_OR_RETURN(der, Sm2SignatureToDer(signature));
    signature = der;
  }
  REG_ASSIGN_OR_RETURN(MdCtxPtr ctx, DigestContext(algorithm_, impl_->key.get(), /*sign=*/false));
  const int ok = EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(message),
                                  message.size());
  ERR_clear_error();
  if (ok != 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("signature: does not verify with the ", WitnessAlgorithmName(algorithm_),
                     " key ", hex().substr(0, 16), "..."));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------
// WitnessKey

struct WitnessKey::Impl {
  PkeyPtr key;
};

WitnessKey::WitnessKey(WitnessPublicKey public_key, std::shared_ptr<const Impl> impl)
    : public_key_(std::move(public_key)), impl_(std::move(impl)) {}

namespace {

// The WitnessKey parts of a private EVP key: its public half.
absl::StatusOr<WitnessPublicKey> PublicHalf(WitnessAlgorithm algorithm, EVP_PKEY* key) {
  REG_ASSIGN_OR_RETURN(std::string raw, RawPublicKey(algorithm, key));
  return WitnessPublicKey::FromRaw(algorithm, "public key", raw);
}

}  // namespace

absl::StatusOr<WitnessKey> WitnessKey::Generate(WitnessAlgorithm algorithm) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(
      nullptr, algorithm == WitnessAlgorithm::kEd25519 ? "ED25519" : "SM2", nullptr));
  EVP_PKEY* raw = nullptr;
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_keygen(ctx.get(), &raw) != 1) {
    return OpenSslError(absl::StrCat(WitnessAlgorithmName(algorithm), " key generation"));
  }
  auto impl = std::make_shared<Impl>();
  impl->key.reset(raw);
  REG_ASSIGN_OR_RETURN(WitnessPublicKey public_key, PublicHalf(algorithm, impl->key.get()));
  return WitnessKey(std::move(public_key), std::move(impl));
}

absl::StatusOr<WitnessKey> WitnessKey::FromPrivateBytes(WitnessAlgorithm algorithm,
                                                        absl::string_view private_bytes) {
  if (private_bytes.size() != 32) {
    return absl::InvalidArgumentError(absl::StrCat("private key: an ",
                                                   WitnessAlgorithmName(algorithm),
                                                   " private key is 32 bytes, not ",
                                                   private_bytes.size()));
  }
  auto impl = std::make_shared<Impl>();
  if (algorithm == WitnessAlgorithm::kEd25519) {
    impl->key.reset(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, Bytes(private_bytes),
                                                 private_bytes.size()));
    if (impl->key == nullptr) return OpenSslError("EVP_PKEY_new_raw_private_key");
  } else {
    REG_ASSIGN_OR_RETURN(EcGroupPtr group, Sm2Group());
    BignumPtr d(BN_bin2bn(Bytes(private_bytes), private_bytes.size(), nullptr));
    BignumPtr limit(BN_dup(EC_GROUP_get0_order(group.get())));
    if (d == nullptr || limit == nullptr || !BN_sub_word(limit.get(), 1)) {
      return OpenSslError("BIGNUM");
    }
    // GB/T 32918.1: d in [1, n-2] (d = n-1 would make 1 + d non-invertible).
    if (BN_is_zero(d.get()) || BN_cmp(d.get(), limit.get()) >= 0) {
      return absl::InvalidArgumentError("private key: an SM2 private key d must be in [1, n-2]");
    }
    REG_ASSIGN_OR_RETURN(impl->key, Sm2PrivatePkey(d.get()));
  }
  REG_ASSIGN_OR_RETURN(WitnessPublicKey public_key, PublicHalf(algorithm, impl->key.get()));
  return WitnessKey(std::move(public_key), std::move(impl));
}

absl::StatusOr<WitnessKey> WitnessKey::Load(const std::string& path) {
  REG_ASSIGN_OR_RETURN(std::string pem, ReadPrivateFile(path, "witness key"));
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return OpenSslError("BIO_new_mem_buf");
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a PEM private key"));
  }
  REG_ASSIGN_OR_RETURN(WitnessAlgorithm algorithm, AlgorithmOfKey(path, key.get()));
  auto impl = std::make_shared<Impl>();
  if (algorithm == WitnessAlgorithm::kSm2Sm3 && !EVP_PKEY_is_a(key.get(), "SM2")) {
    // An "EC" key on the SM2 curve would sign with ECDSA: rebuild it as an SM2 key.
    REG_ASSIGN_OR_RETURN(BignumPtr d, Sm2PrivateScalar(key.get()));
    REG_ASSIGN_OR_RETURN(impl->key, Sm2PrivatePkey(d.get()));
  } else {
    impl->key = std::move(key);
  }
  REG_ASSIGN_OR_RETURN(WitnessPublicKey public_key, PublicHalf(algorithm, impl->key.get()));
  return WitnessKey(std::move(public_key), std::move(impl));
}

absl::Status WitnessKey::WriteNew(const std::string& path) const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_PrivateKey(bio.get(), impl_->key.get(), nullptr, nullptr, 0,
                                                 nullptr, nullptr) != 1) {
    return OpenSslError("PEM_write_bio_PrivateKey");
  }
  AtomicWriteOptions options;
  options.mode = 0600;
  options.exclusive = true;
  return WriteFileAtomically(path, BioContents(bio.get()), options);
}

absl::StatusOr<std::string> WitnessKey::Sign(absl::string_view message) const {
  const WitnessAlgorithm algorithm = public_key_.algorithm();
  REG_ASSIGN_OR_RETURN(MdCtxPtr ctx, DigestContext(algorithm, impl_->key.get(), /*sign=*/true));
  size_t size = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &size, Bytes(message), message.size()) != 1) {
    return OpenSslError("EVP_DigestSign");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     Bytes(message), message.size()) != 1) {
    return OpenSslError("EVP_DigestSign");
  }
  signature.resize(size);
  if (algorithm == WitnessAlgorithm::kSm2Sm3) return Sm2SignatureFromDer(signature);
  if (signature.size() != kWitnessSignatureSize) {
    return absl::InternalError("Ed25519 signature is not 64 bytes");
  }
  return signature;
}

}  // namespace regulation::scheduler::entropy
