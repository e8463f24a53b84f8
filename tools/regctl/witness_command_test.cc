#include "tools/regctl/witness_command.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/files.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "regulation/v1/entropy.pb.h"
#include "scheduler/entropy/witness_statement.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"
#include "tools/regctl/connection.h"
#include "tools/regctl/witness_ledger.h"

namespace regulation::regctl {
namespace {

using ::testing::HasSubstr;

constexpr char kCommitment[] = "ae7e565b8cfdb713a642d5c95c901addf6506f513f5846c13e197eb134ce3a5f";
const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 12, 6, 8, 30, 15),
                                        absl::UTCTimeZone());

mode_t Mode(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_mode & 07777 : 0;
}

std::string Read(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  return text.ok() ? *text : "";
}

class WitnessCommandTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { clock_.Set(kNow); }

  int Run(const std::vector<std::string>& args, const WitnessOptions& options) {
    char* buffer = nullptr;
    size_t size = 0;
    std::FILE* out = open_memstream(&buffer, &size);
    const int code = RunWitnessCommand(args, options, out);
    std::fclose(out);
    output_.assign(buffer, size);
    std::free(buffer);
    return code;
  }

  // keygen into root_/key; returns the public key hex it printed.
  std::string Keygen() {
    WitnessOptions options;
    options.algorithm = GetParam();
    options.out = root_ + "/key";
    EXPECT_EQ(Run({"keygen"}, options), kExitOk) << output_;
    const std::vector<std::string> words = absl::StrSplit(Read(root_ + "/key/witness.pub"), ' ');
    EXPECT_EQ(words.size(), 2u);
    return words.size() == 2 ? std::string(absl::StripSuffix(words[1], "\n")) : "";
  }

  WitnessOptions SignOptions() {
    WitnessOptions options;
    options.key = root_ + "/key/witness.key";
    options.source_id = "notary-xihu";
    options.plan = "PLAN-2026-HZ-007";
    options.round = 1;
    options.commitment = kCommitment;
    options.out = root_ + "/statement.json";
    options.clock = &clock_;
    return options;
  }

  WitnessOptions VerifyOptions(const std::string& public_key) {
    WitnessOptions options;
    options.algorithm = GetParam();
    options.public_key = public_key;
    return options;
  }

  ::regulation::testing::TempDir temp_;  // removed after each test
  const std::string root_ = temp_.path();
  FakeClock clock_{kNow};
  std::string output_;
};

TEST_P(WitnessCommandTest, KeygenWritesAPrivateKeyOnceAndPrintsThePublicKey) {
  const std::string public_key = Keygen();
  EXPECT_EQ(public_key.size(), GetParam() == "ed25519" ? 64u : 130u);
  EXPECT_THAT(output_, HasSubstr("algorithm:      " + GetParam()));
  EXPECT_THAT(output_, HasSubstr("public_key_hex: " + public_key));
  EXPECT_EQ(Mode(root_ + "/key/witness.key"), 0600u);
  EXPECT_EQ(Mode(root_ + "/key"), 0700u);
  const std::string key = Read(root_ + "/key/witness.key");

  WitnessOptions again;
  again.algorithm = GetParam();
  again.out = root_ + "/key";
  EXPECT_EQ(Run({"keygen"}, again), kExitServerError);
  EXPECT_EQ(Read(root_ + "/key/witness.key"), key);  // not replaced
}

