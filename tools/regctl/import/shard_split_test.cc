// regctl --shards import: a file split by the region shard holding each row's enterprise.

#include "tools/regctl/import/shard_split.h"

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/credit_code.h"
#include "common/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::regctl {
namespace {

using ::regulation::testing::TempDir;
using ::testing::HasSubstr;

std::string CodeIn(const std::string& region, int serial) {
  const std::string first17 = absl::StrCat("91", region, absl::StrFormat("MA%07d", serial));
  return first17 + CreditCodeCheckCharacter(first17);
}

services::ShardMap Zhejiang() {
  return *services::ShardMap::FromJson(R"json({"shards": [
    {"name": "hangzhou", "address": "hz:1", "regionPrefixes": ["3301"]},
    {"name": "zhejiang", "address": "zj:1", "regionPrefixes": ["33"]},
    {"name": "jiangsu", "address": "js:1", "regionPrefixes": ["32"]}]})json");
}

// Captures what the split reports.
class Diagnostics {
 public:
  Diagnostics() : file_(std::tmpfile()) {}
  ~Diagnostics() { std::fclose(file_); }
  std::FILE* get() { return file_; }
  std::string Text() {
    std::fflush(file_);
    std::rewind(file_);
    std::string out;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file_)) > 0) out.append(buffer, n);
    return out;
  }

 private:
  std::FILE* file_;
};

TEST(ShardSplitTest, EventsGoToTheirEnterprisesShardInOrderAndStrayRowsAreReported) {
  TempDir dir;
  const std::string file = dir.Path("events.jsonl");
  const std::string hz1 = CodeIn("330106", 1), hz2 = CodeIn("330102", 2), nb = CodeIn("330203", 3);
  const std::string beijing = CodeIn("110105", 4);
  const std::string lines = absl::StrCat(
      R"({"eventId":"e1","creditCode":")", hz1, "\"}\n",  //
      R"({"eventId":"e2","creditCode":")", nb, "\"}\n",   //
      R"({"eventId":"e3","creditCode":")", beijing, "\"}\n",
      R"({"eventId":"e4","creditCode":"91330106MA0000001X"})", "\n",  // bad check digit
      "not json\n",                                                   //
      R"({"eventId":"e5","creditCode":")", hz2, "\"}\n");
  ASSERT_OK(WriteFileAtomically(file, lines));
  Diagnostics diagnostics;
  ASSERT_OK_AND_ASSIGN(ShardSplit split, SplitByShard("events", file, Zhejiang(), diagnostics.get()));
  EXPECT_FALSE(split.reused);
  ASSERT_EQ(split.parts.size(), 3u);
  EXPECT_EQ(split.parts[0].rows, 2);
  EXPECT_EQ(split.parts[1].rows, 1);
  EXPECT_EQ(split.parts[2].rows, 0);
  EXPECT_TRUE(split.parts[2].path.empty());
  ASSERT_OK_AND_ASSIGN(std::string hangzhou, ReadWholeFile(split.parts[0].path));
  EXPECT_EQ(hangzhou, absl::StrCat(R"({"eventId":"e1","creditCode":")", hz1, "\"}\n",
                                   R"({"eventId":"e5","creditCode":")", hz2, "\"}\n"));
  EXPECT_EQ(split.rejected, 3);
  const std::string reported = diagnostics.Text();
  EXPECT_THAT(reported, HasSubstr(file + ":3: credit_code: region 110105: no shard holds it"));
  EXPECT_THAT(reported, HasSubstr(file + ":4: credit_code"));
  EXPECT_THAT(reported, HasSubstr(file + ":5: not a regulation.v1.Event"));

  // The same, unchanged file: the parts are reused, nothing is reported twice.
  Diagnostics again;
  ASSERT_OK_AND_ASSIGN(ShardSplit reused, SplitByShard("events", file, Zhejiang(), again.get()));
  EXPECT_TRUE(reused.reused);
  EXPECT_EQ(reused.parts[0].path, split.parts[0].path);
  EXPECT_EQ(again.Text(), "");
}

TEST(ShardSplitTest, EnterprisePartsKeepTheHeaderAndQuotedFields) {
  TempDir dir;
  const std::string file = dir.Path("enterprises.csv");
  const std::string js = CodeIn("320102", 7), hz = CodeIn("330106", 8);
  ASSERT_OK(WriteFileAtomically(
      file, absl::StrCat("name,credit_code,region_code\n",
                         "\"Nanjing, \"\"Ltd\"\"\",", js, ",320102\n",  //
                         "杭州某店,", hz, ",330106\n",                  //
                         "short\n")));
  Diagnostics diagnostics;
  ASSERT_OK_AND_ASSIGN(ShardSplit split,
                       SplitByShard("enterprises", file, Zhejiang(), diagnostics.get()));
  ASSERT_OK_AND_ASSIGN(std::string jiangsu, ReadWholeFile(split.parts[2].path));
  EXPECT_EQ(jiangsu, absl::StrCat("name,credit_code,region_code\n\"Nanjing, \"\"Ltd\"\"\",", js,
                                  ",320102\n"));
  ASSERT_OK_AND_ASSIGN(std::string hangzhou, ReadWholeFile(split.parts[0].path));
  EXPECT_EQ(hangzhou, absl::StrCat("name,credit_code,region_code\n杭州某店,", hz, ",330106\n"));
  EXPECT_EQ(split.rejected, 1);
  EXPECT_THAT(diagnostics.Text(), HasSubstr(file + ":4: credit_code: missing"));
}

TEST(ShardSplitTest, AChangedFileIsSplitAgainAndAHeaderWithoutCodesIsRefused) {
  TempDir dir;
  const std::string file = dir.Path("events.jsonl");
  ASSERT_OK(WriteFileAtomically(
      file, absl::StrCat(R"({"creditCode":")", CodeIn("330106", 1), "\"}\n")));
  Diagnostics diagnostics;
  ASSERT_OK(SplitByShard("events", file, Zhejiang(), diagnostics.get()).status());
  ASSERT_OK(WriteFileAtomically(
      file, absl::StrCat(R"({"creditCode":")", CodeIn("320102", 2), "\"}\n",
                         R"({"creditCode":")", CodeIn("320102", 3), "\"}\n")));
  ASSERT_OK_AND_ASSIGN(ShardSplit split, SplitByShard("events", file, Zhejiang(), diagnostics.get()));
  EXPECT_FALSE(split.reused);
  EXPECT_EQ(split.parts[2].rows, 2);
  EXPECT_TRUE(split.parts[0].path.empty()) << "the stale Hangzhou part was kept";
  EXPECT_TRUE(absl::IsNotFound(ReadWholeFile(absl::StrCat(file, ".by-shard/hangzhou.jsonl")).status()));

  const std::string csv = dir.Path("no-codes.csv");
  ASSERT_OK(WriteFileAtomically(csv, "name,region_code\nx,330106\n"));
  EXPECT_THAT(SplitByShard("enterprises", csv, Zhejiang(), diagnostics.get()),
              ::regulation::testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                              HasSubstr("no credit_code column")));
}

}  // namespace
}  // namespace regulation::regctl
