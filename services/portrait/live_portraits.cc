#include "services/portrait/live_portraits.h"

#include <algorithm>
#include <optional>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/container/btree_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "common/thread_name.h"
#include "scoring/feature_row.h"
#include "services/portrait/feature_rows.h"
#include "services/portrait/state_from_events.h"
#include "services/portrait/state_replay.h"
#include "storage/key_encoding.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

constexpr absl::string_view kLogPrefix = "l";
// In a log value, before the key of an event that replaced another of its enterprise's
// events: "!" + credit code (no event key starts with "!").
constexpr char kSupersededMark = '!';
// An event key starts with its enterprise's credit code (event_keys.h).
constexpr size_t kCreditCodeLength = 18;
// Memory a resident state costs beyond the message's own: the map slot and the code (an
// estimate; the budget is approximate by nature).
constexpr int64_t kEntryOverhead = 96;

std::string EncodeSequence(int64_t sequence) {
  storage::KeyBuilder value;
  value.AppendUint64(static_cast<uint64_t>(sequence));
  return value.Release();
}

absl::StatusOr<int64_t> DecodeSequence(absl::string_view bytes) {
  storage::KeyReader reader(bytes);
  uint64_t sequence = 0;
  if (!reader.ReadUint64(&sequence) || !reader.done()) {
    return absl::DataLossError("an ingest log key or sequence record is corrupt");
  }
  return static_cast<int64_t>(sequence);
}

// The sequence stored under `key` (kCheckpointKey, kObservedKey); 0 when absent.
absl::StatusOr<int64_t> ReadSequence(storage::KvStore* store, absl::string_view key) {
  absl::StatusOr<std::string> bytes = store->Get(ColumnFamily::kIngestLog, key);
  if (absl::IsNotFound(bytes.status())) return 0;
  if (!bytes.ok()) return bytes.status();
  return DecodeSequence(*bytes);
}

// The event keys of a log record, and the credit codes it marks superseded (when
// `superseded` is not null).
absl::Status ParseLogValue(int64_t sequence, absl::string_view value,
                           std::vector<std::string>* event_keys,
                           std::vector<std::string>* superseded = nullptr) {
  storage::KeyReader reader(value);
  while (!reader.done()) {
    std::string key;
    if (!reader.ReadString(&key) || key.size() < kCreditCodeLength) {
      return absl::DataLossError(absl::StrCat("ingest log record ", sequence, " is corrupt"));
    }
    if (key[0] != kSupersededMark) {
      event_keys->push_back(std::move(key));
    } else if (superseded != nullptr) {
      superseded->push_back(key.substr(1));
    }
  }
  return absl::OkStatus();
}

int64_t EstimatedBytes(const internal::PortraitState& state) {
  return static_cast<int64_t>(state.SpaceUsedLong()) + kEntryOverhead;
}

absl::Status ParseState(absl::string_view encoded, absl::string_view credit_code,
                        internal::PortraitState* state) {
  if (!state->ParseFromArray(encoded.data(), static_cast<int>(encoded.size()))) {
    return absl::DataLossError(absl::StrCat("portrait state of ", credit_code, " is corrupt"));
  }
  ClearIngestMark(state);
  return absl::OkStatus();
}

}  // namespace

std::string LivePortraits::LogKey(int64_t sequence) {
  return absl::StrCat(kLogPrefix, EncodeSequence(sequence));
}

std::string LivePortraits::LogValue(absl::Span<const std::string> event_keys) {
  storage::KeyBuilder value;
  for (const std::string& key : event_keys) AppendToLogValue(key, &value);
  return value.Release();
}

std::string LivePortraits::SupersedingLogValue(absl::string_view event_key) {
  storage::KeyBuilder value;
  value.AppendString(
      absl::StrCat(std::string(1, kSupersededMark), event_key.substr(0, kCreditCodeLength)));
  AppendToLogValue(event_key, &value);
  return value.Release();
}

void LivePortraits::AppendToLogValue(absl::string_view event_key, storage::KeyBuilder* value) {
  value->AppendString(event_key);
}

LivePortraits::LivePortraits(storage::KvStore* store, Options options)
    : store_(store), options_(options) {
  if (options_.checkpoint_interval > absl::ZeroDuration()) {
    writer_ = std::thread([this] {
      NameThisThread("portrait-ckpt");
      WriterLoop();
    });
  }
}

