#include "common/files.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/temp_dir.h"

namespace regulation {
namespace {

using ::testing::HasSubstr;

class FilesTest : public ::testing::Test {
 protected:
  // The names in dir_, so a test can see that no temporary file was left behind.
  std::vector<std::string> Entries() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }

  ::regulation::testing::TempDir temp_{"files_test"};  // removed after each test
  const std::string dir_ = temp_.path();
};

TEST_F(FilesTest, ReadMissingFileIsNotFoundNamingThePath) {
  const std::string path = dir_ + "/absent.txt";
  absl::StatusOr<std::string> read = ReadWholeFile(path);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(read.status().message()), HasSubstr(path));
  EXPECT_THAT(std::string(read.status().message()), HasSubstr("No such file or directory"));
}

TEST_F(FilesTest, ReadReturnsEveryByteOfALargeBinaryFile) {
  std::string data;
  for (int i = 0; i < 300000; ++i) data.push_back(static_cast<char>(i * 7));
  const std::string path = dir_ + "/big.bin";
  ASSERT_TRUE(WriteFileAtomically(path, data).ok());
  absl::StatusOr<std::string> read = ReadWholeFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, data);
}

TEST_F(FilesTest, ReadDirectoryIsFailedPrecondition) {
  absl::StatusOr<std::string> read = ReadWholeFile(dir_);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(read.status().message()), HasSubstr(dir_));
}

TEST_F(FilesTest, AtomicWriteReplacesOldContentAndLeavesNoTemporary) {
  const std::string path = dir_ + "/state";
  ASSERT_TRUE(WriteFileAtomically(path, "old").ok());
  ASSERT_TRUE(WriteFileAtomically(path, "new and longer").ok());
  EXPECT_EQ(*ReadWholeFile(path), "new and longer");
  EXPECT_THAT(Entries(), ::testing::ElementsAre("state"));
}

TEST_F(FilesTest, WriteFailingMidwayLeavesOldContentAndNoTemporary) {
  const std::string path = dir_ + "/state";
  ASSERT_TRUE(WriteFileAtomically(path, "old").ok());
  // A file-size limit makes write() fail partway (EFBIG), as a full disk would: the old
  // content must stay whole and the half-written temporary must be gone.
  struct rlimit saved;
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  void (*saved_handler)(int) = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = saved;
  small.rlim_cur = 4;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  absl::Status failed = WriteFileAtomically(path, "new and much longer than four bytes");
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &saved), 0);
  std::signal(SIGXFSZ, saved_handler);
  EXPECT_EQ(failed.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(failed.message()), HasSubstr(path));
  EXPECT_EQ(*ReadWholeFile(path), "old");
  EXPECT_THAT(Entries(), ::testing::ElementsAre("state"));
}

TEST_F(FilesTest, ExclusiveWriteRefusesToReplaceAndKeepsOldContent) {
  const std::string path = dir_ + "/ca.key";
  AtomicWriteOptions exclusive;
  exclusive.exclusive = true;
  exclusive.mode = 0600;
  ASSERT_TRUE(WriteFileAtomically(path, "first", exclusive).ok());
  absl::Status again = WriteFileAtomically(path, "second", exclusive);
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(again.message()), HasSubstr(path));
  EXPECT_EQ(*ReadWholeFile(path), "first");
  EXPECT_THAT(Entries(), ::testing::ElementsAre("ca.key"));
}

