// The streamed ingestion's behaviour when the store fails under it: the call ends with the
// store's error at once, even while the client is waiting for acknowledgements.

#include "services/portrait/ingest_stream.h"

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "services/portrait/durable_events_observer.h"
#include "services/portrait/enterprise_directory.h"
#include "storage/memory_store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"
#include "tests/testing/enterprises.h"

namespace regulation::services {
namespace {

using ::regulation::testing::StatusIs;

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
  absl::Status FlushColumnFamilies(absl::Span<const storage::ColumnFamily> cfs) override {
    return inner_->FlushColumnFamilies(cfs);
  }

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

v1::Event Complaint(const std::string& id, int enterprise) {
  v1::Event e;
  e.set_event_id(id);
  e.set_source_department("samr");
  e.set_credit_code(testing::MakeCreditCode("330106", enterprise));
  e.mutable_occur_time()->set_seconds(1780000000);
  e.mutable_complaint()->set_channel("12315");
  return e;
}

TEST(IngestStream, AStorageFailureEndsTheCallAtOnce) {
  FailingStore store(storage::NewMemoryStore());
  FakeClock clock(absl::FromUnixSeconds(1790000000));
  EnterpriseDirectory directory(&store, &clock);
  v1::BatchUpsertEnterprisesRequest enterprises;
  *enterprises.add_enterprises() = testing::MakeEnterprise("330106", 0);
  ASSERT_OK(directory.BatchUpsert(Operator(), enterprises));
  EventIngestor ingestor(&store, &clock);

  v1::IngestEventsRequest request;
  *request.add_events() = Complaint("complaint-1", 0);
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
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable));
}

// A client that sends its batches, then half-closes.
class ScriptedClient
    : public grpc::ServerReaderWriterInterface<v1::IngestEventsResponse, v1::IngestEventsRequest> {
 public:
  explicit ScriptedClient(std::vector<v1::IngestEventsRequest> batches)
      : batches_(std::move(batches)) {}
  void SendInitialMetadata() override {}
  bool NextMessageSize(uint32_t* size) override {
    *size = 1 << 20;
    return true;
  }
  bool Read(v1::IngestEventsRequest* request) override {
    if (next_ == batches_.size()) return false;
    *request = batches_[next_++];
    return true;
  }
  bool Write(const v1::IngestEventsResponse& ack, grpc::WriteOptions) override {
    acks_.push_back(ack);
    return true;
  }
  const std::vector<v1::IngestEventsResponse>& acks() const { return acks_; }

 private:
  const std::vector<v1::IngestEventsRequest> batches_;
  size_t next_ = 0;
  std::vector<v1::IngestEventsResponse> acks_;
};

// Adds up what the pipeline reports.
class RecordingProbe : public IngestProbe {
 public:
  void Committed(int64_t applied, int64_t duplicates, int64_t rejected, absl::Duration duration,
                 bool ok) override {
    absl::MutexLock lock(&mu_);
    this->applied += applied;
    this->duplicates += duplicates;
    this->rejected += rejected;
    (ok ? commits : failed_commits) += 1;
    EXPECT_GE(duration, absl::ZeroDuration());
  }
  void BatchAcknowledged(absl::Duration latency) override {
    absl::MutexLock lock(&mu_);
    ++acknowledged;
    EXPECT_GE(latency, absl::ZeroDuration());
  }
  void CommitQueueChanged(int delta) override {
    absl::MutexLock lock(&mu_);
    queue += delta;
    EXPECT_GE(queue, 0);
    EXPECT_LE(queue, kMaxQueuedBatches);
  }

  absl::Mutex mu_;
  int64_t applied = 0, duplicates = 0, rejected = 0, commits = 0, failed_commits = 0;
  int64_t acknowledged = 0, queue = 0;
};

TEST(IngestStream, TheProbeSeesEveryEventCommitAndAcknowledgement) {
  std::unique_ptr<storage::KvStore> store = storage::NewMemoryStore();
  FakeClock clock(absl::FromUnixSeconds(1790000000));
  EnterpriseDirectory directory(store.get(), &clock);
  v1::BatchUpsertEnterprisesRequest enterprises;
  for (int i = 0; i < 3; ++i) *enterprises.add_enterprises() = testing::MakeEnterprise("330106", i);
  ASSERT_OK(directory.BatchUpsert(Operator(), enterprises));
  EventIngestor ingestor(store.get(), &clock);
  RecordingProbe probe;
  ingestor.set_probe(&probe);

  // 40 batches: 3 new events each, the first event of each batch repeating the one
  // before it (a duplicate from the second batch on), and one for an unknown enterprise.
  std::vector<v1::IngestEventsRequest> batches;
  for (int b = 0; b < 40; ++b) {
    v1::IngestEventsRequest request;
    request.set_batch_number(b + 1);
    if (b > 0) *request.add_events() = Complaint(absl::StrCat("c-", b - 1, "-2"), 2);
    for (int i = 0; i < 3; ++i) *request.add_events() = Complaint(absl::StrCat("c-", b, "-", i), i);
    *request.add_events() = Complaint(absl::StrCat("unknown-", b), 9);
    batches.push_back(std::move(request));
  }
  ScriptedClient client(std::move(batches));
  ASSERT_OK(RunIngestStream(&ingestor, Operator(), &client));

  ASSERT_EQ(client.acks().size(), 40u);
  absl::MutexLock lock(&probe.mu_);
  EXPECT_EQ(probe.applied, 120);
  EXPECT_EQ(probe.duplicates, 39);
  EXPECT_EQ(probe.rejected, 40);
  EXPECT_EQ(probe.failed_commits, 0);
  EXPECT_GE(probe.commits, 1);
  EXPECT_EQ(probe.acknowledged, 40);
  EXPECT_EQ(probe.queue, 0) << "the commit queue gauge must return to zero";
}

