#include "tools/regctl/draw_export.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::regctl {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int Mode(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return -1;
  return st.st_mode & 0777;
}

TEST(WriteDrawExport, WritesEveryFileByteExact) {
  const ::regulation::testing::TempDir temp("draw_export_test");
  const std::string dir = temp.Path("export/p1");
  DrawExportFiles files;
  files.roster_json = "{\"inspectors\":[],\"conflicts\":[],\"last_inspections\":[]}";
  files.population_csv = "credit_code,class,region_code\n91330106000654337W,B,330106\n";
  files.bundles = {"{\"round\":0}", "{\"round\":1}\n"};
  absl::StatusOr<std::vector<std::string>> written = WriteDrawExport(dir, files);
  ASSERT_OK(written);
  EXPECT_EQ(*written, (std::vector<std::string>{dir + "/roster.json", dir + "/population.csv",
                                                dir + "/bundle-0.json", dir + "/bundle-1.json"}));
  EXPECT_EQ(Read(dir + "/roster.json"), files.roster_json);
  EXPECT_EQ(Read(dir + "/population.csv"), files.population_csv);
  EXPECT_EQ(Read(dir + "/bundle-1.json"), "{\"round\":1}\n");
  // Internal files for the owner only; bundles are public.
  EXPECT_EQ(Mode(dir + "/population.csv"), 0600);
  EXPECT_EQ(Mode(dir + "/roster.json"), 0600);
  EXPECT_EQ(Mode(dir + "/bundle-0.json"), 0644);
  // Nothing left beside them.
  EXPECT_EQ(Mode(dir + "/population.csv.tmp"), -1);
}

TEST(WriteDrawExport, FailsNamingThePath) {
  const ::regulation::testing::TempDir temp("draw_export_test");
  const std::string file = temp.Path("a-file");
  std::ofstream(file) << "x";
  absl::StatusOr<std::vector<std::string>> written = WriteDrawExport(file + "/sub", {});
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.status().message().find(file), std::string::npos) << written.status();
}

TEST(WriteFileAtomic, CreatesTheDirectory) {
  const ::regulation::testing::TempDir temp("draw_export_test");
  const std::string path = temp.Path("new/dir/bundle.json");
  ASSERT_OK(WriteFileAtomic(path, "{}"));
  EXPECT_EQ(Read(path), "{}");
  EXPECT_EQ(Mode(path), 0644);
}

TEST(VerifyDrawCommandLine, NamesTheThreeFiles) {
  EXPECT_EQ(VerifyDrawCommandLine("out/p1", 0),
            "regctl verify-draw out/p1/bundle-0.json --population=out/p1/population.csv "
            "--roster=out/p1/roster.json");
  EXPECT_EQ(VerifyDrawCommandLine("out/", 2),
            "regctl verify-draw out/bundle-2.json --population=out/population.csv "
            "--roster=out/roster.json");
}

TEST(VerifyDrawCommandLine, QuotesDirectoriesTheShellWouldSplit) {
  EXPECT_EQ(VerifyDrawCommandLine("my draws/it's", 0),
            "regctl verify-draw 'my draws/it'\\''s/bundle-0.json' "
            "--population='my draws/it'\\''s/population.csv' "
            "--roster='my draws/it'\\''s/roster.json'");
}

TEST(PopulationRows, CountsLinesAfterTheHeader) {
  EXPECT_EQ(PopulationRows(""), 0);
  EXPECT_EQ(PopulationRows("credit_code,class,region_code\n"), 0);
  EXPECT_EQ(PopulationRows("h\na\nb\n"), 2);
  EXPECT_EQ(PopulationRows("h\na\nb"), 2);
}

}  // namespace
}  // namespace regulation::regctl
