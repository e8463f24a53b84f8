// Publishing apart (log_append_client.h, log_append_service.h): inspectiond's publication
// queue flushes its records, bodies included, into the log of the service that serves it;
// the append is idempotent by record key, so a retry after a lost response appends
// nothing twice even when the log's owner appended in between; a log that cannot be
// reached leaves the records queued, naming it; a leaf that does not commit to its body,
// or a key sent again with another body, is refused.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "disclosure/public_body_store.h"
#include "disclosure/public_leaf.h"
#include "disclosure/publication_queue.h"
#include "disclosure/signing_key.h"
#include "disclosure/transparency_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/seams/log_append_client.h"
#include "services/seams/log_append_service.h"
#include "services/seams/peer_channel.h"
#include "services/seams/testing/loopback_server.h"
#include "storage/memory_store.h"
#include "testing/status_matchers.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;
using ::testing::HasSubstr;

std::string Body(const std::string& key, const std::string& subject) {
  return absl::StrCat("{\"kind\":\"COMMITMENT\",\"key\":\"", key, "\",\"subject\":\"", subject,
                      "\",\"publish_time\":\"2026-12-06T00:00:00Z\"}");
}

class LogAppendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(disclosure::SigningKey key,
                         disclosure::SigningKey::Generate("regulation.invalid/log-append-test"));
    ASSERT_OK_AND_ASSIGN(log_, disclosure::TransparencyLog::Open(owner_store_.get(), key));
    owner_writer_ = disclosure::WriterFor(log_.get());
    ASSERT_OK_AND_ASSIGN(owner_queue_,
                         disclosure::PublicationQueue::Open(owner_store_.get(), owner_writer_.get()));
    service_ = std::make_unique<LogAppendServiceImpl>(owner_store_.get(), owner_queue_.get());
    server_ =
        std::make_unique<testing::LoopbackServer>(std::vector<grpc::Service*>{service_.get()});
    ASSERT_TRUE(server_->up());
    ASSERT_OK_AND_ASSIGN(std::shared_ptr<grpc::Channel> channel,
                         server_->Channel(LogAppendServiceConfig()));
    writer_ = std::make_unique<GrpcLogWriter>(channel, store_.get(), absl::Seconds(5));
    ASSERT_OK_AND_ASSIGN(queue_, disclosure::PublicationQueue::Open(store_.get(), writer_.get()));
  }

  // Stages records keyed `keys` (subject P1) in `queue` over `store`; returns their leaves.
  static absl::StatusOr<std::vector<std::string>> Stage(storage::KvStore* store,
                                                        disclosure::PublicationQueue* queue,
                                                        const std::vector<std::string>& keys) {
    storage::WriteBatch batch;
    std::vector<std::string> leaves(keys.size());
    for (size_t i = 0; i < keys.size(); ++i) {
      REG_RETURN_IF_ERROR(queue->Stage(keys[i], "P1", Body(keys[i], "P1"), &batch, &leaves[i]));
    }
    REG_RETURN_IF_ERROR(store->Write(batch));
    return leaves;
  }

  // The log's owner: regulatord (or disclosured), its store, log and queue.
  std::unique_ptr<storage::KvStore> owner_store_ = storage::NewMemoryStore();
  std::unique_ptr<disclosure::TransparencyLog> log_;
  std::unique_ptr<disclosure::LogWriter> owner_writer_;
  std::unique_ptr<disclosure::PublicationQueue> owner_queue_;
  std::unique_ptr<LogAppendServiceImpl> service_;
  std::unique_ptr<testing::LoopbackServer> server_;
  // inspectiond: its own store and queue, flushing over gRPC.
  std::unique_ptr<storage::KvStore> store_ = storage::NewMemoryStore();
  std::unique_ptr<GrpcLogWriter> writer_;
  std::unique_ptr<disclosure::PublicationQueue> queue_;
};

