#include "disclosure/publication_queue.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "disclosure/public_body_store.h"
#include "disclosure/public_leaf.h"
#include "disclosure/transparency_log.h"
#include "gtest/gtest.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"

namespace regulation::disclosure {
namespace {

using ::regulation::testing::StatusIs;

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

// The body of a record keyed `key`.
std::string Body(const std::string& key) {
  return absl::StrCat("{\"kind\":\"RESULT\",\"key\":\"", key,
                      "\",\"subject\":\"P1\",\"publish_time\":\"2026-01-01T00:00:00Z\"}");
}

// Stages the records keyed `keys` in one batch and writes it; returns their leaves.
absl::StatusOr<std::vector<std::string>> StageAndWrite(storage::KvStore* store,
                                                       PublicationQueue* queue,
                                                       const std::vector<std::string>& keys) {
  storage::WriteBatch batch;
  std::vector<std::string> leaves(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    absl::Status staged = queue->Stage(keys[i], "P1", Body(keys[i]), &batch, &leaves[i]);
    if (!staged.ok()) return staged;
  }
  REG_RETURN_IF_ERROR(store->Write(batch));
  return leaves;
}

TEST(PublicationQueueTest, PublishesStagedRecordsInOrderAndRemembersTheirIndices) {
  std::unique_ptr<storage::KvStore> owned = storage::NewMemoryStore();
  storage::KvStore& store = *owned;
  FakeLog log;
  auto queue = PublicationQueue::Open(&store, &log);
  ASSERT_OK(queue);
  absl::StatusOr<std::vector<std::string>> leaves =
      StageAndWrite(&store, queue->get(), {"commitment/P1", "draw/P1/0"});
  ASSERT_OK(leaves);
  EXPECT_TRUE(absl::IsNotFound((*queue)->IndexOf("commitment/P1").status()));

  absl::StatusOr<int64_t> published = (*queue)->Flush();
  ASSERT_OK(published);
  EXPECT_EQ(*published, 2);
  ASSERT_EQ(log.entries().size(), 2u);
  EXPECT_EQ(log.entries(), *leaves);
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
  ASSERT_OK(queue);
  storage::WriteBatch abandoned;
  ASSERT_OK((*queue)->Stage("commitment/P9", "P9", Body("commitment/P9"), &abandoned));
  EXPECT_EQ(*(*queue)->Flush(), 0);  // the batch was never written
  EXPECT_TRUE(log.entries().empty());
  EXPECT_TRUE(absl::IsNotFound(ReadPublicBody(&store, "commitment/P9").status()));
}

// The leaf commits to the body stored beside it in the same batch, under a fresh salt.
TEST(PublicationQueueTest, StagingStoresTheBodyAndSaltTheLeafCommitsTo) {
  std::unique_ptr<storage::KvStore> owned = storage::NewMemoryStore();
  FakeLog log;
  auto queue = PublicationQueue::Open(owned.get(), &log);
  ASSERT_OK(queue);
  absl::StatusOr<std::vector<std::string>> leaves =
      StageAndWrite(owned.get(), queue->get(), {"result/R1", "result/R2"});
  ASSERT_OK(leaves);
  absl::StatusOr<StoredBody> body = ReadPublicBody(owned.get(), "result/R1");
  ASSERT_OK(body);
  EXPECT_EQ(body->body, Body("result/R1"));
  EXPECT_EQ(body->salt.size(), kSaltSize);
  absl::StatusOr<PublicLeaf> leaf = ParsePublicLeaf((*leaves)[0]);
  ASSERT_OK(leaf);
  EXPECT_EQ(leaf->key, "result/R1");
  EXPECT_OK(CheckBody(*leaf, body->body, body->salt));
  EXPECT_NE(ReadPublicBody(owned.get(), "result/R2")->salt, body->salt);
}

TEST(PublicationQueueTest, ABodyThatIsNotItsRecordIsRefused) {
  std::unique_ptr<storage::KvStore> owned = storage::NewMemoryStore();
  FakeLog log;
  auto queue = PublicationQueue::Open(owned.get(), &log);
  ASSERT_OK(queue);
  storage::WriteBatch batch;
  EXPECT_THAT((*queue)->Stage("result/R1", "P1", Body("result/R2"), &batch),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT((*queue)->Stage("result/R1", "P1", "{}", &batch),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_TRUE(batch.empty());
}

TEST(PublicationQueueTest, AFailedAppendKeepsTheRecordsQueuedForTheNextFlush) {
  std::unique_ptr<storage::KvStore> owned = storage::NewMemoryStore();
  storage::KvStore& store = *owned;
  FakeLog log;
  auto queue = PublicationQueue::Open(&store, &log);
  ASSERT_OK(queue);
  ASSERT_OK(StageAndWrite(&store, queue->get(), {"a", "b"}));
  log.fail_next = true;
  EXPECT_THAT((*queue)->Flush(), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(*(*queue)->QueuedCount(), 2);
  EXPECT_EQ(*(*queue)->Flush(), 2);
  EXPECT_EQ(log.entries().size(), 2u);
}

TEST(PublicationQueueTest, ACrashAfterTheAppendNeitherLosesNorRepeatsARecord) {
  std::unique_ptr<storage::KvStore> owned = storage::NewMemoryStore();
  storage::KvStore& store = *owned;
  FakeLog log;
  std::vector<std::string> leaves;
  {
    auto queue = PublicationQueue::Open(&store, &log);
    ASSERT_OK(queue);
    ASSERT_OK(StageAndWrite(&store, queue->get(), {"x/0"}));
    ASSERT_EQ(*(*queue)->Flush(), 1);
    leaves = *StageAndWrite(&store, queue->get(), {"x/1", "x/2", "x/3"});
  }
  // The crashed flush appended the first two queued records, then died before settling.
  ASSERT_OK(log.Append({leaves[0], leaves[1]}));

  auto reopened = PublicationQueue::Open(&store, &log);
  ASSERT_OK(reopened);
  EXPECT_EQ(*(*reopened)->Flush(), 1);  // only x/3 is new
  ASSERT_EQ(log.entries().size(), 4u);
  EXPECT_EQ(log.entries()[3], leaves[2]);
  EXPECT_EQ(*(*reopened)->IndexOf("x/1"), 1u);
  EXPECT_EQ(*(*reopened)->IndexOf("x/2"), 2u);
  EXPECT_EQ(*(*reopened)->IndexOf("x/3"), 3u);
  EXPECT_EQ(*(*reopened)->QueuedCount(), 0);
}

TEST(PublicationQueueTest, ARecordTooLargeForTheLogIsRefusedBeforeItCanBlockTheQueue) {
  std::unique_ptr<storage::KvStore> owned = storage::NewMemoryStore();
  FakeLog log;
  auto queue = PublicationQueue::Open(owned.get(), &log);
  ASSERT_OK(queue);
  storage::WriteBatch batch;
  // A leaf over the entry limit (its key is in it), and a body over the body limit.
  const std::string long_key = "result/" + std::string(kMaxEntrySize, 'k');
  absl::Status s = (*queue)->Stage(long_key, "P1", Body(long_key), &batch);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kResourceExhausted));
  std::string huge = Body("result/big");
  huge.insert(huge.size() - 1, absl::StrCat(",\"result\":{\"findings\":\"",
                                            std::string(kMaxBodySize, 'x'), "\"}"));
  s = (*queue)->Stage("result/big", "P1", huge, &batch);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_TRUE(batch.empty());
}

TEST(PublicationQueueTest, ACrashedFlushOfOutOfOrderRecordsIsSettledWithoutRepeats) {
  std::unique_ptr<storage::KvStore> owned = storage::NewMemoryStore();
  storage::KvStore& store = *owned;
  FakeLog log;
  std::vector<std::string> leaves;
  {
    auto queue = PublicationQueue::Open(&store, &log);
    ASSERT_OK(queue);
    leaves = *StageAndWrite(&store, queue->get(), {"y/0", "y/1", "y/2"});
  }
  // The crashed flush had appended y/1 and y/2 only (y/0's batch landed after it read).
  ASSERT_OK(log.Append({leaves[1], leaves[2]}));
  auto reopened = PublicationQueue::Open(&store, &log);
  ASSERT_OK(reopened);
  EXPECT_EQ(*(*reopened)->Flush(), 1);
  ASSERT_EQ(log.entries().size(), 3u);
  EXPECT_EQ(log.entries()[2], leaves[0]);
  EXPECT_EQ(*(*reopened)->IndexOf("y/1"), 0u);
}

TEST(PublicationQueueTest, WithoutALogRecordsWaitAndFlushSaysWhy) {
  std::unique_ptr<storage::KvStore> owned = storage::NewMemoryStore();
  storage::KvStore& store = *owned;
  auto queue = PublicationQueue::Open(&store, nullptr);
  ASSERT_OK(queue);
  ASSERT_OK(StageAndWrite(&store, queue->get(), {"a"}));
  EXPECT_THAT((*queue)->Flush(), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(*(*queue)->QueuedCount(), 1);
}

}  // namespace
}  // namespace regulation::disclosure
