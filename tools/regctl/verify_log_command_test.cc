#include "tools/regctl/verify_log_command.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "disclosure/atomic_file.h"
#include "disclosure/signing_key.h"
#include "disclosure/tiles.h"
#include "disclosure/transparency_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/memory_store.h"

namespace regulation::regctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kOrigin[] = "regulation.example/disclosure";

class VerifyLogCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    root_ = std::string(tmp != nullptr ? tmp : "/tmp") + "/verify_log_command_test/" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
    key_ = std::make_unique<disclosure::SigningKey>(*disclosure::SigningKey::Generate(kOrigin));
    options_.state_file = root_ + "/state";
  }

  // Publishes a log of `count` records into `dir`.
  std::unique_ptr<disclosure::TransparencyLog> Publish(const std::string& dir, int count) {
    stores_.push_back(storage::NewMemoryStore());
    disclosure::TransparencyLogOptions options;
    options.sync = false;
    auto log = *disclosure::TransparencyLog::Open(stores_.back().get(), *key_, options);
    std::vector<std::string> records;
    for (int i = 0; i < count; ++i) {
      records.push_back(absl::StrCat("{\"inspection\":", i, ",\"result\":\"compliant\"}"));
    }
    EXPECT_TRUE(log->Append(records).ok());
    disclosure::ExportOptions export_options;
    export_options.sync = false;
    EXPECT_TRUE(disclosure::ExportTiles(*log, 0, dir, export_options).ok());
    return log;
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

  std::string root_;
  std::unique_ptr<disclosure::SigningKey> key_;
  std::vector<std::unique_ptr<storage::KvStore>> stores_;
  VerifyLogOptions options_;
  std::string output_;
};

TEST_F(VerifyLogCommandTest, ValidLogIsReportedAndRemembered) {
  const std::string dir = root_ + "/site";
  auto log = Publish(dir, 300);
  ASSERT_EQ(Run({dir}), 0) << output_;
  EXPECT_THAT(output_, StartsWith(absl::StrCat("VALID: 300 entries, tree size 300, root ")));
  EXPECT_THAT(output_, HasSubstr("first verification"));
  absl::StatusOr<std::string> state = disclosure::ReadWholeFile(options_.state_file);
  ASSERT_TRUE(state.ok());
  EXPECT_THAT(*state, HasSubstr(absl::StrCat(kOrigin, " 300 ")));

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
  std::string bundle = *disclosure::ReadWholeFile(path);
  bundle = absl::StrReplaceAll(bundle, {{"\"inspection\":7,\"result\":\"compliant\"",
                                         "\"inspection\":7,\"result\":\"violation\""}});
  ASSERT_TRUE(disclosure::WriteFileAtomically(path, bundle).ok());
  EXPECT_EQ(Run({dir}), 1);
  EXPECT_THAT(output_, StartsWith("INVALID: entry 7 (in tile/entries/000) does not match"));
}

TEST_F(VerifyLogCommandTest, ForgedCheckpointIsInvalid) {
  const std::string dir = root_ + "/site";
  auto log = Publish(dir, 10);
  options_.verifier_key = key_->VerifierKey();
  key_ = std::make_unique<disclosure::SigningKey>(*disclosure::SigningKey::Generate(kOrigin));
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

TEST_F(VerifyLogCommandTest, UsageErrors) {
  EXPECT_EQ(Run({}), 2);
  EXPECT_EQ(Run({"a", "b"}), 2);
  EXPECT_EQ(Run({root_ + "/nothing-here"}), 2);  // no verifier.key
  options_.verifier_key = "not a key";
  EXPECT_EQ(Run({root_}), 2);
}

}  // namespace
}  // namespace regulation::regctl
