#include "tools/regctl/verify_log_command.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/files.h"
#include "disclosure/cosignature.h"
#include "disclosure/signing_key.h"
#include "disclosure/site/publisher.h"
#include "disclosure/site/site_paths.h"
#include "disclosure/site/testing/log_site_source.h"
#include "disclosure/site/testing/sample_entries.h"
#include "scheduler/bundle_parts.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::regctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
namespace site = disclosure::site;
using site::testing::SampleLog;

constexpr char kOrigin[] = "regulation.example/disclosure";

class VerifyLogCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = std::make_unique<disclosure::SigningKey>(*disclosure::SigningKey::Generate(kOrigin));
    options_.state_file = root_ + "/state";
  }

  // Publishes a log of `count` results (records 0 .. count-1) as a site into `dir`.
  std::shared_ptr<SampleLog> Publish(const std::string& dir, int count) {
    std::shared_ptr<SampleLog> log = *SampleLog::Create(key_.get());
    for (int i = 0; i < count; ++i) {
      EXPECT_OK(log->Append(site::testing::ResultBody(site::testing::SampleResult(
          absl::StrCat("R", i), "PLAN-A", site::testing::SampleCreditCode(i),
          site::testing::SampleName(i + 2)))));
    }
    Republish(*log, dir);
    return log;
  }

  void Republish(SampleLog& log, const std::string& dir) {
    site::PublishOptions options;
    options.sync = false;
    absl::StatusOr<site::PublishReport> published = site::Publish(log.source(), dir, options);
    EXPECT_OK(published);
  }

  int Run(const std::vector<std::string>& args) {
    char* buffer = nullptr;
    size_t size = 0;
    std::FILE* out = open_memstream(&buffer, &size);
    const int code = RunVerifyLogCommand(args, options_, out);
    std::fclose(out);
    output_.assign(buffer, size);
    std::free(buffer);
    return code;
  }

  ::regulation::testing::TempDir temp_;  // removed after each test
  const std::string root_ = temp_.path();
  std::unique_ptr<disclosure::SigningKey> key_;
  VerifyLogOptions options_;
  std::string output_;
};

TEST_F(VerifyLogCommandTest, ValidLogIsReportedAndRemembered) {
  const std::string dir = root_ + "/site";
  auto log = Publish(dir, 300);
  // Nothing pins the key yet: refused unless the caller trusts the served key.
  EXPECT_EQ(Run({dir}), 2);
  EXPECT_FALSE(std::filesystem::exists(options_.state_file));
  options_.trust_on_first_use = true;
  ASSERT_EQ(Run({dir}), 0) << output_;
  EXPECT_THAT(output_, StartsWith(absl::StrCat("VALID: 300 entries, tree size 300, root ")));
  EXPECT_THAT(output_, HasSubstr("first verification"));
  absl::StatusOr<std::string> state = ReadWholeFile(options_.state_file);
  ASSERT_OK(state);
  EXPECT_THAT(*state, HasSubstr(absl::StrCat(kOrigin, " 300 ")));

  // Now the state file pins the key: no flag needed.
  options_.trust_on_first_use = false;
  ASSERT_EQ(Run({dir}), 0) << output_;
  EXPECT_THAT(output_, HasSubstr("consistent with the checkpoint verified before (tree size 300)"));

  // With the key pinned, and against the remembered checkpoint.
  options_.verifier_key = key_->VerifierKey();
  ASSERT_EQ(Run({dir}), 0) << output_;
  EXPECT_THAT(output_, HasSubstr("consistent with the checkpoint verified before (tree size 300)"));
}

// A mirror that replaces the log with another one (its own key, its own origin) is a
// "first verification" under the unpinned key: the command warns that the state file
// remembered another log.
TEST_F(VerifyLogCommandTest, AnotherLogUnderANewOriginIsFlagged) {
  const std::string dir = root_ + "/site";
  auto log = Publish(dir, 10);
  options_.trust_on_first_use = true;
  ASSERT_EQ(Run({dir}), 0) << output_;
  EXPECT_THAT(output_, Not(HasSubstr("WARNING")));
  std::filesystem::remove_all(dir);
  key_ = std::make_unique<disclosure::SigningKey>(
      *disclosure::SigningKey::Generate("mirror.example/disclosure"));
  auto other = Publish(dir, 10);
  ASSERT_EQ(Run({dir}), 0) << output_;
  EXPECT_THAT(output_, HasSubstr(absl::StrCat("WARNING: this state file remembers ", kOrigin,
                                              ", not mirror.example/disclosure")));
}

