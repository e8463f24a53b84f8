#include "testing/fault_injection_store.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/kv_store.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"

namespace regulation::testing {
namespace {

using storage::ColumnFamily;
using ::testing::ElementsAre;

constexpr ColumnFamily kCf = ColumnFamily::kEnterprises;

class FaultInjectionStoreTest : public ::testing::Test {
 protected:
  FaultInjectionStoreTest() : base_(storage::NewMemoryStore()), store_(base_.get()) {}

  absl::Status Put(absl::string_view key, absl::string_view value, bool sync = false) {
    storage::WriteBatch batch;
    batch.Put(kCf, key, value);
    storage::WriteOptions options;
    options.sync = sync;
    return store_.Write(batch, options);
  }
  // The value in the base store, or "<absent>".
  std::string BaseValue(absl::string_view key) {
    absl::StatusOr<std::string> value = base_->Get(kCf, key);
    return value.ok() ? *value : "<absent>";
  }

  std::unique_ptr<storage::KvStore> base_;
  FaultInjectionStore store_;
};

TEST_F(FaultInjectionStoreTest, ForwardsWhenNoFaultIsSet) {
  ASSERT_OK(Put("a", "1"));
  EXPECT_THAT(store_.Get(kCf, "a"), IsOk());
  EXPECT_EQ(BaseValue("a"), "1");
  EXPECT_EQ(store_.writes_attempted(), 1);
  EXPECT_EQ(store_.writes_failed(), 0);
}

TEST_F(FaultInjectionStoreTest, FailNthWriteFailsOnlyThatWriteAndChangesNothing) {
  store_.FailNthWrite(2);
  EXPECT_OK(Put("a", "1"));
  EXPECT_THAT(Put("b", "2"), StatusIs(absl::StatusCode::kInternal, "injected write failure"));
  EXPECT_OK(Put("c", "3"));
  EXPECT_EQ(BaseValue("b"), "<absent>");
  EXPECT_EQ(BaseValue("c"), "3");
  EXPECT_EQ(store_.writes_failed(), 1);
}

TEST_F(FaultInjectionStoreTest, FailWritesFromFailsEveryLaterWriteUntilCleared) {
  store_.SetInjectedError(absl::UnavailableError("disk full"));
  store_.FailWritesFrom(2);
  EXPECT_OK(Put("a", "1"));
  EXPECT_THAT(Put("b", "2"), StatusIs(absl::StatusCode::kUnavailable, "disk full"));
  EXPECT_THAT(Put("c", "3"), StatusIs(absl::StatusCode::kUnavailable));
  storage::SortedRun run;
  run.Add("d", "4");
  EXPECT_THAT(store_.WriteSortedRun(kCf, run), StatusIs(absl::StatusCode::kUnavailable));
  store_.ClearFaults();
  EXPECT_OK(Put("e", "5"));
  EXPECT_EQ(BaseValue("c"), "<absent>");
  EXPECT_EQ(BaseValue("d"), "<absent>");
  EXPECT_EQ(BaseValue("e"), "5");
}

TEST_F(FaultInjectionStoreTest, FailWritesTouchingFailsOnlyBatchesWithThatKey) {
  store_.FailWritesTouching(kCf, "checkpoint");
  storage::WriteBatch both;
  both.Put(kCf, "tree", "t");
  both.Delete(kCf, "checkpoint");
  EXPECT_THAT(store_.Write(both), StatusIs(absl::StatusCode::kInternal));
  EXPECT_EQ(BaseValue("tree"), "<absent>");  // the whole batch, not a part of it
  EXPECT_OK(Put("tree", "t"));
  storage::WriteBatch other_family;
  other_family.Put(ColumnFamily::kLogState, "checkpoint", "c");
  EXPECT_OK(store_.Write(other_family));
}

TEST_F(FaultInjectionStoreTest, DropUnsyncedWritesRestoresTheLastDurableState) {
  ASSERT_OK(Put("kept", "synced", /*sync=*/true));
  ASSERT_OK(Put("kept", "overwritten"));
  ASSERT_OK(Put("new", "lost"));
  storage::WriteBatch erase;
  erase.Delete(kCf, "kept");
  ASSERT_OK(store_.Write(erase));
  EXPECT_EQ(store_.DropUnsyncedWrites(), 3);
  EXPECT_EQ(BaseValue("kept"), "synced");
  EXPECT_EQ(BaseValue("new"), "<absent>");
}

TEST_F(FaultInjectionStoreTest, SyncWalMakesEarlierWritesDurable) {
  ASSERT_OK(Put("a", "1"));
  ASSERT_OK(store_.SyncWal());
  ASSERT_OK(Put("b", "2"));
  EXPECT_EQ(store_.DropUnsyncedWrites(), 1);
  EXPECT_EQ(BaseValue("a"), "1");
  EXPECT_EQ(BaseValue("b"), "<absent>");
}

TEST_F(FaultInjectionStoreTest, FailReadsFailsGetsMultiGetsAndIterators) {
  ASSERT_OK(Put("a", "1"));
  store_.FailReads(true);
  EXPECT_THAT(store_.Get(kCf, "a"), StatusIs(absl::StatusCode::kInternal));
  std::vector<absl::StatusOr<std::string>> values = store_.MultiGet(kCf, {"a", "b"});
  ASSERT_EQ(values.size(), 2u);
  EXPECT_THAT(values[0], StatusIs(absl::StatusCode::kInternal));
  std::unique_ptr<storage::Iterator> it = store_.NewIterator(kCf);
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  EXPECT_THAT(it->status(), StatusIs(absl::StatusCode::kInternal));
  store_.FailReads(false);
  std::vector<std::string> keys;
  it = store_.NewIterator(kCf);
  for (it->SeekToFirst(); it->Valid(); it->Next()) keys.emplace_back(it->key());
  EXPECT_THAT(keys, ElementsAre("a"));
}

}  // namespace
}  // namespace regulation::testing
