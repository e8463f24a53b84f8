// The streamed ingestion's behaviour when the store fails under it: the call ends with the
// store's error at once, even while the client is waiting for acknowledgements.

#include "services/portrait/ingest_stream.h"

#include <atomic>
#include <chrono>
#include <future>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "services/portrait/enterprise_directory.h"
#include "storage/memory_store.h"
#include "tests/testing/enterprises.h"

namespace regulation::services {
namespace {

access::Caller Operator() {
  access::Caller caller;
  caller.roles = access::RoleSet::All();
  caller.subject = "operator";
  return caller;
}

// A memory store whose writes fail once told to (a full or failing disk).
class FailingStore : public storage::KvStore {
 public:
  explicit FailingStore(std::unique_ptr<storage::KvStore> inner) : inner_(std::move(inner)) {}
  void FailWrites() { fail_ = true; }

  absl::StatusOr<std::string> Get(storage::ColumnFamily cf, absl::string_view key,
                                  const storage::ReadOptions& options) override {
    return inner_->Get(cf, key, options);
  }
  std::vector<absl::StatusOr<std::string>> MultiGet(storage::ColumnFamily cf,
                                                    absl::Span<const std::string> keys,
                                                    const storage::ReadOptions& options) override {
    return inner_->MultiGet(cf, keys, options);
  }
  absl::Status Write(const storage::WriteBatch& batch,
                     const storage::WriteOptions& options) override {
    if (fail_) return absl::UnavailableError("disk full (test)");
    return inner_->Write(batch, options);
  }
  std::unique_ptr<storage::Iterator> NewIterator(storage::ColumnFamily cf,
                                                 const storage::IteratorOptions& options) override {
    return inner_->NewIterator(cf, options);
  }
  std::unique_ptr<storage::Snapshot> GetSnapshot() override { return inner_->GetSnapshot(); }
  absl::Status SyncWal() override { return inner_->SyncWal(); }

 private:
  std::unique_ptr<storage::KvStore> inner_;
  std::atomic<bool> fail_{false};
};

// A client that sends one batch and then waits for its acknowledgement without sending
// more or closing: Read blocks until the call is cancelled.
class WaitingClient
    : public grpc::ServerReaderWriterInterface<v1::IngestEventsResponse, v1::IngestEventsRequest> {
 public:
  explicit WaitingClient(v1::IngestEventsRequest first) : first_(std::move(first)) {}

  void Cancel() {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
  }
  void SendInitialMetadata() override {}
  bool NextMessageSize(uint32_t* size) override {
    *size = 1 << 20;
    return true;
  }
  bool Read(v1::IngestEventsRequest* request) override {
    absl::MutexLock lock(&mu_);
    if (!sent_) {
      sent_ = true;
      *request = first_;
      return true;
    }
    mu_.Await(absl::Condition(&cancelled_));
    return false;
  }
  bool Write(const v1::IngestEventsResponse&, grpc::WriteOptions) override { return true; }

 private:
  const v1::IngestEventsRequest first_;
  absl::Mutex mu_;
  bool sent_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

TEST(IngestStream, AStorageFailureEndsTheCallAtOnce) {
  FailingStore store(storage::NewMemoryStore());
  FakeClock clock(absl::FromUnixSeconds(1790000000));
  EnterpriseDirectory directory(&store, &clock);
  v1::BatchUpsertEnterprisesRequest enterprises;
  *enterprises.add_enterprises() = testing::MakeEnterprise("330106", 0);
  ASSERT_TRUE(directory.BatchUpsert(Operator(), enterprises).ok());
  EventIngestor ingestor(&store, &clock);

  v1::IngestEventsRequest request;
  v1::Event* e = request.add_events();
  e->set_event_id("complaint-1");
  e->set_source_department("samr");
  e->set_credit_code(testing::MakeCreditCode("330106", 0));
  e->mutable_occur_time()->set_seconds(1780000000);
  e->mutable_complaint()->set_channel("12315");
  WaitingClient client(request);
  store.FailWrites();

  const access::Caller caller = Operator();
  std::future<absl::Status> ended = std::async(std::launch::async, [&] {
    IngestStreamHooks hooks;
    hooks.cancel = [&] { client.Cancel(); };
    return RunIngestStream(&ingestor, caller, &client, std::move(hooks));
  });
  ASSERT_EQ(ended.wait_for(std::chrono::seconds(20)), std::future_status::ready)
      << "the call did not end: its reader still waits for the client";
  const absl::Status status = ended.get();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
}

}  // namespace
}  // namespace regulation::services