TEST_F(FilesTest, AtomicWriteSetsTheModeExactlyWhateverTheUmask) {
  const std::string path = dir_ + "/key";
  const mode_t old_umask = ::umask(0077);
  AtomicWriteOptions options;
  options.mode = 0644;
  absl::Status written = WriteFileAtomically(path, "k", options);
  ::umask(old_umask);
  ASSERT_TRUE(written.ok()) << written;
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST_F(FilesTest, WriteIntoMissingDirectoryIsNotFound) {
  absl::Status written = WriteFileAtomically(dir_ + "/no/such/dir/file", "x");
  EXPECT_EQ(written.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(written.message()), HasSubstr(dir_ + "/no/such/dir/file"));
}

TEST_F(FilesTest, MakeDirectoriesCreatesParentsAndAcceptsExisting) {
  const std::string deep = dir_ + "/a/b/c";
  ASSERT_TRUE(MakeDirectories(deep, 0700).ok());
  EXPECT_TRUE(std::filesystem::is_directory(deep));
  EXPECT_TRUE(MakeDirectories(deep).ok());
  EXPECT_TRUE(MakeDirectories(deep + "/").ok());
}

TEST_F(FilesTest, MakeDirectoriesOverAFileIsFailedPrecondition) {
  ASSERT_TRUE(WriteFileAtomically(dir_ + "/file", "x").ok());
  absl::Status made = MakeDirectories(dir_ + "/file");
  EXPECT_EQ(made.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(made.message()), HasSubstr(dir_ + "/file"));
  made = MakeDirectories(dir_ + "/file/below");
  EXPECT_EQ(made.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(MakeDirectories("").code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(FilesTest, RemoveFileIfExistsAcceptsAMissingFile) {
  const std::string path = dir_ + "/gone";
  ASSERT_TRUE(WriteFileAtomically(path, "x").ok());
  EXPECT_TRUE(RemoveFileIfExists(path).ok());
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(RemoveFileIfExists(path).ok());
}

TEST_F(FilesTest, RemoveTreeRemovesEverythingAndAcceptsAMissingTree) {
  ASSERT_TRUE(MakeDirectories(dir_ + "/t/u").ok());
  ASSERT_TRUE(WriteFileAtomically(dir_ + "/t/u/f", "x").ok());
  EXPECT_TRUE(RemoveTree(dir_ + "/t").ok());
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/t"));
  EXPECT_TRUE(RemoveTree(dir_ + "/t").ok());
}

TEST_F(FilesTest, ReadPrivateFileRefusesAKeyOthersCanRead) {
  const std::string path = dir_ + "/key.pem";
  AtomicWriteOptions options;
  options.mode = 0600;
  ASSERT_TRUE(WriteFileAtomically(path, "secret", options).ok());
  absl::StatusOr<std::string> read = ReadPrivateFile(path, "signing key");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, "secret");

  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  read = ReadPrivateFile(path, "signing key");
  EXPECT_EQ(read.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(read.status().message()),
              HasSubstr("the signing key is open to others (mode 0640); chmod 600 it"));

  read = ReadPrivateFile(dir_ + "/absent.pem", "signing key");
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(read.status().message()), HasSubstr(dir_ + "/absent.pem"));
}

TEST(FileErrorStatusTest, MapsErrnoToTheMostSpecificCode) {
  EXPECT_EQ(FileErrorStatus(ENOENT, "cannot open", "p").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FileErrorStatus(EACCES, "cannot open", "p").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(FileErrorStatus(EPERM, "cannot open", "p").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(FileErrorStatus(ENOSPC, "cannot write", "p").code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(FileErrorStatus(EDQUOT, "cannot write", "p").code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(FileErrorStatus(EEXIST, "cannot create", "p").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(FileErrorStatus(EIO, "cannot read", "p").code(), absl::StatusCode::kInternal);
}

TEST(FileErrorStatusTest, MessageNamesPathActionAndReason) {
  EXPECT_EQ(FileErrorStatus(ENOENT, "cannot open", "/srv/ca/tls.key").message(),
            "/srv/ca/tls.key: cannot open: No such file or directory");
}

TEST(DirectoryOfTest, SplitsAtTheLastSlash) {
  EXPECT_EQ(DirectoryOf("a/b/c"), "a/b");
  EXPECT_EQ(DirectoryOf("c"), ".");
  EXPECT_EQ(DirectoryOf("/c"), "/");
}

}  // namespace
}  // namespace regulation
