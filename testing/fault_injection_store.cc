#include "testing/fault_injection_store.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace regulation::testing {
namespace {

using storage::ColumnFamily;

// An iterator that is never valid and reports `status`: what a failed read returns.
class FailedIterator : public storage::Iterator {
 public:
  explicit FailedIterator(absl::Status status) : status_(std::move(status)) {}
  void SeekToFirst() override {}
  void Seek(absl::string_view) override {}
  bool Valid() const override { return false; }
  void Next() override {}
  absl::string_view key() const override { return {}; }
  absl::string_view value() const override { return {}; }
  absl::Status status() const override { return status_; }

 private:
  absl::Status status_;
};

}  // namespace

FaultInjectionStore::FaultInjectionStore(storage::KvStore* base)
    : base_(base), injected_error_(absl::InternalError("injected write failure")) {}

void FaultInjectionStore::FailWritesTouching(ColumnFamily cf, std::string key) {
  absl::MutexLock lock(&mu_);
  fail_key_.emplace(cf, std::move(key));
}

void FaultInjectionStore::FailNthWrite(int64_t n) {
  absl::MutexLock lock(&mu_);
  fail_nth_ = attempted_ + n;
}

void FaultInjectionStore::FailWritesFrom(int64_t n) {
  absl::MutexLock lock(&mu_);
  fail_from_ = attempted_ + n;
}

void FaultInjectionStore::FailReads(bool fail) {
  absl::MutexLock lock(&mu_);
  fail_reads_ = fail;
}

void FaultInjectionStore::SetInjectedError(absl::Status error) {
  absl::MutexLock lock(&mu_);
  injected_error_ = std::move(error);
}

void FaultInjectionStore::ClearFaults() {
  absl::MutexLock lock(&mu_);
  fail_key_.reset();
  fail_nth_ = 0;
  fail_from_ = 0;
  fail_reads_ = false;
}

int64_t FaultInjectionStore::writes_attempted() const {
  absl::MutexLock lock(&mu_);
  return attempted_;
}

int64_t FaultInjectionStore::writes_failed() const {
  absl::MutexLock lock(&mu_);
  return failed_;
}

bool FaultInjectionStore::NextWriteFails(const storage::WriteBatch* batch) {
  const int64_t attempt = ++attempted_;
  bool fails = attempt == fail_nth_ || (fail_from_ > 0 && attempt >= fail_from_);
  if (!fails && fail_key_.has_value() && batch != nullptr) {
    for (const storage::WriteBatch::Op& op : batch->ops()) {
      if (op.cf == fail_key_->first && op.key == fail_key_->second) fails = true;
    }
  }
  if (fails) ++failed_;
  return fails;
}

absl::Status FaultInjectionStore::ReadError() const {
  absl::MutexLock lock(&mu_);
  return fail_reads_ ? injected_error_ : absl::OkStatus();
}

absl::StatusOr<storage::WriteBatch> FaultInjectionStore::UndoOf(const storage::WriteBatch& batch) {
  storage::WriteBatch undo;
  // Later operations on a key win, so the value before the batch is the one read now,
  // whatever order the undo applies them in; each key is restored once.
  for (const storage::WriteBatch::Op& op : batch.ops()) {
    absl::StatusOr<std::string> before = base_->Get(op.cf, op.key);
    if (before.ok()) {
      undo.Put(op.cf, op.key, *before);
    } else if (absl::IsNotFound(before.status())) {
      undo.Delete(op.cf, op.key);
    } else {
      return before.status();
    }
  }
  return undo;
}

absl::StatusOr<std::string> FaultInjectionStore::Get(ColumnFamily cf, absl::string_view key,
                                                     const storage::ReadOptions& options) {
  if (absl::Status error = ReadError(); !error.ok()) return error;
  return base_->Get(cf, key, options);
}

std::vector<absl::StatusOr<std::string>> FaultInjectionStore::MultiGet(
    ColumnFamily cf, absl::Span<const std::string> keys, const storage::ReadOptions& options) {
  if (absl::Status error = ReadError(); !error.ok()) {
    return std::vector<absl::StatusOr<std::string>>(keys.size(), error);
  }
  return base_->MultiGet(cf, keys, options);
}

