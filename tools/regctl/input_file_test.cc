#include "tools/regctl/input_file.h"

#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::regctl {
namespace {

using ::regulation::testing::StatusIs;

TEST(CheckInputFile, AcceptsOnlyAReadableRegularFile) {
  const ::regulation::testing::TempDir temp("input_file_test");
  const std::string& dir = temp.path();
  const std::string file = dir + "/rows.jsonl";
  std::ofstream(file) << "{}\n";
  EXPECT_OK(CheckInputFile("--file", file));
  const absl::Status directory = CheckInputFile("--file", dir);
  EXPECT_THAT(directory, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(directory.message(), "--file: " + dir + " is a directory, not a file");
  EXPECT_EQ(CheckInputFile("--oracle", dir + "/missing.csv").message(),
            "--oracle: " + dir + "/missing.csv does not exist");
}

}  // namespace
}  // namespace regulation::regctl
