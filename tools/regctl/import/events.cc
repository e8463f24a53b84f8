#include "tools/regctl/import/events.h"

#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "regulation/v1/portrait_service.grpc.pb.h"
#include "tools/regctl/import/utf8.h"

namespace regulation::regctl {
namespace {

using EventStreamRpc = grpc::ClientReaderWriter<v1::IngestEventsRequest, v1::IngestEventsResponse>;

// One IngestEvents call: see import_events.h.
class EventStream {
 public:
  EventStream(const Connection& connection, LineReader* reader, ImportLedger* ledger,
              const EventImportSettings& settings)
      : stub_(v1::PortraitService::NewStub(connection.channel())),
        reader_(reader),
        ledger_(ledger),
        settings_(settings) {}

  absl::Status Run() {
    // No deadline: the call lasts as long as the file. The watchdog below bounds the
    // wait for each acknowledgement instead.
    rpc_ = stub_->IngestEvents(&context_);
    std::thread acknowledgements([this] { ReadLoop(); });
    std::thread sender([this] { WriteLoop(); });
    {
      absl::MutexLock lock(&mu_);
      while (!mu_.AwaitWithTimeout(absl::Condition(this, &EventStream::DoneLocked),
                                   absl::Milliseconds(100))) {
        if (batches_in_flight_ > 0 && failure_.ok() &&
            absl::Now() - waiting_since_ > settings_.ack_timeout) {
          FailLocked(absl::DeadlineExceededError(
              absl::StrCat("no acknowledgement from the server for ",
                           absl::FormatDuration(settings_.ack_timeout), " with ",
                           batches_in_flight_, " batches in flight")));
        }
      }
    }
    sender.join();
    acknowledgements.join();
    const grpc::Status status = rpc_->Finish();
    absl::MutexLock lock(&mu_);
    if (!failure_.ok()) return failure_;
    if (!status.ok()) return CallStatus(status);
    if (batches_in_flight_ > 0) {
      return absl::InternalError(
          absl::StrCat("the server ended the stream with ", batches_in_flight_,
                       " batches unacknowledged, from batch ", queue_.front().batch_number));
    }
    if (!sent_all_ && !ledger_->error_limit_reached() && !ledger_->input_failed()) {
      return absl::InternalError("the server ended the stream before the whole file was sent");
    }
    return absl::OkStatus();
  }

 private:
  bool DoneLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return writer_done_ && reader_done_;
  }

  // Sending must stop: the call failed or ended, or too many rows were rejected.
  bool StoppedLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !failure_.ok() || reader_done_ || ledger_->error_limit_reached();
  }

