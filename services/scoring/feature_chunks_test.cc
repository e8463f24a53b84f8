#include "services/scoring/feature_chunks.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring/feature_catalogue.h"
#include "services/portrait/feature_rows.h"
#include "services/scoring/testing/event_history.h"
#include "storage/kv_store.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::services::testing::EventHistory;
using ::regulation::services::testing::kDay;
using ::regulation::services::testing::kNow;
using ::regulation::services::testing::FeatureIndex;
using ::regulation::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class FeatureChunksTest : public ::testing::Test {
 protected:
  FeatureChunksTest() : history_(kNow) {}
  void SetUp() override {
    for (int i = 0; i < 5; ++i) ASSERT_OK(history_.AddEnterprise(i));
  }
  // The codes of every chunk, chunk by chunk.
  std::vector<std::vector<std::string>> Chunks(const std::string& resume_after, int size) {
    std::vector<std::vector<std::string>> chunks;
    // The chunks read the stored states: write back what ingestion keeps in memory.
    EXPECT_OK(history_.portraits()->Checkpoint());
    EXPECT_OK(ForEachFeatureChunk(history_.store(), resume_after, kNow, size,
                                  [&](const FeatureChunk& chunk) {
                                    std::vector<std::string>& codes = chunks.emplace_back();
                                    for (size_t i = 0; i < chunk.size(); ++i) {
                                      codes.emplace_back(chunk.code(i));
                                    }
                                    return absl::OkStatus();
                                  }));
    return chunks;
  }
  // Codes in the store's order (EventHistory::Code is not sorted by serial).
  std::vector<std::string> SortedCodes() {
    std::vector<std::string> codes;
    for (int i = 0; i < 5; ++i) codes.push_back(EventHistory::Code(i));
    std::sort(codes.begin(), codes.end());
    return codes;
  }
  EventHistory history_;
};

TEST_F(FeatureChunksTest, EveryEnterpriseOnceInCodeOrderInChunksOfTheGivenSize) {
  const std::vector<std::string> c = SortedCodes();
  EXPECT_THAT(Chunks("", 2),
              ElementsAre(ElementsAre(c[0], c[1]), ElementsAre(c[2], c[3]), ElementsAre(c[4])));
  EXPECT_THAT(Chunks("", 10), ElementsAre(ElementsAre(c[0], c[1], c[2], c[3], c[4])));
}

TEST_F(FeatureChunksTest, ResumesAfterTheGivenCode) {
  const std::vector<std::string> c = SortedCodes();
  EXPECT_THAT(Chunks(c[2], 2), ElementsAre(ElementsAre(c[3], c[4])));
  EXPECT_TRUE(Chunks(c[4], 2).empty());
}

TEST_F(FeatureChunksTest, RowsHoldEachEnterprisesFeaturesAsOfTheGivenTime) {
  ASSERT_OK(history_.AddPenalty(3, "p1", kNow - 10 * kDay));
  ASSERT_OK(history_.AddPenalty(3, "p2", kNow - 20 * kDay));
  const std::string penalised = EventHistory::Code(3);
  const size_t width = scoring::FeatureCatalogue().size();
  const size_t penalties = FeatureIndex("penalties_1y");
  int seen = 0;
  ASSERT_OK(history_.portraits()->Checkpoint());
  ASSERT_OK(ForEachFeatureChunk(history_.store(), "", kNow, 2, [&](const FeatureChunk& chunk) {
    EXPECT_GE(chunk.rows.size(), chunk.size() * width);
    for (size_t i = 0; i < chunk.size(); ++i) {
      ++seen;
      const float value = chunk.rows[i * width + penalties];
      EXPECT_EQ(value, chunk.code(i) == penalised ? 2.0f : 0.0f) << chunk.code(i);
    }
    return absl::OkStatus();
  }));
  EXPECT_EQ(seen, 5);
}

TEST_F(FeatureChunksTest, AnErrorFromUseStopsTheScanAndIsReturned) {
  int calls = 0;
  EXPECT_THAT(ForEachFeatureChunk(history_.store(), "", kNow, 2,
                                  [&](const FeatureChunk&) {
                                    ++calls;
                                    return absl::CancelledError("enough");
                                  }),
              StatusIs(absl::StatusCode::kCancelled, "enough"));
  EXPECT_EQ(calls, 1);
}

