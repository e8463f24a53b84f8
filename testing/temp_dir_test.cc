#include "testing/temp_dir.h"

#include <sys/stat.h>

#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace regulation::testing {
namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

TEST(TempDir, IsANewEmptyDirectoryRemovedWithItsContents) {
  std::string path;
  {
    TempDir dir("temp-dir-test");
    path = dir.path();
    struct stat st;
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_TRUE(S_ISDIR(st.st_mode));
    EXPECT_EQ(dir.Path("a/b.txt"), path + "/a/b.txt");
    ASSERT_EQ(mkdir(dir.Path("a").c_str(), 0700), 0);
    std::ofstream(dir.Path("a/b.txt")) << "bytes";
    EXPECT_TRUE(Exists(dir.Path("a/b.txt")));
  }
  EXPECT_FALSE(Exists(path));
}

TEST(TempDir, TwoAreNeverTheSame) {
  TempDir first;
  TempDir second;
  EXPECT_NE(first.path(), second.path());
  EXPECT_NE(NewTempDir(), NewTempDir());
}

}  // namespace
}  // namespace regulation::testing
