#ifndef DISCLOSURE_SIGNING_KEY_H_
#define DISCLOSURE_SIGNING_KEY_H_

// Ed25519 keys for C2SP signed notes (c2sp.org/signed-note), through OpenSSL EVP.
//
// A key has a name (the log's origin, e.g. "regulation.example/disclosure") and a
// 32-bit key id = the first four bytes, big-endian, of
//   SHA-256(name || 0x0A || 0x01 || 32-byte Ed25519 public key).
// The public half is published as a verifier key in Go's golang.org/x/mod/sumdb/note
// format, "<name>+<key id, 8 hex digits>+<base64(0x01 || public key)>", e.g.
//   PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW
//
// The private key lives in a PEM file (PKCS#8, "BEGIN PRIVATE KEY", what `openssl genpkey
// -algorithm ed25519` writes) of mode 0600; the name is configuration, not part of it.
//
//   REG_ASSIGN_OR_RETURN(SigningKey key,
//       SigningKey::LoadOrGenerate("/var/lib/regulation/log.pem",
//                                  "regulation.example/disclosure"));
//   std::string published = key.VerifierKey();
//
// Thread safety: SigningKey and NoteVerifier are immutable after creation and safe to
// use from many threads; copies share the underlying OpenSSL key.

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation::disclosure {

// The signature type byte of Ed25519 in signed notes.
inline constexpr uint8_t kEd25519SignatureType = 0x01;

// SHA-256(name || 0x0A || 0x01 || public_key)[:4], big-endian.
uint32_t Ed25519KeyId(absl::string_view name, absl::string_view public_key);

// True when `name` can name a note key: non-empty UTF-8 without Unicode spaces, control
// characters or '+'.
bool IsValidKeyName(absl::string_view name);

// The public half: checks signatures made by one named Ed25519 key.
class NoteVerifier {
 public:
  // Parses a verifier key "<name>+<hex key id>+<base64(0x01 || key)>". INVALID_ARGUMENT
  // when it is malformed, of another algorithm, or its key id does not match.
  static absl::StatusOr<NoteVerifier> Parse(absl::string_view verifier_key);
  // INVALID_ARGUMENT for a bad name or a key that is not 32 bytes.
  static absl::StatusOr<NoteVerifier> FromPublicKey(absl::string_view name,
                                                    absl::string_view public_key);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  // The 32-byte Ed25519 public key.
  const std::string& public_key() const { return public_key_; }
  // "<name>+<key id>+<base64 key>".
  std::string VerifierKey() const;

  // True when `signature` (64 bytes) is this key's Ed25519 signature of `message`.
  bool Verify(absl::string_view message, absl::string_view signature) const;

 private:
  struct Impl;
  NoteVerifier(std::string name, std::string public_key, std::shared_ptr<const Impl> impl);

  std::string name_;
  uint32_t key_id_ = 0;
  std::string public_key_;
  std::shared_ptr<const Impl> impl_;
};

// The private half: signs with one named Ed25519 key.
class SigningKey {
 public:
  // A fresh random key. INVALID_ARGUMENT for a bad name; INTERNAL if OpenSSL fails.
  static absl::StatusOr<SigningKey> Generate(absl::string_view name);
  // The key of a 32-byte RFC 8032 seed (tests, known-answer vectors).
  static absl::StatusOr<SigningKey> FromSeed(absl::string_view name, absl::string_view seed);
  // Reads a PEM Ed25519 private key. NOT_FOUND when the file is missing;
  // FAILED_PRECONDITION when group or others may read it; INVALID_ARGUMENT when it is
  // not an Ed25519 PEM key or the name is bad; INTERNAL on I/O errors.
  static absl::StatusOr<SigningKey> Load(const std::string& path, absl::string_view name);
  // Load, or, when the file does not exist, Generate and write it (mode 0600, written
  // to a temporary file, fsync'ed, then linked into place so that an existing key is
  // never replaced; a key written meanwhile by another process wins and is loaded).
  static absl::StatusOr<SigningKey> LoadOrGenerate(const std::string& path, absl::string_view name);

  // Writes the key as PEM to `path` (mode 0600). ALREADY_EXISTS when the file exists;
  // INTERNAL on I/O errors.
  absl::Status WriteNew(const std::string& path) const;

  const std::string& name() const { return verifier_.name(); }
  uint32_t key_id() const { return verifier_.key_id(); }
  const std::string& public_key() const { return verifier_.public_key(); }
  std::string VerifierKey() const { return verifier_.VerifierKey(); }
  const NoteVerifier& verifier() const { return verifier_; }

  // The 64-byte Ed25519 signature of `message`. INTERNAL if OpenSSL fails.
  absl::StatusOr<std::string> Sign(absl::string_view message) const;

 private:
  struct Impl;
  SigningKey(NoteVerifier verifier, std::shared_ptr<const Impl> impl);

  NoteVerifier verifier_;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_SIGNING_KEY_H_
