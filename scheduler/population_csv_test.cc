#include "scheduler/population_csv.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "scheduler/testing/draw_fixtures.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::scheduler {
namespace {

using ::regulation::scheduler::testing::TestCreditCode;
using ::regulation::testing::StatusIs;

TEST(ParsePopulationCsv, ReadsBothForms) {
  const std::string a = TestCreditCode(2);
  const std::string b = TestCreditCode(1);
  absl::StatusOr<FrozenPopulation> two =
      ParsePopulationCsv("credit_code,class\n" + a + ",D\r\n" + b + ",A");
  ASSERT_OK(two);
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ(two->credit_code(0), b);  // sorted
  EXPECT_EQ(two->risk_class(0), 1);
  EXPECT_EQ(two->region_code(0), "");
  absl::StatusOr<FrozenPopulation> three =
      ParsePopulationCsv("credit_code,class,region_code\n" + a + ",B,330106\n" + b + ",C,\n");
  ASSERT_OK(three);
  EXPECT_EQ(three->region_code(1), "330106");
  EXPECT_EQ(three->region_code(0), "");
}

TEST(ParsePopulationCsv, NamesTheBadLine) {
  const std::string code = TestCreditCode(1);
  EXPECT_EQ(ParsePopulationCsv("code,class\n").status().message(),
            "population file line 1: the header must be \"credit_code,class\" or "
            "\"credit_code,class,region_code\", got \"code,class\"");
  EXPECT_EQ(ParsePopulationCsv("credit_code,class\n" + code + ",E\n").status().message(),
            "population file line 2: class must be A, B, C or D, got \"E\"");
  EXPECT_EQ(ParsePopulationCsv("credit_code,class\n" + code + ",A,330106\n").status().message(),
            "population file line 2: 3 fields, the header has 2");
  EXPECT_EQ(ParsePopulationCsv("credit_code,class\n\n").status().message(),
            "population file line 2: blank line");
  EXPECT_FALSE(ParsePopulationCsv("credit_code,class,region_code\n" + code + ",A,3301\n").ok());
  EXPECT_FALSE(ParsePopulationCsv("credit_code,class\n91350100M000100Y44,A\n").ok());
  EXPECT_EQ(
      ParsePopulationCsv("credit_code,class\n" + code + ",A\n" + code + ",B\n").status().message(),
      "population file: population: credit code " + code + " is listed twice");
  EXPECT_FALSE(ParsePopulationCsv("").ok());
}

TEST(WritePopulationCsv, RoundTrips) {
  const FrozenPopulation population = testing::SpecPopulation();
  const std::string text = WritePopulationCsv(population);
  EXPECT_EQ(text, testing::ReadTestData("spec_population.csv"));
  absl::StatusOr<FrozenPopulation> again = ParsePopulationCsv(text);
  ASSERT_OK(again);
  EXPECT_EQ(again->Digests().overall, population.Digests().overall);
}

TEST(ReadPopulationCsvFile, ReadsLinesAcrossBufferBoundaries) {
  const ::regulation::testing::TempDir dir("population_csv_test");
  const std::string path = dir.Path("population.csv");
  std::string text = "credit_code,class,region_code\n";
  for (int i = 0; i < 60000; ++i) {
    text += TestCreditCode(i) + "," + std::string(1, "ABCD"[i % 4]) + ",330106\n";
  }
  std::FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  std::fwrite(text.data(), 1, text.size() - 1, file);  // last line unterminated
  std::fclose(file);
  absl::StatusOr<FrozenPopulation> population = ReadPopulationCsvFile(path);
  ASSERT_OK(population);
  EXPECT_EQ(population->size(), 60000u);
  EXPECT_EQ(population->Digests().overall, ParsePopulationCsv(text)->Digests().overall);
  EXPECT_THAT(ReadPopulationCsvFile(path + ".missing"), StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace regulation::scheduler