LivePortraits::~LivePortraits() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (writer_.joinable()) writer_.join();
  if (absl::Status written = Checkpoint(); !written.ok()) {
    LogError(absl::StrCat("portrait states not written back (the ingest log keeps them): ",
                          written.ToString()));
  }
}

void LivePortraits::WriterLoop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.checkpoint_interval);
      if (stopping_) return;
    }
    if (absl::Status written = Checkpoint(); !written.ok()) {
      LogError(absl::StrCat("portrait checkpoint failed (retried): ", written.ToString()));
    }
  }
}

absl::Status LivePortraits::Recover() {
  if (recovered_.load(std::memory_order_acquire)) return absl::OkStatus();
  absl::MutexLock lock(&checkpoint_mu_);
  return RecoverLocked();
}

absl::Status LivePortraits::RecoverLocked() {
  if (recovered_.load(std::memory_order_acquire)) return absl::OkStatus();
  const absl::Time started = absl::Now();
  REG_ASSIGN_OR_RETURN(const int64_t checkpointed, ReadSequence(store_, kCheckpointKey));
  REG_ASSIGN_OR_RETURN(const int64_t observed, ReadSequence(store_, kObservedKey));
  // What the log records after the checkpoint say about each enterprise, and the records
  // after the observed sequence (they stay for UnobservedRecords).
  absl::flat_hash_map<std::string, LoggedEvents> logged;
  absl::btree_set<int64_t> unobserved;
  int64_t last = std::max(checkpointed, observed);
  storage::WriteBatch last_batch;
  std::unique_ptr<storage::Iterator> it =
      store_->NewIterator(ColumnFamily::kIngestLog, storage::PrefixBounds(kLogPrefix));
  std::vector<std::string> event_keys;
  std::vector<std::string> superseded;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    absl::string_view key = it->key();
    key.remove_prefix(kLogPrefix.size());
    REG_ASSIGN_OR_RETURN(const int64_t sequence, DecodeSequence(key));
    last = std::max(last, sequence);
    if (sequence > checkpointed) {
      event_keys.clear();
      superseded.clear();
      REG_RETURN_IF_ERROR(ParseLogValue(sequence, it->value(), &event_keys, &superseded));
      for (std::string& event_key : event_keys) {
        const absl::string_view code = absl::string_view(event_key).substr(0, kCreditCodeLength);
        auto entry = logged.find(code);
        if (entry == logged.end()) entry = logged.try_emplace(std::string(code)).first;
        entry->second.events.emplace_back(sequence, std::move(event_key));
      }
      for (const std::string& code : superseded) logged[code].superseded = true;
    }
    if (sequence > observed) {
      unobserved.insert(sequence);
    } else {
      last_batch.Delete(ColumnFamily::kIngestLog, it->key());
    }
  }
  REG_RETURN_IF_ERROR(it->status());
  // Each state is brought up to date from its stored state and the events after the
  // sequence it includes, then written back marked as including `last`; in batches, the
  // checkpoint's sequence with the last one. A crash between batches is harmless: the
  // states written record what they include.
  ReplayCounts counts;
  std::vector<std::string> all_codes;
  all_codes.reserve(logged.size());
  for (const auto& [code, unused] : logged) all_codes.push_back(code);
  std::sort(all_codes.begin(), all_codes.end());  // batches in key order, the same each time
  std::vector<std::string> codes;
  for (size_t first = 0; first < all_codes.size(); first += options_.checkpoint_batch_states) {
    const size_t end = std::min(all_codes.size(), first + options_.checkpoint_batch_states);
    codes.assign(all_codes.begin() + first, all_codes.begin() + end);
    const std::vector<absl::StatusOr<std::string>> stored =
        store_->MultiGet(ColumnFamily::kPortraits, codes);
    // The states are independent of one another, and nothing else runs before the server
    // serves: several threads replay them, each every n-th code.
    const size_t threads = std::max<size_t>(1, std::min(options_.recovery_threads, codes.size()));
    std::vector<internal::PortraitState> states(codes.size());
    std::vector<ReplayCounts> thread_counts(threads);
    std::vector<absl::Status> thread_status(threads);
    const auto replay = [&](size_t t) {
      for (size_t i = t; i < codes.size(); i += threads) {
        absl::StatusOr<internal::PortraitState> state =
            ReplayState(store_, codes[i], stored[i], logged.at(codes[i]), &thread_counts[t]);
        if (!state.ok()) {
          thread_status[t] = state.status();
          return;
        }
        states[i] = *std::move(state);
      }
    };
    std::vector<std::thread> workers;
    for (size_t t = 1; t < threads; ++t) workers.emplace_back(replay, t);
    replay(0);
    for (std::thread& worker : workers) worker.join();
    for (size_t t = 0; t < threads; ++t) {
      REG_RETURN_IF_ERROR(thread_status[t]);
      counts.replayed_events += thread_counts[t].replayed_events;
      counts.rebuilt_states += thread_counts[t].rebuilt_states;
    }
    // Every state, even one its stored copy already has: a crash between the flushes of
    // a checkpoint's two families can have kept the state and lost its row.
    storage::WriteBatch batch;
    for (size_t i = 0; i < codes.size(); ++i) {
      std::string encoded;
      EncodeStateWithIngestMark(states[i], last, &encoded);
      batch.PutOwned(ColumnFamily::kPortraits, codes[i], std::move(encoded));
    }
    if (!batch.empty()) {
      REG_RETURN_IF_ERROR(WriteWithFeatureRows(store_, &batch, storage::WriteOptions()));
    }
  }
  if (!logged.empty() || !last_batch.empty()) {
    last_batch.Put(ColumnFamily::kIngestLog, kCheckpointKey, EncodeSequence(last));
    storage::WriteOptions durable;
    durable.sync = true;
    REG_RETURN_IF_ERROR(store_->Write(last_batch, durable));
  }
  if (!logged.empty()) {
    LogInfo(absl::StrCat(
        "portrait states: ", logged.size(), " brought up to date after the last checkpoint (",
        counts.replayed_events, " logged events folded into stored states, ", counts.rebuilt_states,
        " states recomputed from their history) in ", absl::FormatDuration(absl::Now() - started)));
  }
  // A directory from before the feature rows gets them now, once (feature_rows.h).
  REG_RETURN_IF_ERROR(BackfillFeatureRows(store_).status());
  absl::MutexLock lock(&mu_);
  next_sequence_ = last + 1;
  published_ = checkpointed_ = last;
  // Sequences after `observed` without a record have nothing to observe: only the
  // records hold the observed sequence back.
  observed_ = unobserved.empty() ? last : *unobserved.begin() - 1;
  for (int64_t s = observed_ + 1; s <= last; ++s) {
    if (!unobserved.contains(s)) observed_ahead_.insert(s);
  }
  trimmed_ = observed_;
  recovered_states_ = static_cast<int64_t>(logged.size());
  replayed_events_ = counts.replayed_events;
  rebuilt_states_ = counts.rebuilt_states;
  recovered_.store(true, std::memory_order_release);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<LivePortraits::LogRecord>> LivePortraits::UnobservedRecords() {
  REG_RETURN_IF_ERROR(Recover());
  int64_t observed = 0;
  absl::btree_set<int64_t> ahead;
  {
    absl::MutexLock lock(&mu_);
    observed = observed_;
    ahead = observed_ahead_;
  }
  std::vector<LogRecord> records;
  std::unique_ptr<storage::Iterator> it =
      store_->NewIterator(ColumnFamily::kIngestLog, storage::PrefixBounds(kLogPrefix));
  for (it->Seek(LogKey(observed + 1)); it->Valid(); it->Next()) {
    absl::string_view key = it->key();
    key.remove_prefix(kLogPrefix.size());
    REG_ASSIGN_OR_RETURN(const int64_t sequence, DecodeSequence(key));
    if (ahead.contains(sequence)) continue;
    LogRecord& record = records.emplace_back();
    record.sequence = sequence;
    REG_RETURN_IF_ERROR(ParseLogValue(sequence, it->value(), &record.event_keys));
  }
  REG_RETURN_IF_ERROR(it->status());
  return records;
}

