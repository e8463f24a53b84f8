#ifndef DISCLOSURE_PUBLICATION_QUEUE_H_
#define DISCLOSURE_PUBLICATION_QUEUE_H_

// Gets public records into the transparency log exactly once, even across crashes.
//
// A service stages a record in the same atomic batch as the change it discloses (a plan
// committed, a draw, an approved result): either both are stored or neither. Staging
// seals the record's body (its PublicEntry JSON) with a fresh salt (public_leaf.h): the
// body and salt go to kPublicBodies (public_body_store.h) and the leaf that commits to
// them to the queue, all in that batch. Flush then appends queued leaves to the log in
// queue order and, in one more batch, removes them from the queue and records where
// each landed (record key -> log index).
//
// A crash between the append and that batch leaves records both in the log and still
// queued. The first Flush after opening finds them: it compares the queued leaves with
// the log's last entries (each leaf names its unique record key, so equal bytes mean
// the same record) and only records their indices. Nothing is appended twice; nothing
// staged is lost.
//
//   REG_ASSIGN_OR_RETURN(auto queue, PublicationQueue::Open(store, &log_writer));
//   queue->Stage("commitment/P1", "P1", entry_json, &batch);
//   REG_RETURN_IF_ERROR(store->Write(batch, durable));
//   queue->Flush();  // best effort here; the record stays queued if the log is down
//
// Thread safety: safe for concurrent use. Flushes are serialised.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "storage/kv_store.h"

namespace regulation::disclosure {

class TransparencyLog;

// What the queue needs of a log (a seam for tests).
class LogWriter {
 public:
  virtual ~LogWriter() = default;
  virtual absl::StatusOr<std::vector<uint64_t>> Append(absl::Span<const std::string> entries) = 0;
  virtual uint64_t size() const = 0;
  virtual absl::StatusOr<std::string> Entry(uint64_t index) const = 0;
};

// A LogWriter over a TransparencyLog (not owned).
std::unique_ptr<LogWriter> WriterFor(TransparencyLog* log);

class PublicationQueue {
 public:
  // `store` and `log` must outlive the queue; `log` may be null (records then stay
  // queued until a queue with a log flushes them).
  static absl::StatusOr<std::unique_ptr<PublicationQueue>> Open(storage::KvStore* store,
                                                                LogWriter* log);

  // Adds the record to `batch`: its body and a fresh salt, and its leaf, queued.
  // REQUIRES: `record_key` unique for all time. `body` is the record's PublicEntry JSON,
  // whose key is `record_key`; `subject` (a plan id or credit code) indexes it for
  // SubjectIndices. `leaf` (optional) receives the leaf. Nothing is staged on error:
  //   INVALID_ARGUMENT    the body is not a PublicEntry of that key, or a field the leaf
  //                       names is empty or not one line of UTF-8 (public_leaf.h);
  //   RESOURCE_EXHAUSTED  a body over kMaxBodySize or a leaf over kMaxEntrySize bytes: the
  //                       log would refuse it, and it would block every record after it.
  absl::Status Stage(absl::string_view record_key, absl::string_view subject, std::string body,
                     storage::WriteBatch* batch, std::string* leaf = nullptr);

  // Adds a record sealed elsewhere to `batch`, as Stage does: what another service's
  // queue sends to the log's owner (services/seams/log_append_service.h). REQUIRES:
  // `leaf`, `body` and `salt` checked against each other (public_leaf.h CheckBody).
  void StageSealed(absl::string_view record_key, absl::string_view subject,
                   absl::string_view leaf, absl::string_view body, absl::string_view salt,
                   storage::WriteBatch* batch);

  // Appends everything queued so far; returns how many records were published.
  // FAILED_PRECONDITION without a log; the log's or the store's errors otherwise (the
  // records then stay queued for the next Flush).
  absl::StatusOr<int64_t> Flush();

  // The log index of a published record; NOT_FOUND while it is queued or unknown.
  absl::StatusOr<uint64_t> IndexOf(absl::string_view record_key);

  // Log indices of the published records of `subject`, ascending, from `from_index`, at
  // most `limit`.
  absl::StatusOr<std::vector<uint64_t>> SubjectIndices(absl::string_view subject,
                                                       uint64_t from_index, size_t limit);

  // Records staged and not yet published.
  absl::StatusOr<int64_t> QueuedCount();

 private:
  PublicationQueue(storage::KvStore* store, LogWriter* log, uint64_t next_sequence)
      : store_(store), log_(log), next_sequence_(next_sequence) {}

  // Settles records appended by a flush that did not finish (see above).
  absl::Status Reconcile() ABSL_EXCLUSIVE_LOCKS_REQUIRED(flush_mu_);

  storage::KvStore* const store_;
  LogWriter* const log_;

  absl::Mutex sequence_mu_;
  uint64_t next_sequence_ ABSL_GUARDED_BY(sequence_mu_);

  absl::Mutex flush_mu_;
  // False until Reconcile has run since opening or since a flush failed half-way.
  bool reconciled_ ABSL_GUARDED_BY(flush_mu_) = false;
};

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_PUBLICATION_QUEUE_H_