TEST_F(FeatureChunksTest, CorruptFeatureRowIsDataLossNamingTheEnterprise) {
  const std::string code = EventHistory::Code(1);
  ASSERT_OK(history_.portraits()->Checkpoint());
  storage::WriteBatch corrupt;
  corrupt.Put(storage::ColumnFamily::kFeatureRows, code, "\x01 short");
  ASSERT_OK(history_.store()->Write(corrupt));
  EXPECT_THAT(ForEachFeatureChunk(history_.store(), "", kNow, 2,
                                  [](const FeatureChunk&) { return absl::OkStatus(); }),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr(code)));
}

// Before a directory's rows are complete (a directory from before them, until its
// backfill), the chunks come from the enterprises and states themselves.
TEST_F(FeatureChunksTest, CorruptPortraitStateIsDataLossWhileTheRowsAreIncomplete) {
  const std::string code = EventHistory::Code(1);
  ASSERT_OK(history_.portraits()->Checkpoint());
  storage::WriteBatch corrupt;
  corrupt.Put(storage::ColumnFamily::kPortraits, code, "\xff\xff garbage");
  corrupt.Delete(storage::ColumnFamily::kFeatureRows, kFeatureRowsCompleteKey);
  ASSERT_OK(history_.store()->Write(corrupt));
  EXPECT_THAT(ForEachFeatureChunk(history_.store(), "", kNow, 2,
                                  [](const FeatureChunk&) { return absl::OkStatus(); }),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr(code)));
}

// The rows give the same codes and the same feature bits as the records and states,
// at moments before, between and after the events.
TEST_F(FeatureChunksTest, RowsGiveTheSameChunksAsTheRecordsAndStates) {
  ASSERT_OK(history_.AddPenalty(3, "p1", kNow - 10 * kDay));
  ASSERT_OK(history_.AddPenalty(3, "p2", kNow - 400 * kDay));
  ASSERT_OK(history_.AddInspection(0, "i1", kNow - 30 * kDay, true));
  ASSERT_OK(history_.AddInspection(4, "i2", kNow - 2000 * kDay, false));
  ASSERT_OK(history_.portraits()->Checkpoint());
  ASSERT_TRUE(FeatureRowsComplete(history_.store()).value_or(false));
  auto read_all = [&](int64_t as_of) {
    std::vector<std::string> codes;
    std::vector<float> rows;
    const size_t width = scoring::FeatureCatalogue().size();
    EXPECT_OK(ForEachFeatureChunk(history_.store(), "", as_of, 2, [&](const FeatureChunk& chunk) {
      for (size_t i = 0; i < chunk.size(); ++i) codes.emplace_back(chunk.code(i));
      rows.insert(rows.end(), chunk.rows.begin(), chunk.rows.begin() + chunk.size() * width);
      return absl::OkStatus();
    }));
    return std::make_pair(codes, rows);
  };
  const int64_t moments[] = {kNow, kNow - 20 * kDay, kNow - 395 * kDay, kNow + 800 * kDay};
  std::vector<std::pair<std::vector<std::string>, std::vector<float>>> from_rows;
  for (int64_t as_of : moments) from_rows.push_back(read_all(as_of));
  storage::WriteBatch incomplete;
  incomplete.Delete(storage::ColumnFamily::kFeatureRows, kFeatureRowsCompleteKey);
  ASSERT_OK(history_.store()->Write(incomplete));
  for (size_t m = 0; m < std::size(moments); ++m) {
    const auto from_records = read_all(moments[m]);
    EXPECT_EQ(from_rows[m].first, from_records.first);
    ASSERT_EQ(from_rows[m].second.size(), from_records.second.size());
    EXPECT_EQ(0, std::memcmp(from_rows[m].second.data(), from_records.second.data(),
                             from_records.second.size() * sizeof(float)))
        << "at moment " << m;
  }
}

}  // namespace
}  // namespace regulation::services
