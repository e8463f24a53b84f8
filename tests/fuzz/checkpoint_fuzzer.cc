// Fuzz target: C2SP signed notes, checkpoints and verifier keys (disclosure/checkpoint.h,
// signing_key.h), as `regctl verify-log` and the site's checkpoint guard read them.
// Checks:
//   - ParseNote accepts only what it can write back: text, a blank line, and its
//     signature lines re-encoded give the input; at most kMaxNoteSignatures signatures;
//     refusals are INVALID_ARGUMENT;
//   - ParseCheckpointText accepts only canonical checkpoints (FormatCheckpointText gives
//     the input back);
//   - NoteVerifier::Parse accepts only keys it writes back the same;
//   - no input opens under a key that never signed anything (OpenNote is
//     INVALID_ARGUMENT or UNAUTHENTICATED); a note that opens under the corpus key
//     verifies as a checkpoint exactly when its text parses as one;
//   - the input signed as note text opens to itself, and with any one byte of the
//     signed note changed it no longer opens.

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "disclosure/checkpoint.h"
#include "disclosure/signing_key.h"
#include "tests/fuzz/fuzz_check.h"

namespace regulation::fuzz {
namespace {

using disclosure::SigningKey;

SigningKey MakeKey(absl::string_view name, char seed_byte) {
  absl::StatusOr<SigningKey> made = SigningKey::FromSeed(name, std::string(32, seed_byte));
  FUZZ_CHECK(made.ok()) << made.status();
  return *std::move(made);
}

// The key the seed corpus is signed with (seed 32 x 0x2a): mutated seeds keep valid
// signatures often enough to reach the checkpoint parser behind OpenNote.
const SigningKey& CorpusKey() {
  static const SigningKey* key = new SigningKey(MakeKey("fuzz.example/log", '\x2a'));
  return *key;
}

// A key nothing was ever signed with: no input may open under it.
const SigningKey& UnusedKey() {
  static const SigningKey* key = new SigningKey(MakeKey("fuzz.example/log", '\x17'));
  return *key;
}

bool IsRefusal(const absl::Status& s) {
  return s.code() == absl::StatusCode::kInvalidArgument ||
         s.code() == absl::StatusCode::kUnauthenticated;
}

void CheckNote(absl::string_view input) {
  const absl::StatusOr<disclosure::Note> note = disclosure::ParseNote(input);
  if (!note.ok()) {
    FUZZ_CHECK(note.status().code() == absl::StatusCode::kInvalidArgument) << note.status();
    return;
  }
  FUZZ_CHECK(!note->signatures.empty());
  FUZZ_CHECK(note->signatures.size() <= static_cast<size_t>(disclosure::kMaxNoteSignatures));
  std::string written = absl::StrCat(note->text, "\n");
  for (const disclosure::NoteSignature& sig : note->signatures) {
    std::string raw;
    raw.push_back(static_cast<char>(sig.key_id >> 24));
    raw.push_back(static_cast<char>(sig.key_id >> 16));
    raw.push_back(static_cast<char>(sig.key_id >> 8));
    raw.push_back(static_cast<char>(sig.key_id));
    raw += sig.signature;
    absl::StrAppend(&written, "\xE2\x80\x94 ", sig.name, " ", absl::Base64Escape(raw), "\n");
  }
  FUZZ_CHECK(written == input) << "a parsed note is written back differently";
}

void CheckCheckpointText(absl::string_view input) {
  const absl::StatusOr<disclosure::CheckpointText> checkpoint =
      disclosure::ParseCheckpointText(input);
  if (!checkpoint.ok()) {
    FUZZ_CHECK(checkpoint.status().code() == absl::StatusCode::kInvalidArgument)
        << checkpoint.status();
    return;
  }
  FUZZ_CHECK(checkpoint->root_hash.size() == 32);
  FUZZ_CHECK(disclosure::FormatCheckpointText(*checkpoint) == input)
      << "a parsed checkpoint is written back differently";
}

void CheckVerifierKey(absl::string_view input) {
  const absl::StatusOr<disclosure::NoteVerifier> verifier = disclosure::NoteVerifier::Parse(input);
  if (!verifier.ok()) {
    FUZZ_CHECK(verifier.status().code() == absl::StatusCode::kInvalidArgument) << verifier.status();
    return;
  }
  FUZZ_CHECK(verifier->public_key().size() == 32);
  FUZZ_CHECK(verifier->VerifierKey() == input) << "a parsed verifier key is written back differently";
}

void CheckSignatures(absl::string_view input) {
  const absl::StatusOr<std::string> forged = disclosure::OpenNote(input, UnusedKey().verifier());
  FUZZ_CHECK(!forged.ok()) << "a note opened under a key that never signed anything";
  FUZZ_CHECK(IsRefusal(forged.status())) << forged.status();

  const SigningKey& key = CorpusKey();
  const absl::StatusOr<std::string> opened = disclosure::OpenNote(input, key.verifier());
  const absl::StatusOr<disclosure::SignedCheckpoint> verified =
      disclosure::VerifyCheckpoint(input, key.verifier());
  if (opened.ok()) {
    const absl::StatusOr<disclosure::Note> note = disclosure::ParseNote(input);
    FUZZ_CHECK(note.ok() && note->text == *opened);
    FUZZ_CHECK(verified.ok() == disclosure::ParseCheckpointText(*opened).ok()) << verified.status();
  } else {
    FUZZ_CHECK(IsRefusal(opened.status())) << opened.status();
    FUZZ_CHECK(!verified.ok() && IsRefusal(verified.status())) << verified.status();
  }

  // The input as note text, signed with the key.
  const absl::StatusOr<std::string> signed_note = disclosure::SignNote(input, key);
  if (!signed_note.ok()) {
    FUZZ_CHECK(signed_note.status().code() == absl::StatusCode::kInvalidArgument)
        << signed_note.status();
    return;
  }
  const absl::StatusOr<std::string> text = disclosure::OpenNote(*signed_note, key.verifier());
  FUZZ_CHECK(text.ok()) << text.status();
  FUZZ_CHECK(*text == input);
  const absl::StatusOr<disclosure::SignedCheckpoint> checkpoint =
      disclosure::VerifyCheckpoint(*signed_note, key.verifier());
  const bool parses = disclosure::ParseCheckpointText(input).ok();
  FUZZ_CHECK(checkpoint.ok() == parses) << checkpoint.status();
  // Any one byte changed in the signed note stops it from opening as this text.
  const size_t at = input.empty() ? 0 : static_cast<unsigned char>(input[0]) % signed_note->size();
  std::string tampered = *signed_note;
  tampered[at] ^= 0x01;
  const absl::StatusOr<std::string> reopened = disclosure::OpenNote(tampered, key.verifier());
  FUZZ_CHECK(!reopened.ok()) << "a note changed at byte " << at
                             << " still opened: " << absl::CHexEscape(tampered);
  FUZZ_CHECK(IsRefusal(reopened.status())) << reopened.status();
}

}  // namespace
}  // namespace regulation::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  regulation::fuzz::CheckNote(input);
  regulation::fuzz::CheckCheckpointText(input);
  regulation::fuzz::CheckVerifierKey(input);
  regulation::fuzz::CheckSignatures(input);
  return 0;
}