void LivePortraits::Observed(int64_t sequence) {
  absl::MutexLock lock(&mu_);
  if (sequence <= observed_) return;
  observed_ahead_.insert(sequence);
  while (!observed_ahead_.empty() && *observed_ahead_.begin() == observed_ + 1) {
    observed_ahead_.erase(observed_ahead_.begin());
    ++observed_;
  }
}

void LivePortraits::RecordObserved(storage::WriteBatch* batch) {
  int64_t observed = 0;
  {
    absl::MutexLock lock(&mu_);
    observed = observed_;
  }
  batch->Put(ColumnFamily::kIngestLog, kObservedKey, EncodeSequence(observed));
}

absl::StatusOr<internal::PortraitState> LivePortraits::Get(absl::string_view credit_code) {
  internal::PortraitState state;
  REG_RETURN_IF_ERROR(
      Read(credit_code, [&state](const internal::PortraitState& current) { state = current; }));
  return state;
}

absl::Status LivePortraits::Read(absl::string_view credit_code,
                                 absl::FunctionRef<void(const internal::PortraitState&)> read) {
  REG_RETURN_IF_ERROR(Recover());
  bool stale = false;
  {
    absl::MutexLock lock(&mu_);
    const auto settled = [this, credit_code]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      auto it = entries_.find(credit_code);
      return it == entries_.end() || !it->second.folding;
    };
    mu_.Await(absl::Condition(&settled));
    if (auto it = entries_.find(credit_code); it != entries_.end()) {
      stale = it->second.stale;
      if (!stale) {
        read(*it->second.state);
        return absl::OkStatus();
      }
    }
  }
  if (stale) {
    // A failed commit's folds not undone yet: the events say what the state is.
    REG_ASSIGN_OR_RETURN(const internal::PortraitState state, StateFromEvents(store_, credit_code));
    read(state);
    return absl::OkStatus();
  }
  // Not resident: the store holds the latest (a state leaves memory only once written).
  internal::PortraitState state;
  absl::StatusOr<std::string> bytes = store_->Get(ColumnFamily::kPortraits, credit_code);
  if (bytes.ok()) {
    REG_RETURN_IF_ERROR(ParseState(*bytes, credit_code, &state));
  } else if (absl::IsNotFound(bytes.status())) {
    state.set_credit_code(std::string(credit_code));
  } else {
    return bytes.status();
  }
  read(state);
  return absl::OkStatus();
}

