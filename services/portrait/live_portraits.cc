#include "services/portrait/live_portraits.h"

#include <algorithm>

#include "absl/container/btree_set.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "services/portrait/feature_rows.h"
#include "services/portrait/state_from_events.h"
#include "storage/key_encoding.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

constexpr absl::string_view kLogPrefix = "l";
// An event key starts with its enterprise's credit code (event_keys.h).
constexpr size_t kCreditCodeLength = 18;
// Memory a resident state costs beyond its encoded size: the map slot, the code and the
// string's header (an estimate; the budget is approximate by nature).
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

absl::Status ParseLogValue(int64_t sequence, absl::string_view value,
                           std::vector<std::string>* event_keys) {
  storage::KeyReader reader(value);
  while (!reader.done()) {
    std::string key;
    if (!reader.ReadString(&key) || key.size() < kCreditCodeLength) {
      return absl::DataLossError(absl::StrCat("ingest log record ", sequence, " is corrupt"));
    }
    event_keys->push_back(std::move(key));
  }
  return absl::OkStatus();
}

int64_t EstimatedBytes(const std::string& encoded) {
  return static_cast<int64_t>(encoded.capacity()) + kEntryOverhead;
}

absl::Status ParseState(absl::string_view encoded, absl::string_view credit_code,
                        internal::PortraitState* state) {
  if (!state->ParseFromArray(encoded.data(), static_cast<int>(encoded.size()))) {
    return absl::DataLossError(absl::StrCat("portrait state of ", credit_code, " is corrupt"));
  }
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

void LivePortraits::AppendToLogValue(absl::string_view event_key, storage::KeyBuilder* value) {
  value->AppendString(event_key);
}

LivePortraits::LivePortraits(storage::KvStore* store, Options options)
    : store_(store), options_(options) {
  if (options_.checkpoint_interval > absl::ZeroDuration()) {
    writer_ = std::thread([this] { WriterLoop(); });
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
  REG_ASSIGN_OR_RETURN(const int64_t checkpointed, ReadSequence(store_, kCheckpointKey));
  REG_ASSIGN_OR_RETURN(const int64_t observed, ReadSequence(store_, kObservedKey));
  // The codes the log records after the checkpoint name (sorted: a deterministic batch),
  // and the records after the observed sequence (they stay for UnobservedRecords).
  absl::btree_set<std::string> codes;
  absl::btree_set<int64_t> unobserved;
  int64_t last = std::max(checkpointed, observed);
  storage::WriteBatch batch;
  std::unique_ptr<storage::Iterator> it =
      store_->NewIterator(ColumnFamily::kIngestLog, storage::PrefixBounds(kLogPrefix));
  std::vector<std::string> event_keys;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    absl::string_view key = it->key();
    key.remove_prefix(kLogPrefix.size());
    REG_ASSIGN_OR_RETURN(const int64_t sequence, DecodeSequence(key));
    last = std::max(last, sequence);
    if (sequence > checkpointed) {
      event_keys.clear();
      REG_RETURN_IF_ERROR(ParseLogValue(sequence, it->value(), &event_keys));
      for (const std::string& event_key : event_keys) {
        codes.insert(event_key.substr(0, kCreditCodeLength));
      }
    }
    if (sequence > observed) {
      unobserved.insert(sequence);
    } else {
      batch.Delete(ColumnFamily::kIngestLog, it->key());
    }
  }
  REG_RETURN_IF_ERROR(it->status());
  for (const std::string& code : codes) {
    REG_ASSIGN_OR_RETURN(internal::PortraitState state, StateFromEvents(store_, code));
    batch.PutOwned(ColumnFamily::kPortraits, code, state.SerializeAsString());
  }
  if (!batch.empty()) {
    batch.Put(ColumnFamily::kIngestLog, kCheckpointKey, EncodeSequence(last));
    storage::WriteOptions durable;
    durable.sync = true;
    REG_RETURN_IF_ERROR(WriteWithFeatureRows(store_, &batch, durable));
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
  recovered_states_ = static_cast<int64_t>(codes.size());
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

absl::StatusOr<internal::PortraitState> LivePortraits::Get(absl::string_view credit_code) {
  REG_RETURN_IF_ERROR(Recover());
  internal::PortraitState state;
  {
    absl::MutexLock lock(&mu_);
    if (auto it = entries_.find(credit_code); it != entries_.end()) {
      REG_RETURN_IF_ERROR(ParseState(it->second.encoded, credit_code, &state));
      return state;
    }
  }
  // Not resident: the store holds the latest (a state leaves memory only once written).
  absl::StatusOr<std::string> bytes = store_->Get(ColumnFamily::kPortraits, credit_code);
  if (absl::IsNotFound(bytes.status())) {
    state.set_credit_code(std::string(credit_code));
    return state;
  }
  if (!bytes.ok()) return bytes.status();
  REG_RETURN_IF_ERROR(ParseState(*bytes, credit_code, &state));
  return state;
}

absl::StatusOr<std::vector<internal::PortraitState*>> LivePortraits::Load(
    absl::Span<const std::string> codes, google::protobuf::Arena* arena) {
  REG_RETURN_IF_ERROR(Recover());
  std::vector<internal::PortraitState*> states(codes.size());
  for (internal::PortraitState*& state : states) {
    state = google::protobuf::Arena::CreateMessage<internal::PortraitState>(arena);
  }
  std::vector<size_t> missing;
  {
    absl::MutexLock lock(&mu_);
    for (size_t i = 0; i < codes.size(); ++i) {
      if (auto it = entries_.find(codes[i]); it != entries_.end()) {
        REG_RETURN_IF_ERROR(ParseState(it->second.encoded, codes[i], states[i]));
      } else {
        missing.push_back(i);
      }
    }
  }
  if (missing.empty()) return states;
  // Only the committer adds entries, so none of these appears meanwhile.
  std::vector<std::string> keys;
  keys.reserve(missing.size());
  for (size_t i : missing) keys.push_back(codes[i]);
  std::vector<absl::StatusOr<std::string>> stored =
      store_->MultiGet(ColumnFamily::kPortraits, keys);
  for (size_t k = 0; k < missing.size(); ++k) {
    internal::PortraitState* state = states[missing[k]];
    if (stored[k].ok()) {
      REG_RETURN_IF_ERROR(ParseState(*stored[k], keys[k], state));
    } else if (absl::IsNotFound(stored[k].status())) {
      state->set_credit_code(keys[k]);
      stored[k] = state->SerializeAsString();
    } else {
      return stored[k].status();
    }
  }
  absl::MutexLock lock(&mu_);
  for (size_t k = 0; k < missing.size(); ++k) {
    Entry& entry = entries_[keys[k]];
    entry.encoded = std::move(*stored[k]);
    entry.bytes = EstimatedBytes(entry.encoded);
    resident_bytes_ += entry.bytes;
  }
  return states;
}

int64_t LivePortraits::NextSequence() {
  absl::MutexLock lock(&mu_);
  return next_sequence_++;
}

bool LivePortraits::Publish(int64_t sequence, absl::Span<const StateRef> states) {
  // Encoded outside the lock, into buffers kept from the last call.
  if (publish_scratch_.size() < states.size()) publish_scratch_.resize(states.size());
  for (size_t i = 0; i < states.size(); ++i) {
    states[i].state->SerializeToString(&publish_scratch_[i]);
  }
  absl::MutexLock lock(&mu_);
  for (size_t i = 0; i < states.size(); ++i) {
    auto [it, inserted] = entries_.try_emplace(states[i].credit_code);
    Entry& entry = it->second;
    resident_bytes_ -= entry.bytes;
    // In place: std::string reuses its buffer when the encoding fits and otherwise at
    // least doubles it, so a growing state reallocates O(log size) times, not per commit.
    entry.encoded.assign(publish_scratch_[i]);
    entry.bytes = EstimatedBytes(entry.encoded);
    resident_bytes_ += entry.bytes;
    entry.changed_at = sequence;
    if (!entry.listed) {
      entry.listed = true;
      dirty_.push_back(it->first);
    }
  }
  published_ = std::max(published_, sequence);
  return resident_bytes_ > options_.budget_bytes;
}

absl::Status LivePortraits::Checkpoint() {
  absl::MutexLock lock(&checkpoint_mu_);
  REG_RETURN_IF_ERROR(RecoverLocked());
  return CheckpointLocked();
}

absl::Status LivePortraits::CheckpointLocked() {
  storage::WriteBatch batch;
  std::vector<std::string> codes;
  int64_t from = 0, upto = 0, observed = 0, trim_from = 0, trim_to = 0;
  {
    absl::MutexLock lock(&mu_);
    from = checkpointed_;
    upto = published_;
    observed = observed_;
    // A log record goes once both the states and the observer are past it.
    trim_from = trimmed_;
    trim_to = std::max(trim_from, std::min(upto, observed));
    codes.swap(dirty_);
    // In key order, so that the memtable inserts follow one another (event_ingestor.cc).
    std::sort(codes.begin(), codes.end());
    for (const std::string& code : codes) {
      Entry& entry = entries_.at(code);
      entry.listed = false;
      batch.Put(ColumnFamily::kPortraits, code, entry.encoded);
    }
    if (upto == from && codes.empty() && trim_to == trim_from) {
      EvictWhileOverBudget();
      return absl::OkStatus();
    }
  }
  batch.Put(ColumnFamily::kIngestLog, kCheckpointKey, EncodeSequence(upto));
  batch.Put(ColumnFamily::kIngestLog, kObservedKey, EncodeSequence(observed));
  for (int64_t s = trim_from + 1; s <= trim_to; ++s) {
    batch.Delete(ColumnFamily::kIngestLog, LogKey(s));
  }
  storage::WriteOptions durable;
  durable.sync = true;
  const absl::Status written = WriteWithFeatureRows(store_, &batch, durable);
  absl::MutexLock lock(&mu_);
  for (const std::string& code : codes) {
    Entry& entry = entries_.at(code);
    if (written.ok()) {
      entry.written_at = upto;
    } else if (!entry.listed) {  // still to be written
      entry.listed = true;
      dirty_.push_back(code);
    }
  }
  if (!written.ok()) return written;
  checkpointed_ = upto;
  trimmed_ = std::max(trimmed_, trim_to);
  ++checkpoints_;
  EvictWhileOverBudget();
  return absl::OkStatus();
}

void LivePortraits::EvictWhileOverBudget() {
  for (auto it = entries_.begin();
       resident_bytes_ > options_.budget_bytes && it != entries_.end();) {
    const Entry& entry = it->second;
    if (entry.listed || entry.written_at < entry.changed_at) {
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
  stats.observed_sequence = observed_;
  return stats;
}

}  // namespace regulation::services
