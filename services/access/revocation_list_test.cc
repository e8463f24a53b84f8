#include "services/access/revocation_list.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "testing/fake_clock.h"
#include "testing/temp_dir.h"

namespace regulation::access {
namespace {

const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 1, 1, 0, 0, 0), absl::UTCTimeZone());

std::string TempPath(const std::string& name) {
  static ::regulation::testing::TempDir dir(
      "revocation_list_test");  // removed when the test binary exits
  return dir.Path(name);
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

class RevocationListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TempPath(::testing::UnitTest::GetInstance()->current_test_info()->name());
    ::unlink(path_.c_str());
  }
  void TearDown() override {
    ::chmod(path_.c_str(), 0644);
    ::unlink(path_.c_str());
  }

  std::string path_;
  FakeClock clock_{kStart};
};

TEST_F(RevocationListTest, MissingFileRevokesNothing) {
  RevocationList list(path_, &clock_);
  EXPECT_FALSE(list.IsRevoked("5f3a"));
  EXPECT_EQ(list.size(), 0u);
}

TEST_F(RevocationListTest, ReadsSerialsCommentsAndBlankLines) {
  WriteText(path_,
            "# revoked certificates\n"
            "\n"
            "5f3a0c\n"
            "  00AB12  \n"
            "# CN=alice revoked 2026-01-01\n"
            "deadbeef # trailing comment\n");
  RevocationList list(path_, &clock_);
  EXPECT_EQ(list.size(), 3u);
  EXPECT_TRUE(list.IsRevoked("5f3a0c"));
  EXPECT_TRUE(list.IsRevoked("5F3A0C"));
  EXPECT_TRUE(list.IsRevoked("ab12"));
  EXPECT_TRUE(list.IsRevoked("00deadbeef"));
  EXPECT_FALSE(list.IsRevoked("5f3a0d"));
  EXPECT_FALSE(list.IsRevoked(""));
  EXPECT_FALSE(list.IsRevoked("not hex"));
}

TEST_F(RevocationListTest, SkipsMalformedLines) {
  WriteText(path_, "5f3a\nnot-a-serial\n12 34\nxyz\nabcd\n");
  RevocationList list(path_, &clock_);
  EXPECT_EQ(list.size(), 2u);
  EXPECT_TRUE(list.IsRevoked("5f3a"));
  EXPECT_TRUE(list.IsRevoked("abcd"));
}

TEST_F(RevocationListTest, ReloadsAtMostOncePerSecond) {
  WriteText(path_, "aa\n");
  RevocationList list(path_, &clock_);
  EXPECT_TRUE(list.IsRevoked("aa"));
  WriteText(path_, "aa\nbbbb\n");
  clock_.Advance(absl::Milliseconds(500));
  EXPECT_FALSE(list.IsRevoked("bbbb")) << "checked again within a second";
  clock_.Advance(absl::Milliseconds(600));
  EXPECT_TRUE(list.IsRevoked("bbbb"));
  EXPECT_TRUE(list.IsRevoked("aa"));
}

TEST_F(RevocationListTest, DeletedFileRevokesNothing) {
  WriteText(path_, "aa\n");
  RevocationList list(path_, &clock_);
  ASSERT_TRUE(list.IsRevoked("aa"));
  ::unlink(path_.c_str());
  clock_.Advance(absl::Seconds(2));
  EXPECT_FALSE(list.IsRevoked("aa"));
}

TEST_F(RevocationListTest, ReplacedFileWithSameSizeIsReloaded) {
  WriteText(path_, "aa\n");
  RevocationList list(path_, &clock_);
  ASSERT_TRUE(list.IsRevoked("aa"));
  // Same size; a new inode (written beside and renamed, as editors do).
  const std::string other = path_ + ".new";
  WriteText(other, "bb\n");
  ASSERT_EQ(::rename(other.c_str(), path_.c_str()), 0);
  clock_.Advance(absl::Seconds(2));
  EXPECT_TRUE(list.IsRevoked("bb"));
  EXPECT_FALSE(list.IsRevoked("aa"));
}

TEST_F(RevocationListTest, UnreadableFileKeepsThePreviousList) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  WriteText(path_, "aa\n");
  RevocationList list(path_, &clock_);
  ASSERT_TRUE(list.IsRevoked("aa"));
  WriteText(path_, "aa\nbb\n");
  ASSERT_EQ(::chmod(path_.c_str(), 0), 0);
  clock_.Advance(absl::Seconds(2));
  EXPECT_TRUE(list.IsRevoked("aa"));
  EXPECT_FALSE(list.IsRevoked("bb"));
}

TEST_F(RevocationListTest, DirectoryInsteadOfFileKeepsThePreviousList) {
  WriteText(path_, "aa\n");
  RevocationList list(path_, &clock_);
  ASSERT_TRUE(list.IsRevoked("aa"));
  ::unlink(path_.c_str());
  ASSERT_EQ(::mkdir(path_.c_str(), 0700), 0);
  clock_.Advance(absl::Seconds(2));
  EXPECT_TRUE(list.IsRevoked("aa"));
  ::rmdir(path_.c_str());
}

TEST(NormalizeSerialTest, LowercaseWithoutLeadingZeros) {
  EXPECT_EQ(RevocationList::NormalizeSerial("00AbC"), "abc");
  EXPECT_EQ(RevocationList::NormalizeSerial("000"), "0");
  EXPECT_EQ(RevocationList::NormalizeSerial(""), std::nullopt);
  EXPECT_EQ(RevocationList::NormalizeSerial("-1"), std::nullopt);
  EXPECT_EQ(RevocationList::NormalizeSerial(std::string(65, 'a')), std::nullopt);
}

}  // namespace
}  // namespace regulation::access