TEST_F(LogAppendTest, RecordsReachTheOwnersLogWithTheirBodiesAndIndices) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> leaves,
                       Stage(store_.get(), queue_.get(), {"commitment/P1", "draw/P1/0"}));
  ASSERT_OK_AND_ASSIGN(int64_t published, queue_->Flush());
  EXPECT_EQ(published, 2);
  ASSERT_EQ(log_->size(), 2u);
  for (size_t i = 0; i < leaves.size(); ++i) {
    const std::string key = i == 0 ? "commitment/P1" : "draw/P1/0";
    ASSERT_OK_AND_ASSIGN(std::string entry, log_->Entry(i));
    EXPECT_EQ(entry, leaves[i]);
    // Both queues know where it landed; the owner serves the body the leaf commits to.
    ASSERT_OK_AND_ASSIGN(uint64_t here, queue_->IndexOf(key));
    ASSERT_OK_AND_ASSIGN(uint64_t there, owner_queue_->IndexOf(key));
    EXPECT_EQ(here, i);
    EXPECT_EQ(there, i);
    ASSERT_OK_AND_ASSIGN(disclosure::StoredBody mine, disclosure::ReadPublicBody(store_.get(), key));
    ASSERT_OK_AND_ASSIGN(disclosure::StoredBody served,
                         disclosure::ReadPublicBody(owner_store_.get(), key));
    EXPECT_EQ(served.body, mine.body);
    EXPECT_EQ(served.salt, mine.salt);
    ASSERT_OK_AND_ASSIGN(disclosure::PublicLeaf leaf, disclosure::ParsePublicLeaf(entry));
    EXPECT_OK(disclosure::CheckBody(leaf, served.body, served.salt).status());
  }
  // The subject index the public pages list a plan's records by.
  ASSERT_OK_AND_ASSIGN(std::vector<uint64_t> of_plan, owner_queue_->SubjectIndices("P1", 0, 10));
  EXPECT_EQ(of_plan, (std::vector<uint64_t>{0, 1}));
}

TEST_F(LogAppendTest, ARetryAfterALostResponseAppendsNothingTwiceEvenAfterAnotherWriter) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> leaves,
                       Stage(store_.get(), queue_.get(), {"commitment/P7"}));
  // The append reached the log but its answer was lost: the record is still queued here.
  ASSERT_OK_AND_ASSIGN(std::vector<uint64_t> first, writer_->Append(leaves));
  ASSERT_EQ(first, (std::vector<uint64_t>{0}));
  ASSERT_OK_AND_ASSIGN(int64_t queued, queue_->QueuedCount());
  EXPECT_EQ(queued, 1);
  // Meanwhile the log's owner publishes one of its own.
  ASSERT_OK(Stage(owner_store_.get(), owner_queue_.get(), {"result/R1"}).status());
  ASSERT_OK(owner_queue_->Flush().status());
  ASSERT_EQ(log_->size(), 2u);
  // The retry: the queue sends it again; the log does not grow.
  ASSERT_OK_AND_ASSIGN(int64_t published, queue_->Flush());
  EXPECT_EQ(published, 1);
  EXPECT_EQ(log_->size(), 2u);
  ASSERT_OK_AND_ASSIGN(uint64_t index, queue_->IndexOf("commitment/P7"));
  EXPECT_EQ(index, 0u);
  ASSERT_OK_AND_ASSIGN(queued, queue_->QueuedCount());
  EXPECT_EQ(queued, 0);
}

TEST_F(LogAppendTest, ALogThatCannotBeReachedLeavesTheRecordsQueuedNamingIt) {
  ASSERT_OK(Stage(store_.get(), queue_.get(), {"commitment/P9"}).status());
  server_->Stop();
  EXPECT_THAT(queue_->Flush(), StatusIs(absl::StatusCode::kUnavailable, HasSubstr("disclosure log")));
  ASSERT_OK_AND_ASSIGN(int64_t queued, queue_->QueuedCount());
  EXPECT_EQ(queued, 1);
}

TEST_F(LogAppendTest, ALeafNotCommittingToItsBodyOrAKeyWithAnotherBodyIsRefused) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> leaves,
                       Stage(store_.get(), queue_.get(), {"commitment/P3"}));
  ASSERT_OK(queue_->Flush().status());
  // The same key with another body (a fresh salt): refused, the log unchanged.
  std::unique_ptr<storage::KvStore> other_store = storage::NewMemoryStore();
  GrpcLogWriter other(grpc::CreateChannel(server_->address(),
                                          grpc::InsecureChannelCredentials()),
                      other_store.get());
  ASSERT_OK_AND_ASSIGN(auto other_queue, disclosure::PublicationQueue::Open(other_store.get(), &other));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> again,
                       Stage(other_store.get(), other_queue.get(), {"commitment/P3"}));
  EXPECT_THAT(other.Append(again), StatusIs(absl::StatusCode::kAlreadyExists,
                                            HasSubstr("records[0].record_key")));
  // A body that is not what the leaf commits to.
  storage::WriteBatch tamper;
  disclosure::StagePublicBody("commitment/P3", Body("commitment/P3", "P2"),
                              std::string(disclosure::kSaltSize, 's'), &tamper);
  ASSERT_OK(other_store->Write(tamper));
  EXPECT_THAT(other.Append(again), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("records[0]: body")));
  EXPECT_EQ(log_->size(), 1u);
}

}  // namespace
}  // namespace regulation::services
