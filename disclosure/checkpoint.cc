#include "disclosure/checkpoint.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"
#include "common/utf8.h"
#include "disclosure/merkle.h"

namespace regulation::disclosure {
namespace {

// U+2014 EM DASH and a space: the start of every signature line.
constexpr absl::string_view kSignaturePrefix = "\xE2\x80\x94 ";

absl::Status Malformed(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("malformed note: ", why));
}

// UTF-8 without control characters other than newline.
absl::Status CheckNoteCharacters(absl::string_view s) {
  if (!IsValidUtf8(s)) return Malformed("not valid UTF-8");
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') {
      return Malformed("control character other than a newline");
    }
  }
  return absl::OkStatus();
}

// Strict standard base64 (RFC 4648 section 4, padded): absl accepts unpadded input
// too, so re-encode and compare.
bool StrictBase64Decode(absl::string_view in, std::string* out) {
  return absl::Base64Unescape(in, out) && absl::Base64Escape(*out) == in;
}

std::string KeyLabel(absl::string_view name, uint32_t key_id) {
  return absl::StrFormat("%s+%08x", name, key_id);
}

}  // namespace

absl::StatusOr<Note> ParseNote(absl::string_view note) {
  if (note.size() > kMaxNoteSize) {
    return Malformed(absl::StrCat("larger than ", kMaxNoteSize, " bytes"));
  }
  REG_RETURN_IF_ERROR(CheckNoteCharacters(note));
  if (note.empty() || note.back() != '\n') return Malformed("does not end in a newline");
  const size_t split = note.rfind("\n\n");
  if (split == absl::string_view::npos) {
    return Malformed("no blank line between the text and the signatures");
  }
  Note out;
  out.text = std::string(note.substr(0, split + 1));
  absl::string_view sigs = note.substr(split + 2);
  if (sigs.empty()) return Malformed("no signature lines");
  while (!sigs.empty()) {
    const size_t eol = sigs.find('\n');  // sigs ends with a newline
    absl::string_view line = sigs.substr(0, eol);
    sigs.remove_prefix(eol + 1);
    if (!absl::ConsumePrefix(&line, kSignaturePrefix)) {
      return Malformed("a signature line does not start with \"\xE2\x80\x94 \"");
    }
    const size_t space = line.find(' ');
    if (space == absl::string_view::npos) return Malformed("a signature line has no signature");
    const absl::string_view name = line.substr(0, space);
    const absl::string_view b64 = line.substr(space + 1);
    if (!IsValidKeyName(name)) return Malformed("a signature line has an invalid key name");
    std::string raw;
    if (!StrictBase64Decode(b64, &raw) || raw.size() < 5) {
      return Malformed("a signature is not base64 of a key id and a signature");
    }
    if (static_cast<int>(out.signatures.size()) >= kMaxNoteSignatures) {
      return Malformed(absl::StrCat("more than ", kMaxNoteSignatures, " signatures"));
    }
    NoteSignature sig;
    sig.name = std::string(name);
    sig.key_id = (uint32_t{static_cast<uint8_t>(raw[0])} << 24) |
                 (uint32_t{static_cast<uint8_t>(raw[1])} << 16) |
                 (uint32_t{static_cast<uint8_t>(raw[2])} << 8) |
                 uint32_t{static_cast<uint8_t>(raw[3])};
    sig.signature = raw.substr(4);
    out.signatures.push_back(std::move(sig));
  }
  return out;
}

absl::StatusOr<std::string> SignNote(absl::string_view text, const SigningKey& key) {
  REG_RETURN_IF_ERROR(CheckNoteCharacters(text));
  if (text.empty() || text.back() != '\n') return Malformed("text does not end in a newline");
  REG_ASSIGN_OR_RETURN(std::string signature, key.Sign(text));
  const uint32_t id = key.key_id();
  std::string raw;
  raw.push_back(static_cast<char>(id >> 24));
  raw.push_back(static_cast<char>(id >> 16));
  raw.push_back(static_cast<char>(id >> 8));
  raw.push_back(static_cast<char>(id));
  raw += signature;
  return absl::StrCat(text, "\n", kSignaturePrefix, key.name(), " ", absl::Base64Escape(raw), "\n");
}

