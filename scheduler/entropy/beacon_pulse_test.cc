#include "scheduler/entropy/beacon_pulse.h"

#include <openssl/evp.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "common/files.h"
#include "gtest/gtest.h"
#include "scheduler/entropy/beacon_certificate.h"
#include "scheduler/entropy/hex.h"
#include "scheduler/entropy/test_beacon.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler::entropy {
namespace {

using ::regulation::testing::StatusIs;

// A real pulse of the NIST beacon and the certificate it names (testdata/README.md).
constexpr char kNistPulseFile[] = "scheduler/entropy/testdata/nist_pulse_chain1_54610.json";
constexpr char kNistCertificateFile[] = "scheduler/entropy/testdata/nist_certificate_5501e3d7.pem";
constexpr char kNistCertificateId[] =
    "5501e3d72bc42f3b96e16de4dcadcb16768e109662bd16d667d5fd9aee585af31bbdc5dd4f53592276064b53dd"
    "dd76c8f3604b2a41db6e09f78f82bb5d6569e7";
constexpr char kNistOutputValue[] =
    "274e031530b2c773494ebfd9827df4b20bf83b65bcfc5107b97d7c307713e2ffb80c8fd3b7028f457783e88bb0"
    "7bbd2bc190bc42ba3f56ba2e2f74e04d4e5e98";

std::string Read(const char* path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  EXPECT_OK(text);
  return text.ok() ? *text : "";
}

class NistPulse : public ::testing::Test {
 protected:
  void SetUp() override {
    pulse_json_ = Read(kNistPulseFile);
    absl::StatusOr<BeaconCertificate> certificate =
        BeaconCertificate::FromPem(Read(kNistCertificateFile));
    ASSERT_OK(certificate);
    certificate_.emplace(*certificate);
  }

  absl::Status Verify(const std::string& json) {
    return VerifyBeaconPulse(*certificate_, json).status();
  }

