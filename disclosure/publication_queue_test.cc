#include "disclosure/publication_queue.h"

#include <string>
#include <vector>

#include "disclosure/transparency_log.h"
#include "gtest/gtest.h"
#include "storage/memory_store.h"

namespace regulation::disclosure {
namespace {

// An in-memory log.
class FakeLog : public LogWriter {
 public:
  absl::StatusOr<std::vector<uint64_t>> Append(absl::Span<const std::string> entries) override {
    if (fail_next) {
      fail_next = false;
      return absl::UnavailableError("log down");
    }
    std::vector<uint64_t> indices;
    for (const std::string& e : entries) {
      indices.push_back(entries_.size());
      entries_.push_back(e);
    }
    return indices;
  }
  uint64_t size() const override { return entries_.size(); }
  absl::StatusOr<std::string> Entry(uint64_t index) const override { return entries_.at(index); }

  const std::vector<std::string>& entries() const { return entries_; }
  bool fail_next = false;

 private:
  std::vector<std::string> entries_;
};

absl::Status StageAndWrite(storage::KvStore* store, PublicationQueue* queue,
                           const std::vector<std::string>& keys) {
  storage::WriteBatch batch;
  for (const std::string& key : keys) {
    absl::Status staged = queue->Stage(key, "P1", "{\"key\":\"" + key + "\"}", &batch);
    if (!staged.ok()) return staged;
  }
  return store->Write(batch);
}

TEST(PublicationQueueTest, PublishesStagedRecordsInOrderAndRemembersTheirIndices) {
  std::unique_ptr<storage::KvStore> owned = storage::NewMemoryStore();
  storage::KvStore& store = *owned;
  FakeLog log;
  auto queue = PublicationQueue::Open(&store, &log);
  ASSERT_TRUE(queue.ok()) << queue.status();
  ASSERT_TRUE(StageAndWrite(&store, queue->get(), {"commitment/P1", "draw/P1/0"}).ok());
  EXPECT_TRUE(absl::IsNotFound((*queue)->IndexOf("commitment/P1").status()));

  absl::StatusOr<int64_t> published = (*queue)->Flush();
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(*published, 2);
  ASSERT_EQ(log.entries().size(), 2u);
  EXPECT_EQ(log.entries()[0], "{\"key\":\"commitment/P1\"}");
  EXPECT_EQ(*(*queue)->IndexOf("commitment/P1"), 0u);
  EXPECT_EQ(*(*queue)->IndexOf("draw/P1/0"), 1u);
  EXPECT_EQ(*(*queue)->QueuedCount(), 0);
  EXPECT_EQ(*(*queue)->SubjectIndices("P1", 0, 10), (std::vector<uint64_t>{0, 1}));
  EXPECT_EQ(*(*queue)->SubjectIndices("P1", 1, 10), (std::vector<uint64_t>{1}));
  EXPECT_TRUE((*queue)->SubjectIndices("P2", 0, 10)->empty());
  EXPECT_EQ(*(*queue)->Flush(), 0);  // nothing twice
  EXPECT_EQ(log.entries().size(), 2u);
}

TEST(PublicationQueueTest, ARecordStagedInABatchThatWasNeverWrittenIsNotPublished) {
  std::unique_ptr<storage::KvStore> owned = storage::NewMemoryStore();
  storage::KvStore& store = *owned;
  FakeLog log;
  auto queue = PublicationQueue::Open(&store, &log);
  ASSERT_TRUE(queue.ok());
  storage::WriteBatch abandoned;
  ASSERT_TRUE((*queue)->Stage("commitment/P9", "P9", "{}", &abandoned).ok());  // never written
  EXPECT_EQ(*(*queue)->Flush(), 0);
  EXPECT_TRUE(log.entries().empty());
}

TEST(PublicationQueueTest, AFailedAppendKeepsTheRecordsQueuedForTheNextFlush) {
  std::unique_ptr<storage::KvStore> owned = storage::NewMemoryStore();
  storage::KvStore& store = *owned;
  FakeLog log;
  auto queue = PublicationQueue::Open(&store, &log);
  ASSERT_TRUE(queue.ok());
  ASSERT_TRUE(StageAndWrite(&store, queue->get(), {"a", "b"}).ok());
  log.fail_next = true;
  EXPECT_EQ((*queue)->Flush().status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(*(*queue)->QueuedCount(), 2);
  EXPECT_EQ(*(*queue)->Flush(), 2);
  EXPECT_EQ(log.entries().size(), 2u);
}

TEST(PublicationQueueTest, ACrashAfterTheAppendNeitherLosesNorRepeatsARecord) {
  std::unique_ptr<storage::KvStore> owned = storage::NewMemoryStore();
  storage::KvStore& store = *owned;
  FakeLog log;
  {
    auto queue = PublicationQueue::Open(&store, &log);
    ASSERT_TRUE(queue.ok());
    ASSERT_TRUE(StageAndWrite(&store, queue->get(), {"x/0"}).ok());
    ASSERT_EQ(*(*queue)->Flush(), 1);
    ASSERT_TRUE(StageAndWrite(&store, queue->get(), {"x/1", "x/2", "x/3"}).ok());
  }
  // The crashed flush appended the first two queued records, then died before settling.
  ASSERT_TRUE(log.Append({"{\"key\":\"x/1\"}", "{\"key\":\"x/2\"}"}).ok());

  auto reopened = PublicationQueue::Open(&store, &log);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*(*reopened)->Flush(), 1);  // only x/3 is new
  ASSERT_EQ(log.entries().size(), 4u);
  EXPECT_EQ(log.entries()[3], "{\"key\":\"x/3\"}");
  EXPECT_EQ(*(*reopened)->IndexOf("x/1"), 1u);
  EXPECT_EQ(*(*reopened)->IndexOf("x/2"), 2u);
  EXPECT_EQ(*(*reopened)->IndexOf("x/3"), 3u);
  EXPECT_EQ(*(*reopened)->QueuedCount(), 0);
}

TEST(PublicationQueueTest, ARecordTooLargeForTheLogIsRefusedBeforeItCanBlockTheQueue) {
  std::unique_ptr<storage::KvStore> owned = storage::NewMemoryStore();
  FakeLog log;
  auto queue = PublicationQueue::Open(owned.get(), &log);
  ASSERT_TRUE(queue.ok());
  storage::WriteBatch batch;
  absl::Status s = (*queue)->Stage("big", "P1", std::string(kMaxEntrySize + 1, 'x'), &batch);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(batch.empty());
}

TEST(PublicationQueueTest, ACrashedFlushOfOutOfOrderRecordsIsSettledWithoutRepeats) {
  std::unique_ptr<storage::KvStore> owned = storage::NewMemoryStore();
  storage::KvStore& store = *owned;
  FakeLog log;
  {
    auto queue = PublicationQueue::Open(&store, &log);
    ASSERT_TRUE(queue.ok());
    ASSERT_TRUE(StageAndWrite(&store, queue->get(), {"y/0", "y/1", "y/2"}).ok());
  }
  // The crashed flush had appended y/1 and y/2 only (y/0's batch landed after it read).
  ASSERT_TRUE(log.Append({"{\"key\":\"y/1\"}", "{\"key\":\"y/2\"}"}).ok());
  auto reopened = PublicationQueue::Open(&store, &log);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*(*reopened)->Flush(), 1);
  ASSERT_EQ(log.entries().size(), 3u);
  EXPECT_EQ(log.entries()[2], "{\"key\":\"y/0\"}");
  EXPECT_EQ(*(*reopened)->IndexOf("y/1"), 0u);
}

TEST(PublicationQueueTest, WithoutALogRecordsWaitAndFlushSaysWhy) {
  std::unique_ptr<storage::KvStore> owned = storage::NewMemoryStore();
  storage::KvStore& store = *owned;
  auto queue = PublicationQueue::Open(&store, nullptr);
  ASSERT_TRUE(queue.ok());
  ASSERT_TRUE(StageAndWrite(&store, queue->get(), {"a"}).ok());
  EXPECT_EQ((*queue)->Flush().status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(*(*queue)->QueuedCount(), 1);
}

}  // namespace
}  // namespace regulation::disclosure