absl::StatusOr<std::string> OpenNote(absl::string_view note, const NoteVerifier& verifier) {
  REG_ASSIGN_OR_RETURN(Note parsed, ParseNote(note));
  bool verified = false;
  for (const NoteSignature& sig : parsed.signatures) {
    // Signatures by other keys (witnesses, rotated keys) are ignored.
    if (sig.name != verifier.name() || sig.key_id != verifier.key_id()) continue;
    if (!verifier.Verify(parsed.text, sig.signature)) {
      return absl::UnauthenticatedError(
          absl::StrCat("the signature by ", KeyLabel(sig.name, sig.key_id), " does not verify"));
    }
    verified = true;
  }
  if (!verified) {
    return absl::UnauthenticatedError(absl::StrCat(
        "no signature by key ", KeyLabel(verifier.name(), verifier.key_id()), " on the note"));
  }
  return std::move(parsed.text);
}

std::string FormatCheckpointText(const CheckpointText& checkpoint) {
  std::string text = absl::StrCat(checkpoint.origin, "\n", checkpoint.size, "\n",
                                  absl::Base64Escape(checkpoint.root_hash), "\n");
  for (const std::string& line : checkpoint.extensions) absl::StrAppend(&text, line, "\n");
  return text;
}

absl::StatusOr<CheckpointText> ParseCheckpointText(absl::string_view text) {
  auto bad = [](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("malformed checkpoint: ", why));
  };
  if (text.empty() || text.back() != '\n') return bad("does not end in a newline");
  std::vector<absl::string_view> lines =
      absl::StrSplit(text.substr(0, text.size() - 1), absl::ByChar('\n'));
  if (lines.size() < 3) return bad("fewer than three lines");
  for (absl::string_view line : lines) {
    if (line.empty()) return bad("an empty line");
  }
  CheckpointText out;
  out.origin = std::string(lines[0]);
  const absl::string_view size = lines[1];
  bool digits = !size.empty() && (size == "0" || size[0] != '0');
  for (char c : size) digits = digits && absl::ascii_isdigit(static_cast<unsigned char>(c));
  if (!digits || !absl::SimpleAtoi(size, &out.size)) {
    return bad(absl::StrCat("tree size \"", absl::CHexEscape(size),
                            "\" is not a decimal number without leading zeros"));
  }
  if (!StrictBase64Decode(lines[2], &out.root_hash) || out.root_hash.size() != kHashSize) {
    return bad("the root hash is not base64 of 32 bytes");
  }
  for (size_t i = 3; i < lines.size(); ++i) out.extensions.emplace_back(lines[i]);
  return out;
}

absl::StatusOr<SignedCheckpoint> SignCheckpoint(absl::string_view origin, uint64_t size,
                                                absl::string_view root_hash,
                                                const SigningKey& key) {
  if (origin.empty()) return absl::InvalidArgumentError("checkpoint origin: empty");
  if (origin.find('\n') != absl::string_view::npos) {
    return absl::InvalidArgumentError("checkpoint origin: contains a newline");
  }
  if (root_hash.size() != kHashSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint root: ", root_hash.size(), " bytes, not ", kHashSize));
  }
  CheckpointText text;
  text.origin = std::string(origin);
  text.size = size;
  text.root_hash = std::string(root_hash);
  SignedCheckpoint out;
  REG_ASSIGN_OR_RETURN(out.note, SignNote(FormatCheckpointText(text), key));
  out.origin = std::move(text.origin);
  out.size = size;
  out.root_hash = std::move(text.root_hash);
  return out;
}

absl::StatusOr<SignedCheckpoint> VerifyCheckpoint(absl::string_view note,
                                                  const NoteVerifier& verifier,
                                                  absl::string_view expected_origin) {
  REG_ASSIGN_OR_RETURN(std::string text, OpenNote(note, verifier));
  REG_ASSIGN_OR_RETURN(CheckpointText parsed, ParseCheckpointText(text));
  if (!expected_origin.empty() && parsed.origin != expected_origin) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint origin \"", parsed.origin, "\" is not \"", expected_origin, "\""));
  }
  SignedCheckpoint out;
  out.origin = std::move(parsed.origin);
  out.size = parsed.size;
  out.root_hash = std::move(parsed.root_hash);
  out.note = std::string(note);
  return out;
}

}  // namespace regulation::disclosure