LivePortraits::Fold::Fold(LivePortraits* owner, std::vector<std::string> codes,
                          std::vector<internal::PortraitState*> states)
    : owner_(owner),
      codes_(std::move(codes)),
      states_(std::move(states)),
      changed_(states_.size(), false) {}

LivePortraits::Fold::Fold(Fold&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)),
      codes_(std::move(other.codes_)),
      states_(std::move(other.states_)),
      changed_(std::move(other.changed_)) {}

LivePortraits::Fold::~Fold() {
  if (owner_ != nullptr) owner_->EndFold(this, 0);
}

bool LivePortraits::Fold::Publish(int64_t sequence) {
  LivePortraits* owner = std::exchange(owner_, nullptr);
  return owner->EndFold(this, sequence);
}

absl::StatusOr<LivePortraits::Fold> LivePortraits::BeginFold(std::vector<std::string> codes) {
  REG_RETURN_IF_ERROR(Recover());
  std::vector<internal::PortraitState*> states(codes.size(), nullptr);
  std::vector<std::string> missing;
  {
    absl::MutexLock lock(&mu_);
    const auto free = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !fold_open_ && !serialising_;
    };
    ++folds_waiting_;
    mu_.Await(absl::Condition(&free));
    --folds_waiting_;
    fold_open_ = true;
    for (size_t i = 0; i < codes.size(); ++i) {
      if (auto it = entries_.find(codes[i]); it != entries_.end()) {
        it->second.folding = true;
        states[i] = it->second.state.get();
      } else {
        missing.push_back(codes[i]);
      }
    }
  }
  // From here on the fold is open: ending it (the destructor, on any return) clears the
  // marks set so far.
  Fold fold(this, std::move(codes), std::move(states));
  REG_RETURN_IF_ERROR(RebuildStale());
  if (missing.empty()) return fold;
  // Only the committer adds entries, so none of these appears meanwhile; a checkpoint
  // waits for the open fold, so none is written meanwhile either.
  std::vector<absl::StatusOr<std::string>> stored =
      store_->MultiGet(ColumnFamily::kPortraits, missing);
  std::vector<std::unique_ptr<internal::PortraitState>> loaded(missing.size());
  for (size_t k = 0; k < missing.size(); ++k) {
    loaded[k] = std::make_unique<internal::PortraitState>();
    if (stored[k].ok()) {
      REG_RETURN_IF_ERROR(ParseState(*stored[k], missing[k], loaded[k].get()));
    } else if (absl::IsNotFound(stored[k].status())) {
      loaded[k]->set_credit_code(missing[k]);
    } else {
      return stored[k].status();
    }
  }
  absl::MutexLock lock(&mu_);
  size_t k = 0;
  for (size_t i = 0; i < fold.codes_.size(); ++i) {
    if (fold.states_[i] != nullptr) continue;
    Entry& entry = entries_[fold.codes_[i]];
    entry.bytes = EstimatedBytes(*loaded[k]);
    resident_bytes_ += entry.bytes;
    entry.state = std::move(loaded[k++]);
    entry.folding = true;
    fold.states_[i] = entry.state.get();
  }
  return fold;
}

