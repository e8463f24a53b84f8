#include "tools/regctl/import/line_reader.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"
#include "tools/regctl/import/input.h"

namespace regulation::regctl {
namespace {

std::unique_ptr<ImportInput> InputWith(const std::string& content) {
  static int counter = 0;
  static const ::regulation::testing::TempDir dir("line_reader_test");
  const std::string path = dir.Path(absl::StrCat(++counter, ".jsonl"));
  std::FILE* file = std::fopen(path.c_str(), "wb");
  std::fwrite(content.data(), 1, content.size(), file);
  std::fclose(file);
  return *ImportInput::Open(path);
}

TEST(LineReader, NumbersLinesAndStripsTerminators) {
  std::unique_ptr<ImportInput> input = InputWith("one\r\n\ntwo\nlast");
  LineReader reader(input.get(), 1);
  std::vector<TextLine> lines;
  TextLine line;
  while (*reader.Next(&line)) lines.push_back(line);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].text, "one");
  EXPECT_EQ(lines[0].end_offset, 5);
  EXPECT_EQ(lines[1].text, "");
  EXPECT_EQ(lines[2].text, "two");
  EXPECT_EQ(lines[2].number, 3);
  EXPECT_EQ(lines[3].text, "last");
  EXPECT_EQ(lines[3].number, 4);
  EXPECT_EQ(lines[3].end_offset, 14);
}

TEST(LineReader, SkipsOverlongLinesWithoutHoldingThem) {
  std::unique_ptr<ImportInput> input = InputWith("short\n" + std::string(100, 'x') + "\nafter\n");
  LineReader reader(input.get(), 1, 10);
  TextLine line;
  ASSERT_TRUE(*reader.Next(&line));
  EXPECT_FALSE(line.too_long);
  ASSERT_TRUE(*reader.Next(&line));
  EXPECT_TRUE(line.too_long);
  EXPECT_EQ(line.number, 2);
  EXPECT_TRUE(line.text.empty());
  ASSERT_TRUE(*reader.Next(&line));
  EXPECT_EQ(line.text, "after");
  EXPECT_EQ(line.number, 3);
  EXPECT_FALSE(*reader.Next(&line));
}

TEST(LineReader, ResumesAtAnOffset) {
  std::unique_ptr<ImportInput> input = InputWith("a\nb\nc\n");
  ASSERT_OK(input->Seek(4));
  LineReader reader(input.get(), 3);
  TextLine line;
  ASSERT_TRUE(*reader.Next(&line));
  EXPECT_EQ(line.text, "c");
  EXPECT_EQ(line.number, 3);
  EXPECT_FALSE(*reader.Next(&line));
}

}  // namespace
}  // namespace regulation::regctl
