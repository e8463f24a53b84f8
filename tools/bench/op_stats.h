#ifndef TOOLS_BENCH_OP_STATS_H_
#define TOOLS_BENCH_OP_STATS_H_

// What the load generator measures for one kind of operation: how many finished, their
// latencies (percentiles), and the status codes of those that failed.
//
// Thread safety: Record and Merge are thread-safe; read the figures once recording stops.

#include <grpcpp/support/status.h>

#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace regulation::bench {

class OpStats {
 public:
  void Record(absl::Duration latency, grpc::StatusCode code) ABSL_LOCKS_EXCLUDED(mu_);

  int64_t count() const;
  int64_t ok() const;
  // The q-quantile (0 < q < 1) of recorded latencies, in milliseconds (0 when none).
  double PercentileMs(double q) const;
  // {"count":..,"ok":..,"per_s":..,"p50_ms":..,"p99_ms":..,"p999_ms":..,"errors":{"CODE":n}}
  std::string Json(absl::Duration elapsed) const;

 private:
  mutable absl::Mutex mu_;
  mutable std::vector<double> latencies_ms_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int64_t> errors_ ABSL_GUARDED_BY(mu_);
  int64_t ok_ ABSL_GUARDED_BY(mu_) = 0;
};

// The canonical name of a gRPC status code ("RESOURCE_EXHAUSTED").
std::string StatusCodeName(grpc::StatusCode code);

}  // namespace regulation::bench

#endif  // TOOLS_BENCH_OP_STATS_H_
