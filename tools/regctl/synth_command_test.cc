#include "tools/regctl/synth_command.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/temp_dir.h"

namespace regulation::regctl {
namespace {

using ::testing::HasSubstr;

class SynthCommandTest : public ::testing::Test {
 protected:
  int Run(const SynthOptions& options) {
    char* buffer = nullptr;
    size_t size = 0;
    std::FILE* out = open_memstream(&buffer, &size);
    const int code = RunSynthCommand(options, out);
    std::fclose(out);
    output_.assign(buffer, size);
    std::free(buffer);
    return code;
  }

  SynthOptions Valid() {
    SynthOptions o;
    o.enterprises = 500;
    o.years = 2;
    o.seed = 3;
    o.out = root_ + "/out";
    return o;
  }

  ::regulation::testing::TempDir temp_;  // removed after each test
  const std::string root_ = temp_.path();
  std::string output_;
};

TEST_F(SynthCommandTest, WritesTheFilesAndASummary) {
  ASSERT_EQ(Run(Valid()), 0) << output_;
  for (const char* file : {"enterprises.csv", "events.jsonl", "truth.csv", "manifest.json"}) {
    EXPECT_TRUE(std::filesystem::exists(root_ + "/out/" + file)) << file;
    EXPECT_THAT(output_, HasSubstr(file));
  }
  EXPECT_THAT(output_, HasSubstr("500 enterprises"));
  EXPECT_THAT(output_, HasSubstr("2024-07-01 to 2026-06-30"));
  EXPECT_THAT(output_, HasSubstr("inspections: "));
  EXPECT_THAT(output_, HasSubstr("problem found in"));
  EXPECT_THAT(output_, HasSubstr("elapsed: "));
}

TEST_F(SynthCommandTest, HonoursTheEndDate) {
  SynthOptions o = Valid();
  o.end_date = "2025-12-31";
  ASSERT_EQ(Run(o), 0) << output_;
  EXPECT_THAT(output_, HasSubstr("2024-01-01 to 2025-12-31"));
  o.end_date = "";  // the default
  ASSERT_EQ(Run(o), 0) << output_;
  EXPECT_THAT(output_, HasSubstr("to 2026-06-30"));
}

TEST_F(SynthCommandTest, BadOptionsAreUsageErrors) {
  SynthOptions o = Valid();
  o.out = "";
  EXPECT_EQ(Run(o), 2);
  o = Valid();
  o.enterprises = 0;
  EXPECT_EQ(Run(o), 2);
  o = Valid();
  o.years = 0;
  EXPECT_EQ(Run(o), 2);
  o = Valid();
  o.end_date = "2026-02-30";
  EXPECT_EQ(Run(o), 2);
  o = Valid();
  o.end_date = "30/06/2026";
  EXPECT_EQ(Run(o), 2);
  EXPECT_FALSE(std::filesystem::exists(root_ + "/out"));
}

TEST_F(SynthCommandTest, AnUnwritableDirectoryIsAFailure) {
  std::filesystem::create_directories(root_);
  std::ofstream(root_ + "/file") << "x";
  SynthOptions o = Valid();
  o.out = root_ + "/file/out";
  EXPECT_EQ(Run(o), 1);
}

}  // namespace
}  // namespace regulation::regctl
