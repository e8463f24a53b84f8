#include "tools/synth/hashing_file.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "common/sha256.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::synth {
namespace {

using ::regulation::testing::StatusIs;

std::string TempPath(const std::string& name) {
  static ::regulation::testing::TempDir dir(
      "hashing_file_test");  // removed when the test binary exits
  return dir.Path(name);
}

TEST(HashingFileWriterTest, WritesCountsAndHashesWhatItWrites) {
  const std::string path = TempPath("hashing_file_test.txt");
  HashingFileWriter out;
  ASSERT_OK(out.Open(path));
  ASSERT_OK(out.Write("hello, "));
  ASSERT_OK(out.Write(""));
  ASSERT_OK(out.Write("世界\n"));
  ASSERT_OK(out.Close());
  const std::string expected = "hello, 世界\n";
  EXPECT_EQ(out.bytes(), static_cast<int64_t>(expected.size()));
  EXPECT_EQ(out.sha256_hex(), Sha256Hex(expected));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  EXPECT_EQ(contents.str(), expected);
}

TEST(HashingFileWriterTest, EmptyFileHasTheEmptyDigest) {
  HashingFileWriter out;
  ASSERT_OK(out.Open(TempPath("hashing_file_empty.txt")));
  ASSERT_OK(out.Close());
  EXPECT_EQ(out.bytes(), 0);
  EXPECT_EQ(out.sha256_hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HashingFileWriterTest, ReportsAMissingDirectory) {
  HashingFileWriter out;
  const absl::Status status = out.Open(TempPath("no/such/dir/file.txt"));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_NE(status.message().find("no/such/dir"), absl::string_view::npos);
}

}  // namespace
}  // namespace regulation::synth