TEST_P(WitnessCommandTest, SignWritesAStatementThatVerifies) {
  const std::string public_key = Keygen();
  WitnessOptions sign = SignOptions();
  sign.attest = {"tv-zj=03 17 22 28 31 33 + 09", "lottery-fc3d=3=8=1"};
  ASSERT_EQ(Run({"sign"}, sign), kExitOk) << output_;
  EXPECT_THAT(output_, HasSubstr("signed at:   2026-12-06T08:30:15Z"));
  EXPECT_THAT(output_, HasSubstr("attests:     lottery-fc3d = 3=8=1"));
  EXPECT_THAT(output_, HasSubstr("wrote " + sign.out));

  // The file is an EntropyStatement whose text verifies against the printed key.
  v1::EntropyStatement message;
  ASSERT_OK(google::protobuf::util::JsonStringToMessage(Read(sign.out), &message));
  EXPECT_EQ(message.source_id(), "notary-xihu");
  absl::StatusOr<scheduler::entropy::WitnessStatement> statement =
      scheduler::entropy::VerifyWitnessStatement(
          {"notary-xihu", GetParam(), public_key}, message.witness().statement(),
          message.witness().signature_hex());
  ASSERT_OK(statement);
  EXPECT_EQ(statement->round, 1);
  EXPECT_EQ(statement->signed_at, kNow);
  ASSERT_EQ(statement->attested.size(), 2u);
  EXPECT_EQ(statement->attested[0].source_id, "lottery-fc3d");  // sorted
  EXPECT_EQ(statement->value.size(), 64u);

  ASSERT_EQ(Run({"verify", sign.out}, VerifyOptions(public_key)), kExitOk) << output_;
  EXPECT_THAT(output_, HasSubstr("VALID: a " + GetParam() + " statement"));
  EXPECT_THAT(output_, HasSubstr("plan:        PLAN-2026-HZ-007"));

  // A second statement never replaces the first file.
  EXPECT_EQ(Run({"sign"}, sign), kExitServerError);
}

// The ledger beside the key: one value per plan and round, unless forced with a reason,
// which is recorded; other rounds and plans sign freely; the file only grows.
TEST_P(WitnessCommandTest, ASecondValueForTheSameRoundIsRefusedUnlessForcedWithAReason) {
  Keygen();
  const std::string ledger = root_ + "/key/witness.ledger";
  WitnessOptions sign = SignOptions();
  ASSERT_EQ(Run({"sign"}, sign), kExitOk) << output_;
  const std::string first = Read(ledger);
  EXPECT_THAT(first, HasSubstr(absl::StrCat("PLAN-2026-HZ-007\t1\t", kCommitment, "\t")));
  EXPECT_THAT(first, HasSubstr("\t2026-12-06T08:30:15Z\t-\n"));

  // Same plan and round, another output file: refused, nothing written.
  sign.out = root_ + "/second.json";
  EXPECT_EQ(Run({"sign"}, sign), kExitServerError);
  EXPECT_TRUE(Read(sign.out).empty());
  EXPECT_EQ(Read(ledger), first);
  // --force without a reason is a usage error.
  sign.force = true;
  EXPECT_EQ(Run({"sign"}, sign), kExitUsage);
  EXPECT_TRUE(Read(sign.out).empty());

  // Another round, and another plan, sign.
  WitnessOptions next = SignOptions();
  next.round = 2;
  next.out = root_ + "/round2.json";
  ASSERT_EQ(Run({"sign"}, next), kExitOk) << output_;
  next.plan = "PLAN-2026-HZ-008";
  next.round = 1;
  next.out = root_ + "/other-plan.json";
  ASSERT_EQ(Run({"sign"}, next), kExitOk) << output_;

  // Forced with a reason: signed, and the reason is in the ledger after the old lines.
  sign.force_reason = "first statement lost in transit (ticket 42)";
  ASSERT_EQ(Run({"sign"}, sign), kExitOk) << output_;
  EXPECT_FALSE(Read(sign.out).empty());
  const std::string after = Read(ledger);
  EXPECT_EQ(after.substr(0, first.size()), first);
  EXPECT_THAT(after, HasSubstr("\tfirst statement lost in transit (ticket 42)\n"));
  absl::StatusOr<WitnessLedger> parsed = LoadWitnessLedger(ledger);
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->entries.size(), 4u);

  // A ledger that cannot be read refuses to sign rather than forget.
  AtomicWriteOptions write;
  ASSERT_OK(WriteFileAtomically(ledger, after + "PLAN-X\tnot-a-round\n", write));
  next.round = 3;
  next.out = root_ + "/round3.json";
  EXPECT_EQ(Run({"sign"}, next), kExitServerError);
  EXPECT_TRUE(Read(next.out).empty());
}

