#include "disclosure/cosignature.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "disclosure/checkpoint.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::disclosure {
namespace {

using ::testing::HasSubstr;

SigningKey Key(const std::string& name, char seed) {
  return SigningKey::FromSeed(name, std::string(32, seed)).value();
}

class CosignatureTest : public ::testing::Test {
 protected:
  SigningKey log_ = Key("regulation.example/disclosure", 1);
  SigningKey witness_ = Key("witness.example/w1", 2);
  std::string note_ = SignCheckpoint("regulation.example/disclosure", 20852163,
                                     std::string(32, '\x0a'), log_).value().note;
};

TEST_F(CosignatureTest, TheSignedMessageIsTheSpecsTwoLinesThenTheCheckpoint) {
  EXPECT_EQ(CosignedMessage("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
                            1679315147),
            "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n"
            "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
}

TEST_F(CosignatureTest, ALineVerifiesAndCarriesItsTimestamp) {
  const std::string cosigned = AddCosignature(note_, witness_, 1700000000).value();
  // The log's own signature still opens the note; the witness's line is one more.
  EXPECT_OK(OpenNote(cosigned, log_.verifier()));
  const CosignerVerifier verifier = CosignerVerifier::Of(witness_);
  absl::StatusOr<uint64_t> timestamp = verifier.Verify(cosigned);
  ASSERT_OK(timestamp);
  EXPECT_EQ(*timestamp, 1700000000u);

  // Independently: the line is key id (type 0x04) || big-endian time || Ed25519 over the
  // cosignature/v1 message.
  const std::string line = cosigned.substr(cosigned.rfind("\xE2\x80\x94 "));
  const std::vector<std::string> words = absl::StrSplit(line, ' ');
  ASSERT_EQ(words.size(), 3u);
  EXPECT_EQ(words[1], "witness.example/w1");
  std::string raw;
  ASSERT_TRUE(absl::Base64Unescape(absl::StripSuffix(words[2], "\n"), &raw));
  ASSERT_EQ(raw.size(), 4u + 8u + 64u);
  EXPECT_EQ(CosignerKeyId("witness.example/w1", witness_.public_key()), verifier.key_id());
  EXPECT_NE(verifier.key_id(), witness_.key_id());  // 0x04, not the note key's 0x01
  EXPECT_EQ(raw.substr(4, 8), std::string("\0\0\0\0\x65\x53\xf1\x00", 8));
  const std::string text = note_.substr(0, note_.find("\n\n") + 1);
  EXPECT_TRUE(witness_.verifier().Verify(CosignedMessage(text, 1700000000), raw.substr(12)));
}

TEST_F(CosignatureTest, VerifierKeysRoundTripAndAreChecked) {
  const CosignerVerifier verifier = CosignerVerifier::Of(witness_);
  const std::string vkey = verifier.VerifierKey();
  absl::StatusOr<CosignerVerifier> parsed = CosignerVerifier::Parse(vkey);
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->VerifierKey(), vkey);
  // The log's note key (type 0x01) is not a cosigner key.
  EXPECT_FALSE(CosignerVerifier::Parse(witness_.VerifierKey()).ok());
  std::string wrong_id = vkey;
  wrong_id[wrong_id.find('+') + 1] = wrong_id[wrong_id.find('+') + 1] == '0' ? '1' : '0';
  EXPECT_FALSE(CosignerVerifier::Parse(wrong_id).ok());
}

TEST_F(CosignatureTest, MissingForgedAndReplayedCosignaturesFail) {
  const CosignerVerifier verifier = CosignerVerifier::Of(witness_);
  EXPECT_TRUE(absl::IsNotFound(verifier.Verify(note_).status()));
  // Another witness's line is not this one's.
  const std::string other = AddCosignature(note_, Key("witness.example/w2", 3), 1700000000).value();
  EXPECT_TRUE(absl::IsNotFound(verifier.Verify(other).status()));
  // The witness's line moved onto another checkpoint (replayed) does not verify.
  const std::string cosigned = AddCosignature(note_, witness_, 1700000000).value();
  const std::string newer = SignCheckpoint("regulation.example/disclosure", 20852164,
                                           std::string(32, '\x0b'), log_).value().note;
  const std::string replayed = newer + cosigned.substr(cosigned.rfind("\xE2\x80\x94 "));
  absl::Status status = verifier.Verify(replayed).status();
  EXPECT_TRUE(absl::IsUnauthenticated(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("does not verify"));
  // Cosigning again replaces the line rather than adding a second one.
  const std::string again = AddCosignature(cosigned, witness_, 1700000100).value();
  EXPECT_EQ(ParseNote(again).value().signatures.size(), 2u);
  EXPECT_EQ(verifier.Verify(again).value(), 1700000100u);
}

}  // namespace
}  // namespace regulation::disclosure
