#include "scheduler/entropy/witness_statement.h"

#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "scheduler/entropy/hex.h"
#include "scheduler/entropy/witness_key.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler::entropy {
namespace {

using ::regulation::testing::StatusIs;

constexpr char kCommitment[] = "ae7e565b8cfdb713a642d5c95c901addf6506f513f5846c13e197eb134ce3a5f";
constexpr char kValue[] = "5f1c0e8a9b7d3c2e4f60718293a4b5c6d7e8f90112233445566778899aabbccd";

WitnessStatement Sample() {
  WitnessStatement s;
  s.source_id = "notary-xihu";
  s.plan_id = "PLAN-2026-HZ-007";
  s.round = 0;
  s.commitment = kCommitment;
  s.value = kValue;
  s.signed_at = absl::FromCivil(absl::CivilSecond(2026, 12, 6, 8, 0, 0), absl::UTCTimeZone());
  return s;
}

// The text the spec defines, written out by hand.
constexpr char kSampleText[] =
    "domain=31:regulation.entropy-statement.v1\n"
    "source_id=11:notary-xihu\n"
    "plan_id=16:PLAN-2026-HZ-007\n"
    "round=1:0\n"
    "commitment=64:ae7e565b8cfdb713a642d5c95c901addf6506f513f5846c13e197eb134ce3a5f\n"
    "value=64:5f1c0e8a9b7d3c2e4f60718293a4b5c6d7e8f90112233445566778899aabbccd\n"
    "signed_at=20:2026-12-06T08:00:00Z\n"
    "attested=1:0\n";

TEST(WitnessStatement, CanonicalTextIsTheSpecsEncoding) {
  absl::StatusOr<std::string> text = CanonicalWitnessStatementText(Sample());
  ASSERT_OK(text);
  EXPECT_EQ(*text, kSampleText);
}

TEST(WitnessStatement, AttestedValuesFollowInOrder) {
  WitnessStatement s = Sample();
  s.attested = {{"lottery-fc3d", "3 8 1"}, {"tv-zj", "双色球 03 17 22 28 31 33 + 09"}};
  absl::StatusOr<std::string> text = CanonicalWitnessStatementText(s);
  ASSERT_OK(text);
  EXPECT_TRUE(absl::EndsWith(*text,
                             "attested=1:2\n"
                             "attested.source_id=12:lottery-fc3d\n"
                             "attested.value=5:3 8 1\n"
                             "attested.source_id=5:tv-zj\n"
                             "attested.value=32:双色球 03 17 22 28 31 33 + 09\n"))
      << *text;
  absl::StatusOr<WitnessStatement> parsed = ParseWitnessStatementText(*text);
  ASSERT_OK(parsed);
  ASSERT_EQ(parsed->attested.size(), 2u);
  EXPECT_EQ(parsed->attested[1].value, "双色球 03 17 22 28 31 33 + 09");
}

TEST(WitnessStatement, ParseRoundTripsEveryField) {
  WitnessStatement s = Sample();
  s.round = 12;
  absl::StatusOr<WitnessStatement> parsed =
      ParseWitnessStatementText(*CanonicalWitnessStatementText(s));
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->source_id, s.source_id);
  EXPECT_EQ(parsed->plan_id, s.plan_id);
  EXPECT_EQ(parsed->round, 12);
  EXPECT_EQ(parsed->commitment, s.commitment);
  EXPECT_EQ(parsed->value, s.value);
  EXPECT_EQ(parsed->signed_at, s.signed_at);
  EXPECT_TRUE(parsed->attested.empty());
}

