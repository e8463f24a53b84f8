#ifndef SERVICES_TELEMETRY_SCRAPE_COLLECTOR_H_
#define SERVICES_TELEMETRY_SCRAPE_COLLECTOR_H_

// The figures read on each scrape, because reading them costs nothing more than a
// few memory reads or one system call:
//
//   regulation_rocksdb_live_sst_bytes, _pending_compaction_bytes, _memtable_bytes,
//   regulation_rocksdb_block_cache_usage_bytes, _write_stopped              (gauges)
//   regulation_rocksdb_write_stall_seconds_total,
//   regulation_rocksdb_block_cache_hits_total, _misses_total              (counters)
//   regulation_data_dir_free_bytes, regulation_data_dir_capacity_bytes    (statvfs)
//   regulation_log_tree_size                      entries under the latest checkpoint
//   regulation_audit_head_sequence                audit records in the trail
//
// The sources are attached while a server runs and detached before it closes them; a
// scrape in between reports only what needs no source (nothing).
//
// Thread safety: Collect runs on the metrics listener's threads, Attach and Detach on
// the server's; Detach waits for a Collect in progress.

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "disclosure/transparency_log.h"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"
#include "services/audit/audit_log.h"
#include "storage/kv_store.h"

namespace regulation::telemetry {

struct ScrapeSources {
  storage::KvStore* store = nullptr;
  const disclosure::TransparencyLog* log = nullptr;
  const audit::AuditLog* audit_log = nullptr;
  // The data directory, for free and total bytes; empty: not reported.
  std::string data_dir;
};

class ScrapeCollector : public prometheus::Collectable {
 public:
  void Attach(ScrapeSources sources) ABSL_LOCKS_EXCLUDED(mu_);
  void Detach() ABSL_LOCKS_EXCLUDED(mu_);

  std::vector<prometheus::MetricFamily> Collect() const override ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  bool attached_ ABSL_GUARDED_BY(mu_) = false;
  ScrapeSources sources_ ABSL_GUARDED_BY(mu_);
};

}  // namespace regulation::telemetry

#endif  // SERVICES_TELEMETRY_SCRAPE_COLLECTOR_H_
