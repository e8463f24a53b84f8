#include "services/portrait/event_ingestor.h"

#include <algorithm>
#include <limits>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/field_error.h"
#include "common/log.h"
#include "common/quote.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "regulation/internal/portrait_state.pb.h"
#include "regulation/v1/enterprise.pb.h"
#include "scoring/portrait_state.h"
#include "services/access/jurisdiction.h"
#include "services/common/proto_time.h"
#include "services/portrait/directory_generation.h"
#include "services/portrait/enterprise_records.h"
#include "services/portrait/event_encoding.h"
#include "services/portrait/event_keys.h"
#include "services/portrait/event_validation.h"
#include "services/portrait/state_from_events.h"
#include "storage/key_encoding.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;
using Kind = IngestOutcome::Kind;

std::string Prefix(const PreparedBatch& batch, size_t i) {
  return batch.single ? std::string("event") : absl::StrCat("events[", i, "]");
}

void Reject(PreparedBatch* batch, size_t i, absl::Status status) {
  IngestOutcome::Item& item = batch->outcome.items[i];
  if (item.kind == Kind::kDuplicate) --batch->outcome.duplicates;
  item.kind = Kind::kRejected;
  item.status = std::move(status);
}

// An event still to be decided by Commit: passed Prepare, not settled since.
bool Pending(const PreparedBatch& batch, size_t i) {
  return batch.outcome.items[i].kind == Kind::kApplied;
}

// Event i repeats an id whose event had content digest `earlier`: a duplicate when the
// content is the same, refused otherwise.
void SettleRepeatedId(PreparedBatch* b, size_t i, const std::string& earlier) {
  if (earlier == b->digests[i]) {
    b->outcome.items[i].kind = Kind::kDuplicate;
    ++b->outcome.duplicates;
  } else {
    Reject(b, i,
           absl::AlreadyExistsError(absl::StrCat(Prefix(*b, i), ".event_id: ",
                                                 Quote(b->events[i]->event_id()),
                                                 " was already used for a different event")));
  }
}

// What Commit needs to know about one enterprise.
struct Subject {
  absl::Status found;  // NOT_FOUND / PERMISSION_DENIED, or OK
  int64_t established_micros = 0;
  internal::PortraitState* state = nullptr;  // the resident state; null unless found
  size_t fold_index = 0;                       // of `state` in the commit's fold
};

}  // namespace

EventIngestor::EventIngestor(storage::KvStore* store, Clock* clock)
    : EventIngestor(store, clock, Options()) {}

EventIngestor::EventIngestor(storage::KvStore* store, Clock* clock, Options options)
    : store_(store), clock_(clock), options_(options), portraits_(store, options.portraits) {}

absl::Status EventIngestor::Start() {
  absl::MutexLock lock(&mu_);
  return StartLocked();
}

absl::Status EventIngestor::StartLocked() {
  if (started_) return absl::OkStatus();
  REG_RETURN_IF_ERROR(portraits_.Recover());
  // The filter holds every stored id: one pass over the id records' keys, sized by the
  // engine's estimate of their number (the size sets the false-positive rate only).
  absl::Time phase = absl::Now();
  REG_ASSIGN_OR_RETURN(const int64_t estimate, store_->EstimateKeyCount(ColumnFamily::kEventIds));
  auto filter = std::make_unique<EventIdFilter>(
      std::max<int64_t>(options_.expected_event_ids, 2 * estimate), options_.filter_bits_per_id);
  int64_t ids = 0;
  std::unique_ptr<storage::Iterator> it =
      store_->NewIterator(ColumnFamily::kEventIds, storage::IteratorOptions{nullptr, "", "", true});
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++ids) filter->Add(it->key());
  REG_RETURN_IF_ERROR(it->status());
  filter_ = std::move(filter);
  if (ids > 0) {
    LogInfo(absl::StrCat("event id filter: ", ids, " stored ids added in ",
                         absl::FormatDuration(absl::Now() - phase)));
  }
  phase = absl::Now();
  const int64_t replayed_before = replayed_events_;
  REG_RETURN_IF_ERROR(ReplayUnobserved());
  if (replayed_events_ > replayed_before) {
    LogInfo(absl::StrCat("durable-events observer: ", replayed_events_ - replayed_before,
                         " events it may have missed handed to it again in ",
                         absl::FormatDuration(absl::Now() - phase)));
  }
  started_ = true;
  return absl::OkStatus();
}

