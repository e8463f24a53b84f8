#include "disclosure/cosignature.h"

#include <openssl/sha.h>

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"
#include "disclosure/checkpoint.h"

namespace regulation::disclosure {
namespace {

constexpr absl::string_view kSignaturePrefix = "\xE2\x80\x94 ";
constexpr size_t kEd25519SignatureSize = 64;

std::string BigEndian(uint64_t value, int bytes) {
  std::string out(bytes, '\0');
  for (int i = bytes - 1; i >= 0; --i, value >>= 8) out[i] = static_cast<char>(value & 0xff);
  return out;
}

uint64_t ReadBigEndian(absl::string_view bytes) {
  uint64_t value = 0;
  for (char c : bytes) value = (value << 8) | static_cast<uint8_t>(c);
  return value;
}

}  // namespace

uint32_t CosignerKeyId(absl::string_view name, absl::string_view public_key) {
  const std::string data = absl::StrCat(name, "\n", std::string(1, static_cast<char>(kCosignatureV1Type)),
                                        public_key);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return static_cast<uint32_t>(ReadBigEndian(absl::string_view(reinterpret_cast<char*>(digest), 4)));
}

std::string CosignedMessage(absl::string_view checkpoint_text, uint64_t timestamp) {
  return absl::StrCat("cosignature/v1\ntime ", timestamp, "\n", checkpoint_text);
}

CosignerVerifier::CosignerVerifier(NoteVerifier ed25519)
    : ed25519_(std::move(ed25519)),
      key_id_(CosignerKeyId(ed25519_.name(), ed25519_.public_key())) {}

absl::StatusOr<CosignerVerifier> CosignerVerifier::Parse(absl::string_view verifier_key) {
  const std::vector<absl::string_view> parts = absl::StrSplit(verifier_key, absl::MaxSplits('+', 2));
  auto malformed = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("cosigner key \"", verifier_key, "\": ", why));
  };
  if (parts.size() != 3 || !IsValidKeyName(parts[0]) || parts[1].size() != 8) {
    return malformed("not <name>+<key id>+<base64 key>");
  }
  uint32_t key_id = 0;
  if (!absl::SimpleHexAtoi(parts[1], &key_id)) return malformed("the key id is not 8 hex digits");
  std::string raw;
  if (!absl::Base64Unescape(parts[2], &raw) || absl::Base64Escape(raw) != parts[2]) {
    return malformed("the key is not base64");
  }
  if (raw.size() != 33 || static_cast<uint8_t>(raw[0]) != kCosignatureV1Type) {
    return malformed("not an Ed25519 cosignature/v1 key (type 0x04, 32 bytes)");
  }
  REG_ASSIGN_OR_RETURN(NoteVerifier ed25519, NoteVerifier::FromPublicKey(parts[0], raw.substr(1)));
  CosignerVerifier verifier(std::move(ed25519));
  if (verifier.key_id() != key_id) return malformed("the key id does not match the key");
  return verifier;
}

CosignerVerifier CosignerVerifier::Of(const SigningKey& key) { return CosignerVerifier(key.verifier()); }

std::string CosignerVerifier::VerifierKey() const {
  return absl::StrFormat("%s+%08x+%s", name(), key_id_,
                         absl::Base64Escape(absl::StrCat(std::string(1, static_cast<char>(kCosignatureV1Type)),
                                                         ed25519_.public_key())));
}

absl::StatusOr<uint64_t> CosignerVerifier::Verify(absl::string_view note) const {
  REG_ASSIGN_OR_RETURN(Note parsed, ParseNote(note));
  for (const NoteSignature& sig : parsed.signatures) {
    if (sig.name != name() || sig.key_id != key_id_) continue;
    if (sig.signature.size() != 8 + kEd25519SignatureSize) {
      return absl::UnauthenticatedError(
          absl::StrCat("the cosignature by ", name(), " is not a timestamp and an Ed25519 signature"));
    }
    const uint64_t timestamp = ReadBigEndian(absl::string_view(sig.signature).substr(0, 8));
    if (timestamp > (uint64_t{1} << 63) - 1 ||
        !ed25519_.Verify(CosignedMessage(parsed.text, timestamp), sig.signature.substr(8))) {
      return absl::UnauthenticatedError(absl::StrCat("the cosignature by ", name(), " does not verify"));
    }
    return timestamp;
  }
  return absl::NotFoundError(absl::StrCat("the checkpoint carries no cosignature by witness ", name()));
}

absl::StatusOr<std::string> AddCosignature(absl::string_view note, const SigningKey& key,
                                           uint64_t timestamp) {
  REG_ASSIGN_OR_RETURN(Note parsed, ParseNote(note));
  if (timestamp > (uint64_t{1} << 63) - 1) return absl::InvalidArgumentError("timestamp: beyond 2^63 - 1");
  const CosignerVerifier self = CosignerVerifier::Of(key);
  REG_ASSIGN_OR_RETURN(std::string signature, key.Sign(CosignedMessage(parsed.text, timestamp)));
  std::string out = absl::StrCat(parsed.text, "\n");
  for (const NoteSignature& sig : parsed.signatures) {
    if (sig.name == self.name() && sig.key_id == self.key_id()) continue;  // replaced below
    absl::StrAppend(&out, kSignaturePrefix, sig.name, " ",
                    absl::Base64Escape(absl::StrCat(BigEndian(sig.key_id, 4), sig.signature)), "\n");
  }
  absl::StrAppend(&out, kSignaturePrefix, self.name(), " ",
                  absl::Base64Escape(absl::StrCat(BigEndian(self.key_id(), 4), BigEndian(timestamp, 8),
                                                  signature)),
                  "\n");
  return out;
}

}  // namespace regulation::disclosure