TEST(WitnessStatement, ValidationNamesTheField) {
  auto message = [](void (*edit)(WitnessStatement*)) {
    WitnessStatement s = Sample();
    edit(&s);
    return std::string(ValidateWitnessStatement(s).message());
  };
  EXPECT_EQ(message([](WitnessStatement* s) { s->source_id = "has space"; }),
            "statement.source_id: must be 1-64 characters from [A-Za-z0-9._-], got \"has space\"");
  EXPECT_EQ(message([](WitnessStatement* s) { s->plan_id = ""; }), "statement.plan_id: is required");
  EXPECT_EQ(message([](WitnessStatement* s) { s->round = -1; }),
            "statement.round: must not be negative");
  EXPECT_EQ(message([](WitnessStatement* s) { s->commitment = "ABC"; }),
            "statement.commitment: must be 64 lowercase hexadecimal characters (SHA-256)");
  EXPECT_EQ(message([](WitnessStatement* s) { s->value = std::string(64, 'A'); }),
            "statement.value: must be 64 lowercase hex characters (32 bytes)");
  EXPECT_EQ(message([](WitnessStatement* s) { s->signed_at += absl::Milliseconds(500); }),
            "statement.signed_at: must be whole seconds");
  EXPECT_EQ(message([](WitnessStatement* s) {
              s->attested = {{"b", "1"}, {"a", "2"}};
            }),
            "statement.attested.source_id: must be strictly increasing; \"a\" follows \"b\"");
  EXPECT_EQ(message([](WitnessStatement* s) { s->attested = {{"notary-xihu", "1"}}; }),
            "statement.attested.source_id: a witness attests other sources' values, not its own");
  EXPECT_EQ(message([](WitnessStatement* s) { s->attested = {{"tv", "line\nbreak"}}; }),
            "statement.attested.value: must not contain control characters (U+000A at character 5)");
}

TEST(WitnessStatement, ParseRefusesTextThatIsNotExactlyCanonical) {
  const std::string good = kSampleText;
  auto parse_error = [](const std::string& text) {
    absl::StatusOr<WitnessStatement> parsed = ParseWitnessStatementText(text);
    return parsed.ok() ? std::string("OK") : std::string(parsed.status().message());
  };
  EXPECT_EQ(parse_error(good), "OK");
  // A trailing byte, a missing newline, a wrong length, fields swapped.
  EXPECT_EQ(parse_error(good + "\n"), "statement: not canonical: 1 bytes after the last field");
  EXPECT_TRUE(absl::StrContains(parse_error(good.substr(0, good.size() - 1)),
                                "its length 1 does not end at a newline"));
  EXPECT_TRUE(absl::StrContains(
      parse_error(absl::StrReplaceAll(good, {{"plan_id=16:", "plan_id=15:"}})),
      "not canonical"));
  EXPECT_TRUE(absl::StrContains(
      parse_error(absl::StrReplaceAll(
          good, {{"source_id=11:notary-xihu\nplan_id=16:PLAN-2026-HZ-007\n",
                  "plan_id=16:PLAN-2026-HZ-007\nsource_id=11:notary-xihu\n"}})),
      "expected the field \"source_id\""));
  // Another domain; numbers with leading zeros; a length with a leading zero.
  EXPECT_TRUE(absl::StrContains(
      parse_error(absl::StrReplaceAll(good, {{"entropy-statement.v1", "entropy-statement.v2"}})),
      "the domain is"));
  EXPECT_EQ(parse_error(absl::StrReplaceAll(good, {{"round=1:0", "round=2:00"}})),
            "statement.round: must be a decimal number without leading zeros");
  EXPECT_TRUE(absl::StrContains(
      parse_error(absl::StrReplaceAll(good, {{"round=1:0", "round=01:0"}})), "malformed length"));
  // A time that is not UTC to the second, or not a real date.
  EXPECT_TRUE(absl::StrContains(
      parse_error(absl::StrReplaceAll(
          good, {{"signed_at=20:2026-12-06T08:00:00Z", "signed_at=25:2026-12-06T16:00:00+08:00"}})),
      "statement.signed_at: must be RFC 3339 UTC"));
  EXPECT_TRUE(absl::StrContains(
      parse_error(absl::StrReplaceAll(good, {{"2026-12-06T", "2026-02-30T"}})),
      "statement.signed_at"));
  // Uppercase hex is another spelling of the same value: refused.
  EXPECT_EQ(parse_error(absl::StrReplaceAll(good, {{"aabbccd", "AABBCCD"}})),
            "statement.value: must be 64 lowercase hex characters (32 bytes)");
  // More attested values than the count says.
  EXPECT_TRUE(absl::StrContains(
      parse_error(good + "attested.source_id=2:tv\nattested.value=1:1\n"), "after the last field"));
}

