#include "storage/compaction_tally.h"

namespace regulation::storage {

void CompactionTally::OnCompactionCompleted(rocksdb::DB* /*db*/,
                                            const rocksdb::CompactionJobInfo& info) {
  // Families this binary does not know (a newer one's) are not counted.
  for (size_t i = 0; i < kAllColumnFamilies.size(); ++i) {
    if (ColumnFamilyName(kAllColumnFamilies[i]) != info.cf_name) continue;
    Counters& c = families_[static_cast<size_t>(kAllColumnFamilies[i])];
    c.count.fetch_add(1, std::memory_order_relaxed);
    c.cpu_micros.fetch_add(static_cast<int64_t>(info.stats.cpu_micros), std::memory_order_relaxed);
    c.read_bytes.fetch_add(static_cast<int64_t>(info.stats.total_input_bytes),
                           std::memory_order_relaxed);
    c.written_bytes.fetch_add(static_cast<int64_t>(info.stats.total_output_bytes),
                              std::memory_order_relaxed);
    return;
  }
}

std::vector<FamilyCompactions> CompactionTally::Totals() const {
  std::vector<FamilyCompactions> totals(families_.size());
  for (size_t i = 0; i < families_.size(); ++i) {
    totals[i].count = families_[i].count.load(std::memory_order_relaxed);
    totals[i].cpu_micros = families_[i].cpu_micros.load(std::memory_order_relaxed);
    totals[i].read_bytes = families_[i].read_bytes.load(std::memory_order_relaxed);
    totals[i].written_bytes = families_[i].written_bytes.load(std::memory_order_relaxed);
  }
  return totals;
}

}  // namespace regulation::storage
