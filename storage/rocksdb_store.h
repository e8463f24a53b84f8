#ifndef STORAGE_ROCKSDB_STORE_H_
#define STORAGE_ROCKSDB_STORE_H_

// The production KvStore: RocksDB in one data directory, one column family per
// ColumnFamily value. No RocksDB type appears here; the implementation class lives in
// rocksdb_store.cc.
//
// Example:
//   RocksDbOptions options;
//   options.path = "/var/lib/regulation/db";
//   REG_ASSIGN_OR_RETURN(std::unique_ptr<KvStore> store, OpenRocksDbStore(options));
//
// Thread safety: the store is safe for concurrent use (see kv_store.h).
// Ownership: the caller owns the store. Destroy every Iterator and Snapshot it made
// before destroying it; destroying it closes the database and releases the
// directory lock.
//
// Column families: the store opens every family in kAllColumnFamilies, creating the
// missing ones. Families found on disk that this binary does not know (written by a
// newer binary) are opened too and left untouched, so an older binary can still open
// a newer database, e.g. after a rollback.
//
// Durability: the write-ahead log is always on; WriteOptions::sync chooses whether a
// write waits for it to reach the disk.

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "storage/kv_store.h"

namespace regulation::storage {

struct RocksDbOptions {
  // The data directory. Required; no default.
  std::string path;
  // Create the database, and every missing directory of `path`, when absent. Default
  // true; when false, opening a missing database fails with NOT_FOUND.
  bool create_if_missing = true;
  // Size of the LRU block cache shared by all column families. Default 256 MiB;
  // 0 disables the block cache.
  size_t block_cache_bytes = 256 << 20;
  // Bits per key of the whole-key Bloom filter in each table file. Default 10 (about
  // 1% false positives); 0 or less disables the filter.
  int bloom_filter_bits = 10;
  // Threads for background flushes and compactions. Default 2.
  int max_background_jobs = 2;
  // Memory for write buffers (memtables) across all column families; past it, the
  // largest is flushed. Bounds the server's memory during bulk ingestion. Default
  // 256 MiB.
  size_t write_buffer_budget_bytes = 256 << 20;
  // Keep index and filter blocks in the block cache (bounded) rather than beside it
  // (growing with the data). Default true; ignored without a block cache.
  bool cache_index_and_filter_blocks = true;
};

// Opens (or creates) the database at `options.path`. Thread-safe. Errors:
//   INVALID_ARGUMENT     options.path is empty, or another option is out of range;
//   FAILED_PRECONDITION  the path is not a directory or cannot be created, or the
//                        data directory is in use (another process, or another live
//                        store in this one, holds its LOCK file);
//   NOT_FOUND            no database there and create_if_missing is false;
//   DATA_LOSS            the database is corrupt;
//   INTERNAL             any other failure (see rocksdb_status.h).
absl::StatusOr<std::unique_ptr<KvStore>> OpenRocksDbStore(const RocksDbOptions& options);

}  // namespace regulation::storage

#endif  // STORAGE_ROCKSDB_STORE_H_
