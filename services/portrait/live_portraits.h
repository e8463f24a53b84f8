#ifndef SERVICES_PORTRAIT_LIVE_PORTRAITS_H_
#define SERVICES_PORTRAIT_LIVE_PORTRAITS_H_

// The portrait states as ingestion keeps them: in memory, ahead of the store, written
// back by checkpoints (docs/storage.md, "Events and portrait states"); and the ingest log
// that makes them, and the durable-events observer's progress, recoverable.
//
// Ingestion writes, per commit, only its events, their id records and one *ingest log*
// record (kIngestLog: LogKey(sequence) -> the keys of the events the commit applied; an
// event key starts with its enterprise's credit code), and then publishes the new states
// here. A checkpoint writes the states changed since the last one to kPortraits, each
// marked with the log sequence it includes (PortraitState.ingest_sequence), with their
// feature rows (feature_rows.h), in batches; the last, synced, records the sequence the
// checkpoint includes (kCheckpointKey). So the stored state of a code is exact unless a
// log record after the checkpoint names it; after a crash, Recover brings the states
// those records name up to date by folding into each stored state the logged events
// after the sequence it includes (state_replay.h; FoldEvent is order independent, so
// this equals folding in any order): work in proportion to the events since the
// checkpoint, not to the enterprises' histories. It then checkpoints them.
//
// The observer's progress: the ingestor reports each sequence whose events the
// durable-events observer has handled (Observed); the highest sequence below which all
// are is written with each checkpoint (kObservedKey). Log records stay until both the
// checkpoint and the observed sequence include them, so that after a crash
// UnobservedRecords names the events whose observer work may be missing.
//
// Readers see published states at once (Get reads through memory; a reader of a state
// in an open fold waits for the fold's end); a state leaves memory only once the store
// holds it (written back), so a miss reads the store. Resident states are kept decoded:
// a commit folds its events into them in place (Fold), a checkpoint encodes them.
//
// Memory: a state stays resident until written back; past `budget_bytes` (estimated
// when a state is loaded and when it is written back) the ingestor checkpoints at once
// (Fold::Publish says when) and written-back states are dropped, in no particular order, until
// the resident bytes fit the budget again.
//
// Every method first runs Recover (once). Statuses: DATA_LOSS for a stored state, log
// record or event that does not parse; storage errors as the store returned them.
//
// Thread safety: safe for concurrent use. Folds are for one committer at a time
// (EventIngestor's commit lock), published in sequence order.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
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
    // States per WriteBatch of a checkpoint (the last batch records its sequence): a
    // checkpoint of every busy enterprise does not build one batch of hundreds of MiB.
    size_t checkpoint_batch_states = 4096;
    // Threads bringing states up to date in Recover (start-up, before serving).
    size_t recovery_threads = 2;
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

  // Calls `read` with the current state of `credit_code`, as Get returns it but without
  // copying a resident state: `read` runs under the lock, so it must be quick and must
  // not call this object. Not OK (and `read` not called) where Get fails.
  absl::Status Read(absl::string_view credit_code,
                    absl::FunctionRef<void(const internal::PortraitState&)> read);

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
  // Puts the observed sequence into a commit's batch (kObservedKey), so that after a
  // crash the observer is handed again only the events of about the last commits in
  // flight, not everything since the last checkpoint.
  void RecordObserved(storage::WriteBatch* batch);

  // The sequence of the next commit's log record. The committer writes
  // LogRecord(sequence, codes) in its batch and, once the write returned, publishes.
  int64_t NextSequence();

  // One commit's hold on the states it may change: the resident states themselves,
  // which the committer folds events into in place (a commit neither decodes nor
  // re-encodes them: that cost grew with each enterprise's history), from BeginFold
  // until it publishes them or gives up. Meanwhile readers of these codes and
  // checkpoints wait, so that nobody sees or writes back a state between its fold and
  // its commit's write.
  class Fold {
   public:
    Fold(Fold&& other) noexcept;
    Fold& operator=(Fold&&) = delete;
    // Not published (the write failed or never happened): the states marked changed are
    // rebuilt from the store's events, which do not hold what was folded in.
    ~Fold();

    // The codes given to BeginFold, and their states, in order; the committer's to
    // change.
    const std::vector<std::string>& codes() const { return codes_; }
    const std::vector<internal::PortraitState*>& states() const { return states_; }
    // The committer changed (or replaced) state i.
    void MarkChanged(size_t i) { changed_[i] = true; }
    // The commit's write, log record `sequence`, succeeded: the changed states are
    // current (dirty until a checkpoint writes them back). Ends the fold. Publish calls
    // come in sequence order. Returns true when resident memory is over budget: the
    // caller should Checkpoint.
    bool Publish(int64_t sequence);

   private:
    friend class LivePortraits;
    Fold(LivePortraits* owner, std::vector<std::string> codes,
         std::vector<internal::PortraitState*> states);

    LivePortraits* owner_;  // null once ended
    std::vector<std::string> codes_;
    std::vector<internal::PortraitState*> states_;
    std::vector<bool> changed_;
  };

  // Opens the fold of one commit over the states of `codes` (loaded from the store and
  // kept resident when not resident). One fold at a time: the committer's (EventIngestor's
  // commit lock).
  absl::StatusOr<Fold> BeginFold(std::vector<std::string> codes);

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
    int64_t recovered_states = 0;  // brought up to date by Recover
    int64_t replayed_events = 0;   // folded into stored states by Recover
    int64_t rebuilt_states = 0;    // recomputed from their whole history by Recover
    int64_t observed_sequence = 0;  // every sequence up to this one was Observed
  };
  Stats stats() const;

  // The ingest log's layout (kIngestLog).
  static std::string LogKey(int64_t sequence);
  static std::string LogValue(absl::Span<const std::string> event_keys);
  // The log value of a commit whose event `event_key` replaced another event of its
  // enterprise: recovery recomputes that state from its whole history.
  static std::string SupersedingLogValue(absl::string_view event_key);
  static void AppendToLogValue(absl::string_view event_key, storage::KeyBuilder* value);
  static constexpr absl::string_view kCheckpointKey = "c";
  static constexpr absl::string_view kObservedKey = "o";

 private:
  struct Entry {
    // Decoded, so that commits fold into it in place; a checkpoint encodes it.
    std::unique_ptr<internal::PortraitState> state;
    int64_t bytes = 0;       // estimated memory, refreshed when loaded and written back
    int64_t changed_at = 0;  // sequence of the last change published
    int64_t written_at = 0;  // sequence the store's copy includes (clean when >= changed_at)
    bool listed = false;     // in dirty_
    bool folding = false;    // in the open fold: readers wait for its end
    // A failed commit's folds could not be undone (the rebuild from the store's events
    // failed too): recomputed from the events before it is read, folded or written.
    bool stale = false;
  };

  // Ends `fold`: published as of `sequence`, or (0) abandoned.
  bool EndFold(Fold* fold, int64_t sequence);
  // Recomputes the stale states from their events; stops at the first failure (the
  // states left stay stale). REQUIRES: the caller holds off every other fold and every
  // checkpoint's reading: the committer with its fold open, or a checkpoint while
  // serialising_.
  absl::Status RebuildStale();
  // A checkpoint's work: the states published since the last one (sorted by code),
  // encoded with their feature rows (whose enterprise parts are set when written), the
  // sequences it records and the log records it trims.
  struct Staged {
    std::vector<std::string> codes;
    std::vector<std::string> encoded;
    std::vector<std::string> rows;
    std::vector<int64_t> marks;  // the sequence each encoded state includes (>= upto)
    int64_t upto = 0;
    int64_t observed = 0;
    int64_t trim_from = 0;
    int64_t trim_to = 0;
  };
  // Fills `staged`, a chunk of kStageChunkStates states at a time between folds; false
  // when there is nothing to write. On failure (a stale state not rebuilt) the states
  // stay listed for the next checkpoint.
  absl::StatusOr<bool> StageCheckpoint(Staged* staged) ABSL_LOCKS_EXCLUDED(mu_);
  static constexpr size_t kStageChunkStates = 512;
  // Waits until no fold is open or waiting, then holds folds off (serialising_, which
  // the caller clears); returns the last sequence published.
  int64_t HoldFolds() ABSL_LOCKS_EXCLUDED(mu_);
  // Lists `codes` for the next checkpoint again (those not listed since).
  void Relist(const std::vector<std::string>& codes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Writes `staged` (consuming its bytes), in batches of checkpoint_batch_states.
  absl::Status WriteCheckpoint(Staged* staged) ABSL_LOCKS_EXCLUDED(mu_);
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
  int64_t replayed_events_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t rebuilt_states_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // A fold is open (BeginFold .. its end); a checkpoint is reading the states outside
  // mu_ (folds wait). Never both.
  bool fold_open_ ABSL_GUARDED_BY(mu_) = false;
  bool serialising_ ABSL_GUARDED_BY(mu_) = false;
  // Folds waiting in BeginFold: a checkpoint's next chunk waits for them.
  int folds_waiting_ ABSL_GUARDED_BY(mu_) = 0;
  // The codes of stale entries.
  std::vector<std::string> stale_ ABSL_GUARDED_BY(mu_);

  std::thread writer_;
};

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_LIVE_PORTRAITS_H_