TEST(IngestStream, AFailedCommitIsReportedAndTheQueueEmpties) {
  FailingStore store(storage::NewMemoryStore());
  FakeClock clock(absl::FromUnixSeconds(1790000000));
  EnterpriseDirectory directory(&store, &clock);
  v1::BatchUpsertEnterprisesRequest enterprises;
  *enterprises.add_enterprises() = testing::MakeEnterprise("330106", 0);
  ASSERT_OK(directory.BatchUpsert(Operator(), enterprises));
  EventIngestor ingestor(&store, &clock);
  RecordingProbe probe;
  ingestor.set_probe(&probe);
  std::vector<v1::IngestEventsRequest> batches(20);
  for (int b = 0; b < 20; ++b) *batches[b].add_events() = Complaint(absl::StrCat("f-", b), 0);
  ScriptedClient client(std::move(batches));
  store.FailWrites();
  EXPECT_THAT(RunIngestStream(&ingestor, Operator(), &client),
              StatusIs(absl::StatusCode::kUnavailable));
  absl::MutexLock lock(&probe.mu_);
  EXPECT_GE(probe.failed_commits, 1);
  EXPECT_EQ(probe.applied + probe.duplicates + probe.rejected, 0);
  EXPECT_EQ(probe.acknowledged, 0);
  EXPECT_EQ(probe.queue, 0);
}

// An observer (the alert rules) that holds each call until released.
class HeldObserver : public DurableEventsObserver {
 public:
  absl::Status EventsDurable(absl::Span<const v1::Event> events) override {
    absl::MutexLock lock(&mu_);
    for (const v1::Event& e : events) seen_.push_back(e.event_id());
    mu_.Await(absl::Condition(&released_));
    return absl::OkStatus();
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    released_ = true;
  }
  std::vector<std::string> seen() {
    absl::MutexLock lock(&mu_);
    return seen_;
  }

 private:
  absl::Mutex mu_;
  bool released_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::string> seen_ ABSL_GUARDED_BY(mu_);
};

// A scripted client whose acknowledgements another thread can wait for.
class AckCountingClient : public ScriptedClient {
 public:
  using ScriptedClient::ScriptedClient;
  bool Write(const v1::IngestEventsResponse&, grpc::WriteOptions) override {
    absl::MutexLock lock(&mu_);
    ++acks_;
    return true;
  }
  bool WaitForAcks(int n, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    target_ = n;
    return mu_.AwaitWithTimeout(absl::Condition(this, &AckCountingClient::Enough), timeout);
  }

 private:
  bool Enough() const ABSL_SHARED_LOCKS_REQUIRED(mu_) { return acks_ >= target_; }
  absl::Mutex mu_;
  int acks_ ABSL_GUARDED_BY(mu_) = 0;
  int target_ ABSL_GUARDED_BY(mu_) = 0;
};

// The alert rules run on a group's events after its acknowledgements, so that their work
// stays out of every acknowledgement's path; the stream still ends only once they have
// seen every event.
TEST(IngestStream, AcknowledgementsDoNotWaitForTheObserverButTheStreamsEndDoes) {
  std::unique_ptr<storage::KvStore> store = storage::NewMemoryStore();
  FakeClock clock(absl::FromUnixSeconds(1790000000));
  EnterpriseDirectory directory(store.get(), &clock);
  v1::BatchUpsertEnterprisesRequest enterprises;
  *enterprises.add_enterprises() = testing::MakeEnterprise("330106", 0);
  ASSERT_OK(directory.BatchUpsert(Operator(), enterprises));
  EventIngestor ingestor(store.get(), &clock);
  HeldObserver observer;
  ingestor.set_durable_observer(&observer);
  ASSERT_OK(ingestor.Start());

  std::vector<v1::IngestEventsRequest> batches(1);
  batches[0].set_batch_number(1);
  *batches[0].add_events() = Complaint("held-1", 0);
  *batches[0].add_events() = Complaint("held-2", 0);
  AckCountingClient client(std::move(batches));
  const access::Caller caller = Operator();
  std::future<absl::Status> ended = std::async(
      std::launch::async, [&] { return RunIngestStream(&ingestor, caller, &client); });

  EXPECT_TRUE(client.WaitForAcks(1, absl::Seconds(20)))
      << "the acknowledgement waited for the observer";
  EXPECT_EQ(ended.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout)
      << "the stream ended before the observer saw its events";
  observer.Release();
  ASSERT_EQ(ended.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_OK(ended.get());
  EXPECT_EQ(observer.seen(), (std::vector<std::string>{"held-1", "held-2"}));
}

}  // namespace
}  // namespace regulation::services