bool LivePortraits::EndFold(Fold* fold, int64_t sequence) {
  if (sequence == 0) {
    // Nothing was written: the states folded into must forget it. They are stale, and
    // rebuilt from the store's events at once (the fold is still open, so nobody reads
    // or writes them back meanwhile); what cannot be rebuilt now stays stale until the
    // next fold or checkpoint.
    {
      absl::MutexLock lock(&mu_);
      for (size_t i = 0; i < fold->codes_.size(); ++i) {
        if (!fold->changed_[i]) continue;
        auto it = entries_.find(fold->codes_[i]);
        if (!it->second.stale) {
          it->second.stale = true;
          stale_.push_back(it->first);
        }
      }
    }
    if (absl::Status rebuilt = RebuildStale(); !rebuilt.ok()) {
      LogError(absl::StrCat("portrait states not rebuilt after a failed commit (retried): ",
                            rebuilt.ToString()));
    }
  }
  absl::MutexLock lock(&mu_);
  for (size_t i = 0; i < fold->codes_.size(); ++i) {
    if (fold->states_[i] == nullptr) continue;  // never loaded (BeginFold failed)
    auto it = entries_.find(fold->codes_[i]);
    Entry& entry = it->second;
    entry.folding = false;
    if (sequence == 0 || !fold->changed_[i]) continue;
    entry.changed_at = sequence;
    if (!entry.listed) {
      entry.listed = true;
      dirty_.push_back(it->first);
    }
  }
  fold_open_ = false;
  published_ = std::max(published_, sequence);
  return resident_bytes_ > options_.budget_bytes;
}

absl::Status LivePortraits::RebuildStale() {
  std::vector<std::string> stale;
  {
    absl::MutexLock lock(&mu_);
    if (stale_.empty()) return absl::OkStatus();
    stale.swap(stale_);
  }
  absl::Status status;
  for (std::string& code : stale) {
    absl::StatusOr<internal::PortraitState> rebuilt =
        status.ok() ? StateFromEvents(store_, code) : status;
    absl::MutexLock lock(&mu_);
    Entry& entry = entries_.at(code);
    if (rebuilt.ok()) {
      // Readers do not read a stale state, and nobody else changes it (REQUIRES).
      entry.state->Swap(&*rebuilt);
      entry.stale = false;
    } else {
      status = rebuilt.status();
      stale_.push_back(std::move(code));
    }
  }
  return status;
}

int64_t LivePortraits::NextSequence() {
  absl::MutexLock lock(&mu_);
  return next_sequence_++;
}

absl::Status LivePortraits::Checkpoint() {
  absl::MutexLock lock(&checkpoint_mu_);
  REG_RETURN_IF_ERROR(RecoverLocked());
  return CheckpointLocked();
}

