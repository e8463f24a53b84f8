#include "disclosure/publication_queue.h"

#include <algorithm>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "disclosure/public_body_store.h"
#include "disclosure/public_leaf.h"
#include "disclosure/transparency_log.h"
#include "regulation/internal/disclosure_state.pb.h"
#include "storage/key_encoding.h"

namespace regulation::disclosure {
namespace {

using storage::ColumnFamily;

// Records appended per log call: one signed checkpoint per batch.
constexpr size_t kFlushBatch = 256;

class TransparencyLogWriter : public LogWriter {
 public:
  explicit TransparencyLogWriter(TransparencyLog* log) : log_(log) {}
  absl::StatusOr<std::vector<uint64_t>> Append(absl::Span<const std::string> entries) override {
    return log_->Append(entries);
  }
  uint64_t size() const override { return log_->size(); }
  absl::StatusOr<std::string> Entry(uint64_t index) const override { return log_->Entry(index); }

 private:
  TransparencyLog* const log_;
};

std::string IndexValue(uint64_t index) {
  return storage::KeyBuilder().AppendUint64(index).Release();
}

struct Queued {
  std::string queue_key;
  internal::QueuedPublication record;
};

// The first `limit` queued records, in queue order.
absl::StatusOr<std::vector<Queued>> ReadQueue(storage::KvStore* store, size_t limit) {
  std::vector<Queued> out;
  std::unique_ptr<storage::Iterator> it = store->NewIterator(ColumnFamily::kPublicationQueue);
  for (it->SeekToFirst(); it->Valid() && out.size() < limit; it->Next()) {
    Queued q;
    q.queue_key = std::string(it->key());
    if (!q.record.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError("a queued public record is corrupt");
    }
    out.push_back(std::move(q));
  }
  REG_RETURN_IF_ERROR(it->status());
  return out;
}

// Removes the records from the queue and records their indices, atomically and durably.
absl::Status Settle(storage::KvStore* store, const std::vector<Queued>& records,
                    const std::vector<uint64_t>& indices) {
  storage::WriteBatch batch;
  for (size_t i = 0; i < records.size(); ++i) {
    batch.Delete(ColumnFamily::kPublicationQueue, records[i].queue_key);
    batch.Put(ColumnFamily::kPublished, records[i].record.record_key(), IndexValue(indices[i]));
    if (!records[i].record.subject().empty()) {
      batch.Put(ColumnFamily::kPublicSubjects,
                storage::KeyBuilder()
                    .AppendString(records[i].record.subject())
                    .AppendUint64(indices[i])
                    .Release(),
                "");
    }
  }
  storage::WriteOptions durable;
  durable.sync = true;
  return store->Write(batch, durable);
}

}  // namespace

std::unique_ptr<LogWriter> WriterFor(TransparencyLog* log) {
  return std::make_unique<TransparencyLogWriter>(log);
}

absl::StatusOr<std::unique_ptr<PublicationQueue>> PublicationQueue::Open(storage::KvStore* store,
                                                                         LogWriter* log) {
  // Sequences only order the queue; start past everything queued.
  uint64_t next = 0;
  std::unique_ptr<storage::Iterator> it = store->NewIterator(ColumnFamily::kPublicationQueue);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    storage::KeyReader reader(it->key());
    uint64_t sequence = 0;
    if (!reader.ReadUint64(&sequence) || !reader.done()) {
      return absl::DataLossError("a publication queue key is corrupt");
    }
    next = std::max(next, sequence + 1);
  }
  REG_RETURN_IF_ERROR(it->status());
  if (log != nullptr) next = std::max(next, log->size());
  return std::unique_ptr<PublicationQueue>(new PublicationQueue(store, log, next));
}

absl::Status PublicationQueue::Stage(absl::string_view record_key, absl::string_view subject,
                                     std::string body, storage::WriteBatch* batch,
                                     std::string* leaf) {
  absl::StatusOr<SealedBody> sealed = SealBody(std::move(body), NewSalt());
  if (!sealed.ok()) {
    return absl::Status(sealed.status().code(), absl::StrCat("the public record ", record_key,
                                                             ": ", sealed.status().message()));
  }
  if (sealed->entry.key() != record_key) {
    return absl::InvalidArgumentError(absl::StrCat("the public record ", record_key,
                                                   " has the key \"", sealed->entry.key(), "\""));
  }
  if (sealed->leaf.size() > kMaxEntrySize) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the leaf of public record ", record_key, " would be ", sealed->leaf.size(),
                     " bytes; the log takes at most ", kMaxEntrySize));
  }
  StageSealed(record_key, subject, sealed->leaf, sealed->body, sealed->salt, batch);
  if (leaf != nullptr) *leaf = std::move(sealed->leaf);
  return absl::OkStatus();
}