  bool CanSendLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return StoppedLocked() || queue_.size() < static_cast<size_t>(settings_.window);
  }

  // Records the first failure of our own making and cancels the call, which ends
  // every pending Read and Write.
  void FailLocked(absl::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (failure_.ok()) failure_ = std::move(status);
    context_.TryCancel();
  }

  // Chunks with nothing sent complete as soon as everything before them has.
  void CompleteUnsentLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    while (!queue_.empty() && queue_.front().batch_number == 0) {
      ledger_->Complete(queue_.front(), ChunkOutcome()).IgnoreError();  // no items: cannot fail
      queue_.pop_front();
    }
  }

  // Queues `chunk` and sends `request` (its events), waiting for room in the window.
  // False when sending must stop.
  bool Send(ImportChunk chunk, v1::IngestEventsRequest* request) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &EventStream::CanSendLocked));
      if (StoppedLocked()) return false;
      if (chunk.item_lines.empty()) {
        queue_.push_back(std::move(chunk));
        CompleteUnsentLocked();
        return true;
      }
      chunk.batch_number = next_batch_number_++;
      request->set_batch_number(chunk.batch_number);
      if (batches_in_flight_ == 0) waiting_since_ = absl::Now();
      ++batches_in_flight_;
      // Queued before it is written, so that its acknowledgement finds it.
      queue_.push_back(std::move(chunk));
    }
    return rpc_->Write(*request);
  }

  void WriteLoop() {
    ImportChunk chunk;
    v1::IngestEventsRequest request;
    size_t request_bytes = 0;
    bool chunk_has_lines = false;
    bool at_end = false;
    auto send = [&]() {
      const bool ok = Send(std::move(chunk), &request);
      chunk = ImportChunk();
      request.Clear();
      request_bytes = 0;
      chunk_has_lines = false;
      return ok;
    };
    TextLine line;
    while (true) {
      {
        absl::MutexLock lock(&mu_);
        if (StoppedLocked()) break;
      }
      const absl::StatusOr<bool> more = reader_->Next(&line);
      if (!more.ok()) {
        ledger_->ReportInputFailure(line.number, more.status().message());
        break;
      }
      if (!*more) {
        at_end = true;
        break;
      }
      ledger_->NoteRead(line.end_offset);
      const absl::string_view text = absl::StripAsciiWhitespace(line.text);
      std::string error;
      v1::Event event;
      if (line.too_long) {
        error = absl::StrCat("line longer than ", LineReader::kDefaultMaxLineBytes, " bytes");
      } else if (!text.empty()) {
        if (absl::Status utf8 = ValidateUtf8(text); !utf8.ok()) {
          error = std::string(utf8.message());
        } else if (const auto parsed = google::protobuf::util::JsonStringToMessage(
                       google::protobuf::StringPiece(text.data(), text.size()), &event);
                   !parsed.ok()) {
          // The parser's message may go on with a second line quoting the input and a
          // caret; the first line says what is wrong.
          const std::string message(parsed.message());
          error = absl::StrCat("not a regulation.v1.Event in JSON: ",
                               message.substr(0, message.find('\n')));
        }
      }
      if (!error.empty()) {
        chunk.parse_errors.push_back({line.number, std::move(error)});
      } else if (!text.empty()) {
        const size_t bytes = event.ByteSizeLong() + 8;
        if (!chunk.item_lines.empty() && request_bytes + bytes > settings_.max_request_bytes) {
          if (!send()) break;
        }
        request_bytes += bytes;
        *request.add_events() = std::move(event);
        chunk.item_lines.push_back(line.number);
      }
      chunk.end_offset = line.end_offset;
      chunk.end_line = line.number;
      chunk_has_lines = true;
      if (chunk.item_lines.size() + chunk.parse_errors.size() >=
              static_cast<size_t>(settings_.batch_size) &&
          !send()) {
        break;
      }
    }
    const bool sent_all = at_end && (!chunk_has_lines || send());
    rpc_->WritesDone();
    absl::MutexLock lock(&mu_);
    sent_all_ = sent_all;
    writer_done_ = true;
  }

  void ReadLoop() {
    v1::IngestEventsResponse response;
    while (rpc_->Read(&response)) {
      absl::MutexLock lock(&mu_);
      if (queue_.empty() || queue_.front().batch_number != response.batch_number()) {
        FailLocked(absl::InternalError(absl::StrCat(
            "the server acknowledged batch ", response.batch_number(), " but ",
            queue_.empty()
                ? "no batch was in flight"
                : absl::StrCat("the oldest batch in flight is ", queue_.front().batch_number))));
        break;
      }
      ChunkOutcome outcome;
      outcome.accepted =
          static_cast<int64_t>(response.applied_count()) + response.duplicate_count();
      outcome.duplicates = response.duplicate_count();
      outcome.errors.assign(response.errors().begin(), response.errors().end());
      if (response.applied_count() < 0 || response.duplicate_count() < 0) outcome.accepted = -1;
      if (absl::Status recorded = ledger_->Complete(queue_.front(), outcome); !recorded.ok()) {
        FailLocked(std::move(recorded));
        break;
      }
      queue_.pop_front();
      --batches_in_flight_;
      waiting_since_ = absl::Now();
      CompleteUnsentLocked();
    }
    // After a failure of ours the call is cancelled: drain what is left.
    while (rpc_->Read(&response)) {
    }
    absl::MutexLock lock(&mu_);
    reader_done_ = true;
  }

  grpc::ClientContext context_;
  std::unique_ptr<v1::PortraitService::Stub> stub_;
  std::unique_ptr<EventStreamRpc> rpc_;
  LineReader* const reader_;
  ImportLedger* const ledger_;
  const EventImportSettings settings_;

  mutable absl::Mutex mu_;
  // Chunks not yet completed, in file order: sent batches and those behind them.
  std::deque<ImportChunk> queue_ ABSL_GUARDED_BY(mu_);
  int64_t batches_in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t next_batch_number_ ABSL_GUARDED_BY(mu_) = 1;
  // The last acknowledgement, or when the first batch of a busy spell was sent.
  absl::Time waiting_since_ ABSL_GUARDED_BY(mu_);
  bool writer_done_ ABSL_GUARDED_BY(mu_) = false;
  // The writer reached the end of the file and sent everything it read.
  bool sent_all_ ABSL_GUARDED_BY(mu_) = false;
  bool reader_done_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

absl::Status ImportEventLines(const Connection& connection, LineReader* reader,
                              ImportLedger* ledger, const EventImportSettings& settings) {
  EventStream stream(connection, reader, ledger, settings);
  return stream.Run();
}

}  // namespace regulation::regctl
