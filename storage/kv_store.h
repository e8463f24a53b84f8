#ifndef STORAGE_KV_STORE_H_
#define STORAGE_KV_STORE_H_

// A small ordered key-value interface over column families: what the services need
// from RocksDB, and no more. Keys and values are byte strings; keys sort bytewise
// (unsigned), so build them with storage/key_encoding.h to keep their order meaningful.
//
// Implementations: RocksDbStore (rocksdb_store.h), the production store, and
// MemoryStore (memory_store.h), an in-memory store for tests. Both pass the same
// contract suite (kv_store_contract.h).
//
// Thread safety: a KvStore is safe for concurrent use by many threads. An Iterator,
// a WriteBatch and a Snapshot are not; each belongs to one thread at a time.
//
// Example:
//   WriteBatch batch;
//   batch.Put(ColumnFamily::kEnterprises, code, record);
//   batch.Put(ColumnFamily::kEnterprisesByRegion, index_key, "");
//   REG_RETURN_IF_ERROR(store.Write(batch));   // both or neither

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "storage/column_family.h"

namespace regulation::storage {

// A consistent read-only view of the whole store at one moment. Release it (destroy it)
// before the store that made it.
class Snapshot {
 public:
  virtual ~Snapshot() = default;
};

struct ReadOptions {
  // Read as of this snapshot; nullptr (the default) reads the latest data.
  const Snapshot* snapshot = nullptr;
};

struct IteratorOptions {
  // Read as of this snapshot; nullptr (the default) reads the latest data.
  const Snapshot* snapshot = nullptr;
  // Inclusive lower bound; empty (the default) means the first key.
  std::string lower_bound;
  // Exclusive upper bound; empty (the default) means no bound.
  std::string upper_bound;
  // A scan over much of the family (a batch job): what it reads is not kept in the
  // block cache, where it would only evict what point reads need, and is read ahead
  // in large pieces.
  bool bulk_scan = false;
};

// Bounds that cover exactly the keys starting with `prefix`.
IteratorOptions PrefixBounds(absl::string_view prefix, const Snapshot* snapshot = nullptr);

struct WriteOptions {
  // When true, the write-ahead log is fsync'ed before Write returns: an acknowledged
  // write survives a machine crash. When false (the default) it survives a process
  // crash but the last writes may be lost if the machine loses power.
  bool sync = false;
  // When true, the write bypasses the write-ahead log: a crash loses it unless a
  // FlushColumnFamilies of its families returned after it. For large rewrites of
  // derived data whose loss the writer detects on its own (portrait checkpoints, which
  // record their progress in a later, synced write); cheaper by the log's bytes and
  // fsyncs, which other writers' syncs would otherwise wait for. Not with `sync`
  // (INVALID_ARGUMENT).
  bool skip_wal = false;
};

// A list of puts and deletes, applied atomically by KvStore::Write: after a crash
// either all of them are visible or none is. Later operations on the same key win.
class WriteBatch {
 public:
  enum class OpKind : uint8_t { kPut, kDelete };
  struct Op {
    OpKind kind;
    ColumnFamily cf;
    std::string key;
    std::string value;  // empty for deletes
  };

  void Put(ColumnFamily cf, absl::string_view key, absl::string_view value);
  // As Put, taking ownership of strings the caller no longer needs (no copy).
  void PutOwned(ColumnFamily cf, std::string key, std::string value);
  void Delete(ColumnFamily cf, absl::string_view key);
  void Clear();

  bool empty() const { return ops_.empty(); }
  size_t count() const { return ops_.size(); }
  // Sum of key and value sizes: callers flush a batch when it grows past a budget.
  size_t byte_size() const { return byte_size_; }
  const std::vector<Op>& ops() const { return ops_; }

 private:
  std::vector<Op> ops_;
  size_t byte_size_ = 0;
};

// Entries of one column family in strictly increasing key order, kept back to back in
// one buffer (no allocation per entry once it has grown; Clear keeps it): the input of
// KvStore::WriteSortedRun.
class SortedRun {
 public:
  // REQUIRES for WriteSortedRun: `key` sorts after every key added before.
  void Add(absl::string_view key, absl::string_view value);
  void Clear();

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  absl::string_view key(size_t i) const {
    return absl::string_view(bytes_).substr(entries_[i].begin, entries_[i].key_size);
  }
  absl::string_view value(size_t i) const {
    return absl::string_view(bytes_).substr(entries_[i].begin + entries_[i].key_size,
                                            entries_[i].value_size);
  }
  // INVALID_ARGUMENT naming the first key that does not sort after the one before it.
  absl::Status CheckOrder() const;

 private:
  struct Entry {
    size_t begin;
    size_t key_size;
    size_t value_size;
  };
  std::string bytes_;
  std::vector<Entry> entries_;
};

// Walks the keys of one column family in order, within the bounds it was created with.
// Starts unpositioned: call SeekToFirst or Seek first.
class Iterator {
 public:
  virtual ~Iterator() = default;