absl::Status EventIngestor::ReplayUnobserved() {
  REG_ASSIGN_OR_RETURN(std::vector<LivePortraits::LogRecord> records,
                       portraits_.UnobservedRecords());
  for (const LivePortraits::LogRecord& record : records) {
    if (observer_ == nullptr) {  // nobody to tell
      portraits_.Observed(record.sequence);
      continue;
    }
    std::vector<absl::StatusOr<std::string>> stored =
        store_->MultiGet(ColumnFamily::kEvents, record.event_keys);
    std::vector<v1::Event> events;
    for (absl::StatusOr<std::string>& bytes : stored) {
      if (absl::IsNotFound(bytes.status())) continue;  // superseded since (CommitDerived)
      if (!bytes.ok()) return bytes.status();
      if (!events.emplace_back().ParseFromString(*bytes)) {
        return absl::DataLossError(absl::StrCat("an event of ingest log record ",
                                                record.sequence, " is corrupt"));
      }
    }
    // A failure is the observer's to report; the record stays for the next start.
    if (events.empty() || observer_->EventsDurable(events).ok()) {
      portraits_.Observed(record.sequence);
      replayed_events_ += static_cast<int64_t>(events.size());
    }
  }
  return absl::OkStatus();
}

int64_t EventIngestor::replayed_events() const {
  absl::MutexLock lock(&mu_);
  return replayed_events_;
}

EventIngestor::FilterStats EventIngestor::filter_stats() const {
  absl::MutexLock lock(&mu_);
  return filter_stats_;
}

void EventIngestor::Committed(int64_t sequence, LivePortraits::Fold* fold,
                              const std::vector<absl::string_view>& applied_ids) {
  for (absl::string_view id : applied_ids) filter_->Add(id);
  if (fold->Publish(sequence)) {
    // Over the memory budget: write back now, so that states can be dropped.
    if (absl::Status written = portraits_.Checkpoint(); !written.ok()) {
      LogError(absl::StrCat("portrait checkpoint over budget failed: ", written.ToString()));
    }
  }
}

PreparedBatch EventIngestor::Prepare(absl::Span<const v1::Event* const> events, bool single) const {
  const absl::Time now = clock_->Now();
  PreparedBatch batch;
  batch.events.assign(events.begin(), events.end());
  batch.single = single;
  batch.micros.assign(events.size(), 0);
  batch.digests.resize(events.size());
  batch.keys.resize(events.size());
  batch.stored.resize(events.size());
  const EventEncoder encoder(ToProtoTimestamp(now));
  std::string content;
  batch.outcome.items.resize(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    absl::StatusOr<int64_t> when = ValidateEvent(*events[i], Prefix(batch, i), now);
    if (!when.ok()) {
      Reject(&batch, i, when.status());
      continue;
    }
    // Tentatively applied; Commit decides.
    batch.outcome.items[i].kind = Kind::kApplied;
    batch.micros[i] = *when;
    encoder.Encode(*events[i], &content, &batch.stored[i]);
    batch.digests[i] = Sha256(content);
    batch.keys[i] = EventKey(events[i]->credit_code(), *when, events[i]->event_id());
  }
  return batch;
}

