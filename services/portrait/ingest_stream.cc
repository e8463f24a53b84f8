#include "services/portrait/ingest_stream.h"

#include <deque>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/field_error.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "common/thread_name.h"
#include "google/protobuf/arena.h"

namespace regulation::services {
namespace {

google::protobuf::ArenaOptions RequestArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = size_t{64} << 10;
  options.max_block_size = size_t{1} << 20;
  return options;
}

// A batch as read, and as prepared.
struct Received {
  // The request is parsed onto an arena of its own: its hundreds of events take a few
  // large blocks instead of thousands of small allocations, all freed at once with the
  // batch. (The reading thread allocated them and the acknowledging thread freed them,
  // one by one, which kept glibc's allocator busy consolidating and splitting chunks.)
  google::protobuf::Arena arena{RequestArenaOptions()};
  v1::IngestEventsRequest& request =
      *google::protobuf::Arena::CreateMessage<v1::IngestEventsRequest>(&arena);
  // The request as the audit record's digest covers it: serialized by the reading
  // thread, not by the committer, which every stream's batches wait for.
  std::string serialized;
  PreparedBatch batch;
  absl::Time read_at;
};

v1::IngestEventsResponse Acknowledgement(int64_t batch_number, const IngestOutcome& outcome) {
  v1::IngestEventsResponse ack;
  ack.set_batch_number(batch_number);
  ack.set_applied_count(outcome.applied);
  ack.set_duplicate_count(outcome.duplicates);
  for (size_t i = 0; i < outcome.items.size(); ++i) {
    if (outcome.items[i].kind != IngestOutcome::Kind::kRejected) continue;
    v1::ItemError* error = ack.add_errors();
    error->set_index(static_cast<int>(i));
    error->set_code(static_cast<int>(outcome.items[i].status.code()));
    error->set_message(std::string(outcome.items[i].status.message()));
  }
  return ack;
}

constexpr absl::string_view kIngestEventsMethod = "/regulation.v1.PortraitService/IngestEvents";

// A group of batches committed together, waiting for the fsync that makes it durable.
using Group = std::vector<std::unique_ptr<Received>>;

class IngestStream {
 public:
  IngestStream(
      EventIngestor* ingestor, const access::Caller& caller,
      grpc::ServerReaderWriterInterface<v1::IngestEventsResponse, v1::IngestEventsRequest>* stream,
      IngestStreamHooks hooks)
      : ingestor_(ingestor),
        caller_(caller),
        stream_(stream),
        hooks_(std::move(hooks)),
        probe_(ingestor->probe()) {}

  absl::Status Run() {
    std::thread committer([this] {
      NameThisThread("ingest-commit");
      CommitLoop();
    });
    std::thread acknowledger([this] {
      NameThisThread("ingest-ack");
      AcknowledgeLoop();
    });
    absl::Status read_status = ReadLoop();
    {
      absl::MutexLock lock(&mu_);
      reading_done_ = true;
    }
    committer.join();
    acknowledger.join();
    absl::MutexLock lock(&mu_);
    if (probe_ != nullptr && !prepared_.empty()) {  // what a failed stream left queued
      probe_->CommitQueueChanged(-static_cast<int>(prepared_.size()));
    }
    return failure_.ok() ? read_status : failure_;
  }

 private:
  // Stage 1, this thread: read and prepare.
  absl::Status ReadLoop() {
    while (true) {
      auto received = std::make_unique<Received>();
      if (!stream_->Read(&received->request)) return absl::OkStatus();
      received->read_at = absl::Now();
      if (hooks_.still_authorized) REG_RETURN_IF_ERROR(hooks_.still_authorized());
      const int n = received->request.events_size();
      if (n == 0 || n > EventIngestor::kMaxBatchSize) {
        return InvalidField("events", absl::StrCat("1 to ", EventIngestor::kMaxBatchSize,
                                                   " events per message, got ", n));
      }
      std::vector<const v1::Event*> events;
      events.reserve(n);
      for (const v1::Event& e : received->request.events()) events.push_back(&e);
      received->batch = ingestor_->Prepare(events, /*single=*/false);
      if (hooks_.audit != nullptr) received->serialized = received->request.SerializeAsString();

      absl::MutexLock lock(&mu_);
      auto room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return prepared_.size() < kMaxQueuedBatches || !failure_.ok();
      };
      mu_.Await(absl::Condition(&room));
      if (!failure_.ok()) return absl::OkStatus();  // reported by the stage that failed
      prepared_.push_back(std::move(received));
      if (probe_ != nullptr) probe_->CommitQueueChanged(1);
    }
  }