absl::Status LivePortraits::CheckpointLocked() {
  Staged staged;
  const absl::StatusOr<bool> something = StageCheckpoint(&staged);
  if (!something.ok() || !*something) {
    absl::MutexLock lock(&mu_);
    REG_RETURN_IF_ERROR(something.status());
    EvictWhileOverBudget();
    return absl::OkStatus();
  }
  const absl::Status written = WriteCheckpoint(&staged);
  absl::MutexLock lock(&mu_);
  if (!written.ok()) {
    Relist(staged.codes);
    return written;
  }
  for (size_t i = 0; i < staged.codes.size(); ++i) {
    entries_.at(staged.codes[i]).written_at = staged.marks[i];
  }
  checkpointed_ = staged.upto;
  trimmed_ = std::max(trimmed_, staged.trim_to);
  ++checkpoints_;
  EvictWhileOverBudget();
  return absl::OkStatus();
}

void LivePortraits::Relist(const std::vector<std::string>& codes) {
  for (const std::string& code : codes) {
    Entry& entry = entries_.at(code);
    if (!entry.listed) {  // still to be written
      entry.listed = true;
      dirty_.push_back(code);
    }
  }
}

int64_t LivePortraits::HoldFolds() {
  absl::MutexLock lock(&mu_);
  // Waiting folds go first: the committer is the stream's bottleneck.
  const auto between_folds = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !fold_open_ && folds_waiting_ == 0;
  };
  mu_.Await(absl::Condition(&between_folds));
  serialising_ = true;
  return published_;
}

absl::StatusOr<bool> LivePortraits::StageCheckpoint(Staged* staged) {
  bool stale = false;
  {
    absl::MutexLock lock(&mu_);
    stale = !stale_.empty();
  }
  if (stale) {  // a failed commit's states, listed or not
    HoldFolds();
    const absl::Status rebuilt = RebuildStale();
    absl::MutexLock lock(&mu_);
    serialising_ = false;
    REG_RETURN_IF_ERROR(rebuilt);
  }
  {
    absl::MutexLock lock(&mu_);
    const int64_t from = checkpointed_;
    staged->upto = published_;
    staged->observed = observed_;
    // A log record goes once both the states and the observer are past it.
    staged->trim_from = trimmed_;
    staged->trim_to = std::max(staged->trim_from, std::min(staged->upto, staged->observed));
    staged->codes.swap(dirty_);
    if (staged->upto == from && staged->codes.empty() && staged->trim_to == staged->trim_from) {
      return false;
    }
    // In key order, so that the memtable inserts follow one another (event_ingestor.cc).
    std::sort(staged->codes.begin(), staged->codes.end());
    for (const std::string& code : staged->codes) entries_.at(code).listed = false;
  }
  const size_t n = staged->codes.size();
  staged->encoded.resize(n);
  staged->rows.resize(n);
  staged->marks.resize(n);
  // A chunk at a time, each between two commits' folds: the committer waits for one
  // chunk at most, not for every state (a second or more, which held the whole stream
  // back). Each state is marked with what it includes as its chunk is encoded: a state
  // a later chunk holds may include later commits than `upto`, which the recorded
  // checkpoint stays at (a state written ahead of it is harmless: state_replay.h).
  // A state changed after its chunk is listed again for the next checkpoint.
  for (size_t begin = 0; begin < n; begin += kStageChunkStates) {
    const size_t end = std::min(n, begin + kStageChunkStates);
    const int64_t mark = HoldFolds();
    std::vector<const internal::PortraitState*> states;
    {
      absl::MutexLock lock(&mu_);
      for (size_t i = begin; i < end; ++i) {
        states.push_back(entries_.at(staged->codes[i]).state.get());
      }
    }
    // Outside mu_: no fold changes these meanwhile (serialising_), nor does eviction
    // (checkpoints are serialised), and readers only read them. A failed commit may
    // have left states stale since the last chunk: rebuilt first. Each state is encoded,
    // and so is its feature row, from the decoded state (the row's enterprise part
    // comes later, in WriteCheckpoint, once folds no longer wait).
    const absl::Status rebuilt = RebuildStale();
    std::vector<int64_t> bytes(end - begin);
    if (rebuilt.ok()) {
      for (size_t i = begin; i < end; ++i) {
        const internal::PortraitState& state = *states[i - begin];
        EncodeStateWithIngestMark(state, mark, &staged->encoded[i]);
        scoring::EncodeFeatureRow(scoring::FeatureRowEnterprise{}, state, &staged->rows[i]);
        staged->marks[i] = mark;
        bytes[i - begin] = EstimatedBytes(state);
      }
    }
    absl::MutexLock lock(&mu_);
    serialising_ = false;
    if (!rebuilt.ok()) {
      Relist(staged->codes);
      return rebuilt;
    }
    for (size_t i = begin; i < end; ++i) {
      Entry& entry = entries_.at(staged->codes[i]);
      resident_bytes_ += bytes[i - begin] - entry.bytes;
      entry.bytes = bytes[i - begin];
    }
  }
  return true;
}

