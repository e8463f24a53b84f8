#include "services/scoring/feature_chunks.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "scoring/feature_catalogue.h"
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

TEST_F(FeatureChunksTest, CorruptPortraitStateIsDataLossNamingTheEnterprise) {
  const std::string code = EventHistory::Code(1);
  storage::WriteBatch corrupt;
  corrupt.Put(storage::ColumnFamily::kPortraits, code, "\xff\xff garbage");
  ASSERT_OK(history_.store()->Write(corrupt));
  EXPECT_THAT(ForEachFeatureChunk(history_.store(), "", kNow, 2,
                                  [](const FeatureChunk&) { return absl::OkStatus(); }),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr(code)));
}

}  // namespace
}  // namespace regulation::services
