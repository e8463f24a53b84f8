#ifndef SCHEDULER_ENTROPY_WITNESS_KEY_H_
#define SCHEDULER_ENTROPY_WITNESS_KEY_H_

// A witness's signing key and the public key it registers (docs/entropy.md §1), through
// OpenSSL 3's EVP interface. Two algorithms:
//
//   "ed25519"  Ed25519 (RFC 8032). Public key: the 32 raw bytes. Signature: 64 bytes over
//              the message itself.
//   "sm2-sm3"  SM2 on the SM2 curve with SM3 (GB/T 32918.2, GM/T 0003) and the default
//              distinguishing ID "1234567812345678" (GM/T 0009). Public key: 65 bytes,
//              04 || x || y. Signature: 64 bytes, r || s, each 32 bytes big-endian
//              (OpenSSL's DER form is converted both ways).
//
// Keys are written in lowercase hex wherever they leave the machine (the registered
// public_key_hex); the private key stays in a PKCS#8 PEM file of mode 0600 on the
// witness's own machine.
//
//   REG_ASSIGN_OR_RETURN(WitnessKey key, WitnessKey::Generate(WitnessAlgorithm::kSm2Sm3));
//   REG_RETURN_IF_ERROR(key.WriteNew("/home/notary/witness/witness.key"));
//   std::string to_register = key.public_key().hex();
//   REG_ASSIGN_OR_RETURN(std::string signature, key.Sign(text));
//   REG_RETURN_IF_ERROR(key.public_key().Verify(text, signature));
//
// Thread safety: WitnessKey and WitnessPublicKey are immutable after creation and safe to
// use from many threads (each call makes its own OpenSSL contexts); copies share the
// underlying OpenSSL key.

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation::scheduler::entropy {

enum class WitnessAlgorithm { kEd25519, kSm2Sm3 };

inline constexpr char kEd25519AlgorithmName[] = "ed25519";
inline constexpr char kSm2Sm3AlgorithmName[] = "sm2-sm3";
// The SM2 distinguishing ID of every witness signature (GM/T 0009-2012's default ID).
inline constexpr char kSm2DefaultId[] = "1234567812345678";
// Both algorithms' signatures are 64 bytes.
inline constexpr size_t kWitnessSignatureSize = 64;

// "ed25519" or "sm2-sm3".
absl::string_view WitnessAlgorithmName(WitnessAlgorithm algorithm);

// The algorithm named `name` ("ed25519" or "sm2-sm3", exactly). INVALID_ARGUMENT whose
// message starts with `field` otherwise.
absl::StatusOr<WitnessAlgorithm> ParseWitnessAlgorithm(absl::string_view field,
                                                       absl::string_view name);

// A registered witness's public key: checks its signatures.
class WitnessPublicKey {
 public:
  // The key written as lowercase hex (Ed25519: 64 characters; SM2: 130, starting "04").
  // INVALID_ARGUMENT whose message starts with `field`: not lowercase hex, the wrong
  // length, an Ed25519 key that is not a point of the curve (RFC 8032 §5.1.3) or is one
  // of its eight points of small order, an SM2 key that is not an uncompressed point
  // (04 || x || y) or not on the SM2 curve.
  static absl::StatusOr<WitnessPublicKey> FromHex(WitnessAlgorithm algorithm,
                                                  absl::string_view field,
                                                  absl::string_view hex);
  // The same from the raw bytes (32, or 65).
  static absl::StatusOr<WitnessPublicKey> FromRaw(WitnessAlgorithm algorithm,
                                                  absl::string_view field,
                                                  absl::string_view raw);

  WitnessAlgorithm algorithm() const { return algorithm_; }
  // The raw public key: 32 bytes (Ed25519) or 65 bytes 04 || x || y (SM2).
  const std::string& raw() const { return raw_; }
  // raw() in lowercase hex, as registered.
  std::string hex() const;

  // OK when `signature` (64 bytes: Ed25519, or SM2 r || s) is this key's signature of
  // `message`. INVALID_ARGUMENT when the signature is not 64 bytes (or, for SM2, r or s
  // is not in [1, n-1]); FAILED_PRECONDITION "signature: does not verify with the
  // <algorithm> key <first 16 hex digits>..." when it does not verify.
  absl::Status Verify(absl::string_view message, absl::string_view signature) const;

 private:
  struct Impl;
  WitnessPublicKey(WitnessAlgorithm algorithm, std::string raw, std::shared_ptr<const Impl> impl);

  WitnessAlgorithm algorithm_;
  std::string raw_;
  std::shared_ptr<const Impl> impl_;
};

// A witness's private key. Signs statements.
class WitnessKey {
 public:
  // A fresh key from OpenSSL's CSPRNG. INTERNAL if OpenSSL fails.
  static absl::StatusOr<WitnessKey> Generate(WitnessAlgorithm algorithm);
  // The key of given private bytes, for known-answer tests and published test vectors:
  // Ed25519, the 32-byte RFC 8032 seed; SM2, the 32-byte private scalar d (big-endian),
  // 1 <= d <= n-2. INVALID_ARGUMENT otherwise.
  static absl::StatusOr<WitnessKey> FromPrivateBytes(WitnessAlgorithm algorithm,
                                                     absl::string_view private_bytes);
  // Reads a PKCS#8 PEM private key written by WriteNew (or `openssl genpkey -algorithm
  // ed25519` / `-algorithm sm2`). NOT_FOUND when the file is missing;
  // FAILED_PRECONDITION when its group or others may read or write it (chmod 600 it);
  // INVALID_ARGUMENT when it is not a PEM Ed25519 or SM2 private key; PERMISSION_DENIED
  // or INTERNAL on I/O errors. Messages name the path.
  static absl::StatusOr<WitnessKey> Load(const std::string& path);

  // Writes the key as PKCS#8 PEM to `path`, mode 0600: written in full to a temporary
  // file, fsync'ed, then linked into place, so an existing file is never replaced.
  // ALREADY_EXISTS when `path` exists; PERMISSION_DENIED; INTERNAL on other I/O errors.
  absl::Status WriteNew(const std::string& path) const;

  WitnessAlgorithm algorithm() const { return public_key_.algorithm(); }
  const WitnessPublicKey& public_key() const { return public_key_; }

  // The 64-byte signature of `message` (Ed25519; or SM2 with SM3 and the default ID,
  // as r || s; SM2 signatures are randomised, so two calls differ). INTERNAL if OpenSSL
  // fails.
  absl::StatusOr<std::string> Sign(absl::string_view message) const;

 private:
  struct Impl;
  WitnessKey(WitnessPublicKey public_key, std::shared_ptr<const Impl> impl);

  WitnessPublicKey public_key_;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace regulation::scheduler::entropy

#endif  // SCHEDULER_ENTROPY_WITNESS_KEY_H_
