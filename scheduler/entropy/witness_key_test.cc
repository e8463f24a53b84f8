#include "scheduler/entropy/witness_key.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "scheduler/entropy/hex.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::scheduler::entropy {
namespace {

using ::regulation::testing::StatusIs;

std::string Unhex(absl::string_view hex) { return absl::HexStringToBytes(hex); }

// RFC 8032 §7.1, TEST 1 (the empty message).
constexpr char kRfc8032Seed[] = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr char kRfc8032Public[] =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr char kRfc8032Signature[] =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9"
    "b46bd25bf5f0595bbe24655141438e7a100b";

// GB/T 32918.2-2016 / GM/T 0003.5-2012, the signature example on the recommended curve:
// message "message digest", ID "1234567812345678" (the default ID), private key d, and
// the signature (r, s) it gives with the example's k.
constexpr char kSm2PrivateKey[] =
    "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8";
constexpr char kSm2PublicKey[] =
    "0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020"
    "ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13";
constexpr char kSm2Signature[] =
    "f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3"
    "b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa";

std::string TempDir() {
  static ::regulation::testing::TempDir dir(
      "witness_key_test");  // removed when the test binary exits
  return dir.path();
}

mode_t Mode(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_mode & 07777 : 0;
}

TEST(WitnessAlgorithm, ParsesExactlyTheTwoNames) {
  EXPECT_EQ(*ParseWitnessAlgorithm("algorithm", "ed25519"), WitnessAlgorithm::kEd25519);
  EXPECT_EQ(*ParseWitnessAlgorithm("algorithm", "sm2-sm3"), WitnessAlgorithm::kSm2Sm3);
  absl::StatusOr<WitnessAlgorithm> other = ParseWitnessAlgorithm("algorithm", "SM2");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().message(),
            "algorithm: must be \"ed25519\" or \"sm2-sm3\", got \"SM2\"");
}

TEST(WitnessKey, Ed25519MatchesRfc8032Test1) {
  absl::StatusOr<WitnessKey> key =
      WitnessKey::FromPrivateBytes(WitnessAlgorithm::kEd25519, Unhex(kRfc8032Seed));
  ASSERT_OK(key);
  EXPECT_EQ(key->public_key().hex(), kRfc8032Public);
  absl::StatusOr<std::string> signature = key->Sign("");
  ASSERT_OK(signature);
  EXPECT_EQ(EncodeHex(*signature), kRfc8032Signature);
  EXPECT_OK(key->public_key().Verify("", *signature));
}