TEST_P(WitnessCommandTest, VerifyRefusesTamperedStatementsAndOtherKeys) {
  const std::string public_key = Keygen();
  ASSERT_EQ(Run({"sign"}, SignOptions()), kExitOk) << output_;
  const std::string file = root_ + "/statement.json";
  const std::string json = Read(file);

  // Round 1 -> round 2 (length unchanged): canonical, but not what was signed.
  const std::string edited = root_ + "/edited.json";
  ASSERT_OK(WriteFileAtomically(
      edited, absl::StrReplaceAll(json, {{"round=1:1", "round=1:2"}})));
  EXPECT_EQ(Run({"verify", edited}, VerifyOptions(public_key)), kExitServerError);
  EXPECT_THAT(output_, HasSubstr("INVALID: signature: does not verify"));

  // Another witness's key.
  std::string other = public_key;
  WitnessOptions other_keygen;
  other_keygen.algorithm = GetParam();
  other_keygen.out = root_ + "/other";
  ASSERT_EQ(Run({"keygen"}, other_keygen), kExitOk);
  other = std::string(absl::StripSuffix(
      std::vector<std::string>(absl::StrSplit(Read(root_ + "/other/witness.pub"), ' '))[1], "\n"));
  EXPECT_EQ(Run({"verify", file}, VerifyOptions(other)), kExitServerError);

  // The file's source id must be the signed one, and the expected one when given.
  const std::string renamed = root_ + "/renamed.json";
  ASSERT_OK(WriteFileAtomically(
      renamed, absl::StrReplaceAll(
                   json, {{"\"sourceId\": \"notary-xihu\"", "\"sourceId\": \"notary-gongshu\""}})));
  EXPECT_EQ(Run({"verify", renamed}, VerifyOptions(public_key)), kExitServerError);
  EXPECT_THAT(output_, HasSubstr("INVALID: source_id: the file says \"notary-gongshu\""));
  WitnessOptions expect_other = VerifyOptions(public_key);
  expect_other.source_id = "notary-gongshu";
  EXPECT_EQ(Run({"verify", file}, expect_other), kExitServerError);

  const std::string not_json = root_ + "/not.json";
  ASSERT_OK(WriteFileAtomically(not_json, "hello"));
  EXPECT_EQ(Run({"verify", not_json}, VerifyOptions(public_key)), kExitServerError);
  EXPECT_THAT(output_, HasSubstr("not an EntropyStatement in JSON"));
}

TEST_P(WitnessCommandTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Run({"keygen"}, WitnessOptions()), kExitUsage);
  WitnessOptions bad_algorithm;
  bad_algorithm.algorithm = "rsa";
  bad_algorithm.out = root_ + "/x";
  EXPECT_EQ(Run({"keygen"}, bad_algorithm), kExitUsage);

  Keygen();
  WitnessOptions no_commitment = SignOptions();
  no_commitment.commitment = "";
  EXPECT_EQ(Run({"sign"}, no_commitment), kExitUsage);
  WitnessOptions bad_commitment = SignOptions();
  bad_commitment.commitment = "ABC";
  EXPECT_EQ(Run({"sign"}, bad_commitment), kExitUsage);
  WitnessOptions bad_attest = SignOptions();
  bad_attest.attest = {"no-equals-sign"};
  EXPECT_EQ(Run({"sign"}, bad_attest), kExitUsage);
  WitnessOptions twice = SignOptions();
  twice.attest = {"tv=1", "tv=2"};
  EXPECT_EQ(Run({"sign"}, twice), kExitUsage);
  WitnessOptions negative = SignOptions();
  negative.round = -1;
  EXPECT_EQ(Run({"sign"}, negative), kExitUsage);

  EXPECT_EQ(Run({"verify"}, VerifyOptions("00")), kExitUsage);
  EXPECT_EQ(Run({"verify", root_ + "/missing.json"}, VerifyOptions(std::string(64, 'a'))),
            kExitUsage);
  EXPECT_EQ(Run({"verify", root_ + "/statement.json"}, VerifyOptions("00")), kExitUsage);
  EXPECT_EQ(Run({"frobnicate"}, WitnessOptions()), kExitUsage);
}

INSTANTIATE_TEST_SUITE_P(BothAlgorithms, WitnessCommandTest,
                         ::testing::Values("ed25519", "sm2-sm3"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param == "ed25519" ? "Ed25519" : "Sm2";
                         });

}  // namespace
}  // namespace regulation::regctl