TEST_F(VerifyLogCommandTest, EditedEntryIsInvalid) {
  const std::string dir = root_ + "/site";
  auto log = Publish(dir, 300);
  const std::string path = dir + "/tile/entries/000";
  std::string bundle = *ReadWholeFile(path);
  bundle = absl::StrReplaceAll(bundle, {{"key result/R7\n", "key result/X7\n"}});
  ASSERT_OK(WriteFileAtomically(path, bundle));
  options_.trust_on_first_use = true;
  EXPECT_EQ(Run({dir}), 1);
  EXPECT_THAT(output_, StartsWith("INVALID: entry 7 (in tile/entries/000) does not match"));
}

TEST_F(VerifyLogCommandTest, ForgedCheckpointIsInvalid) {
  const std::string dir = root_ + "/site";
  auto log = Publish(dir, 10);
  options_.verifier_key = key_->VerifierKey();
  key_ = std::make_unique<disclosure::SigningKey>(*disclosure::SigningKey::Generate(kOrigin));
  std::filesystem::remove_all(dir);
  Publish(dir, 12);  // same origin, another key
  EXPECT_EQ(Run({dir}), 1);
  EXPECT_THAT(output_, StartsWith("INVALID: forged or altered checkpoint"));
}

TEST_F(VerifyLogCommandTest, RollbackAgainstTheStateFileIsInvalid) {
  const std::string dir = root_ + "/site";
  auto big = Publish(dir, 500);
  options_.verifier_key = key_->VerifierKey();
  ASSERT_EQ(Run({dir}), 0) << output_;
  std::filesystem::remove_all(dir);
  auto small = Publish(dir, 400);  // the same key shows an older, smaller tree
  EXPECT_EQ(Run({dir}), 1);
  EXPECT_THAT(output_, StartsWith("INVALID: rolled back: the checkpoint has 400 entries"));
}

// The bodies beside the leaves: an edited one, or a missing one that no WITHDRAWAL record
// names, is invalid; a withdrawn one is valid, and the log's proofs are untouched.
TEST_F(VerifyLogCommandTest, BodiesMustMatchTheirLeavesOrBeWithdrawn) {
  const std::string dir = root_ + "/site";
  auto log = Publish(dir, 12);
  options_.verifier_key = key_->VerifierKey();
  ASSERT_EQ(Run({dir}), 0) << output_;
  EXPECT_THAT(output_, HasSubstr("bodies: 12 match their leaves; 0 withdrawn"));

  const std::string body_path = absl::StrCat(dir, "/", site::RecordBodyPath(7));
  const std::string body = *ReadWholeFile(body_path);
  const std::string salt_path = absl::StrCat(dir, "/", site::RecordSaltPath(7));
  const std::string salt = *ReadWholeFile(salt_path);
  ASSERT_OK(WriteFileAtomically(
      body_path, absl::StrReplaceAll(body, {{"未发现问题", "发现问题"}})));
  EXPECT_EQ(Run({dir}), 1);
  EXPECT_THAT(output_, StartsWith("INVALID: record 7: the body (with its salt) does not hash"));

  std::filesystem::remove(body_path);
  EXPECT_EQ(Run({dir}), 1);
  EXPECT_THAT(output_, StartsWith("INVALID: record 7 (result/R7) has no published body, and no "
                                  "WITHDRAWAL record in the log names it"));

  ASSERT_OK(WriteFileAtomically(body_path, body));
  ASSERT_EQ(Run({dir}), 0) << output_;
  ASSERT_OK(log->Withdraw(7, "《中华人民共和国个人信息保护法》第四十七条", "2026-05-02"));
  Republish(*log, dir);
  EXPECT_FALSE(std::filesystem::exists(body_path));
  ASSERT_EQ(Run({dir}), 0) << output_;
  EXPECT_THAT(output_, StartsWith("VALID: 13 entries, tree size 13, root "));
  EXPECT_THAT(output_, HasSubstr("bodies: 12 match their leaves; 1 withdrawn"));
  EXPECT_THAT(output_, HasSubstr("consistent with the checkpoint verified before (tree size 12)"));

  // A body the site failed to remove still matches its leaf: valid, with a warning.
  ASSERT_OK(WriteFileAtomically(body_path, body));
  ASSERT_OK(WriteFileAtomically(salt_path, salt));
  ASSERT_EQ(Run({dir}), 0) << output_;
  EXPECT_THAT(output_, HasSubstr("WARNING: the bodies of withdrawn records 7 are still published"));
}

