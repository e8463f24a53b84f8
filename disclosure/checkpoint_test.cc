#include "disclosure/checkpoint.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_replace.h"
#include "common/sha256.h"
#include "disclosure/merkle.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::disclosure {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

// Known answers from golang.org/x/mod/sumdb/note (note_test.go): the same seed, text and
// deterministic Ed25519 signature.
constexpr char kPeterSeedB64[] = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr char kPeterVerifierKey[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr char kEnochVerifierKey[] =
    "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
constexpr char kText[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr char kPeterSig[] =
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
constexpr char kEnochSig[] =
    "\xE2\x80\x94 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/"
    "5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

SigningKey PeterKey() {
  std::string raw;
  absl::Base64Unescape(kPeterSeedB64, &raw);
  return *SigningKey::FromSeed("PeterNeumann", raw.substr(1));
}

NoteVerifier Verifier(const char* key) { return *NoteVerifier::Parse(key); }

TEST(SignedNoteTest, SignMatchesGosNotePackage) {
  absl::StatusOr<std::string> note = SignNote(kText, PeterKey());
  ASSERT_OK(note);
  EXPECT_EQ(*note, std::string(kText) + "\n" + kPeterSig);
}

TEST(SignedNoteTest, OpensGoSignedNotesAndIgnoresUnknownKeys) {
  const std::string note = std::string(kText) + "\n" + kPeterSig + kEnochSig;
  absl::StatusOr<std::string> text = OpenNote(note, Verifier(kPeterVerifierKey));
  ASSERT_OK(text);
  EXPECT_EQ(*text, kText);
  text = OpenNote(note, Verifier(kEnochVerifierKey));
  ASSERT_OK(text);
  EXPECT_EQ(*text, kText);

  absl::StatusOr<Note> parsed = ParseNote(note);
  ASSERT_OK(parsed);
  ASSERT_EQ(parsed->signatures.size(), 2u);
  EXPECT_EQ(parsed->signatures[0].name, "PeterNeumann");
  EXPECT_EQ(parsed->signatures[0].key_id, 0xc74f20a3u);
  EXPECT_EQ(parsed->signatures[1].key_id, 0xaf0cfe78u);
}

TEST(SignedNoteTest, TamperedTextFails) {
  std::string note = std::string(kText) + "\n" + kPeterSig;
  note[3] = 'X';
  EXPECT_THAT(OpenNote(note, Verifier(kPeterVerifierKey)),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(SignedNoteTest, ForeignSignatureOnlyFails) {
  const std::string note = std::string(kText) + "\n" + kEnochSig;
  absl::Status status = OpenNote(note, Verifier(kPeterVerifierKey)).status();
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("PeterNeumann+c74f20a3")));
}

TEST(SignedNoteTest, MalformedNotesAreRejected) {
  const std::string text = kText;
  const std::string sig = kPeterSig;
  for (const std::string& bad : std::vector<std::string>{
           text,
           text + "\n",
           text + "\n" + sig.substr(0, sig.size() - 1),
           "\x01" + text + "\n" + sig,
           "\xff" + text + "\n" + sig,
           text + "\n" + "\xE2\x80\x94 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZIn=\n",
           text + "\n" + sig + "Unexpected line.\n",
           text + "\n" + "- PeterNeumann AAAAAAAA\n",
       }) {
    EXPECT_THAT(ParseNote(bad), StatusIs(absl::StatusCode::kInvalidArgument))
        << absl::CHexEscape(bad);
    EXPECT_FALSE(OpenNote(bad, Verifier(kPeterVerifierKey)).ok());
  }
}

TEST(CheckpointTest, SignAndVerify) {
  absl::StatusOr<SigningKey> key = SigningKey::Generate("regulation.example/disclosure");
  ASSERT_OK(key);
  const std::string root = LeafHash("x");
  absl::StatusOr<SignedCheckpoint> signed_cp =
      SignCheckpoint("regulation.example/disclosure", 42, root, *key);
  ASSERT_OK(signed_cp);
  EXPECT_EQ(signed_cp->size, 42u);
  EXPECT_EQ(signed_cp->root_hash, root);
  EXPECT_EQ(signed_cp->note.rfind("regulation.example/disclosure\n42\n" + absl::Base64Escape(root) +
                                      "\n\n\xE2\x80\x94 regulation.example/disclosure ",
                                  0),
            0u)
      << signed_cp->note;

  absl::StatusOr<SignedCheckpoint> verified =
      VerifyCheckpoint(signed_cp->note, key->verifier(), "regulation.example/disclosure");
  ASSERT_OK(verified);
  EXPECT_EQ(verified->origin, "regulation.example/disclosure");
  EXPECT_EQ(verified->size, 42u);
  EXPECT_EQ(verified->root_hash, root);
  EXPECT_EQ(verified->note, signed_cp->note);

  EXPECT_THAT(VerifyCheckpoint(signed_cp->note, key->verifier(), "other.example/log"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// The example in docs/transparency-log.md: the RFC 6962 test tree of 8 leaves, signed by
// a key derived from a fixed seed (the signature made independently with `openssl pkeyutl
// -sign -rawin`).
TEST(CheckpointTest, DocumentedExampleVerifiesAndIsReproduced) {
  const std::string note =
      "regulation.example/disclosure\n"
      "8\n"
      "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
      "\n"
      "\xE2\x80\x94 regulation.example/disclosure "
      "MlhupEMCph2dMKxSqvl/cUFCIOYPmF/"
      "UZpdc5Tycn6oFyQ9dM57jP3XdkLv2kR74f9+QpwwE9Qs9Ad8bUBMZTOhAUgk=\n";
  absl::StatusOr<NoteVerifier> verifier = NoteVerifier::Parse(
      "regulation.example/disclosure+32586ea4+AXO4zZqutNc2OF51BC4GKk9n4jNwrjCZO6/2rip9qJg8");
  ASSERT_OK(verifier);
  absl::StatusOr<SignedCheckpoint> cp = VerifyCheckpoint(note, *verifier);
  ASSERT_OK(cp);
  EXPECT_EQ(cp->size, 8u);
  EXPECT_EQ(absl::BytesToHexString(cp->root_hash),
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  absl::StatusOr<SigningKey> key =
      SigningKey::FromSeed("regulation.example/disclosure",
                           Sha256("regulation.example/disclosure documentation example key"));
  ASSERT_OK(key);
  absl::StatusOr<SignedCheckpoint> again =
      SignCheckpoint("regulation.example/disclosure", 8, cp->root_hash, *key);
  ASSERT_OK(again);
  EXPECT_EQ(again->note, note);
}

TEST(CheckpointTest, TamperedCheckpointFails) {
  absl::StatusOr<SigningKey> key = SigningKey::Generate("log.example");
  ASSERT_OK(key);
  absl::StatusOr<SignedCheckpoint> cp = SignCheckpoint("log.example", 1000, LeafHash("r"), *key);
  ASSERT_OK(cp);
  const std::string bigger = absl::StrReplaceAll(cp->note, {{"\n1000\n", "\n1001\n"}});
  ASSERT_NE(bigger, cp->note);
  EXPECT_THAT(VerifyCheckpoint(bigger, key->verifier()),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(CheckpointTest, WrongKeyFails) {
  absl::StatusOr<SigningKey> key = SigningKey::Generate("log.example");
  absl::StatusOr<SigningKey> impostor = SigningKey::Generate("log.example");
  ASSERT_OK(key);
  ASSERT_OK(impostor);
  absl::StatusOr<SignedCheckpoint> cp = SignCheckpoint("log.example", 7, LeafHash("r"), *impostor);
  ASSERT_OK(cp);
  EXPECT_THAT(VerifyCheckpoint(cp->note, key->verifier()),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(CheckpointTest, ParsesTextStrictly) {
  const std::string root = absl::Base64Escape(LeafHash("r"));
  absl::StatusOr<CheckpointText> ok = ParseCheckpointText("o\n0\n" + root + "\next\n");
  ASSERT_OK(ok);
  EXPECT_EQ(ok->size, 0u);
  EXPECT_THAT(ok->extensions, ::testing::ElementsAre("ext"));
  EXPECT_EQ(FormatCheckpointText(*ok), "o\n0\n" + root + "\next\n");

  for (const std::string& bad : std::vector<std::string>{
           "o\n1\n" + root,                            // no final newline
           "o\n1\n",                                   // no root
           "o\n01\n" + root + "\n",                    // leading zero
           "o\n-1\n" + root + "\n",                    // sign
           "o\n18446744073709551616\n" + root + "\n",  // overflow
           "o\n1\nAAAA\n",                             // short root
           "o\n1\n" + root.substr(0, 43) + "\n",       // unpadded
           "\n1\n" + root + "\n",                      // empty origin
           "o\n1\n" + root + "\n\n",                   // empty extension line
       }) {
    EXPECT_THAT(ParseCheckpointText(bad), StatusIs(absl::StatusCode::kInvalidArgument))
        << absl::CHexEscape(bad);
  }
}

}  // namespace
}  // namespace regulation::disclosure