absl::Status EventIngestor::Commit(const access::Caller& caller,
                                   absl::Span<PreparedBatch* const> batches,
                                   Durability durability,
                                   const BatchWriter& write_batch) {
  int64_t sequence = 0;
  if (probe_ == nullptr) {
    absl::Status status = CommitUnobserved(caller, batches, durability, write_batch, &sequence);
    if (status.ok()) ObserveCommitted(batches, durability, sequence);
    return status;
  }
  const absl::Time start = absl::Now();
  absl::Status status = CommitUnobserved(caller, batches, durability, write_batch, &sequence);
  if (status.ok()) ObserveCommitted(batches, durability, sequence);
  int64_t applied = 0, duplicates = 0, rejected = 0;
  for (const PreparedBatch* b : batches) {
    for (const IngestOutcome::Item& item : b->outcome.items) {
      applied += item.kind == Kind::kApplied;
      duplicates += item.kind == Kind::kDuplicate;
      rejected += item.kind == Kind::kRejected;
    }
  }
  if (!status.ok()) applied = duplicates = rejected = 0;  // nothing was written
  probe_->Committed(applied, duplicates, rejected, absl::Now() - start, status.ok());
  return status;
}

void EventIngestor::ObserveCommitted(absl::Span<PreparedBatch* const> batches,
                                     Durability durability, int64_t sequence) {
  if (sequence == 0) return;  // nothing written
  if (observer_ == nullptr) {
    portraits_.Observed(sequence);
    return;
  }
  std::vector<v1::Event> applied;
  for (const PreparedBatch* b : batches) {
    for (size_t i = 0; i < b->events.size(); ++i) {
      if (b->outcome.items[i].kind == Kind::kApplied && observer_->Concerns(*b->events[i])) {
        applied.push_back(*b->events[i]);
      }
    }
  }
  if (durability == Durability::kSynced) {
    if (applied.empty() || observer_->EventsDurable(applied).ok()) portraits_.Observed(sequence);
    return;
  }
  absl::MutexLock lock(&deferred_mu_);
  for (v1::Event& e : applied) deferred_events_.push_back(std::move(e));
  deferred_sequences_.push_back(sequence);
}

absl::Status EventIngestor::SyncWal(const std::function<void()>& when_durable) {
  // Taken before the sync: every event here was written by a Commit that returned.
  std::vector<v1::Event> durable;
  std::vector<int64_t> sequences;
  if (observer_ != nullptr) {
    absl::MutexLock lock(&deferred_mu_);
    durable.swap(deferred_events_);
    sequences.swap(deferred_sequences_);
  }
  absl::Status synced = store_->SyncWal();
  if (!synced.ok()) {
    if (!sequences.empty()) {
      absl::MutexLock lock(&deferred_mu_);
      deferred_events_.insert(deferred_events_.begin(), durable.begin(), durable.end());
      deferred_sequences_.insert(deferred_sequences_.begin(), sequences.begin(), sequences.end());
    }
    return synced;
  }
  if (when_durable) when_durable();
  // A commit none of whose events concern the observer is observed with nothing to do.
  if (durable.empty() || observer_->EventsDurable(durable).ok()) {
    for (int64_t sequence : sequences) portraits_.Observed(sequence);
  }
  return absl::OkStatus();
}

absl::Status EventIngestor::LookUpEnterprises(absl::Span<const absl::string_view> codes) {
  const uint64_t generation = DirectoryGeneration(store_);
  if (generation != cache_generation_ || enterprise_cache_.size() > kMaxCachedEnterprises) {
    enterprise_cache_.clear();
    cache_generation_ = generation;
  }
  std::vector<std::string> missing;
  for (absl::string_view code : codes) {
    if (!enterprise_cache_.contains(code)) missing.emplace_back(code);
  }
  if (missing.empty()) return absl::OkStatus();
  std::vector<absl::StatusOr<v1::Enterprise>> records = EnterpriseRecords(store_).MultiGet(missing);
  for (size_t i = 0; i < missing.size(); ++i) {
    if (absl::IsNotFound(records[i].status())) continue;  // not cached: it may come
    if (!records[i].ok()) return records[i].status();
    const v1::Date& d = records[i]->establishment_date();
    CachedEnterprise& cached = enterprise_cache_[missing[i]];
    cached.region_code = records[i]->region_code();
    cached.established_micros = absl::ToUnixMicros(
        absl::FromCivil(absl::CivilDay(d.year(), d.month(), d.day()), ChinaTimeZone()));
  }
  return absl::OkStatus();
}

