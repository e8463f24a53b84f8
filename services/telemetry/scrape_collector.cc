#include "services/telemetry/scrape_collector.h"

#include <sys/statvfs.h>

#include <string>
#include <utility>
#include <vector>

#include "storage/column_family.h"

namespace regulation::telemetry {
namespace {

using prometheus::MetricFamily;
using prometheus::MetricType;

void Add(std::vector<MetricFamily>* out, const char* name, const char* help, MetricType type,
         double value) {
  MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  prometheus::ClientMetric metric;
  if (type == MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(std::move(metric));
  out->push_back(std::move(family));
}

// Only figures the store knows (-1 means it does not).
void AddKnown(std::vector<MetricFamily>* out, const char* name, const char* help, MetricType type,
              int64_t value, double scale = 1) {
  if (value >= 0) Add(out, name, help, type, static_cast<double>(value) * scale);
}

// Counters by column family, every family listed (so that rates start from zero).
void AddFamilyCompactions(const std::vector<storage::FamilyCompactions>& families,
                          std::vector<MetricFamily>* out) {
  if (families.size() != storage::kAllColumnFamilies.size()) return;  // unknown
  struct Counter {
    const char* name;
    const char* help;
    double (*value)(const storage::FamilyCompactions&);
  };
  const Counter counters[] = {
      {"regulation_rocksdb_compactions_total", "RocksDB compactions completed, by column family",
       [](const storage::FamilyCompactions& f) { return static_cast<double>(f.count); }},
      {"regulation_rocksdb_compaction_cpu_seconds_total",
       "CPU time of RocksDB's compactions, by column family",
       [](const storage::FamilyCompactions& f) { return static_cast<double>(f.cpu_micros) * 1e-6; }},
      {"regulation_rocksdb_compaction_read_bytes_total",
       "Bytes RocksDB's compactions read, by column family",
       [](const storage::FamilyCompactions& f) { return static_cast<double>(f.read_bytes); }},
      {"regulation_rocksdb_compaction_written_bytes_total",
       "Bytes RocksDB's compactions wrote, by column family",
       [](const storage::FamilyCompactions& f) { return static_cast<double>(f.written_bytes); }},
  };
  for (const Counter& counter : counters) {
    MetricFamily family;
    family.name = counter.name;
    family.help = counter.help;
    family.type = MetricType::Counter;
    for (size_t i = 0; i < families.size(); ++i) {
      prometheus::ClientMetric metric;
      metric.label.push_back(
          {"family", std::string(storage::ColumnFamilyName(storage::kAllColumnFamilies[i]))});
      metric.counter.value = counter.value(families[i]);
      family.metric.push_back(std::move(metric));
    }
    out->push_back(std::move(family));
  }
}

void AddStoreStats(const storage::StoreStats& s, std::vector<MetricFamily>* out) {
  AddKnown(out, "regulation_rocksdb_live_sst_bytes", "Bytes of table files holding live data",
           MetricType::Gauge, s.live_data_bytes);
  AddKnown(out, "regulation_rocksdb_pending_compaction_bytes",
           "Bytes compaction estimates it still has to rewrite (writes slow, then stop, past "
           "RocksDB's limits)",
           MetricType::Gauge, s.pending_compaction_bytes);
  AddKnown(out, "regulation_rocksdb_memtable_bytes", "Bytes of write buffers in memory",
           MetricType::Gauge, s.memtable_bytes);
  AddKnown(out, "regulation_rocksdb_write_stall_seconds_total",
           "Time writes waited because RocksDB slowed or stopped them", MetricType::Counter,
           s.write_stall_micros, 1e-6);
  AddKnown(out, "regulation_rocksdb_write_stopped", "1 while RocksDB stops writes",
           MetricType::Gauge, s.writes_stopped);
  AddKnown(out, "regulation_rocksdb_block_cache_hits_total",
           "Block cache lookups that found their block", MetricType::Counter, s.block_cache_hits);
  AddKnown(out, "regulation_rocksdb_block_cache_misses_total",
           "Block cache lookups that read the block from disk", MetricType::Counter,
           s.block_cache_misses);
  AddKnown(out, "regulation_rocksdb_block_cache_usage_bytes", "Bytes held in the block cache",
           MetricType::Gauge, s.block_cache_usage_bytes);
  AddFamilyCompactions(s.compactions, out);
}

}  // namespace

void ScrapeCollector::Attach(ScrapeSources sources) {
  absl::MutexLock lock(&mu_);
  sources_ = std::move(sources);
  attached_ = true;
}

void ScrapeCollector::Detach() {
  absl::MutexLock lock(&mu_);
  sources_ = ScrapeSources();
  attached_ = false;
}

std::vector<MetricFamily> ScrapeCollector::Collect() const {
  std::vector<MetricFamily> out;
  absl::MutexLock lock(&mu_);
  if (!attached_) return out;
  if (sources_.store != nullptr) AddStoreStats(sources_.store->Stats(), &out);
  if (!sources_.data_dir.empty()) {
    struct statvfs fs;
    if (::statvfs(sources_.data_dir.c_str(), &fs) == 0) {
      const double unit = static_cast<double>(fs.f_frsize);
      Add(&out, "regulation_data_dir_free_bytes",
          "Bytes available to regulatord on the data directory's file system", MetricType::Gauge,
          static_cast<double>(fs.f_bavail) * unit);
      Add(&out, "regulation_data_dir_capacity_bytes",
          "Size of the data directory's file system", MetricType::Gauge,
          static_cast<double>(fs.f_blocks) * unit);
    }
  }
  if (sources_.log != nullptr) {
    Add(&out, "regulation_log_tree_size",
        "Entries of the disclosure log under its latest signed checkpoint", MetricType::Gauge,
        static_cast<double>(sources_.log->size()));
  }
  if (sources_.audit_log != nullptr) {
    Add(&out, "regulation_audit_head_sequence", "Records in the audit trail", MetricType::Gauge,
        static_cast<double>(sources_.audit_log->head_sequence()));
  }
  return out;
}

}  // namespace regulation::telemetry