  // Positions at the first key within bounds.
  virtual void SeekToFirst() = 0;
  // Positions at the first key >= target (and within bounds).
  virtual void Seek(absl::string_view target) = 0;
  virtual bool Valid() const = 0;
  // REQUIRES: Valid().
  virtual void Next() = 0;
  // REQUIRES: Valid(). Views stay valid until the iterator moves or is destroyed.
  virtual absl::string_view key() const = 0;
  virtual absl::string_view value() const = 0;
  // OK unless iteration stopped because of an error (then Valid() is false).
  virtual absl::Status status() const = 0;
};

// One column family's compactions since the store was opened.
struct FamilyCompactions {
  int64_t count = 0;
  int64_t cpu_micros = 0;
  int64_t read_bytes = 0;
  int64_t written_bytes = 0;
};

// Figures about the engine under a store, for monitoring (services/telemetry). A figure
// the implementation does not know is -1. Cumulative figures count since the store was
// opened.
struct StoreStats {
  // Bytes of the table files that hold live data (after compaction).
  int64_t live_data_bytes = -1;
  // Bytes that compaction estimates it still has to rewrite; grows when writes outpace
  // compaction, and writes are slowed, then stopped, past a limit.
  int64_t pending_compaction_bytes = -1;
  // Bytes of write buffers (memtables) in memory.
  int64_t memtable_bytes = -1;
  // Cumulative time writes waited because the engine slowed or stopped them.
  int64_t write_stall_micros = -1;
  // 1 while writes are stopped, 0 otherwise.
  int64_t writes_stopped = -1;
  // Cumulative block cache lookups that found their block, and those that did not.
  int64_t block_cache_hits = -1;
  int64_t block_cache_misses = -1;
  // Bytes held in the block cache.
  int64_t block_cache_usage_bytes = -1;
  // One entry per ColumnFamily value, in order (empty when unknown): which kind of
  // record the background rewriting is spent on.
  std::vector<FamilyCompactions> compactions;
};

class KvStore {
 public:
  virtual ~KvStore() = default;

  // The value of `key`; NOT_FOUND when it is absent, DATA_LOSS on corruption,
  // UNAVAILABLE when the store is busy, INTERNAL otherwise.
  virtual absl::StatusOr<std::string> Get(ColumnFamily cf, absl::string_view key,
                                          const ReadOptions& options = {}) = 0;

  // Values of many keys of one column family, in order: each entry is the value or
  // NOT_FOUND (or another error, as for Get). Faster than Get in a loop.
  virtual std::vector<absl::StatusOr<std::string>> MultiGet(ColumnFamily cf,
                                                            absl::Span<const std::string> keys,
                                                            const ReadOptions& options = {}) = 0;

  // Applies the batch atomically. An empty batch is OK and does nothing.
  virtual absl::Status Write(const WriteBatch& batch, const WriteOptions& options = {}) = 0;

  // A new iterator over `cf`. It sees the snapshot in `options`, or, without one,
  // an implicit snapshot taken now.
  virtual std::unique_ptr<Iterator> NewIterator(ColumnFamily cf,
                                                const IteratorOptions& options = {}) = 0;

  // A snapshot of the current state of every column family.
  virtual std::unique_ptr<Snapshot> GetSnapshot() = 0;

  // Makes every write that has returned so far durable (fsyncs the write-ahead log), as
  // if each had been written with sync. Lets a writer overlap its next write with this
  // one's fsync (group commit): write without sync, then acknowledge only after a
  // SyncWal that started after the write returned. May be called concurrently with
  // writes. Errors as for Write.
  virtual absl::Status SyncWal() = 0;

  // Makes every write to `cfs` that has returned so far durable, those written with
  // skip_wal included (RocksDB: flushes their memtables to table files). Stores that
  // hold nothing in memory only have nothing to do. Errors as for Write.
  virtual absl::Status FlushColumnFamilies(absl::Span<const ColumnFamily> cfs) {
    return absl::OkStatus();
  }

  // Physically drops the values deleted or overwritten in [begin, end] of `cf` (both
  // inclusive; empty `end` means to the last key), so that what was erased is no longer
  // on disk (a body withdrawn under personal-information law, for one). RocksDB: the
  // memtable is flushed and the range compacted down to the last level, whose files no
  // longer hold the old versions; write-ahead-log files that held them are deleted once
  // obsolete. A snapshot still held keeps what it sees. The default (stores that keep no
  // old versions) does nothing. Errors as for Write.
  virtual absl::Status CompactRange(ColumnFamily cf, absl::string_view begin,
                                    absl::string_view end) {
    (void)cf;
    (void)begin;
    (void)end;
    return absl::OkStatus();
  }

  // The engine's figures, read from memory (cheap: fit for every scrape). Thread-safe.
  // Default: nothing known.
  virtual StoreStats Stats() { return {}; }

  // Writes a consistent copy of the whole store, as of one moment, into the directory
  // `dir`, which must not exist (its parent must). The copy is a store of its own: the
  // production implementation opens it as it opens any data directory. Every write
  // that returned before the call began is in it, synced or not. Runs alongside
  // writes. Errors: ALREADY_EXISTS when `dir` exists; UNIMPLEMENTED for a store that
  // cannot (the in-memory store); others as for Write.
  virtual absl::Status Checkpoint(const std::string& dir) {
    return absl::UnimplementedError("this store cannot write a checkpoint");
  }

  // Puts every entry of `run` into `cf` for bulk loads (ScoreAll's scores): atomic, and
  // durable when it returns (as a Write with sync). RocksDB builds a table file and adds
  // it to the database (no write-ahead log, no memtable); other stores apply it as one
  // batch. Snapshots taken before do not see it. INVALID_ARGUMENT when the keys are
  // not strictly increasing; errors as for Write otherwise.
  virtual absl::Status WriteSortedRun(ColumnFamily cf, const SortedRun& run);

  // About how many keys `cf` holds, without a scan: for progress messages, never for
  // decisions. Exact in the memory store; RocksDB's estimate (it counts overwritten and
  // deleted keys until compaction drops them). UNIMPLEMENTED where a store has none.
  virtual absl::StatusOr<int64_t> EstimateKeyCount(ColumnFamily cf) {
    return absl::UnimplementedError("this store keeps no key count estimate");
  }
};

}  // namespace regulation::storage

#endif  // STORAGE_KV_STORE_H_
