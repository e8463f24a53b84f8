#ifndef STORAGE_COMPACTION_TALLY_H_
#define STORAGE_COMPACTION_TALLY_H_

// Counts RocksDB's compactions by column family as they complete: how many, their CPU
// time, the bytes they read and wrote. RocksDB's own statistics sum these over the
// whole database; by family they show which kind of record the background work is for
// (the events' random keys, the ids', the alerts'), as a metric and in the benchmarks.
// Used by the RocksDB store only (rocksdb_store.cc); KvStore::Stats reports the sums.
//
// Thread safety: RocksDB calls it from its background threads; Totals may run anywhere.

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

#include "rocksdb/listener.h"
#include "storage/column_family.h"
#include "storage/kv_store.h"

namespace regulation::storage {

class CompactionTally : public rocksdb::EventListener {
 public:
  void OnCompactionCompleted(rocksdb::DB* db, const rocksdb::CompactionJobInfo& info) override;

  // One entry per ColumnFamily value, in order.
  std::vector<FamilyCompactions> Totals() const;

 private:
  struct Counters {
    std::atomic<int64_t> count{0};
    std::atomic<int64_t> cpu_micros{0};
    std::atomic<int64_t> read_bytes{0};
    std::atomic<int64_t> written_bytes{0};
  };
  std::array<Counters, kAllColumnFamilies.size()> families_;
};

}  // namespace regulation::storage

#endif  // STORAGE_COMPACTION_TALLY_H_
