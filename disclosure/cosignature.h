#ifndef DISCLOSURE_COSIGNATURE_H_
#define DISCLOSURE_COSIGNATURE_H_

// Witness cosignatures of checkpoints: C2SP tlog-cosignature, Ed25519 "cosignature/v1"
// (c2sp.org/tlog-cosignature). A cosigner (a witness) that has checked that a checkpoint
// is consistent with every earlier one it saw of the same log adds a signature line:
//
//   — <cosigner name> base64(key id (4) || timestamp (8, big-endian) || signature (64))
//
// where the key id is SHA-256(name || 0x0A || 0x04 || public key)[:4] and the signature
// is over
//
//   cosignature/v1\n
//   time <timestamp, decimal POSIX seconds>\n
//   <the checkpoint's note text, final newline included>
//
// A cosigner is named to verifiers by its verifier key, "<name>+<key id>+<base64(0x04 ||
// 32-byte key)>". Readers that require a cosigner accept a checkpoint only with a valid
// line by it: then a log cannot show one history to them and another to the witness.
//
// Status codes: INVALID_ARGUMENT (malformed key, note or name); NOT_FOUND (no line by
// the cosigner); UNAUTHENTICATED (its line does not verify); INTERNAL (OpenSSL).
//
// Thread safety: value types and pure functions.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "disclosure/signing_key.h"

namespace regulation::disclosure {

// The signature type byte of Ed25519 cosignature/v1 in key ids and verifier keys.
inline constexpr uint8_t kCosignatureV1Type = 0x04;

// SHA-256(name || 0x0A || 0x04 || public_key)[:4], big-endian.
uint32_t CosignerKeyId(absl::string_view name, absl::string_view public_key);

// The message a cosigner signs for `checkpoint_text` at `timestamp`.
std::string CosignedMessage(absl::string_view checkpoint_text, uint64_t timestamp);

// The public half of a cosigner.
class CosignerVerifier {
 public:
  // "<name>+<key id>+<base64(0x04 || key)>". INVALID_ARGUMENT when malformed, of another
  // type, or its key id does not match.
  static absl::StatusOr<CosignerVerifier> Parse(absl::string_view verifier_key);
  // The cosigner of `key` (its name and public key; the type byte is 0x04).
  static CosignerVerifier Of(const SigningKey& key);

  const std::string& name() const { return ed25519_.name(); }
  uint32_t key_id() const { return key_id_; }
  std::string VerifierKey() const;

  // The timestamp of this cosigner's valid line in the signed note `note`. NOT_FOUND
  // when the note has no line by it (name and key id); UNAUTHENTICATED when its line
  // does not verify.
  absl::StatusOr<uint64_t> Verify(absl::string_view note) const;

 private:
  explicit CosignerVerifier(NoteVerifier ed25519);
  NoteVerifier ed25519_;  // the key and the raw Ed25519 check (its own key id unused)
  uint32_t key_id_ = 0;
};

// `note` (a signed checkpoint) with `key`'s cosignature line at `timestamp` added, after
// any other lines; a line by the same cosigner already there is replaced.
absl::StatusOr<std::string> AddCosignature(absl::string_view note, const SigningKey& key,
                                           uint64_t timestamp);

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_COSIGNATURE_H_