absl::Status EventIngestor::CommitUnobserved(const access::Caller& caller,
                                             absl::Span<PreparedBatch* const> batches,
                                             Durability durability,
                                             const BatchWriter& write_batch,
                                             int64_t* sequence_written) {
  *sequence_written = 0;
  absl::MutexLock lock(&mu_);
  REG_RETURN_IF_ERROR(StartLocked());

  // 1. Event ids already stored: read only for those the filter may have seen. (Ids
  // repeated within these batches are settled as the events are applied, below: only an
  // applied first copy makes a later one a duplicate.)
  std::vector<std::string> id_keys;
  std::vector<std::pair<PreparedBatch*, size_t>> id_owner;
  for (PreparedBatch* b : batches) {
    for (size_t i = 0; i < b->events.size(); ++i) {
      if (!Pending(*b, i)) continue;
      if (!filter_->MayContain(b->events[i]->event_id())) continue;
      ++filter_stats_.possible_repeats;
      id_keys.push_back(b->events[i]->event_id());
      id_owner.emplace_back(b, i);
    }
  }
  std::vector<absl::StatusOr<std::string>> stored_ids =
      store_->MultiGet(ColumnFamily::kEventIds, id_keys);
  for (size_t k = 0; k < id_owner.size(); ++k) {
    auto [b, i] = id_owner[k];
    const std::string& id = b->events[i]->event_id();
    if (absl::IsNotFound(stored_ids[k].status())) {
      ++filter_stats_.false_positives;
      continue;
    }
    if (!stored_ids[k].ok()) return stored_ids[k].status();
    internal::EventIdRecord record;
    if (!record.ParseFromString(*stored_ids[k])) {
      return absl::DataLossError(absl::StrCat("event id record ", id, " is corrupt"));
    }
    SettleRepeatedId(b, i, record.content_digest());
  }

  // 2. The enterprises: they exist, are in the caller's jurisdiction; their states.
  // (Keyed by views of the events' codes, which outlive the commit: a commit of
  // thousands of enterprises copied each code three times.)
  absl::flat_hash_map<absl::string_view, Subject> subjects;
  std::vector<absl::string_view> codes;
  for (PreparedBatch* b : batches) {
    for (size_t i = 0; i < b->events.size(); ++i) {
      if (b->outcome.items[i].kind == Kind::kRejected) continue;
      if (subjects.try_emplace(b->events[i]->credit_code()).second) {
        codes.push_back(b->events[i]->credit_code());
      }
    }
  }
  REG_RETURN_IF_ERROR(LookUpEnterprises(codes));
  std::vector<std::string> known;  // the codes whose states events may change
  for (absl::string_view code : codes) {
    Subject& subject = subjects[code];
    auto it = enterprise_cache_.find(code);
    if (it == enterprise_cache_.end()) {
      // As the directory does: an unknown code registered outside the jurisdiction is
      // refused like a known one, so that refusals reveal nothing.
      subject.found = access::InJurisdiction(caller, absl::string_view(code).substr(2, 6))
                          ? absl::NotFoundError(absl::StrCat("credit_code: no enterprise ",
                                                             code, " in the directory"))
                          : access::OutsideJurisdiction("credit_code");
      continue;
    }
    if (!access::InJurisdiction(caller, it->second.region_code)) {
      subject.found = access::OutsideJurisdiction("credit_code");
      continue;
    }
    subject.established_micros = it->second.established_micros;
    known.emplace_back(code);
  }
  // The resident states themselves: events fold into them in place; the fold ends
  // with the commit (published, or undone if nothing was written).
  const size_t known_count = known.size();
  REG_ASSIGN_OR_RETURN(LivePortraits::Fold fold, portraits_.BeginFold(std::move(known)));
  for (size_t k = 0; k < known_count; ++k) {
    Subject& subject = subjects[fold.codes()[k]];
    subject.state = fold.states()[k];
    subject.fold_index = k;
  }

  // 3. Apply in order.
  absl::flat_hash_map<absl::string_view, const std::string*> applied_ids;  // id -> digest
  bool saw_duplicate = false;
  // The records to write (the store puts them into its memtables in key order:
  // storage/rocksdb_store.cc), and the log record's value: the applied events' keys in
  // commit order.
  storage::WriteBatch write;
  storage::KeyBuilder log_value;
  for (PreparedBatch* b : batches) {
    for (size_t i = 0; i < b->events.size(); ++i) {
      IngestOutcome::Item& item = b->outcome.items[i];
      if (item.kind == Kind::kRejected) continue;
      const v1::Event& event = *b->events[i];
      Subject& subject = subjects[event.credit_code()];
      if (!subject.found.ok()) {
        // Replays are refused too outside the jurisdiction: a refusal is all they learn.
        Reject(b, i,
               absl::Status(subject.found.code(),
                            absl::StrCat(Prefix(*b, i), ".", subject.found.message())));
        continue;
      }
      if (item.kind == Kind::kApplied) {
        if (auto it = applied_ids.find(event.event_id()); it != applied_ids.end()) {
          SettleRepeatedId(b, i, *it->second);
        }
      }
      if (item.kind == Kind::kRejected) continue;
      if (item.kind == Kind::kDuplicate) {
        item.portrait_version = subject.state->event_count();
        saw_duplicate = true;
        continue;
      }
      const int64_t micros = b->micros[i];
      if (micros < subject.established_micros - scoring::kMicrosPerDay) {
        Reject(b, i,
               InvalidField(absl::StrCat(Prefix(*b, i), ".occur_time"),
                            "is before the enterprise's establishment date"));
        continue;
      }
      if (absl::Status list = scoring::CheckListChange(event, micros, *subject.state); !list.ok()) {
        Reject(b, i, absl::InvalidArgumentError(absl::StrCat(Prefix(*b, i), ".", list.message())));
        continue;
      }
      scoring::FoldEvent(event, micros, subject.state);
      fold.MarkChanged(subject.fold_index);
      internal::EventIdRecord id_record;
      id_record.set_event_key(b->keys[i]);
      id_record.set_content_digest(b->digests[i]);
      write.PutOwned(ColumnFamily::kEventIds, event.event_id(), id_record.SerializeAsString());
      LivePortraits::AppendToLogValue(b->keys[i], &log_value);
      write.PutOwned(ColumnFamily::kEvents, std::move(b->keys[i]), std::move(b->stored[i]));
      item.portrait_version = subject.state->event_count();
      ++b->outcome.applied;
      applied_ids.emplace(event.event_id(), &b->digests[i]);
    }
  }
  if (write.empty()) {
    // A duplicate may be of an event a concurrent stream committed but has not made
    // durable yet: make sure it is before reporting it as stored.
    if (saw_duplicate && durability == Durability::kSynced) return store_->SyncWal();
    return absl::OkStatus();
  }
  // The log record that makes the changed states, and the observer's work, recoverable.
  const int64_t sequence = portraits_.NextSequence();
  write.PutOwned(ColumnFamily::kIngestLog, LivePortraits::LogKey(sequence), log_value.Release());
  portraits_.RecordObserved(&write);
  storage::WriteOptions options;
  options.sync = durability == Durability::kSynced;
  absl::Status written;
  if (write_batch) {
    int64_t events = 0;
    for (const PreparedBatch* b : batches) events += b->outcome.applied;
    written = write_batch(std::move(write), options, events);
  } else {
    written = store_->Write(write, options);
  }
  if (!written.ok()) {
    portraits_.Observed(sequence);  // no record: nothing to observe
    return written;
  }
  *sequence_written = sequence;
  std::vector<absl::string_view> ids;
  ids.reserve(applied_ids.size());
  for (const auto& [id, unused] : applied_ids) ids.push_back(id);
  Committed(sequence, &fold, ids);
  return absl::OkStatus();
}