  std::string pulse_json_;
  std::optional<BeaconCertificate> certificate_;
};

TEST_F(NistPulse, CertificateIdIsTheSha512OfItsDer) {
  EXPECT_EQ(certificate_->id_hex(), kNistCertificateId);
  EXPECT_EQ(certificate_->modulus_bytes(), 512);  // RSA-4096
  EXPECT_EQ(certificate_->exponent_hex(), "010001");
  EXPECT_EQ(certificate_->modulus_hex().substr(0, 8), "ea75b844");
}

TEST_F(NistPulse, RealPulseVerifies) {
  absl::StatusOr<VerifiedPulse> pulse = VerifyBeaconPulse(*certificate_, pulse_json_);
  ASSERT_OK(pulse);
  EXPECT_EQ(pulse->time,
            absl::FromCivil(absl::CivilSecond(2018, 8, 30, 17, 44, 0), absl::UTCTimeZone()));
  EXPECT_EQ(pulse->output_value_hex, kNistOutputValue);
  EXPECT_EQ(pulse->uri, "https://beacon.nist.gov/beacon/2.0/chain/1/pulse/54610");
  EXPECT_EQ(pulse->chain_index, 1);
  EXPECT_EQ(pulse->pulse_index, 54610);
  EXPECT_EQ(pulse->period, 60000);
  EXPECT_EQ(pulse->status_code, 0);
}

TEST_F(NistPulse, SerializationIsLengthPrefixedBigEndian) {
  absl::StatusOr<BeaconPulse> pulse = ParseBeaconPulse(pulse_json_);
  ASSERT_OK(pulse);
  const std::string bytes = BeaconPulseSignedBytes(*pulse);
  EXPECT_EQ(bytes.size(), 813u);
  // strlen(uri) = 54, then the uri.
  EXPECT_EQ(EncodeHex(bytes.substr(0, 4)), "00000036");
  EXPECT_EQ(bytes.substr(4, 54), "https://beacon.nist.gov/beacon/2.0/chain/1/pulse/54610");
  // strlen(version), "Version 2.0", cipherSuite 0, period 60000, length(certificateId) 64.
  EXPECT_EQ(EncodeHex(bytes.substr(58, 4)), "0000000b");
  EXPECT_EQ(bytes.substr(62, 11), "Version 2.0");
  EXPECT_EQ(EncodeHex(bytes.substr(73, 12)), "000000000000ea6000000040");
  EXPECT_EQ(EncodeHex(bytes.substr(85, 64)), kNistCertificateId);
  // Then chainIndex 1 and pulseIndex 54610 as 8 bytes each, then the timeStamp string
  // with its length.
  EXPECT_EQ(EncodeHex(bytes.substr(149, 16)), "0000000000000001000000000000d552");
  EXPECT_EQ(EncodeHex(bytes.substr(165, 4)), "00000018");
  EXPECT_EQ(bytes.substr(169, 24), "2018-08-30T17:44:00.000Z");
  // The pulse ends with statusCode 0.
  EXPECT_EQ(EncodeHex(bytes.substr(bytes.size() - 4)), "00000000");
}

TEST_F(NistPulse, HexCaseDoesNotMatter) {
  // NIST writes uppercase; the signature covers the bytes, not their spelling.
  std::string lower = pulse_json_;
  size_t run = 0;  // uppercase hex digits seen in a row
  for (size_t i = 0; i <= lower.size(); ++i) {
    const bool hex = i < lower.size() && ((lower[i] >= '0' && lower[i] <= '9') ||
                                          (lower[i] >= 'A' && lower[i] <= 'F'));
    if (hex) {
      ++run;
      continue;
    }
    if (run >= 64) {
      for (size_t j = i - run; j < i; ++j) lower[j] = absl::ascii_tolower(lower[j]);
    }
    run = 0;
  }
  ASSERT_TRUE(absl::StrContains(lower, "f6f8318bed4a"));
  EXPECT_OK(Verify(lower));
}

TEST_F(NistPulse, EditedFieldFailsTheSignature) {
  const std::string edited =
      absl::StrReplaceAll(pulse_json_, {{"F6F8318BED4A", "F6F8318BED4B"}});
  ASSERT_NE(edited, pulse_json_);
  absl::Status status = Verify(edited);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(absl::StartsWith(status.message(), "signatureValue: does not verify")) << status;

  const std::string later = absl::StrReplaceAll(pulse_json_, {{"17:44:00.000Z", "17:45:00.000Z"}});
  EXPECT_THAT(Verify(later), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(NistPulse, WrongOutputValueFails) {
  const std::string edited =
      absl::StrReplaceAll(pulse_json_, {{"274E031530B2", "274E031530B3"}});
  absl::Status status = Verify(edited);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(status.message(), "outputValue: is not SHA-512(the signed fields || signatureValue)");
}

TEST_F(NistPulse, WrongCertificateFails) {
  absl::StatusOr<TestBeacon> beacon = TestBeacon::Create();
  ASSERT_OK(beacon);
  absl::Status status = VerifyBeaconPulse(beacon->certificate(), pulse_json_).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(absl::StartsWith(status.message(), "certificateId: 5501e3d72bc42f3b... is not"))
      << status;
  // Even when the pulse claims the other certificate's id, its key does not sign it.
  const std::string claimed =
      absl::StrReplaceAll(pulse_json_, {{kNistCertificateId, beacon->certificate().id_hex()}});
  status = VerifyBeaconPulse(beacon->certificate(), claimed).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(absl::StartsWith(status.message(), "signatureValue")) << status;
}

TEST_F(NistPulse, ParseIsStrict) {
  auto error = [this](const std::string& json) {
    absl::Status status = Verify(json);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
    return std::string(status.message());
  };
  EXPECT_EQ(error(absl::StrReplaceAll(pulse_json_, {{"\"period\"", "\"periodMs\""}})),
            "beacon_pulse_json: pulse: unknown field \"periodMs\" (a pulse carries only the "
            "fields its signature covers, and outputValue and signatureValue)");
  EXPECT_TRUE(absl::StrContains(
      error(absl::StrReplaceAll(pulse_json_, {{"\"cipherSuite\": 0,", "\"cipherSuite\": 0, "
                                                                      "\"cipherSuite\": 0,"}})),
      "member \"cipherSuite\" appears twice"));
  EXPECT_EQ(error(absl::StrReplaceAll(pulse_json_, {{"\"cipherSuite\": 0", "\"cipherSuite\": 1"}})),
            "beacon_pulse_json: cipherSuite: only cipher suite 0 (SHA-512, RSA PKCS#1 v1.5) is "
            "supported, got 1");
  EXPECT_TRUE(absl::StrContains(
      error(absl::StrReplaceAll(pulse_json_, {{"\"type\": \"hour\"", "\"type\": \"day\""}})),
      "listValues[1].type: must be \"hour\""));
  EXPECT_TRUE(absl::StrContains(
      error(absl::StrReplaceAll(pulse_json_, {{"17:44:00.000Z", "17:44:00+00:00"}})),
      "timeStamp: must be"));
  EXPECT_TRUE(absl::StrContains(
      error(absl::StrReplaceAll(pulse_json_, {{"\"pulseIndex\": 54610", "\"pulseIndex\": -1"}})),
      "pulseIndex: must be from 0"));
  EXPECT_TRUE(absl::StrContains(
      error(absl::StrReplaceAll(pulse_json_, {{"\"F6F8318BED4A", "\"F6F8318BED4"}})),
      "localRandomValue: must be hex of whole bytes"));
  EXPECT_TRUE(absl::StrContains(error("[1]"), "must be a JSON object"));
  EXPECT_TRUE(absl::StrContains(error("{\"pulse\": {}}"), "\"uri\" is missing"));
}

TEST(BeaconCertificate, RefusesWhatIsNotOnePemCertificate) {
  const std::string pem = Read(kNistCertificateFile);
  auto error = [](absl::string_view text) {
    return std::string(BeaconCertificate::FromPem(text).status().message());
  };
  EXPECT_EQ(error("hello"),
            "certificate_pem: must be one PEM certificate (\"-----BEGIN CERTIFICATE-----\")");
  EXPECT_EQ(error("junk\n" + pem), error("hello"));
  EXPECT_EQ(error(pem + pem), "certificate_pem: must hold exactly one certificate, and nothing "
                              "after it");
  EXPECT_EQ(error(absl::StrReplaceAll(pem, {{"MIIHWz", "MIIHWy"}})),
            "certificate_pem: not a readable PEM certificate");
  EXPECT_OK(BeaconCertificate::FromPem("\n" + pem + "\n\n"));
}

TEST(TestBeacon, EmitsSignedChainedPulses) {
  absl::StatusOr<TestBeacon> beacon = TestBeacon::Create();
  ASSERT_OK(beacon);
  EXPECT_EQ(beacon->certificate().modulus_bytes(), 256);
  EXPECT_EQ(beacon->certificate().exponent_hex(), "010001");
  const absl::Time t0 =
      absl::FromCivil(absl::CivilSecond(2026, 12, 6, 8, 59, 0), absl::UTCTimeZone());
  std::vector<BeaconPulse> pulses;
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<std::string> json = beacon->EmitPulse(t0 + absl::Minutes(i));
    ASSERT_OK(json);
    absl::StatusOr<VerifiedPulse> verified = VerifyBeaconPulse(beacon->certificate(), *json);
    ASSERT_OK(verified);
    EXPECT_EQ(verified->time, t0 + absl::Minutes(i));
    EXPECT_EQ(verified->pulse_index, i + 1);
    EXPECT_EQ(verified->period, 60000);
    absl::StatusOr<BeaconPulse> pulse = ParseBeaconPulse(*json);
    ASSERT_OK(pulse);
    EXPECT_EQ(EncodeHex(pulse->output_value), verified->output_value_hex);
    pulses.push_back(*pulse);
  }
  EXPECT_EQ(pulses[0].status_code, 1);  // the start of a chain
  EXPECT_EQ(pulses[1].status_code, 0);
  EXPECT_EQ(pulses[0].list_values[0].value, std::string(64, '\0'));
  EXPECT_EQ(pulses[1].list_values[0].value, pulses[0].output_value);
  EXPECT_EQ(pulses[2].list_values[0].value, pulses[1].output_value);
  EXPECT_EQ(pulses[1].list_values[2].value, pulses[0].output_value);  // same day
  EXPECT_EQ(pulses[2].list_values[1].value, pulses[1].output_value);  // 09:00 starts an hour
  // Each pulse pre-commits to the next one's local random value.
  unsigned char digest[64];
  unsigned int size = 0;
  ASSERT_EQ(EVP_Digest(pulses[1].local_random_value.data(), pulses[1].local_random_value.size(),
                       digest, &size, EVP_sha512(), nullptr),
            1);
  EXPECT_EQ(pulses[0].precommitment_value,
            std::string(reinterpret_cast<const char*>(digest), size));
  // Time only moves forward.
  EXPECT_THAT(beacon->EmitPulse(t0), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(TestBeacon, KeepsItsKeyAcrossInstances) {
  absl::StatusOr<TestBeacon> first = TestBeacon::Create();
  ASSERT_OK(first);
  absl::StatusOr<TestBeacon> second =
      TestBeacon::FromPrivateKeyPem(first->private_key_pem(), TestBeacon::Options());
  ASSERT_OK(second);
  EXPECT_EQ(second->certificate().modulus_hex(), first->certificate().modulus_hex());
  EXPECT_THAT(TestBeacon::FromPrivateKeyPem("nope", TestBeacon::Options()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace regulation::scheduler::entropy
