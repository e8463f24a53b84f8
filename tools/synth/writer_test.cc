#include "tools/synth/writer.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "common/sha256.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "regulation/v1/event.pb.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace regulation::synth {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::Not;

constexpr const char* kFiles[] = {"enterprises.csv", "events.jsonl", "truth.csv", "manifest.json"};

std::string Contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> lines = absl::StrSplit(Contents(path), '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

class WriterTest : public ::testing::Test {
 protected:
  static std::string Dir(const std::string& name) {
    static ::regulation::testing::TempDir dir("writer_test");  // removed when the test binary exits
    return dir.Path(name);
  }

  static SynthConfig Config(uint64_t seed) {
    SynthConfig c;
    c.enterprises = 3000;
    c.years = 3;
    c.seed = seed;
    return c;
  }

  // Writes the population for `seed` once per directory name.
  static const SynthSummary& Write(const std::string& name, uint64_t seed,
                                   const WriteOptions& options) {
    static auto* written = new std::map<std::string, SynthSummary>;
    auto it = written->find(name);
    if (it == written->end()) {
      absl::StatusOr<SynthSummary> summary = WriteSyntheticData(Config(seed), Dir(name), options);
      EXPECT_OK(summary);
      it = written->emplace(name, summary.ok() ? *summary : SynthSummary{}).first;
    }
    return it->second;
  }

  static const SynthSummary& Reference() { return Write("reference", 11, WriteOptions{}); }
};

TEST_F(WriterTest, SameSeedGivesIdenticalFilesWhateverTheSplitOfWork) {
  Reference();
  WriteOptions split;
  split.threads = 3;
  split.chunk_size = 97;   // 31 chunks
  split.merge_fan_in = 2;  // several merge passes
  Write("split", 11, split);
  WriteOptions single;
  single.threads = 1;
  single.chunk_size = 100000;
  Write("single", 11, single);
  for (const char* file : kFiles) {
    const std::string reference = Contents(Dir("reference") + "/" + file);
    ASSERT_FALSE(reference.empty()) << file;
    EXPECT_TRUE(reference == Contents(Dir("split") + "/" + file)) << file;
    EXPECT_TRUE(reference == Contents(Dir("single") + "/" + file)) << file;
  }
}

TEST_F(WriterTest, DifferentSeedGivesDifferentFiles) {
  Reference();
  Write("other-seed", 12, WriteOptions{});
  for (const char* file : kFiles) {
    EXPECT_NE(Contents(Dir("reference") + "/" + file), Contents(Dir("other-seed") + "/" + file))
        << file;
  }
}

TEST_F(WriterTest, EventsAreCanonicalJsonSortedByTimeThenId) {
  const SynthSummary& summary = Reference();
  const std::vector<std::string> lines = Lines(Dir("reference") + "/events.jsonl");
  ASSERT_EQ(static_cast<int64_t>(lines.size()), summary.events);
  ASSERT_GT(lines.size(), 3000u);
  std::set<std::string> ids;
  int64_t previous_seconds = 0;
  std::string previous_id;
  for (const std::string& line : lines) {
    v1::Event event;
    ASSERT_OK(google::protobuf::util::JsonStringToMessage(line, &event)) << line;
    std::string again;
    ASSERT_OK(google::protobuf::util::MessageToJsonString(event, &again));
    ASSERT_EQ(again, line);  // the canonical mapping, as MessageToJsonString prints it
    ASSERT_TRUE(ids.insert(event.event_id()).second) << event.event_id();
    const int64_t seconds = event.occur_time().seconds();
    ASSERT_TRUE(seconds > previous_seconds ||
                (seconds == previous_seconds && event.event_id() > previous_id))
        << line;
    previous_seconds = seconds;
    previous_id = event.event_id();
  }
  int64_t by_kind = 0;
  for (const auto& [kind, count] : summary.events_by_kind) by_kind += count;
  EXPECT_EQ(by_kind, summary.events);
  EXPECT_EQ(summary.events_by_kind.count("annual_report"), 1u);
  EXPECT_EQ(summary.events_by_kind.count("inspection_outcome"), 1u);
}

TEST_F(WriterTest, CsvFilesHaveTheirHeadersAndOneRowPerEnterprise) {
  Reference();
  const std::vector<std::string> enterprises = Lines(Dir("reference") + "/enterprises.csv");
  ASSERT_EQ(enterprises.size(), 3001u);
  EXPECT_EQ(enterprises[0],
            "credit_code,name,region_code,industry_code,registered_capital_yuan,"
            "establishment_date,status,address");
  const std::set<std::string> statuses = {"OPERATING", "SUSPENDED",    "LIQUIDATING",
                                          "REVOKED",   "DEREGISTERED", "MOVED_OUT"};
  for (size_t i = 1; i < enterprises.size(); ++i) {
    const std::vector<std::string> fields = absl::StrSplit(enterprises[i], ',');
    ASSERT_EQ(fields.size(), 8u) << enterprises[i];
    EXPECT_EQ(fields[0].size(), 18u);
    EXPECT_EQ(fields[5].size(), 10u);
    EXPECT_EQ(statuses.count(fields[6]), 1u) << fields[6];
  }
  const std::vector<std::string> truth = Lines(Dir("reference") + "/truth.csv");
  ASSERT_EQ(truth.size(), 3001u);
  EXPECT_EQ(truth[0], "credit_code,latent_propensity,problem_probability_at_end");
  for (size_t i = 1; i < truth.size(); ++i) {
    const std::vector<std::string> fields = absl::StrSplit(truth[i], ',');
    ASSERT_EQ(fields.size(), 3u);
    EXPECT_EQ(fields[0], enterprises[i].substr(0, 18));
    const double p = std::stod(fields[2]);
    EXPECT_GT(p, 0.0);
    EXPECT_LT(p, 1.0);
  }
}

TEST_F(WriterTest, InspectionTruthNamesEveryInspectionEvent) {
  const std::string truth = Contents(Dir("reference") + "/inspections_truth.csv");
  const std::string events = Contents(Dir("reference") + "/events.jsonl");
  std::vector<std::string> rows = absl::StrSplit(truth, '\n', absl::SkipEmpty());
  ASSERT_GT(rows.size(), 1u);
  EXPECT_EQ(rows[0], "event_id,credit_code,p_true,problem_found");
  int inspection_events = 0;
  for (size_t at = events.find("inspectionOutcome"); at != std::string::npos;
       at = events.find("inspectionOutcome", at + 1)) {
    ++inspection_events;
  }
  EXPECT_EQ(static_cast<int>(rows.size()) - 1, inspection_events);
  for (size_t i = 1; i < rows.size(); ++i) {
    const std::vector<std::string> fields = absl::StrSplit(rows[i], ',');
    ASSERT_EQ(fields.size(), 4u);
    EXPECT_NE(events.find("\"" + fields[0] + "\""), std::string::npos) << fields[0];
  }
}

TEST_F(WriterTest, ManifestRecordsTheDigestsAndNoTemporaryFilesRemain) {
  const SynthSummary& summary = Reference();
  const std::string manifest = Contents(Dir("reference") + "/manifest.json");
  EXPECT_EQ(manifest, ManifestJson(summary));
  ASSERT_EQ(summary.files.size(), 4u);
  EXPECT_EQ(summary.files[3].name, "inspections_truth.csv");
  for (const FileSummary& f : summary.files) {
    const std::string contents = Contents(Dir("reference") + "/" + f.name);
    EXPECT_EQ(f.sha256, Sha256Hex(contents)) << f.name;
    EXPECT_EQ(f.bytes, static_cast<int64_t>(contents.size())) << f.name;
    EXPECT_NE(manifest.find(f.sha256), std::string::npos) << f.name;
  }
  EXPECT_NE(manifest.find("\"seed\": \"11\""), std::string::npos);
  EXPECT_NE(manifest.find("\"end_date\": \"2026-06-30\""), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(Dir("reference") + "/.synth-tmp"));
  EXPECT_GT(summary.inspections, 0);
  EXPECT_GT(summary.inspection_oracle_auc, 0.6);
  EXPECT_GT(summary.operating_at_end, 2000);
}

TEST_F(WriterTest, RejectsBadConfigurations) {
  SynthConfig bad = Config(1);
  bad.enterprises = 0;
  EXPECT_THAT(WriteSyntheticData(bad, Dir("bad"), WriteOptions{}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(WriteSyntheticData(Config(1), "", WriteOptions{}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  WriteOptions options;
  options.chunk_size = 0;
  EXPECT_THAT(WriteSyntheticData(Config(1), Dir("bad"), options),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(WriterTest, ReportsAnUnwritableDirectory) {
  // A regular file where the directory should be.
  const std::string file = Dir("a-file");
  std::filesystem::create_directories(Dir(""));
  std::ofstream(file) << "x";
  const absl::Status status = WriteSyntheticData(Config(1), file + "/out", WriteOptions{}).status();
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status, Not(StatusIs(absl::StatusCode::kInvalidArgument)));
}

}  // namespace
}  // namespace regulation::synth