TEST(WitnessKey, Sm2MatchesTheStandardExampleWithTheDefaultId) {
  absl::StatusOr<WitnessKey> key =
      WitnessKey::FromPrivateBytes(WitnessAlgorithm::kSm2Sm3, Unhex(kSm2PrivateKey));
  ASSERT_OK(key);
  EXPECT_EQ(key->public_key().hex(), kSm2PublicKey);
  // The standard's signature verifies: SM3, the default ID, r || s.
  absl::StatusOr<WitnessPublicKey> public_key =
      WitnessPublicKey::FromHex(WitnessAlgorithm::kSm2Sm3, "public_key_hex", kSm2PublicKey);
  ASSERT_OK(public_key);
  EXPECT_OK(public_key->Verify("message digest", Unhex(kSm2Signature)));
  EXPECT_THAT(public_key->Verify("message digesT", Unhex(kSm2Signature)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // Our own signature of the same message verifies too (SM2 signatures are randomised).
  absl::StatusOr<std::string> ours = key->Sign("message digest");
  ASSERT_OK(ours);
  EXPECT_EQ(ours->size(), 64u);
  EXPECT_NE(EncodeHex(*ours), kSm2Signature);
  EXPECT_OK(public_key->Verify("message digest", *ours));
}

class WitnessKeyRoundTrip : public ::testing::TestWithParam<WitnessAlgorithm> {};

TEST_P(WitnessKeyRoundTrip, SignsAndVerifiesOnlyTheSameMessageUnderTheSameKey) {
  absl::StatusOr<WitnessKey> key = WitnessKey::Generate(GetParam());
  absl::StatusOr<WitnessKey> other = WitnessKey::Generate(GetParam());
  ASSERT_OK(key);
  ASSERT_OK(other);
  absl::StatusOr<std::string> signature = key->Sign("statement");
  ASSERT_OK(signature);
  ASSERT_EQ(signature->size(), kWitnessSignatureSize);
  EXPECT_OK(key->public_key().Verify("statement", *signature));

  absl::Status wrong_key = other->public_key().Verify("statement", *signature);
  EXPECT_THAT(wrong_key, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(absl::StartsWith(wrong_key.message(), "signature: does not verify with the "))
      << wrong_key;
  EXPECT_THAT(key->public_key().Verify("statemenT", *signature),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  std::string flipped = *signature;
  flipped[10] ^= 0x01;
  EXPECT_FALSE(key->public_key().Verify("statement", flipped).ok());
  EXPECT_THAT(key->public_key().Verify("statement", signature->substr(0, 63)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_P(WitnessKeyRoundTrip, WritesPkcs8PemOnlyOnceAndLoadsItBack) {
  const std::string path = TempDir() + "/witness-" +
                           std::string(WitnessAlgorithmName(GetParam())) + ".key";
  std::remove(path.c_str());
  absl::StatusOr<WitnessKey> key = WitnessKey::Generate(GetParam());
  ASSERT_OK(key);
  ASSERT_OK(key->WriteNew(path));
  EXPECT_EQ(Mode(path), 0600u);
  std::ifstream in(path);
  std::string first_line;
  std::getline(in, first_line);
  EXPECT_EQ(first_line, "-----BEGIN PRIVATE KEY-----");

  absl::StatusOr<WitnessKey> loaded = WitnessKey::Load(path);
  ASSERT_OK(loaded);
  EXPECT_EQ(loaded->algorithm(), GetParam());
  EXPECT_EQ(loaded->public_key().hex(), key->public_key().hex());
  absl::StatusOr<std::string> signature = loaded->Sign("after loading");
  ASSERT_OK(signature);
  EXPECT_OK(key->public_key().Verify("after loading", *signature));

  // Never replaced: the first key stays.
  absl::StatusOr<WitnessKey> second = WitnessKey::Generate(GetParam());
  ASSERT_OK(second);
  EXPECT_THAT(second->WriteNew(path), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(WitnessKey::Load(path)->public_key().hex(), key->public_key().hex());

  // A key others can read is refused.
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  absl::StatusOr<WitnessKey> open_key = WitnessKey::Load(path);
  EXPECT_THAT(open_key, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(absl::StrContains(open_key.status().message(), "chmod 600")) << open_key.status();
}

INSTANTIATE_TEST_SUITE_P(BothAlgorithms, WitnessKeyRoundTrip,
                         ::testing::Values(WitnessAlgorithm::kEd25519, WitnessAlgorithm::kSm2Sm3),
                         [](const ::testing::TestParamInfo<WitnessAlgorithm>& info) {
                           return info.param == WitnessAlgorithm::kEd25519 ? "Ed25519" : "Sm2";
                         });

TEST(WitnessKey, SignatureOfOneAlgorithmDoesNotVerifyUnderTheOther) {
  absl::StatusOr<WitnessKey> ed = WitnessKey::Generate(WitnessAlgorithm::kEd25519);
  absl::StatusOr<WitnessKey> sm2 = WitnessKey::Generate(WitnessAlgorithm::kSm2Sm3);
  ASSERT_OK(ed);
  ASSERT_OK(sm2);
  absl::StatusOr<std::string> ed_signature = ed->Sign("m");
  absl::StatusOr<std::string> sm2_signature = sm2->Sign("m");
  EXPECT_FALSE(sm2->public_key().Verify("m", *ed_signature).ok());
  EXPECT_FALSE(ed->public_key().Verify("m", *sm2_signature).ok());
}

TEST(WitnessKey, LoadReportsMissingAndMalformedFiles) {
  EXPECT_THAT(WitnessKey::Load(TempDir() + "/no-such.key"), StatusIs(absl::StatusCode::kNotFound));
  const std::string path = TempDir() + "/garbage.key";
  std::remove(path.c_str());
  {
    std::ofstream out(path);
    out << "not a key\n";
  }
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  absl::StatusOr<WitnessKey> garbage = WitnessKey::Load(path);
  EXPECT_THAT(garbage, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(garbage.status().message(), path + ": not a PEM private key");
}

TEST(WitnessKey, RefusesSm2PrivateScalarsOutOfRange) {
  EXPECT_EQ(WitnessKey::FromPrivateBytes(WitnessAlgorithm::kSm2Sm3, std::string(32, '\0'))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  // n - 1, where n is the SM2 group order.
  const std::string n_minus_1 =
      Unhex("fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54122");
  EXPECT_THAT(WitnessKey::FromPrivateBytes(WitnessAlgorithm::kSm2Sm3, n_minus_1),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(WitnessKey::FromPrivateBytes(WitnessAlgorithm::kEd25519, "short"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(WitnessPublicKey, RefusesMalformedKeys) {
  auto message = [](WitnessAlgorithm algorithm, absl::string_view hex) {
    return std::string(
        WitnessPublicKey::FromHex(algorithm, "public_key_hex", hex).status().message());
  };
  EXPECT_EQ(message(WitnessAlgorithm::kEd25519, "d75a"),
            "public_key_hex: must be 32 bytes (64 hex digits), got 2");
  EXPECT_EQ(message(WitnessAlgorithm::kEd25519, absl::AsciiStrToUpper(kRfc8032Public)),
            "public_key_hex: must be lowercase hex, got \"D\" at character 1");
  // y = 2 is not the y of any point of edwards25519; y = 2^255 - 1 is not below p.
  EXPECT_EQ(message(WitnessAlgorithm::kEd25519, "02" + std::string(62, '0')),
            "public_key_hex: not the encoding of a point of Ed25519's curve");
  EXPECT_EQ(message(WitnessAlgorithm::kEd25519, std::string(62, 'f') + "7f"),
            "public_key_hex: not the encoding of a point of Ed25519's curve");
  // The identity and a point of order 8 (with either sign): forgeable, refused.
  EXPECT_EQ(message(WitnessAlgorithm::kEd25519, "01" + std::string(62, '0')),
            "public_key_hex: a point of small order, for which signatures can be forged");
  EXPECT_EQ(message(WitnessAlgorithm::kEd25519,
                    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"),
            "public_key_hex: a point of small order, for which signatures can be forged");
  EXPECT_EQ(message(WitnessAlgorithm::kSm2Sm3, kRfc8032Public),
            "public_key_hex: must be 65 bytes (130 hex digits), got 32");
  std::string off_curve = kSm2PublicKey;
  off_curve[129] = off_curve[129] == '3' ? '4' : '3';
  EXPECT_EQ(message(WitnessAlgorithm::kSm2Sm3, off_curve),
            "public_key_hex: not a point of the SM2 curve");
  std::string compressed_prefix = kSm2PublicKey;
  compressed_prefix[1] = '2';
  EXPECT_EQ(message(WitnessAlgorithm::kSm2Sm3, compressed_prefix),
            "public_key_hex: an SM2 public key is an uncompressed point, 04 || x || y; it "
            "starts with 02");
}

TEST(WitnessPublicKey, Sm2SignatureWithRAboveTheOrderIsMalformed) {
  absl::StatusOr<WitnessPublicKey> key =
      WitnessPublicKey::FromHex(WitnessAlgorithm::kSm2Sm3, "k", kSm2PublicKey);
  ASSERT_OK(key);
  const std::string signature = std::string(32, '\xff') + Unhex(kSm2Signature).substr(32);
  EXPECT_THAT(key->Verify("message digest", signature),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::scheduler::entropy
