#include "tools/synth/csv.h"

#include "gtest/gtest.h"

namespace regulation::synth {
namespace {

TEST(CsvTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("上海市浦东新区"), "上海市浦东新区");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\r"), "\"cr\r\"");
}

TEST(CsvTest, RowsJoinWithCommasAndEndInNewline) {
  EXPECT_EQ(CsvRow({"a", "b,c", "", "d"}), "a,\"b,c\",,d\n");
  EXPECT_EQ(CsvRow({"only"}), "only\n");
}

}  // namespace
}  // namespace regulation::synth
