#include "disclosure/signing_key.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/files.h"
#include "common/openssl_error.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "common/text_policy.h"
#include "common/utf8.h"

namespace regulation::disclosure {
namespace {

constexpr size_t kPublicKeySize = 32;
constexpr size_t kSeedSize = 32;
constexpr size_t kSignatureSize = 64;

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

struct PkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter>;

absl::StatusOr<std::string> RawPublicKey(EVP_PKEY* key) {
  std::string out(kPublicKeySize, '\0');
  size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(out.data()), &len) != 1 ||
      len != kPublicKeySize) {
    return OpenSslError("EVP_PKEY_get_raw_public_key");
  }
  return out;
}

// Unicode White_Space (what Go's unicode.IsSpace accepts) and C0/C1 controls.
bool IsSpaceOrControl(uint32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || IsUnicodeWhiteSpace(cp);
}

}  // namespace

uint32_t Ed25519KeyId(absl::string_view name, absl::string_view public_key) {
  Sha256Hasher hasher;
  hasher.Update(name);
  hasher.Update("\n");
  const char type = static_cast<char>(kEd25519SignatureType);
  hasher.Update(absl::string_view(&type, 1));
  hasher.Update(public_key);
  unsigned char digest[32];
  hasher.Finish(digest);
  return (uint32_t{digest[0]} << 24) | (uint32_t{digest[1]} << 16) | (uint32_t{digest[2]} << 8) |
         uint32_t{digest[3]};
}

bool IsValidKeyName(absl::string_view name) {
  if (name.empty()) return false;
  for (const Utf8Char c : Utf8Chars(name)) {
    if (!c.valid || c.code == '+' || IsSpaceOrControl(c.code)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------
// NoteVerifier

struct NoteVerifier::Impl {
  PkeyPtr key;
};

NoteVerifier::NoteVerifier(std::string name, std::string public_key,
                           std::shared_ptr<const Impl> impl)
    : name_(std::move(name)),
      key_id_(Ed25519KeyId(name_, public_key)),
      public_key_(std::move(public_key)),
      impl_(std::move(impl)) {}

absl::StatusOr<NoteVerifier> NoteVerifier::FromPublicKey(absl::string_view name,
                                                         absl::string_view public_key) {
  if (!IsValidKeyName(name)) {
    return absl::InvalidArgumentError(absl::StrCat("invalid key name \"", absl::CHexEscape(name),
                                                   "\": it must be non-empty UTF-8 without ",
                                                   "spaces or '+'"));
  }
  if (public_key.size() != kPublicKeySize) {
    return absl::InvalidArgumentError(
        absl::StrCat("an Ed25519 public key is 32 bytes, not ", public_key.size()));
  }
  auto impl = std::make_shared<Impl>();
  impl->key.reset(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(public_key.data()),
      public_key.size()));
  if (impl->key == nullptr) return OpenSslError("EVP_PKEY_new_raw_public_key");
  return NoteVerifier(std::string(name), std::string(public_key), std::move(impl));
}

absl::StatusOr<NoteVerifier> NoteVerifier::Parse(absl::string_view verifier_key) {
  const size_t first = verifier_key.find('+');
  const size_t second =
      first == absl::string_view::npos ? first : verifier_key.find('+', first + 1);
  if (second == absl::string_view::npos) {
    return absl::InvalidArgumentError("malformed verifier key: want <name>+<key id>+<base64 key>");
  }
  const absl::string_view name = verifier_key.substr(0, first);
  const absl::string_view id_hex = verifier_key.substr(first + 1, second - first - 1);
  const absl::string_view key_b64 = verifier_key.substr(second + 1);
  uint32_t id = 0;
  bool hex_ok = id_hex.size() == 8;
  for (char c : id_hex) hex_ok = hex_ok && absl::ascii_isxdigit(static_cast<unsigned char>(c));
  if (!hex_ok || !absl::SimpleHexAtoi(id_hex, &id)) {
    return absl::InvalidArgumentError("malformed verifier key: the key id is not 8 hex digits");
  }
  std::string key;
  if (!absl::Base64Unescape(key_b64, &key) || absl::Base64Escape(key) != key_b64) {
    return absl::InvalidArgumentError("malformed verifier key: the key is not canonical base64");
  }
  if (key.size() != 1 + kPublicKeySize || static_cast<uint8_t>(key[0]) != kEd25519SignatureType) {
    return absl::InvalidArgumentError("verifier key is not an Ed25519 key (type 0x01, 32 bytes)");
  }
  REG_ASSIGN_OR_RETURN(NoteVerifier verifier, FromPublicKey(name, key.substr(1)));
  if (verifier.key_id() != id) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "verifier key id %08x does not match its key (%08x)", id, verifier.key_id()));
  }
  return verifier;
}

