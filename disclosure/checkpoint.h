#ifndef DISCLOSURE_CHECKPOINT_H_
#define DISCLOSURE_CHECKPOINT_H_

// C2SP signed notes (c2sp.org/signed-note) and transparency-log checkpoints
// (c2sp.org/tlog-checkpoint), signed with Ed25519.
//
// A checkpoint's note text is three lines, then optional extension lines:
//
//   regulation.example/disclosure        origin
//   20852163                             tree size, decimal, no leading zeros
//   CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=   base64 RFC 6962 root hash
//
// and the signed note appends a blank line and one line per signature:
//
//   — regulation.example/disclosure <base64(4-byte key id || 64-byte signature)>
//
// ("—" is U+2014 EM DASH). The signature covers the text, final newline included.
// Verifiers ignore signatures by keys they do not know and fail when the known key's
// signature is missing or does not verify.
//
// Status codes: INVALID_ARGUMENT for malformed notes or checkpoint texts (messages say
// what is wrong); UNAUTHENTICATED when the note carries no signature by the expected key
// or that signature does not verify; INTERNAL when OpenSSL fails.
//
// Thread safety: all functions are thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "disclosure/log_reader.h"
#include "disclosure/signing_key.h"

namespace regulation::disclosure {

// Notes larger than this are rejected before parsing.
inline constexpr size_t kMaxNoteSize = 1 << 16;
// Signature lines beyond this many make a note malformed (the spec asks for at least 16).
inline constexpr int kMaxNoteSignatures = 100;

struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  // The signature bytes after the key id (64 for Ed25519).
  std::string signature;
};

struct Note {
  // The signed text, ending in a newline.
  std::string text;
  std::vector<NoteSignature> signatures;
};

// Splits a signed note into text and signature lines, checking the syntax only.
absl::StatusOr<Note> ParseNote(absl::string_view note);

// Signs `text` (which must end in a newline, be valid UTF-8, and hold no control
// characters but newlines) and returns the whole signed note.
absl::StatusOr<std::string> SignNote(absl::string_view text, const SigningKey& key);

// The text of `note` once its signature by `verifier` checks out.
absl::StatusOr<std::string> OpenNote(absl::string_view note, const NoteVerifier& verifier);

struct CheckpointText {
  std::string origin;
  uint64_t size = 0;
  // 32 raw bytes.
  std::string root_hash;
  // Extra lines after the root, opaque; each non-empty.
  std::vector<std::string> extensions;
};

// "origin\nsize\nbase64(root)\n" plus extension lines. REQUIRES: root_hash is 32 bytes,
// origin non-empty without newlines (ParseCheckpointText checks what it reads).
std::string FormatCheckpointText(const CheckpointText& checkpoint);

// Parses a checkpoint note text (not the signatures).
absl::StatusOr<CheckpointText> ParseCheckpointText(absl::string_view text);

// A signed checkpoint of the tree (origin, size, root) by `key`. INVALID_ARGUMENT for
// an empty origin, one with control characters, or a root that is not 32 bytes.
absl::StatusOr<SignedCheckpoint> SignCheckpoint(absl::string_view origin, uint64_t size,
                                                absl::string_view root_hash, const SigningKey& key);

// Opens `note` with `verifier` and parses its checkpoint. With a non-empty
// `expected_origin`, INVALID_ARGUMENT when the origin differs.
absl::StatusOr<SignedCheckpoint> VerifyCheckpoint(absl::string_view note,
                                                  const NoteVerifier& verifier,
                                                  absl::string_view expected_origin = "");

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_CHECKPOINT_H_