void PublicationQueue::StageSealed(absl::string_view record_key, absl::string_view subject,
                                   absl::string_view leaf, absl::string_view body,
                                   absl::string_view salt, storage::WriteBatch* batch) {
  uint64_t sequence;
  {
    absl::MutexLock lock(&sequence_mu_);
    sequence = next_sequence_++;
  }
  StagePublicBody(record_key, body, salt, batch);
  internal::QueuedPublication record;
  record.set_record_key(std::string(record_key));
  record.set_entry(std::string(leaf));
  record.set_subject(std::string(subject));
  batch->PutOwned(ColumnFamily::kPublicationQueue, IndexValue(sequence),
                  record.SerializeAsString());
}

absl::Status PublicationQueue::Reconcile() {
  REG_ASSIGN_OR_RETURN(int64_t queued, QueuedCount());
  const uint64_t size = log_->size();
  const uint64_t window = std::min<uint64_t>(size, static_cast<uint64_t>(queued));
  if (window > 0) {
    // An unfinished flush appended some queued records as the log's last entries.
    std::unordered_map<std::string, uint64_t> tail;
    for (uint64_t i = size - window; i < size; ++i) {
      REG_ASSIGN_OR_RETURN(std::string entry, log_->Entry(i));
      tail.emplace(std::move(entry), i);
    }
    // Batches staged concurrently may land in the queue out of sequence order, so any
    // queued record may be among them, not only a prefix.
    REG_ASSIGN_OR_RETURN(std::vector<Queued> records,
                         ReadQueue(store_, static_cast<size_t>(queued)));
    std::vector<Queued> done;
    std::vector<uint64_t> indices;
    for (Queued& q : records) {
      auto found = tail.find(q.record.entry());
      if (found == tail.end()) continue;
      indices.push_back(found->second);
      done.push_back(std::move(q));
    }
    if (!done.empty()) REG_RETURN_IF_ERROR(Settle(store_, done, indices));
  }
  reconciled_ = true;
  return absl::OkStatus();
}

absl::StatusOr<int64_t> PublicationQueue::Flush() {
  if (log_ == nullptr) return absl::FailedPreconditionError("no disclosure log is configured");
  absl::MutexLock lock(&flush_mu_);
  if (!reconciled_) REG_RETURN_IF_ERROR(Reconcile());
  int64_t published = 0;
  while (true) {
    REG_ASSIGN_OR_RETURN(std::vector<Queued> records, ReadQueue(store_, kFlushBatch));
    if (records.empty()) return published;
    std::vector<std::string> entries;
    entries.reserve(records.size());
    for (const Queued& q : records) entries.push_back(q.record.entry());
    // From here until Settle succeeds the queue and the log disagree.
    reconciled_ = false;
    REG_ASSIGN_OR_RETURN(std::vector<uint64_t> indices, log_->Append(entries));
    REG_RETURN_IF_ERROR(Settle(store_, records, indices));
    reconciled_ = true;
    published += static_cast<int64_t>(records.size());
  }
}

absl::StatusOr<uint64_t> PublicationQueue::IndexOf(absl::string_view record_key) {
  absl::StatusOr<std::string> value = store_->Get(ColumnFamily::kPublished, record_key);
  if (absl::IsNotFound(value.status())) {
    return absl::NotFoundError(absl::StrCat("record ", record_key, " is not published yet"));
  }
  if (!value.ok()) return value.status();
  storage::KeyReader reader(*value);
  uint64_t index = 0;
  if (!reader.ReadUint64(&index) || !reader.done()) {
    return absl::DataLossError(absl::StrCat("the log index of ", record_key, " is corrupt"));
  }
  return index;
}

absl::StatusOr<std::vector<uint64_t>> PublicationQueue::SubjectIndices(absl::string_view subject,
                                                                       uint64_t from_index,
                                                                       size_t limit) {
  const std::string prefix = storage::KeyBuilder().AppendString(subject).Release();
  std::unique_ptr<storage::Iterator> it =
      store_->NewIterator(ColumnFamily::kPublicSubjects, storage::PrefixBounds(prefix));
  std::vector<uint64_t> out;
  for (it->Seek(storage::KeyBuilder().AppendString(subject).AppendUint64(from_index).Release());
       it->Valid() && out.size() < limit; it->Next()) {
    storage::KeyReader reader(it->key().substr(prefix.size()));
    uint64_t index = 0;
    if (!reader.ReadUint64(&index) || !reader.done()) {
      return absl::DataLossError("a public subject index key is corrupt");
    }
    out.push_back(index);
  }
  REG_RETURN_IF_ERROR(it->status());
  return out;
}

absl::StatusOr<int64_t> PublicationQueue::QueuedCount() {
  int64_t count = 0;
  std::unique_ptr<storage::Iterator> it = store_->NewIterator(ColumnFamily::kPublicationQueue);
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++count;
  REG_RETURN_IF_ERROR(it->status());
  return count;
}

}  // namespace regulation::disclosure
