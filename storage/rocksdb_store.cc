#include "storage/rocksdb_store.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/log.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/slice.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/snapshot.h"
#include "rocksdb/sst_file_writer.h"
#include "rocksdb/statistics.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"
#include "storage/column_family.h"
#include "storage/compaction_tally.h"
#include "storage/rocksdb_status.h"

namespace regulation::storage {
namespace {

// Batches with fewer operations go to RocksDB as they are.
constexpr size_t kSortedBatchMinOps = 64;

// The order in which a batch's operations reach the memtables: by column family, then by
// key, stable, so that operations on one key keep their order and the batch means what
// it meant (operations on different keys commute). A memtable's skip list starts each
// insert's search from where the previous one went; keys that arrive in order find
// their place a few nodes on instead of searching from the top. A group commit of
// thousands of randomly keyed events spent over 40% of the committer's time in those
// searches (docs/performance.md, "Ingestion").
std::vector<const WriteBatch::Op*> MemtableInsertionOrder(const WriteBatch& batch) {
  std::vector<const WriteBatch::Op*> order;
  order.reserve(batch.count());
  for (const WriteBatch::Op& op : batch.ops()) order.push_back(&op);
  if (order.size() < kSortedBatchMinOps) return order;
  std::stable_sort(order.begin(), order.end(),
                   [](const WriteBatch::Op* a, const WriteBatch::Op* b) {
                     if (a->cf != b->cf) return a->cf < b->cf;
                     return absl::string_view(a->key) < absl::string_view(b->key);
                   });
  return order;
}

constexpr size_t kNumColumnFamilies = kAllColumnFamilies.size();

// Handles are looked up by the enum's value, so the list must be 0, 1, 2, ...
constexpr bool ColumnFamiliesAreDense() {
  for (size_t i = 0; i < kNumColumnFamilies; ++i) {
    if (static_cast<size_t>(kAllColumnFamilies[i]) != i) return false;
  }
  return true;
}
static_assert(ColumnFamiliesAreDense(),
              "kAllColumnFamilies must list ColumnFamily values 0..N-1 in order");

rocksdb::Slice ToSlice(absl::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

// Files WriteSortedRun builds in the data directory before RocksDB ingests them.
constexpr absl::string_view kSortedRunPrefix = "sorted-run-";

absl::Status UnknownColumnFamily(ColumnFamily cf) {
  return absl::InvalidArgumentError(absl::StrCat("unknown column family ", static_cast<int>(cf)));
}

// A RocksDB snapshot, released when destroyed. Holds the DB it came from so that
// the store can reject snapshots of another store.
class RocksDbSnapshot : public Snapshot {
 public:
  RocksDbSnapshot(rocksdb::DB* db, const rocksdb::Snapshot* snapshot)
      : db_(db), snapshot_(snapshot) {}
  RocksDbSnapshot(const RocksDbSnapshot&) = delete;
  RocksDbSnapshot& operator=(const RocksDbSnapshot&) = delete;
  ~RocksDbSnapshot() override { db_->ReleaseSnapshot(snapshot_); }

  rocksdb::DB* db() const { return db_; }
  const rocksdb::Snapshot* get() const { return snapshot_; }

 private:
  rocksdb::DB* const db_;
  const rocksdb::Snapshot* const snapshot_;
};

// Wraps a rocksdb::Iterator and owns the bound strings that its ReadOptions point to.
class RocksDbIterator : public Iterator {
 public:
  RocksDbIterator(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* handle,
                  const rocksdb::Snapshot* snapshot, std::string lower_bound,
                  std::string upper_bound, bool bulk_scan)
      : lower_bound_(std::move(lower_bound)),
        upper_bound_(std::move(upper_bound)),
        lower_slice_(lower_bound_),
        upper_slice_(upper_bound_) {
    rocksdb::ReadOptions read_options;
    read_options.snapshot = snapshot;
    if (!lower_bound_.empty()) read_options.iterate_lower_bound = &lower_slice_;
    if (!upper_bound_.empty()) read_options.iterate_upper_bound = &upper_slice_;
    if (bulk_scan) {
      read_options.fill_cache = false;
      read_options.readahead_size = 2 << 20;
    }
    iter_.reset(db->NewIterator(read_options, handle));
  }
  RocksDbIterator(const RocksDbIterator&) = delete;
  RocksDbIterator& operator=(const RocksDbIterator&) = delete;

  void SeekToFirst() override { iter_->SeekToFirst(); }
  void Seek(absl::string_view target) override { iter_->Seek(ToSlice(target)); }
  bool Valid() const override { return iter_->Valid(); }
  void Next() override { iter_->Next(); }
  absl::string_view key() const override {
    const rocksdb::Slice k = iter_->key();
    return absl::string_view(k.data(), k.size());
  }
  absl::string_view value() const override {
    const rocksdb::Slice v = iter_->value();
    return absl::string_view(v.data(), v.size());
  }
  absl::Status status() const override { return FromRocksDbStatus(iter_->status(), "iterator"); }

 private:
  // Declared before iter_ so that they outlive it.
  const std::string lower_bound_;
  const std::string upper_bound_;
  const rocksdb::Slice lower_slice_;
  const rocksdb::Slice upper_slice_;
  std::unique_ptr<rocksdb::Iterator> iter_;
};

// Returned by NewIterator when the arguments are bad: never valid, reports the error.
class ErrorIterator : public Iterator {
 public:
  explicit ErrorIterator(absl::Status status) : status_(std::move(status)) {}
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

// Thread-safe: rocksdb::DB is, and the handle table is immutable after construction.
class RocksDbStore : public KvStore {
 public:
  // Takes ownership of `db` and of every handle in `all_handles`; `handles[i]` is
  // the handle of ColumnFamily value i (and also in `all_handles`).
  // `statistics`, `block_cache` (null when there is none) and `compactions` are the
  // ones `db` was opened with.
  RocksDbStore(std::unique_ptr<rocksdb::DB> db,
               std::vector<rocksdb::ColumnFamilyHandle*> all_handles,
               std::array<rocksdb::ColumnFamilyHandle*, kNumColumnFamilies> handles,
               std::shared_ptr<rocksdb::Statistics> statistics,
               std::shared_ptr<rocksdb::Cache> block_cache,
               std::shared_ptr<CompactionTally> compactions)
      : db_(std::move(db)),
        all_handles_(std::move(all_handles)),
        handles_(handles),
        statistics_(std::move(statistics)),
        block_cache_(std::move(block_cache)),
        compactions_(std::move(compactions)) {}

  RocksDbStore(const RocksDbStore&) = delete;
  RocksDbStore& operator=(const RocksDbStore&) = delete;

  ~RocksDbStore() override {
    for (rocksdb::ColumnFamilyHandle* handle : all_handles_) {
      db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
    }
    const rocksdb::Status status = db_->Close();
    if (!status.ok()) {
      LogWarning(absl::StrCat("closing RocksDB: ", status.ToString()));
    }
  }

  absl::StatusOr<std::string> Get(ColumnFamily cf, absl::string_view key,
                                  const ReadOptions& options) override {
    rocksdb::ColumnFamilyHandle* handle = Handle(cf);
    if (handle == nullptr) return UnknownColumnFamily(cf);
    rocksdb::ReadOptions read_options;
    if (absl::Status s = ResolveSnapshot(options.snapshot, &read_options.snapshot); !s.ok()) {
      return s;
    }
    std::string value;
    const rocksdb::Status status = db_->Get(read_options, handle, ToSlice(key), &value);
    if (!status.ok()) return FromRocksDbStatus(status, GetContext(cf));
    return value;
  }

  std::vector<absl::StatusOr<std::string>> MultiGet(ColumnFamily cf,
                                                    absl::Span<const std::string> keys,
                                                    const ReadOptions& options) override {
    std::vector<absl::StatusOr<std::string>> results;
    results.reserve(keys.size());
    rocksdb::ColumnFamilyHandle* handle = Handle(cf);
    rocksdb::ReadOptions read_options;
    absl::Status arg_status = handle == nullptr
                                  ? UnknownColumnFamily(cf)
                                  : ResolveSnapshot(options.snapshot, &read_options.snapshot);
    if (!arg_status.ok()) {
      results.assign(keys.size(), arg_status);
      return results;
    }
    if (keys.empty()) return results;

    const size_t n = keys.size();
    std::vector<rocksdb::Slice> slices;
    slices.reserve(n);
    for (const std::string& key : keys) slices.emplace_back(key);
    // Values land directly in `buffers` unless RocksDB pins a cached block instead.
    std::vector<std::string> buffers(n);
    std::vector<rocksdb::PinnableSlice> values;
    values.reserve(n);
    for (std::string& buffer : buffers) values.emplace_back(&buffer);
    std::vector<rocksdb::Status> statuses(n);

    db_->MultiGet(read_options, handle, n, slices.data(), values.data(), statuses.data());

    for (size_t i = 0; i < n; ++i) {
      if (!statuses[i].ok()) {
        results.emplace_back(FromRocksDbStatus(statuses[i], GetContext(cf)));
        continue;
      }
      if (values[i].IsPinned()) buffers[i].assign(values[i].data(), values[i].size());
      results.emplace_back(std::move(buffers[i]));
    }
    return results;
  }

  absl::Status Write(const WriteBatch& batch, const WriteOptions& options) override {
    if (batch.empty()) return absl::OkStatus();
    // Each record costs a few bytes of framing on top of its key and value.
    rocksdb::WriteBatch write_batch(batch.byte_size() + 16 * batch.count() + 16);
    for (const WriteBatch::Op* op_pointer : MemtableInsertionOrder(batch)) {
      const WriteBatch::Op& op = *op_pointer;
      rocksdb::ColumnFamilyHandle* handle = Handle(op.cf);
      if (handle == nullptr) return UnknownColumnFamily(op.cf);
      rocksdb::Status status;
      switch (op.kind) {
        case WriteBatch::OpKind::kPut:
          status = write_batch.Put(handle, op.key, op.value);
          break;
        case WriteBatch::OpKind::kDelete:
          status = write_batch.Delete(handle, op.key);
          break;
        default:
          return absl::InvalidArgumentError(
              absl::StrCat("unknown write op kind ", static_cast<int>(op.kind)));
      }
      if (!status.ok()) return FromRocksDbStatus(status, "building write batch");
    }
    if (options.sync && options.skip_wal) {
      return absl::InvalidArgumentError("a write cannot both sync and skip the write-ahead log");
    }
    rocksdb::WriteOptions write_options;
    write_options.sync = options.sync;
    write_options.disableWAL = options.skip_wal;
    return FromRocksDbStatus(db_->Write(write_options, &write_batch), "write");
  }

  absl::Status FlushColumnFamilies(absl::Span<const ColumnFamily> cfs) override {
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    for (ColumnFamily cf : cfs) {
      rocksdb::ColumnFamilyHandle* handle = Handle(cf);
      if (handle == nullptr) return UnknownColumnFamily(cf);
      handles.push_back(handle);
    }
    rocksdb::FlushOptions flush;
    flush.wait = true;
    return FromRocksDbStatus(db_->Flush(flush, handles), "flushing column families");
  }

  std::unique_ptr<Iterator> NewIterator(ColumnFamily cf, const IteratorOptions& options) override {
    rocksdb::ColumnFamilyHandle* handle = Handle(cf);
    if (handle == nullptr) {
      return std::make_unique<ErrorIterator>(UnknownColumnFamily(cf));
    }
    const rocksdb::Snapshot* snapshot = nullptr;
    if (absl::Status s = ResolveSnapshot(options.snapshot, &snapshot); !s.ok()) {
      return std::make_unique<ErrorIterator>(std::move(s));
    }
    return std::make_unique<RocksDbIterator>(db_.get(), handle, snapshot, options.lower_bound,
                                             options.upper_bound, options.bulk_scan);
  }

  absl::Status SyncWal() override { return FromRocksDbStatus(db_->SyncWAL(), "syncing the WAL"); }

  absl::Status CompactRange(ColumnFamily cf, absl::string_view begin,
                            absl::string_view end) override {
    rocksdb::ColumnFamilyHandle* handle = Handle(cf);
    if (handle == nullptr) return UnknownColumnFamily(cf);
    // Every column family: a write-ahead-log file is deleted only once nothing in it is
    // still unflushed, whichever family that is.
    rocksdb::FlushOptions flush;
    flush.wait = true;
    if (rocksdb::Status flushed = db_->Flush(flush, all_handles_); !flushed.ok()) {
      return FromRocksDbStatus(flushed, "flushing before a compaction");
    }
    rocksdb::CompactRangeOptions options;
    options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    const rocksdb::Slice first = ToSlice(begin);
    const rocksdb::Slice last = ToSlice(end);
    return FromRocksDbStatus(
        db_->CompactRange(options, handle, &first, end.empty() ? nullptr : &last),
        absl::StrCat("compacting ", ColumnFamilyName(cf)));
  }

  absl::Status WriteSortedRun(ColumnFamily cf, const SortedRun& run) override {
    if (run.empty()) return absl::OkStatus();
    if (absl::Status order = run.CheckOrder(); !order.ok()) return order;
    rocksdb::ColumnFamilyHandle* handle = Handle(cf);
    if (handle == nullptr) return UnknownColumnFamily(cf);
    // Built beside the database (same file system, so ingestion moves it by a link) under
    // a name RocksDB never uses; one left by a crash is removed at the next open.
    const std::string path = absl::StrCat(db_->GetName(), "/", kSortedRunPrefix,
                                          next_sorted_run_.fetch_add(1), ".sst");
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), db_->GetOptions(handle), handle);
    rocksdb::Status status = writer.Open(path);
    for (size_t i = 0; status.ok() && i < run.size(); ++i) {
      status = writer.Put(ToSlice(run.key(i)), ToSlice(run.value(i)));
    }
    if (status.ok()) status = writer.Finish();
    if (status.ok()) {
      rocksdb::IngestExternalFileOptions ingest;
      ingest.move_files = true;
      status = db_->IngestExternalFile(handle, {path}, ingest);
    }
    std::error_code ignored;
    std::filesystem::remove(path, ignored);  // still there only when ingestion failed
    return FromRocksDbStatus(status, absl::StrCat("writing a sorted run to ",
                                                  ColumnFamilyName(cf)));
  }

  absl::StatusOr<int64_t> EstimateKeyCount(ColumnFamily cf) override {
    rocksdb::ColumnFamilyHandle* handle = Handle(cf);
    if (handle == nullptr) return UnknownColumnFamily(cf);
    uint64_t keys = 0;
    if (!db_->GetIntProperty(handle, rocksdb::DB::Properties::kEstimateNumKeys, &keys)) {
      return absl::InternalError(absl::StrCat("no key count estimate for ", ColumnFamilyName(cf)));
    }
    return static_cast<int64_t>(keys);
  }

  std::unique_ptr<Snapshot> GetSnapshot() override {
    return std::make_unique<RocksDbSnapshot>(db_.get(), db_->GetSnapshot());
  }

  StoreStats Stats() override {
    StoreStats stats;
    const auto sum = [this](const std::string& property, int64_t* out) {
      uint64_t value = 0;
      if (db_->GetAggregatedIntProperty(property, &value)) *out = static_cast<int64_t>(value);
    };
    sum(rocksdb::DB::Properties::kLiveSstFilesSize, &stats.live_data_bytes);
    sum(rocksdb::DB::Properties::kEstimatePendingCompactionBytes,
        &stats.pending_compaction_bytes);
    sum(rocksdb::DB::Properties::kCurSizeAllMemTables, &stats.memtable_bytes);
    uint64_t stopped = 0;
    if (db_->GetIntProperty(rocksdb::DB::Properties::kIsWriteStopped, &stopped)) {
      stats.writes_stopped = stopped != 0 ? 1 : 0;
    }
    if (statistics_ != nullptr) {
      stats.write_stall_micros =
          static_cast<int64_t>(statistics_->getTickerCount(rocksdb::STALL_MICROS));
      stats.block_cache_hits =
          static_cast<int64_t>(statistics_->getTickerCount(rocksdb::BLOCK_CACHE_HIT));
      stats.block_cache_misses =
          static_cast<int64_t>(statistics_->getTickerCount(rocksdb::BLOCK_CACHE_MISS));
    }
    if (block_cache_ != nullptr) {
      stats.block_cache_usage_bytes = static_cast<int64_t>(block_cache_->GetUsage());
    }
    stats.compactions = compactions_->Totals();
    return stats;
  }

  absl::Status Checkpoint(const std::string& dir) override {
    std::error_code ec;
    if (std::filesystem::exists(dir, ec)) {
      return absl::AlreadyExistsError(absl::StrCat("checkpoint directory ", dir, " exists"));
    }
    rocksdb::Checkpoint* raw = nullptr;
    rocksdb::Status status = rocksdb::Checkpoint::Create(db_.get(), &raw);
    if (!status.ok()) return FromRocksDbStatus(status, "starting a checkpoint");
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    // log_size_for_flush 0: flush every memtable first, so the copy holds every write
    // that returned, synced or not; table files are hard-linked on the same file system.
    return FromRocksDbStatus(checkpoint->CreateCheckpoint(dir, /*log_size_for_flush=*/0),
                             absl::StrCat("writing a checkpoint into ", dir));
  }

 private:
  rocksdb::ColumnFamilyHandle* Handle(ColumnFamily cf) const {
    const size_t index = static_cast<size_t>(cf);
    return index < handles_.size() ? handles_[index] : nullptr;
  }

  static std::string GetContext(ColumnFamily cf) {
    return absl::StrCat("get from ", ColumnFamilyName(cf));
  }

  // Sets `*out` to the RocksDB snapshot behind `snapshot` (nullptr for none).
  absl::Status ResolveSnapshot(const Snapshot* snapshot, const rocksdb::Snapshot** out) const {
    if (snapshot == nullptr) {
      *out = nullptr;
      return absl::OkStatus();
    }
    const auto* ours = dynamic_cast<const RocksDbSnapshot*>(snapshot);
    if (ours == nullptr || ours->db() != db_.get()) {
      return absl::InvalidArgumentError("snapshot was not taken from this store");
    }
    *out = ours->get();
    return absl::OkStatus();
  }

  std::unique_ptr<rocksdb::DB> db_;
  std::atomic<uint64_t> next_sorted_run_{0};
  const std::vector<rocksdb::ColumnFamilyHandle*> all_handles_;
  const std::array<rocksdb::ColumnFamilyHandle*, kNumColumnFamilies> handles_;
  const std::shared_ptr<rocksdb::Statistics> statistics_;
  const std::shared_ptr<rocksdb::Cache> block_cache_;
  const std::shared_ptr<CompactionTally> compactions_;
};

// The DB's LOCK file is held by another process, or by another open store in this
// one. RocksDB reports both as IOError mentioning the LOCK file.
bool IsLockError(const rocksdb::Status& status) {
  if (!status.IsIOError()) return false;
  const std::string message = status.ToString();
  return absl::StrContains(message, "/LOCK") ||
         absl::StrContains(message, "lock hold by current process");
}

}  // namespace

absl::StatusOr<std::unique_ptr<KvStore>> OpenRocksDbStore(const RocksDbOptions& options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("RocksDbOptions.path is empty");
  }
  if (options.max_background_jobs < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "RocksDbOptions.max_background_jobs must be >= 1, got ", options.max_background_jobs));
  }

  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status path_status = fs::status(options.path, ec);
  if (fs::exists(path_status) && !fs::is_directory(path_status)) {
    return absl::FailedPreconditionError(
        absl::StrCat("data directory ", options.path, " exists but is not a directory"));
  }
  const bool db_exists = fs::exists(fs::path(options.path) / "CURRENT", ec);
  if (!db_exists && !options.create_if_missing) {
    return absl::NotFoundError(
        absl::StrCat("no RocksDB database in ", options.path, " and create_if_missing is false"));
  }
  if (!db_exists) {
    // RocksDB creates the last directory of the path only; make the whole path.
    fs::create_directories(options.path, ec);
    if (ec) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot create data directory ", options.path, ": ", ec.message()));
    }
  }

  if (db_exists) {
    // Sorted runs a crash left before RocksDB ingested them: never part of the database.
    for (const fs::directory_entry& entry : fs::directory_iterator(options.path, ec)) {
      if (absl::StartsWith(entry.path().filename().string(), kSortedRunPrefix)) {
        fs::remove(entry.path(), ec);
      }
    }
  }

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = options.max_background_jobs;
  db_options.db_write_buffer_size = options.write_buffer_budget_bytes;
  // Counters only (write stalls, block cache hits), no timers or histograms: their cost
  // is a few atomic increments per operation.
  db_options.statistics = rocksdb::CreateDBStatistics();
  db_options.statistics->set_stats_level(rocksdb::StatsLevel::kExceptHistogramOrTimers);
  auto compactions = std::make_shared<CompactionTally>();
  db_options.listeners.push_back(compactions);

  rocksdb::BlockBasedTableOptions table_options;
  if (options.block_cache_bytes == 0) {
    table_options.no_block_cache = true;
  } else {
    table_options.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  }
  if (options.bloom_filter_bits > 0) {
    table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(options.bloom_filter_bits));
  }
  table_options.whole_key_filtering = true;
  // Without a block cache there is nowhere to keep them but beside it.
  const bool cache_metadata =
      options.cache_index_and_filter_blocks && !table_options.no_block_cache;
  table_options.cache_index_and_filter_blocks = cache_metadata;
  table_options.pin_l0_filter_and_index_blocks_in_cache = cache_metadata;
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
  if (options.bloom_filter_bits > 0) {
    // A Bloom filter over the memtable's keys too: lookups of keys that do not exist
    // (new event ids, the common case when ingesting) skip the skiplist search.
    cf_options.memtable_whole_key_filtering = true;
    cf_options.memtable_prefix_bloom_size_ratio = 0.05;
  }

  // One insert hint per memtable: each insert's skip-list search starts from where the
  // previous one went and walks up only as far as it must. Write batches reach RocksDB
  // in key order (MemtableInsertionOrder), so a large batch's inserts each move a few
  // nodes on; without a hint RocksDB searches from the top again whenever the last
  // insert's position does not bracket the new key. (Writes that RocksDB applies
  // concurrently ignore the hint.)
  cf_options.memtable_insert_with_hint_prefix_extractor.reset(
      rocksdb::NewCappedPrefixTransform(0));

  // Families already on disk: ours, plus any a newer binary added.
  std::vector<std::string> existing;
  if (db_exists) {
    rocksdb::Status status = rocksdb::DB::ListColumnFamilies(db_options, options.path, &existing);
    if (!status.ok()) {
      return FromRocksDbStatus(status, absl::StrCat("listing column families in ", options.path));
    }
  }

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options);
  for (ColumnFamily cf : kAllColumnFamilies) {
    descriptors.emplace_back(std::string(ColumnFamilyName(cf)), cf_options);
  }
  for (const std::string& name : existing) {
    const bool known =
        std::any_of(descriptors.begin(), descriptors.end(),
                    [&name](const rocksdb::ColumnFamilyDescriptor& d) { return d.name == name; });
    if (known) continue;
    LogWarning(absl::StrCat("RocksDB at ", options.path, " has column family \"", name,
                            "\" unknown to this binary; opening it and leaving it alone"));
    descriptors.emplace_back(name, cf_options);
  }

  std::vector<rocksdb::ColumnFamilyHandle*> all_handles;
  rocksdb::DB* raw_db = nullptr;
  const rocksdb::Status status =
      rocksdb::DB::Open(db_options, options.path, descriptors, &all_handles, &raw_db);
  if (!status.ok()) {
    if (IsLockError(status)) {
      return absl::FailedPreconditionError(
          absl::StrCat("data directory ", options.path,
                       " is in use by another process or another open store (its LOCK file is "
                       "held): ",
                       status.ToString()));
    }
    return FromRocksDbStatus(status, absl::StrCat("opening RocksDB at ", options.path));
  }
  std::unique_ptr<rocksdb::DB> db(raw_db);

  // all_handles[i] belongs to descriptors[i]: [0] is "default", [1 + i] is
  // kAllColumnFamilies[i].
  std::array<rocksdb::ColumnFamilyHandle*, kNumColumnFamilies> handles{};
  for (size_t i = 0; i < kNumColumnFamilies; ++i) handles[i] = all_handles[1 + i];
  return std::unique_ptr<KvStore>(new RocksDbStore(std::move(db), std::move(all_handles), handles,
                                                   db_options.statistics,
                                                   table_options.block_cache,
                                                   std::move(compactions)));
}

}  // namespace regulation::storage
