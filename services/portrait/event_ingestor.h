#ifndef SERVICES_PORTRAIT_EVENT_INGESTOR_H_
#define SERVICES_PORTRAIT_EVENT_INGESTOR_H_

// Event ingestion: validates events, stores them, and folds each into its enterprise's
// portrait state.
//
// Two steps, so that a stream can overlap them: Prepare checks what each event says on
// its own (no storage, any thread); Commit checks what needs stored state, applies the
// events of one or more prepared batches in order and makes them durable with one
// WriteBatch and one fsync (group commit).
//
// Idempotency: an event id that was ingested before with the same content is a
// duplicate (nothing changes; it counts as such); the same id with different content is
// refused with ALREADY_EXISTS. "Content" is the event as submitted, without ingest_time.
// An in-memory filter of the stored ids (EventIdFilter) spares the read of the id
// records for every event that is certainly new; a possible repeat reads them.
//
// Durability: a Commit's accepted events, their id records and one ingest log record
// naming those events (and so their enterprises) are one WriteBatch, fsync'ed before
// Commit returns (or, for a stream, before the acknowledgement: see Durability): an
// acknowledged event is never lost. The portrait states are derived: kept in memory
// (LivePortraits), folded into in place by the commit and published as its write
// returns (undone when it fails), written back by checkpoints, and rebuilt from the
// events after a crash (live_portraits.h). Commits are serialised (one mutex).
//
// Thread safety: safe for concurrent use.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "common/clock.h"
#include "regulation/v1/event.pb.h"
#include "services/access/caller.h"
#include "services/portrait/durable_events_observer.h"
#include "services/portrait/event_id_filter.h"
#include "services/portrait/ingest_probe.h"
#include "services/portrait/live_portraits.h"
#include "storage/kv_store.h"

namespace regulation::services {

// What happened to each event of a batch.
struct IngestOutcome {
  enum class Kind { kApplied, kDuplicate, kRejected };
  struct Item {
    Kind kind = Kind::kRejected;
    // Why it was rejected: INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED or
    // ALREADY_EXISTS, naming the field as `<prefix>.<field>`.
    absl::Status status;
    // The portrait's version after the event (applied and duplicates: the current one).
    int64_t portrait_version = 0;
  };
  std::vector<Item> items;  // one per event, in order
  int applied = 0;
  int duplicates = 0;
};

// A batch after Prepare: the events (not owned: they must outlive the batch) and what
// the stateless checks found.
struct PreparedBatch {
  std::vector<const v1::Event*> events;
  bool single = false;
  // For events that passed (empty otherwise): occur times, content digests, storage
  // keys and stored bytes (the event with its ingest_time). Prepared here so that the
  // committer, which is serialised, does as little as possible.
  std::vector<int64_t> micros;
  std::vector<std::string> digests;
  std::vector<std::string> keys;
  std::vector<std::string> stored;
  IngestOutcome outcome;  // rejected items so far
};

class EventIngestor {
 public:
  static constexpr int kMaxBatchSize = 1000;

  struct Options {
    LivePortraits::Options portraits;
    // The repeat filter is sized for max(this, 2 x the ids stored at start).
    int64_t expected_event_ids = int64_t{16} << 20;
    int filter_bits_per_id = 10;
  };

  // `store` and `clock` must outlive the ingestor. One ingestor per store: the ingest
  // log's sequences and the kept states are its own.
  EventIngestor(storage::KvStore* store, Clock* clock);
  EventIngestor(storage::KvStore* store, Clock* clock, Options options);

  // The portrait states as ingestion keeps them: what readers of current portraits and
  // ScoreAll read through (PortraitReader). Lives as long as the ingestor.
  LivePortraits* portraits() { return &portraits_; }

  // Rebuilds what a crash left behind (portrait states behind the log), fills the
  // repeat filter, and hands the durable-events observer the stored events it has not
  // handled (those after the observed sequence: a crash or a failure came between their
  // write and the observer's work). Every Commit runs it first; a server runs it before
  // serving, with its observer set.
  absl::Status Start();

  // How many stored events Start handed to the observer again.
  int64_t replayed_events() const;

  // How many event ids the filter sent to the store as possible repeats, and how many
  // of those were not stored after all (false positives).
  struct FilterStats {
    int64_t possible_repeats = 0;
    int64_t false_positives = 0;
  };
  FilterStats filter_stats() const;

  // The stateless checks of 1 to kMaxBatchSize events. Messages name event i as
  // "events[i]", or as "event" when `single`. Thread-safe; takes no lock.
  PreparedBatch Prepare(absl::Span<const v1::Event* const> events, bool single) const;

  // Whether Commit makes its write durable before returning.
  enum class Durability {
    // fsync before returning: the outcome may be acknowledged at once.
    kSynced,
    // No fsync: the caller must call SyncWal, after Commit returned, before it
    // acknowledges the outcome. Lets a stream overlap one group's fsync with the next
    // group's work. Readers may see the events before they are durable.
    kDeferred,
  };

  // How a commit's write is made, given the batch, its options and the number of events
  // it stores: the audit trail adds its record of them to the same batch
  // (AuditSink::AppendWithBatch), so that every stored event is accounted for. Called
  // only when something is written.
  using BatchWriter = std::function<absl::Status(
      storage::WriteBatch batch, const storage::WriteOptions& options, int64_t events)>;

  // Applies prepared batches in order (later events see earlier ones, across batches)
  // in one atomic write. Fills each batch's outcome. Not OK only when storage failed,
  // and then nothing was written. `write_batch` (default: the store's Write) makes the
  // write.
  absl::Status Commit(const access::Caller& caller, absl::Span<PreparedBatch* const> batches,
                      Durability durability = Durability::kSynced,
                      const BatchWriter& write_batch = nullptr);