// Each DRAW record's bundle file, whole or in parts, must be the one its record commits
// to: a site serving another draw (an edited target, a missing file, a part swapped, a
// re-cut the record does not name) is invalid even though every leaf and body verifies.
TEST_F(VerifyLogCommandTest, DrawBundlesMustBeTheOnesTheirRecordsName) {
  std::shared_ptr<SampleLog> log = *SampleLog::Create(key_.get());
  ASSERT_OK(site::testing::PopulateSampleLog(log.get(), 3));  // draws of PLAN-A and PLAN-B
  std::string bundle;
  absl::StatusOr<int64_t> in_parts =
      site::testing::AppendDrawInParts(log.get(), "PLAN-A", 1, 60, 1024, &bundle);
  ASSERT_OK(in_parts);
  const std::string dir = root_ + "/site";
  Republish(*log, dir);
  options_.verifier_key = key_->VerifierKey();
  ASSERT_EQ(Run({dir}), 0) << output_;
  EXPECT_THAT(output_, HasSubstr("draw bundles: 3 match their DRAW records (1 published in parts)"));

  // A target edited in a whole bundle.
  const std::string whole = dir + "/draws/PLAN-B/0.json";
  const std::string original = *ReadWholeFile(whole);
  const std::string code = site::testing::SampleCreditCode(2);
  ASSERT_THAT(original, HasSubstr(code));
  ASSERT_OK(WriteFileAtomically(
      whole, absl::StrReplaceAll(original, {{code, site::testing::SampleCreditCode(9)}})));
  EXPECT_EQ(Run({dir}), 1);
  EXPECT_THAT(output_, StartsWith("INVALID: record 4: draws/PLAN-B/0.json hashes to "));
  EXPECT_THAT(output_, HasSubstr("; the record's bundle_digest is "));

  // Not published at all.
  std::filesystem::remove(whole);
  EXPECT_EQ(Run({dir}), 1);
  EXPECT_THAT(output_, StartsWith("INVALID: record 4: draws/PLAN-B/0.json: not published"));
  ASSERT_OK(WriteFileAtomically(whole, original));
  ASSERT_EQ(Run({dir}), 0) << output_;

  // A part edited: the manifest's own SHA-256 for it no longer matches.
  const std::string part = dir + "/draws/PLAN-A/1.00002.part";
  const std::string part_bytes = *ReadWholeFile(part);
  std::string edited = part_bytes;
  edited[10] = edited[10] == '1' ? '2' : '1';
  ASSERT_OK(WriteFileAtomically(part, edited));
  EXPECT_EQ(Run({dir}), 1);
  EXPECT_THAT(output_, StartsWith(absl::StrCat("INVALID: record ", *in_parts,
                                               ": draws/PLAN-A/1.json: manifest: part 2")));
  ASSERT_OK(WriteFileAtomically(part, part_bytes));

  // The right bundle cut another way: the parts join to the committed whole, but they are
  // not the parts the record names.
  const std::string manifest_path = dir + "/draws/PLAN-A/1.json";
  const scheduler::BundleManifest recut = scheduler::ManifestOf(bundle, 2048, "1-recut");
  for (size_t i = 0; i < recut.parts.size(); ++i) {
    ASSERT_OK(WriteFileAtomically(dir + "/draws/PLAN-A/" + recut.parts[i].file,
                                  std::string(scheduler::PartOf(bundle, 2048, static_cast<int64_t>(i)))));
  }
  ASSERT_OK(WriteFileAtomically(manifest_path, scheduler::WriteManifestJson(recut)));
  EXPECT_EQ(Run({dir}), 1);
  EXPECT_THAT(output_, HasSubstr("draws/PLAN-A/1.json lists "));
  EXPECT_THAT(output_, HasSubstr(" parts; the record names "));

  // The whole bundle in one file in place of the manifest is still the committed bundle.
  ASSERT_OK(WriteFileAtomically(manifest_path, bundle));
  ASSERT_EQ(Run({dir}), 0) << output_;
}

