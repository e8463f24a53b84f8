#include "services/portrait/ingest_stream.h"

#include <deque>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/field_error.h"

namespace regulation::services {
namespace {

// A batch as read, and as prepared.
struct Received {
  v1::IngestEventsRequest request;
  PreparedBatch batch;
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

class IngestStream {
 public:
  IngestStream(
      EventIngestor* ingestor, const access::Caller& caller,
      grpc::ServerReaderWriterInterface<v1::IngestEventsResponse, v1::IngestEventsRequest>* stream)
      : ingestor_(ingestor), caller_(caller), stream_(stream) {}

  absl::Status Run() {
    std::thread committer([this] { CommitLoop(); });
    absl::Status read_status = ReadLoop();
    {
      absl::MutexLock lock(&mu_);
      reading_done_ = true;
    }
    committer.join();
    absl::MutexLock lock(&mu_);
    return commit_status_.ok() ? read_status : commit_status_;
  }

 private:
  absl::Status ReadLoop() {
    while (true) {
      auto received = std::make_unique<Received>();
      if (!stream_->Read(&received->request)) return absl::OkStatus();
      const int n = received->request.events_size();
      if (n == 0 || n > EventIngestor::kMaxBatchSize) {
        return InvalidField("events", absl::StrCat("1 to ", EventIngestor::kMaxBatchSize,
                                                   " events per message, got ", n));
      }
      std::vector<const v1::Event*> events;
      events.reserve(n);
      for (const v1::Event& e : received->request.events()) events.push_back(&e);
      received->batch = ingestor_->Prepare(events, /*single=*/false);

      absl::MutexLock lock(&mu_);
      auto room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return queue_.size() < kMaxQueuedBatches || !commit_status_.ok();
      };
      mu_.Await(absl::Condition(&room));
      if (!commit_status_.ok()) return absl::OkStatus();  // the committer reports it
      queue_.push_back(std::move(received));
    }
  }

  void CommitLoop() {
    while (true) {
      std::vector<std::unique_ptr<Received>> group;
      {
        absl::MutexLock lock(&mu_);
        auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return !queue_.empty() || reading_done_;
        };
        mu_.Await(absl::Condition(&ready));
        int events = 0;
        while (!queue_.empty() &&
               (group.empty() ||
                events + queue_.front()->request.events_size() <= kMaxEventsPerCommit)) {
          events += queue_.front()->request.events_size();
          group.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
        if (group.empty()) return;  // reading is done and nothing is left
      }
      std::vector<PreparedBatch*> batches;
      for (auto& r : group) batches.push_back(&r->batch);
      absl::Status committed = ingestor_->Commit(caller_, batches);
      for (auto& r : group) {
        if (!committed.ok()) break;
        if (!stream_->Write(Acknowledgement(r->request.batch_number(), r->batch.outcome))) {
          committed = absl::CancelledError("the client closed the stream");
        }
      }
      if (!committed.ok()) {
        absl::MutexLock lock(&mu_);
        commit_status_ = committed;
        return;
      }
    }
  }

  EventIngestor* const ingestor_;
  const access::Caller& caller_;
  grpc::ServerReaderWriterInterface<v1::IngestEventsResponse, v1::IngestEventsRequest>* const
      stream_;
  absl::Mutex mu_;
  std::deque<std::unique_ptr<Received>> queue_ ABSL_GUARDED_BY(mu_);
  bool reading_done_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status commit_status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

absl::Status RunIngestStream(
    EventIngestor* ingestor, const access::Caller& caller,
    grpc::ServerReaderWriterInterface<v1::IngestEventsResponse, v1::IngestEventsRequest>* stream) {
  return IngestStream(ingestor, caller, stream).Run();
}

}  // namespace regulation::services