absl::Status FaultInjectionStore::Write(const storage::WriteBatch& batch,
                                        const storage::WriteOptions& options) {
  absl::MutexLock lock(&mu_);
  if (NextWriteFails(&batch)) return injected_error_;
  absl::StatusOr<storage::WriteBatch> undo;
  if (!options.sync) {
    undo = UndoOf(batch);
    if (!undo.ok()) return undo.status();
  }
  absl::Status status = base_->Write(batch, options);
  if (!status.ok()) return status;
  if (options.sync) {
    LoggedWritesAreDurable();
  } else {
    unsynced_undo_.push_back({*std::move(undo), !options.skip_wal});
  }
  return absl::OkStatus();
}

std::unique_ptr<storage::Iterator> FaultInjectionStore::NewIterator(
    ColumnFamily cf, const storage::IteratorOptions& options) {
  if (absl::Status error = ReadError(); !error.ok()) {
    return std::make_unique<FailedIterator>(std::move(error));
  }
  return base_->NewIterator(cf, options);
}

std::unique_ptr<storage::Snapshot> FaultInjectionStore::GetSnapshot() {
  return base_->GetSnapshot();
}

absl::Status FaultInjectionStore::SyncWal() {
  absl::MutexLock lock(&mu_);
  absl::Status status = base_->SyncWal();
  if (status.ok()) LoggedWritesAreDurable();
  return status;
}

absl::Status FaultInjectionStore::FlushColumnFamilies(absl::Span<const ColumnFamily> cfs) {
  absl::MutexLock lock(&mu_);
  absl::Status status = base_->FlushColumnFamilies(cfs);
  if (!status.ok()) return status;
  const auto flushed = [cfs](const Unsynced& write) {
    if (write.logged) return false;
    for (const storage::WriteBatch::Op& op : write.undo.ops()) {
      if (std::find(cfs.begin(), cfs.end(), op.cf) == cfs.end()) return false;
    }
    return true;
  };
  unsynced_undo_.erase(std::remove_if(unsynced_undo_.begin(), unsynced_undo_.end(), flushed),
                       unsynced_undo_.end());
  return absl::OkStatus();
}

void FaultInjectionStore::LoggedWritesAreDurable() {
  unsynced_undo_.erase(std::remove_if(unsynced_undo_.begin(), unsynced_undo_.end(),
                                      [](const Unsynced& write) { return write.logged; }),
                       unsynced_undo_.end());
}

absl::Status FaultInjectionStore::CompactRange(ColumnFamily cf, absl::string_view begin,
                                               absl::string_view end) {
  return base_->CompactRange(cf, begin, end);
}

storage::StoreStats FaultInjectionStore::Stats() { return base_->Stats(); }

absl::Status FaultInjectionStore::Checkpoint(const std::string& dir) {
  return base_->Checkpoint(dir);
}

absl::Status FaultInjectionStore::WriteSortedRun(ColumnFamily cf, const storage::SortedRun& run) {
  absl::MutexLock lock(&mu_);
  // A run holds puts to one family: it meets a key fault as the same puts in a batch.
  storage::WriteBatch as_batch;
  if (fail_key_.has_value() && fail_key_->first == cf) {
    for (size_t i = 0; i < run.size(); ++i) {
      if (run.key(i) == fail_key_->second) as_batch.Put(cf, run.key(i), "");
    }
  }
  if (NextWriteFails(&as_batch)) return injected_error_;
  absl::Status status = base_->WriteSortedRun(cf, run);
  if (status.ok()) LoggedWritesAreDurable();  // durable when it returns, and so is all before
  return status;
}

absl::StatusOr<int64_t> FaultInjectionStore::EstimateKeyCount(ColumnFamily cf) {
  return base_->EstimateKeyCount(cf);
}

int64_t FaultInjectionStore::DropUnsyncedWrites() {
  absl::MutexLock lock(&mu_);
  const int64_t undone = static_cast<int64_t>(unsynced_undo_.size());
  for (auto it = unsynced_undo_.rbegin(); it != unsynced_undo_.rend(); ++it) {
    storage::WriteOptions durable;
    durable.sync = true;
    absl::Status status = base_->Write(it->undo, durable);
    if (!status.ok()) std::abort();  // the base store failed under the test: nothing to trust
  }
  unsynced_undo_.clear();
  return undone;
}

}  // namespace regulation::testing
