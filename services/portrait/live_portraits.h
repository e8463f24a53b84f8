#ifndef SERVICES_PORTRAIT_LIVE_PORTRAITS_H_
#define SERVICES_PORTRAIT_LIVE_PORTRAITS_H_

// The portrait states as ingestion keeps them: in memory, ahead of the store, written
// back by checkpoints (docs/storage.md, "Events and portrait states"); and the ingest log
// that makes them, and the durable-events observer's progress, recoverable.
//
// Ingestion writes, per commit, only its events, their id records and one *ingest log*
// record (kIngestLog: LogKey(sequence) -> the keys of the events the commit applied; an
// event key starts with its enterprise's credit code), and then publishes the new states
// here. A checkpoint writes the states changed since the last one to kPortraits together
// with the sequence it includes (kCheckpointKey), in one synced WriteBatch (with the
// states' feature rows, feature_rows.h; recovery also backfills rows once). So the stored
// state of a code is exact unless a log record after the checkpoint names it; after a
// crash, Recover rebuilds the states of the codes those records name from their stored
// events (FoldEvent is order independent, so this equals folding in any order) and
// checkpoints them.
//
// The observer's progress: the ingestor reports each sequence whose events the
// durable-events observer has handled (Observed); the highest sequence below which all
// are is written with each checkpoint (kObservedKey). Log records stay until both the
// checkpoint and the observed sequence include them, so that after a crash
// UnobservedRecords names the events whose observer work may be missing.
//
// Readers see published states at once (Get reads through memory); a state leaves
// memory only once the store holds it (written back), so a miss reads the store.
//
// Memory: a state stays resident until written back; past `budget_bytes` the ingestor
// checkpoints at once (Publish says when) and written-back states are dropped, in no
// particular order, until the resident bytes fit the budget again.
//
// Every method first runs Recover (once). Statuses: DATA_LOSS for a stored state, log
// record or event that does not parse; storage errors as the store returned them.
//
// Thread safety: safe for concurrent use. Load and Publish are for one committer at a
// time (EventIngestor's commit lock); Publish calls must come in sequence order.

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "google/protobuf/arena.h"
#include "regulation/internal/portrait_state.pb.h"
#include "storage/key_encoding.h"
#include "storage/kv_store.h"

namespace regulation::services {

class LivePortraits {
 public:
  struct Options {
    // Resident states beyond this (estimated bytes) trigger a checkpoint and eviction.
    int64_t budget_bytes = int64_t{512} << 20;
    // How often the background writer checkpoints; zero: no background writer (tests
    // checkpoint by hand).
    absl::Duration checkpoint_interval = absl::Seconds(1);
  };

  // `store` must outlive this object.
  LivePortraits(storage::KvStore* store, Options options);
  // Stops the background writer and writes back what is left (errors are logged: the
  // log records keep those states recoverable).
  ~LivePortraits();

  LivePortraits(const LivePortraits&) = delete;
  LivePortraits& operator=(const LivePortraits&) = delete;

  // Rebuilds the states a crash left behind the ingest log, once.
  absl::Status Recover();

  // The current state of `credit_code` (only the code set when it has none).
  absl::StatusOr<internal::PortraitState> Get(absl::string_view credit_code);

  // The log records after the observed sequence (as of Recover and the Observed calls
  // since): the events the durable-events observer may not have handled, by sequence.
  struct LogRecord {
    int64_t sequence = 0;
    std::vector<std::string> event_keys;  // in commit order
  };
  absl::StatusOr<std::vector<LogRecord>> UnobservedRecords();

  // The durable-events observer has handled the events of log record `sequence` (or it
  // has none: a commit whose write failed). In any order.
  void Observed(int64_t sequence);

  // For the committer: copies of the states of `codes`, in order (loaded from the store
  // and kept resident when not resident), decoded on `arena` (owned by the caller, which
  // resets it once it has published them: a commit's decoded states cost no heap
  // allocations of their own, as they did one per repeated field before).
  absl::StatusOr<std::vector<internal::PortraitState*>> Load(absl::Span<const std::string> codes,
                                                             google::protobuf::Arena* arena);

  // The sequence of the next commit's log record. The committer writes
  // LogRecord(sequence, codes) in its batch and, once the write returned, publishes.
  int64_t NextSequence();
  // A state to publish: not owned, read during Publish only.
  struct StateRef {
    absl::string_view credit_code;
    const internal::PortraitState* state = nullptr;
  };
  // Makes `states` current, as of the log record `sequence`. Each resident encoding is
  // overwritten in place (its buffer grows geometrically and is otherwise reused), so
  // that a commit does not free and allocate one buffer per state, which fragmented the
  // heap as the states grew. Returns true when resident memory is over budget: the
  // caller should Checkpoint.
  bool Publish(int64_t sequence, absl::Span<const StateRef> states);

  // Writes back every state published so far, then drops written-back states while over
  // budget. Serialised with other checkpoints.
  absl::Status Checkpoint();

  struct Stats {
    int64_t resident_states = 0;
    int64_t resident_bytes = 0;
    int64_t dirty_states = 0;
    int64_t checkpoints = 0;
    int64_t evicted_states = 0;
    int64_t checkpointed_sequence = 0;
    int64_t recovered_states = 0;  // rebuilt from events by Recover
    int64_t observed_sequence = 0;  // every sequence up to this one was Observed
  };
  Stats stats() const;

  // The ingest log's layout (kIngestLog).
  static std::string LogKey(int64_t sequence);
  static std::string LogValue(absl::Span<const std::string> event_keys);
  static void AppendToLogValue(absl::string_view event_key, storage::KeyBuilder* value);
  static constexpr absl::string_view kCheckpointKey = "c";
  static constexpr absl::string_view kObservedKey = "o";

 private:
  struct Entry {
    // Encoded (regulation.internal.PortraitState): one allocation per resident state
    // rather than one per repeated field, so that keeping tens of thousands resident
    // does not fragment the heap, and a checkpoint writes the bytes as they are.
    std::string encoded;
    int64_t bytes = 0;
    int64_t changed_at = 0;  // sequence of the last change published
    int64_t written_at = 0;  // sequence the store's copy includes (clean when >= changed_at)
    bool listed = false;     // in dirty_
  };

  absl::Status RecoverLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(checkpoint_mu_);
  absl::Status CheckpointLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(checkpoint_mu_);
  void EvictWhileOverBudget() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void WriterLoop();

  storage::KvStore* const store_;
  const Options options_;

  // Taken before mu_ when both are held.
  absl::Mutex checkpoint_mu_;
  // Set once under checkpoint_mu_; read without it (readers need not wait for a
  // checkpoint's write once recovery is done).
  std::atomic<bool> recovered_{false};

  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> dirty_ ABSL_GUARDED_BY(mu_);
  int64_t resident_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t next_sequence_ ABSL_GUARDED_BY(mu_) = 1;
  int64_t published_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t checkpointed_ ABSL_GUARDED_BY(mu_) = 0;
  // Every sequence up to observed_ was Observed; observed_ahead_ holds those after it.
  int64_t observed_ ABSL_GUARDED_BY(mu_) = 0;
  absl::btree_set<int64_t> observed_ahead_ ABSL_GUARDED_BY(mu_);
  // The log records up to this sequence are deleted.
  int64_t trimmed_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t checkpoints_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t evicted_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t recovered_states_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Publish's encodings, kept between calls so that their buffers are reused; touched
  // only by Publish (one committer at a time, see Thread safety).
  std::vector<std::string> publish_scratch_;

  std::thread writer_;
};

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_LIVE_PORTRAITS_H_
