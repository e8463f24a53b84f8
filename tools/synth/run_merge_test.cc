#include "tools/synth/run_merge.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::synth {
namespace {

using ::regulation::testing::StatusIs;

class RunMergeTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = temp_.path(); }

  std::string WriteRun(const std::string& name, const std::string& contents) {
    const std::string path = dir_ + "/" + name;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(contents.data(), 1, contents.size(), f);
    std::fclose(f);
    return path;
  }

  std::vector<std::string> Merge(const std::vector<std::string>& runs, int fan_in,
                                 bool strip_keys) {
    std::vector<std::string> lines;
    const absl::Status status =
        MergeRuns(runs, dir_, fan_in, strip_keys, [&](absl::string_view line) {
          lines.emplace_back(line);
          return absl::OkStatus();
        });
    EXPECT_OK(status);
    return lines;
  }

  ::regulation::testing::TempDir temp_;  // removed after each test
  std::string dir_;
};

TEST_F(RunMergeTest, MergesByKeyAndStripsKeys) {
  const std::string a = WriteRun("a.run", "1\tone\n4\tfour\n7\tseven\n");
  const std::string b = WriteRun("b.run", "2\ttwo\n5\tfive\n");
  const std::string c = WriteRun("c.run", "");
  const std::string d = WriteRun("d.run", "3\tthree\n6\tsix\n8\teight");  // no final newline
  EXPECT_EQ(
      Merge({a, b, c, d}, 64, true),
      (std::vector<std::string>{"one", "two", "three", "four", "five", "six", "seven", "eight"}));
  EXPECT_EQ(Merge({a, b}, 64, false)[0], "1\tone");
}

TEST_F(RunMergeTest, EqualKeysKeepTheOrderOfTheRuns) {
  const std::string a = WriteRun("a.run", "k\tfrom-a\n");
  const std::string b = WriteRun("b.run", "k\tfrom-b\n");
  EXPECT_EQ(Merge({a, b}, 2, true), (std::vector<std::string>{"from-a", "from-b"}));
  EXPECT_EQ(Merge({b, a}, 2, true), (std::vector<std::string>{"from-b", "from-a"}));
}

TEST_F(RunMergeTest, ManyRunsMergeInPassesWithTheSameResult) {
  std::vector<std::string> runs;
  std::vector<std::string> expected;
  for (int r = 0; r < 37; ++r) {
    std::string contents;
    for (int i = 0; i < 20; ++i) {
      const int key = i * 37 + r;
      absl::StrAppendFormat(&contents, "%06d\tline %d\n", key, key);
    }
    runs.push_back(WriteRun(absl::StrCat("r", r, ".run"), contents));
  }
  for (int key = 0; key < 37 * 20; ++key) expected.push_back(absl::StrCat("line ", key));
  EXPECT_EQ(Merge(runs, 2, true), expected);
  EXPECT_EQ(Merge(runs, 5, true), expected);
  EXPECT_EQ(Merge(runs, 64, true), expected);
  // Intermediate runs are gone; the inputs are left alone.
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 37);
}

TEST_F(RunMergeTest, ReportsMissingRunsAndBadLines) {
  absl::Status status = MergeRuns({dir_ + "/missing.run"}, dir_, 8, true,
                                  [](absl::string_view) { return absl::OkStatus(); });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound));
  const std::string bad = WriteRun("bad.run", "no tab here\n");
  status = MergeRuns({bad}, dir_, 8, true, [](absl::string_view) { return absl::OkStatus(); });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(MergeRuns({bad}, dir_, 1, false, [](absl::string_view) { return absl::OkStatus(); }),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(RunMergeTest, SinkErrorsStopTheMerge) {
  const std::string a = WriteRun("a.run", "1\tx\n2\ty\n");
  int calls = 0;
  const absl::Status status = MergeRuns({a}, dir_, 8, true, [&](absl::string_view) {
    ++calls;
    return absl::UnavailableError("disk full");
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace regulation::synth