absl::Status LivePortraits::WriteCheckpoint(Staged* staged) {
  // The states and rows, in batches of a bounded size rather than one the size of every
  // state, past the write-ahead log: they are more bytes than the events themselves, and
  // in the log they would be written twice and fsynced with the commits' syncs. They
  // become durable by the flush below; only then does the last, synced write record the
  // checkpoint's sequence. A crash before it leaves some states written ahead of the
  // recorded checkpoint, which is harmless: each records the sequence it includes, so
  // recovery folds in only the logged events after it (state_replay.h).
  {
    // Read and written under the lock, so that a directory write between them cannot
    // pair a row's enterprise part with a stale record (feature_rows.h).
    FeatureRowLock lock(store_);
    REG_ASSIGN_OR_RETURN(const std::vector<std::optional<scoring::FeatureRowEnterprise>> parts,
                         FeatureRowEnterpriseParts(store_, staged->codes));
    storage::WriteOptions unlogged;
    unlogged.skip_wal = true;
    storage::WriteBatch batch;
    const size_t n = staged->codes.size();
    for (size_t i = 0; i < n; ++i) {
      batch.PutOwned(ColumnFamily::kPortraits, staged->codes[i], std::move(staged->encoded[i]));
      if (parts[i].has_value()) {  // no enterprise: no row
        scoring::SetFeatureRowEnterprise(*parts[i], &staged->rows[i]);
        batch.PutOwned(ColumnFamily::kFeatureRows, staged->codes[i], std::move(staged->rows[i]));
      }
      if ((i + 1) % options_.checkpoint_batch_states == 0 || i + 1 == n) {
        REG_RETURN_IF_ERROR(store_->Write(batch, unlogged));
        batch.Clear();
      }
    }
  }
  if (!staged->codes.empty()) {
    static constexpr ColumnFamily kWritten[] = {ColumnFamily::kPortraits,
                                                ColumnFamily::kFeatureRows};
    REG_RETURN_IF_ERROR(store_->FlushColumnFamilies(kWritten));
  }
  storage::WriteBatch last;
  last.Put(ColumnFamily::kIngestLog, kCheckpointKey, EncodeSequence(staged->upto));
  last.Put(ColumnFamily::kIngestLog, kObservedKey, EncodeSequence(staged->observed));
  for (int64_t s = staged->trim_from + 1; s <= staged->trim_to; ++s) {
    last.Delete(ColumnFamily::kIngestLog, LogKey(s));
  }
  storage::WriteOptions durable;
  durable.sync = true;
  return store_->Write(last, durable);
}

void LivePortraits::EvictWhileOverBudget() {
  for (auto it = entries_.begin();
       resident_bytes_ > options_.budget_bytes && it != entries_.end();) {
    const Entry& entry = it->second;
    if (entry.listed || entry.folding || entry.stale || entry.written_at < entry.changed_at) {
      ++it;
      continue;
    }
    resident_bytes_ -= entry.bytes;
    ++evicted_;
    entries_.erase(it++);
  }
}

LivePortraits::Stats LivePortraits::stats() const {
  absl::MutexLock lock(&mu_);
  Stats stats;
  stats.resident_states = static_cast<int64_t>(entries_.size());
  stats.resident_bytes = resident_bytes_;
  stats.dirty_states = static_cast<int64_t>(dirty_.size());
  stats.checkpoints = checkpoints_;
  stats.evicted_states = evicted_;
  stats.checkpointed_sequence = checkpointed_;
  stats.recovered_states = recovered_states_;
  stats.replayed_events = replayed_events_;
  stats.rebuilt_states = rebuilt_states_;
  stats.observed_sequence = observed_;
  return stats;
}

}  // namespace regulation::services
