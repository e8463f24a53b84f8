// PublicationQueue under concurrent use (its header: "safe for concurrent use; flushes
// are serialised"): several services stage records and flush at once, as the server's
// handlers do. Every record must land in the log exactly once, with its index
// remembered. Run under --config=tsan it also checks the queue's locking (docs/build.md,
// "Sanitizers"); in the default build it checks the outcome.

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "disclosure/publication_queue.h"
#include "gtest/gtest.h"
#include "storage/kv_store.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"

namespace regulation::disclosure {
namespace {

// An in-memory log with no lock of its own: the queue serialises its use.
class UnlockedLog : public LogWriter {
 public:
  absl::StatusOr<std::vector<uint64_t>> Append(absl::Span<const std::string> entries) override {
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

 private:
  std::vector<std::string> entries_;
};

// A record's body: a PublicEntry of that key (the queue checks it).
std::string Body(const std::string& key, const std::string& subject) {
  return absl::StrCat("{\"kind\":\"RESULT\",\"key\":\"", key, "\",\"subject\":\"", subject,
                      "\",\"publish_time\":\"2026-01-01T00:00:00Z\"}");
}

TEST(PublicationQueueConcurrency, ConcurrentStagingAndFlushingPublishesEveryRecordOnce) {
  constexpr int kThreads = 6;
  constexpr int kRecordsPerThread = 40;
  std::unique_ptr<storage::KvStore> store = storage::NewMemoryStore();
  UnlockedLog log;
  absl::StatusOr<std::unique_ptr<PublicationQueue>> queue = PublicationQueue::Open(store.get(), &log);
  ASSERT_OK(queue);

  // leaves[t][i]: the leaf staged for record i of thread t, what the log must hold.
  std::vector<std::vector<std::string>> leaves(kThreads,
                                               std::vector<std::string>(kRecordsPerThread));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRecordsPerThread; ++i) {
        const std::string key = absl::StrCat("result/", t, ".", i);
        const std::string subject = absl::StrCat("P", t);
        storage::WriteBatch batch;
        const absl::Status staged =
            (*queue)->Stage(key, subject, Body(key, subject), &batch, &leaves[t][i]);
        ASSERT_OK(staged);
        ASSERT_OK(store->Write(batch));
        if (i % 3 == 0) {
          ASSERT_OK((*queue)->Flush());
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_OK((*queue)->Flush());

  EXPECT_EQ(log.entries().size(), static_cast<size_t>(kThreads * kRecordsPerThread));
  EXPECT_EQ(std::set<std::string>(log.entries().begin(), log.entries().end()).size(),
            log.entries().size())
      << "a record was appended twice";
  std::set<uint64_t> indices;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kRecordsPerThread; ++i) {
      const std::string key = absl::StrCat("result/", t, ".", i);
      absl::StatusOr<uint64_t> index = (*queue)->IndexOf(key);
      ASSERT_OK(index) << key << ": " << index.status();
      ASSERT_LT(*index, log.entries().size());
      EXPECT_EQ(log.entries()[*index], leaves[t][i]);
      indices.insert(*index);
    }
  }
  EXPECT_EQ(indices.size(), log.entries().size());
  absl::StatusOr<int64_t> queued = (*queue)->QueuedCount();
  ASSERT_OK(queued);
  EXPECT_EQ(*queued, 0);
}

}  // namespace
}  // namespace regulation::disclosure