absl::StatusOr<IngestOutcome::Kind> EventIngestor::CommitDerived(const v1::Event& event,
                                                                 storage::WriteBatch* batch) {
  int64_t sequence = 0;
  absl::StatusOr<IngestOutcome::Kind> kind = CommitDerivedUnobserved(event, batch, &sequence);
  if (sequence != 0 &&
      (observer_ == nullptr || observer_->EventsDurable(absl::MakeConstSpan(&event, 1)).ok())) {
    portraits_.Observed(sequence);
  }
  return kind;
}

absl::StatusOr<IngestOutcome::Kind> EventIngestor::CommitDerivedUnobserved(
    const v1::Event& event, storage::WriteBatch* batch, int64_t* sequence_written) {
  *sequence_written = 0;
  REG_ASSIGN_OR_RETURN(absl::Time when, FromProtoTimestamp(event.occur_time()));
  const int64_t micros = EventTimeMicros(when);
  std::string content, stored;
  EventEncoder(ToProtoTimestamp(clock_->Now())).Encode(event, &content, &stored);
  const std::string digest = Sha256(content);
  const std::string& code = event.credit_code();
  std::string key = EventKey(code, micros, event.event_id());

  absl::MutexLock lock(&mu_);
  REG_RETURN_IF_ERROR(StartLocked());
  storage::WriteOptions durable;
  durable.sync = true;
  internal::EventIdRecord previous;
  absl::StatusOr<std::string> id_bytes = store_->Get(ColumnFamily::kEventIds, event.event_id());
  const bool supersedes = id_bytes.ok();
  if (supersedes) {
    if (!previous.ParseFromString(*id_bytes)) {
      return absl::DataLossError(absl::StrCat("event id record ", event.event_id(), " is corrupt"));
    }
    if (previous.content_digest() == digest) {
      // Nothing to record; whatever else the caller wrote still goes in.
      if (!batch->empty()) REG_RETURN_IF_ERROR(store_->Write(*batch, durable));
      return IngestOutcome::Kind::kDuplicate;
    }
  } else if (!absl::IsNotFound(id_bytes.status())) {
    return id_bytes.status();
  }

  // The state from the stored history (without a superseded event: folding cannot
  // subtract) rather than the kept one: derived events are rare, and this way the state
  // equals the history even where a store lost records by other means.
  const std::string skipped = supersedes ? previous.event_key() : std::string();
  REG_ASSIGN_OR_RETURN(internal::PortraitState state,
                       StateFromEvents(store_, code, std::numeric_limits<int64_t>::max() - 1,
                                       skipped));
  if (supersedes) batch->Delete(ColumnFamily::kEvents, previous.event_key());
  scoring::FoldEvent(event, micros, &state);
  // Held across the write, so that the resident state is replaced before anyone reads it.
  REG_ASSIGN_OR_RETURN(LivePortraits::Fold fold, portraits_.BeginFold({code}));
  internal::EventIdRecord id_record;
  id_record.set_event_key(key);
  id_record.set_content_digest(digest);
  batch->PutOwned(ColumnFamily::kEventIds, event.event_id(), id_record.SerializeAsString());
  const int64_t sequence = portraits_.NextSequence();
  batch->PutOwned(ColumnFamily::kIngestLog, LivePortraits::LogKey(sequence),
                  supersedes ? LivePortraits::SupersedingLogValue(key)
                             : LivePortraits::LogValue({key}));
  batch->PutOwned(ColumnFamily::kEvents, std::move(key), std::move(stored));
  if (absl::Status written = store_->Write(*batch, durable); !written.ok()) {
    portraits_.Observed(sequence);  // no record: nothing to observe
    return written;
  }
  *sequence_written = sequence;
  fold.states()[0]->Swap(&state);
  fold.MarkChanged(0);
  Committed(sequence, &fold, {event.event_id()});
  return IngestOutcome::Kind::kApplied;
}

absl::StatusOr<IngestOutcome> EventIngestor::Ingest(const access::Caller& caller,
                                                    absl::Span<const v1::Event* const> events,
                                                    bool single,
                                                    const BatchWriter& write_batch) {
  PreparedBatch batch = Prepare(events, single);
  PreparedBatch* batches[] = {&batch};
  REG_RETURN_IF_ERROR(Commit(caller, batches, Durability::kSynced, write_batch));
  return std::move(batch.outcome);
}

}  // namespace regulation::services
