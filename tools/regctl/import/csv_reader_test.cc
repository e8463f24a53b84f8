#include "tools/regctl/import/csv_reader.h"

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

using ::regulation::testing::StatusIs;

std::unique_ptr<ImportInput> InputWith(const std::string& content) {
  static int counter = 0;
  static const ::regulation::testing::TempDir dir("csv_reader_test");
  const std::string path = dir.Path(absl::StrCat(++counter, ".csv"));
  std::FILE* file = std::fopen(path.c_str(), "wb");
  std::fwrite(content.data(), 1, content.size(), file);
  std::fclose(file);
  absl::StatusOr<std::unique_ptr<ImportInput>> input = ImportInput::Open(path);
  EXPECT_OK(input);
  return *std::move(input);
}

std::vector<CsvRecord> ReadAll(const std::string& content) {
  std::unique_ptr<ImportInput> input = InputWith(content);
  CsvReader reader(input.get(), 1);
  std::vector<CsvRecord> records;
  CsvRecord record;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&record);
    EXPECT_OK(more);
    if (!more.ok() || !*more) break;
    records.push_back(record);
  }
  return records;
}

using Fields = std::vector<std::string>;

TEST(CsvReader, SplitsPlainRecords) {
  const std::vector<CsvRecord> records = ReadAll("a,b,c\n1,,3\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(records[1].fields, (Fields{"1", "", "3"}));
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[1].end_offset, 11);
  EXPECT_TRUE(records[1].error.empty());
}

TEST(CsvReader, QuotedFieldsHoldCommasQuotesAndNewlines) {
  const std::vector<CsvRecord> records =
      ReadAll("h1,h2\n\"a, b\",\"say \"\"hi\"\"\"\n\"line 1\nline 2\",x\nlast,\"\"\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[1].fields, (Fields{"a, b", "say \"hi\""}));
  EXPECT_EQ(records[2].fields, (Fields{"line 1\nline 2", "x"}));
  EXPECT_EQ(records[2].line, 3);
  EXPECT_EQ(records[2].end_line, 4);
  // The record after a two-line one starts on line 5.
  EXPECT_EQ(records[3].line, 5);
  EXPECT_EQ(records[3].fields, (Fields{"last", ""}));
}

TEST(CsvReader, AcceptsCrlfAndNoFinalNewline) {
  const std::vector<CsvRecord> records = ReadAll("a,b\r\n\"x\r\ny\",z\r\nc,d");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields, (Fields{"a", "b"}));
  EXPECT_EQ(records[1].fields, (Fields{"x\r\ny", "z"}));
  EXPECT_EQ(records[2].fields, (Fields{"c", "d"}));
  EXPECT_EQ(records[2].line, 4);
  EXPECT_EQ(records[2].end_offset, 18);
}

TEST(CsvReader, SkipsEmptyLinesButCountsThem) {
  const std::vector<CsvRecord> records = ReadAll("a\n\n\r\nb\n\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].fields, (Fields{"b"}));
  EXPECT_EQ(records[1].line, 4);
}

TEST(CsvReader, ReportsAStrayQuoteAndGoesOn) {
  const std::vector<CsvRecord> records = ReadAll("a,b\"c,d\nnext,row\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].error_field, 1);
  EXPECT_NE(records[0].error.find("a quote inside an unquoted field"), std::string::npos);
  EXPECT_EQ(records[1].fields, (Fields{"next", "row"}));
  EXPECT_TRUE(records[1].error.empty());
}

TEST(CsvReader, ReportsTextAfterAClosingQuote) {
  const std::vector<CsvRecord> records = ReadAll("\"ab\"c,d\nx,y\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].error_field, 0);
  EXPECT_NE(records[0].error.find("text after the closing quote"), std::string::npos);
  EXPECT_EQ(records[1].line, 2);
}

TEST(CsvReader, ReportsAQuoteNeverClosed) {
  const std::vector<CsvRecord> records = ReadAll("a,b\nc,\"open\nmore\nlines\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[1].error, "the quote opened on line 2 is never closed");
}

TEST(CsvReader, StopsAtAnOverlongRecord) {
  std::unique_ptr<ImportInput> input = InputWith("a,b\n\"" + std::string(100, 'x') + "\n");
  CsvReader reader(input.get(), 1, 64);
  CsvRecord record;
  ASSERT_TRUE(*reader.Next(&record));
  const absl::StatusOr<bool> next = reader.Next(&record);
  ASSERT_FALSE(next.ok());
  EXPECT_THAT(next, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_NE(next.status().message().find("line 2"), absl::string_view::npos);
  EXPECT_NE(next.status().message().find("never closed"), absl::string_view::npos);
}

// Outside quotes an over-long record still ends at its line break: it is reported as a
// malformed row and reading goes on, so a rerun does not stop there again.
TEST(CsvReader, RejectsAnOverlongUnquotedRecordAndGoesOn) {
  std::unique_ptr<ImportInput> input =
      InputWith("a,b\n" + std::string(100, 'x') + ",y\nc,d\n");
  CsvReader reader(input.get(), 1, 64);
  CsvRecord record;
  ASSERT_TRUE(*reader.Next(&record));
  ASSERT_TRUE(*reader.Next(&record));
  EXPECT_EQ(record.line, 2);
  EXPECT_EQ(record.error, "the record is longer than 64 bytes");
  ASSERT_TRUE(*reader.Next(&record));
  EXPECT_EQ(record.line, 3);
  EXPECT_EQ(record.fields, (Fields{"c", "d"}));
  EXPECT_TRUE(record.error.empty());
  EXPECT_FALSE(*reader.Next(&record));
}

TEST(CsvReader, ResumesAtAnOffset) {
  std::unique_ptr<ImportInput> input = InputWith("h\n\"1\n1\"\n2\n3\n");
  ASSERT_OK(input->Seek(10));  // after "h\n\"1\n1\"\n2\n"
  CsvReader reader(input.get(), 5);
  CsvRecord record;
  ASSERT_TRUE(*reader.Next(&record));
  EXPECT_EQ(record.fields, (Fields{"3"}));
  EXPECT_EQ(record.line, 5);
  EXPECT_FALSE(*reader.Next(&record));
}

TEST(ImportInput, SkipsAByteOrderMarkOnly) {
  std::unique_ptr<ImportInput> input = InputWith(
      "\xEF\xBB\xBF"
      "a,b\n");
  input->SkipByteOrderMark();
  EXPECT_EQ(input->offset(), 3);
  EXPECT_EQ(input->Get(), 'a');
  std::unique_ptr<ImportInput> plain = InputWith("a,b\n");
  plain->SkipByteOrderMark();
  EXPECT_EQ(plain->offset(), 0);
  EXPECT_EQ(plain->size(), 4);
}

TEST(ImportInput, RefusesMissingFilesAndDirectories) {
  EXPECT_THAT(ImportInput::Open("/nonexistent/file.csv"), StatusIs(absl::StatusCode::kNotFound));
  const ::regulation::testing::TempDir dir("csv_reader_test");
  EXPECT_THAT(ImportInput::Open(dir.path()), StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace regulation::regctl
