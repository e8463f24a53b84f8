#ifndef SERVICES_TELEMETRY_SERVER_METRICS_H_
#define SERVICES_TELEMETRY_SERVER_METRICS_H_

// regulatord's metrics that are updated as things happen (docs/operations.md has the
// full list, with the ones computed on scrape or by the periodic sampler):
//
//   grpc_server_started_total{grpc_service,grpc_method,grpc_type}
//   grpc_server_handled_total{grpc_service,grpc_method,grpc_type,grpc_code}
//   grpc_server_handling_seconds{grpc_service,grpc_method,grpc_type,grpc_code}  histogram
//   regulation_ingest_events_total{outcome="applied|duplicate|rejected"}
//   regulation_ingest_commit_failures_total
//   regulation_ingest_batch_duration_seconds            histogram: stream batch read -> ack
//   regulation_ingest_commit_queue_batches              prepared batches waiting
//   regulation_portrait_write_duration_seconds          histogram: one ingest commit
//   regulation_score_all_running, _scored_enterprises, _last_duration_seconds,
//   regulation_score_all_last_success_timestamp_seconds, _runs_total{outcome}
//   regulation_audit_records_total{outcome="written|failed"}
//   regulation_log_appends_total{outcome="ok|failed|fenced"}
//   regulation_log_last_checkpoint_timestamp_seconds
//   regulation_log_fenced
//
// Labels are bounded: methods from the access table (rpc_labels.h), codes, outcomes.
// No label ever holds a credit code, a caller or a free text.
//
// Thread safety: safe for concurrent use (prometheus-cpp's metrics are).
// Ownership: owns its registry; expose it with MetricsEndpoint.

#include <atomic>
#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "services/portrait/ingest_probe.h"
#include "services/scoring/score_all_probe.h"
#include "services/telemetry/rpc_labels.h"

namespace regulation::telemetry {

class ServerMetrics : public services::IngestProbe, public services::ScoreAllProbe {
 public:
  ServerMetrics();
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // Where every metric lives; the sampler adds its gauges here too.
  const std::shared_ptr<prometheus::Registry>& registry() const { return registry_; }

  // Calls (the call interceptor).
  void CallStarted(const RpcLabels& labels);
  void CallHandled(const RpcLabels& labels, int grpc_code, absl::Duration duration);

  // services::IngestProbe.
  void Committed(int64_t applied, int64_t duplicates, int64_t rejected, absl::Duration duration,
                 bool ok) override;
  void BatchAcknowledged(absl::Duration latency) override;
  void CommitQueueChanged(int delta) override;

  // services::ScoreAllProbe.
  void Started() override;
  void Scored(int64_t scored) override;
  void Finished(const absl::Status& status, absl::Duration duration) override;
  // ScoreAll runs that have ended, successfully or not: the sampler recomputes the
  // score distribution when this moves.
  int64_t score_all_runs_ended() const { return score_all_runs_ended_.load(); }

  // The audit trail (CountingAuditSink).
  void AuditAppended(bool ok);

  // The disclosure log (ObservedLogWriter, LogFence).
  enum class AppendOutcome { kOk, kFailed, kFenced };
  void LogAppended(AppendOutcome outcome);
  // A checkpoint was signed at `when` (every successful append signs one; so does
  // opening a log whose checkpoint lagged).
  void CheckpointSigned(absl::Time when);
  void SetLogFenced(bool fenced);

 private:
  const std::shared_ptr<prometheus::Registry> registry_;

  prometheus::Family<prometheus::Counter>& calls_started_;
  prometheus::Family<prometheus::Counter>& calls_handled_;
  prometheus::Family<prometheus::Histogram>& call_seconds_;

  prometheus::Counter& events_applied_;
  prometheus::Counter& events_duplicate_;
  prometheus::Counter& events_rejected_;
  prometheus::Counter& commit_failures_;
  prometheus::Histogram& batch_seconds_;
  prometheus::Gauge& commit_queue_;
  prometheus::Histogram& portrait_write_seconds_;

  prometheus::Gauge& score_all_running_;
  prometheus::Gauge& score_all_scored_;
  prometheus::Gauge& score_all_last_duration_;
  prometheus::Gauge& score_all_last_success_;
  prometheus::Counter& score_all_ok_;
  prometheus::Counter& score_all_failed_;
  std::atomic<int64_t> score_all_runs_ended_{0};

  prometheus::Counter& audit_written_;
  prometheus::Counter& audit_failed_;

  prometheus::Counter& log_appends_ok_;
  prometheus::Counter& log_appends_failed_;
  prometheus::Counter& log_appends_fenced_;
  prometheus::Gauge& log_last_checkpoint_;
  prometheus::Gauge& log_fenced_;
};

}  // namespace regulation::telemetry

#endif  // SERVICES_TELEMETRY_SERVER_METRICS_H_