  // Stage 2: apply groups of prepared batches, without waiting for the disk.
  void CommitLoop() {
    while (true) {
      Group group;
      {
        absl::MutexLock lock(&mu_);
        auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return !prepared_.empty() || reading_done_ || !failure_.ok();
        };
        mu_.Await(absl::Condition(&ready));
        if (!failure_.ok()) return;
        int events = 0;
        while (!prepared_.empty() &&
               (group.empty() ||
                events + prepared_.front()->request.events_size() <= kMaxEventsPerCommit)) {
          events += prepared_.front()->request.events_size();
          group.push_back(std::move(prepared_.front()));
          prepared_.pop_front();
        }
        if (probe_ != nullptr && !group.empty()) {
          probe_->CommitQueueChanged(-static_cast<int>(group.size()));
        }
        if (group.empty()) {  // reading is done and everything is committed
          committing_done_ = true;
          return;
        }
      }
      std::vector<PreparedBatch*> batches;
      for (auto& r : group) batches.push_back(&r->batch);
      const absl::Status committed = ingestor_->Commit(
          caller_, batches, EventIngestor::Durability::kDeferred, AuditedWriter(group));
      absl::MutexLock lock(&mu_);
      if (!committed.ok()) {
        Fail(committed);
        return;
      }
      committed_.push_back(std::move(group));
    }
  }

  // Stage 3: make what was committed durable (one fsync for every group committed so
  // far), then acknowledge each batch, in order.
  void AcknowledgeLoop() {
    while (true) {
      std::deque<Group> groups;
      {
        absl::MutexLock lock(&mu_);
        auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return !committed_.empty() || committing_done_ || !failure_.ok();
        };
        mu_.Await(absl::Condition(&ready));
        if (!failure_.ok()) return;
        if (committed_.empty()) return;  // committing is done and everything is acknowledged
        groups.swap(committed_);
      }
      // Acknowledged as soon as durable, before the observer (the alert rules) runs on
      // the events: its work would otherwise sit in every acknowledgement's path.
      absl::Status acknowledged;
      absl::Status durable = ingestor_->SyncWal([&] { acknowledged = Acknowledge(groups); });
      if (durable.ok()) durable = acknowledged;
      if (!durable.ok()) {
        absl::MutexLock lock(&mu_);
        Fail(durable);
        return;
      }
    }
  }

  // Acknowledges each batch of `groups`, in order; CANCELLED once the client is gone.
  absl::Status Acknowledge(const std::deque<Group>& groups) {
    for (const Group& group : groups) {
      for (const auto& r : group) {
        if (!stream_->Write(Acknowledgement(r->request.batch_number(), r->batch.outcome))) {
          return absl::CancelledError("the client closed the stream");
        }
        if (probe_ != nullptr) probe_->BatchAcknowledged(absl::Now() - r->read_at);
      }
    }
    return absl::OkStatus();
  }

  // Writes a group's events with the audit record that accounts for them.
  EventIngestor::BatchWriter AuditedWriter(const Group& group) {
    if (hooks_.audit == nullptr) return nullptr;
    return [this, &group](storage::WriteBatch batch, const storage::WriteOptions& options,
                          int64_t events) {
      std::vector<absl::string_view> requests;
      for (const auto& r : group) requests.push_back(r->serialized);
      return hooks_.audit->AppendWithBatch(
          StoredEventsEntry(caller_, kIngestEventsMethod, requests, events), std::move(batch),
          options);
    };
  }

  void Fail(absl::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!failure_.ok()) return;
    failure_ = std::move(status);
    if (hooks_.cancel) hooks_.cancel();  // unblocks a Read waiting for the client (the header)
  }

  EventIngestor* const ingestor_;
  const access::Caller& caller_;
  grpc::ServerReaderWriterInterface<v1::IngestEventsResponse, v1::IngestEventsRequest>* const
      stream_;
  const IngestStreamHooks hooks_;
  IngestProbe* const probe_;  // may be null
  absl::Mutex mu_;
  std::deque<std::unique_ptr<Received>> prepared_ ABSL_GUARDED_BY(mu_);
  std::deque<Group> committed_ ABSL_GUARDED_BY(mu_);
  bool reading_done_ ABSL_GUARDED_BY(mu_) = false;
  bool committing_done_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

absl::Status RunIngestStream(
    EventIngestor* ingestor, const access::Caller& caller,
    grpc::ServerReaderWriterInterface<v1::IngestEventsResponse, v1::IngestEventsRequest>* stream,
    IngestStreamHooks hooks) {
  return IngestStream(ingestor, caller, stream, std::move(hooks)).Run();
}

access::AuditEntry StoredEventsEntry(const access::Caller& caller, absl::string_view method,
                                     absl::Span<const absl::string_view> requests,
                                     int64_t events) {
  access::AuditEntry entry;
  entry.caller = caller;
  entry.method = std::string(method);
  Sha256Hasher hasher;
  for (absl::string_view request : requests) hasher.Update(request);
  entry.request_digest = hasher.FinishString();
  entry.request_count = static_cast<int64_t>(requests.size());
  entry.outcome = absl::OkStatus();
  entry.events_stored = events;
  return entry;
}

}  // namespace regulation::services