// An attacker who replaces the whole directory with its own key and signature (the same
// origin, so the checkpoint looks like the log's) is caught by the key the state file
// pinned on the first run; without that state, only --trust_on_first_use would accept it.
TEST_F(VerifyLogCommandTest, AnAttackersKeyFailsAgainstThePinnedOne) {
  const std::string dir = root_ + "/site";
  auto genuine = Publish(dir, 10);
  options_.trust_on_first_use = true;
  ASSERT_EQ(Run({dir}), 0) << output_;
  options_.trust_on_first_use = false;
  std::filesystem::remove_all(dir);
  key_ = std::make_unique<disclosure::SigningKey>(*disclosure::SigningKey::Generate(kOrigin));
  auto forged = Publish(dir, 11);
  EXPECT_EQ(Run({dir}), 1);
  EXPECT_THAT(output_, StartsWith("INVALID: forged or altered checkpoint"));
  // Another reader, with no state: refused, not VALID.
  options_.state_file = root_ + "/fresh-state";
  EXPECT_EQ(Run({dir}), 2);
}

// --witness_key: the checkpoint must carry that witness's valid cosignature.
TEST_F(VerifyLogCommandTest, ARequiredCosignatureMustBePresentAndValid) {
  const std::string dir = root_ + "/site";
  auto log = Publish(dir, 10);
  const disclosure::SigningKey witness = *disclosure::SigningKey::Generate("witness.example/w1");
  options_.verifier_key = key_->VerifierKey();
  options_.witness_keys = {disclosure::CosignerVerifier::Of(witness).VerifierKey()};
  EXPECT_EQ(Run({dir}), 1);
  EXPECT_THAT(output_, StartsWith("INVALID: the checkpoint carries no cosignature by witness "
                                  "witness.example/w1 (required by --witness_key)"));

  const std::string checkpoint = dir + "/checkpoint";
  const std::string note = *ReadWholeFile(checkpoint);
  ASSERT_OK(WriteFileAtomically(
      checkpoint, *disclosure::AddCosignature(note, witness, 1796544000)));
  ASSERT_EQ(Run({dir}), 0) << output_;
  EXPECT_THAT(output_, HasSubstr("cosigned by witness.example/w1 at 2026-12-06T08:00:00Z"));

  // Another witness's line does not stand in for the required one.
  const disclosure::SigningKey other = *disclosure::SigningKey::Generate("witness.example/w1");
  ASSERT_OK(WriteFileAtomically(checkpoint,
                                            *disclosure::AddCosignature(note, other, 1796544000)));
  EXPECT_EQ(Run({dir}), 1);
  EXPECT_THAT(output_, HasSubstr("no cosignature by witness witness.example/w1"));
  options_.witness_keys = {"not a key"};
  EXPECT_EQ(Run({dir}), 2);
}

TEST_F(VerifyLogCommandTest, UsageErrors) {
  EXPECT_EQ(Run({}), 2);
  EXPECT_EQ(Run({"a", "b"}), 2);
  EXPECT_EQ(Run({root_ + "/nothing-here"}), 2);  // no pinned key
  options_.trust_on_first_use = true;
  EXPECT_EQ(Run({root_ + "/nothing-here"}), 2);  // no verifier.key
  options_.verifier_key = "not a key";
  EXPECT_EQ(Run({root_}), 2);
}

}  // namespace
}  // namespace regulation::regctl