// docs/entropy.md §2's example, signed with RFC 8032's test 1 key: Ed25519 is
// deterministic, so the documented signature is the one the library makes.
TEST(WitnessStatement, DocumentedExampleSignsToTheDocumentedSignature) {
  absl::StatusOr<WitnessKey> key = WitnessKey::FromPrivateBytes(
      WitnessAlgorithm::kEd25519,
      absl::HexStringToBytes("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  ASSERT_OK(key);
  WitnessStatement s = Sample();
  s.signed_at = absl::FromCivil(absl::CivilSecond(2026, 12, 6, 8, 20, 0), absl::UTCTimeZone());
  s.attested = {{"lottery-fc3d", "3 8 1"}, {"tv-zj", "双色球 03 17 22 28 31 33 + 09"}};
  absl::StatusOr<SignedWitnessStatement> signed_statement = SignWitnessStatement(*key, s);
  ASSERT_OK(signed_statement);
  EXPECT_EQ(signed_statement->text.size(), 441u);
  EXPECT_EQ(signed_statement->signature_hex,
            "9f4f5d7ae99f04f4e387ca6500a9d1ff440386b8d36c5cd0a6613fd64c558d1f102254f205f56577ea77"
            "b0f5bd8586d216fbc9900e4025402b4a21c49ab0f00f");
}

TEST(WitnessStatement, FreshValuesAre32RandomBytes) {
  absl::StatusOr<std::string> a = FreshWitnessValue();
  absl::StatusOr<std::string> b = FreshWitnessValue();
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(a->size(), 64u);
  EXPECT_OK(DecodeHex("v", *a, 32));
  EXPECT_NE(*a, *b);
}

class SignedStatement : public ::testing::TestWithParam<WitnessAlgorithm> {
 protected:
  void SetUp() override {
    absl::StatusOr<WitnessKey> key = WitnessKey::Generate(GetParam());
    ASSERT_OK(key);
    key_.emplace(*key);
    witness_ = {"notary-xihu", std::string(WitnessAlgorithmName(GetParam())),
                key_->public_key().hex()};
    absl::StatusOr<SignedWitnessStatement> signed_statement = SignWitnessStatement(*key_, Sample());
    ASSERT_OK(signed_statement);
    signed_ = *signed_statement;
  }

  absl::Status Verify(const RegisteredWitness& witness, const std::string& text,
                      const std::string& signature_hex) {
    return VerifyWitnessStatement(witness, text, signature_hex).status();
  }

  std::optional<WitnessKey> key_;
  RegisteredWitness witness_;
  SignedWitnessStatement signed_;
};

TEST_P(SignedStatement, VerifiesAndReturnsTheFields) {
  EXPECT_EQ(signed_.text, kSampleText);
  EXPECT_EQ(signed_.signature_hex.size(), 128u);
  absl::StatusOr<WitnessStatement> checked =
      VerifyWitnessStatement(witness_, signed_.text, signed_.signature_hex);
  ASSERT_OK(checked);
  EXPECT_EQ(checked->value, kValue);
  EXPECT_OK(
      CheckStatementBinding(*checked, {"PLAN-2026-HZ-007", 0, kCommitment, checked->signed_at}));
}

TEST_P(SignedStatement, WrongKeyOrAlgorithmFails) {
  absl::StatusOr<WitnessKey> other = WitnessKey::Generate(GetParam());
  ASSERT_OK(other);
  RegisteredWitness wrong_key = witness_;
  wrong_key.public_key_hex = other->public_key().hex();
  absl::Status status = Verify(wrong_key, signed_.text, signed_.signature_hex);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(absl::StartsWith(status.message(), "signature: does not verify")) << status;

  // The same key bytes read as the other algorithm: an Ed25519 key is not a 65-byte SM2
  // point and vice versa.
  RegisteredWitness wrong_algorithm = witness_;
  wrong_algorithm.algorithm = GetParam() == WitnessAlgorithm::kEd25519 ? "sm2-sm3" : "ed25519";
  EXPECT_THAT(Verify(wrong_algorithm, signed_.text, signed_.signature_hex),
              StatusIs(absl::StatusCode::kInvalidArgument));
  RegisteredWitness unknown = witness_;
  unknown.algorithm = "rsa";
  EXPECT_EQ(Verify(unknown, signed_.text, signed_.signature_hex).message(),
            "algorithm: must be \"ed25519\" or \"sm2-sm3\", got \"rsa\"");
}

TEST_P(SignedStatement, EditedTextOrValueFails) {
  // Another value of the same length: canonical, but not what was signed.
  const std::string edited_value =
      absl::StrReplaceAll(signed_.text, {{"aabbccd", "aabbcce"}});
  EXPECT_THAT(Verify(witness_, edited_value, signed_.signature_hex),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  const std::string edited_plan = absl::StrReplaceAll(signed_.text, {{"HZ-007", "HZ-008"}});
  EXPECT_THAT(Verify(witness_, edited_plan, signed_.signature_hex),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // Not canonical: refused before the signature is looked at.
  absl::Status not_canonical = Verify(witness_, signed_.text + "x", signed_.signature_hex);
  EXPECT_THAT(not_canonical, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_TRUE(absl::StartsWith(not_canonical.message(), "statement: not canonical")) << not_canonical;
}

TEST_P(SignedStatement, MalformedOrBorrowedSignatureFails) {
  EXPECT_EQ(Verify(witness_, signed_.text, signed_.signature_hex.substr(0, 126)).message(),
            "signature_hex: must be 64 bytes (128 hex digits), got 63");
  EXPECT_THAT(Verify(witness_, signed_.text, absl::AsciiStrToUpper(signed_.signature_hex)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // Another statement's (valid) signature by the same key.
  WitnessStatement other = Sample();
  other.round = 1;
  absl::StatusOr<SignedWitnessStatement> other_signed = SignWitnessStatement(*key_, other);
  ASSERT_OK(other_signed);
  EXPECT_THAT(Verify(witness_, signed_.text, other_signed->signature_hex),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_P(SignedStatement, ASourceCannotPassOffAnotherSourcesStatement) {
  RegisteredWitness renamed = witness_;
  renamed.source_id = "notary-gongshu";
  absl::Status status = Verify(renamed, signed_.text, signed_.signature_hex);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(status.message(),
            "statement.source_id: signed as source \"notary-xihu\", not \"notary-gongshu\"");
}

INSTANTIATE_TEST_SUITE_P(BothAlgorithms, SignedStatement,
                         ::testing::Values(WitnessAlgorithm::kEd25519, WitnessAlgorithm::kSm2Sm3),
                         [](const ::testing::TestParamInfo<WitnessAlgorithm>& info) {
                           return info.param == WitnessAlgorithm::kEd25519 ? "Ed25519" : "Sm2";
                         });

TEST(CheckStatementBinding, NamesWhatDiffers) {
  const WitnessStatement s = Sample();
  EXPECT_EQ(CheckStatementBinding(s, {"PLAN-2026-HZ-008", 0, kCommitment}).message(),
            "statement.plan_id: signed for plan \"PLAN-2026-HZ-007\", not \"PLAN-2026-HZ-008\"");
  EXPECT_EQ(CheckStatementBinding(s, {"PLAN-2026-HZ-007", 1, kCommitment}).message(),
            "statement.round: signed for round 0, not 1");
  absl::Status commitment =
      CheckStatementBinding(s, {"PLAN-2026-HZ-007", 0, std::string(64, '0')});
  EXPECT_THAT(commitment, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(absl::StartsWith(commitment.message(), "statement.commitment: signed for"));
  absl::Status early = CheckStatementBinding(
      s, {"PLAN-2026-HZ-007", 0, kCommitment, s.signed_at + absl::Minutes(10)});
  EXPECT_THAT(early, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(early.message(),
            "statement.signed_at: 2026-12-06T08:00:00Z is before 2026-12-06T08:10:00Z, the "
            "earliest allowed");
  EXPECT_OK(CheckStatementBinding(s, {"PLAN-2026-HZ-007", 0, kCommitment, s.signed_at}));
}

}  // namespace
}  // namespace regulation::scheduler::entropy
