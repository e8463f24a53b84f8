#include "services/scoring/enterprise_events.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scoring/testing/event_history.h"
#include "storage/kv_store.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::services::testing::EventHistory;
using ::regulation::services::testing::kDay;
using ::regulation::services::testing::kNow;
using ::regulation::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Ids(const std::vector<v1::Event>& events) {
  std::vector<std::string> ids;
  for (const v1::Event& e : events) ids.push_back(e.event_id());
  return ids;
}

class ReadEnterpriseEventsTest : public ::testing::Test {
 protected:
  ReadEnterpriseEventsTest() : history_(kNow) {}
  void SetUp() override {
    ASSERT_OK(history_.AddEnterprise(0));
    ASSERT_OK(history_.AddEnterprise(1));
  }
  EventHistory history_;
};

TEST_F(ReadEnterpriseEventsTest, ReturnsOneEnterprisesEventsInTimeOrder) {
  // Ingested out of time order, and another enterprise's event between them.
  ASSERT_OK(history_.AddPenalty(0, "late", kNow - 1 * kDay));
  ASSERT_OK(history_.AddPenalty(1, "other", kNow - 2 * kDay));
  ASSERT_OK(history_.AddInspection(0, "early", kNow - 30 * kDay, /*problem_found=*/true));
  std::vector<v1::Event> events = {v1::Event()};  // replaced, not appended to
  std::vector<int64_t> micros = {42};
  ASSERT_OK(
      ReadEnterpriseEvents(history_.store(), nullptr, EventHistory::Code(0), &events, &micros));
  EXPECT_THAT(Ids(events), ElementsAre("early", "late"));
  EXPECT_THAT(micros, ElementsAre(kNow - 30 * kDay, kNow - 1 * kDay));
}

TEST_F(ReadEnterpriseEventsTest, AnEnterpriseWithoutEventsHasNone) {
  ASSERT_OK(history_.AddPenalty(1, "other", kNow - 2 * kDay));
  std::vector<v1::Event> events;
  std::vector<int64_t> micros;
  ASSERT_OK(
      ReadEnterpriseEvents(history_.store(), nullptr, EventHistory::Code(0), &events, &micros));
  EXPECT_TRUE(events.empty());
  EXPECT_TRUE(micros.empty());
}

TEST_F(ReadEnterpriseEventsTest, ReadsAsTheSnapshotSees) {
  ASSERT_OK(history_.AddPenalty(0, "before", kNow - 5 * kDay));
  std::unique_ptr<storage::Snapshot> snapshot = history_.store()->GetSnapshot();
  ASSERT_OK(history_.AddPenalty(0, "after", kNow - 4 * kDay));
  std::vector<v1::Event> events;
  std::vector<int64_t> micros;
  ASSERT_OK(ReadEnterpriseEvents(history_.store(), snapshot.get(), EventHistory::Code(0), &events,
                                 &micros));
  EXPECT_THAT(Ids(events), ElementsAre("before"));
  ASSERT_OK(
      ReadEnterpriseEvents(history_.store(), nullptr, EventHistory::Code(0), &events, &micros));
  EXPECT_THAT(Ids(events), ElementsAre("before", "after"));
}

TEST_F(ReadEnterpriseEventsTest, CorruptStoredEventIsDataLossNamingTheEnterprise) {
  ASSERT_OK(history_.AddPenalty(0, "p", kNow - 5 * kDay));
  std::unique_ptr<storage::Iterator> it = history_.store()->NewIterator(
      storage::ColumnFamily::kEvents, storage::PrefixBounds(EventHistory::Code(0)));
  it->SeekToFirst();
  ASSERT_TRUE(it->Valid());
  storage::WriteBatch corrupt;
  corrupt.Put(storage::ColumnFamily::kEvents, it->key(), "\xff\xff\xff not a message");
  it.reset();
  ASSERT_OK(history_.store()->Write(corrupt));
  std::vector<v1::Event> events;
  std::vector<int64_t> micros;
  EXPECT_THAT(
      ReadEnterpriseEvents(history_.store(), nullptr, EventHistory::Code(0), &events, &micros),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr(EventHistory::Code(0))));
}

}  // namespace
}  // namespace regulation::services
