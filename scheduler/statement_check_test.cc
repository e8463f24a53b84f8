// The checks every entropy statement passes before its value reaches a seed: a witness's
// signature under its committed key (Ed25519 and SM2), its binding to the plan, round and
// commitment, its time; a beacon pulse's signature and time; an unchecked value's
// attestation.

#include "scheduler/statement_check.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "scheduler/canonical_time.h"
#include "scheduler/draw.h"
#include "scheduler/entropy/test_beacon.h"
#include "scheduler/entropy/witness_key.h"
#include "scheduler/testing/draw_fixtures.h"
#include "testing/status_matchers.h"

namespace regulation::scheduler {
namespace {

using entropy::WitnessAlgorithm;
using entropy::WitnessKey;
using ::regulation::testing::StatusIs;
using testing::SignStatement;
using testing::SpecTime;

constexpr char kCommittedAt[] = "2026-05-01T02:00:00.000000Z";
constexpr char kPulseTime[] = "2026-05-01T02:15:00.000000Z";
constexpr char kLottery[] = "03 17 22 28 35 + 09";

class StatementCheckTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    beacon_ = new entropy::TestBeacon(*entropy::TestBeacon::Create());
    pulse_ = new std::string(*beacon_->EmitPulse(SpecTime(kPulseTime)));
  }

  void SetUp() override {
    inputs_ = testing::SpecRound0Inputs();
    CommittedSource sm2;
    sm2.source_id = "notary-sm2";
    sm2.kind = SourceKind::kWitness;
    sm2.department = "拱墅公证处";
    sm2.algorithm = kSm2Sm3;
    sm2.public_key = sm2_key_.public_key().hex();
    CommittedSource beacon;
    beacon.source_id = "beacon";
    beacon.kind = SourceKind::kBeacon;
    beacon.algorithm = kRsaPkcs1Sha512;
    beacon.certificate_pem = beacon_->certificate_pem();
    beacon.rsa_modulus = beacon_->certificate().modulus_hex();
    beacon.rsa_exponent = beacon_->certificate().exponent_hex();
    beacon.pulse_time = kPulseTime;
    inputs_.commitment.committed_at = kCommittedAt;
    inputs_.commitment.min_entropy_delay_seconds = 600;
    inputs_.commitment.sources = {testing::SpecWitnessSource(), sm2, beacon,
                                  testing::SpecLotterySource()};
    testing::SealCommitment(&inputs_);
    statements_ = {Witness(testing::SpecWitnessKey(), "notary-xihu", inputs_),
                   Witness(sm2_key_, "notary-sm2", inputs_), Pulse(*pulse_), Unchecked(kLottery)};
  }

  // A statement signed ten minutes and one second after the commitment.
  EntropyStatement Witness(const WitnessKey& key, const std::string& source_id,
                           const DrawInputs& inputs,
                           absl::Time signed_at = SpecTime("2026-05-01T02:10:01.000000Z")) {
    return SignStatement(key, source_id, inputs, std::string(64, source_id[7] == 's' ? '5' : 'e'),
                         signed_at, {{"zj-lottery", kLottery}});
  }
  static EntropyStatement Pulse(const std::string& json) {
    return {"beacon", EntropyStatement::Evidence::kBeaconPulse, json, ""};
  }
  static EntropyStatement Unchecked(const std::string& value) {
    return {"zj-lottery", EntropyStatement::Evidence::kUncheckedValue, value, ""};
  }

  absl::StatusOr<CheckedStatements> Check(const StatementCheckOptions& options = {}) {
    return CheckStatements(ScopeOf(inputs_), inputs_.commitment, statements_, options);
  }

  // The status when statement `i` is replaced by `statement`.
  absl::Status CheckWith(size_t i, EntropyStatement statement) {
    statements_[i] = std::move(statement);
    return Check().status();
  }

  static entropy::TestBeacon* beacon_;
  static std::string* pulse_;
  // SM2 keys from fixed private scalars (1 <= d <= n-2).
  static WitnessKey Sm2Key(char fill) {
    return *WitnessKey::FromPrivateBytes(WitnessAlgorithm::kSm2Sm3, std::string(32, fill));
  }
  const WitnessKey sm2_key_ = Sm2Key('\x21');
  DrawInputs inputs_;
  std::vector<EntropyStatement> statements_;
};

entropy::TestBeacon* StatementCheckTest::beacon_ = nullptr;
std::string* StatementCheckTest::pulse_ = nullptr;

void ExpectRefused(const absl::Status& status, absl::string_view source, absl::string_view reason) {
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(absl::StrContains(status.message(), source)) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), reason)) << status;
}

