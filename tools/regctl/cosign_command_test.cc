#include "tools/regctl/cosign_command.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/files.h"
#include "disclosure/cosignature.h"
#include "disclosure/signing_key.h"
#include "disclosure/site/publisher.h"
#include "disclosure/site/testing/log_site_source.h"
#include "disclosure/site/testing/sample_entries.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"
#include "tools/regctl/connection.h"
#include "tools/regctl/verify_log_command.h"

namespace regulation::regctl {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
namespace site = disclosure::site;
using site::testing::SampleLog;

constexpr char kOrigin[] = "regulation.example/disclosure";
constexpr char kWitness[] = "witness.example/w1";
const absl::Time kNow = absl::FromUnixSeconds(1796544000);  // 2026-12-06T08:00:00Z

class CosignCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(root_ + "/witness");
    key_ = std::make_unique<disclosure::SigningKey>(*disclosure::SigningKey::Generate(kOrigin));
    witness_ = std::make_unique<disclosure::SigningKey>(*disclosure::SigningKey::Generate(kWitness));
    ASSERT_OK(witness_->WriteNew(root_ + "/witness/witness.key"));
    log_ = *SampleLog::Create(key_.get());
    options_.key = root_ + "/witness/witness.key";
    options_.cosigner_name = kWitness;
    options_.verifier_key = key_->VerifierKey();
    options_.clock = &clock_;
  }

  // Appends `count` results and publishes the log into root_/site.
  void Grow(int count) {
    for (int i = 0; i < count; ++i, ++results_) {
      ASSERT_OK(log_->Append(site::testing::ResultBody(site::testing::SampleResult(
          absl::StrCat("R", results_), "PLAN-A", site::testing::SampleCreditCode(results_),
          site::testing::SampleName(results_ + 2)))));
    }
    site::PublishOptions options;
    options.sync = false;
    ASSERT_OK(site::Publish(log_->source(), site(), options));
  }

  std::string site() const { return root_ + "/site"; }

  int Run(const std::vector<std::string>& args) {
    char* buffer = nullptr;
    size_t size = 0;
    std::FILE* out = open_memstream(&buffer, &size);
    const int code = RunCosignCommand(args, options_, out);
    std::fclose(out);
    output_.assign(buffer, size);
    std::free(buffer);
    return code;
  }

  ::regulation::testing::TempDir temp_;  // removed after each test
  const std::string root_ = temp_.path();
  std::unique_ptr<disclosure::SigningKey> key_;
  std::unique_ptr<disclosure::SigningKey> witness_;
  std::shared_ptr<SampleLog> log_;
  int results_ = 0;
  FakeClock clock_{kNow};
  CosignOptions options_;
  std::string output_;
};

TEST_F(CosignCommandTest, PrintsTheCosignersVerifierKey) {
  ASSERT_EQ(Run({}), kExitOk) << output_;
  EXPECT_EQ(output_, disclosure::CosignerVerifier::Of(*witness_).VerifierKey() + "\n");
}

// The witness cosigns a checkpoint, then a larger consistent one; verify-log accepts the
// checkpoint with --witness_key only once it is cosigned.
TEST_F(CosignCommandTest, CosignsConsistentCheckpointsThatVerifyLogThenAccepts) {
  Grow(10);
  VerifyLogOptions verify;
  verify.verifier_key = key_->VerifierKey();
  verify.state_file = root_ + "/reader-state";
  verify.witness_keys = {disclosure::CosignerVerifier::Of(*witness_).VerifierKey()};
  std::FILE* sink = std::tmpfile();
  EXPECT_EQ(RunVerifyLogCommand({site()}, verify, sink), 1);  // not cosigned yet

  ASSERT_EQ(Run({site()}), kExitOk) << output_;
  EXPECT_THAT(output_, StartsWith(absl::StrCat("COSIGNED: ", kOrigin, ", tree size 10, root ")));
  EXPECT_THAT(output_, HasSubstr("first checkpoint of this log cosigned"));
  EXPECT_EQ(RunVerifyLogCommand({site()}, verify, sink), 0);
  const std::string note = *ReadWholeFile(site() + "/checkpoint");
  EXPECT_EQ(*disclosure::CosignerVerifier::Of(*witness_).Verify(note), 1796544000u);

  Grow(5);
  clock_.Advance(absl::Minutes(1));
  ASSERT_EQ(Run({site()}), kExitOk) << output_;
  EXPECT_THAT(output_, HasSubstr("tree size 15"));
  EXPECT_THAT(output_, HasSubstr("consistent with the checkpoint cosigned before (tree size 10)"));
  EXPECT_EQ(RunVerifyLogCommand({site()}, verify, sink), 0);
  std::fclose(sink);
}

// A log that shows the witness a smaller tree (rollback), or another history under the
// same key (fork), gets no cosignature.
TEST_F(CosignCommandTest, RefusesRollbackAndFork) {
  Grow(20);
  ASSERT_EQ(Run({site()}), kExitOk) << output_;

  // Rollback: the same key publishes a smaller tree.
  std::filesystem::remove_all(site());
  log_ = *SampleLog::Create(key_.get());
  results_ = 0;
  Grow(12);
  const std::string before = *ReadWholeFile(site() + "/checkpoint");
  EXPECT_EQ(Run({site()}), kExitServerError);
  EXPECT_EQ(*ReadWholeFile(site() + "/checkpoint"), before);  // not cosigned

  // Fork: as many entries and more, but another history.
  std::filesystem::remove_all(site());
  log_ = *SampleLog::Create(key_.get());
  results_ = 100;
  Grow(25);
  EXPECT_EQ(Run({site()}), kExitServerError);
  EXPECT_FALSE(disclosure::CosignerVerifier::Of(*witness_)
                   .Verify(*ReadWholeFile(site() + "/checkpoint"))
                   .ok());
}

TEST_F(CosignCommandTest, UsageErrors) {
  Grow(3);
  options_.verifier_key.clear();
  EXPECT_EQ(Run({site()}), kExitUsage);  // the log key must be pinned
  options_.verifier_key = "not a key";
  EXPECT_EQ(Run({site()}), kExitUsage);
  options_.verifier_key = key_->VerifierKey();
  EXPECT_EQ(Run({site(), "more"}), kExitUsage);
  options_.cosigner_name.clear();
  EXPECT_EQ(Run({site()}), kExitUsage);
  // Another log's key: the checkpoint does not verify, nothing is cosigned.
  options_.cosigner_name = kWitness;
  options_.verifier_key = disclosure::SigningKey::Generate(kOrigin)->VerifierKey();
  EXPECT_EQ(Run({site()}), kExitServerError);
}

}  // namespace
}  // namespace regulation::regctl