std::string NoteVerifier::VerifierKey() const {
  std::string key(1, static_cast<char>(kEd25519SignatureType));
  key += public_key_;
  return absl::StrFormat("%s+%08x+%s", name_, key_id_, absl::Base64Escape(key));
}

bool NoteVerifier::Verify(absl::string_view message, absl::string_view signature) const {
  if (signature.size() != kSignatureSize) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1) {
    ERR_clear_error();
    return false;
  }
  const int ok = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
      reinterpret_cast<const unsigned char*>(message.data()), message.size());
  ERR_clear_error();
  return ok == 1;
}

// ---------------------------------------------------------------------------------------
// SigningKey

struct SigningKey::Impl {
  PkeyPtr key;
};

SigningKey::SigningKey(NoteVerifier verifier, std::shared_ptr<const Impl> impl)
    : verifier_(std::move(verifier)), impl_(std::move(impl)) {}

absl::StatusOr<SigningKey> SigningKey::Generate(absl::string_view name) {
  if (!IsValidKeyName(name)) return NoteVerifier::FromPublicKey(name, "").status();
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
  EVP_PKEY* raw = nullptr;
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_keygen(ctx.get(), &raw) != 1) {
    return OpenSslError("Ed25519 key generation");
  }
  auto impl = std::make_shared<Impl>();
  impl->key.reset(raw);
  REG_ASSIGN_OR_RETURN(std::string public_key, RawPublicKey(impl->key.get()));
  REG_ASSIGN_OR_RETURN(NoteVerifier verifier, NoteVerifier::FromPublicKey(name, public_key));
  return SigningKey(std::move(verifier), std::move(impl));
}

absl::StatusOr<SigningKey> SigningKey::FromSeed(absl::string_view name, absl::string_view seed) {
  if (seed.size() != kSeedSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("an Ed25519 seed is 32 bytes, not ", seed.size()));
  }
  auto impl = std::make_shared<Impl>();
  impl->key.reset(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed.data()), seed.size()));
  if (impl->key == nullptr) return OpenSslError("EVP_PKEY_new_raw_private_key");
  REG_ASSIGN_OR_RETURN(std::string public_key, RawPublicKey(impl->key.get()));
  REG_ASSIGN_OR_RETURN(NoteVerifier verifier, NoteVerifier::FromPublicKey(name, public_key));
  return SigningKey(std::move(verifier), std::move(impl));
}

absl::StatusOr<SigningKey> SigningKey::Load(const std::string& path, absl::string_view name) {
  REG_ASSIGN_OR_RETURN(std::string pem, ReadPrivateFile(path, "signing key"));
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return OpenSslError("BIO_new_mem_buf");
  auto impl = std::make_shared<Impl>();
  impl->key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (impl->key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a PEM private key"));
  }
  if (EVP_PKEY_get_id(impl->key.get()) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not an Ed25519 key"));
  }
  REG_ASSIGN_OR_RETURN(std::string public_key, RawPublicKey(impl->key.get()));
  REG_ASSIGN_OR_RETURN(NoteVerifier verifier, NoteVerifier::FromPublicKey(name, public_key));
  return SigningKey(std::move(verifier), std::move(impl));
}

absl::StatusOr<SigningKey> SigningKey::LoadOrGenerate(const std::string& path,
                                                      absl::string_view name) {
  absl::StatusOr<SigningKey> loaded = Load(path, name);
  if (loaded.ok() || !absl::IsNotFound(loaded.status())) return loaded;
  REG_ASSIGN_OR_RETURN(SigningKey key, Generate(name));
  const absl::Status written = key.WriteNew(path);
  if (absl::IsAlreadyExists(written)) return Load(path, name);
  REG_RETURN_IF_ERROR(written);
  return key;
}

absl::Status SigningKey::WriteNew(const std::string& path) const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_PrivateKey(bio.get(), impl_->key.get(), nullptr, nullptr, 0,
                                                 nullptr, nullptr) != 1) {
    return OpenSslError("PEM_write_bio_PrivateKey");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  AtomicWriteOptions options;
  options.mode = 0600;
  options.exclusive = true;
  return WriteFileAtomically(path, absl::string_view(data, static_cast<size_t>(len)), options);
}

absl::StatusOr<std::string> SigningKey::Sign(absl::string_view message) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1) {
    return OpenSslError("EVP_DigestSignInit");
  }
  std::string signature(kSignatureSize, '\0');
  size_t len = signature.size();
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      len != kSignatureSize) {
    return OpenSslError("EVP_DigestSign");
  }
  return signature;
}

}  // namespace regulation::disclosure