TEST_F(StatementCheckTest, AcceptsEd25519AndSm2WitnessesABeaconPulseAndAnAttestedValue) {
  // Any order in; the commitment's order out.
  std::swap(statements_[0], statements_[3]);
  absl::StatusOr<CheckedStatements> checked = Check();
  ASSERT_OK(checked);
  ASSERT_EQ(checked->values.size(), 4u);
  EXPECT_EQ(checked->values[0].source_id, "notary-xihu");
  EXPECT_EQ(checked->values[0].value, std::string(64, 'e'));
  EXPECT_EQ(checked->values[1].value, std::string(64, '5'));
  EXPECT_EQ(checked->values[2].source_id, "beacon");
  EXPECT_EQ(checked->values[2].value.size(), 128u);
  EXPECT_EQ(checked->values[2].value.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(checked->values[3].value, kLottery);
  EXPECT_EQ(checked->statements[0].source_id, "notary-xihu");
  EXPECT_EQ(checked->statements[3].source_id, "zj-lottery");
}

TEST_F(StatementCheckTest, AStatementSignedWithAnotherKeyIsRefused) {
  const WitnessKey other = *WitnessKey::Generate(WitnessAlgorithm::kEd25519);
  ExpectRefused(CheckWith(0, Witness(other, "notary-xihu", inputs_)), "notary-xihu",
                "does not verify");
  const WitnessKey other_sm2 = Sm2Key('\x22');
  SetUp();
  ExpectRefused(CheckWith(1, Witness(other_sm2, "notary-sm2", inputs_)), "notary-sm2",
                "does not verify");
}

TEST_F(StatementCheckTest, AStatementOfAnotherPlanIsRefused) {
  // Genuine, signed by the registered key, for another plan: replayed here.
  DrawInputs other = inputs_;
  other.plan.plan_id = "PLAN-2026-HZ-008";
  testing::SealCommitment(&other);
  const EntropyStatement replayed = Witness(testing::SpecWitnessKey(), "notary-xihu", other);
  ExpectRefused(CheckWith(0, replayed), "notary-xihu", "plan_id");
}

TEST_F(StatementCheckTest, AStatementOfAnotherRoundIsRefused) {
  DrawInputs other = inputs_;
  other.round = 1;
  ExpectRefused(CheckWith(1, Witness(sm2_key_, "notary-sm2", other)), "notary-sm2", "round");
}

TEST_F(StatementCheckTest, AStatementOfAnotherCommitmentIsRefused) {
  DrawInputs other = inputs_;
  other.commitment.digest = std::string(64, 'd');
  ExpectRefused(CheckWith(0, Witness(testing::SpecWitnessKey(), "notary-xihu", other)),
                "notary-xihu", "commitment");
}

TEST_F(StatementCheckTest, AStatementSignedBeforeTheMinimumDelayIsRefused) {
  ExpectRefused(CheckWith(0, Witness(testing::SpecWitnessKey(), "notary-xihu", inputs_,
                                     SpecTime("2026-05-01T02:09:59.000000Z"))),
                "notary-xihu", "signed_at");
  // Exactly at the commitment time plus the delay is allowed.
  EXPECT_OK(CheckWith(0, Witness(testing::SpecWitnessKey(), "notary-xihu", inputs_,
                                 SpecTime("2026-05-01T02:10:00.000000Z"))));
}

TEST_F(StatementCheckTest, TheServerRefusesAStatementDatedInTheFuture) {
  StatementCheckOptions server;
  server.now = SpecTime("2026-05-01T02:05:00.000000Z");  // before the statements' time
  ExpectRefused(Check(server).status(), "notary-xihu", "later than the server's clock");
  server.now = SpecTime("2026-05-01T02:20:00.000000Z");
  EXPECT_OK(Check(server));
}

TEST_F(StatementCheckTest, APulseOfAnotherTimeOrAnotherBeaconIsRefused) {
  entropy::TestBeacon same = *entropy::TestBeacon::Create();
  ExpectRefused(CheckWith(2, Pulse(*beacon_->EmitPulse(SpecTime("2026-05-01T02:16:00.000000Z")))),
                "beacon", "differs from the committed pulse time");
  SetUp();
  ExpectRefused(CheckWith(2, Pulse(*same.EmitPulse(SpecTime(kPulseTime)))), "beacon",
                "certificateId");
  SetUp();
  std::string edited = *pulse_;
  const size_t at = edited.find("\"outputValue\"") + 15;
  edited[at] = edited[at] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(CheckWith(2, Pulse(edited)).ok());
}

TEST_F(StatementCheckTest, AnUncheckedValueNeedsAWitnessToAttestIt) {
  ExpectRefused(CheckWith(3, Unchecked("03 17 22 28 35 + 10")), "zj-lottery",
                "attested by no witness statement");
}

TEST_F(StatementCheckTest, MissingDuplicateStrayAndMisshapenStatementsAreRefused) {
  std::vector<EntropyStatement> all = statements_;
  statements_.pop_back();
  ExpectRefused(Check().status(), "zj-lottery", "no statement");
  statements_ = all;
  statements_.push_back(all[0]);
  ExpectRefused(Check().status(), "notary-xihu", "more than one statement");
  statements_ = all;
  statements_.push_back({"agency-own-key", EntropyStatement::Evidence::kUncheckedValue, "7", ""});
  ExpectRefused(Check().status(), "agency-own-key", "not named by round 0's commitment");
  statements_ = all;
  ExpectRefused(CheckWith(0, {"notary-xihu", EntropyStatement::Evidence::kUncheckedValue,
                              "a value of the agency's choosing", ""}),
                "notary-xihu", "must be a signed statement");
}

}  // namespace
}  // namespace regulation::scheduler
