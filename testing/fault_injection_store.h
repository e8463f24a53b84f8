#ifndef TESTING_FAULT_INJECTION_STORE_H_
#define TESTING_FAULT_INJECTION_STORE_H_

// A KvStore that forwards to a real one and injects the faults a disk and a crash
// cause, on the model of leveldb's FaultInjectionTestEnv: a test proves that code
// which writes through it leaves nothing half-written and loses nothing acknowledged.
//
//   std::unique_ptr<KvStore> memory = storage::NewMemoryStore();
//   FaultInjectionStore store(memory.get());
//   store.FailWritesTouching(ColumnFamily::kLogState, "checkpoint");  // a crash there
//   EXPECT_THAT(log->Append(records), StatusIs(absl::StatusCode::kInternal));
//   store.ClearFaults();
//
//   store.FailWritesFrom(3);        // the 3rd write from now and every later one fail
//   store.FailNthWrite(2);          // only the 2nd write from now fails
//   store.DropUnsyncedWrites();     // power loss: writes since the last sync vanish
//
// Writes are Write and WriteSortedRun calls; a failed write changes nothing in the
// base store (as an atomic batch that never reached the log). Reads can be failed too
// (FailReads: Get, MultiGet and new iterators). The error returned is `injected_error`
// (INTERNAL "injected write failure" by default).
//
// Durability model (what DropUnsyncedWrites undoes): a Write without sync is lost on
// power loss until a later SyncWal, a Write with sync, or a WriteSortedRun (durable
// when it returns, kv_store.h) makes it durable; each of those makes every earlier
// write through the write-ahead log durable, as RocksDB's log does. A Write with
// skip_wal is lost on any crash until a FlushColumnFamilies of every family it touches.
// DropUnsyncedWrites restores the keys of the writes not yet durable to their earlier
// values, newest first.
//
// Thread safety: safe for concurrent use as a KvStore; the fault settings may be changed
// from any thread. Writes are serialised by the wrapper (it must record what they undo).
// Ownership: `base` is not owned and must outlive the wrapper. Snapshots and iterators
// come from `base`.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"
#include "storage/kv_store.h"

namespace regulation::testing {

class FaultInjectionStore : public storage::KvStore {
 public:
  explicit FaultInjectionStore(storage::KvStore* base);

  // Faults. Each replaces the previous setting of the same kind; ClearFaults ends all.
  // Every write that puts or deletes `key` of `cf` fails.
  void FailWritesTouching(storage::ColumnFamily cf, std::string key);
  // The n-th write from now (1 = the next one) fails; the others pass. REQUIRES: n >= 1.
  void FailNthWrite(int64_t n);
  // The n-th write from now and every later one fail (1 = all writes from now).
  // REQUIRES: n >= 1.
  void FailWritesFrom(int64_t n);
  // Get, MultiGet and NewIterator fail (iterators start invalid with the error).
  void FailReads(bool fail);
  // The status failed operations return. REQUIRES: not OK.
  void SetInjectedError(absl::Status error);
  void ClearFaults();

  // Power loss: undoes every write not yet made durable (see the durability model), and
  // returns how many were undone. OK-returning writes only; failed ones changed nothing.
  int64_t DropUnsyncedWrites();

  // Writes attempted (counting failed ones) and writes failed since construction.
  int64_t writes_attempted() const;
  int64_t writes_failed() const;

  // storage::KvStore.
  absl::StatusOr<std::string> Get(storage::ColumnFamily cf, absl::string_view key,
                                  const storage::ReadOptions& options = {}) override;
  std::vector<absl::StatusOr<std::string>> MultiGet(
      storage::ColumnFamily cf, absl::Span<const std::string> keys,
      const storage::ReadOptions& options = {}) override;
  absl::Status Write(const storage::WriteBatch& batch,
                     const storage::WriteOptions& options = {}) override;
  std::unique_ptr<storage::Iterator> NewIterator(
      storage::ColumnFamily cf, const storage::IteratorOptions& options = {}) override;
  std::unique_ptr<storage::Snapshot> GetSnapshot() override;
  absl::Status SyncWal() override;
  absl::Status FlushColumnFamilies(absl::Span<const storage::ColumnFamily> cfs) override;
  absl::Status CompactRange(storage::ColumnFamily cf, absl::string_view begin,
                            absl::string_view end) override;
  storage::StoreStats Stats() override;
  absl::Status Checkpoint(const std::string& dir) override;
  absl::Status WriteSortedRun(storage::ColumnFamily cf, const storage::SortedRun& run) override;
  absl::StatusOr<int64_t> EstimateKeyCount(storage::ColumnFamily cf) override;

 private:
  // Whether the write about to be attempted fails; counts it. REQUIRES: mu_ held.
  bool NextWriteFails(const storage::WriteBatch* batch) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status ReadError() const ABSL_LOCKS_EXCLUDED(mu_);
  // The batch that restores the keys `batch` touches to their values now.
  absl::StatusOr<storage::WriteBatch> UndoOf(const storage::WriteBatch& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Constant after construction.
  storage::KvStore* const base_;

  // Fault settings and the record of unsynced writes.
  mutable absl::Mutex mu_;
  absl::optional<std::pair<storage::ColumnFamily, std::string>> fail_key_ ABSL_GUARDED_BY(mu_);
  int64_t fail_nth_ ABSL_GUARDED_BY(mu_) = 0;   // 0: off; else the attempt number
  int64_t fail_from_ ABSL_GUARDED_BY(mu_) = 0;  // 0: off; else the first attempt number
  bool fail_reads_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status injected_error_ ABSL_GUARDED_BY(mu_);
  int64_t attempted_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t failed_ ABSL_GUARDED_BY(mu_) = 0;
  // A write not yet durable: what undoes it, and whether a log sync makes it durable
  // (else only a flush of its families does).
  struct Unsynced {
    storage::WriteBatch undo;
    bool logged = true;
  };
  // Forgets the logged writes: a log sync made them durable.
  void LoggedWritesAreDurable() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::vector<Unsynced> unsynced_undo_ ABSL_GUARDED_BY(mu_);  // oldest first
};

}  // namespace regulation::testing

#endif  // TESTING_FAULT_INJECTION_STORE_H_