  // Makes every Commit that has returned durable, then runs `when_durable` (if given:
  // a stream acknowledges there), then tells the observer of their events. So an
  // acknowledgement does not wait for the observer's work (the alert rules), which
  // would otherwise sit in every acknowledgement's path; the observer still sees every
  // event, here or, after a crash in between, at the next Start.
  absl::Status SyncWal(const std::function<void()>& when_durable = nullptr);

  // Reports every Commit to `probe` (not owned; it must outlive the ingestor; null for
  // none). Set it before the ingestor is shared between threads.
  void set_probe(IngestProbe* probe) { probe_ = probe; }
  IngestProbe* probe() const { return probe_; }

  // Tells `observer` (not owned; it must outlive the ingestor; null for none) of every
  // applied event that concerns it (DurableEventsObserver::Concerns) once it is durable: after a synced Commit or CommitDerived returns,
  // or, for deferred commits, after the SyncWal that made them durable; and, at Start,
  // of those it did not handle before a crash or returned an error for (at least once:
  // durable_events_observer.h). Set it before Start and before the ingestor is shared
  // between threads.
  void set_durable_observer(DurableEventsObserver* observer) { observer_ = observer; }

  // Records `event`, which this server derived from its own records (an approved
  // inspection result: services/disclosure/result_event.h), together with whatever
  // `batch` already holds, in one durable write under the commit lock, so that the
  // derived event and the record it comes from are written together or not at all.
  //
  // Idempotent by event id: the same content again changes nothing (kDuplicate). New
  // content under a stored id *supersedes* the stored event (a corrected result): the
  // old event is removed, the new one stored, and the enterprise's portrait state is
  // rebuilt from its history, so that it equals what StateFromHistory recomputes.
  // Neither jurisdiction nor the public checks of ValidateEvent apply (the server made
  // the event); the enterprise need not be in the directory.
  // REQUIRES: `event` is valid (ValidateEvent with the derived prefix allowed).
  // Not OK only when storage failed (then nothing was written) or a record is corrupt.
  absl::StatusOr<IngestOutcome::Kind> CommitDerived(const v1::Event& event,
                                                    storage::WriteBatch* batch);

  // Prepare and Commit of one batch.
  absl::StatusOr<IngestOutcome> Ingest(const access::Caller& caller,
                                       absl::Span<const v1::Event* const> events, bool single,
                                       const BatchWriter& write_batch = nullptr);

 private:
  // Commit without reporting to the probe.
  // Sets `*sequence_written` to the ingest log sequence of the write (0: none).
  absl::Status CommitUnobserved(const access::Caller& caller,
                                absl::Span<PreparedBatch* const> batches, Durability durability,
                                const BatchWriter& write_batch, int64_t* sequence_written);
  absl::Status StartLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Hands the observer the events of the log records it has not handled (Start).
  absl::Status ReplayUnobserved() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // The one place where a commit's write has succeeded: the fold's changed portrait
  // states become current and the applied ids enter the repeat filter (under the commit
  // lock; the durable-events observer is told afterwards, outside it: ObserveCommitted).
  // For a kDeferred commit the events are durable only after the next SyncWal (the
  // stream acknowledges then); for kSynced, and for CommitDerived, already.
  void Committed(int64_t sequence, LivePortraits::Fold* fold,
                 const std::vector<absl::string_view>& applied_ids)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Makes enterprise_cache_ hold every code of `codes` that is in the directory (read
  // from the store where not cached, or where the directory was written since).
  absl::Status LookUpEnterprises(absl::Span<const absl::string_view> codes)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::StatusOr<IngestOutcome::Kind> CommitDerivedUnobserved(const v1::Event& event,
                                                              storage::WriteBatch* batch,
                                                              int64_t* sequence_written);

  // The observer's side (durable_events_observer.h): hands the applied events of
  // `batches`, written as log record `sequence`, over now (synced) or at the next SyncWal
  // (deferred); once it succeeded, the sequence counts as observed (LivePortraits).
  void ObserveCommitted(absl::Span<PreparedBatch* const> batches, Durability durability,
                        int64_t sequence);

  storage::KvStore* const store_;
  Clock* const clock_;
  const Options options_;
  IngestProbe* probe_ = nullptr;
  DurableEventsObserver* observer_ = nullptr;
  LivePortraits portraits_;
  mutable absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  std::unique_ptr<EventIdFilter> filter_ ABSL_GUARDED_BY(mu_);
  FilterStats filter_stats_ ABSL_GUARDED_BY(mu_);
  int64_t replayed_events_ ABSL_GUARDED_BY(mu_) = 0;
  // What commits need of the enterprises they saw (existence, jurisdiction,
  // establishment), so that a commit reads and parses only the records of enterprises
  // new to it: emptied whenever the directory was written (directory_generation.h), and
  // when it outgrows kMaxCachedEnterprises. Absent codes are not kept.
  struct CachedEnterprise {
    std::string region_code;
    int64_t established_micros = 0;
  };
  static constexpr size_t kMaxCachedEnterprises = size_t{1} << 18;  // about 30 MiB
  absl::flat_hash_map<std::string, CachedEnterprise> enterprise_cache_ ABSL_GUARDED_BY(mu_);
  uint64_t cache_generation_ ABSL_GUARDED_BY(mu_) = 0;
  // Applied by deferred commits, not yet durable.
  absl::Mutex deferred_mu_;
  std::vector<v1::Event> deferred_events_ ABSL_GUARDED_BY(deferred_mu_);
  std::vector<int64_t> deferred_sequences_ ABSL_GUARDED_BY(deferred_mu_);
};

}  // namespace regulation::services

#endif  // SERVICES_PORTRAIT_EVENT_INGESTOR_H_
